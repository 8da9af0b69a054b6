"""Offline demo world for ``weckruf demo``: fictional German tech-news outlets on 127.0.0.1.

Why this exists: the daily pipeline (Scrapy crawl, trafilatura extraction, sentence
classification, DuckDB, job-cut alerts) needs input that is reproducible, works without
internet access and contains no publisher's text. Every outlet lives in its own folder
next to this module (``outlet.toml``, two ``string.Template`` files, ``robots.txt`` and one
TOML file per article); nothing here is finished HTML, so the pages differ per outlet only
where real sites differ: layout, class names, URL scheme and feed format.

``render()`` is the whole site as a pure function; ``DemoServer`` puts it behind an HTTP
forward proxy so the real crawler can fetch ``http://<outlet>.example/...`` unchanged by
pointing ``http_proxy`` at it.
"""

from __future__ import annotations

import hashlib
import json
import string
import threading
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from functools import cache
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "CATEGORIES",
    "NOTICE",
    "OUTLETS",
    "Article",
    "Comment",
    "DemoServer",
    "InfoPage",
    "NavItem",
    "Outlet",
    "blocked_feed_urls",
    "expected_articles",
    "load_outlets",
    "render",
    "sources_toml",
]

NOTICE = (
    "Fiktives Demo-Medium des Projekts weckruf – "
    "alle Firmen, Personen und Zahlen sind erfunden"
)
CATEGORIES = frozenset({"ai_job_cut", "optimistic", "neutral", "job_cut_no_ai", "unrelated"})

_ROOT = Path(__file__).parent
_MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)
_HTML = "text/html; charset=utf-8"
_TEXT = "text/plain; charset=utf-8"
_XML = "application/xml; charset=utf-8"
_SVG = "image/svg+xml; charset=utf-8"
_FEED_TYPES = MappingProxyType({
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
})
_ATOM_NS = "http://www.w3.org/2005/Atom"
_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_FRAGMENTS = ("nav_item", "listing", "teaser", "info", "related_item", "comment")


@dataclass(frozen=True)
class Comment:
    """A reader comment: kept apart from the article so extraction can be tested on it."""

    author: str
    posted: datetime
    text: str


@dataclass(frozen=True)
class Article:
    """One article page; ``category``/``employer``/``jobs`` are ground truth for tests only."""

    stem: str
    path: str
    title: str
    lead: str
    authors: tuple[str, ...]
    published: datetime
    section: str
    body: tuple[str, ...]
    caption: str
    related: tuple[str, ...]
    comments: tuple[Comment, ...]
    category: str
    employer: str | None
    jobs: int | None


@dataclass(frozen=True)
class NavItem:
    """A navigation entry; with a ``section`` it is also a listing page of that section."""

    label: str
    path: str
    section: str | None


@dataclass(frozen=True)
class InfoPage:
    """A static page such as the imprint, linked from every footer."""

    path: str
    title: str
    text: str


@dataclass(frozen=True)
class Outlet:
    """A fictional outlet: its configuration, templates and articles.

    ``internal`` holds pages that exist and are listed in the feed but sit below a path
    the outlet's robots.txt disallows, so a polite crawler must never fetch them.
    """

    slug: str
    name: str
    domain: str
    description: str
    feed_kind: str
    feed_path: str
    title_suffix: str
    image_prefix: str
    accent: str
    json_ld: bool
    nav: tuple[NavItem, ...]
    info_pages: tuple[InfoPage, ...]
    fragments: Mapping[str, string.Template]
    page: string.Template
    article_page: string.Template
    robots: str
    articles: tuple[Article, ...]
    internal: tuple[Article, ...]

    @property
    def base_url(self) -> str:
        """Origin of the outlet; plain http because the demo proxy does not speak TLS."""
        return f"http://{self.domain}"

    @property
    def registrable_domain(self) -> str:
        """The domain without ``www.``, as Scrapy's ``allowed_domains`` expects it."""
        return self.domain.removeprefix("www.")

    def url(self, path: str) -> str:
        """Absolute URL of a path on this outlet."""
        return self.base_url + path

    def image_path(self, article: Article) -> str:
        """Path of the article's (generated) picture."""
        return f"{self.image_prefix}{article.stem}.svg"


# --------------------------------------------------------------------------- loading


