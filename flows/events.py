"""Grouping job-cut statements into events: one cut, one alert, however many outlets report it.

Statements join an event when they name the same employer (after normalising legal forms,
sector words, umlauts and case), state a compatible number of jobs and appear within the
grouping window. Keys are derived from the first report, so a re-run computes the same keys.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

LEGAL_FORMS = {"ag", "se", "gmbh", "kg", "kgaa", "co", "holding", "group", "gruppe", "inc", "ltd", "plc", "sa"}
SECTOR_WORDS = {"bank", "versicherung", "logistik", "chemie", "telekom", "software", "energie", "werke", "medien"}
JOBS_TOLERANCE = 0.1
WINDOW = timedelta(days=30)


def employer_tokens(name: str) -> frozenset[str]:
    """Comparable tokens of an employer name: "Nordlicht Versicherung AG" → {"nordlicht"}."""
    folded = name.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    tokens = [t for t in re.split(r"[^a-z0-9]+", folded) if t and t not in LEGAL_FORMS]
    core = [t for t in tokens if t not in SECTOR_WORDS]
    return frozenset(core or tokens)


def same_employer(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a) and bool(b) and (a <= b or b <= a)


def compatible_jobs(a: int | None, b: int | None) -> bool:
    """Unknown matches anything; known numbers must agree within 10 % ("rund 1.200" ~ 1.180)."""
    if a is None or b is None:
        return True
    return abs(a - b) <= JOBS_TOLERANCE * max(a, b)


def event_key(employer: str, first_seen: datetime, jobs: int | None) -> str:
    return f"{'-'.join(sorted(employer_tokens(employer)))}:{first_seen.date().isoformat()}:{jobs if jobs else 'na'}"


@dataclass
class Event:
    event_key: str
    employer: str
    jobs_affected: int | None
    ai_cause: bool
    first_seen: datetime
    last_seen: datetime
    headline: str
    statement: str
    first_url: str
    alert: bool = False
    articles: dict[str, str] = field(default_factory=dict)  # article_id -> source

    def matches(self, employer: str, jobs: int | None, seen_at: datetime) -> bool:
        return (
            same_employer(employer_tokens(self.employer), employer_tokens(employer))
            and compatible_jobs(self.jobs_affected, jobs)
            and abs(seen_at - self.last_seen) <= WINDOW
        )

    def as_row(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "articles"}


def group_job_cuts(
    statements: list[dict[str, Any]], existing: list[dict[str, Any]], *, only_ai_cause: bool
) -> tuple[list[Event], list[tuple[str, str, str]]]:
    """Assign new job-cut statements (oldest first) to existing or new events.

    Returns the events that changed or were created and the (event_key, article_id, source)
    links to store. ``alert`` is set on events that qualify for an alert under the policy.
    """
    known = [
        Event(e["event_key"], e["employer"], e["jobs_affected"], e["ai_cause"], e["first_seen"], e["last_seen"],
              "", "", "")
        for e in existing
    ]
    touched: dict[str, Event] = {}
    links: dict[tuple[str, str], str] = {}  # (event_key, article_id) -> source
    for s in statements:
        seen_at = s["seen_at"]
        event = next((e for e in touched.values() if e.matches(s["employer"], s["jobs_affected"], seen_at)), None)
        event = event or next((e for e in known if e.matches(s["employer"], s["jobs_affected"], seen_at)), None)
        if event is None:
            event = Event(
                event_key(s["employer"], seen_at, s["jobs_affected"]), s["employer"], s["jobs_affected"],
                bool(s["ai_cause"]), seen_at, seen_at, s["title"] or s["text"], s["text"], s["canonical_url"],
            )
            known.append(event)
        event.last_seen = max(event.last_seen, seen_at)
        event.jobs_affected = event.jobs_affected or s["jobs_affected"]
        event.ai_cause = event.ai_cause or bool(s["ai_cause"]) or bool(s.get("article_ai"))
        event.headline = event.headline or s["title"] or s["text"]
        event.statement = event.statement or s["text"]
        event.first_url = event.first_url or s["canonical_url"]
        event.alert = event.ai_cause or not only_ai_cause
        touched[event.event_key] = event
        links.setdefault((event.event_key, s["article_id"]), s["source"])
    return list(touched.values()), [(key, article, source) for (key, article), source in links.items()]
