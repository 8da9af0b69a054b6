"""The published snapshot opens in the readers people have: the DuckDB CLI from PyPI (1.5.6,
which cannot read DuckDB 2.0 files) and a read-only Python connection, as docs describe."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from warehouse.snapshot import snapshot_path


def duckdb_cli() -> str:
    found = shutil.which("duckdb", path=str(Path(sys.executable).parent))
    if not found:
        pytest.skip("the duckdb CLI (pip package duckdb-cli, installed by `make test`) is not available")
    return found


def test_the_duckdb_cli_from_pypi_reads_the_snapshot_read_only(demo_run) -> None:
    snapshot = snapshot_path(demo_run.warehouse)
    sql = "SELECT period, negative, positive FROM trend_weekly WHERE source = '(all)' ORDER BY period"
    result = subprocess.run([duckdb_cli(), "-readonly", "-json", str(snapshot), "-c", sql],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(snapshot), read_only=True) as con:
        expected = [{"period": str(p), "negative": n, "positive": q} for p, n, q in con.execute(sql).fetchall()]
    assert json.loads(result.stdout) == expected and expected
    write = subprocess.run([duckdb_cli(), "-readonly", str(snapshot), "-c", "DELETE FROM statements"],
                           capture_output=True, text=True, timeout=60)
    assert "read-only" in (write.stdout + write.stderr).lower()


def test_the_snapshot_holds_what_the_warehouse_holds(demo_run) -> None:
    tables = ["articles", "statements", "job_cut_events", "alerts", "runs", "schema_migrations"]
    counts = {}
    for path in (demo_run.warehouse, snapshot_path(demo_run.warehouse)):
        with duckdb.connect(str(path), read_only=True) as con:
            counts[path] = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables]
    live, snap = counts.values()
    assert live == snap and all(live)
