"""Offline tests of the bundled demo world (crawlers/demo_site): content, HTML, feeds, proxy."""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from html import escape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import pytest

from crawlers.demo_site import (
    CATEGORIES,
    NOTICE,
    OUTLETS,
    DemoServer,
    Outlet,
    blocked_feed_urls,
    expected_articles,
    render,
    sources,
)
from crawlers.sources import source_from_entry

ATOM = "{http://www.w3.org/2005/Atom}"
FIRST_DAY = datetime.fromisoformat("2026-11-09T00:00:00+01:00")
LAST_DAY = datetime.fromisoformat("2026-11-23T23:59:59+01:00")
TARGET_MIX = {"ai_job_cut": 0.25, "optimistic": 0.20, "neutral": 0.20,
              "job_cut_no_ai": 0.15, "unrelated": 0.20}
JOB_CUTS = {"ai_job_cut", "job_cut_no_ai"}
PLACEHOLDER = re.compile(r"\$\{?[A-Za-z_]")
SENTENCE_BREAK = re.compile(r"[.!?“«]\s+(?=[A-ZÄÖÜ„»])")

by_outlet = pytest.mark.parametrize("outlet", OUTLETS, ids=lambda o: o.slug)


class _PageParser(HTMLParser):
    """Collects what the tests look at: local links, meta tags, classes, comments."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.meta: dict[str, str] = {}
        self.classes: set[str] = set()
        self.html_comments: list[str] = []
        self.feed_links: list[str] = []
        self.json_ld: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.classes.update(a.get("class", "").split())
        if (tag == "a" and "href" in a) or tag == "img":
            self.links.append(a.get("href") or a.get("src", ""))
        if tag == "meta" and "content" in a:
            self.meta[a.get("property") or a.get("name", "")] = a["content"]
        if tag == "link" and a.get("rel") == "alternate":
            self.feed_links.append(a["href"])
        self._in_json_ld = tag == "script" and a.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self.json_ld.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._in_json_ld = False

    def handle_comment(self, data: str) -> None:
        self.html_comments.append(data)


def parse(body: bytes) -> _PageParser:
    parser = _PageParser()
    parser.feed(body.decode("utf-8"))
    return parser


def get(outlet: Outlet, path: str) -> tuple[int, str, bytes]:
    return render(outlet.domain, path)


def feed_links(outlet: Outlet) -> list[tuple[str, datetime]]:
    """(link, date) of every feed item, in feed order, checking the mandatory fields."""
    status, content_type, body = get(outlet, outlet.feed_path)
    assert status == 200 and "charset=utf-8" in content_type
    root = ET.fromstring(body)
    if outlet.feed_kind == "rss":
        assert root.tag == "rss" and root.get("version") == "2.0"
        items = root.findall("./channel/item")
        for item in items:
            assert all(item.findtext(t) for t in ("title", "link", "guid", "pubDate", "description"))
        return [(i.findtext("link"), parsedate_to_datetime(i.findtext("pubDate"))) for i in items]
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        assert all(entry.findtext(f"{ATOM}{t}") for t in ("title", "id", "updated", "summary"))
    return [(e.find(f"{ATOM}link").get("href"),
             datetime.fromisoformat(e.findtext(f"{ATOM}updated"))) for e in entries]


# --------------------------------------------------------------------------- outlets & content


def test_at_least_three_fictional_outlets_with_both_feed_kinds() -> None:
    assert len(OUTLETS) >= 3
    assert {o.feed_kind for o in OUTLETS} == {"rss", "atom"}
    for outlet in OUTLETS:
        assert outlet.domain.endswith(".example")
    assert len({o.domain for o in OUTLETS}) == len(OUTLETS)


def test_outlets_look_different() -> None:
    """Each outlet has its own templates and CSS vocabulary, as real sites do."""
    class_sets = []
    for outlet in OUTLETS:
        article = outlet.articles[0]
        class_sets.append(parse(get(outlet, article.path)[2]).classes)
    for i, first in enumerate(class_sets):
        for second in class_sets[i + 1:]:
            assert len(first & second) / len(first | second) < 0.25


@by_outlet
def test_articles_are_complete(outlet: Outlet) -> None:
    assert 10 <= len(outlet.articles) <= 14
    for article in outlet.articles:
        assert article.category in CATEGORIES
        assert FIRST_DAY <= article.published <= LAST_DAY
        assert article.published.utcoffset() is not None
        assert 4 <= len(article.body) <= 8
        assert 2 <= len(article.comments) <= 3
        assert SENTENCE_BREAK.search(article.lead), f"lead needs two sentences: {article.path}"
        assert article.caption and article.authors and article.related
        if article.category in JOB_CUTS:
            assert article.employer and isinstance(article.jobs, int) and article.jobs > 0
        else:
            assert article.employer is None and article.jobs is None
    assert len({a.path for a in outlet.articles}) == len(outlet.articles)


def test_category_mix() -> None:
    counts = Counter(a["category"] for a in expected_articles())
    total = sum(counts.values())
    for category, share in TARGET_MIX.items():
        assert abs(counts[category] / total - share) <= 0.06, (category, counts)


def test_at_least_two_ai_cuts_are_reported_by_several_outlets() -> None:
    reports: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for article in expected_articles():
        if article["category"] == "ai_job_cut":
            reports[(article["employer"], article["jobs"])].append(article)
    shared = {key: arts for key, arts in reports.items()
              if len({a["source"] for a in arts}) >= 2}
    assert len(shared) >= 2
    for arts in shared.values():
        assert len({a["title"] for a in arts}) == len(arts), "same wording across outlets"


# --------------------------------------------------------------------------- rendering


@by_outlet
def test_robots_txt(outlet: Outlet) -> None:
    status, content_type, body = get(outlet, "/robots.txt")
    assert status == 200 and content_type.startswith("text/plain")
    text = body.decode()
    assert "User-agent: *" in text and "Disallow: /intern/" in text
    assert f"Sitemap: {outlet.url('/sitemap.xml')}" in text
    assert "crawl-delay" not in text.lower()
    robots = RobotFileParser()
    robots.parse(text.splitlines())
    assert all(robots.can_fetch("weckruf", outlet.url(a.path)) for a in outlet.articles)
    assert not robots.can_fetch("weckruf", outlet.url("/intern/irgendwas.html"))


@by_outlet
def test_feed_lists_articles_newest_first_and_every_link_renders(outlet: Outlet) -> None:
    items = feed_links(outlet)
    dates = [date for _, date in items]
    assert dates == sorted(dates, reverse=True)
    assert len(items) == len(outlet.articles) + len(outlet.internal)
    for link, _ in items:
        parts = urlsplit(link)
        assert parts.scheme == "http" and parts.netloc == outlet.domain
        status, content_type, _ = render(parts.netloc, parts.path)
        assert status == 200 and content_type == "text/html; charset=utf-8"


@by_outlet
def test_homepage_lists_public_articles_and_advertises_the_feed(outlet: Outlet) -> None:
    status, _, body = get(outlet, "/")
    assert status == 200
    page = parse(body)
    assert outlet.url(outlet.feed_path) in page.feed_links
    assert b'type="application/rss+xml"' in body or b'type="application/atom+xml"' in body
    for article in outlet.articles:
        assert article.path in page.links
    assert not any(link.startswith("/intern/") for link in page.links)


@by_outlet
def test_unknown_path_is_a_small_404_page(outlet: Outlet) -> None:
    status, content_type, body = get(outlet, "/gibt/es/nicht.html")
    assert status == 404 and content_type.startswith("text/html")
    assert "Seite nicht gefunden" in body.decode()


def test_unknown_host_is_a_502_with_a_clear_message() -> None:
    status, _, body = render("www.echte-zeitung.de", "/")
    assert status == 502 and b"unbekannter Host" in body


@by_outlet
def test_article_pages_are_realistic(outlet: Outlet) -> None:
    for article in outlet.articles:
        status, content_type, body = get(outlet, article.path)
        assert status == 200 and content_type == "text/html; charset=utf-8"
        text = body.decode()
        page = parse(body)
        assert not PLACEHOLDER.search(text), article.path
        assert '<html lang="de"' in text and '<meta charset="utf-8">' in text
        assert re.search(rf"<title>[^<]+{re.escape(outlet.title_suffix.strip())}</title>", text)
        assert f'<link rel="canonical" href="{outlet.url(article.path)}">' in text
        assert page.meta["og:url"] == outlet.url(article.path)
        assert page.meta["og:type"] == "article"
        assert page.meta["og:site_name"] == outlet.name
        assert {"og:title", "og:description", "author", "article:published_time"} <= page.meta.keys()
        assert "Wir verwenden Cookies" in text
        assert "<figcaption" in text and ("Lesen Sie auch" in text or "Mehr zum Thema" in text)
        assert "newsletter" in text.lower() and "Impressum" in text
        assert NOTICE in text and any(NOTICE in c for c in page.html_comments)
        for paragraph in (article.lead, *article.body, *(c.text for c in article.comments)):
            assert f">{escape(paragraph)}<" in text


def test_some_outlet_has_news_article_json_ld() -> None:
    found = []
    for outlet in OUTLETS:
        page = parse(get(outlet, outlet.articles[0].path)[2])
        found += [json.loads(block) for block in page.json_ld]
    assert found
    for data in found:
        assert data["@type"] == "NewsArticle"
        assert {"headline", "datePublished", "author", "isAccessibleForFree"} <= data.keys()


@by_outlet
def test_every_local_link_and_image_resolves(outlet: Outlet) -> None:
    """Crawl the outlet from its homepage: navigation, teasers, related boxes, footers."""
    seen, queue = set(), ["/"]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        status, content_type, body = get(outlet, path)
        assert status == 200, f"{outlet.domain}{path}"
        if content_type.startswith("text/html"):
            for link in parse(body).links:
                target = urlsplit(urljoin(outlet.url(path), link))
                if target.netloc == outlet.domain and target.path:
                    queue.append(target.path)
    assert {a.path for a in outlet.articles} <= seen
    assert not any(p.startswith("/intern/") for p in seen)


def test_render_is_pure_and_ignores_query_and_port() -> None:
    outlet = OUTLETS[0]
    path = outlet.articles[0].path
    assert render(outlet.domain, path) == render(outlet.domain.upper() + ":80", path + "?utm_source=rss")


# --------------------------------------------------------------------------- registry & truth


def test_every_outlet_is_a_crawl_source() -> None:
    demo_sources = sources()
    assert [s.name for s in demo_sources] == [o.slug for o in OUTLETS]
    for source, outlet in zip(demo_sources, OUTLETS):
        assert source == source_from_entry(source.as_dict())  # a valid registry entry
        assert source.title == outlet.name and source.enabled is True
        assert outlet.domain.endswith(source.allowed_domains[0])
        for url in (source.homepage, *source.feeds, *source.sitemaps):
            parts = urlsplit(url)
            assert render(parts.netloc, parts.path)[0] == 200


def test_expected_articles_match_the_served_pages() -> None:
    expected = expected_articles()
    assert len(expected) == sum(len(o.articles) for o in OUTLETS)
    for article in expected:
        parts = urlsplit(article["url"])
        status, _, body = render(parts.netloc, parts.path)
        assert status == 200
        assert set(article) >= {"url", "title", "category", "employer", "jobs"}
        assert parse(body).meta["og:title"] == article["title"]


def test_robots_disallowed_item_is_in_a_feed_but_nowhere_else() -> None:
    blocked = blocked_feed_urls()
    assert blocked
    expected_urls = {a["url"] for a in expected_articles()}
    all_feed_links = {link for o in OUTLETS for link, _ in feed_links(o)}
    for url in blocked:
        parts = urlsplit(url)
        assert parts.path.startswith("/intern/")
        assert url in all_feed_links and url not in expected_urls
        assert render(parts.netloc, parts.path)[0] == 200
        robots = RobotFileParser()
        robots.parse(render(parts.netloc, "/robots.txt")[2].decode().splitlines())
        assert not robots.can_fetch("weckruf", url)
        assert parts.path.encode() not in render(parts.netloc, "/sitemap.xml")[2]


# --------------------------------------------------------------------------- proxy server


@pytest.fixture()
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[DemoServer]:
    for name in ("no_proxy", "NO_PROXY"):  # urllib would bypass the proxy for listed hosts
        monkeypatch.delenv(name, raising=False)
    with DemoServer() as running:
        yield running


def _opener(server: DemoServer) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.ProxyHandler({"http": server.proxy_url}))


def test_proxy_serves_absolute_form_requests(server: DemoServer) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.proxy_url)
    opener = _opener(server)
    for outlet in OUTLETS:
        with opener.open(outlet.url(outlet.feed_path), timeout=10) as response:
            assert response.status == 200
            assert response.read() == get(outlet, outlet.feed_path)[2]


def test_proxy_head_and_errors(server: DemoServer) -> None:
    opener = _opener(server)
    outlet = OUTLETS[0]
    head = urllib.request.Request(outlet.url("/"), method="HEAD")
    with opener.open(head, timeout=10) as response:
        assert response.status == 200 and response.read() == b""
        assert int(response.headers["Content-Length"]) == len(get(outlet, "/")[2])
    with pytest.raises(urllib.error.HTTPError) as not_found:
        opener.open(outlet.url("/fehlt"), timeout=10)
    assert not_found.value.code == 404
    with pytest.raises(urllib.error.HTTPError) as bad_gateway:
        opener.open("http://www.echte-zeitung.de/", timeout=10)
    assert bad_gateway.value.code == 502


def test_proxy_falls_back_to_host_header(server: DemoServer) -> None:
    outlet = OUTLETS[-1]
    address = urlsplit(server.proxy_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request("GET", "/robots.txt", headers={"Host": outlet.domain})
        response = connection.getresponse()
        assert response.status == 200 and response.read() == outlet.robots.encode()
    finally:
        connection.close()


def test_server_needs_the_with_block_and_stops_cleanly() -> None:
    demo = DemoServer()
    with pytest.raises(RuntimeError):
        demo.proxy_url
    with demo:
        address = urlsplit(demo.proxy_url)
    with pytest.raises(OSError):
        http.client.HTTPConnection(address.hostname, address.port, timeout=2).connect()
