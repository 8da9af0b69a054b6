"""Read-only SQL for users: `weckruf query`, trends and reports go through here."""

from __future__ import annotations

import csv
import io
import json
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


def run_query(warehouse: Path, sql: str) -> QueryResult:
    """Run SQL on the published snapshot through a read-only connection.

    DuckDB itself refuses writes on a read-only connection, so a stray UPDATE fails with its
    own message instead of changing the warehouse.
    """
    con = connect(read_path(warehouse), read_only=True)
    try:
        cur = con.execute(sql)
        if cur.description is None:
            return QueryResult([], [])
        return QueryResult([d[0] for d in cur.description], cur.fetchall())
    finally:
        con.close()


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
            [{c: _json_value(v) for c, v in zip(result.columns, row)} for row in result.rows],
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
