"""Idempotent loads into the warehouse.

Every write here can be repeated after a crash without duplicating anything: articles are
keyed by the id the crawl gives them (a hash of the canonical URL), statements by (article, sentence number), events by
their deterministic key and alerts by event. Each function runs in one transaction so a
reader of the published snapshot never sees half of a stage.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol

import duckdb

from warehouse.db import insert_rows, transaction

ARTICLE_COLUMNS = (
    "article_id", "canonical_url", "url", "source", "title", "lead", "text", "authors",
    "published", "language", "paywalled", "content_hash", "raw_path", "fetched_at", "first_run_id",
)
STATEMENT_COLUMNS = (
    "article_id", "sentence_no", "text", "topic", "stance", "stance_score", "job_cut",
    "employer", "jobs_affected", "ai_cause", "model",
)


@dataclass
class ArticleLoad:
    """What one article load did, for the run summary."""

    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    duplicates: int = 0


def upsert_sources(con: duckdb.DuckDBPyConnection, sources: Iterable[dict[str, Any]]) -> None:
    """Mirror the registry into the warehouse so SQL users can join on source names."""
    rows = [(s["name"], s.get("title") or s["name"], s.get("homepage"), bool(s.get("enabled", True))) for s in sources]
    with transaction(con):
        insert_rows(
            con, "sources", ("name", "title", "homepage", "enabled"), rows,
            "ON CONFLICT (name) DO UPDATE SET title = excluded.title, homepage = excluded.homepage, "
            "enabled = excluded.enabled",
        )


def record_source_results(
    con: duckdb.DuckDBPyConnection, run_id: str, at: datetime, per_source: dict[str, dict[str, int]]
) -> None:
    """Store each source's crawl result in this run (record counts by kind): as the source's
    last result and in the run's history, from which `weckruf runs` and source health read."""
    counts = [(name, c.get("article", 0), c.get("error", 0), c.get("skipped", 0)) for name, c in per_source.items()]
    with transaction(con):
        insert_rows(
            con, "run_sources", ("run_id", "source", "articles", "errors", "skipped"), [(run_id, *row) for row in counts],
            "ON CONFLICT (run_id, source) DO UPDATE SET articles = excluded.articles, "
            "errors = excluded.errors, skipped = excluded.skipped",
        )
        con.execute(
            "UPDATE sources SET last_run_id = ?, last_crawl_at = ?, last_articles = rs.articles, "
            "last_errors = rs.errors FROM run_sources rs WHERE rs.run_id = ? AND rs.source = sources.name",
            [run_id, at, run_id],
        )


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, kind: str, started_at: datetime) -> None:
    """Register a run before it does anything, so a crashed run stays visible as 'running'."""
    con.execute(
        "INSERT INTO runs (run_id, kind, started_at, status) VALUES (?, ?, ?, 'running') "
        "ON CONFLICT (run_id) DO NOTHING",
        [run_id, kind, started_at],
    )


def finish_run(
    con: duckdb.DuckDBPyConnection, run_id: str, finished_at: datetime, *, status: str, articles_seen: int,
    articles_new: int, statements_new: int, events_new: int, alerts_sent: int, errors: Sequence[dict[str, str]],
    model: str | None,
) -> None:
    """Close a run with its counts, the per-source error details and the model that analysed
    its articles (None when there was nothing to analyse)."""
    con.execute(
        "UPDATE runs SET finished_at = ?, status = ?, articles_seen = ?, articles_new = ?, "
        "statements_new = ?, events_new = ?, alerts_sent = ?, errors = ?, error_details = ?, model = ? "
        "WHERE run_id = ?",
        [
            finished_at, status, articles_seen, articles_new, statements_new, events_new, alerts_sent,
            len(errors), json.dumps(list(errors), ensure_ascii=False), model, run_id,
        ],
    )


def save_feed_validators(con: duckdb.DuckDBPyConnection, states: Sequence[dict[str, Any]], at: datetime) -> None:
    """Remember the validators of feeds fetched in full this run."""
    rows = {s["url"]: (s["url"], s["source"], s.get("etag"), s.get("last_modified"), at) for s in states}
    with transaction(con):
        insert_rows(
            con, "feed_state", ("feed_url", "source", "etag", "last_modified", "checked_at"), list(rows.values()),
            "ON CONFLICT (feed_url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, "
            "checked_at = excluded.checked_at",
        )


