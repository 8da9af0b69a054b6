"""The demo outlets' pages, feeds and sitemaps, rendered from their templates: ``render()``
answers one GET as a pure function, so tests and the proxy server see the same bytes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from datetime import datetime
from email.utils import format_datetime
from functools import cache
from html import escape
from types import MappingProxyType
from urllib.parse import urlsplit

from crawlers.demo_site.outlets import BY_HOST, NOTICE, DemoArticle, Outlet

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


def _date_long(moment: datetime) -> str:
    """German long date as news sites print it: ``12. November 2026, 09:41 Uhr``."""
    return f"{moment.day}. {_MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M} Uhr"


def _date_short(moment: datetime) -> str:
    return f"{moment:%d.%m.%Y, %H:%M}"


def _byline(authors: Iterable[str]) -> str:
    """``A``, ``A und B``, ``A, B und C``."""
    names = list(authors)
    return " und ".join(filter(None, (", ".join(names[:-1]), names[-1])))


def _json_ld(outlet: Outlet, article: DemoArticle) -> str:
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
          article: DemoArticle | None = None) -> str:
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
                  articles: Iterable[DemoArticle]) -> bytes:
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


def _article_page(outlet: Outlet, article: DemoArticle, titles: Mapping[str, str]) -> bytes:
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


def _placeholder_image(outlet: Outlet, article: DemoArticle) -> bytes:
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


def _feed_entries(outlet: Outlet) -> list[DemoArticle]:
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




@cache
def _site(domain: str) -> Mapping[str, tuple[str, bytes]]:
    """Every page of one outlet, rendered once: path -> (content type, body)."""
    outlet = BY_HOST[domain]
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
    outlet = BY_HOST.get(domain)
    if outlet is None:
        known = ", ".join(sorted(BY_HOST))
        message = (f"weckruf-Demo-Proxy: unbekannter Host {host!r}. "
                   f"Bedient werden nur die fiktiven Demo-Medien: {known}\n")
        return 502, _TEXT, message.encode()
    hit = _site(domain).get(urlsplit(path).path or "/")
    if hit is None:
        text = "Die angeforderte Seite gibt es auf diesem Demo-Medium nicht."
        return 404, _HTML, _info_page(outlet, path, "Seite nicht gefunden", text)
    return 200, *hit
