"""Human-readable text for run summaries (what `weckruf run` and `weckruf demo` print)."""

from __future__ import annotations

from typing import Any


def format_summary(summary: dict[str, Any], warehouse: str) -> str:
    lines = [
        f"run {summary['run_id']} ({summary['kind']}): {summary['status'].upper()}",
        f"  articles fetched {summary['articles_seen']}, new {summary['articles_new']}, "
        f"changed {summary['articles_changed']}, duplicates {summary['duplicates']}, skipped links {summary['skipped']}",
        f"  statements written {summary['statements_new']}, new job-cut events {summary['events_new']}",
        f"  alerts sent {summary['alerts_sent']}, printed {len(summary['alerts_printed'])}, "
        f"still pending {summary['alerts_pending']}",
        "  per source:",
    ]
    for name, counts in sorted(summary["per_source"].items()):
        lines.append(
            f"    {name:<16} articles {counts.get('article', 0):>4}  errors {counts.get('error', 0):>3}  "
            f"skipped {counts.get('skipped', 0):>3}"
        )
    if summary["alerts_printed"]:
        lines.append("  alerts (no WECKRUF_ALERT_URLS configured, so printed here):")
        lines.extend(f"    ALERT {text}" for text in summary["alerts_printed"])
    if summary["errors"]:
        lines.append(f"  errors ({len(summary['errors'])}):")
        lines.extend(f"    [{e['source']}] {e['url']}: {e['reason']}" for e in summary["errors"][:20])
        if len(summary["errors"]) > 20:
            lines.append(f"    … and {len(summary['errors']) - 20} more (see the runs table)")
    lines.append(f"  warehouse {warehouse}; readers use {summary['snapshot']}")
    return "\n".join(lines)
