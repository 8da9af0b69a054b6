"""Turning one article page into an :class:`Article`.

trafilatura finds the body text; page metadata (JSON-LD, Open Graph, <meta>) is more exact
for title, authors, date and paywall, so both are read and the better field wins. The lead
(teaser) is kept apart from the body because stance statements in teasers are repeated in
the text and would otherwise be counted twice.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import lxml.html
import trafilatura
from w3lib.encoding import html_to_unicode

from crawlers.urls import canonicalize, same_site


class ExtractionError(ValueError):
    """A page that yields no article (not HTML, empty, a bot challenge ...)."""


@dataclass
class Article:
    """An extracted article: the DESIGN contract of `weckruf extract --json`, plus its hash."""

    url: str
    canonical_url: str
    title: str | None
    lead: str | None
    text: str
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    language: str | None = None
    paywalled: bool = False
    source: str | None = None
    content_hash: str = ""

    def as_contract(self) -> dict[str, Any]:
        """The JSON object `weckruf extract --json` prints (no internal fields)."""
        data = asdict(self)
        data.pop("content_hash")
        return data


_STOPWORDS = {
    "de": {"der", "die", "und", "das", "nicht", "ist", "mit", "sich", "auf", "für", "ein", "eine", "auch", "wird", "bei", "von", "dem", "den"},
    "en": {"the", "and", "is", "of", "to", "in", "that", "for", "with", "on", "are", "was", "this", "be", "by"},
    "fr": {"le", "la", "les", "et", "des", "est", "une", "pour", "dans", "que", "qui", "sur", "pas", "du"},
    "es": {"el", "la", "los", "las", "y", "es", "una", "para", "que", "por", "con", "del", "se", "no"},
}
_WORD = re.compile(r"[a-zäöüßàâçéèêëîïôûùœñáíóú]+")


def detect_language(text: str) -> str | None:
    """Guess de/en/fr/es by stop-word share; None when too little text to tell."""
    words = _WORD.findall(text.lower()[:5000])
    if len(words) < 8:
        return None
    counts = {lang: sum(w in stops for w in words) for lang, stops in _STOPWORDS.items()}
    lang, hits = max(counts.items(), key=lambda kv: kv[1])
    return lang if hits / len(words) >= 0.05 else None


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode page bytes by BOM, HTTP header, <meta charset> and finally byte statistics."""
    _, text = html_to_unicode(content_type, body)
    return text


def _json_ld_objects(tree: lxml.html.HtmlElement) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "")
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


def _is_article(obj: dict[str, Any]) -> bool:
    kinds = obj.get("@type", [])
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and k.endswith("Article") for k in kinds)


def _meta(tree: lxml.html.HtmlElement, *names: str) -> str | None:
    for name in names:
        for value in tree.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content'):
            if value.strip():
                return value.strip()
    return None


def _person_names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            names.append(name.strip())
    return names


@dataclass
class PageMeta:
    """What the page declares about itself, independent of the text extractor."""

    title: str | None = None
    site_name: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    canonical: str | None = None
    paywalled: bool = False
    html_lang: str | None = None


def read_page_meta(tree: lxml.html.HtmlElement) -> PageMeta:
    """Collect JSON-LD NewsArticle fields first, then Open Graph and plain <meta>."""
    meta = PageMeta()
    article = next((o for o in _json_ld_objects(tree) if _is_article(o)), {})
    meta.title = (article.get("headline") or _meta(tree, "og:title", "twitter:title") or None)
    meta.site_name = _meta(tree, "og:site_name", "application-name")
    meta.description = _meta(tree, "og:description", "description", "twitter:description")
    meta.authors = _person_names(article.get("author")) or [
        a.strip() for a in (_meta(tree, "author", "article:author") or "").split(",") if a.strip()
    ]
    meta.published = article.get("datePublished") or _meta(tree, "article:published_time", "date", "pubdate")
    canonical = tree.xpath('//link[@rel="canonical"]/@href') or tree.xpath('//meta[@property="og:url"]/@content')
    meta.canonical = canonical[0].strip() if canonical else None
    free = article.get("isAccessibleForFree")
    meta.paywalled = str(free).lower() in ("false", "0", "no")
    lang = tree.xpath("/html/@lang")
    meta.html_lang = lang[0].split("-")[0].lower() if lang else None
    return meta


def strip_site_suffix(title: str, site_name: str | None) -> str:
    """"Nordlicht streicht Stellen | KI-Netz" → "Nordlicht streicht Stellen".

    Only a last segment that names the site (or, without a known site name, a short one)
    is removed, so a headline with a dash in it stays whole.
    """
    match = re.match(r"^(.*\S)\s+[|–—-]\s+([^|–—]+)$", title.strip())
    if not match:
        return title.strip()
    head, tail = match.groups()
    site = (site_name or "").lower()
    names_site = bool(site) and (site in tail.lower() or tail.lower().strip() in site)
    return head if names_site or (not site and len(tail) <= 30) else title.strip()


def drop_heading(text: str, title: str | None) -> str:
    """Remove the headline when the extractor repeated it as the body's first line."""
    first, _, rest = text.partition("\n")
    if title and " ".join(first.split()) == " ".join(title.split()):
        return rest.lstrip("\n")
    return text


def split_lead(text: str, lead: str | None) -> tuple[str | None, str]:
    """Remove the teaser from the start of the body when the extractor kept it there."""
    if not lead:
        return None, text
    lead = " ".join(lead.split())
    first, _, rest = text.partition("\n")
    first_norm = " ".join(first.split())
    if first_norm == lead or (len(first_norm) > 40 and lead.startswith(first_norm[:80])):
        return lead, rest.lstrip("\n")
    return lead, text


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


def content_hash(text: str) -> str:
    """Hash of the whitespace-normalised body: equal texts at different URLs are one article."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def extract(html: str | bytes, url: str, source: str | None = None) -> Article:
    """Extract one article page. Raises :class:`ExtractionError` when there is no article."""
    if isinstance(html, bytes):
        html = decode_html(html)
    if "<" not in html[:2048]:
        raise ExtractionError("not an HTML page")
    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise ExtractionError(f"unparseable HTML: {exc}") from exc
    meta = read_page_meta(tree)
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, favor_precision=True, include_comments=False,
        include_tables=False, include_images=False,
    )
    text = (doc.text if doc is not None else "") or ""
    if len(text.strip()) < 80:
        raise ExtractionError("no article text found (too short: not an article, or a bot/consent wall)")
    raw_title = meta.title or (doc.title if doc else None)
    title = strip_site_suffix(raw_title, meta.site_name or (doc.sitename if doc else None)) if raw_title else None
    lead, body = split_lead(drop_heading(text, title), meta.description or (doc.description if doc else None))
    if not body.strip():  # the "teaser" was the whole text: keep it as the body
        lead, body = None, text
    authors = meta.authors or [a.strip() for a in ((doc.author if doc else "") or "").split(";") if a.strip()]
    canonical = meta.canonical if meta.canonical and same_site(meta.canonical, url) else url
    return Article(
        url=url,
        canonical_url=canonicalize(canonical),
        title=title,
        lead=lead,
        text=body,
        authors=authors,
        published=normalise_date(meta.published or (doc.date if doc else None)),
        language=detect_language(body) or meta.html_lang,
        paywalled=meta.paywalled,
        source=source,
        content_hash=content_hash(body),
    )