def _read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _article(path: Path) -> Article:
    data = _read_toml(path)
    return Article(
        stem=path.stem,
        path=data["path"],
        title=data["title"],
        lead=data["lead"],
        authors=tuple(data["authors"]),
        published=data["published"],
        section=data["section"],
        body=tuple(data["body"]),
        caption=data["caption"],
        related=tuple(data.get("related", ())),
        comments=tuple(Comment(**c) for c in data.get("comments", ())),
        category=data["category"],
        employer=data.get("employer"),
        jobs=data.get("jobs"),
    )


def _articles(folder: Path) -> tuple[Article, ...]:
    """Articles of a folder, newest first (the order feeds and homepages use)."""
    found = (_article(p) for p in folder.glob("*.toml")) if folder.is_dir() else ()
    return tuple(sorted(found, key=lambda a: a.published, reverse=True))


def _outlet(folder: Path) -> Outlet:
    config = _read_toml(folder / "outlet.toml")
    return Outlet(
        slug=folder.name,
        name=config["name"],
        domain=config["domain"],
        description=config["description"],
        feed_kind=config["feed_kind"],
        feed_path=config["feed_path"],
        title_suffix=config["title_suffix"],
        image_prefix=config["image_prefix"],
        accent=config["accent"],
        json_ld=config.get("json_ld", False),
        nav=tuple(NavItem(n["label"], n["path"], n.get("section")) for n in config["nav"]),
        info_pages=tuple(InfoPage(**p) for p in config["info_pages"]),
        fragments=MappingProxyType(
            {name: string.Template(config["fragments"][name]) for name in _FRAGMENTS}
        ),
        page=string.Template((folder / "page.html").read_text(encoding="utf-8")),
        article_page=string.Template((folder / "article.html").read_text(encoding="utf-8")),
        robots=(folder / "robots.txt").read_text(encoding="utf-8"),
        articles=_articles(folder / "articles"),
        internal=_articles(folder / "intern"),
    )


def load_outlets(root: Path = _ROOT) -> tuple[Outlet, ...]:
    """Read every outlet folder (one with an ``outlet.toml``) below ``root``."""
    return tuple(_outlet(p.parent) for p in sorted(root.glob("*/outlet.toml")))


OUTLETS: tuple[Outlet, ...] = load_outlets()
_BY_HOST: Mapping[str, Outlet] = MappingProxyType({o.domain: o for o in OUTLETS})


# --------------------------------------------------------------------------- formatting


def _date_long(moment: datetime) -> str:
    """German long date as news sites print it: ``12. November 2026, 09:41 Uhr``."""
    return f"{moment.day}. {_MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M} Uhr"


def _date_short(moment: datetime) -> str:
    return f"{moment:%d.%m.%Y, %H:%M}"


def _byline(authors: Iterable[str]) -> str:
    """``A``, ``A und B``, ``A, B und C``."""
    names = list(authors)
    return " und ".join(filter(None, (", ".join(names[:-1]), names[-1])))


def _json_ld(outlet: Outlet, article: Article) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.lead,
        "datePublished": article.published.isoformat(),
        "author": [{"@type": "Person", "name": name} for name in article.authors],
        "publisher": {"@type": "Organization", "name": outlet.name},
        "mainEntityOfPage": outlet.url(article.path),
        "isAccessibleForFree": True,
    }
    # "</" inside a script element would end it early; "<\/" is the same JSON string.
    payload = json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{payload}\n</script>'


def _head(outlet: Outlet, title: str, description: str, path: str,
          article: Article | None = None) -> str:
    """Everything in ``<head>`` that real CMSs generate alike: title, canonical, OG, feed."""
    url = escape(outlet.url(path))
    tags = [
        f"<title>{escape(title + outlet.title_suffix)}</title>",
        f'<meta name="description" content="{escape(description)}">',
        f'<link rel="canonical" href="{url}">',
        f'<link rel="alternate" type="{_FEED_TYPES[outlet.feed_kind]}" '
        f'title="{escape(outlet.name)}" href="{escape(outlet.url(outlet.feed_path))}">',
        f'<meta property="og:title" content="{escape(title)}">',
        f'<meta property="og:description" content="{escape(description)}">',
        f'<meta property="og:url" content="{url}">',
        f'<meta property="og:type" content="{"article" if article else "website"}">',
        f'<meta property="og:site_name" content="{escape(outlet.name)}">',
        '<meta property="og:locale" content="de_DE">',
    ]
    if article is not None:
        tags += [
            f'<meta property="og:image" content="{escape(outlet.url(outlet.image_path(article)))}">',
            f'<meta name="author" content="{escape(", ".join(article.authors))}">',
            f'<meta property="article:published_time" content="{article.published.isoformat()}">',
            f'<meta property="article:section" content="{escape(article.section)}">',
        ]
        if outlet.json_ld:
            tags.append(_json_ld(outlet, article))
    return "\n    ".join(tags)


