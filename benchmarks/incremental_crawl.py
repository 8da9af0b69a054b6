"""Incremental discovery: how many article requests a daily crawl makes, by what is new.

Crawls the demo site three times through its proxy: from scratch, again unchanged (with
the first run's URLs and feed validators), and with N articles "new" (their URLs removed
from the known set). The ideal is: requests = new articles, and an unchanged feed costs a
single 304.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from crawlers.demo_site import DemoServer, expected_articles, sources
from crawlers.job import CrawlJob, RecordKind
from crawlers.settings import CrawlSettings
from crawlers.sources import load_sites, rules_by_source

NEW_ARTICLES = 5


def crawl(server: DemoServer, workdir: Path, known: list[str], feed_state: dict[str, Any]) -> tuple[list[dict], list[tuple[str, int]]]:
    """One crawl subprocess; returns its records and the requests the site saw."""
    out = workdir / "out.jsonl"
    out.unlink(missing_ok=True)
    demo = sources()
    job = CrawlJob(
        sources=tuple(demo), output=out, rules=rules_by_source(demo, load_sites()),
        known_urls=frozenset(known), feed_state=feed_state, raw_dir=workdir / "raw",
        settings=CrawlSettings(download_delay=0.0, log_file=str(workdir / "crawl.log")),
    )
    mark = len(server.requests)
    records = job.run(workdir / "job.json", proxy=server.proxy_url)
    return records, server.requests[mark:]


def main() -> None:
    articles = {a["url"] for a in expected_articles()}
    with DemoServer() as server, tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        first, seen = crawl(server, workdir, [], {})
        articles_first = [r for r in first if r["kind"] == RecordKind.ARTICLE]
        known = sorted({r["url"] for r in articles_first} | {r["canonical_url"] for r in articles_first})
        validators = {r["url"]: {"etag": r.get("etag"), "last_modified": r.get("last_modified")}
                      for r in first if r["kind"] == RecordKind.FEED_STATE}
        runs = [("from scratch", len(articles), seen)]
        _, seen = crawl(server, workdir, known, validators)
        runs.append(("unchanged", 0, seen))
        fresh = sorted(articles)[:NEW_ARTICLES]
        _, seen = crawl(server, workdir, [u for u in known if u not in fresh], {})
        runs.append((f"{NEW_ARTICLES} new", NEW_ARTICLES, seen))
    for name, new, requests in runs:
        article_requests = sum(1 for url, _ in requests if url in articles)
        not_modified = sum(1 for _, status in requests if status == 304)
        ratio = f"{article_requests / new:.2f}" if new else "n/a"
        print(f"{name:<13} new={new:<3} article requests={article_requests:<3} ratio={ratio:<5} "
              f"feed 304s={not_modified}  all requests={len(requests)}")


if __name__ == "__main__":
    main()
