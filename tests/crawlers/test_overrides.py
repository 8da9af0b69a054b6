"""Registry overrides: how rules add up, how entries are validated, and one page's pitfall.

That every override has its page and makes a difference there: tests/crawlers/test_pages.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from crawlers.extract import SiteRules, extract
from crawlers.sources import (
    RegistryError,
    Site,
    Source,
    load_registry,
    load_sites,
    override_entries,
    rules_for,
    site_from_entry,
    source_from_entry,
)

PAGES = Path(__file__).parent / "pages"


@pytest.fixture(scope="module")
def registry() -> list[Source | Site]:
    return override_entries()


def _page(name: str) -> bytes:
    return (PAGES / f"override_{name}.html").read_bytes()


def test_a_spiegel_plus_flag_in_a_teaser_does_not_mark_the_page(registry: list[Source | Site]) -> None:
    """Teasers of other SPIEGEL+ articles carry the flag too: only the article's intro counts."""
    tree = lxml.html.fromstring(_page("spiegel_netzwelt"))
    for flag in tree.cssselect('header[data-area="intro"] [data-flag-name="Spplus-paid"]'):
        flag.drop_tree()
    assert tree.cssselect('[data-flag-name="Spplus-paid"]')  # the teaser's flag is still there
    url = json.loads((PAGES / "override_spiegel_netzwelt.expected.json").read_text(encoding="utf-8"))["url"]
    free = extract(lxml.html.tostring(tree), url, rules=rules_for(url, registry))
    assert free.paywalled is False


def test_rules_add_up_selectors_and_take_the_first_title_field() -> None:
    source = Source(name="blog", homepage="https://www.elbkurier.example/", allowed_domains=("elbkurier.example",),
                    drop=(".a",), paywall=(".plus",))
    site = Site(name="elbverlag", domains=("elbkurier.example", "weserbote.example"), drop=(".a", ".b"),
                title_from="headline")
    rules = rules_for("https://www.elbkurier.example/text.html", [source, site])
    assert rules == SiteRules(drop=(".a", ".b"), title_from="headline", paywall=(".plus",))
    assert rules_for("https://weserbote.example/x", [source, site]) == SiteRules(drop=(".a", ".b"), title_from="headline")
    assert rules_for("https://www.elbkurier-fake.example/x", [source, site]) == SiteRules()
    own = source_from_entry({"name": "own", "homepage": "https://elbkurier.example/", "title_from": "h1"})
    assert rules_for("https://elbkurier.example/x", [own, site]).title_from == "h1"  # a source's choice first


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"name": "x", "title_from": "h1"}, "domains"),
        ({"name": "x", "domains": ["x.example"]}, "no override"),
        ({"name": "x", "domains": ["x.example"], "title_from": "dachzeile"}, "title_from"),
        ({"name": "x", "domains": ["x.example"], "drop": [".a"], "feeds": []}, "unknown field"),
        ({"domains": ["x.example"], "drop": [".a"]}, "without a name"),
    ],
)
def test_site_entries_are_validated(entry: dict, message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        site_from_entry(entry)


def test_sites_from_a_users_registry_file(tmp_path: Path) -> None:
    path = tmp_path / "registry.toml"
    path.write_text('[[site]]\nname = "elb"\ndomains = ["elbkurier.example"]\npaywall = [".plus"]\n', encoding="utf-8")
    assert load_sites(path) == [Site(name="elb", domains=("elbkurier.example",), paywall=(".plus",))]
    path.write_text(path.read_text(encoding="utf-8") * 2, encoding="utf-8")
    with pytest.raises(RegistryError, match="duplicate site"):
        load_sites(path)


def test_packaged_site_entries_are_well_formed() -> None:
    sources = {s.name for s in load_registry()}
    for site in load_sites():
        assert site.name == site.name.lower() and site.name not in sources, site.name
        for domain in site.domains:
            assert domain == domain.lower() and "/" not in domain and not domain.startswith(("www.", ".")), domain
