"""Turning one article page into an :class:`Article`.

trafilatura finds the body text; page metadata (JSON-LD, Open Graph, <meta>) is more exact
for title, authors, date and paywall, so both are read and the better field wins. The lead
(teaser, with a key-points list that opens the text) is kept apart from the body because
stance statements in teasers are repeated in the text and would otherwise be counted twice;
section headings leave the body for the same reason. What trafilatura keeps around the
article (headline and teaser repeated at the top, "Lesen Sie auch" links, newsletter and
paywall prompts, author boxes and credits at the end) is removed line by line afterwards.
Per-site overrides from the registry (:class:`SiteRules`) drop selectors before extraction,
name the title field a site fills reliably and the marker of its paid articles.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import os
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
import trafilatura
from trafilatura.xml import xmltotxt
from w3lib.encoding import html_to_unicode

from crawlers.urls import canonicalize, registered_domain, same_site


TITLE_FIELDS = ("og:title", "headline", "h1", "twitter:title", "title")


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
    """Decode page bytes by BOM, HTTP header, <meta charset> and finally byte statistics.

    Bytes that are valid UTF-8 and not plain ASCII are UTF-8 whatever the page declares:
    a Latin-1 text practically never forms valid multi-byte sequences, while CMSs often keep
    a stale "iso-8859-1" declaration on pages they now write as UTF-8 ("fÃ¼r" otherwise).
    """
    if not body.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if not text.isascii():
                return text.removeprefix("\ufeff")
    _, text = html_to_unicode(content_type, body)
    return text


def clean_inline(text: str) -> str:
    """One line of display text: entities decoded (some CMSs escape twice), invisible format
    characters (soft hyphens, zero-width spaces: layout hints, not text) dropped, whitespace
    collapsed."""
    text = html_lib.unescape(text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split())


# --- page metadata -------------------------------------------------------------------------


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
            if not name or "@" in name or "://" in name or len(name.split()) > 6:
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


# --- title ---------------------------------------------------------------------------------

_SEPARATOR = r"\s+[|–—·-]\s+"
_SEGMENT_AFTER = re.compile(_SEPARATOR + r"\S")
_SEGMENT_BEFORE = re.compile(r"\S" + _SEPARATOR + "$")


def _key(text: str) -> str:
    return re.sub(r"\W+", "", text.lower())


def _site_keys(site_names: list[str]) -> list[str]:
    keys = [_key(n.removeprefix("www.")) for n in site_names]
    keys += [_key(n.split(".")[0]) for n in site_names if "." in n]
    return [k for k in keys if len(k) >= 2]


def _names_site(segment: str, site_names: list[str], exactly: bool = False) -> bool:
    """Whether a title segment is the outlet's name ("ZEIT ONLINE", "SZ.de") or, unless
    `exactly`, contains it ("Panorama - derStandard.at"). Short names ("DW", "taz") must be a
    whole word, so "Landwirtschaft" does not name "DW"."""
    key = _key(segment)
    words = {_key(w) for w in re.split(r"[\s.·›/-]+", segment)}
    return len(key) >= 2 and any(
        (len(key) >= 3 and key in k) or key == k
        or (not exactly and (k in words or (len(k) >= 5 and k in key)))
        for k in _site_keys(site_names))


def strip_site_suffix(title: str, site_name: str | list[str] | None) -> str:
    """"Nordlicht streicht Stellen | KI-Netz" → "Nordlicht streicht Stellen", and the same
    for a prefix ("KI-Netz: Nordlicht streicht Stellen").

    Only a segment that names the site (or, without a known site name, a short last one) is
    removed, so a headline with a dash or colon in it stays whole.
    """
    names = [site_name] if isinstance(site_name, str) else [n for n in (site_name or []) if n]
    title = title.strip()
    while (match := re.match(r"^(.*\S)\s+[|–—·-]\s+([^|–—·]+)$", title)) and _names_site(match[2], names):
        title = match[1]
    if match and not names and len(match[2]) <= 30:
        title = match[1]
    match = re.match(r"^([^:|–—·]{2,40}?)(?::|\s+[|–—·-])\s+(\S.*)$", title)
    if match and names and _names_site(match.group(1), names, exactly=True):
        title = match.group(2)
    return title


def _carries_title(source: str, title: str) -> bool:
    """Whether a page's title field is `title` itself or `title` plus a site or section
    segment ("Titel | heise online", "Ressort - Titel")."""
    if source == title:
        return True
    if source.startswith(title):
        return bool(_SEGMENT_AFTER.match(source, len(title)))
    if source.endswith(title):
        return bool(_SEGMENT_BEFORE.search(source[: len(source) - len(title)]))
    return False


def choose_title(titles: dict[str, str], site_names: list[str]) -> str | None:
    """The headline of the page from its title fields (og:title, JSON-LD headline, <h1>,
    twitter:title, <title>, in that order of trust).

    og:title leads: it is the headline the publisher writes for sharing and the field most
    often present. The fields vote for every candidate they carry whole (alone or with a
    site/section segment), so og:title "Titel | DW | 28.04.2023" yields "Titel" when <h1> or
    twitter:title say just that; without og:title the most agreed field wins. A title that
    is only the site name never wins.
    """
    values = list(titles.values())
    pool = [c for c in dict.fromkeys(values) if not _names_site(c, site_names, exactly=True)]
    if not pool:
        return None
    leading = titles.get("og:title", "")

    def rank(candidate: str) -> tuple[bool, int, int]:
        votes = sum(_carries_title(source, candidate) for source in values)
        return _carries_title(leading, candidate), votes, -pool.index(candidate)

    return strip_site_suffix(max(pool, key=rank), site_names) or None


# --- body ------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.split())


# A line that is only a date and time ("Stand: 02.03.2026, 09:15 Uhr", "Freitag, 28.04.2023").
_DATELINE = re.compile(
    r"^(?:stand|aktualisiert|veröffentlicht|erschienen)?:?\s*(?:am\s+)?"
    r"(?:(?:mo|di|mi|do|fr|sa|so)[a-z]*\.?,?\s*)?"
    r"\d{1,2}\.\s*(?:\d{1,2}\.|[a-zäö]+\.?)\s*\d{2,4}"
    r"(?:,?\s*(?:um\s*)?\d{1,2}[:.]\d{2}(?:\s*uhr)?)?$",
    re.IGNORECASE)
# "Von Jana Muster und Till Beispiel": capitalised words only, so "Von Montag an …" is text.
_BYLINE = re.compile(r"^(?:[Vv]on|[Bb]y)\s+[A-ZÄÖÜ][\w.'-]+(?:\s+(?:und\s+)?[A-ZÄÖÜ][\w.'-]+,?){0,6}$")

# The heading of an author box ("Über den Autor", "Zur Person").
_BOX_HEADING = r"über (?:den|die) autor(?:in)?|zur person|autor(?:in)?|die autorin|der autor"
# Lines that are never article text, wherever they stand: ad labels, "Lesen Sie auch" and
# "Mehr zum Thema" intros, error-report, consent, newsletter, rating and paywall prompts,
# media widgets, agency credits. Anchored on the whole line, so a sentence that merely
# mentions a newsletter stays.
_ANYWHERE = re.compile(
    r"^(?:anzeige|werbung|- anzeige -|teilen|artikel (?:teilen|drucken|merken)|mehr infos"
    r"|(?:lesen|hören|sehen) sie (?:auch|hier|mehr|dazu)\b.{0,200}|mehr zum thema\b.{0,120}"
    r"|(?:das )?könnte (?:sie|dich) auch interessieren.{0,80}"
    r"|fehler gefunden\?.{0,60}|.{0,120}\bmelden sie (?:den|einen|uns) fehler\b.{0,80}"
    r"|.{0,200}\baffiliate-links?\b.{0,200}|empfohlener redaktioneller inhalt"
    r"|.{0,120}\bexterne[nr]? inhalt.{0,200}(?:angezeigt|anzeigen|einverstanden|laden|zustimm).{0,200}"
    r"|ich bin damit einverstanden.{0,400}|link zum [\w-]+-inhalt"
    r"|.{0,150}newsletter\b.{0,150}"
    r"(?:abonnieren|anmelden|anmeldung|bestellen|postfach|hier entlang|kostenlos).{0,80}"
    r"|wie hat ihnen (?:dieser|der) (?:artikel|beitrag) gefallen\?.{0,40}|durchschnittliche bewertung.{0,40}"
    r"|(?:\d+:\d+ min\.*\s*)?verfügbar bis \d.{0,20}"
    r"|(?:jetzt|hier) (?:weiterlesen|abonnieren|registrieren|abo abschließen).{0,120}"
    r"|(?:sie sind )?bereits (?:abonnent|abonniert).{0,120}"
    r"|mit (?:agentur)?material (?:von|der|des)\b.{0,80}|mit agenturmaterial\.?"
    rf"|{_BOX_HEADING})$",
    re.IGNORECASE)
# Headings after which only page furniture follows when they come near the end, and the
# author box as one line ("Der Autor ist Professor für …", "AUTOR ist Partner der Kanzlei …").
_TAIL_START = re.compile(
    rf"^(?:(?:{_BOX_HEADING})(?:\s+(?:ist|war|arbeitet|lebt|lehrt|forscht)\b.{{0,600}})?"
    r"|(?:weitere|mehr|aktuelle) (?:aktuelle )?(?:themen|artikel|beiträge|nachrichten|meldungen)\b.{0,60}"
    r"|siehe auch:?|beiträge aus dem forum|weiterführende links|interessante links|(?:unsere )?quellen?:"
    r"|.{0,60}braucht (?:deine|ihre) unterstützung.{0,80}|©.{0,80})$",
    re.IGNORECASE)
# Credit lines at the very end: "Redaktion: …", "Bild: …", "(dpa/lnw)", "© …", "MDR (A, B)".
_TRAILER = re.compile(
    r"^(?i:(?:sendung|redaktion|mitarbeit|quellen?|text|fotos?|faktencheck|[\w-]*bild)\s*:.{0,120}"
    r"|\((?:dpa|afp|reuters|epd|kna|ap|sid|red)[\w/,. ]{0,30}\)|.{0,60}©.{0,60})"
    r"|[A-ZÄÖÜ]{2,}[\w.-]*(?:\s[\w.-]+)?\s\([^()]{3,80}\)$")


def _teaser_relation(line: str, description: str) -> str | None:
    """How a leading body line relates to the meta description.

    "teaser": the line is the page's teaser, which the description repeats: whole (maybe
    after a place name, "Neuss · …"), with the same beginning, or in other words. "cut": the
    description is the line cut short, i.e. the site made it from the first paragraph,
    which is body text.
    """
    core = description.rstrip(" .…")
    position = line.find(core) if len(core) >= 40 else -1
    if line == description or 0 <= position <= 40 and len(line) - position - len(core) <= 20:
        return "teaser"
    if position >= 0:
        return "cut"
    if not 0.5 <= len(line) / len(description) <= 2:
        return None
    words, described = set(re.findall(r"\w+", line.lower())), set(re.findall(r"\w+", description.lower()))
    same_start = len(os.path.commonprefix([line, description])) >= 40
    return "teaser" if same_start or len(words & described) / len(words | described) >= 0.4 else None


def _is_header_line(line: str, headers: list[str]) -> bool:
    """A line of the page header that trafilatura took into the body: the headline (also
    with a kicker before it), a dateline, a byline, a breadcrumb or a media widget."""
    key = _key(line)
    for header in map(_key, headers):
        if (len(key) >= 6 and key in header) or (len(header) >= 16 and header in key
                                                    and len(key) - len(header) <= 60):
            return True
    words = line.split()
    return bool(_DATELINE.match(line) or _BYLINE.match(line) or _ANYWHERE.match(line)
                or (len(words) <= 3 and not line.endswith((".", "!", "?", ":", "“", '"'))))


def split_header(text: str, headers: list[str], description: str | None) -> tuple[str | None, str]:
    """Remove the page header (headline, kicker, dateline, byline, teaser) from the start
    of the body; return (lead, body).

    The lead is the page's own teaser when the body starts with it (the meta description is
    often shortened or worded differently), else the description; none when the
    description is just the first paragraph cut short, which then stays in the body.
    """
    lines = [_norm(line) for line in text.split("\n")]
    lead = _norm(description) if description else None
    teaser_seen = False
    start = 0
    while start < len(lines):
        relation = _teaser_relation(lines[start], lead) if lead and lines[start] and not teaser_seen else None
        if relation == "cut":
            lead = None
            break
        if relation == "teaser":
            lead, teaser_seen = lines[start], True
        elif lines[start] and not _is_header_line(lines[start], headers):
            break
        start += 1
    if start == len(lines):
        return lead, text  # no body after the "header": keep everything
    return lead, "\n".join(lines[start:])


def split_key_points(body: str) -> tuple[str, str]:
    """(key points, rest): a bullet list that opens the body before any paragraph is the
    article's summary box ("In Kürze", "Das Wichtigste"). It belongs to the teaser, as the
    lead does, since the text below repeats every point."""
    lines = body.split("\n")
    count = next((i for i, line in enumerate(lines) if not line.startswith("- ")), len(lines))
    if count == len(lines):  # a body that is only a list is the article itself
        return "", body
    return "\n".join(lines[:count]), "\n".join(lines[count:])


def byline_authors(text: str) -> list[str]:
    """Names from a "Von A und B" line among the first lines of the text, for pages that
    declare no author anywhere else."""
    line = next((_norm(first) for first in text.split("\n")[:8] if _BYLINE.match(_norm(first))), "")
    return clean_author_names([line]) if line else []


def same_site_link_texts(tree: lxml.html.HtmlElement, url: str) -> set[str]:
    """Texts of links to other pages of the same site: the teasers of "Lesen Sie auch" and
    "Mehr zum Thema" boxes. Links to other sites (sources, shops) are kept as text."""
    site = registered_domain(urlsplit(url).hostname or "")
    texts = set()
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        if "//" in href[:8] and registered_domain(urlsplit(href).hostname or "") != site:
            continue
        text = _norm(anchor.text_content())
        if len(text) >= 12:
            texts.add(text)
    return texts


def _is_link_line(line: str, link_texts: set[str]) -> bool:
    """Whether a line is mostly the text of links: a teaser of another article."""
    if len(line) > 300:
        return False
    covered = sum(len(t) for t in link_texts if len(t) <= len(line) and t in line)
    return covered >= 0.7 * len(line)


def heading_texts(tree: lxml.html.HtmlElement) -> frozenset[str]:
    """The page's section headings (<h2> to <h6>) as body lines read them. Taken from the
    page, not from trafilatura's <head> elements: it turns some headings into paragraphs."""
    return frozenset(_norm(h.text_content()) for h in tree.xpath("//h2|//h3|//h4|//h5|//h6"))


