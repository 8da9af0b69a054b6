"""The HTML trend report: escaped, self-contained, drawn in a real headless browser."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from crawlers.urls import article_id
from flows.report import build_report, write_report
from models.analyze import Statement
from warehouse import load
from warehouse.db import open_writer
from warehouse.snapshot import publish

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
CHROMIUM = "/usr/bin/chromium"
BROWSER_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def hostile_warehouse(path: Path) -> Path:
    """A warehouse whose article, sentence, employer and URL try to inject markup."""
    con = open_writer(path)
    url = "https://evil.example/a1"
    load.upsert_sources(con, [{"name": "evil", "title": HOSTILE}])
    load.load_articles(con, [{
        "article_id": article_id(url), "canonical_url": "javascript:alert(1)", "url": url, "source": "evil",
        "title": HOSTILE, "lead": None, "text": "x", "authors": [], "language": "de", "paywalled": False,
        "published": datetime(2026, 11, 20, 9, tzinfo=timezone.utc), "content_hash": "h", "raw_path": None,
        "fetched_at": datetime(2026, 11, 20, 9, tzinfo=timezone.utc)}], "r1")
    cut = Statement(text=f"{HOSTILE} streicht 500 Stellen.", topic="ai_jobs", stance="negative", stance_score=0.9,
                    job_cut=True, employer=HOSTILE, jobs_affected=500, ai_cause=True, model="m@1")
    load.save_statements(con, [(article_id(url), [cut])], "m@1")
    event = {"event_key": "k", "employer": HOSTILE, "jobs_affected": 500, "ai_cause": True,
             "first_seen": datetime(2026, 11, 20, 9, tzinfo=timezone.utc),
             "last_seen": datetime(2026, 11, 20, 9, tzinfo=timezone.utc), "headline": HOSTILE,
             "statement": cut.text, "first_url": "javascript:alert(1)", "skip_reason": None}
    load.save_events(con, [event], [("k", article_id(url), "evil", 500)], "r1")
    con.close()
    publish(path)
    return path


def test_text_from_the_news_is_escaped_and_no_script_link_is_made(tmp_path: Path) -> None:
    page = build_report(hostile_warehouse(tmp_path / "w.duckdb"))
    assert "<script" not in page and "<img" not in page  # in the table and in the charts' SVG text alike
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page  # shown as text in the table
    assert 'href="javascript' not in page.lower()


def test_an_empty_warehouse_gives_a_report_too(tmp_path: Path) -> None:
    con = open_writer(tmp_path / "w.duckdb")
    con.close()
    publish(tmp_path / "w.duckdb")
    page = build_report(tmp_path / "w.duckdb")
    assert "Grundlage: 0 Artikel aus 0 Quellen" in page and page.count("<svg") == 5


def test_the_demo_run_wrote_the_report_and_says_where(demo_run) -> None:
    report = demo_run.data_dir / "report.html"
    assert report.exists() and f"report {report}" in demo_run.result.stdout.decode()
    page = report.read_text(encoding="utf-8")
    assert "Morgenstern Versicherung" in page and "Stellenabbau-Meldungen" in page


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (installed by make test) is missing")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no browser at {CHROMIUM}: `make test` installs Debian's chromium where it can (apt, as root)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


def test_every_chart_draws_in_headless_chromium_offline(demo_run, browser, tmp_path: Path) -> None:
    report = write_report(demo_run.warehouse, tmp_path / "bericht.html")
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    problems, requests = [], []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    charts = page.locator("div.chart")
    assert charts.count() == 5
    for i in range(charts.count()):
        chart = charts.nth(i)
        marks = chart.locator("g[class*='mark-'] path, g[class*='mark-'] line").count()
        assert chart.locator("svg").count() == 1 and marks > 3, chart.get_attribute("id")
        box = chart.locator("svg").bounding_box()
        assert box and 0 < box["width"] <= 390  # scaled to the phone's width
    assert page.locator("tbody tr").count() > 5
    assert problems == [] and all(url.startswith("file://") for url in requests)
    page.close()
