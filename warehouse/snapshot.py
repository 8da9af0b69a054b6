"""Publishing a read snapshot of the warehouse.

DuckDB's per-process lock means a reader holding the live file blocks the daily run, and the
run blocks every reader. After each run the writer closes the file and the run copies it to
a snapshot beside it, swapped in atomically: ad-hoc SQL, trends and reports read the
snapshot, never block the run and never see half a run.

The snapshot is written in an older storage format, so the readers people have can open
it: the DuckDB CLI on PyPI (`duckdb-cli`, 1.5.6) cannot read a DuckDB 2.0 file, nor can
notebooks or BI drivers still on 1.x.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from warehouse.db import path_literal

SNAPSHOT_STORAGE_VERSION = "v1.5.0"  # readable by DuckDB 1.5 and later (tested with duckdb-cli 1.5.6)


def snapshot_path(warehouse: Path) -> Path:
    """Where readers find the last published state: ``weckruf.duckdb`` → ``weckruf.read.duckdb``."""
    return warehouse.with_name(f"{warehouse.stem}.read{warehouse.suffix}")


def publish(warehouse: Path) -> Path:
    """Copy the closed warehouse (tables, views, macros) into a new file in the snapshot's
    storage format, then swap it in with an atomic rename.

    A reader that still has the old snapshot open keeps its (unlinked) file until it closes.
    """
    target = snapshot_path(warehouse)
    wal = warehouse.with_name(warehouse.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} exists: the writer connection must be closed before publishing")
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.unlink(missing_ok=True)  # left by a crash mid-copy
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH {path_literal(warehouse)} AS live (READ_ONLY)")
        con.execute(f"ATTACH {path_literal(tmp)} AS snapshot (STORAGE_VERSION '{SNAPSHOT_STORAGE_VERSION}')")
        con.execute("COPY FROM DATABASE live TO snapshot")
    finally:
        con.close()
    os.replace(tmp, target)
    return target



def read_path(warehouse: Path) -> Path:
    """The file a reader should open: the snapshot when there is one, else the live file."""
    snap = snapshot_path(warehouse)
    return snap if snap.exists() else warehouse
