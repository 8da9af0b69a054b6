"""The spider as users run it: a Scrapy subprocess crawling a local HTTP server."""

from __future__ import annotations

from collections import Counter

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from crawlers.job import CrawlJob
from crawlers.settings import CrawlSettings
from crawlers.sources import Source, load_sites, rules_by_source, source_from_entry

PAGE = Path(__file__).parent / "pages" / "regionalecho_werkbank.html"


def rss(base: str, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>{p}</title><link>{base}{p}</link></item>" for p in paths)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}<item><title>kein Link</title></item></channel></rss>'.encode()


def crawl(tmp_path: Path, sources: list[Source], known: list[str] | None = None,
          feed_state: dict | None = None, since: date | None = None, on_progress=None) -> list[dict]:
    out = tmp_path / "out.jsonl"
    out.unlink(missing_ok=True)
    job = CrawlJob(
        sources=tuple(sources), output=out, rules=rules_by_source(sources, []),
        known_urls=frozenset(known or []), feed_state=feed_state or {},
        since=since, raw_dir=tmp_path / "raw",
        settings=CrawlSettings(download_delay=0.0, timeout=5.0, log_file=str(tmp_path / "crawl.log")),
    )
    return job.run(tmp_path / "job.json", timeout=120, on_progress=on_progress)


def source(name: str, base: str, feeds: list[str], **fields: Any) -> Source:
    return source_from_entry({"name": name, "homepage": f"{base}/", "feeds": feeds, "allowed_domains": ["127.0.0.1"],
                              **fields})


@pytest.fixture
def site(local_server):
    base = local_server.base
    html = PAGE.read_bytes()
    local_server.routes.update({
        "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /intern/\n"),
        "/feed.xml": (200, "application/rss+xml", rss(base, ["/a.html?utm_source=rss", "/missing.html", "/doc.pdf",
                                                             "/intern/geheim.html", "/broken.html", "/a.html"])),
        "/a.html": (200, "text/html; charset=windows-1252", html),
        "/intern/geheim.html": (200, "text/html", html),
        "/doc.pdf": (200, "application/pdf", b"%PDF-1.7 ..."),
        "/broken.html": (500, "text/html", b"oops"),
        "/badfeed.xml": (200, "application/rss+xml", b"<rss><channel><item>kaputt"),
        "/": (200, "text/html", b'<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml"></head></html>'),
    })
    return local_server


def test_crawl_records_articles_errors_and_skips(site, tmp_path: Path) -> None:
    reported: list[dict[str, int]] = []
    records = crawl(tmp_path, [source("good", site.base, [f"{site.base}/feed.xml"]),
                               source("bad", site.base, [f"{site.base}/badfeed.xml"])], on_progress=reported.append)
    # the flow sees the counts as the crawl goes; the last report is the whole crawl
    assert reported and reported[-1] == dict(Counter(r["kind"] for r in records))
    by_kind: dict[str, list[dict]] = {}
    for r in records:
        by_kind.setdefault(r["kind"], []).append(r)
    articles = by_kind["article"]
    # tracking parameters are dropped; the page's off-site rel=canonical is not trusted
    assert [a["canonical_url"] for a in articles] == [f"{site.base}/a.html"]
    assert articles[0]["source"] == "good" and Path(articles[0]["raw_path"]).exists()
    reasons = {r["url"].removeprefix(site.base): r["reason"] for r in by_kind["error"]}
    assert reasons["/missing.html"] == "HTTP 404"
    assert reasons["/broken.html"] == "HTTP 500"
    assert "not an HTML page" in reasons["/doc.pdf"]
    assert "not a valid XML feed" in reasons["/badfeed.xml"]
    skipped = {r["url"].removeprefix(site.base): r["reason"] for r in by_kind["skipped"]}
    assert "robots.txt" in skipped["/intern/geheim.html"]
    assert any("without a link" in reason for reason in skipped.values())
    # the same article linked twice (with and without tracking parameters) is fetched once
    assert sum(1 for m, p, _ in site.requests if p.startswith("/a.html")) == 1
    assert not any(p.startswith("/intern/") for _, p, _ in site.requests)
    feeds = {f["source"]: (f["items"], f["new"]) for f in by_kind["feed"]}
    assert feeds["good"] == (6, 5)  # a.html listed twice, fetched once
    assert feeds["bad"] == (6, 0)  # its broken feed fell back to the homepage's feed, already crawled


