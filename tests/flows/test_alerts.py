"""Alert rules, German messages, and delivery through Apprise to a local webhook and SMTP server."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from flows.alerts import (
    Channel, Outgoing, deliver, digest_message, format_jobs, health_changes, health_message, invalid_urls,
    job_cut_message, send, skip_reason,
)
from flows.config import AlertConfig

NOW = datetime(2026, 11, 21, 6, 0, tzinfo=timezone.utc)


def event(jobs: int | None = 1200, ai: bool = True, first_seen: datetime = NOW - timedelta(days=1),
          sources: tuple[str, ...] = ("kinetz", "bytebote")) -> dict:
    return {"employer": "Moorkamp Logistik", "jobs_affected": jobs, "ai_cause": ai,
            "headline": "Moorkamp streicht Stellen in der Disposition", "statement": "Moorkamp baut 1.200 Stellen ab.",
            "first_seen": first_seen, "first_url": "http://www.kinetz.example/artikel/moorkamp", "sources": list(sources),
            "articles": [{"source": s, "url": f"http://{s}.example/artikel/moorkamp"} for s in sources]}


def message(key: str = "k", attempts: int = 0, delivered: frozenset[str] = frozenset()) -> Outgoing:
    return Outgoing(key, *job_cut_message(event()), attempts=attempts, delivered=delivered)


def test_message_is_german_and_names_employer_jobs_cause_sentence_and_every_article() -> None:
    title, body = job_cut_message(event(), prefix="weckruf")
    assert title == "weckruf: Moorkamp Logistik – 1.200 Stellen (KI/Automatisierung als Grund genannt)"
    assert "KI als Grund genannt: ja" in body and "Kernaussage: Moorkamp baut 1.200 Stellen ab." in body
    assert "Zuerst gemeldet: 20.11.2026" in body and "Berichtet von 2 Artikel(n):" in body
    assert "- kinetz: http://kinetz.example/artikel/moorkamp" in body
    assert "- bytebote: http://bytebote.example/artikel/moorkamp" in body
    title, _ = job_cut_message(event(jobs=None, ai=False))
    assert "Stellenzahl unbekannt" in title and "ohne KI als genannten Grund" in title
    assert format_jobs(35000) == "35.000 Stellen"


@pytest.mark.parametrize(("rules", "case", "reason"), [
    (AlertConfig(), event(), None),
    (AlertConfig(), event(first_seen=NOW - timedelta(days=4)), "erste Meldung älter als 3 Tage"),
    (AlertConfig(max_age_days=0), event(first_seen=NOW - timedelta(days=400)), None),
    (AlertConfig(), event(ai=False), "KI nicht als Grund genannt"),
    (AlertConfig(only_ai_cause=False), event(ai=False), None),
    (AlertConfig(min_jobs=1500), event(jobs=1200), "weniger als 1500 Stellen genannt"),
    (AlertConfig(min_jobs=100), event(jobs=None), "weniger als 100 Stellen genannt"),
    (AlertConfig(sources=("golem",)), event(), "von keiner beobachteten Quelle berichtet"),
    (AlertConfig(sources=("golem", "bytebote")), event(), None),
    (AlertConfig(employers=("Nordlicht",)), event(), "kein beobachteter Arbeitgeber"),
    (AlertConfig(employers=("Moorkamp",)), event(), None),  # the same employer under a shorter name
])
def test_rules_decide_which_events_are_alerted(rules: AlertConfig, case: dict, reason: str | None) -> None:
    assert skip_reason(case, rules, NOW) == reason


def test_without_channels_messages_are_printed_not_sent() -> None:
    assert [d.status for d in deliver([message("a"), message("b")], [], max_attempts=5)] == ["printed", "printed"]


def test_each_message_reaches_the_webhook_once(local_server) -> None:
    local_server.routes["/hook"] = (200, "application/json", b"{}")
    hook = Channel.of(f"json://127.0.0.1:{local_server.port}/hook")
    deliveries = deliver([message("a"), message("b")], [hook], max_attempts=5)
    assert [(d.key, d.status, d.error, d.delivered) for d in deliveries] == [
        ("a", "sent", None, (hook.id,)), ("b", "sent", None, (hook.id,))]
    posts = [json.loads(body) for method, _, body in local_server.requests if method == "POST"]
    assert len(posts) == 2 and posts[0]["title"].startswith("weckruf: Moorkamp Logistik")


def test_a_retry_goes_only_to_the_channels_that_missed_the_message(local_server) -> None:
    local_server.routes["/up"] = (200, "application/json", b"{}")
    local_server.routes["/down"] = (500, "text/plain", b"kaputt")
    up, down = (Channel.of(f"json://127.0.0.1:{local_server.port}/{p}") for p in ("up", "down"))
    [first] = deliver([message()], [up, down], max_attempts=5)
    assert first.status == "pending" and first.delivered == (up.id,)
    assert "500" in first.error and "will retry next run" in first.error  # Apprise's own reason
    local_server.routes["/down"] = (200, "application/json", b"{}")
    [second] = deliver([message(attempts=1, delivered=frozenset(first.delivered))], [up, down], max_attempts=5)
    assert second.status == "sent" and second.delivered == (down.id,)
    paths = [path for method, path, _ in local_server.requests if method == "POST"]
    assert sorted(paths) == ["/down", "/down", "/up"]


def test_delivery_gives_up_after_max_attempts(local_server) -> None:
    local_server.routes["/hook"] = (503, "text/plain", b"busy")
    hook = Channel.of(f"json://127.0.0.1:{local_server.port}/hook")
    assert deliver([message(attempts=3)], [hook], max_attempts=5)[0].status == "pending"
    [last] = deliver([message(attempts=4)], [hook], max_attempts=5)
    assert last.status == "failed" and "gave up after 5 attempts" in last.error


def test_urls_are_never_shown_with_their_token() -> None:
    secret = "nosuchscheme://user:geheim-token-123@hooks.example/abc"
    assert invalid_urls([secret, "json://127.0.0.1/hook"]) == ["nosuchscheme://hooks.example/…"]
    channel = Channel.of("json://user:geheim-token-123@127.0.0.1:9/hook")
    assert "geheim" not in repr(channel) and "geheim" not in channel.label
    error = send(channel, "t", "b")  # nothing listens on port 9
    assert error and "geheim" not in error and channel.label in error


def test_a_mail_alert_arrives_at_a_real_smtp_server(smtp_server) -> None:
    [delivery] = deliver([message()], [Channel.of(smtp_server.url())], max_attempts=5)
    assert delivery.status == "sent"
    [(subject, body)] = smtp_server.texts()
    assert subject == "weckruf: Moorkamp Logistik – 1.200 Stellen (KI/Automatisierung als Grund genannt)"
    lines = body.splitlines()  # one fact per line, as written, also in the mail's plain-text part
    assert "Kernaussage: Moorkamp baut 1.200 Stellen ab." in lines
    assert "- bytebote: http://bytebote.example/artikel/moorkamp" in lines


def test_digest_lists_later_reports_with_new_numbers() -> None:
    base = {"event_key": "k", "employer": "Moorkamp Logistik", "event_jobs": 1200, "first_seen": NOW}
    title, body = digest_message([
        {**base, "source": "golem", "jobs_reported": 1500, "title": "Moorkamp: mehr Stellen betroffen", "url": "http://g/1"},
        {**base, "source": "heise", "jobs_reported": 1200, "title": None, "url": "http://h/2"},
    ])
    assert title == "weckruf: Nachträge zu 1 Meldung(en)"
    assert "Moorkamp Logistik (1.200 Stellen, zuerst gemeldet 21.11.2026):" in body
    assert "- golem: Moorkamp: mehr Stellen betroffen – nennt 1.500 Stellen" in body
    assert "- heise: http://h/2\n  http://h/2" in body


def test_health_messages_once_when_a_source_goes_down_and_once_when_it_recovers() -> None:
    streaks = {"kinetz": (3, False), "bytebote": (2, False), "golem": (4, True), "heise": (0, True), "t3n": (0, False)}
    assert health_changes(streaks, threshold=3) == [("heise", "source_recovered", 0), ("kinetz", "source_down", 3)]
    title, body = health_message("kinetz", "source_down", 3, "HTTP 503")
    assert title == "weckruf: Quelle kinetz fällt seit 3 Läufen aus" and "Letzter Fehler: HTTP 503" in body