def _page(outlet: Outlet, head: str, main: str) -> bytes:
    nav = "".join(
        outlet.fragments["nav_item"].substitute(href=escape(n.path), label=escape(n.label))
        for n in outlet.nav
    )
    return outlet.page.substitute(head=head, nav=nav, main=main, notice=escape(NOTICE)).encode()


def _listing_page(outlet: Outlet, path: str, heading: str,
                  articles: Iterable[Article]) -> bytes:
    """Homepage and section pages: a stream of teasers, newest first."""
    teasers = "\n".join(
        outlet.fragments["teaser"].substitute(
            href=escape(a.path),
            title=escape(a.title),
            lead=escape(a.lead),
            section=escape(a.section),
            date_short=_date_short(a.published),
            published_iso=a.published.isoformat(),
        )
        for a in articles
    )
    main = outlet.fragments["listing"].substitute(heading=escape(heading), teasers=teasers)
    return _page(outlet, _head(outlet, heading, outlet.description, path), main)


def _info_page(outlet: Outlet, path: str, title: str, text: str) -> bytes:
    main = outlet.fragments["info"].substitute(title=escape(title), text=escape(text))
    return _page(outlet, _head(outlet, title, text, path), main)


def _article_page(outlet: Outlet, article: Article, titles: Mapping[str, str]) -> bytes:
    """Full article page; ``titles`` maps the outlet's paths to titles for related links."""
    fragments = outlet.fragments
    main = outlet.article_page.substitute(
        section=escape(article.section),
        title=escape(article.title),
        lead=escape(article.lead),
        byline=escape(_byline(article.authors)),
        date_long=_date_long(article.published),
        date_short=_date_short(article.published),
        published_iso=article.published.isoformat(),
        image=escape(outlet.image_path(article)),
        caption=escape(article.caption),
        body="\n".join(f"<p>{escape(paragraph)}</p>" for paragraph in article.body),
        related="\n".join(
            fragments["related_item"].substitute(href=escape(p), title=escape(titles[p]))
            for p in article.related
        ),
        comments="\n".join(
            fragments["comment"].substitute(
                author=escape(c.author),
                date_short=_date_short(c.posted),
                posted_iso=c.posted.isoformat(),
                text=escape(c.text),
            )
            for c in article.comments
        ),
        comment_count=str(len(article.comments)),
    )
    head = _head(outlet, article.title, article.lead, article.path, article)
    return _page(outlet, head, main)


