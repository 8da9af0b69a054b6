"""The daily spider: feeds → new article links → extracted articles.

Every outcome becomes one JSON line, a record of one RecordKind (crawlers/job.py), so the
flow that started this crawl in a subprocess can count per-source results without sharing
memory. A bad feed or page is recorded and the crawl goes on with the rest.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any, Iterator

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip
from twisted.python.failure import Failure

from crawlers.extract import ExtractionError, extract
from crawlers.feeds import FeedError, discover_feeds, parse_feed
from crawlers.job import CrawlJob, RecordKind, record
from crawlers.settings import MAX_PAGE_BYTES
from crawlers.sitemaps import SitemapError, parse_sitemap, wanted
from crawlers.urls import article_id, canonicalize, host_allowed

FALLBACK_DAYS = 2  # how far back a source's sitemap is read when its feeds cannot be found

HTML_TYPES = (b"text/html", b"application/xhtml+xml")


def conditional_headers(validators: dict[str, str | None]) -> dict[str, str]:
    """If-None-Match / If-Modified-Since from what the feed's server sent last time."""
    headers = {}
    if validators.get("etag"):
        headers["If-None-Match"] = validators["etag"]
    if validators.get("last_modified"):
        headers["If-Modified-Since"] = validators["last_modified"]
    return headers


def failure_reason(failure: Failure) -> str:
    """A one-line, user-readable reason for a failed request."""
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    if failure.check(IgnoreRequest):
        return f"ignored: {failure.getErrorMessage() or 'forbidden by robots.txt'}"
    return f"{failure.type.__name__}: {failure.getErrorMessage()}"


