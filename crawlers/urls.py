"""URL normalisation: one article, one canonical URL, however the outlet linked it.

Feeds and social links append tracking parameters, vary host case and trailing slashes; the
warehouse is keyed on the canonical form so that the same article is never stored twice.
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "wt_mc", "wt_zmc", "wt.mc_id",
    "cmpid", "ref", "ref_src", "xing_share", "ns_campaign", "ns_mchannel", "ns_source",
    "icid", "igshid", "yclid", "_ga", "sara_ref", "hootpostid",
})
TRACKING_PREFIXES = ("utm_", "pk_", "at_", "wt_", "mtm_")
DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonicalize(url: str) -> str:
    """Lower-case scheme and host, drop default ports, fragments, tracking parameters and a
    trailing slash; keep the remaining query parameters in a stable order."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k))
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def article_id(canonical_url: str) -> str:
    """An article's stable id, made where the article is first seen (the crawl): the first 16
    hex digits of the SHA-256 of its canonical URL. It keys the warehouse row and names the
    raw page's file, so the same article never gets two of either."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:16]


def registered_domain(host: str) -> str:
    """The last two labels of a host ("www.heise.de" → "heise.de"); enough for same-site checks."""
    labels = host.lower().rstrip(".").split(".")
    return ".".join(labels[-2:])


def same_site(url: str, other: str) -> bool:
    """Whether two URLs belong to the same outlet, so a page's canonical link can be trusted."""
    return registered_domain(urlsplit(url).hostname or "") == registered_domain(urlsplit(other).hostname or "")


def host_allowed(url: str, allowed_domains: list[str]) -> bool:
    """Whether a link stays on one of the source's domains (subdomains included)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in allowed_domains)