def test_known_urls_are_not_fetched_again(site, tmp_path: Path) -> None:
    first = crawl(tmp_path, [source("good", site.base, [f"{site.base}/feed.xml"])])
    known = [r["url"] for r in first if r["kind"] in ("article", "error")] + [r["canonical_url"] for r in first if r["kind"] == "article"]
    site.requests.clear()
    second = crawl(tmp_path, [source("good", site.base, [f"{site.base}/feed.xml"])], known=known)
    assert not [r for r in second if r["kind"] == "article"]
    fetched = {p for _, p, _ in site.requests} - {"/robots.txt", "/feed.xml"}
    assert fetched <= {"/missing.html", "/broken.html", "/doc.pdf"} - {p for p in known}


def test_source_without_feeds_uses_autodiscovery(site, tmp_path: Path) -> None:
    records = crawl(tmp_path, [source("auto", site.base, [])])
    assert [r["kind"] for r in records if r["kind"] == "article"] == ["article"]


def test_broken_feed_falls_back_to_autodiscovery(site, tmp_path: Path) -> None:
    records = crawl(tmp_path, [source("fallback", site.base, [f"{site.base}/badfeed.xml"])])
    kinds = [r["kind"] for r in records]
    assert "article" in kinds  # found through the homepage's <link rel="alternate">
    assert [r["stage"] for r in records if r["kind"] == "error" and r["url"].endswith("/badfeed.xml")] == ["feed"]
    assert sum(1 for _, p, _ in site.requests if p == "/") == 1  # autodiscovery tried once per source


def test_unchanged_feed_costs_one_304(site, tmp_path: Path) -> None:
    site.etags["/feed.xml"] = '"v1"'
    feed = f"{site.base}/feed.xml"
    first = crawl(tmp_path, [source("good", site.base, [feed])])
    states = [r for r in first if r["kind"] == "feed_state"]
    assert [(s["url"], s["etag"]) for s in states] == [(feed, '"v1"')]
    site.requests.clear()
    second = crawl(tmp_path, [source("good", site.base, [feed])],
                   feed_state={feed: {"etag": '"v1"', "last_modified": None}})
    assert [r for r in second if r["kind"] == "feed"] == [
        {"kind": "feed", "source": "good", "url": feed, "items": 0, "new": 0, "not_modified": True}]
    assert [p for _, p, _ in site.requests if p != "/robots.txt"] == ["/feed.xml"]


def test_oversized_pages_bombs_and_offsite_redirects_are_refused(local_server, tmp_path: Path) -> None:
    import gzip

    base = local_server.base
    local_server.routes.update({
        "/robots.txt": (200, "text/plain", b"User-agent: *\nAllow: /\n"),
        "/feed.xml": (200, "application/rss+xml", rss(base, ["/huge.html", "/bomb.html", "/away.html", "/ok.html"])),
        "/huge.html": (200, "text/html", b"<html><body>" + b"x" * (11 * 1024 * 1024) + b"</body></html>"),
        "/bomb.html": (200, "text/html", gzip.compress(b"<html>" + b"\0" * (64 * 1024 * 1024))),
        "/away.html": (302, "text/html", b""),
        "/ok.html": (200, "text/html; charset=windows-1252", PAGE.read_bytes()),
    })
    local_server.headers["/bomb.html"] = {"Content-Encoding": "gzip"}
    local_server.headers["/away.html"] = {"Location": "http://elsewhere.example/article.html"}
    records = crawl(tmp_path, [source("mixed", base, [f"{base}/feed.xml"])])
    outcome = {r["url"].removeprefix(base): (r["kind"], r.get("reason", "")) for r in records if r["kind"] != "feed"}
    assert outcome["/ok.html"][0] == "article"  # the good page survives its bad neighbours
    assert outcome["/huge.html"][0] == "error" and "max size" in outcome["/huge.html"][1]
    assert "exceeded DOWNLOAD_MAXSIZE" in outcome["/bomb.html"][1]  # decompression stopped at 10 MB
    refused = [r for r in records if r["url"] == "http://elsewhere.example/article.html"]
    assert [r["reason"] for r in refused] == ["ignored: redirect to another domain (elsewhere.example)"]


