"""Alerts: which job-cut events are alerted, what the messages say, and delivering them.

The rules come from ``[alerts]`` in weckruf.toml; messages are German like the news they
report. Delivery goes through Apprise (email, Slack, Teams, ntfy, webhooks, ...) one channel
at a time, so a retry after a partial failure reaches only the channels that missed the
message. Everything here is pure except :func:`send`; the outbox lives in the warehouse.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import apprise

from models.employers import same_employer

if TYPE_CHECKING:
    from flows.config import AlertConfig


# ---- rules ----------------------------------------------------------------------------

def skip_reason(event: Mapping[str, Any], rules: AlertConfig, now: datetime) -> str | None:
    """Why the rules do not alert this event, or None when they do.

    ``event`` has employer, jobs_affected, ai_cause, first_seen and sources (every outlet
    that reported it so far). Old news is never alerted: a first run or a backfill finds
    weeks of cuts, and an alert for each would bury the new one.
    """
    if rules.max_age_days and now - event["first_seen"] > timedelta(days=rules.max_age_days):
        return f"erste Meldung älter als {rules.max_age_days} Tage"
    if rules.only_ai_cause and not event["ai_cause"]:
        return "KI nicht als Grund genannt"
    if rules.min_jobs and (event["jobs_affected"] or 0) < rules.min_jobs:
        return f"weniger als {rules.min_jobs} Stellen genannt"
    if rules.sources and not set(rules.sources) & set(event["sources"]):
        return "von keiner beobachteten Quelle berichtet"
    if rules.employers and not any(same_employer(event["employer"], name) for name in rules.employers):
        return "kein beobachteter Arbeitgeber"
    return None


# ---- messages -------------------------------------------------------------------------

def format_jobs(jobs: int | None) -> str:
    return f"{jobs:,}".replace(",", ".") + " Stellen" if jobs else "Stellenzahl unbekannt"


def _day(at: datetime) -> str:
    return at.strftime("%d.%m.%Y")


def job_cut_message(event: Mapping[str, Any], prefix: str = "weckruf") -> tuple[str, str]:
    """Title and body of one job-cut alert: employer, jobs, whether AI is named as the cause,
    the key sentence and a link to every article that reported it."""
    cause = "KI/Automatisierung als Grund genannt" if event["ai_cause"] else "ohne KI als genannten Grund"
    title = f"{prefix}: {event['employer']} – {format_jobs(event['jobs_affected'])} ({cause})"
    articles = event["articles"]  # [{source, url}], every article linked to the event
    lines = [
        f"Neue Stellenabbau-Meldung: {event['employer']}, {format_jobs(event['jobs_affected'])}.",
        f"KI als Grund genannt: {'ja' if event['ai_cause'] else 'nein'}",
        f"Überschrift: {event['headline']}",
        f"Kernaussage: {event['statement']}",
        f"Zuerst gemeldet: {_day(event['first_seen'])}",
        f"Berichtet von {len(articles)} Artikel(n):",
        *(f"- {a['source']}: {a['url']}" for a in articles),
    ]
    return title, "\n".join(lines)


def digest_message(updates: Sequence[Mapping[str, Any]], prefix: str = "weckruf") -> tuple[str, str]:
    """One message with every later report of already-alerted cuts: new outlets, new numbers."""
    by_event: dict[str, list[Mapping[str, Any]]] = {}
    for update in updates:
        by_event.setdefault(update["event_key"], []).append(update)
    lines = [f"Neues zu {len(by_event)} bereits gemeldeten Stellenabbau-Meldungen:"]
    for reports in by_event.values():
        first = reports[0]
        lines.append(f"\n{first['employer']} ({format_jobs(first['event_jobs'])}, zuerst gemeldet "
                     f"{_day(first['first_seen'])}):")
        for r in reports:
            number = ""
            if r["jobs_reported"] and r["jobs_reported"] != first["event_jobs"]:
                number = f" – nennt {format_jobs(r['jobs_reported'])}"
            lines.append(f"- {r['source']}: {r['title'] or r['url']}{number}\n  {r['url']}")
    return f"{prefix}: Nachträge zu {len(by_event)} Meldung(en)", "\n".join(lines)


def health_message(source: str, kind: str, runs: int, reason: str | None, prefix: str = "weckruf") -> tuple[str, str]:
    """A source that failed ``runs`` runs in a row, or that works again."""
    if kind == "source_recovered":
        return f"{prefix}: Quelle {source} liefert wieder", f"Die Quelle {source} liefert wieder Artikel."
    return (
        f"{prefix}: Quelle {source} fällt seit {runs} Läufen aus",
        f"Die Quelle {source} hat in {runs} Läufen nacheinander keinen Artikel geliefert.\n"
        f"Letzter Fehler: {reason or 'unbekannt'}\nPrüfen: weckruf runs --format json",
    )


# ---- channels and delivery ------------------------------------------------------------

@dataclass(frozen=True)
class Channel:
    """One Apprise URL. Only ``id`` (a hash) and ``label`` (scheme and host) are ever stored or shown."""

    url: str
    id: str
    label: str

    @classmethod
    def of(cls, url: str) -> Channel:
        return cls(url, hashlib.sha256(url.encode()).hexdigest()[:12], redact(url))

    def __repr__(self) -> str:  # never the token
        return f"Channel({self.label})"


def redact(url: str) -> str:
    """Show the scheme and host of a URL but never its token."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/')[0].split('@')[-1].split('?')[0]}/…"


