from pathlib import Path

import duckdb
import pytest

from warehouse.db import WarehouseBusyError, available_migrations, connect, migrate, open_writer

TABLES = {"sources", "runs", "articles", "statements", "job_cut_events", "event_articles", "alerts"}


def test_migrations_are_numbered_and_packaged() -> None:
    versions = [v for v, _, _ in available_migrations()]
    assert versions == sorted(versions) and versions[0] == 1


def test_migrate_from_empty_then_again_is_a_no_op(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    applied = migrate(con)
    assert applied and applied[0].startswith("001_")
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert TABLES <= tables
    assert migrate(con) == []
    assert con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(available_migrations())


def test_reopening_an_existing_warehouse_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    con = open_writer(path)
    con.execute("INSERT INTO sources (name) VALUES ('x')")
    con.close()
    con = open_writer(path)
    assert con.execute("SELECT count(*) FROM sources").fetchone()[0] == 1


def test_read_only_open_of_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="weckruf run"):
        connect(tmp_path / "none.duckdb", read_only=True)


def test_lock_conflict_becomes_a_clear_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "w.duckdb"
    open_writer(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(path)!r}); print('ok', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(WarehouseBusyError, match="in use by another process"):
            connect(path)
    finally:
        holder.kill()