def test_redirect_rules() -> None:
    from crawlers.middlewares import redirect_refusal

    assert redirect_refusal("https://www.heise.de/a", "https://heise.de/b", ["heise.de"]) is None
    assert redirect_refusal("https://www.heise.de/a", "http://169.254.169.254/latest", ["heise.de"]) == \
        "redirect to a private address (169.254.169.254)"
    assert redirect_refusal("https://www.heise.de/a", "http://localhost:8080/admin", ["heise.de"]).startswith(
        "redirect to a private address")
    assert redirect_refusal("https://www.heise.de/a", "https://evil.example/x", ["heise.de"]) == \
        "redirect to another domain (evil.example)"


def test_backfill_walks_sitemap_index_since_a_date(local_server, tmp_path: Path) -> None:
    import gzip

    base = local_server.base
    page = PAGE.read_bytes()
    urlset = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{base}/neu.html</loc><lastmod>2026-11-20</lastmod></url>"
        f"<url><loc>{base}/alt.html</loc><lastmod>2026-09-01</lastmod></url></urlset>"
    ).encode()
    local_server.routes.update({
        "/robots.txt": (200, "text/plain", b"User-agent: *\nAllow: /\n"),
        "/sitemap.xml": (200, "application/xml", (
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/s-nov.xml.gz</loc><lastmod>2026-11-23</lastmod></sitemap>"
            f"<sitemap><loc>{base}/s-2024.xml</loc><lastmod>2024-12-31</lastmod></sitemap></sitemapindex>"
        ).encode()),
        "/s-nov.xml.gz": (200, "application/x-gzip", gzip.compress(urlset)),
        "/neu.html": (200, "text/html; charset=windows-1252", page),
        "/alt.html": (200, "text/html; charset=windows-1252", page),
    })
    src = source("archiv", base, [f"{base}/feed-unused.xml"], sitemaps=[f"{base}/sitemap.xml"])
    records = crawl(tmp_path, [src], since=date(2026, 11, 1))
    assert [r["url"] for r in records if r["kind"] == "article"] == [f"{base}/neu.html"]
    fetched = {p for _, p, _ in local_server.requests}
    assert "/s-2024.xml" not in fetched and "/alt.html" not in fetched and "/feed-unused.xml" not in fetched


def test_no_feed_anywhere_falls_back_to_the_news_sitemap(local_server, tmp_path: Path) -> None:
    """Feed 500, no feed announced on the homepage: the sitemap's recent articles are read."""
    from datetime import timedelta

    base = local_server.base
    today, old = date.today().isoformat(), (date.today() - timedelta(days=30)).isoformat()
    local_server.routes.update({
        "/robots.txt": (200, "text/plain", b"User-agent: *\nAllow: /\n"),
        "/feed.xml": (500, "text/html", b"oops"),
        "/": (200, "text/html", b"<html><head><title>Startseite</title></head><body>kein Feed</body></html>"),
        "/news-sitemap.xml": (200, "application/xml", (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{base}/heute.html</loc><lastmod>{today}</lastmod></url>"
            f"<url><loc>{base}/alt.html</loc><lastmod>{old}</lastmod></url></urlset>").encode()),
        "/heute.html": (200, "text/html; charset=windows-1252", PAGE.read_bytes()),
        "/alt.html": (200, "text/html; charset=windows-1252", PAGE.read_bytes()),
    })
    src = source("ohnefeed", base, [f"{base}/feed.xml"], sitemaps=[f"{base}/news-sitemap.xml"])
    records = crawl(tmp_path, [src])
    assert [r["url"] for r in records if r["kind"] == "article"] == [f"{base}/heute.html"]
    assert {r["stage"] for r in records if r["kind"] == "error"} == {"feed", "autodiscovery"}
    assert "/alt.html" not in {p for _, p, _ in local_server.requests}


