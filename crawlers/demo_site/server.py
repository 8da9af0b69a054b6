"""``DemoServer``: the demo outlets behind an HTTP forward proxy on 127.0.0.1, so the real
crawler fetches ``http://<outlet>.example/...`` unchanged by pointing ``http_proxy`` at it."""

from __future__ import annotations

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from crawlers.demo_site.render import render


class _ProxyRequestHandler(BaseHTTPRequestHandler):
    """Serves ``render()`` to clients that use this server as their HTTP proxy."""

    server_version = "weckruf-demo/1.0"
    protocol_version = "HTTP/1.1"

    def _target(self) -> tuple[str, str]:
        """Host and path from an absolute-form request line, else from the Host header."""
        target = urlsplit(self.path)
        if target.scheme and target.netloc:
            return target.netloc, target.path or "/"
        return self.headers.get("Host", ""), target.path or "/"

    def _respond(self, with_body: bool) -> None:
        host, path = self._target()
        status, content_type, body = render(host, path)
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"' if status == 200 else None
        if etag and self.headers.get("If-None-Match") == etag:
            status, body = 304, b""  # conditional GET, as real feed servers answer it
        self.server.request_log.append((f"http://{host}{path}", status))  # type: ignore[attr-defined]
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if etag:
            self.send_header("ETag", etag)
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - name fixed by BaseHTTPRequestHandler
        self._respond(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802 - name fixed by BaseHTTPRequestHandler
        self._respond(with_body=False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Silent: a demo crawl makes hundreds of requests and stderr is for real problems."""


class DemoServer:
    """Forward proxy for the demo outlets on 127.0.0.1, on a free port, in a daemon thread.

    Use it as a context manager and give ``proxy_url`` to the crawler as ``http_proxy``;
    the crawler then requests ``http://www.kinetz.example/...`` exactly as in production.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._address = (host, port)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.requests: list[tuple[str, int]] = []  # (url, status) of every request served, in order

    @property
    def proxy_url(self) -> str:
        """``http://127.0.0.1:<port>``, the value for the crawler's ``http_proxy``."""
        if self._httpd is None:
            raise RuntimeError("DemoServer is not running; use it in a with-block")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> DemoServer:
        self._httpd = ThreadingHTTPServer(self._address, _ProxyRequestHandler)
        self._httpd.daemon_threads = True
        self._httpd.request_log = self.requests  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="weckruf-demo-proxy", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None,
                 exc: BaseException | None, traceback: TracebackType | None) -> None:
        if self._httpd is not None and self._thread is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join()
        self._httpd = None
        self._thread = None
