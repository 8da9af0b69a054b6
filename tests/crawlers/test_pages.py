"""Every saved page against the extraction reviewed for it (fundus-style).

Each ``pages/<name>.html`` has a ``<name>.expected.json`` beside it, written by
``pages/regenerate.py`` and read in review. A page imitates only its site's markup; the text
is invented. Every extraction override in the registry has its ``override_<name>`` page, and
there the override must make a difference.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawlers.extract import extract
from crawlers.sources import Site, Source, override_entries, rules_for

PAGES = Path(__file__).parent / "pages"
NAMES = sorted(p.name.removesuffix(".expected.json") for p in PAGES.glob("*.expected.json"))


def expected(name: str) -> dict:
    return json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def registry() -> list[Source | Site]:
    return override_entries()


def test_every_saved_page_has_its_expected_extraction() -> None:
    assert sorted(p.stem for p in PAGES.glob("*.html")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_page_extracts_as_reviewed(name: str, registry: list[Source | Site]) -> None:
    want = expected(name)
    html = (PAGES / f"{name}.html").read_bytes()
    got = extract(html, want["url"], rules=rules_for(want["url"], registry)).as_contract()
    assert got == want["article"]


def test_every_registry_override_has_a_page_where_it_makes_the_difference(registry: list[Source | Site]) -> None:
    with_overrides = sorted(e.name for e in registry if e.drop or e.title_from or e.paywall)
    assert with_overrides, "the packaged registry declares overrides"
    for name in with_overrides:
        assert f"override_{name}" in NAMES, f"registry entry {name!r} has overrides but no pages/override_{name}.html"
        want = expected(f"override_{name}")
        generic = extract((PAGES / f"override_{name}.html").read_bytes(), want["url"]).as_contract()
        assert generic != want["article"], f"the override of {name!r} changes nothing on its page"
        assert len(want["article"]["text"]) > 0.6 * len(generic["text"])  # the article itself stays
