"""Shared test servers and runs: a local site with routes written by each test, an SMTP server, one demo run.

Everything listens on 127.0.0.1 with a free port; nothing here reaches the network.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, ContextManager

import pytest

if TYPE_CHECKING:
    from aiosmtpd.smtp import Envelope

Route = tuple[int, str, bytes]


@dataclass
class LocalServer:
    routes: dict[str, Route]
    requests: list[tuple[str, str, bytes]] = field(default_factory=list)
    etags: dict[str, str] = field(default_factory=dict)  # path -> ETag; a matching If-None-Match gets 304
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # path -> extra response headers
    times: list[float] = field(default_factory=list)  # monotonic arrival time of each request
    port: int = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, body_wanted: bool) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            payload = self.rfile.read(length) if length else b""
            server.requests.append((self.command, self.path, payload))
            server.times.append(time.monotonic())
            route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
            status, ctype, body = route or (404, "text/html", b"<h1>not found</h1>")
            etag = server.etags.get(self.path)
            if etag and self.headers.get("If-None-Match") == etag:
                status, body = 304, b""
            self.send_response(status)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Type", ctype)
            for name, value in server.headers.get(self.path, {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body_wanted:
                self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 (http.server API)
            self._answer(True)

        def do_POST(self) -> None:  # noqa: N802
            self._answer(True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(False)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def running_server() -> Iterator[LocalServer]:
    """A threaded HTTP server on a free port; callers fill ``routes`` before requests arrive."""
    state = LocalServer(routes={})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    with running_server() as server:
        yield server


@pytest.fixture(scope="session")
def start_server() -> Callable[[], ContextManager[LocalServer]]:
    """For module-scoped fixtures and tests that need a server with their own lifetime."""
    return running_server


REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_MODEL = REPO / "data" / "models" / "weckruf-stance"


@pytest.fixture(scope="session")
def model_dir() -> Path:
    """The default stance model that `make setup` builds (the suite runs after it)."""
    if not (DEFAULT_MODEL / "config.json").exists():
        pytest.fail(f"no model at {DEFAULT_MODEL}: run `make setup` (make test does it first)")
    return DEFAULT_MODEL


@pytest.fixture
def corpus_dir() -> Path:
    """../shared/corpus when present (publishers' pages are never copied into the repo)."""
    if not (SHARED_CORPUS / "html").is_dir():
        pytest.skip("../shared/corpus is not available")
    return SHARED_CORPUS


@dataclass(frozen=True)
class DemoRun:
    """One `weckruf demo` as a user starts it, shared by the tests that read its warehouse."""

    data_dir: Path
    result: subprocess.CompletedProcess

    @property
    def warehouse(self) -> Path:
        return self.data_dir / "weckruf.duckdb"


def weckruf_exe() -> str:
    """The installed console script of the interpreter running the tests."""
    return shutil.which("weckruf", path=str(Path(sys.executable).parent)) or "weckruf"


@pytest.fixture(scope="session")
def demo_run(model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """The demo warehouse, built once per session by the real command (not to be written to)."""
    data_dir = tmp_path_factory.mktemp("demo")
    result = subprocess.run(
        [weckruf_exe(), "demo", "--data-dir", str(data_dir)], capture_output=True, cwd=REPO,
        env={**os.environ, "WECKRUF_MODEL": str(model_dir)}, timeout=600,
    )
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    return DemoRun(data_dir, result)


@dataclass
class SmtpSink:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 keeping every message it receives."""

    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:  # noqa: N802 (aiosmtpd API)
        self.messages.append(message_from_bytes(envelope.content, policy=email_policy.default))
        return "250 OK"

    def url(self, to: str = "betriebsrat@example.org") -> str:
        """The Apprise mailto:// URL that delivers here, unencrypted (127.0.0.1 only)."""
        return f"mailto://127.0.0.1:{self.port}?from=weckruf@example.org&to={to}"

    def texts(self) -> list[tuple[str, str]]:
        """(subject, plain-text body) of each message received."""
        return [(m["subject"], m.get_body(preferencelist=("plain",)).get_content()) for m in self.messages]


@pytest.fixture
def smtp_server() -> Iterator[SmtpSink]:
    from aiosmtpd.controller import Controller

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    sink = SmtpSink(port=probe.getsockname()[1])
    probe.close()
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
