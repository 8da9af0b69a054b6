"""Scheduled operation as an operator sets it up: a real `prefect server start` on 127.0.0.1,
deploy/prefect.yaml deployed to a process work pool with `prefect deploy` and run by
`prefect worker start`, and `weckruf serve`; runs triggered through the server's API.

The runs crawl one local source whose feed is empty (what matters here is scheduling, the
pipeline itself is tested in test_daily.py), so no model is loaded.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
EMPTY_FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>leer</title></channel></rss>'

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class PrefectServer:
    url: str  # .../api
    env: dict[str, str]

    def call(self, path: str, payload: dict | None = None) -> dict | list:
        request = urllib.request.Request(
            f"{self.url}{path}", data=None if payload is None else json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"}, method="GET" if payload is None else "POST",
        )
        for attempt in range(5):  # a busy server answers 503; Prefect's own client retries it too
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (127.0.0.1)
                    return json.loads(response.read() or b"null")
            except urllib.error.HTTPError as exc:
                if exc.code != 503 or attempt == 4:
                    raise
                time.sleep(2 * (attempt + 1))
        raise AssertionError("unreachable")

    def deployment(self, flow: str, name: str) -> dict:
        return self.call(f"/deployments/name/{flow}/{name}")

    def run_to_end(self, deployment_id: str, timeout: float = 300) -> str:
        """Create a flow run of the deployment through the API and wait for its final state."""
        flow_run = self.call(f"/deployments/{deployment_id}/create_flow_run", {})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.call(f"/flow_runs/{flow_run['id']}")["state"]["type"]
            if state in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
                return state
            time.sleep(2)
        return "TIMED OUT"


def started(command: list[str], env: dict[str, str], log: Path, cwd: Path = REPO) -> subprocess.Popen:
    return subprocess.Popen(command, env=env, cwd=cwd, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrefectServer]:
    home = tmp_path_factory.mktemp("prefect-home")
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "INFO"}
    process = started([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                      env, home / "server.log")
    server = PrefectServer(env["PREFECT_API_URL"], env)
    deadline = time.monotonic() + 180
    while True:
        try:
            server.call("/health")
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                stop(process)
                pytest.fail(f"prefect server did not start: {(home / 'server.log').read_text()[-2000:]}")
            time.sleep(1)
    try:
        yield server
    finally:
        stop(process)


@pytest.fixture
def workspace(tmp_path: Path, local_server) -> Path:
    """A WECKRUF_HOME: weckruf.toml, and a registry with one source on a local server."""
    local_server.routes["/feed.xml"] = (200, "application/rss+xml", EMPTY_FEED)
    (tmp_path / "sources.toml").write_text(
        f'[[source]]\nname = "lokal"\ntitle = "Lokal"\nhomepage = "{local_server.base}/"\n'
        f'feeds = ["{local_server.base}/feed.xml"]\n', encoding="utf-8")
    (tmp_path / "weckruf.toml").write_text(
        f'data_dir = "{tmp_path / "data"}"\n[crawl]\nregistry = "{tmp_path / "sources.toml"}"\ndownload_delay = 0\n'
        '[schedule]\ncron = "30 5 * * 1-5"\ntimezone = "Europe/Berlin"\n', encoding="utf-8")
    return tmp_path


def stored_runs(workspace: Path) -> list[tuple]:
    with duckdb.connect(str(workspace / "data" / "weckruf.read.duckdb"), read_only=True) as con:
        return con.execute("SELECT kind, status FROM runs ORDER BY started_at").fetchall()


def test_prefect_deploy_and_a_worker_run_the_daily_deployment(prefect_server: PrefectServer, workspace: Path) -> None:
    env = {**prefect_server.env, "WECKRUF_HOME": str(workspace)}
    prefect = str(BIN / "prefect")
    subprocess.run([prefect, "work-pool", "create", "weckruf", "--type", "process"], env=env, check=True,
                   capture_output=True, timeout=120)
    deployed = subprocess.run([prefect, "--no-prompt", "deploy", "--all"], env=env, cwd=REPO / "deploy",
                              capture_output=True, text=True, timeout=300)
    assert deployed.returncode == 0, deployed.stdout[-3000:] + deployed.stderr[-3000:]
    daily = prefect_server.deployment("weckruf-daily-job", "daily")
    [schedule] = daily["schedules"]
    assert (schedule["schedule"]["cron"], schedule["schedule"]["timezone"]) == ("0 6 * * *", "Europe/Berlin")
    assert prefect_server.deployment("weckruf-reclassify-job", "on-demand")["entrypoint"] == "flows.deployments:reclassify_job"
    worker = started([prefect, "worker", "start", "--pool", "weckruf"], env, workspace / "worker.log")
    try:
        state = prefect_server.run_to_end(daily["id"])
    finally:
        stop(worker)
    assert state == "COMPLETED", (workspace / "worker.log").read_text()[-4000:]
    assert stored_runs(workspace) == [("daily", "ok")]


def test_weckruf_serve_serves_the_configured_schedule(prefect_server: PrefectServer, workspace: Path) -> None:
    serving = started([str(BIN / "weckruf"), "serve", "--config", str(workspace / "weckruf.toml")],
                      prefect_server.env, workspace / "serve.log", cwd=workspace)
    try:
        deadline = time.monotonic() + 180
        daily = None
        while time.monotonic() < deadline and serving.poll() is None:
            try:
                daily = prefect_server.deployment("weckruf-daily-job", "daily")
                if daily["schedules"] and daily["schedules"][0]["schedule"]["cron"] == "30 5 * * 1-5":
                    break
            except OSError:
                pass
            time.sleep(2)
        assert daily and daily["schedules"][0]["schedule"]["cron"] == "30 5 * * 1-5", \
            (workspace / "serve.log").read_text()[-3000:]
        assert daily["schedules"][0]["schedule"]["timezone"] == "Europe/Berlin"
        assert daily["parameters"] == {"config": str(workspace / "weckruf.toml")}
        state = prefect_server.run_to_end(daily["id"])
    finally:
        stop(serving, signal.SIGINT)
    assert state == "COMPLETED", (workspace / "serve.log").read_text()[-4000:]
    assert stored_runs(workspace) == [("daily", "ok")]
