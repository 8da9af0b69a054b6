"""The article body from trafilatura's text: the page header (headline, kicker, dateline,
byline, teaser) split off as the lead, and the page furniture around the article removed
line by line (prompts and widgets anywhere, teasers of other articles, section headings,
what follows the last paragraph). The phrases that mark furniture are data, in
boilerplate.toml beside this file; the numbers that decide are named below.
"""

from __future__ import annotations

import os
import re
import tomllib
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from trafilatura.xml import xmltotxt

from crawlers.extract.meta import clean_author_names
from crawlers.extract.text import collapse, match_key
from crawlers.urls import registered_domain

# A leading body line and the meta description are the same teaser when one contains the
# other within a few characters, when they start alike, or when they share enough words.
TEASER_MIN_CHARS = 40  # a description shorter than this is too generic to be found in a line
TEASER_MAX_OFFSET = 40  # the description may start this far into the line (after a place name)
TEASER_MAX_OVERHANG = 20  # and the line may run on this far after it
TEASER_LENGTH_RATIO = (0.5, 2.0)  # otherwise, lengths within this ratio may be the same teaser
TEASER_SAME_START_CHARS = 40  # in other words but with the same first characters
TEASER_WORD_OVERLAP = 0.4  # or sharing this share of their words (Jaccard)
# A body line is part of the header when it holds a header text or sits inside one.
HEADER_KEY_MIN_CHARS = 6  # a line this long (letters only) found inside a header text
HEADER_MIN_CHARS = 16  # a header text this long found inside the line ...
HEADER_MAX_EXTRA_CHARS = 60  # ... with at most this much more around it
HEADER_MAX_WORDS = 3  # and short unpunctuated lines: kickers, breadcrumbs, widget labels
BYLINE_SEARCH_LINES = 8  # a "Von A und B" line is looked for among the first lines only
LINK_TEXT_MIN_CHARS = 12  # shorter link texts ("mehr", "Video") say nothing about a line
LINK_LINE_MAX_CHARS = 300  # a longer line is a paragraph, whatever it links
LINK_LINE_COVERAGE = 0.7  # a line this much covered by same-site link texts is a teaser
TAIL_MAX_SHARE = 0.15  # furniture headings only count in the last 15% of the text
BIO_SEARCH_CHARS = 80  # an author's bio names them at the start of the line

# A line that is only a date and time ("Stand: 02.03.2026, 09:15 Uhr", "Freitag, 28.04.2023").
_DATELINE = re.compile(
    r"^(?:stand|aktualisiert|veröffentlicht|erschienen)?:?\s*(?:am\s+)?"
    r"(?:(?:mo|di|mi|do|fr|sa|so)[a-z]*\.?,?\s*)?"
    r"\d{1,2}\.\s*(?:\d{1,2}\.|[a-zäö]+\.?)\s*\d{2,4}"
    r"(?:,?\s*(?:um\s*)?\d{1,2}[:.]\d{2}(?:\s*uhr)?)?$",
    re.IGNORECASE)
# "Von Jana Muster und Till Beispiel": capitalised words only, so "Von Montag an …" is text.
_BYLINE = re.compile(r"^(?:[Vv]on|[Bb]y)\s+[A-ZÄÖÜ][\w.'-]+(?:\s+(?:und\s+)?[A-ZÄÖÜ][\w.'-]+,?){0,6}$")


def _alternatives(patterns: list[str]) -> str:
    return "|".join(patterns)


def _load_boilerplate() -> dict[str, Any]:
    return tomllib.loads((resources.files("crawlers.extract") / "boilerplate.toml").read_text(encoding="utf-8"))


_PHRASES = _load_boilerplate()
_BOX_HEADING = _alternatives(_PHRASES["box_heading"])
_ANYWHERE = re.compile(rf"^(?:{_alternatives(_PHRASES['anywhere'])}|{_BOX_HEADING})$", re.IGNORECASE)
# a box heading alone, or the author box as one line ("Der Autor ist Professor für …")
_TAIL_START = re.compile(
    rf"^(?:(?:{_BOX_HEADING})(?:\s+(?:ist|war|arbeitet|lebt|lehrt|forscht)\b.{{0,600}})?"
    rf"|{_alternatives(_PHRASES['tail_start'])})$",
    re.IGNORECASE)
_TRAILER = re.compile(rf"^(?i:{_alternatives(_PHRASES['trailer'])})|{_PHRASES['trailer_capitals']}$")


