"""Every extraction override in the registry, on the page written for it.

Each page imitates only its site's markup (class names, meta tags); the text is invented. The
override must make the difference: without the registry's rules the page extracts worse.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest

from crawlers.extract import Article, SiteRules, extract
from crawlers.sources import (
    RegistryError,
    Site,
    Source,
    load_registry,
    load_sites,
    override_entries,
    rules_for,
    site_from_entry,
    source_from_entry,
)

PAGES = Path(__file__).parent / "pages"


@dataclass(frozen=True)
class Case:
    """A registry entry's page and what its override changes there."""

    url: str
    title: str | None = None  # the title with the override (another one without)
    removed: str | None = None  # text in the generic body that the override drops
    paywalled: bool = False  # the override's marker flags the page


CASES = {
    "heise": Case("https://www.heise.de/hintergrund/servicedesk-sprachmodelle-9900001.html", paywalled=True),
    "golem": Case("https://www.golem.de/news/disposition-spedition-2608-190001.html",
                  removed="(öffnet im neuen Fenster)", paywalled=True),
    "t3n": Case("https://t3n.de/news/ki-agenten-vertrieb-angebote-1700001/", paywalled=True),
    "spiegel_netzwelt": Case("https://www.spiegel.de/netzwelt/ki-im-landratsamt-a-00000000-0001.html", paywalled=True),
    "funke": Case("https://www.waz.de/wirtschaft/article400000001/huettenwerk-ki-pruefer.html",
                  title="Kameras statt Prüfer: Wie ein Hüttenwerk seine Kontrolle umstellt"),
    "focus": Case("https://www.focus.de/finanzen/banken/sparkasse-video-ki_id_100000001.html",
                  title="Bankfilialen ohne Berater: Sparkasse Moorland setzt auf Video-KI"),
    "nzz": Case("https://www.nzz.ch/wirtschaft/alpenwacht-stellenabbau-ld.1900001",
                title="Versicherer Alpenwacht baut 300 Stellen in der Schadenabteilung ab"),
    "mz": Case("https://www.mz.de/lokal/saalestedt/chemiepark-leitwarte-3900001",
               title="Chemiepark Saalestedt: Leitwarte läuft nachts mit zwei Schichtführern"),
    "ndr": Case("https://www.ndr.de/nachrichten/niedersachsen/hafen-containerbruecken,hafen1234.html",
                title="Hafen Brunsmünde: Containerbrücken fahren ab Herbst ferngesteuert"),
    "mdr": Case("https://www.mdr.de/nachrichten/thueringen/jobcenter-ki-software-100.html",
                title="So bereiten Thüringer Jobcenter Stellenvorschläge jetzt mit KI vor"),
    "taz": Case("https://taz.de/Kommentar-Roboter-im-Lager/!6000001/", removed="freiwilligen Beitrag"),
    "businessinsider": Case("https://www.businessinsider.de/karriere/quellwerk-berufseinsteiger/",
                            removed="Hochschulen melden schon weniger Bewerbungsgespräche"),
}


@pytest.fixture(scope="module")
def registry() -> list[Source | Site]:
    return override_entries()


def _page(name: str) -> bytes:
    return (PAGES / f"override_{name}.html").read_bytes()


def _whole(article: Article) -> str:
    return "\n".join(filter(None, [article.lead, article.text]))


def test_every_override_has_a_page(registry: list[Source | Site]) -> None:
    with_overrides = {e.name for e in registry if e.drop or e.title_from or e.paywall}
    assert with_overrides == set(CASES)
    assert all((PAGES / f"override_{name}.html").is_file() for name in CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_override_makes_the_difference(name: str, registry: list[Source | Site]) -> None:
    case = CASES[name]
    generic = extract(_page(name), case.url)
    tuned = extract(_page(name), case.url, rules=rules_for(case.url, registry))
    if case.title:
        assert generic.title != case.title and tuned.title == case.title
    if case.removed:
        assert case.removed in _whole(generic) and case.removed not in _whole(tuned)
    assert (generic.paywalled, tuned.paywalled) == (False, case.paywalled)
    assert tuned.text and len(tuned.text) > 0.6 * len(generic.text)  # the article itself stays


def test_a_spiegel_plus_flag_in_a_teaser_does_not_mark_the_page(registry: list[Source | Site]) -> None:
    """Teasers of other SPIEGEL+ articles carry the flag too: only the article's intro counts."""
    tree = lxml.html.fromstring(_page("spiegel_netzwelt"))
    for flag in tree.cssselect('header[data-area="intro"] [data-flag-name="Spplus-paid"]'):
        flag.drop_tree()
    assert tree.cssselect('[data-flag-name="Spplus-paid"]')  # the teaser's flag is still there
    url = CASES["spiegel_netzwelt"].url
    free = extract(lxml.html.tostring(tree), url, rules=rules_for(url, registry))
    assert free.paywalled is False


def test_rules_add_up_selectors_and_take_the_first_title_field() -> None:
    source = Source(name="blog", homepage="https://www.elbkurier.example/", allowed_domains=("elbkurier.example",),
                    drop=(".a",), paywall=(".plus",))
    site = Site(name="elbverlag", domains=("elbkurier.example", "weserbote.example"), drop=(".a", ".b"),
                title_from="headline")
    rules = rules_for("https://www.elbkurier.example/text.html", [source, site])
    assert rules == SiteRules(drop=(".a", ".b"), title_from="headline", paywall=(".plus",))
    assert rules_for("https://weserbote.example/x", [source, site]) == SiteRules(drop=(".a", ".b"), title_from="headline")
    assert rules_for("https://www.elbkurier-fake.example/x", [source, site]) == SiteRules()
    own = source_from_entry({"name": "own", "homepage": "https://elbkurier.example/", "title_from": "h1"})
    assert rules_for("https://elbkurier.example/x", [own, site]).title_from == "h1"  # a source's choice first


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"name": "x", "title_from": "h1"}, "domains"),
        ({"name": "x", "domains": ["x.example"]}, "no override"),
        ({"name": "x", "domains": ["x.example"], "title_from": "dachzeile"}, "title_from"),
        ({"name": "x", "domains": ["x.example"], "drop": [".a"], "feeds": []}, "unknown field"),
        ({"domains": ["x.example"], "drop": [".a"]}, "without a name"),
    ],
)
def test_site_entries_are_validated(entry: dict, message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        site_from_entry(entry)


def test_sites_from_a_users_registry_file(tmp_path: Path) -> None:
    path = tmp_path / "registry.toml"
    path.write_text('[[site]]\nname = "elb"\ndomains = ["elbkurier.example"]\npaywall = [".plus"]\n', encoding="utf-8")
    assert load_sites(path) == [Site(name="elb", domains=("elbkurier.example",), paywall=(".plus",))]
    path.write_text(path.read_text(encoding="utf-8") * 2, encoding="utf-8")
    with pytest.raises(RegistryError, match="duplicate site"):
        load_sites(path)


def test_packaged_site_entries_are_well_formed() -> None:
    sources = {s.name for s in load_registry()}
    for site in load_sites():
        assert site.name == site.name.lower() and site.name not in sources, site.name
        for domain in site.domains:
            assert domain == domain.lower() and "/" not in domain and not domain.startswith(("www.", ".")), domain
