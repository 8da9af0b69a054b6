"""What one run did: the counts the stages return, and the text `weckruf run` and `weckruf demo` print."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CrawlOutcome:
    """What the crawl stage reports: record counts per source (by kind), the errors, the skips."""

    per_source: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    skipped: int = 0

    @property
    def articles_seen(self) -> int:
        return sum(counts.get("article", 0) for counts in self.per_source.values())

    def sources_with_errors(self) -> set[str]:
        return {name for name, counts in self.per_source.items() if counts.get("error")}


@dataclass(frozen=True)
class AlertOutcome:
    """What the alert stage reports: sent, printed (title and link, no URLs configured), still
    pending (retried next run), failed (given up in this run after the last attempt)."""

    sent: int = 0
    printed: list[str] = field(default_factory=list)
    pending: int = 0
    failed: int = 0


@dataclass
class RunSummary:
    """Filled stage by stage during a run; ``status`` is "partial" when a source had errors or a
    delivery failed in this run (an alert given up on earlier does not count again)."""

    run_id: str
    kind: str
    articles_seen: int = 0
    articles_new: int = 0
    articles_changed: int = 0
    duplicates: int = 0
    reanalysed: int = 0  # articles a reclassify run marked for the current model
    statements_new: int = 0
    events_new: int = 0
    alerts_sent: int = 0
    alerts_printed: list[str] = field(default_factory=list)
    alerts_pending: int = 0
    alerts_failed: int = 0
    per_source: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)
    skipped: int = 0
    model: str | None = None  # id@version of the model that analysed this run's articles
    snapshot: str | None = None
    report: str | None = None  # the HTML report this run rewrote

    @property
    def status(self) -> str:
        return "partial" if self.errors or self.alerts_pending or self.alerts_failed else "ok"


def format_summary(summary: RunSummary, warehouse: str) -> str:
    lines = [
        f"run {summary.run_id} ({summary.kind}): {summary.status.upper()}",
        f"  articles fetched {summary.articles_seen}, new {summary.articles_new}, "
        f"changed {summary.articles_changed}, duplicates {summary.duplicates}, skipped links {summary.skipped}",
        *([f"  articles marked for re-analysis by the current model {summary.reanalysed}"] if summary.reanalysed else []),
        f"  statements written {summary.statements_new}, new job-cut events {summary.events_new}",
        f"  alerts sent {summary.alerts_sent}, printed {len(summary.alerts_printed)}, "
        f"still pending {summary.alerts_pending}, given up {summary.alerts_failed}"
        + (" (see: weckruf alerts --failed)" if summary.alerts_failed else ""),
        "  per source:",
    ]
    for name, counts in sorted(summary.per_source.items()):
        lines.append(
            f"    {name:<16} articles {counts.get('article', 0):>4}  errors {counts.get('error', 0):>3}  "
            f"skipped {counts.get('skipped', 0):>3}"
        )
    if summary.alerts_printed:
        lines.append("  alerts (no WECKRUF_ALERT_URLS configured, so printed here):")
        lines.extend(f"    ALERT {text}" for text in summary.alerts_printed)
    if summary.errors:
        lines.append(f"  errors ({len(summary.errors)}):")
        lines.extend(f"    [{e['source']}] {e['url']}: {e['reason']}" for e in summary.errors[:20])
        if len(summary.errors) > 20:
            lines.append(f"    … and {len(summary.errors) - 20} more (see the runs table)")
    lines.append(f"  warehouse {warehouse}; readers use {summary.snapshot}")
    if summary.report:
        lines.append(f"  report {summary.report}")
    return "\n".join(lines)
