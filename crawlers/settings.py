"""Scrapy settings: polite by default.

robots.txt is obeyed, AutoThrottle adapts the pace to each server, at most two requests
run per domain, and the User-Agent names the project and where to reach it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

USER_AGENT = "weckruf/0.1 (+https://github.com/weckruf/weckruf; research crawler for German tech news)"
MAX_PAGE_BYTES = 10 * 1024 * 1024
DOWNLOAD_DELAY = 1.0  # seconds between requests to one domain, before AutoThrottle adapts it
PER_DOMAIN = 2  # concurrent requests per domain
TIMEOUT = 30.0  # seconds per request
MAX_ARTICLES_PER_SOURCE = 200  # new articles fetched per source and run


@dataclass(frozen=True)
class CrawlSettings:
    """The knobs of a crawl that weckruf.toml exposes (``[crawl]``); the defaults live here only."""

    user_agent: str = USER_AGENT
    download_delay: float = DOWNLOAD_DELAY
    per_domain: int = PER_DOMAIN
    timeout: float = TIMEOUT
    http_cache_dir: str | None = None
    log_file: str | None = None


def scrapy_settings(knobs: CrawlSettings = CrawlSettings()) -> dict[str, Any]:
    """The Scrapy settings a crawl runs with: polite defaults plus the user's knobs."""
    settings: dict[str, Any] = {
        "BOT_NAME": "weckruf",
        "USER_AGENT": knobs.user_agent,
        "ROBOTSTXT_OBEY": True,
        "ROBOTSTXT_USER_AGENT": "weckruf",
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": knobs.per_domain,
        "DOWNLOAD_DELAY": knobs.download_delay,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": max(knobs.download_delay, 0.0),
        "AUTOTHROTTLE_MAX_DELAY": 30.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "DOWNLOAD_TIMEOUT": knobs.timeout,
        "DOWNLOAD_MAXSIZE": MAX_PAGE_BYTES,
        "DOWNLOAD_WARNSIZE": MAX_PAGE_BYTES // 2,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 2,
        "REDIRECT_MAX_TIMES": 5,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO",
        "ITEM_PIPELINES": {"crawlers.pipelines.RawPagePipeline": 100, "crawlers.pipelines.JsonLinesPipeline": 900},
        # after RedirectMiddleware (600) has built the redirected request, before it is sent
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "crawlers.middlewares.CrawlDelayRobotsTxtMiddleware": 100,
            "crawlers.middlewares.SafeRedirectMiddleware": 650,
        },
        "DEFAULT_REQUEST_HEADERS": {"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"},
    }
    if knobs.http_cache_dir:
        settings.update({"HTTPCACHE_ENABLED": True, "HTTPCACHE_DIR": knobs.http_cache_dir, "HTTPCACHE_EXPIRATION_SECS": 0})
    if knobs.log_file:
        settings["LOG_FILE"] = knobs.log_file
    return settings
