"""Turning one article page into an :class:`Article`.

trafilatura finds the body text; page metadata (JSON-LD, Open Graph, <meta>) is more exact
for title, authors, date and paywall, so both are read and the better field wins (meta.py,
title.py). The lead (teaser, with a key-points list that opens the text) is kept apart from
the body because stance statements in teasers are repeated in the text and would otherwise
be counted twice; section headings leave the body for the same reason. What trafilatura
keeps around the article is removed line by line afterwards (body.py). Per-site overrides
from the registry (:class:`SiteRules`) drop selectors before extraction, name the title
field a site fills reliably and the marker of its paid articles.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

import trafilatura

from crawlers.extract.body import (
    FIGURES,
    byline_authors,
    drop_boilerplate,
    heading_texts,
    paragraph_text,
    same_site_link_texts,
    section_headings,
    split_header,
    split_key_points,
)
from crawlers.extract.meta import clean_author_names, normalise_date, read_page_meta
from crawlers.extract.text import clean_inline, decode_html, detect_language
from crawlers.extract.title import choose_title, strip_site_suffix
from crawlers.urls import canonicalize, same_site

HTML_SNIFF_CHARS = 2048  # a page with no "<" this far in is not HTML
MIN_TEXT_CHARS = 80  # less body text than this: not an article, or a bot/consent wall


@dataclass(frozen=True)
class SiteRules:
    """Per-site overrides declared in the registry: only where a site really needs them.

    ``drop``: CSS selectors removed before extraction (a promo box the generic rules keep);
    ``title_from``: the title field this site fills reliably (one of TITLE_FIELDS);
    ``paywall``: CSS selectors of the site's paid-article marker (heise+, SPIEGEL+ ...), for
    pages that do not say so in JSON-LD.
    """

    drop: tuple[str, ...] = ()
    title_from: str | None = None
    paywall: tuple[str, ...] = ()


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
    headings: list[str] = field(default_factory=list)  # section headings, kept out of ``text``
    content_hash: str = ""

    def as_contract(self) -> dict[str, Any]:
        """The JSON object `weckruf extract --json` prints (no internal fields)."""
        data = asdict(self)
        data.pop("content_hash")
        return data


def content_hash(text: str) -> str:
    """Hash of the whitespace-normalised body: equal texts at different URLs are one article."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def extract(
    html: str | bytes, url: str, source: str | None = None, content_type: str | None = None,
    rules: SiteRules | None = None,
) -> Article:
    """Extract one article page. Raises :class:`ExtractionError` when there is no article.

    Give the raw bytes (and the HTTP Content-Type when there is one) rather than text
    decoded elsewhere, so that pages lying about their charset are decoded right.
    """
    if isinstance(html, bytes):
        html = decode_html(html, content_type)
    if "<" not in html[:HTML_SNIFF_CHARS]:
        raise ExtractionError("not an HTML page")
    tree = trafilatura.load_html(html)
    if tree is None:
        raise ExtractionError("unparseable HTML")
    rules = rules or SiteRules()
    marked_paid = any(tree.cssselect(selector) for selector in rules.paywall)
    for selector in rules.drop:
        for element in tree.cssselect(selector):
            element.drop_tree()
    meta = read_page_meta(tree, url)
    doc = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, favor_precision=True, include_comments=False,
        include_tables=False, include_images=False, prune_xpath=FIGURES,
    )
    text = paragraph_text(doc.body) if doc is not None and doc.body is not None else ""
    if len(text.strip()) < MIN_TEXT_CHARS:
        raise ExtractionError("no article text found (too short: not an article, or a bot/consent wall)")
    site_names = meta.site_names + ([doc.sitename] if doc and doc.sitename else [])
    titles = meta.titles or ({"extractor": clean_inline(doc.title)} if doc and doc.title else {})
    preferred = titles.get(rules.title_from or "")
    title = strip_site_suffix(preferred, site_names) if preferred else choose_title(titles, site_names)
    lead, body = split_header(text, [t for t in [title, *titles.values()] if t], meta.description
                              or (doc.description if doc else None))
    authors = (meta.authors or clean_author_names(((doc.author if doc else "") or "").split(";"))
               or byline_authors(text))
    lines, page_headings = body.split("\n"), heading_texts(tree)
    body = "\n".join(drop_boilerplate(lines, same_site_link_texts(tree, url), authors, page_headings))
    points, body = split_key_points(body)
    lead = "\n".join(filter(None, [lead, points])) or None
    if not body.strip():  # the "teaser" was the whole text: keep it as the body
        lead, body = None, text
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
        paywalled=meta.paywalled or marked_paid,
        source=source,
        headings=section_headings(lines, page_headings),
        content_hash=content_hash(body),
    )
