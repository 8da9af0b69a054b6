import json
from pathlib import Path

import pytest

from crawlers.extraction import ExtractionError, detect_language, extract, strip_site_suffix

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
                         "language", "paywalled", "source"}
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
