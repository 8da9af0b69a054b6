"""What a page declares about itself (JSON-LD, Open Graph, <meta>, <time>): titles, site
names, description, authors, date, canonical URL, paywall, language; independent of the
text extractor."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html

from crawlers.extract.text import clean_inline
from crawlers.urls import registered_domain

MAX_NAME_WORDS = 6  # an "author" longer than this is a role description, not a name


def _json_ld_objects(tree: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "", strict=False)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                objects.append(item)
                stack.extend(v for k, v in item.items() if k == "@graph" and isinstance(v, list))
            elif isinstance(item, list):
                stack.extend(item)
    return objects


def _types(obj: dict[str, Any]) -> list[str]:
    kinds = obj.get("@type", [])
    return [k for k in (kinds if isinstance(kinds, list) else [kinds]) if isinstance(k, str)]


def _is_article(obj: dict[str, Any]) -> bool:
    return any(k.endswith("Article") for k in _types(obj))


def _meta(tree: lxml.html.HtmlElement, *names: str) -> str | None:
    for name in names:
        for value in tree.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content'):
            if value.strip():
                return value.strip()
    return None


def _person_names(value: Any, by_id: dict[str, dict[str, Any]]) -> list[str]:
    """Names in a JSON-LD author value: a string, a Person/Organization, a reference to one
    elsewhere in the @graph ({"@id": ...}), or (nested) lists of those."""
    stack = [value]
    names = []
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack[:0] = item
            continue
        if isinstance(item, dict) and set(item) <= {"@id", "@type"} and item.get("@id") in by_id:
            item = by_id[item["@id"]]
        if isinstance(item, dict):
            name = item.get("name") or " ".join(
                p for p in (item.get("givenName"), item.get("familyName")) if isinstance(p, str))
        else:
            name = item
        if isinstance(name, str) and name.strip():
            names.append(name)
    return names


_AUTHOR_PREFIX = re.compile(
    r"^(?:(?:ein(?:e)?\s+)?(?:kommentar|gastbeitrag|analyse|interview|essay|kolumne)\s+)?"
    r"(?:von|by|autor(?:in)?(?:/autor(?:in)?)?|text)\s*:?\s+", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\s&\s|\sund\s|\sand\s)\s*")
_INITIALS_SUFFIX = re.compile(r"\s*\([\w.\s]{1,12}\)$")


def clean_author_names(raw: list[str]) -> list[str]:
    """Person names from author fields: "Von A und B" → [A, B], "Elena Muster (emu)" → "Elena
    Muster"; e-mail addresses, URLs and long role descriptions are not names."""
    names: list[str] = []
    for value in raw:
        for part in _AUTHOR_SPLIT.split(clean_inline(value)):
            name = _INITIALS_SUFFIX.sub("", _AUTHOR_PREFIX.sub("", part)).strip(" .,;:")
            if not name or "@" in name or "://" in name or len(name.split()) > MAX_NAME_WORDS:
                continue
            if name not in names:
                names.append(name)
    return names


@dataclass
class PageMeta:
    """What the page declares about itself, independent of the text extractor."""

    titles: dict[str, str] = field(default_factory=dict)
    site_names: list[str] = field(default_factory=list)
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    canonical: str | None = None
    paywalled: bool = False
    html_lang: str | None = None


def _header_time(tree: lxml.html.HtmlElement) -> str | None:
    """The first <time datetime> of the article or page header, not one inside a link
    (those date the teasers of other articles)."""
    for time in tree.xpath("(//article//time | //header//time)[@datetime]"):
        if not any(a.tag == "a" for a in time.iterancestors()):
            return time.get("datetime")
    return None


_DOTTED_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


def _date_in_title(*titles: str | None) -> str | None:
    """A dd.mm.yyyy date that the page writes into its own <title>/og:title."""
    for title in titles:
        match = _DOTTED_DATE.search(title or "")
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return datetime(year, month, day).date().isoformat()
            except ValueError:
                continue
    return None


def _parts(article: dict[str, Any]) -> list[dict[str, Any]]:
    """The article's JSON-LD ``hasPart`` objects: where Google's paywall markup puts
    ``isAccessibleForFree: false`` for the paid section of a page."""
    parts = article.get("hasPart", [])
    return [p for p in (parts if isinstance(parts, list) else [parts]) if isinstance(p, dict)]


def _declared_paid(obj: dict[str, Any]) -> bool:
    """Whether a JSON-LD object says it is not free (false, "False", "no" ...)."""
    return str(obj.get("isAccessibleForFree")).lower() in ("false", "0", "no")


def read_page_meta(tree: lxml.html.HtmlElement, url: str = "") -> PageMeta:
    """Collect JSON-LD NewsArticle fields first, then Open Graph, plain <meta> and the page."""
    meta = PageMeta()
    objects = _json_ld_objects(tree)
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str) and len(o) > 1}
    article = next((o for o in objects if _is_article(o)), {})
    h1 = next((t for t in (clean_inline(h.text_content()) for h in tree.xpath("//h1")) if t), None)
    page_title = tree.findtext(".//title")
    headline = article.get("headline") if isinstance(article.get("headline"), str) else None
    titles = {"og:title": _meta(tree, "og:title"), "headline": headline, "h1": h1,
              "twitter:title": _meta(tree, "twitter:title"), "title": page_title}
    meta.titles = {name: clean_inline(value) for name, value in titles.items() if value and value.strip()}
    publisher = article.get("publisher")
    host = urlsplit(url).hostname or ""
    meta.site_names = [clean_inline(n) for n in (
        _meta(tree, "og:site_name", "application-name"),
        publisher.get("name") if isinstance(publisher, dict) else None,
        registered_domain(host) if host else None) if isinstance(n, str) and n.strip()]
    meta.description = _meta(tree, "og:description", "description", "twitter:description")
    ld_authors = _person_names(article.get("author"), by_id)
    meta.authors = clean_author_names(ld_authors or [_meta(tree, "author", "article:author") or ""])
    meta.published = (article.get("datePublished") or _meta(tree, "article:published_time", "date", "pubdate")
                      or _header_time(tree) or _date_in_title(page_title, _meta(tree, "og:title")))
    canonical = tree.xpath('//link[@rel="canonical"]/@href') or tree.xpath('//meta[@property="og:url"]/@content')
    meta.canonical = urljoin(url, canonical[0].strip()) if canonical else None
    meta.paywalled = any(map(_declared_paid, [article, *_parts(article)]))
    lang = tree.xpath("/html/@lang")
    meta.html_lang = lang[0].split("-")[0].lower() if lang else None
    return meta


def normalise_date(value: str | None) -> str | None:
    """ISO-8601 or None; keeps the time and offset when the page gives them."""
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError:
        match = re.match(r"\d{4}-\d{2}-\d{2}", value)
        return match.group(0) if match else None