class NewsSpider(scrapy.Spider):
    """Reads each source's feeds (or finds them on its homepage) and fetches unseen articles."""

    name = "news"

    def __init__(self, job: CrawlJob, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.job = job
        self.scheduled: set[str] = set()
        self.per_source: dict[str, int] = {}
        self.autodiscovery_tried: set[str] = set()
        self.sitemap_fallback_tried: set[str] = set()

    async def start(self) -> Any:  # Scrapy ≥ 2.13 entry point
        for request in self._start_requests():
            yield request

    @staticmethod
    def _meta(response_meta: dict[str, Any], stage: str, **extra: Any) -> dict[str, Any]:
        """Only weckruf's own keys travel to follow-up requests (never Scrapy's internal ones)."""
        own = {k: response_meta[k] for k in ("source", "allowed", "homepage", "sitemaps", "since") if k in response_meta}
        return {**own, "stage": stage, **extra}

    def _start_requests(self) -> Iterator[scrapy.Request]:
        for source in self.job.sources:
            meta = {"source": source.name, "allowed": list(source.allowed_domains), "homepage": source.homepage,
                    "sitemaps": list(source.sitemaps)}
            if self.job.since and source.sitemaps:
                yield from self._sitemaps(meta, self.job.since)
            elif source.feeds:
                for feed in source.feeds:
                    yield scrapy.Request(feed, callback=self.parse_feed, errback=self.on_error,
                                         headers=conditional_headers(self.job.feed_state.get(feed, {})),
                                         meta={**meta, "stage": "feed", "handle_httpstatus_list": [304]},
                                         dont_filter=True)
            else:
                yield from self._autodiscover(meta)

    def _autodiscover(self, meta: dict[str, Any]) -> Iterator[scrapy.Request]:
        """Look for feeds on the homepage: for sources without feeds, or whose feed failed (once per source)."""
        if meta["source"] in self.autodiscovery_tried:
            return
        self.autodiscovery_tried.add(meta["source"])
        yield scrapy.Request(meta["homepage"], callback=self.parse_homepage, errback=self.on_error,
                             meta=self._meta(meta, "autodiscovery"), dont_filter=True)

    def _sitemaps(self, meta: dict[str, Any], since: date) -> Iterator[scrapy.Request]:
        for sitemap in meta["sitemaps"]:
            yield scrapy.Request(sitemap, callback=self.parse_sitemap, errback=self.on_error,
                                 meta=self._meta(meta, "sitemap", since=since.isoformat()), dont_filter=True)

    def _sitemap_fallback(self, meta: dict[str, Any]) -> Iterator[scrapy.Request]:
        """The last resort when neither the feed nor autodiscovery gave a feed: the source's
        news sitemap, for the articles of the last FALLBACK_DAYS days (once per source)."""
        if meta["source"] in self.sitemap_fallback_tried or not meta.get("sitemaps"):
            return
        self.sitemap_fallback_tried.add(meta["source"])
        yield from self._sitemaps(meta, date.today() - timedelta(days=FALLBACK_DAYS))

    def parse_homepage(self, response: Response) -> Iterator[Any]:
        """Feed autodiscovery for sources without (working) feed URLs."""
        source = response.meta["source"]
        feeds = discover_feeds(response.text, response.url) if isinstance(response, TextResponse) else []
        if not feeds:
            yield record(RecordKind.ERROR, source, response.url, stage="autodiscovery", reason="no feed announced on the homepage")
            yield from self._sitemap_fallback(response.meta)
        for feed in feeds:
            yield response.follow(feed, callback=self.parse_feed, errback=self.on_error,
                                  meta=self._meta(response.meta, "feed"))

    def parse_feed(self, response: Response) -> Iterator[Any]:
        source = response.meta["source"]
        if response.status == 304:
            yield record(RecordKind.FEED, source, response.url, items=0, new=0, not_modified=True)
            return
        validators = {
            "etag": response.headers.get(b"ETag", b"").decode("latin-1") or None,
            "last_modified": response.headers.get(b"Last-Modified", b"").decode("latin-1") or None,
        }
        if any(validators.values()):
            yield record(RecordKind.FEED_STATE, source, response.url, **validators)
        try:
            entries, skipped = parse_feed(response.body, response.url)
        except FeedError as exc:
            yield record(RecordKind.ERROR, source, response.url, stage="feed", reason=str(exc))
            yield from self._autodiscover(response.meta)
            return
        for reason in skipped:
            yield record(RecordKind.SKIPPED, source, response.url, reason=reason)
        new = 0
        for entry in entries:
            for item in self._article_request(response.meta, entry.link, entry.title):
                new += isinstance(item, scrapy.Request)
                yield item
        yield record(RecordKind.FEED, source, response.url, items=len(entries), new=new)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        """Backfill: article URLs dated on or after ``since``, following sitemap indexes."""
        source = response.meta["source"]
        body = gunzip(response.body, max_size=MAX_PAGE_BYTES) if response.body[:2] == b"\x1f\x8b" else response.body
        try:
            entries = [e for e in parse_sitemap(body) if wanted(e, date.fromisoformat(response.meta["since"]))]
        except (SitemapError, OSError) as exc:
            yield record(RecordKind.ERROR, source, response.url, stage="sitemap", reason=str(exc))
            return
        for entry in entries:
            if entry.is_index:
                yield scrapy.Request(entry.url, callback=self.parse_sitemap, errback=self.on_error,
                                     meta=self._meta(response.meta, "sitemap"))
            else:
                yield from self._article_request(response.meta, entry.url, None)

    def _article_request(self, meta: dict[str, Any], url: str, title: str | None) -> Iterator[Any]:
        """A request for a linked article unless it is known, off-site or over the source's quota."""
        source = meta["source"]
        link = canonicalize(url)
        if not host_allowed(link, meta["allowed"]):
            yield record(RecordKind.SKIPPED, source, url, reason="link leaves the source's domains")
            return
        if link in self.job.known_urls or url in self.job.known_urls or link in self.scheduled:
            return
        if self.per_source.get(source, 0) >= self.job.max_articles_per_source:
            yield record(RecordKind.SKIPPED, source, url, reason=f"more than {self.job.max_articles_per_source} new articles")
            return
        self.scheduled.add(link)
        self.per_source[source] = self.per_source.get(source, 0) + 1
        yield scrapy.Request(url, callback=self.parse_article, errback=self.on_error,
                             meta=self._meta(meta, "article", feed_title=title))

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        source = response.meta["source"]
        content_type = response.headers.get(b"Content-Type", b"").split(b";")[0].strip().lower()
        if content_type and content_type not in HTML_TYPES:
            yield record(RecordKind.ERROR, source, response.url, stage="article",
                          reason=f"not an HTML page (Content-Type {content_type.decode(errors='replace')})")
            return
        if not isinstance(response, TextResponse):
            yield record(RecordKind.ERROR, source, response.url, stage="article", reason="binary response, not a web page")
            return
        header = response.headers.get(b"Content-Type", b"").decode("latin-1") or None
        try:
            article = extract(response.body, response.url, source=source, content_type=header,
                              rules=self.job.rules_for(source))
        except ExtractionError as exc:
            yield record(RecordKind.ERROR, source, response.url, stage="article", reason=str(exc))
            return
        if not article.title and response.meta.get("feed_title"):
            article.title = response.meta["feed_title"]
        yield {
            "kind": str(RecordKind.ARTICLE),
            "article_id": article_id(article.canonical_url),
            **article.as_contract(),
            "content_hash": article.content_hash,
            "fetched_at": datetime.now(timezone.utc).isoformat(),
            "raw_html": response.body,
        }

    def on_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request
        # HttpError subclasses IgnoreRequest, but an HTTP error is a failure, not a policy skip.
        kind = RecordKind.SKIPPED if failure.check(IgnoreRequest) and not failure.check(HttpError) else RecordKind.ERROR
        yield record(kind, request.meta.get("source", "?"), request.url,
                      stage=request.meta.get("stage", "?"), reason=failure_reason(failure))
        if request.meta.get("stage") == "feed":
            yield from self._autodiscover(request.meta)
        elif request.meta.get("stage") == "autodiscovery":
            yield from self._sitemap_fallback(request.meta)