def _teaser_relation(line: str, description: str) -> str | None:
    """How a leading body line relates to the meta description.

    "teaser": the line is the page's teaser, which the description repeats: whole (maybe
    after a place name, "Neuss · …"), with the same beginning, or in other words. "cut": the
    description is the line cut short, i.e. the site made it from the first paragraph,
    which is body text.
    """
    core = description.rstrip(" .…")
    position = line.find(core) if len(core) >= TEASER_MIN_CHARS else -1
    if line == description or 0 <= position <= TEASER_MAX_OFFSET and len(line) - position - len(core) <= TEASER_MAX_OVERHANG:
        return "teaser"
    if position >= 0:
        return "cut"
    if not TEASER_LENGTH_RATIO[0] <= len(line) / len(description) <= TEASER_LENGTH_RATIO[1]:
        return None
    words, described = set(re.findall(r"\w+", line.lower())), set(re.findall(r"\w+", description.lower()))
    same_start = len(os.path.commonprefix([line, description])) >= TEASER_SAME_START_CHARS
    return "teaser" if same_start or len(words & described) / len(words | described) >= TEASER_WORD_OVERLAP else None


def _is_header_line(line: str, headers: list[str]) -> bool:
    """A line of the page header that trafilatura took into the body: the headline (also
    with a kicker before it), a dateline, a byline, a breadcrumb or a media widget."""
    key = match_key(line)
    for header in map(match_key, headers):
        if (len(key) >= HEADER_KEY_MIN_CHARS and key in header) or (
                len(header) >= HEADER_MIN_CHARS and header in key and len(key) - len(header) <= HEADER_MAX_EXTRA_CHARS):
            return True
    words = line.split()
    return bool(_DATELINE.match(line) or _BYLINE.match(line) or _ANYWHERE.match(line)
                or (len(words) <= HEADER_MAX_WORDS and not line.endswith((".", "!", "?", ":", "“", '"'))))


def split_header(text: str, headers: list[str], description: str | None) -> tuple[str | None, str]:
    """Remove the page header (headline, kicker, dateline, byline, teaser) from the start
    of the body; return (lead, body).

    The lead is the page's own teaser when the body starts with it (the meta description is
    often shortened or worded differently), else the description; none when the
    description is just the first paragraph cut short, which then stays in the body.
    """
    lines = [collapse(line) for line in text.split("\n")]
    lead = collapse(description) if description else None
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
    line = next((collapse(first) for first in text.split("\n")[:BYLINE_SEARCH_LINES] if _BYLINE.match(collapse(first))), "")
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
        text = collapse(anchor.text_content())
        if len(text) >= LINK_TEXT_MIN_CHARS:
            texts.add(text)
    return texts


def _is_link_line(line: str, link_texts: set[str]) -> bool:
    """Whether a line is mostly the text of links: a teaser of another article."""
    if len(line) > LINK_LINE_MAX_CHARS:
        return False
    covered = sum(len(t) for t in link_texts if len(t) <= len(line) and t in line)
    return covered >= LINK_LINE_COVERAGE * len(line)


def heading_texts(tree: lxml.html.HtmlElement) -> frozenset[str]:
    """The page's section headings (<h2> to <h6>) as body lines read them. Taken from the
    page, not from trafilatura's <head> elements: it turns some headings into paragraphs."""
    return frozenset(collapse(h.text_content()) for h in tree.xpath("//h2|//h3|//h4|//h5|//h6"))


def section_headings(lines: list[str], headings: frozenset[str]) -> list[str]:
    """The article's own section headings, in order: those before the page furniture that
    are no widget titles. Kept beside the body, which leaves them out (see drop_boilerplate)."""
    return [line.strip() for line in lines[:_tail_start(lines)]
            if collapse(line) in headings and not _ANYWHERE.match(collapse(line))]


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
        bare = collapse(line).lstrip("-–•»› ")
        if bare and collapse(line) not in headings and not (
                _ANYWHERE.match(bare) or _DATELINE.match(bare) or _is_link_line(bare, link_texts)):
            kept.append(line)
    while len(kept) > 1 and _is_trailer(collapse(kept[-1]).lstrip("-–• "), authors):
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
        if _TAIL_START.match(collapse(line)) and remaining <= TAIL_MAX_SHARE * total:
            return index
    return len(lines)


def _is_trailer(line: str, authors: list[str]) -> bool:
    """A credit line ("Redaktion: …", "(dpa)", "MDR (A, B)") or the author's bio
    ("Jana Muster ist Korrespondentin …") at the end of the text."""
    head = line[:BIO_SEARCH_CHARS]
    return bool(_TRAILER.match(line)) or any(
        name in head and re.search(rf"{re.escape(name)}\s+(?:ist|war|arbeitet|schreibt|berichtet)\b", head)
        for name in authors)


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
