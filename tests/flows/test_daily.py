"""The whole daily flow on the demo site: real Prefect, Scrapy subprocess, DuckDB, transformer, Apprise."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import flows.runtime_env  # noqa: F401  (must precede prefect)
from prefect.testing.utilities import prefect_test_harness

from crawlers.demo_site import DemoServer, blocked_feed_urls, expected_articles
from crawlers.demo_site import sources as demo_sources
from crawlers.sources import source_from_entry
from flows.config import AlertConfig, CrawlConfig, ModelConfig, Settings
from flows.daily import daily_run
from warehouse.db import connect

TABLES = ("articles", "statements", "job_cut_events", "event_articles", "alerts")
AI_CUTS = {(a["employer"], a["jobs"]) for a in expected_articles() if a["category"] == "ai_job_cut"}


@pytest.fixture(scope="module", autouse=True)
def prefect_server() -> Iterator[None]:
    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoServer]:
    with DemoServer() as server:
        yield server


def settings_for(data_dir: Path, model_dir: Path, hook: str | None, **rules: object) -> Settings:
    return Settings(
        data_dir=data_dir, warehouse=data_dir / "weckruf.duckdb",
        crawl=CrawlConfig(download_delay=0.0),
        model=ModelConfig(path=str(model_dir)),
        # the demo's articles are from November 2026: no age limit unless a test sets one
        alerts=AlertConfig(urls=(hook,) if hook else (), **{"max_age_days": 0, **rules}),
    )


def outbox(settings: Settings) -> list[tuple]:
    con = connect(settings.warehouse, read_only=True)
    try:
        return con.execute("SELECT kind, status, attempts, subject FROM alerts ORDER BY queued_at, alert_key").fetchall()
    finally:
        con.close()


def counts(settings: Settings) -> dict[str, int]:
    con = connect(settings.warehouse, read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def hook_posts(server) -> list[dict]:
    return [json.loads(body) for method, path, body in server.requests if method == "POST" and path == "/hook"]


@pytest.fixture(scope="module")
def two_runs(demo, model_dir: Path, tmp_path_factory, start_server) -> dict:
    """Run the demo twice against one warehouse with a webhook receiving the alerts."""
    with start_server() as sink:
        sink.routes["/hook"] = (200, "application/json", b"{}")
        settings = settings_for(tmp_path_factory.mktemp("demo"), model_dir, f"json://127.0.0.1:{sink.port}/hook")
        sources = demo_sources()
        first = daily_run(settings, sources, kind="demo", proxy=demo.proxy_url)
        after_first = counts(settings)
        posts_first = hook_posts(sink)
        mark = len(demo.requests)
        second = daily_run(settings, sources, kind="demo", proxy=demo.proxy_url)
        second_requests = demo.requests[mark:]
        return {"settings": settings, "first": first, "second": second, "after_first": after_first,
                "after_second": counts(settings), "posts_first": posts_first, "posts_all": hook_posts(sink),
                "second_requests": second_requests}


def test_first_run_loads_all_demo_articles(two_runs) -> None:
    first = two_runs["first"]
    assert first.status == "ok", first.errors
    assert first.articles_new == len(expected_articles()) == two_runs["after_first"]["articles"]
    assert first.statements_new == two_runs["after_first"]["statements"] > first.articles_new


def test_robots_disallowed_page_is_never_stored(two_runs) -> None:
    con = connect(two_runs["settings"].warehouse, read_only=True)
    try:
        urls = {row[0] for row in con.execute("SELECT url FROM articles").fetchall()}
    finally:
        con.close()
    assert not urls & set(blocked_feed_urls())


def test_one_event_and_one_alert_per_ai_job_cut(two_runs) -> None:
    con = connect(two_runs["settings"].warehouse, read_only=True)
    try:
        events = con.execute(
            "SELECT e.employer, e.jobs_affected, count(DISTINCT ea.source) FROM job_cut_events e "
            "JOIN alerts al ON al.alert_key = e.event_key AND al.status <> 'skipped' "
            "JOIN event_articles ea USING (event_key) GROUP BY ALL"
        ).fetchall()
        models = con.execute("SELECT DISTINCT model FROM statements").fetchall()
    finally:
        con.close()
    alerted = {(employer, jobs) for employer, jobs, _ in events}
    assert len(alerted) == len(events) == len(AI_CUTS)
    assert {jobs for _, jobs in alerted} == {jobs for _, jobs in AI_CUTS}
    outlets = {jobs: n for _, jobs, n in events}
    assert outlets[1200] == 3 and outlets[650] == 2 and outlets[480] == 2  # reported by several outlets
    assert len(models) == 1 and models[0][0].startswith("weckruf-stance-e5small@")


def test_alerts_delivered_through_apprise_once(two_runs) -> None:
    posts = two_runs["posts_first"]
    assert len(posts) == len(AI_CUTS) == two_runs["first"].alerts_sent
    assert any("Morgenstern" in p["title"] and "1.200 Stellen" in p["title"] for p in posts)
    assert two_runs["posts_all"] == posts  # the second run sends nothing


def test_second_run_is_a_no_op(two_runs) -> None:
    second = two_runs["second"]
    assert second.status == "ok"
    assert (second.articles_seen, second.articles_new, second.statements_new, second.events_new) == (0, 0, 0, 0)
    assert two_runs["after_second"] == two_runs["after_first"]
    # incremental and conditional: each unchanged feed costs one 304, no article is fetched again
    requests = [(url, status) for url, status in two_runs["second_requests"] if not url.endswith("/robots.txt")]
    assert sorted(status for _, status in requests) == [304] * len(demo_sources())


def test_failed_delivery_stays_queued_and_is_sent_once_later(demo, model_dir: Path, tmp_path: Path, local_server) -> None:
    sources = [s for s in demo_sources() if s.name == "kinetz"]
    sink = local_server
    sink.routes["/hook"] = (500, "text/plain", b"down")
    settings = settings_for(tmp_path, model_dir, f"json://127.0.0.1:{sink.port}/hook")
    failed = daily_run(settings, sources, kind="demo", proxy=demo.proxy_url)
    assert failed.status == "partial" and failed.alerts_sent == 0 and failed.alerts_pending > 0
    attempts = len(hook_posts(sink))
    sink.routes["/hook"] = (200, "application/json", b"{}")
    retried = daily_run(settings, sources, kind="demo", proxy=demo.proxy_url)
    assert retried.alerts_sent == failed.alerts_pending and retried.status == "ok"
    assert len(hook_posts(sink)) == attempts + retried.alerts_sent
    third = daily_run(settings, sources, kind="demo", proxy=demo.proxy_url)
    assert third.alerts_sent == 0 and len(hook_posts(sink)) == attempts + retried.alerts_sent


def test_a_channel_down_for_good_is_given_up_and_stops_making_runs_partial(
    demo, model_dir: Path, tmp_path: Path, local_server
) -> None:
    sources = [s for s in demo_sources() if s.name == "kinetz"]
    local_server.routes["/hook"] = (500, "text/plain", b"down")
    settings = settings_for(tmp_path, model_dir, f"json://127.0.0.1:{local_server.port}/hook", max_attempts=2)
    first, second, third = (daily_run(settings, sources, kind="demo", proxy=demo.proxy_url) for _ in range(3))
    assert (first.status, first.alerts_pending, first.alerts_failed) == ("partial", first.alerts_pending, 0)
    assert (second.status, second.alerts_pending, second.alerts_failed) == ("partial", 0, first.alerts_pending)
    assert third.status == "ok" and len(hook_posts(local_server)) == 2 * first.alerts_pending
    con = connect(settings.warehouse, read_only=True)
    try:
        failed = con.execute("SELECT last_error FROM alerts WHERE status = 'failed'").fetchall()
    finally:
        con.close()
    assert len(failed) == first.alerts_pending and all("500" in e and "gave up after 2" in e for (e,) in failed)


def test_alerts_arrive_by_mail_once_even_after_a_crash_between_queueing_and_delivery(
    demo, model_dir: Path, tmp_path: Path, smtp_server, monkeypatch
) -> None:
    sources = [s for s in demo_sources() if s.name == "kinetz"]
    settings = settings_for(tmp_path, model_dir, smtp_server.url())

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("killed between queueing and delivery")

    with monkeypatch.context() as patch:
        patch.setattr("flows.daily.deliver", crash)
        with pytest.raises(RuntimeError):
            daily_run(settings, sources, kind="demo", proxy=demo.proxy_url)
    assert smtp_server.messages == [] and {status for _, status, _, _ in outbox(settings)} >= {"pending"}
    rerun = daily_run(settings, sources, kind="demo", proxy=demo.proxy_url)
    again = daily_run(settings, sources, kind="demo", proxy=demo.proxy_url)
    kinetz_ai_cuts = {a["employer"] for a in expected_articles() if a["source"] == "kinetz" and a["category"] == "ai_job_cut"}
    subjects = [subject for subject, _ in smtp_server.texts()]
    assert rerun.alerts_sent == len(subjects) == len(set(subjects)) >= len(kinetz_ai_cuts) - 1 > 0
    assert again.alerts_sent == 0 and len(smtp_server.messages) == len(subjects)
    assert all(subject.startswith("weckruf: ") and "Stellen" in subject for subject in subjects)


def test_later_outlets_of_an_alerted_cut_come_as_one_digest_never_a_second_alert(
    demo, model_dir: Path, tmp_path: Path, local_server
) -> None:
    local_server.routes["/hook"] = (200, "application/json", b"{}")
    settings = settings_for(tmp_path, model_dir, f"json://127.0.0.1:{local_server.port}/hook", digest=True)
    kinetz = [s for s in demo_sources() if s.name == "kinetz"]
    first = daily_run(settings, kinetz, kind="demo", proxy=demo.proxy_url)
    second = daily_run(settings, demo_sources(), kind="demo", proxy=demo.proxy_url)
    titles = [post["title"] for post in hook_posts(local_server)]
    digests = [post for post in hook_posts(local_server) if "Nachträge" in post["title"]]
    assert first.alerts_sent > 0 and len(digests) == 1
    assert "Morgenstern" in digests[0]["message"] and "bytebote" in digests[0]["message"]
    alerted = [t for t in titles if "Nachträge" not in t]
    assert len(alerted) == len(set(alerted)) == len(AI_CUTS) and second.alerts_sent == len(AI_CUTS) - first.alerts_sent + 1


def test_old_news_is_stored_but_not_alerted(demo, model_dir: Path, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, model_dir, None, max_age_days=3)
    summary = daily_run(settings, [s for s in demo_sources() if s.name == "kinetz"], kind="backfill", proxy=demo.proxy_url)
    assert summary.events_new > 0 and summary.alerts_printed == []
    assert {(kind, status) for kind, status, _, _ in outbox(settings)} == {("job_cut", "skipped")}


def test_a_source_failing_runs_in_a_row_raises_one_health_alert_and_one_recovery(
    demo, model_dir: Path, tmp_path: Path, local_server
) -> None:
    local_server.routes["/feed.xml"] = (503, "text/plain", b"busy")
    wackel = source_from_entry({"name": "wackel", "homepage": f"{local_server.base}/",
                                "feeds": [f"{local_server.base}/feed.xml"]})
    settings = settings_for(tmp_path, model_dir, None, source_failure_runs=2)
    runs = [daily_run(settings, [wackel], kind="demo") for _ in range(3)]
    assert [kind for kind, *_ in outbox(settings)] == ["source_down"]
    assert [len(r.alerts_printed) for r in runs] == [0, 1, 0] and "wackel" in runs[1].alerts_printed[0]
    local_server.routes["/feed.xml"] = (200, "application/rss+xml", b'<rss version="2.0"><channel><title>w</title></channel></rss>')
    recovered = daily_run(settings, [wackel], kind="demo")
    assert [kind for kind, *_ in outbox(settings)] == ["source_down", "source_recovered"]
    assert recovered.status == "ok" and "liefert wieder" in recovered.alerts_printed[0]


def test_a_broken_source_does_not_stop_the_others(demo, model_dir: Path, tmp_path: Path) -> None:
    kaputt = source_from_entry({"name": "kaputt", "homepage": "http://kaputt.example/",
                                "feeds": ["http://kaputt.example/feed.xml"]})
    sources = [s for s in demo_sources() if s.name == "kinetz"] + [kaputt]
    settings = settings_for(tmp_path, model_dir, None)
    summary = daily_run(settings, sources, kind="demo", proxy=demo.proxy_url)
    assert summary.status == "partial"
    assert summary.per_source["kinetz"]["article"] == 12
    # the feed fails, then the fallback to homepage autodiscovery fails too: both are recorded
    assert sorted((e["source"], e["stage"]) for e in summary.errors) == [("kaputt", "autodiscovery"), ("kaputt", "feed")]
    con = connect(settings.warehouse, read_only=True)
    try:
        stored = con.execute("SELECT status, errors, error_details FROM runs").fetchone()
        last = dict(con.execute("SELECT name, last_errors FROM sources").fetchall())
    finally:
        con.close()
    assert stored[:2] == ("partial", 2) and "kaputt.example" in stored[2]
    assert last == {"kinetz": 0, "kaputt": 2}


def test_backfill_reads_sitemaps_back_to_a_day(demo, model_dir: Path, tmp_path: Path) -> None:
    from datetime import date

    sources = [s for s in demo_sources() if s.name == "kinetz"]
    settings = settings_for(tmp_path, model_dir, None)
    summary = daily_run(settings, sources, kind="backfill", proxy=demo.proxy_url, since=date(2026, 11, 20))
    expected = {a["url"] for a in expected_articles() if a["source"] == "kinetz" and a["published"][:10] >= "2026-11-20"}
    con = connect(settings.warehouse, read_only=True)
    try:
        stored = {row[0] for row in con.execute("SELECT url FROM articles").fetchall()}
    finally:
        con.close()
    assert summary.status == "ok" and stored == expected and 0 < len(expected) < 12
