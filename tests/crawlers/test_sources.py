"""The packaged publisher registry (crawlers/sources.toml): shape checks, offline.

Nothing here fetches a URL; the tests only read the TOML shipped with the package.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from crawlers.sources import RegistryError, Source, apply_overrides, load_registry, parse_registry, select
from crawlers.urls import host_allowed

# Outlets the registry promises; the names are what users write in weckruf.toml.
EXPECTED = {
    "heise", "golem", "t3n", "netzpolitik", "computerbase", "winfuture", "itdaily", "thedecoder",
    "zdnet", "computerwoche", "basicthinking", "chip", "spiegel_netzwelt", "zeit_digital",
    "handelsblatt_tech", "derstandard_web", "insideit",
}
# Sites that serve no https (none today); a source listed here may use http:// URLs.
HTTP_ONLY: set[str] = set()


@pytest.fixture(scope="module")
def registry() -> list[Source]:
    return load_registry()


def _urls(source: Source) -> list[tuple[str, str]]:
    return [("homepage", source.homepage)] + [("feed", u) for u in source.feeds] + [("sitemap", u) for u in source.sitemaps]


def _tld(source: Source) -> str:
    return (urlsplit(source.homepage).hostname or "").rsplit(".", 1)[-1]


def test_at_least_15_enabled_sources(registry: list[Source]) -> None:
    enabled = [s for s in registry if s.enabled]
    assert len(enabled) >= 15, [s.name for s in enabled]
    assert select(registry) == enabled


def test_names_are_unique_lowercase_slugs(registry: list[Source]) -> None:
    names = [s.name for s in registry]
    assert len(names) == len(set(names))
    for name in names:
        assert name == name.lower() and name.replace("_", "").isalnum(), name


def test_promised_outlets_are_present_and_enabled(registry: list[Source]) -> None:
    by_name = {s.name: s for s in registry}
    missing = EXPECTED - by_name.keys()
    assert not missing, sorted(missing)
    assert all(by_name[n].enabled for n in EXPECTED)


def test_every_source_has_a_title_a_feed_and_domains(registry: list[Source]) -> None:
    for source in registry:
        assert source.title, source.name
        assert source.feeds, f"{source.name}: no feed URL (autodiscovery only)"
        assert source.allowed_domains, source.name
        for domain in source.allowed_domains:
            assert domain == domain.lower() and "/" not in domain and not domain.startswith(("www.", ".")), (source.name, domain)


def test_every_url_is_absolute_https(registry: list[Source]) -> None:
    for source in registry:
        schemes = {"https", "http"} if source.name in HTTP_ONLY else {"https"}
        for kind, url in _urls(source):
            parts = urlsplit(url)
            assert parts.scheme in schemes, f"{source.name} {kind}: {url}"
            assert parts.hostname and "." in parts.hostname, f"{source.name} {kind}: {url}"
            assert url == url.strip() and " " not in url, f"{source.name} {kind}: {url!r}"


def test_urls_are_not_repeated(registry: list[Source]) -> None:
    seen: dict[str, str] = {}
    for source in registry:
        for _, url in _urls(source)[1:]:
            assert url not in seen, f"{url} in both {seen.get(url)} and {source.name}"
            seen[url] = source.name


def test_homepage_feed_and_sitemap_hosts_stay_inside_allowed_domains(registry: list[Source]) -> None:
    for source in registry:
        for kind, url in _urls(source):
            assert host_allowed(url, list(source.allowed_domains)), f"{source.name} {kind} {url} outside {source.allowed_domains}"


def test_dach_mix(registry: list[Source]) -> None:
    tlds = {_tld(s) for s in registry if s.enabled}
    assert {"de", "at", "ch"} <= tlds, tlds


def test_overrides_disable_one_and_add_a_new_source(registry: list[Source]) -> None:
    overrides = {
        "chip": {"enabled": False},
        "example_blog": {"homepage": "https://www.example.org/blog/", "title": "Example Blog"},
    }
    changed = apply_overrides(registry, overrides)
    by_name = {s.name: s for s in changed}

    assert len(changed) == len(registry) + 1
    assert by_name["chip"].enabled is False
    assert by_name["chip"].feeds == next(s for s in registry if s.name == "chip").feeds  # other fields kept
    added = by_name["example_blog"]
    assert added.enabled and added.feeds == () and added.sitemaps == ()
    assert added.allowed_domains == ("example.org",)  # derived from the homepage
    enabled = {s.name for s in select(changed)}
    assert "chip" not in enabled and "example_blog" in enabled
    assert select(changed, ["chip"])[0].name == "chip"  # named explicitly, a disabled source still runs
    # the packaged registry itself is untouched
    assert next(s for s in registry if s.name == "chip").enabled is True


def test_override_of_a_new_source_needs_a_homepage(registry: list[Source]) -> None:
    with pytest.raises(RegistryError, match="homepage"):
        apply_overrides(registry, {"nohome": {"feeds": ["https://example.org/feed"]}})


def test_registry_round_trips_through_parse_registry(registry: list[Source]) -> None:
    from importlib import resources

    text = resources.files("crawlers").joinpath("sources.toml").read_text(encoding="utf-8")
    assert parse_registry(text) == registry
