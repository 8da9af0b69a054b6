"""Reading (news) sitemaps and sitemap indexes for backfills.

Feeds only show the last few dozen articles; sitemaps list months of them with a date,
which is what `weckruf run --since DATE` walks. Parsed like feeds: no entity expansion, no
network access from the parser, a clear SitemapError for anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import lxml.etree

from crawlers.feeds import safe_xml_parser


class SitemapError(ValueError):
    """Not a sitemap or sitemap index."""


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    modified: date | None
    is_index: bool  # True: the entry is another sitemap to read


def entry_date(value: str | None) -> date | None:
    """The day of a W3C datetime ("2026-11-20", "2026-11-20T08:00:00+01:00"), None if unreadable."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def parse_sitemap(body: bytes) -> list[SitemapEntry]:
    """URLs of a urlset (with lastmod or news:publication_date) or child sitemaps of an index."""
    try:
        root = lxml.etree.fromstring(body, parser=safe_xml_parser())
    except lxml.etree.XMLSyntaxError as exc:
        raise SitemapError(f"not a valid XML sitemap: {exc}") from exc
    kind = lxml.etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        raise SitemapError(f"XML but not a sitemap (root element {kind!r})")
    child = "url" if kind == "urlset" else "sitemap"
    entries = []
    for node in root.xpath(f"./*[local-name()='{child}']"):
        loc = node.xpath("string(./*[local-name()='loc'])").strip()
        if not loc:
            continue
        stamp = node.xpath(
            "string(.//*[local-name()='publication_date'])"
        ).strip() or node.xpath("string(./*[local-name()='lastmod'])").strip()
        entries.append(SitemapEntry(loc, entry_date(stamp), kind == "sitemapindex"))
    return entries


def wanted(entry: SitemapEntry, since: date) -> bool:
    """Entries on or after ``since``; undated child sitemaps are read (they may hold new URLs)."""
    if entry.modified is None:
        return entry.is_index
    return entry.modified >= since
