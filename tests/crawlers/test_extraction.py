import json
from pathlib import Path

import lxml.etree
import pytest

from crawlers.extract import ExtractionError, decode_html, extract
from crawlers.extract.body import paragraph_text, split_key_points
from crawlers.extract.meta import clean_author_names
from crawlers.extract.text import detect_language
from crawlers.extract.title import choose_title, strip_site_suffix

PAGES = Path(__file__).parent / "pages"
URL = "https://www.regionalecho.example/wirtschaft/werkbank-disposition-2211.html?utm_source=rss"


@pytest.fixture(scope="module")
def werkbank():
    return extract((PAGES / "regionalecho_werkbank.html").read_bytes(), URL, source="regionalecho")


def test_metadata_from_json_ld(werkbank) -> None:
    assert werkbank.title == "Werkbank Maschinenbau ersetzt Disponenten durch Software"
    assert werkbank.authors == ["Jana Ohlendorf", "Till Brakel"]
    assert werkbank.published == "2026-11-18T07:45:00+01:00"
    assert werkbank.paywalled is True
    assert werkbank.language == "de"
    assert werkbank.canonical_url == "https://www.regionalecho.example/wirtschaft/werkbank-disposition-2211.html"


def test_windows_1252_is_decoded(werkbank) -> None:
    assert "Betriebsratschef Ömer Yilmaz" in werkbank.text
    assert "„einen Schlag ins Gesicht der Beschäftigten“" in werkbank.text


def test_body_without_lead_and_boilerplate(werkbank) -> None:
    assert werkbank.lead.startswith("Der Mittelständler aus dem Sauerland")
    assert werkbank.text.startswith("Die Werkbank Maschinenbau GmbH will bis Mitte 2027")
    for noise in ("Wir verwenden Cookies", "Mehr zum Thema", "Impressum", "Der Mittelständler aus dem Sauerland"):
        assert noise not in werkbank.text


def test_contract_fields(werkbank) -> None:
    data = werkbank.as_contract()
    assert set(data) == {"url", "canonical_url", "title", "lead", "text", "authors", "published",
                         "language", "paywalled", "source", "headings"}
    json.dumps(data)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"%PDF-1.7 binary", "not an HTML page"),
        (b"<html><body><p>Bitte aktivieren Sie JavaScript.</p></body></html>", "no article text"),
    ],
)
def test_pages_without_article(body: bytes, reason: str) -> None:
    with pytest.raises(ExtractionError, match=reason):
        extract(body, "https://x.example/a")


def test_site_suffix_and_language_helpers() -> None:
    assert strip_site_suffix("Neue Chips | heise online", "heise online") == "Neue Chips"
    assert strip_site_suffix("Wahl - und danach?", "Zeitung") == "Wahl - und danach?"
    assert detect_language("The company said that it is going to cut jobs in the region by the end of the year.") == "en"
    assert detect_language("kurz") is None


@pytest.fixture(scope="module")
def sprachbots():
    """JSON-LD author list, "Lesen Sie auch" links, prompts and an author bio in the text."""
    url = "https://www.kuestenkurier.example/wirtschaft/callcenter-sprachbots-4711.html?utm_source=rss"
    return extract((PAGES / "kuestenkurier_sprachbots.html").read_bytes(), url)


@pytest.fixture(scope="module")
def pflegeroboter():
    """No JSON-LD; declares ISO-8859-1 but is UTF-8; dates only in <time> elements."""
    url = "https://www.ruhrblick.example/gesundheit/pflegeroboter-4455.html"
    return extract((PAGES / "ruhrblick_pflegeroboter.html").read_bytes(), url)


@pytest.fixture(scope="module")
def lagerlogistik():
    """og:title is the site name; the text opens with headline, dateline, byline, teaser."""
    url = "https://www.nordpost.example/wirtschaft/kroegel-lager-1234.html"
    return extract((PAGES / "nordpost_lagerlogistik.html").read_bytes(), url)


def test_title_is_the_agreed_headline_without_site_name(sprachbots, pflegeroboter, lagerlogistik) -> None:
    # "… | KÜSTENKURIER" and "KÜSTENKURIER: …" agree with <h1> and the JSON-LD headline
    assert sprachbots.title == "Callcenter in Husum ersetzt Nachtschicht durch Sprachbots"
    # og:title "… | Ruhrblick | 02.03.2026" carries what twitter:title says alone
    assert pflegeroboter.title == "Klinikum Emscherbruch testet Pflegeroboter"
    # an og:title that is only the site name never wins
    assert lagerlogistik.title == "Lagerlogistik: Hafenspedition Krögel automatisiert ihr Lager"


