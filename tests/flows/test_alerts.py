"""Alert messages and their delivery through Apprise to a local webhook receiver."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from flows.alerts import alert_message, deliver, format_jobs


def event(key: str = "moorkamp:2026-11-20:1200", jobs: int | None = 1200, ai: bool = True) -> dict:
    return {"event_key": key, "employer": "Moorkamp Logistik", "jobs_affected": jobs, "ai_cause": ai,
            "headline": "Moorkamp streicht Stellen in der Disposition", "statement": "Moorkamp baut 1.200 Stellen ab.",
            "sources": ["kinetz", "bytebote"], "first_seen": datetime(2026, 11, 20, 7, 0, tzinfo=timezone.utc),
            "first_url": "http://www.kinetz.example/artikel/moorkamp"}


def test_message_is_german_and_names_employer_jobs_cause_and_outlets() -> None:
    title, body = alert_message(event(), prefix="weckruf")
    assert title == "weckruf: Moorkamp Logistik – 1.200 Stellen (KI/Automatisierung als Grund genannt)"
    assert "Berichtet von: kinetz, bytebote" in body and "Link: http://www.kinetz.example/artikel/moorkamp" in body
    title, _ = alert_message(event(jobs=None, ai=False))
    assert "Stellenzahl unbekannt" in title and "ohne KI als genannten Grund" in title
    assert format_jobs(35000) == "35.000 Stellen"


def test_without_urls_alerts_are_printed_not_sent() -> None:
    assert [d.status for d in deliver([event("a"), event("b")], [])] == ["printed", "printed"]


def test_each_event_reaches_the_webhook_once(local_server) -> None:
    local_server.routes["/hook"] = (200, "application/json", b"{}")
    deliveries = deliver([event("a"), event("b")], [f"json://127.0.0.1:{local_server.port}/hook"])
    assert [(d.event_key, d.status, d.error) for d in deliveries] == [("a", "sent", None), ("b", "sent", None)]
    posts = [json.loads(body) for method, path, body in local_server.requests if method == "POST"]
    assert len(posts) == 2 and posts[0]["title"].startswith("weckruf: Moorkamp Logistik")


def test_a_failing_receiver_leaves_the_alert_pending_for_the_next_run(local_server) -> None:
    local_server.routes["/hook"] = (500, "text/plain", b"down")
    [delivery] = deliver([event()], [f"json://127.0.0.1:{local_server.port}/hook"])
    assert delivery.status == "pending" and "will retry next run" in (delivery.error or "")


def test_an_invalid_url_is_reported_without_its_token() -> None:
    [delivery] = deliver([event()], ["nosuchscheme://user:geheim-token-123@hooks.example/abc"])
    assert delivery.status == "pending" and "invalid Apprise URL" in (delivery.error or "")
    assert "geheim-token-123" not in (delivery.error or "") and "hooks.example" in (delivery.error or "")
