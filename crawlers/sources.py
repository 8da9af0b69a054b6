"""The declarative publisher registry.

Publishers are data, not code (as in fundus): one TOML entry per source with its feeds and
domains, and where a site needs it a small extraction override (``drop`` selectors,
``title_from``). Users enable, disable or add sources in weckruf.toml; nothing here needs editing.
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawlers.extraction import TITLE_FIELDS

DEFAULT_REGISTRY = "sources.toml"


class RegistryError(ValueError):
    """A registry entry a crawl cannot use; the message names the entry and the field."""


@dataclass(frozen=True)
class Source:
    name: str
    homepage: str
    title: str = ""
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    enabled: bool = True
    drop: tuple[str, ...] = ()  # extraction override: CSS selectors to remove
    title_from: str | None = None  # extraction override: og:title | headline | h1 | twitter:title | title

    def as_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}


def _domain_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def source_from_entry(entry: dict[str, Any]) -> Source:
    """Validate one registry entry and fill the derivable fields (title, allowed domains)."""
    known = {f.name for f in fields(Source)}
    unknown = set(entry) - known
    name = entry.get("name")
    if not name:
        raise RegistryError(f"registry entry without a name: {entry}")
    if unknown:
        raise RegistryError(f"source {name!r}: unknown field(s) {sorted(unknown)}")
    homepage = entry.get("homepage")
    if not homepage or not urlsplit(homepage).scheme.startswith("http"):
        raise RegistryError(f"source {name!r}: 'homepage' must be an http(s) URL")
    title_from = entry.get("title_from")
    if title_from is not None and title_from not in TITLE_FIELDS:
        raise RegistryError(f"source {name!r}: title_from must be one of {', '.join(TITLE_FIELDS)}")
    return Source(
        name=name,
        homepage=homepage,
        title=entry.get("title") or name,
        feeds=tuple(entry.get("feeds", ())),
        sitemaps=tuple(entry.get("sitemaps", ())),
        allowed_domains=tuple(entry.get("allowed_domains") or (_domain_of(homepage),)),
        enabled=bool(entry.get("enabled", True)),
        drop=tuple(entry.get("drop", ())),
        title_from=title_from,
    )


def parse_registry(text: str) -> list[Source]:
    """Parse a registry document (``[[source]]`` tables); names must be unique."""
    entries = tomllib.loads(text).get("source", [])
    sources = [source_from_entry(e) for e in entries]
    names = [s.name for s in sources]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise RegistryError(f"duplicate source name(s): {sorted(duplicates)}")
    return sources


def load_registry(path: Path | None = None) -> list[Source]:
    """The packaged registry, or a user's own registry file."""
    text = path.read_text(encoding="utf-8") if path else resources.files("crawlers").joinpath(DEFAULT_REGISTRY).read_text(encoding="utf-8")
    return parse_registry(text)


def apply_overrides(sources: list[Source], overrides: dict[str, dict[str, Any]]) -> list[Source]:
    """Apply weckruf.toml's ``[sources.NAME]`` tables: change fields of a known source or add a new one."""
    by_name = {s.name: s.as_dict() for s in sources}
    for name, changes in overrides.items():
        by_name[name] = {**by_name.get(name, {}), **changes, "name": name}
    return [source_from_entry(entry) for entry in by_name.values()]


def select(sources: list[Source], names: list[str] | None = None) -> list[Source]:
    """Enabled sources, or exactly the named ones (enabled or not) when names are given."""
    if not names:
        return [s for s in sources if s.enabled]
    by_name = {s.name: s for s in sources}
    missing = [n for n in names if n not in by_name]
    if missing:
        raise RegistryError(f"unknown source(s): {', '.join(missing)}; known: {', '.join(sorted(by_name))}")
    return [by_name[n] for n in names]
