"""The headline of a page from its title fields, without the outlet's name around it."""

from __future__ import annotations

import re

from crawlers.extract.text import match_key

TITLE_FIELDS = ("og:title", "headline", "h1", "twitter:title", "title")
SITE_SEGMENT_MAX_CHARS = 30  # without a known site name, a last segment this short is taken for one


_SEPARATOR = r"\s+[|–—·-]\s+"
_SEGMENT_AFTER = re.compile(_SEPARATOR + r"\S")
_SEGMENT_BEFORE = re.compile(r"\S" + _SEPARATOR + "$")


def _site_keys(site_names: list[str]) -> list[str]:
    keys = [match_key(n.removeprefix("www.")) for n in site_names]
    keys += [match_key(n.split(".")[0]) for n in site_names if "." in n]
    return [k for k in keys if len(k) >= 2]


def _names_site(segment: str, site_names: list[str], exactly: bool = False) -> bool:
    """Whether a title segment is the outlet's name ("ZEIT ONLINE", "SZ.de") or, unless
    `exactly`, contains it ("Panorama - derStandard.at"). Short names ("DW", "taz") must be a
    whole word, so "Landwirtschaft" does not name "DW"."""
    key = match_key(segment)
    words = {match_key(w) for w in re.split(r"[\s.·›/-]+", segment)}
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
    if match and not names and len(match[2]) <= SITE_SEGMENT_MAX_CHARS:
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
