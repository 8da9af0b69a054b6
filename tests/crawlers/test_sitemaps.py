from datetime import date

import pytest

from crawlers.sitemaps import SitemapEntry, SitemapError, entry_date, parse_sitemap, wanted

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://x.example/a1</loc><news:news><news:publication_date>2026-11-20T08:00:00+01:00</news:publication_date></news:news></url>
<url><loc>https://x.example/a2</loc><lastmod>2026-10-01</lastmod></url>
<url><loc>https://x.example/a3</loc></url>
<url><lastmod>2026-11-01</lastmod></url>
</urlset>"""

INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://x.example/s-2026-11.xml</loc><lastmod>2026-11-23</lastmod></sitemap>
<sitemap><loc>https://x.example/s-2025-01.xml</loc><lastmod>2025-01-31</lastmod></sitemap>
</sitemapindex>"""


def test_urlset_prefers_news_publication_date() -> None:
    entries = parse_sitemap(URLSET)
    assert entries == [
        SitemapEntry("https://x.example/a1", date(2026, 11, 20), False),
        SitemapEntry("https://x.example/a2", date(2026, 10, 1), False),
        SitemapEntry("https://x.example/a3", None, False),
    ]
    assert [e.url for e in entries if wanted(e, date(2026, 11, 1))] == ["https://x.example/a1"]


def test_index_entries_are_filtered_by_lastmod() -> None:
    entries = parse_sitemap(INDEX)
    assert [e.url for e in entries if wanted(e, date(2026, 11, 1))] == ["https://x.example/s-2026-11.xml"]
    assert wanted(SitemapEntry("https://x.example/undated.xml", None, True), date(2026, 11, 1))


@pytest.mark.parametrize(("body", "message"), [(b"<html></html>", "not a sitemap"), (b"<urlset", "not a valid XML")])
def test_bad_sitemaps(body: bytes, message: str) -> None:
    with pytest.raises(SitemapError, match=message):
        parse_sitemap(body)


def test_entry_date() -> None:
    assert entry_date("2026-11-20T08:00:00Z") == date(2026, 11, 20)
    assert entry_date("gestern") is None