def invalid_urls(urls: Sequence[str]) -> list[str]:
    """The URLs Apprise cannot use, redacted; checked at start so a typo stops the run at once."""
    return [redact(url) for url in urls if not apprise.Apprise().add(url)]


def send(channel: Channel, title: str, body: str) -> str | None:
    """Deliver one message to one channel; None when it arrived, else Apprise's own reason."""
    notifier = apprise.Apprise()
    if not notifier.add(channel.url):
        return f"invalid Apprise URL {channel.label}"
    with apprise.LogCapture(level=apprise.logging.WARNING, fmt="%(message)s") as log:
        # TEXT: our line breaks are meant; undeclared, e-mail's plain part would join the lines
        ok = notifier.notify(title=title, body=body, body_format=apprise.NotifyFormat.TEXT)
    if ok:
        return None
    reason = " ".join(log.getvalue().split()) or "delivery failed without a reason"
    return f"{channel.label}: {reason.replace(channel.url, channel.label)}"


@dataclass(frozen=True)
class Outgoing:
    """A queued message: its key, text, past attempts and the channels that already have it."""

    key: str
    title: str
    body: str
    attempts: int = 0
    delivered: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Delivery:
    key: str
    status: str  # sent | printed | pending | failed
    error: str | None = None
    delivered: tuple[str, ...] = ()  # ids of the channels that got it in this attempt


def deliver(messages: Sequence[Outgoing], channels: Sequence[Channel], max_attempts: int) -> list[Delivery]:
    """One delivery attempt per message to every channel that does not have it yet.

    Without channels messages are only printed. A message still missing a channel stays
    pending with the reasons, until its ``max_attempts``-th attempt fails: then it is
    ``failed`` and no longer tried (and no longer makes a run partial).
    """
    if not channels:
        return [Delivery(m.key, "printed") for m in messages]
    results = []
    for message in messages:
        missing = [c for c in channels if c.id not in message.delivered]
        outcome = {c.id: send(c, message.title, message.body) for c in missing}
        delivered = tuple(cid for cid, error in outcome.items() if error is None)
        errors = [error for error in outcome.values() if error]
        if not errors:
            results.append(Delivery(message.key, "sent", None, delivered))
            continue
        gave_up = message.attempts + 1 >= max_attempts
        note = f"gave up after {message.attempts + 1} attempts" if gave_up else "will retry next run"
        results.append(Delivery(message.key, "failed" if gave_up else "pending", f"{'; '.join(errors)} ({note})",
                                delivered))
    return results


def health_changes(streaks: Mapping[str, tuple[int, bool]], threshold: int) -> list[tuple[str, str, int]]:
    """(source, source_down | source_recovered, failed runs) for sources whose health changed.

    ``streaks`` maps a source to (runs failed in a row up to now, whether a "down" message
    is open). One message when a source reaches the threshold, one when it works again.
    """
    changes = []
    for source, (streak, down) in sorted(streaks.items()):
        if streak >= threshold and not down:
            changes.append((source, "source_down", streak))
        elif streak == 0 and down:
            changes.append((source, "source_recovered", 0))
    return changes
