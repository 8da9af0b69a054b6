from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pytest

from crawlers.urls import article_id
from models.analyze import Statement
from warehouse import load, read
from warehouse.db import open_writer
from warehouse.query import format_result, run_query
from warehouse.snapshot import publish, snapshot_path

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)


def article(n: int, text: str | None = None, url: str | None = None) -> dict:
    body = text or f"Artikeltext Nummer {n} mit genug Inhalt."
    canonical = url or f"http://x.example/a{n}"
    return {
        "article_id": article_id(canonical),
        "url": url or f"http://x.example/a{n}?utm_source=feed", "canonical_url": canonical,
        "source": "x", "title": f"Titel {n}", "lead": None, "text": body, "authors": ["A"],
        "published": T0.isoformat(), "language": "de", "paywalled": False,
        "content_hash": f"h-{body}", "raw_path": None, "fetched_at": T0.isoformat(),
    }


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    c = open_writer(tmp_path / "w.duckdb")
    yield c
    c.close()


def count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_loading_twice_adds_nothing(con) -> None:
    first = load.load_articles(con, [article(1), article(2)], "r1")
    second = load.load_articles(con, [article(1), article(2)], "r2")
    assert len(first.new) == 2 and second.new == [] and second.unchanged == 2
    assert count(con, "articles") == 2


def test_same_key_twice_in_one_batch_is_collapsed(con) -> None:
    result = load.load_articles(con, [article(1), article(1, text="neuer Text, korrigiert")], "r1")
    assert len(result.new) == 1 and count(con, "articles") == 1


def test_same_text_under_another_url_is_a_duplicate(con) -> None:
    load.load_articles(con, [article(1, text="gleich")], "r1")
    result = load.load_articles(con, [article(2, text="gleich")], "r2")
    assert result.duplicates == 1 and count(con, "articles") == 1


def test_changed_text_replaces_and_requeues_analysis(con) -> None:
    load.load_articles(con, [article(1)], "r1")
    aid = article_id("http://x.example/a1")
    load.save_statements(con, [(aid, [stmt("Satz.")])], "m@1")
    assert read.articles_to_analyze(con) == []
    result = load.load_articles(con, [article(1, text="korrigierte Fassung")], "r2")
    assert result.changed == [aid]
    assert [a["article_id"] for a in read.articles_to_analyze(con)] == [aid]


def stmt(text: str, **kw) -> Statement:
    base = {"text": text, "topic": "other", "stance": None, "stance_score": 0.0, "job_cut": False,
            "employer": None, "jobs_affected": None, "ai_cause": False, "model": "m@1"}
    return Statement(**{**base, **kw})


def test_statements_replace_not_append(con) -> None:
    load.load_articles(con, [article(1)], "r1")
    aid = article_id("http://x.example/a1")
    load.save_statements(con, [(aid, [stmt("a"), stmt("b")])], "m@1")
    load.save_statements(con, [(aid, [stmt("a"), stmt("b")])], "m@1")
    assert count(con, "statements") == 2
    assert con.execute("SELECT DISTINCT model FROM statements").fetchall() == [("m@1",)]


def test_events_and_alerts_are_stored_once(con) -> None:
    event = {"event_key": "k", "employer": "Nordlicht", "jobs_affected": 1200, "ai_cause": True,
             "first_seen": T0, "last_seen": T0, "headline": "h", "statement": "s", "first_url": "u", "skip_reason": None}
    load.load_articles(con, [article(1), article(2), article(3)], "r1")
    a1, a2, a3 = (article_id(f"http://x.example/a{n}") for n in (1, 2, 3))
    links = [("k", a1, "x", 1200)]
    assert load.save_events(con, [event], links, "r1") == ["k"]
    later = {**event, "last_seen": T0 + timedelta(days=1)}
    assert load.save_events(con, [later], links + [("k", a2, "y", 1200)], "r2") == []
    assert count(con, "job_cut_events") == 1 and count(con, "alerts") == 1 and count(con, "event_articles") == 2
    pending = read.pending_alerts(con)
    assert [[a["source"] for a in p["articles"]] for p in pending] == [["x", "y"]]
    load.record_delivery(con, "k", "pending", "smtp down", channels=["c1"])
    assert [(p["attempts"], p["delivered"]) for p in read.pending_alerts(con)] == [(1, ["c1"])]
    load.record_delivery(con, "k", "sent", channels=["c2"])
    assert read.pending_alerts(con) == [] and count(con, "alert_deliveries") == 2
    load.save_events(con, [later], links, "r3")
    assert read.pending_alerts(con) == [] and count(con, "event_updates") == 0
    # a later report of the delivered event is an update for the digest, never a second alert
    load.save_events(con, [later], [("k", a3, "z", 1500)], "r4")
    assert read.pending_alerts(con) == []
    assert [(u["source"], u["jobs_reported"]) for u in read.undigested_updates(con)] == [("z", 1500)]
    load.queue_digest(con, "digest:r4", "t", "b")
    assert read.undigested_updates(con) == [] and [p["kind"] for p in read.pending_alerts(con)] == ["digest"]


def test_a_skipped_event_is_alerted_when_a_later_report_qualifies_it(con) -> None:
    event = {"event_key": "k", "employer": "Nordlicht", "jobs_affected": 1200, "ai_cause": False,
             "first_seen": T0, "last_seen": T0, "headline": "h", "statement": "s", "first_url": "u",
             "skip_reason": "KI nicht als Grund genannt"}
    load.save_events(con, [event], [], "r1")
    assert con.execute("SELECT status, reason FROM alerts").fetchall() == [("skipped", "KI nicht als Grund genannt")]
    load.save_events(con, [{**event, "ai_cause": True, "skip_reason": None}], [], "r2")
    assert con.execute("SELECT status, reason FROM alerts").fetchall() == [("pending", None)]
    load.record_delivery(con, "k", "sent")
    load.save_events(con, [{**event, "skip_reason": "erste Meldung älter als 3 Tage"}], [], "r3")
    assert con.execute("SELECT status FROM alerts").fetchall() == [("sent",)]


def test_query_is_read_only_and_uses_the_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    c = open_writer(path)
    load.load_articles(c, [article(1)], "r1")
    c.close()
    publish(path)
    assert snapshot_path(path).exists()
    writer = open_writer(path)  # the live file is locked by a writer: readers still work
    try:
        result = run_query(path, "SELECT title FROM articles")
        assert result.rows == [("Titel 1",)]
        with pytest.raises(duckdb.Error):
            run_query(path, "DELETE FROM articles")
    finally:
        writer.close()
    assert '"title": "Titel 1"' in format_result(result, "json")
    assert format_result(result, "csv") == "title\nTitel 1"
    assert "(1 rows)" in format_result(result, "table")
