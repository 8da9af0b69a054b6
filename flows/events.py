"""Grouping job-cut statements into events: one cut, one alert, however many outlets report it.

A statement joins an event when it names the same employer (models.employers: legal forms,
case, umlauts and word order aside, never through shared generic words such as "Deutsche" or
"Stadtwerke") within the grouping window of the event's last report. The number of jobs does
not split an event: outlets round, give the national part of a global cut, or report a plan
that grew ("1.200" then "1.500"). What does split one is a statement that announces a further
round ("weitere 500 Stellen", "zweite Abbauwelle") days after the first. Keys are derived from
the first report, so a re-run computes the same keys; the event keeps the most complete name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from models.employers import employer_tokens, fuller_name, same_employer

WINDOW = timedelta(days=30)  # a report joins an event whose last report is at most this old
NEW_ROUND_AFTER = timedelta(days=2)  # a "further cut" statement is a new event once the first is this old
_FURTHER_ROUND = re.compile(
    r"\bweitere[n]?\s+(?:(?:rund|etwa|knapp|gut|mehr\s+als|bis\s+zu)\s+)?\d|\bzusätzlich\w*\s+(?:rund\s+|etwa\s+)?\d|"
    r"\b(?:zweite|dritte|neue|erneute)[nrs]?\s+(?:Abbau\w*|Sparrunde|Entlassungswelle|Kündigungswelle|Welle|Runde)|"
    r"\berneut\s+(?:[\w-]+\s+){0,4}?(?:Stellen|Jobs|Arbeitsplätze)|\bzusätzlich\s+zu\b|\bhinzu\b",
    re.IGNORECASE,
)


def announces_further_round(text: str) -> bool:
    """"streicht weitere 500 Stellen", "zweite Abbauwelle": a cut on top of an earlier one."""
    return bool(_FURTHER_ROUND.search(text))


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
    aliases: set[str] = field(default_factory=set)  # every form of the name this run saw ("Moorkamp", …)
    sources: set[str] = field(default_factory=set)  # every outlet that reported it, earlier runs included

    def matches(self, employer: str, seen_at: datetime, further_round: bool) -> bool:
        """Same employer (by any name it was reported under), within the window, not a later round."""
        if further_round and seen_at - self.first_seen > NEW_ROUND_AFTER:
            return False
        names = {self.employer, *self.aliases}
        return any(same_employer(name, employer) for name in names) and abs(seen_at - self.last_seen) <= WINDOW

    def as_row(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k not in ("aliases", "sources")}


def reports_by_article(statements: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Job-cut statements grouped by article and employer, in the given (oldest first) order.

    One article reports one cut per employer: its background sentences ("hatte vor zwei Wochen
    1.200 Stellen gestrichen") belong to the cut the article is about, so they are judged together.
    """
    reports: list[list[dict[str, Any]]] = []
    of_article: dict[str, list[list[dict[str, Any]]]] = {}
    for s in statements:
        siblings = of_article.setdefault(s["article_id"], [])
        same = next((r for r in siblings if same_employer(r[0]["employer"], s["employer"])), None)
        if same is None:
            siblings.append([s])
            reports.append(siblings[-1])
        else:
            same.append(s)
    return reports


Link = tuple[str, str, str, int | None]  # event_key, article_id, source, jobs the article names


def group_job_cuts(statements: list[dict[str, Any]], existing: list[dict[str, Any]]) -> tuple[list[Event], list[Link]]:
    """Assign new job-cut statements (oldest first) to existing or new events.

    Returns the events that changed or were created and the links of articles to events to
    store. Whether an event is alerted is not decided here (flows/alerts.skip_reason).
    """
    known = [
        Event(e["event_key"], e["employer"], e["jobs_affected"], e["ai_cause"], e["first_seen"], e["last_seen"],
              "", "", "", sources=set(e.get("sources") or ()))
        for e in existing
    ]
    touched: dict[str, Event] = {}
    links: dict[tuple[str, str], tuple[str, int | None]] = {}  # (event_key, article_id) -> (source, jobs)
    for report in reports_by_article(statements):
        first = report[0]
        seen_at = first["seen_at"]
        further = any(announces_further_round(s["text"]) for s in report)
        jobs = next((s["jobs_affected"] for s in report if s["jobs_affected"]), None)
        candidates = [e for e in known if e.matches(first["employer"], seen_at, further)]
        event = max(candidates, key=lambda e: e.last_seen, default=None)  # the latest report of that employer
        if event is None:
            event = Event(
                event_key(first["employer"], seen_at, jobs), first["employer"], jobs, False, seen_at, seen_at,
                first["title"] or first["text"], first["text"], first["canonical_url"],
            )
            known.append(event)
        event.last_seen = max(event.last_seen, seen_at)
        for s in report:
            event.aliases.add(s["employer"])
            event.employer = fuller_name(event.employer, s["employer"])
            event.ai_cause = event.ai_cause or bool(s["ai_cause"]) or bool(s.get("article_ai"))
        event.jobs_affected = event.jobs_affected or jobs
        event.headline = event.headline or first["title"] or first["text"]
        event.statement = event.statement or first["text"]
        event.first_url = event.first_url or first["canonical_url"]
        event.sources.add(first["source"])
        touched[event.event_key] = event
        links.setdefault((event.event_key, first["article_id"]), (first["source"], jobs))
    return list(touched.values()), [(key, article, *value) for (key, article), value in links.items()]