def test_robots_crawl_delay_is_honoured(local_server, tmp_path: Path) -> None:
    base = local_server.base
    page = PAGE.read_bytes()
    paths = [f"/a{i}.html" for i in range(3)]
    local_server.routes.update({
        "/robots.txt": (200, "text/plain", b"User-agent: *\nCrawl-delay: 1\n"),
        "/feed.xml": (200, "application/rss+xml", rss(base, paths)),
        **{p: (200, "text/html; charset=windows-1252", page.replace(b"Werkbank", p.encode())) for p in paths},
    })
    records = crawl(tmp_path, [source("langsam", base, [f"{base}/feed.xml"])])
    assert sum(r["kind"] == "article" for r in records) == 3
    arrivals = [t for (_, p, _), t in zip(local_server.requests, local_server.times) if p in paths]
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:])]
    assert len(gaps) == 2 and min(gaps) >= 0.9


def test_page_lying_about_its_charset_is_decoded_right(local_server, tmp_path: Path) -> None:
    base = local_server.base
    page = (Path(__file__).parent / "pages" / "ruhrblick_pflegeroboter.html").read_bytes()  # UTF-8 bytes
    local_server.routes.update({
        "/robots.txt": (200, "text/plain", b"User-agent: *\nAllow: /\n"),
        "/feed.xml": (200, "application/rss+xml", rss(base, ["/luege.html"])),
        "/luege.html": (200, "text/html; charset=iso-8859-1", page),  # the header lies
    })
    records = crawl(tmp_path, [source("luege", base, [f"{base}/feed.xml"])])
    article = next(r for r in records if r["kind"] == "article")
    assert "Ã" not in article["text"] and any(ch in article["text"] for ch in "äöüß")


def test_registry_overrides_reach_the_crawl(local_server, tmp_path: Path) -> None:
    base = local_server.base
    local_server.routes.update({
        "/robots.txt": (200, "text/plain", b"User-agent: *\nAllow: /\n"),
        "/feed.xml": (200, "application/rss+xml", rss(base, ["/deichwerk.html"])),
        "/deichwerk.html": (200, "text/html; charset=utf-8",
                            (Path(__file__).parent / "pages" / "wattenblatt_override.html").read_bytes()),
    })
    src = source("watt", base, [f"{base}/feed.xml"], drop=["div.deichwerk-promo"], title_from="h1")
    article = next(r for r in crawl(tmp_path, [src]) if r["kind"] == "article")
    assert "Vorteilsprogramm" not in article["text"] and article["title"].startswith("Deichwerk Energie")


def test_site_overrides_reach_a_source_on_their_domains() -> None:
    """A user who adds a Funke paper as a source gets the registry's [[site]] rules for it."""
    waz = source_from_entry({"name": "waz", "homepage": "https://www.waz.de/", "feeds": ["https://www.waz.de/rss"]})
    other = source_from_entry({"name": "blog", "homepage": "https://blog.example/", "feeds": ["https://blog.example/feed"],
                               "drop": [".promo"]})
    rules = rules_by_source([waz, other], load_sites())
    assert rules["waz"].title_from == "headline"
    assert rules["blog"].drop == (".promo",) and rules["blog"].title_from is None


def test_the_job_file_carries_everything_the_spider_reads(tmp_path: Path) -> None:
    """Written by the flow, read back in the subprocess: the same job, rules included."""
    waz = source_from_entry({"name": "waz", "homepage": "https://www.waz.de/", "feeds": ["https://www.waz.de/rss"]})
    job = CrawlJob(sources=(waz,), output=tmp_path / "out.jsonl", rules=rules_by_source([waz], load_sites()),
                   known_urls=frozenset({"https://www.waz.de/a"}), feed_state={"https://www.waz.de/rss": {"etag": '"1"'}},
                   since=date(2026, 11, 1), raw_dir=tmp_path / "raw", max_articles_per_source=7,
                   settings=CrawlSettings(download_delay=0.0, log_file=str(tmp_path / "crawl.log")))
    job.write(tmp_path / "job.json")
    assert CrawlJob.read(tmp_path / "job.json") == job
    assert job.rules_for("unknown").title_from is None  # no rules in the job: none applied, no registry read
