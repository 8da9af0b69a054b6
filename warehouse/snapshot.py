"""Publishing a read snapshot of the warehouse.

DuckDB's per-process lock means a reader holding the live file blocks the daily run, and the
run blocks every reader. After each run the writer closes the file and the run copies it to
a snapshot beside it, swapped in atomically: ad-hoc SQL, trends and reports read the
snapshot, never block the run and never see half a run.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def snapshot_path(warehouse: Path) -> Path:
    """Where readers find the last published state: ``weckruf.duckdb`` → ``weckruf.read.duckdb``."""
    return warehouse.with_name(f"{warehouse.stem}.read{warehouse.suffix}")


def publish(warehouse: Path) -> Path:
    """Copy the closed warehouse to its snapshot via a temp file and an atomic rename.

    A reader that still has the old snapshot open keeps its (unlinked) file until it closes.
    """
    target = snapshot_path(warehouse)
    wal = warehouse.with_name(warehouse.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"{wal} exists: the writer connection must be closed before publishing")
    tmp = target.with_name(f".{target.name}.tmp")
    shutil.copyfile(warehouse, tmp)
    os.replace(tmp, target)
    return target


def read_path(warehouse: Path) -> Path:
    """The file a reader should open: the snapshot when there is one, else the live file."""
    snap = snapshot_path(warehouse)
    return snap if snap.exists() else warehouse