def _placeholder_image(outlet: Outlet, article: Article) -> bytes:
    """A symbolic picture, so the ``<img>`` of every article resolves offline."""
    label = escape(f"{outlet.name} – Symbolbild: {article.section}")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675" '
        'viewBox="0 0 1200 675">'
        f'<rect width="1200" height="675" fill="{escape(outlet.accent)}"/>'
        f'<text x="600" y="350" font-family="sans-serif" font-size="44" fill="#ffffff" '
        f'text-anchor="middle">{label}</text></svg>'
    ).encode()


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _text_child(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    child = ET.SubElement(parent, tag, attrs)
    child.text = text
    return child


def _feed_entries(outlet: Outlet) -> list[Article]:
    """What the feed lists: public and robots-disallowed pages alike, newest first."""
    return sorted(outlet.articles + outlet.internal, key=lambda a: a.published, reverse=True)


def _rss(outlet: Outlet) -> bytes:
    """RSS 2.0 with RFC-822 dates and absolute links."""
    entries = _feed_entries(outlet)
    rss = ET.Element("rss", version="2.0")
    channel = ET.SubElement(rss, "channel")
    _text_child(channel, "title", outlet.name)
    _text_child(channel, "link", outlet.url("/"))
    _text_child(channel, "description", outlet.description)
    _text_child(channel, "language", "de-de")
    _text_child(channel, "lastBuildDate", format_datetime(entries[0].published))
    for article in entries:
        item = ET.SubElement(channel, "item")
        _text_child(item, "title", article.title)
        _text_child(item, "link", outlet.url(article.path))
        _text_child(item, "guid", outlet.url(article.path), isPermaLink="true")
        _text_child(item, "pubDate", format_datetime(article.published))
        _text_child(item, "category", article.section)
        _text_child(item, "description", article.lead)
    return _xml(rss)


def _atom(outlet: Outlet) -> bytes:
    """Atom 1.0; the namespace is declared as a plain ``xmlns`` so tags stay unprefixed."""
    entries = _feed_entries(outlet)
    feed = ET.Element("feed", {"xmlns": _ATOM_NS, "xml:lang": "de"})
    _text_child(feed, "title", outlet.name)
    _text_child(feed, "subtitle", outlet.description)
    _text_child(feed, "id", outlet.url("/"))
    _text_child(feed, "updated", entries[0].published.isoformat())
    ET.SubElement(feed, "link", rel="self", href=outlet.url(outlet.feed_path))
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=outlet.url("/"))
    for article in entries:
        entry = ET.SubElement(feed, "entry")
        _text_child(entry, "title", article.title)
        ET.SubElement(entry, "link", rel="alternate", type="text/html",
                      href=outlet.url(article.path))
        _text_child(entry, "id", outlet.url(article.path))
        _text_child(entry, "published", article.published.isoformat())
        _text_child(entry, "updated", article.published.isoformat())
        for name in article.authors:
            _text_child(ET.SubElement(entry, "author"), "name", name)
        ET.SubElement(entry, "category", term=article.section)
        _text_child(entry, "summary", article.lead, type="text")
    return _xml(feed)


def _sitemap(outlet: Outlet) -> bytes:
    """Public pages only: the sitemap, unlike the feed, never names ``/intern/``."""
    urlset = ET.Element("urlset", xmlns=_SITEMAP_NS)
    for article in outlet.articles:
        url = ET.SubElement(urlset, "url")
        _text_child(url, "loc", outlet.url(article.path))
        _text_child(url, "lastmod", article.published.isoformat())
    return _xml(urlset)


# --------------------------------------------------------------------------- routing


@cache
def _site(domain: str) -> Mapping[str, tuple[str, bytes]]:
    """Every page of one outlet, rendered once: path -> (content type, body)."""
    outlet = _BY_HOST[domain]
    everything = outlet.articles + outlet.internal
    titles = {a.path: a.title for a in everything}
    feed = _rss(outlet) if outlet.feed_kind == "rss" else _atom(outlet)
    pages: dict[str, tuple[str, bytes]] = {
        "/robots.txt": (_TEXT, outlet.robots.encode()),
        "/sitemap.xml": (_XML, _sitemap(outlet)),
        outlet.feed_path: (f"{_FEED_TYPES[outlet.feed_kind]}; charset=utf-8", feed),
        "/": (_HTML, _listing_page(outlet, "/", "Startseite", outlet.articles)),
    }
    for item in outlet.nav:
        if item.section is not None:
            in_section = (a for a in outlet.articles if a.section == item.section)
            pages[item.path] = (_HTML, _listing_page(outlet, item.path, item.label, in_section))
    for info in outlet.info_pages:
        pages[info.path] = (_HTML, _info_page(outlet, info.path, info.title, info.text))
    for article in everything:
        pages[article.path] = (_HTML, _article_page(outlet, article, titles))
        pages[outlet.image_path(article)] = (_SVG, _placeholder_image(outlet, article))
    return MappingProxyType(pages)


def _hostname(host: str) -> str:
    """``WWW.Kinetz.example:80`` -> ``www.kinetz.example``."""
    return urlsplit(f"//{host}").hostname or ""


def render(host: str, path: str) -> tuple[int, str, bytes]:
    """Answer one GET for ``http://<host><path>``: (status, content type, body).

    Pure and deterministic: the same arguments always give the same bytes. Query
    strings (``?utm_source=rss``) are ignored, as most news CMSs do. Hosts that are not
    demo outlets get a 502, because a proxy that cannot reach an origin says so.
    """
    domain = _hostname(host)
    outlet = _BY_HOST.get(domain)
    if outlet is None:
        known = ", ".join(sorted(_BY_HOST))
        message = (f"weckruf-Demo-Proxy: unbekannter Host {host!r}. "
                   f"Bedient werden nur die fiktiven Demo-Medien: {known}\n")
        return 502, _TEXT, message.encode()
    hit = _site(domain).get(urlsplit(path).path or "/")
    if hit is None:
        text = "Die angeforderte Seite gibt es auf diesem Demo-Medium nicht."
        return 404, _HTML, _info_page(outlet, path, "Seite nicht gefunden", text)
    return 200, *hit


