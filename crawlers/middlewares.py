"""Downloader middlewares: where a request may go, and how fast.

A redirect is followed only to the source's own domains and never from a public site to a
private or loopback address: a feed on the open internet must not be able to make the
crawler fetch internal services (server-side request forgery). A site's robots.txt
Crawl-delay is honoured, which Scrapy parses but does not apply.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.robotstxt import RobotParser

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


MAX_CRAWL_DELAY = 60.0  # a robots.txt asking for more would stall the daily run; 60 s is polite enough


class CrawlDelayRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt rules plus Crawl-delay: the site's download slot waits at least that long.

    Requests to such a site are marked so that AutoThrottle does not lower the delay again.
    """

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        super().process_request_2(rp, request)
        if rp is None:
            return
        delay = rp.crawl_delay(self._robotstxt_useragent or self._default_useragent)
        if not delay:
            return
        delay = min(delay, MAX_CRAWL_DELAY)
        request.meta["autothrottle_dont_adjust_delay"] = True
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        # no random jitter on such a slot: Scrapy's ±50 % would undercut the site's minimum
        downloader.per_slot_settings.setdefault(key, {}).update(delay=delay, jitter=0.0)
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.delay, slot.jitter = max(slot.delay, delay), 0.0
