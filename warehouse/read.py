"""Reads of the warehouse the run needs: what is known, what is pending, what may be joined.

Rows come back as plain dicts keyed by column name (or sets and maps of plain values), the
data other packages receive; every write is in warehouse/load.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb


def fetch_dicts(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """Rows of a query as dicts keyed by column name: the plain data other packages receive."""
    cur = con.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def known_urls(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every URL already stored (fetched and canonical), for incremental discovery."""
    rows = con.execute("SELECT url, canonical_url FROM articles").fetchall()
    return {u for row in rows for u in row if u}


def feed_validators(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str | None]]:
    """ETag / Last-Modified per feed URL, for conditional requests."""
    rows = con.execute("SELECT feed_url, etag, last_modified FROM feed_state").fetchall()
    return {url: {"etag": etag, "last_modified": modified} for url, etag, modified in rows}


def articles_to_analyze(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Articles that no model has analysed since they were (re)loaded."""
    return fetch_dicts(
        con,
        "SELECT article_id, source, title, lead, text, published, canonical_url FROM articles "
        "WHERE analyzed_by IS NULL ORDER BY published NULLS LAST, article_id",
    )


def ungrouped_job_cuts(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Job-cut statements of articles not yet assigned to an event, oldest first."""
    return fetch_dicts(
        con,
        "SELECT s.article_id, s.sentence_no, s.text, s.employer, s.jobs_affected, s.ai_cause, "
        "a.source, a.title, a.canonical_url, coalesce(a.published, a.fetched_at) AS seen_at, "
        "EXISTS (SELECT 1 FROM statements o WHERE o.article_id = s.article_id "
        "        AND (o.ai_cause OR (o.topic = 'ai_jobs' AND o.stance = 'negative'))) AS article_ai "
        "FROM statements s JOIN articles a USING (article_id) "
        "WHERE s.job_cut AND s.employer IS NOT NULL "
        "AND s.article_id NOT IN (SELECT article_id FROM event_articles) "
        "ORDER BY seen_at, s.article_id, s.sentence_no",
    )


def recent_events(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Events a new statement may join (the grouping window is applied by the caller)."""
    return fetch_dicts(con, "SELECT event_key, employer, jobs_affected, ai_cause, first_seen, last_seen FROM job_cut_events")


def pending_alerts(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Queued alerts with what a message needs: the event and the outlets that reported it."""
    return fetch_dicts(
        con,
        "SELECT e.event_key, e.employer, e.jobs_affected, e.ai_cause, e.first_seen, e.headline, e.statement, "
        "e.first_url, list(DISTINCT ea.source ORDER BY ea.source) AS sources, al.attempts "
        "FROM alerts al JOIN job_cut_events e USING (event_key) "
        "LEFT JOIN event_articles ea USING (event_key) "
        "WHERE al.status = 'pending' "
        "GROUP BY ALL ORDER BY e.first_seen, e.event_key",
    )