def _dedupe_by_key(articles: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Last one wins: DuckDB silently collapses a key given twice in one INSERT."""
    by_key = {a["canonical_url"]: a for a in articles}
    return list(by_key.values())


def load_articles(con: duckdb.DuckDBPyConnection, articles: Sequence[dict[str, Any]], run_id: str) -> ArticleLoad:
    """Upsert extracted articles on their id; skip copies of text stored under another URL.

    A changed text (the outlet corrected the article) replaces the stored one and clears
    ``analyzed_by`` so the analysis runs again; an unchanged one costs nothing.
    """
    result = ArticleLoad()
    existing = dict(con.execute("SELECT article_id, content_hash FROM articles").fetchall())
    hashes = set(existing.values())
    rows = []
    for article in _dedupe_by_key(articles):
        article_id = article["article_id"]
        old_hash = existing.get(article_id)
        if old_hash == article["content_hash"]:
            result.unchanged += 1
            continue
        if old_hash is None and article["content_hash"] in hashes:
            result.duplicates += 1
            continue
        (result.new if old_hash is None else result.changed).append(article_id)
        hashes.add(article["content_hash"])
        row = {**article, "first_run_id": run_id}
        rows.append(tuple(row.get(col) for col in ARTICLE_COLUMNS))
    updates = ", ".join(f"{c} = excluded.{c}" for c in ARTICLE_COLUMNS if c not in ("article_id", "first_run_id"))
    with transaction(con):
        insert_rows(con, "articles", ARTICLE_COLUMNS, rows,
                    f"ON CONFLICT (article_id) DO UPDATE SET {updates}, analyzed_by = NULL")
    return result


class AnalysedSentence(Protocol):
    """What a statements row takes from one analysed sentence (models.analyze.Statement has it)."""

    text: str
    topic: str
    stance: str | None
    stance_score: float
    job_cut: bool
    employer: str | None
    jobs_affected: int | None
    ai_cause: bool


def save_statements(
    con: duckdb.DuckDBPyConnection, analyses: Sequence[tuple[str, Sequence[AnalysedSentence]]], model: str
) -> None:
    """Replace the statements of each (article_id, sentences) with the new analysis and stamp
    the model on those articles: all of them in one transaction."""
    rows = [  # in STATEMENT_COLUMNS order
        (article_id, number, s.text, s.topic, s.stance, s.stance_score, s.job_cut, s.employer, s.jobs_affected,
         s.ai_cause, model)
        for article_id, statements in analyses
        for number, s in enumerate(statements)
    ]
    ids = [article_id for article_id, _ in analyses]
    with transaction(con):
        con.execute("DELETE FROM statements WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
        insert_rows(con, "statements", STATEMENT_COLUMNS, rows)
        con.execute("UPDATE articles SET analyzed_by = ? WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [model, ids])


def mark_for_reanalysis(con: duckdb.DuckDBPyConnection, model: str) -> int:
    """Clear ``analyzed_by`` of every article another model analysed; returns how many.

    Their statements stay until the new analysis replaces them, article by article.
    """
    return con.execute(
        "UPDATE articles SET analyzed_by = NULL WHERE analyzed_by IS NOT NULL AND analyzed_by <> ?", [model]
    ).fetchone()[0]


def save_events(
    con: duckdb.DuckDBPyConnection,
    events: Sequence[dict[str, Any]],
    links: Sequence[tuple[str, str, str, int | None]],
    run_id: str,
) -> list[str]:
    """Upsert events and their articles, and the alert row of each event.

    ``skip_reason`` on an event (None: alert it) decides its alert row: ``pending`` or
    ``skipped`` with the reason. A skipped event may become pending when a later report
    qualifies it; nothing else ever changes an alert row here, so an event is alerted once
    however often it is reported or the run is repeated. An article newly linked to an event
    whose alert was already delivered becomes an update for the digest instead.
    Returns the keys of new events.
    """
    existing = {row[0] for row in con.execute("SELECT event_key FROM job_cut_events").fetchall()}
    new_keys = [e["event_key"] for e in events if e["event_key"] not in existing]
    delivered = {row[0] for row in con.execute("SELECT alert_key FROM alerts WHERE status IN ('sent', 'printed')").fetchall()}
    linked = {tuple(row) for row in con.execute("SELECT event_key, article_id FROM event_articles").fetchall()}
    updates = [link for link in links if link[0] in delivered and (link[0], link[1]) not in linked]
    now = datetime.now(timezone.utc)
    with transaction(con):
        for e in events:
            con.execute(
                "INSERT INTO job_cut_events (event_key, employer, jobs_affected, ai_cause, first_seen, last_seen, "
                "first_run_id, headline, statement, first_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (event_key) DO UPDATE SET last_seen = greatest(job_cut_events.last_seen, excluded.last_seen), "
                "employer = excluded.employer, "
                "jobs_affected = coalesce(job_cut_events.jobs_affected, excluded.jobs_affected), "
                "ai_cause = job_cut_events.ai_cause OR excluded.ai_cause",
                [e["event_key"], e["employer"], e["jobs_affected"], e["ai_cause"], e["first_seen"], e["last_seen"],
                 run_id, e["headline"], e["statement"], e["first_url"]],
            )
        insert_rows(con, "event_articles", ("event_key", "article_id", "source"), [link[:3] for link in links],
                    "ON CONFLICT DO NOTHING")
        insert_rows(con, "event_updates", ("event_key", "article_id", "source", "jobs_reported", "noted_at"),
                    [(*update, now) for update in updates], "ON CONFLICT DO NOTHING")
        insert_rows(
            con, "alerts", ("alert_key", "kind", "status", "reason", "queued_at"),
            [(e["event_key"], "job_cut", "skipped" if e.get("skip_reason") else "pending", e.get("skip_reason"), now)
             for e in events],
            "ON CONFLICT (alert_key) DO UPDATE SET status = excluded.status, reason = excluded.reason, "
            "queued_at = excluded.queued_at WHERE alerts.status = 'skipped'",
        )
    return new_keys


def queue_message(con: duckdb.DuckDBPyConnection, key: str, kind: str, title: str, body: str,
                  subject: str | None = None) -> None:
    """Queue a pre-rendered message (digest, source health) in the outbox, once per key."""
    con.execute(
        "INSERT INTO alerts (alert_key, kind, subject, title, body, status, queued_at) "
        "VALUES (?, ?, ?, ?, ?, 'pending', current_timestamp) ON CONFLICT (alert_key) DO NOTHING",
        [key, kind, subject, title, body],
    )


def mark_digested(con: duckdb.DuckDBPyConnection, digest_key: str) -> None:
    """Stamp every update not yet in a digest with the digest that carries it ("off": none will)."""
    con.execute("UPDATE event_updates SET digest_key = ? WHERE digest_key IS NULL", [digest_key])


def queue_digest(con: duckdb.DuckDBPyConnection, key: str, title: str, body: str) -> None:
    """Queue a digest and stamp the updates it carries, together or not at all."""
    with transaction(con):
        queue_message(con, key, "digest", title, body)
        mark_digested(con, key)


def record_delivery(
    con: duckdb.DuckDBPyConnection, alert_key: str, status: str, error: str | None = None,
    channels: Sequence[str] = (),
) -> None:
    """Record one delivery attempt and the channels it reached; a message leaves 'pending'
    only when every channel has it (sent), none is configured (printed), or it gave up (failed)."""
    with transaction(con):
        insert_rows(con, "alert_deliveries", ("alert_key", "channel", "delivered_at"),
                    [(alert_key, channel, datetime.now(timezone.utc)) for channel in channels], "ON CONFLICT DO NOTHING")
        con.execute(
            "UPDATE alerts SET status = ?, attempts = attempts + 1, last_error = ?, "
            "sent_at = CASE WHEN ? IN ('sent', 'printed') THEN current_timestamp END WHERE alert_key = ?",
            [status, error, status, alert_key],
        )
