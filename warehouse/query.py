"""Read-only SQL for users: `weckruf query`, trends and reports go through here."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from warehouse.db import connect
from warehouse.snapshot import read_path


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]

    def as_dicts(self) -> list[dict[str, Any]]:
        """Each row as a dict keyed by column name."""
        return [dict(zip(self.columns, row)) for row in self.rows]


TREND_GRAINS = {"day": "trend_daily", "week": "trend_weekly", "month": "trend_monthly"}
OUTPUT_FORMATS = ("table", "csv", "json")
ALL_SOURCES = "(all)"  # the trend views' row over every source (warehouse/migrations/003)


def run_query(warehouse: Path, sql: str, params: Sequence[Any] = ()) -> QueryResult:
    """Run SQL on the published snapshot through a read-only connection.

    DuckDB itself refuses writes on a read-only connection, so a stray UPDATE fails with its
    own message instead of changing the warehouse.
    """
    con = connect(read_path(warehouse), read_only=True)
    try:
        cur = con.execute(sql, list(params))
        if cur.description is None:
            return QueryResult([], [])
        return QueryResult([d[0] for d in cur.description], cur.fetchall())
    finally:
        con.close()


def trends(warehouse: Path, by: str = "week", source: str = ALL_SOURCES, since: date | None = None) -> QueryResult:
    """One trend view's rows for one source (or all), oldest period first."""
    if by not in TREND_GRAINS:
        raise ValueError(f"by must be one of {', '.join(TREND_GRAINS)}, not {by!r}")
    return run_query(
        warehouse, f"FROM {TREND_GRAINS[by]} WHERE source = ? AND period >= ? ORDER BY period",
        [source, since or date.min],
    )


def last_runs(warehouse: Path, limit: int = 10) -> QueryResult:
    """The latest runs, newest first, with articles/errors per source and the model used;
    ``error_details`` (last column) as a list of {source, url, stage, reason}."""
    result = run_query(
        warehouse,
        "SELECT r.run_id, r.kind, r.status, r.started_at, "
        "round(epoch(r.finished_at - r.started_at), 1) AS seconds, r.articles_seen, r.articles_new, "
        "r.statements_new, r.events_new, r.alerts_sent, r.errors, "
        "coalesce(string_agg(rs.source || ' ' || rs.articles || '/' || rs.errors, ', ' ORDER BY rs.source), '') "
        "AS per_source_articles_errors, r.model, r.error_details "
        "FROM runs r LEFT JOIN run_sources rs USING (run_id) "
        "GROUP BY ALL ORDER BY r.started_at DESC LIMIT ?",
        [limit],
    )
    return QueryResult(result.columns, [(*row[:-1], json.loads(row[-1] or "[]")) for row in result.rows])


def alert_states(warehouse: Path, states: Sequence[str]) -> QueryResult:
    """Outbox messages in the given states, newest first: what, about whom, how far delivered."""
    return run_query(
        warehouse,
        "SELECT al.status, al.kind, coalesce(e.employer, al.subject) AS subject, e.jobs_affected, e.ai_cause, "
        "CAST(e.first_seen AS DATE) AS first_seen, al.attempts, al.queued_at, al.sent_at, "
        "coalesce(al.reason, al.last_error) AS note, al.alert_key "
        "FROM alerts al LEFT JOIN job_cut_events e ON e.event_key = al.alert_key "
        "WHERE list_contains(?, al.status) ORDER BY al.queued_at DESC, e.first_seen DESC NULLS LAST, al.alert_key",
        [list(states)],
    )


def _json_value(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return value.hex()
    return value


def format_result(result: QueryResult, fmt: str) -> str:
    """Render rows as an aligned table, CSV, or a JSON array of objects."""
    if fmt == "json":
        return json.dumps(
            [{c: _json_value(v) for c, v in row.items()} for row in result.as_dicts()],
            ensure_ascii=False, indent=1,
        )
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows(result.rows)
        return buf.getvalue().rstrip("\n")
    cells = [[str(c) for c in result.columns]] + [["" if v is None else str(v) for v in row] for row in result.rows]
    widths = [min(60, max(len(r[i]) for r in cells)) for i in range(len(result.columns))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(cell[:60].ljust(w) for cell, w in zip(row, widths)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append(f"({len(result.rows)} rows)")
    return "\n".join(lines)
