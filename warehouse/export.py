"""Statements and job-cut events as files for other tools: Parquet or CSV, one folder per month.

Written from the published snapshot through a read-only connection, so an export never
blocks a run nor sees half of one. DuckDB writes the partitions itself (``PARTITION_BY``);
each export replaces the folders it owns and nothing else in the target directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from warehouse.db import connect, path_literal
from warehouse.snapshot import read_path

FORMATS = ("parquet", "csv")

EXPORTED = {"statements": "statement_details", "events": "event_timeline"}  # folder -> view (with day, month)


@dataclass(frozen=True)
class ExportedTable:
    name: str
    rows: int
    folder: Path


def export(warehouse: Path, out: Path, fmt: str, since: date | None = None) -> list[ExportedTable]:
    """Write each exported view to ``out/<table>/month=YYYY-MM/data_0.<fmt>``.

    ``month`` is the German calendar month of the statement's article or the event's first
    report; readers recover it from the folder name (hive partitioning).
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    out.mkdir(parents=True, exist_ok=True)
    con = connect(read_path(warehouse), read_only=True)
    written = []
    try:
        for name, view in EXPORTED.items():
            params = [since or date.min]
            select = f"SELECT * REPLACE (strftime(month, '%Y-%m') AS month) FROM {view} WHERE day >= ?"
            folder = out / name
            [(rows,)] = con.execute(  # COPY answers with the number of rows it wrote
                f"COPY ({select}) TO {path_literal(folder)} (FORMAT {fmt}, PARTITION_BY (month), OVERWRITE true)",
                params,
            ).fetchall()
            written.append(ExportedTable(name, rows, folder))
    finally:
        con.close()
    return written