def section_headings(lines: list[str], headings: frozenset[str]) -> list[str]:
    """The article's own section headings, in order: those before the page furniture that
    are no widget titles. Kept beside the body, which leaves them out (see drop_boilerplate)."""
    return [line.strip() for line in lines[:_tail_start(lines)]
            if _norm(line) in headings and not _ANYWHERE.match(_norm(line))]


def drop_boilerplate(lines: list[str], link_texts: set[str], authors: list[str],
                     headings: frozenset[str]) -> list[str]:
    """Remove prompts and widgets anywhere, teasers of other articles (lines that are
    mostly the text of links to the same site), section headings, and what follows the last
    paragraph: "Weitere Themen" and source lists, the author's bio, credits.

    Headings go because they are no statements: they announce or sum up the paragraphs
    below, and the classifier would count their claim twice, as with the lead. They are
    removed only after they served to find where the page furniture starts.
    """
    kept = []
    for line in lines[:_tail_start(lines)]:
        bare = _norm(line).lstrip("-–•»› ")
        if bare and _norm(line) not in headings and not (
                _ANYWHERE.match(bare) or _DATELINE.match(bare) or _is_link_line(bare, link_texts)):
            kept.append(line)
    while len(kept) > 1 and _is_trailer(_norm(kept[-1]).lstrip("-–• "), authors):
        kept.pop()
    return kept


