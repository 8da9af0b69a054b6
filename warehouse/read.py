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
    """Events a new statement may join, with their outlets (the window is applied by the caller)."""
    return fetch_dicts(
        con,
        "SELECT e.event_key, e.employer, e.jobs_affected, e.ai_cause, e.first_seen, e.last_seen, "
        "list(DISTINCT ea.source) FILTER (WHERE ea.source IS NOT NULL) AS sources "
        "FROM job_cut_events e LEFT JOIN event_articles ea USING (event_key) GROUP BY ALL",
    )


def pending_alerts(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Queued messages, oldest first, with their past attempts and the channels that have them.

    Job-cut alerts come with what their message needs (rendered at delivery, so they name
    every outlet known by then): the event and each article that reported it.
    """
    return fetch_dicts(
        con,
        "SELECT al.alert_key, al.kind, al.title, al.body, al.attempts, "
        "coalesce((SELECT list(d.channel) FROM alert_deliveries d WHERE d.alert_key = al.alert_key), []) AS delivered, "
        "e.employer, e.jobs_affected, e.ai_cause, e.first_seen, e.headline, e.statement, e.first_url, "
        "(SELECT list({'source': ea.source, 'url': a.canonical_url} ORDER BY coalesce(a.published, a.fetched_at), ea.source) "
        " FROM event_articles ea JOIN articles a USING (article_id) WHERE ea.event_key = al.alert_key) AS articles "
        "FROM alerts al LEFT JOIN job_cut_events e ON e.event_key = al.alert_key "
        "WHERE al.status = 'pending' ORDER BY al.queued_at, al.alert_key",
    )


def undigested_updates(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Later reports of alerted events not yet carried by a digest, grouped by event."""
    return fetch_dicts(
        con,
        "SELECT u.event_key, e.employer, e.jobs_affected AS event_jobs, e.first_seen, u.source, u.jobs_reported, "
        "a.title, a.canonical_url AS url FROM event_updates u "
        "JOIN job_cut_events e USING (event_key) JOIN articles a USING (article_id) "
        "WHERE u.digest_key IS NULL ORDER BY e.first_seen, u.event_key, u.noted_at, u.article_id",
    )


def source_health(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, bool]]:
    """Per source: runs failed in a row up to the latest (no article and at least one error),
    and whether its last health message said "down"."""
    rows = con.execute(
        "WITH ordered AS ("
        "  SELECT rs.source, rs.errors > 0 AND rs.articles = 0 AS failed, "
        "         row_number() OVER (PARTITION BY rs.source ORDER BY r.started_at DESC) AS n "
        "  FROM run_sources rs JOIN runs r USING (run_id)), "
        "streaks AS ("
        "  SELECT source, coalesce(min(n) FILTER (WHERE NOT failed) - 1, count(*)) AS streak "
        "  FROM ordered GROUP BY source), "
        "last_notice AS ("
        "  SELECT subject, kind FROM alerts WHERE kind IN ('source_down', 'source_recovered') "
        "  QUALIFY row_number() OVER (PARTITION BY subject ORDER BY queued_at DESC, alert_key DESC) = 1) "
        "SELECT s.source, s.streak, coalesce(l.kind = 'source_down', false) "
        "FROM streaks s LEFT JOIN last_notice l ON l.subject = s.source"
    ).fetchall()
    return {source: (int(streak), bool(down)) for source, streak, down in rows}