def test_json_ld_author_list(sprachbots) -> None:
    """Nested lists and @id references are followed, "(mli)" initials dropped; an
    organisation named as author is kept (the corpus' ground truth credits them too)."""
    assert sprachbots.authors == ["Mara Lindqvist", "Jonas Feldhoff", "KÜSTENKURIER Wirtschaftsredaktion"]


def test_authors_from_meta_and_byline(pflegeroboter, lagerlogistik) -> None:
    assert pflegeroboter.authors == ["Eda Kaya", "Lars Brenner"]  # meta "Von Eda Kaya und Lars Brenner"
    assert lagerlogistik.authors == ["Greta Albers"]  # only the "Von Greta Albers" line in the text


def test_publication_date_preference(sprachbots, pflegeroboter, lagerlogistik) -> None:
    assert sprachbots.published == "2026-09-14T06:30:00+02:00"  # datePublished, not dateModified
    # the article header's <time>, not the one in a teaser link for another article
    assert pflegeroboter.published == "2026-03-02T09:15:00+01:00"
    assert lagerlogistik.published.startswith("2026-05-14")  # the date in the page's <title>


def test_related_links_prompts_captions_and_bio_are_removed(sprachbots) -> None:
    assert sprachbots.text.startswith("Die Deichwerk Service GmbH beantwortet Anrufe")
    assert sprachbots.text.endswith("hat eine Betriebsversammlung beantragt.")
    for noise in ("Lesen Sie auch", "Werft in Tönning", "Fähre nach Pellworm", "Anzeige", "newsletter",
                  "Foto: Küstenkurier", "Mara Lindqvist ist Redakteurin", "Kreisverwaltung testet KI"):
        assert noise not in sprachbots.text
    assert "Sie verwies auf eine Studie zur Arbeit in Callcentern" in sprachbots.text  # a link to another site
    assert sprachbots.lead.startswith("Der Dienstleister Deichwerk Service")


def test_page_header_lines_leave_the_body_and_the_teaser_becomes_lead(lagerlogistik) -> None:
    assert lagerlogistik.text.startswith("Die Spedition hat im Frühjahr zwölf fahrerlose Gabelstapler")
    for header in ("Lagerlogistik", "Donnerstag, 14.05.2026", "Von Greta Albers", "stellt in Bremerhaven"):
        assert header not in lagerlogistik.text
    # the visible teaser, not the differently worded meta description
    assert lagerlogistik.lead.startswith("Die Hafenspedition Krögel stellt in Bremerhaven auf fahrerlose Stapler um. Rund 60")


def test_description_cut_from_first_paragraph_stays_body(pflegeroboter) -> None:
    assert pflegeroboter.lead is None
    assert pflegeroboter.text.startswith("Das Klinikum Emscherbruch in Herne lässt seit Februar zwei Roboter")


def test_utf8_page_declared_latin1_and_trailing_credits(pflegeroboter) -> None:
    assert "Pflegekräfte" in pflegeroboter.text and "Özlem Aydın" in pflegeroboter.text
    assert pflegeroboter.text.endswith("bevor weitere Aufgaben an Maschinen gehen.")  # no "Redaktion:", "(dpa/lnw)"


def test_title_and_author_helpers() -> None:
    assert strip_site_suffix("SPIEGEL: Neue Chips", "DER SPIEGEL") == "Neue Chips"
    assert strip_site_suffix("Kenia: Nairobi von unten", "junge Welt") == "Kenia: Nairobi von unten"
    assert strip_site_suffix("Russland-Wahl: Putin im Amt", "DW") == "Russland-Wahl: Putin im Amt"
    assert strip_site_suffix("Neue Chips - Technik - SZ.de", ["Süddeutsche Zeitung", "sz.de"]) == "Neue Chips - Technik"
    assert choose_title({"og:title": "Nordpost", "h1": "Werft baut ab"}, ["Nordpost"]) == "Werft baut ab"
    assert choose_title({"og:title": "Nordpost"}, ["Nordpost"]) is None
    assert clean_author_names(["Von Jana Muster und Till Beispiel", "Elena Probe (epr)", "jm@x.example"]) == [
        "Jana Muster", "Till Beispiel", "Elena Probe"]
    assert decode_html('<meta charset="iso-8859-1"><p>für</p>'.encode()) == '<meta charset="iso-8859-1"><p>für</p>'


