"""Pure steps of the daily flow, tested without Prefect or a crawl."""

from crawlers.sources import source_from_entry
from flows.daily import summarise_crawl, validators_to_keep
from flows.summary import CrawlOutcome


def test_feed_validators_are_kept_only_for_sources_without_errors() -> None:
    records = [
        {"kind": "feed_state", "source": "ok", "url": "http://ok.example/feed", "etag": '"1"'},
        {"kind": "feed_state", "source": "flaky", "url": "http://flaky.example/feed", "etag": '"2"'},
        {"kind": "error", "source": "flaky", "url": "http://flaky.example/a", "reason": "HTTP 500"},
    ]
    crawled = CrawlOutcome(per_source={"ok": {"feed": 1}, "flaky": {"feed": 1, "error": 1}})
    assert [r["source"] for r in validators_to_keep(records, crawled)] == ["ok"]


def test_crawl_outcome_counts_per_source_even_sources_that_sent_nothing() -> None:
    sources = [source_from_entry({"name": n, "homepage": f"http://{n}.example/"}) for n in ("ok", "flaky", "still")]
    records = [
        {"kind": "article", "source": "ok", "url": "http://ok.example/a"},
        {"kind": "article", "source": "ok", "url": "http://ok.example/b"},
        {"kind": "skipped", "source": "ok", "url": "http://ok.example/c", "reason": "link leaves the source's domains"},
        {"kind": "error", "source": "flaky", "url": "http://flaky.example/a", "stage": "article", "reason": "HTTP 500"},
    ]
    crawled = summarise_crawl(records, sources)
    assert crawled.per_source == {"ok": {"article": 2, "skipped": 1}, "flaky": {"error": 1}, "still": {}}
    assert crawled.articles_seen == 2 and crawled.skipped == 1 and crawled.sources_with_errors() == {"flaky"}
    assert crawled.errors == [{"source": "flaky", "url": "http://flaky.example/a", "stage": "article", "reason": "HTTP 500"}]
