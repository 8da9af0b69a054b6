"""docs/SCHEMA.md documents every table and view of a migrated warehouse, column by column."""

from __future__ import annotations

import re
from pathlib import Path

from warehouse.db import open_writer

SCHEMA_DOC = Path(__file__).resolve().parents[2] / "docs" / "SCHEMA.md"
SPELLED = {"TIMESTAMPTZ": "TIMESTAMP WITH TIME ZONE"}


def documented() -> dict[str, list[tuple[str, str]]]:
    """{table or view: [(column, type), ...]} from the doc's headings and table rows."""
    tables: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in SCHEMA_DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### (\w+)$", line)
        if heading:
            current = tables.setdefault(heading.group(1), [])
            continue
        row = re.match(r"^\| (\w+) \| ([A-Z\[\] ]+) \|", line)
        if row and current is not None and row.group(1) != "column":
            current.append((row.group(1), SPELLED.get(row.group(2), row.group(2))))
    return tables


def test_every_table_and_view_is_documented_column_by_column(tmp_path: Path) -> None:
    con = open_writer(tmp_path / "w.duckdb")
    try:
        names = [row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        actual = {
            name: [tuple(r) for r in con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position", [name]).fetchall()]
            for name in names
        }
    finally:
        con.close()
    assert documented() == actual