def test_every_german_corpus_page_extracts_or_fails_clearly(corpus_dir: Path) -> None:
    """Smoke test on real pages from ../shared/corpus (read there, never copied)."""
    pages = sorted((corpus_dir / "html").glob("*/*.html"))
    extracted = 0
    for page in pages:
        expected = json.loads(page.with_suffix(".expected.json").read_text(encoding="utf-8"))
        if expected.get("language") != "de":
            continue
        try:
            article = extract(page.read_bytes(), expected.get("url") or "https://example.org/")
        except ExtractionError:
            continue
        extracted += 1
        assert article.text and article.content_hash
    assert extracted >= 90


def test_registry_overrides_drop_selectors_and_choose_the_title_field() -> None:
    from crawlers.extract import SiteRules

    html = (PAGES / "wattenblatt_override.html").read_bytes()
    url = "https://www.wattenblatt.example/wirtschaft/deichwerk-leitstelle.html"
    generic = extract(html, url)
    assert "Vorteilsprogramm" in generic.text
    assert generic.title == "Nachtschicht ohne Menschen? So arbeitet die neue Leitstelle"
    tuned = extract(html, url, rules=SiteRules(drop=("div.deichwerk-promo",), title_from="h1"))
    assert "Vorteilsprogramm" not in tuned.text and "Tagschicht" in tuned.text
    assert tuned.title == "Deichwerk Energie: Leitstelle läuft nachts mit KI-Assistenz"


def test_registry_rejects_an_unknown_title_field() -> None:
    from crawlers.sources import RegistryError, source_from_entry

    entry = {"name": "w", "homepage": "https://www.wattenblatt.example/", "title_from": "headline"}
    assert source_from_entry(entry).title_from == "headline"
    with pytest.raises(RegistryError, match="title_from"):
        source_from_entry({**entry, "title_from": "dachzeile"})


@pytest.fixture(scope="module")
def schichtplan():
    """Section headings, a key-points list under the teaser, a paid part declared only in the
    JSON-LD hasPart, and a one-line author box at the end."""
    url = "https://www.elbkurier.example/gesundheit/dienstplaene-software-820.html"
    return extract((PAGES / "elbkurier_schichtplan.html").read_bytes(), url)


def test_section_headings_leave_the_body_and_are_kept_beside_it(schichtplan) -> None:
    for heading in ("In Kürze", "Weniger Arbeit in der Verwaltung", "Betriebsrat will mitreden"):
        assert heading not in schichtplan.text
    assert "In der Personalplanung arbeiten bisher acht Beschäftigte." in schichtplan.text
    assert schichtplan.headings[-2:] == ["Weniger Arbeit in der Verwaltung", "Betriebsrat will mitreden"]
    assert schichtplan.as_contract()["headings"] == schichtplan.headings


def test_key_points_list_joins_the_lead(schichtplan) -> None:
    assert schichtplan.lead.split("\n") == [
        "Der Klinikverbund Elbmarsch lässt Dienstpläne von einem Programm erstellen. Drei Stellen in der Verwaltung fallen weg.",
        "- Ein Programm erstellt ab Januar die Dienstpläne für 900 Pflegekräfte.",
        "- Drei Stellen in der Personalplanung werden nicht nachbesetzt.",
    ]
    assert schichtplan.text.startswith("Der Klinikverbund Elbmarsch erstellt die Dienstpläne")


def test_a_body_that_is_only_a_list_stays_the_body() -> None:
    assert split_key_points("- eins\n- zwei") == ("", "- eins\n- zwei")
    assert split_key_points("Absatz.\n- eins") == ("", "Absatz.\n- eins")


def test_paid_part_declared_in_json_ld_has_part(schichtplan) -> None:
    assert schichtplan.paywalled is True  # the page is free, its part .bezahlinhalt is not


def test_author_box_sentence_at_the_end_is_dropped(schichtplan) -> None:
    assert schichtplan.text.endswith("mit der Stationsleitung wegfallen.")
    assert "Die Autorin ist" not in schichtplan.text


def test_paragraph_text_keeps_one_line_per_paragraph() -> None:
    """trafilatura's fallback extractors keep the source's line breaks inside a paragraph."""
    body = lxml.etree.fromstring(
        "<body><p>Die mit einem\n   Symbol gekennzeichneten Links\n sind Affiliate-Links.</p>"
        "<p>Zweiter Absatz<lb/>nach einem Umbruch.</p></body>")
    assert paragraph_text(body).split("\n") == [
        "Die mit einem Symbol gekennzeichneten Links sind Affiliate-Links.", "Zweiter Absatz", "nach einem Umbruch."]
