"""Write each saved page's expected extraction beside it: ``<name>.expected.json``.

    python tests/crawlers/pages/regenerate.py               # every page that has one
    python tests/crawlers/pages/regenerate.py NAME [URL]    # one page (URL needed the first time)

The page is extracted as the crawl would: with the registry's rules for the URL's domain.
Review the diff of the JSON files like code: it is what extraction changed on these pages.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from crawlers.extract import extract
from crawlers.sources import override_entries, rules_for

PAGES = Path(__file__).parent


def expected_path(name: str) -> Path:
    return PAGES / f"{name}.expected.json"


def extracted(name: str, url: str) -> dict:
    """The extraction of a saved page, as `weckruf extract --json` prints it."""
    html = (PAGES / f"{name}.html").read_bytes()
    return extract(html, url, rules=rules_for(url, override_entries())).as_contract()


def regenerate(name: str, url: str | None = None) -> None:
    url = url or json.loads(expected_path(name).read_text(encoding="utf-8"))["url"]
    data = {"url": url, "article": extracted(name, url)}
    expected_path(name).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if argv:
        regenerate(argv[0], argv[1] if len(argv) > 1 else None)
    else:
        for path in sorted(PAGES.glob("*.expected.json")):
            regenerate(path.name.removesuffix(".expected.json"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
