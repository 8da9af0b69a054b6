"""Delivering job-cut alerts through Apprise (email, Slack, Teams, ntfy, webhooks, ...).

Alerts wait in the warehouse's outbox table; this module only turns an event into a message
and reports per event whether delivery worked, so a failure stays queued for the next run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import apprise


@dataclass(frozen=True)
class Delivery:
    event_key: str
    status: str  # sent | printed | pending
    error: str | None = None


def format_jobs(jobs: int | None) -> str:
    return f"{jobs:,}".replace(",", ".") + " Stellen" if jobs else "Stellenzahl unbekannt"


def alert_message(event: dict[str, Any], prefix: str = "weckruf") -> tuple[str, str]:
    """Title and body of one alert, in German like the news it reports."""
    cause = "KI/Automatisierung als Grund genannt" if event["ai_cause"] else "ohne KI als genannten Grund"
    title = f"{prefix}: {event['employer']} – {format_jobs(event['jobs_affected'])} ({cause})"
    sources = ", ".join(event.get("sources") or [])
    body = "\n".join([
        f"Neue Stellenabbau-Meldung: {event['employer']}, {format_jobs(event['jobs_affected'])}.",
        f"Überschrift: {event['headline']}",
        f"Aussage: {event['statement']}",
        f"Berichtet von: {sources or 'unbekannt'}",
        f"Zuerst gesehen: {event['first_seen']}",
        f"Link: {event['first_url']}",
    ])
    return title, body


def deliver(events: Sequence[dict[str, Any]], urls: Sequence[str], prefix: str = "weckruf") -> list[Delivery]:
    """Send each event to all configured URLs; without URLs the alerts are only printed.

    An event counts as sent only when every URL accepted it; otherwise it stays pending
    with the reason, and the next run tries again.
    """
    if not urls:
        return [Delivery(e["event_key"], "printed") for e in events]
    notifier = apprise.Apprise()
    rejected = [url for url in urls if not notifier.add(url)]
    if rejected:
        reason = f"invalid Apprise URL(s): {', '.join(_redact(u) for u in rejected)}"
        return [Delivery(e["event_key"], "pending", reason) for e in events]
    results = []
    for event in events:
        title, body = alert_message(event, prefix)
        ok = notifier.notify(title=title, body=body)
        results.append(Delivery(event["event_key"], "sent" if ok else "pending",
                                None if ok else "delivery failed (see log); will retry next run"))
    return results


def _redact(url: str) -> str:
    """Show the scheme and host of a URL but never its token."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/')[0].split('@')[-1]}/…"
