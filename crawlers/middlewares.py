"""Downloader middlewares: where a request may go.

A redirect is followed only to the source's own domains and never from a public site to a
private or loopback address: a feed on the open internet must not be able to make the
crawler fetch internal services (server-side request forgery).
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from crawlers.urls import host_allowed


def is_private_host(host: str) -> bool:
    """Loopback, private, link-local or reserved IP literals, and localhost."""
    if host in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local or address.is_reserved


def redirect_refusal(origin: str, target: str, allowed: list[str] | None) -> str | None:
    """Why a redirect from ``origin`` to ``target`` must not be followed, or None."""
    target_host = urlsplit(target).hostname or ""
    if is_private_host(target_host) and not is_private_host(urlsplit(origin).hostname or ""):
        return f"redirect to a private address ({target_host})"
    if allowed and not host_allowed(target, allowed):
        return f"redirect to another domain ({target_host})"
    return None


class SafeRedirectMiddleware:
    """Stops redirected requests that leave the source or reach private addresses."""

    def process_request(self, request: Request, spider: Any = None) -> None:
        chain = request.meta.get("redirect_urls")
        if not chain:
            return None
        reason = redirect_refusal(chain[0], request.url, request.meta.get("allowed"))
        if reason:
            raise IgnoreRequest(reason)
        return None
