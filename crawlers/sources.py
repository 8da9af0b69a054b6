"""The declarative publisher registry.

Publishers are data, not code (as in fundus): one TOML entry per source with its feeds and
domains, and where a site needs it a small extraction override (``drop`` selectors,
``title_from``, ``paywall`` markers). Publishers that are no crawl source of their own (general
news whose pages reach weckruf by `weckruf extract` or as a source a user adds) get the same
overrides in ``[[site]]`` entries keyed by domain. Users enable, disable or add sources in
weckruf.toml; nothing here needs editing.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from crawlers.extract import TITLE_FIELDS, SiteRules
from crawlers.urls import host_allowed

DEFAULT_REGISTRY = "sources.toml"
T = TypeVar("T", "Source", "Site")


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
    paywall: tuple[str, ...] = ()  # extraction override: CSS selectors that mark a paid article

    def as_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @property
    def domains(self) -> tuple[str, ...]:
        """Where the source's overrides apply: the domains its crawl stays in (as for a site)."""
        return self.allowed_domains


@dataclass(frozen=True)
class Site:
    """Extraction overrides for a publisher's domains (a ``[[site]]`` entry), without a crawl."""

    name: str
    domains: tuple[str, ...]
    drop: tuple[str, ...] = ()
    title_from: str | None = None
    paywall: tuple[str, ...] = ()


def _domain_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _checked_name(entry: dict[str, Any], kind: type) -> str:
    """The entry's name, once it has one and no field the dataclass does not know."""
    name = entry.get("name")
    if not name:
        raise RegistryError(f"registry entry without a name: {entry}")
    unknown = set(entry) - {f.name for f in fields(kind)}
    if unknown:
        raise RegistryError(f"{kind.__name__.lower()} {name!r}: unknown field(s) {sorted(unknown)}")
    return name


def _overrides(entry: dict[str, Any], label: str) -> dict[str, Any]:
    """The extraction override fields of a source or site entry, validated."""
    title_from = entry.get("title_from")
    if title_from is not None and title_from not in TITLE_FIELDS:
        raise RegistryError(f"{label}: title_from must be one of {', '.join(TITLE_FIELDS)}")
    return {"drop": tuple(entry.get("drop", ())), "title_from": title_from, "paywall": tuple(entry.get("paywall", ()))}


def source_from_entry(entry: dict[str, Any]) -> Source:
    """Validate one registry entry and fill the derivable fields (title, allowed domains)."""
    name = _checked_name(entry, Source)
    homepage = entry.get("homepage")
    if not homepage or not urlsplit(homepage).scheme.startswith("http"):
        raise RegistryError(f"source {name!r}: 'homepage' must be an http(s) URL")
    return Source(
        name=name,
        homepage=homepage,
        title=entry.get("title") or name,
        feeds=tuple(entry.get("feeds", ())),
        sitemaps=tuple(entry.get("sitemaps", ())),
        allowed_domains=tuple(entry.get("allowed_domains") or (_domain_of(homepage),)),
        enabled=bool(entry.get("enabled", True)),
        **_overrides(entry, f"source {name!r}"),
    )


def site_from_entry(entry: dict[str, Any]) -> Site:
    """Validate one ``[[site]]`` entry: a name, its domains and at least one override."""
    name = _checked_name(entry, Site)
    domains = tuple(entry.get("domains", ()))
    if not domains:
        raise RegistryError(f"site {name!r}: 'domains' must list the publisher's domains")
    overrides = _overrides(entry, f"site {name!r}")
    if not any(overrides.values()):
        raise RegistryError(f"site {name!r}: no override (drop, title_from or paywall)")
    return Site(name=name, domains=domains, **overrides)


def parse_registry(text: str) -> list[Source]:
    """Parse a registry document (``[[source]]`` tables); names must be unique."""
    entries = tomllib.loads(text).get("source", [])
    return _unique([source_from_entry(e) for e in entries], "source")


def _unique(entries: list[T], kind: str) -> list[T]:
    """The entries, once no two share a name (the name is what users and errors refer to)."""
    names = [e.name for e in entries]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise RegistryError(f"duplicate {kind} name(s): {sorted(duplicates)}")
    return entries


def _registry_text(path: Path | None) -> str:
    return path.read_text(encoding="utf-8") if path else resources.files("crawlers").joinpath(DEFAULT_REGISTRY).read_text(encoding="utf-8")


def load_registry(path: Path | None = None) -> list[Source]:
    """The packaged registry, or a user's own registry file."""
    return parse_registry(_registry_text(path))


def load_sites(path: Path | None = None) -> list[Site]:
    """The ``[[site]]`` entries of the packaged registry or of a user's own registry file."""
    return _unique([site_from_entry(e) for e in tomllib.loads(_registry_text(path)).get("site", [])], "site")


def override_entries(path: Path | None = None, overrides: dict[str, dict[str, Any]] | None = None) -> list[Source | Site]:
    """Everything that can carry extraction overrides, in the order rules_for wants: the
    registry's sources (with the user's changes), then its ``[[site]]`` entries."""
    return [*apply_overrides(load_registry(path), overrides or {}), *load_sites(path)]


def rules_for(url: str, entries: Sequence[Source | Site]) -> SiteRules:
    """The extraction overrides for a page: from every source and site whose domains hold the
    page's host. Selectors add up; the first ``title_from`` wins, so list sources before sites
    (a source's own choice beats the publisher-wide one)."""
    matching = [e for e in entries if host_allowed(url, list(e.domains))]
    return SiteRules(
        drop=tuple(dict.fromkeys(selector for e in matching for selector in e.drop)),
        title_from=next((e.title_from for e in matching if e.title_from), None),
        paywall=tuple(dict.fromkeys(selector for e in matching for selector in e.paywall)),
    )


def rules_by_source(sources: Sequence[Source], sites: Sequence[Site]) -> dict[str, SiteRules]:
    """Each source's extraction rules: its own overrides, then those of the ``[[site]]``
    entries for its homepage's domain (a Funke paper a user adds as a source gets Funke's
    title field)."""
    return {s.name: rules_for(s.homepage, [s, *sites]) for s in sources}


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