def _tail_start(lines: list[str]) -> int:
    """Where the page's furniture after the article begins: a heading like "Über den
    Autor" or "Weitere Themen" followed by little text (the same heading before more
    article text is a box inside it; only the heading goes then)."""
    total = sum(map(len, lines))
    remaining = total
    for index, line in enumerate(lines):
        remaining -= len(line)
        if _TAIL_START.match(_norm(line)) and remaining <= 0.15 * total:
            return index
    return len(lines)


def _is_trailer(line: str, authors: list[str]) -> bool:
    """A credit line ("Redaktion: …", "(dpa)", "MDR (A, B)") or the author's bio
    ("Jana Muster ist Korrespondentin …") at the end of the text."""
    head = line[:80]
    return bool(_TRAILER.match(line)) or any(
        name in head and re.search(rf"{re.escape(name)}\s+(?:ist|war|arbeitet|schreibt|berichtet)\b", head)
        for name in authors)


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


# Images with their captions and credits (also pull quotes, which repeat the text): trafilatura
# keeps a caption as a paragraph when it is not marked as one.
FIGURES = ["//figure", "//figcaption"]


_LINE_BREAK = re.compile(r"\s*\n\s*")


def paragraph_text(body: Any) -> str:
    """trafilatura's text with one line per paragraph. When its fallback extractors
    (readability, jusText) win, it keeps the page source's line breaks inside a paragraph,
    which would cut sentences apart downstream and hide a line-anchored prompt ("Die mit
    einem … gekennzeichneten Links sind Affiliate-Links …") from the boilerplate rules.
    Explicit breaks (<lb/>) stay."""
    for element in body.iter():
        if element.text:
            element.text = _LINE_BREAK.sub(" ", element.text)
        if element.tail:
            element.tail = _LINE_BREAK.sub(" ", element.tail)
    return "\n".join(line.strip() for line in xmltotxt(body, False).split("\n"))


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
    if "<" not in html[:2048]:
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
    if len(text.strip()) < 80:
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