# --------------------------------------------------------------------------- server


class _ProxyRequestHandler(BaseHTTPRequestHandler):
    """Serves ``render()`` to clients that use this server as their HTTP proxy."""

    server_version = "weckruf-demo/1.0"
    protocol_version = "HTTP/1.1"

    def _target(self) -> tuple[str, str]:
        """Host and path from an absolute-form request line, else from the Host header."""
        target = urlsplit(self.path)
        if target.scheme and target.netloc:
            return target.netloc, target.path or "/"
        return self.headers.get("Host", ""), target.path or "/"

    def _respond(self, with_body: bool) -> None:
        host, path = self._target()
        status, content_type, body = render(host, path)
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"' if status == 200 else None
        if etag and self.headers.get("If-None-Match") == etag:
            status, body = 304, b""  # conditional GET, as real feed servers answer it
        self.server.request_log.append((f"http://{host}{path}", status))  # type: ignore[attr-defined]
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - name fixed by BaseHTTPRequestHandler
        self._respond(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802 - name fixed by BaseHTTPRequestHandler
        self._respond(with_body=False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Silent: a demo crawl makes hundreds of requests and stderr is for real problems."""


class DemoServer:
    """Forward proxy for the demo outlets on 127.0.0.1, on a free port, in a daemon thread.

    Use it as a context manager and give ``proxy_url`` to the crawler as ``http_proxy``;
    the crawler then requests ``http://www.kinetz.example/...`` exactly as in production.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._address = (host, port)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.requests: list[tuple[str, int]] = []  # (url, status) of every request served, in order

    @property
    def proxy_url(self) -> str:
        """``http://127.0.0.1:<port>``, the value for the crawler's ``http_proxy``."""
        if self._httpd is None:
            raise RuntimeError("DemoServer is not running; use it in a with-block")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> DemoServer:
        self._httpd = ThreadingHTTPServer(self._address, _ProxyRequestHandler)
        self._httpd.daemon_threads = True
        self._httpd.request_log = self.requests  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="weckruf-demo-proxy", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None,
                 exc: BaseException | None, traceback: TracebackType | None) -> None:
        if self._httpd is not None and self._thread is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join()
        self._httpd = None
        self._thread = None


# --------------------------------------------------------------------------- registry & truth


def _toml_string(value: str) -> str:
    """A TOML basic string; JSON's escapes are a subset of TOML's."""
    return json.dumps(value, ensure_ascii=False)


def _source_entry(outlet: Outlet) -> str:
    return "\n".join((
        "[[source]]",
        f"name = {_toml_string(outlet.slug)}",
        f"title = {_toml_string(outlet.name)}",
        f"homepage = {_toml_string(outlet.url('/'))}",
        f"feeds = [{_toml_string(outlet.url(outlet.feed_path))}]",
        f"sitemaps = [{_toml_string(outlet.url('/sitemap.xml'))}]",
        f"allowed_domains = [{_toml_string(outlet.registrable_domain)}]",
        "enabled = true",
    ))


def sources_toml() -> str:
    """Crawler registry entries for the demo outlets, in the format of ``sources.toml``."""
    return "\n\n".join(_source_entry(o) for o in OUTLETS) + "\n"


def expected_articles() -> list[dict[str, Any]]:
    """Ground truth per public article, for pipeline tests: what a crawl should find."""
    return [
        {
            "source": outlet.slug,
            "url": outlet.url(article.path),
            "title": article.title,
            "published": article.published.isoformat(),
            "category": article.category,
            "employer": article.employer,
            "jobs": article.jobs,
        }
        for outlet in OUTLETS
        for article in outlet.articles
    ]


def blocked_feed_urls() -> list[str]:
    """Feed links below a robots-disallowed path: a crawl must never fetch these."""
    return [outlet.url(a.path) for outlet in OUTLETS for a in outlet.internal]
