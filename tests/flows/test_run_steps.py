"""Pure steps of the daily flow, tested without Prefect or a crawl."""

from flows.daily import validators_to_keep
from flows.summary import RunSummary


def test_feed_validators_are_kept_only_for_sources_without_errors() -> None:
    records = [
        {"kind": "feed_state", "source": "ok", "url": "http://ok.example/feed", "etag": '"1"'},
        {"kind": "feed_state", "source": "flaky", "url": "http://flaky.example/feed", "etag": '"2"'},
        {"kind": "error", "source": "flaky", "url": "http://flaky.example/a", "reason": "HTTP 500"},
    ]
    summary = RunSummary("r", "daily", per_source={"ok": {"feed": 1}, "flaky": {"feed": 1, "error": 1}})
    assert [r["source"] for r in validators_to_keep(records, summary)] == ["ok"]
