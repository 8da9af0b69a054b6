"""The daily run as a Prefect flow: crawl → load → analyze → group → alert → publish.

The flow owns the warehouse's single writer connection for its whole duration; the crawl
runs in a subprocess (Twisted cannot restart in-process) and talks to the flow through a
JSON-lines file. Every stage is idempotent, so a re-run after a crash completes the work
without duplicating rows or alerts.
"""

from __future__ import annotations

import flows.runtime_env  # noqa: F401  (must precede prefect)

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from crawlers.job import CrawlJob, RecordKind
from crawlers.settings import CrawlSettings
from crawlers.sources import Source, load_sites, rules_by_source
from flows.alerts import (
    Channel, Outgoing, deliver, digest_message, health_changes, health_message, job_cut_message, skip_reason,
)
from flows.config import AlertConfig, ModelConfig, Settings
from flows.events import group_job_cuts
from flows.progress import RunProgress
from flows.report import write_report
from flows.summary import AlertOutcome, CrawlOutcome, RunSummary
from models.analyze import Analyzer
from models.stance import StanceModel
from warehouse import load, read
from warehouse.db import open_writer
from warehouse.snapshot import publish


def crawl_job(
    sources: list[Source], known: set[str], validators: dict[str, Any], settings: Settings, out: Path,
    since: date | None = None,
) -> CrawlJob:
    """What the crawl subprocess gets: the sources with their extraction rules resolved against
    the registry in use (packaged or the user's own), and the user's crawl knobs."""
    crawl = settings.crawl
    return CrawlJob(
        sources=tuple(sources),
        output=out,
        rules=rules_by_source(sources, load_sites(crawl.registry)),
        known_urls=frozenset(known),
        feed_state=validators,
        since=since,
        raw_dir=settings.raw_dir,
        max_articles_per_source=crawl.max_articles_per_source,
        settings=CrawlSettings(
            user_agent=crawl.user_agent, download_delay=crawl.download_delay, per_domain=crawl.per_domain,
            timeout=crawl.timeout, http_cache_dir=str(settings.data_dir / "httpcache") if crawl.http_cache else None,
            log_file=str(out.with_suffix(".log")),
        ),
    )


@task(retries=2, retry_delay_seconds=10, cache_policy=NO_CACHE)
def crawl_sources(
    sources: list[Source], known: set[str], validators: dict[str, Any], settings: Settings, run_id: str,
    proxy: str | None = None, since: date | None = None, progress: RunProgress | None = None,
) -> list[dict[str, Any]]:
    """Run the spider in a subprocess and return its records (articles, errors, skips)."""
    run_dir = settings.runs_dir / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    out = run_dir / "crawl.jsonl"
    out.unlink(missing_ok=True)  # a retried attempt starts clean
    job = crawl_job(sources, known, validators, settings, out, since)
    return job.run(run_dir / "job.json", proxy=proxy, timeout=settings.crawl.crawl_timeout_s,
                   on_progress=progress.crawled if progress else None)


def summarise_crawl(records: list[dict[str, Any]], sources: list[Source]) -> CrawlOutcome:
    """Count per-source outcomes; errors keep source, URL and reason for the runs table."""
    counts: dict[str, Counter[str]] = {s.name: Counter() for s in sources}
    for rec in records:
        counts.setdefault(rec["source"], Counter())[rec["kind"]] += 1
    return CrawlOutcome(
        per_source={name: dict(c) for name, c in counts.items()},
        errors=[{k: rec.get(k, "") for k in ("source", "url", "stage", "reason")}
                for rec in records if rec["kind"] == RecordKind.ERROR],
        skipped=sum(rec["kind"] == RecordKind.SKIPPED for rec in records),
    )


def validators_to_keep(records: list[dict[str, Any]], crawled: CrawlOutcome) -> list[dict[str, Any]]:
    """Feed validators worth remembering: only from sources whose run had no error.

    An unchanged feed answers 304 next time and its links are not looked at again, so a
    page that failed this run (a 500, a timeout) would never be retried; forgetting the
    validators of a source with errors makes the next run read its feed in full.
    Called after the articles are stored, so a crash in between cannot lose them either.
    """
    failed = crawled.sources_with_errors()
    return [r for r in records if r["kind"] == RecordKind.FEED_STATE and r["source"] not in failed]


@task(cache_policy=NO_CACHE)
def load_new_articles(con: duckdb.DuckDBPyConnection, records: list[dict[str, Any]], run_id: str) -> load.ArticleLoad:
    articles = [
        {k: v for k, v in rec.items() if k != "kind"} for rec in records if rec["kind"] == RecordKind.ARTICLE
    ]
    return load.load_articles(con, articles, run_id)


ANALYZE_CHUNK = 64  # articles per transformer pass: full batches, bounded memory


@task(cache_policy=NO_CACHE)
def analyze_articles(
    con: duckdb.DuckDBPyConnection, make_analyzer: Callable[[], Analyzer], progress: RunProgress | None = None,
) -> tuple[int, str | None]:
    """Analyse every article without a current analysis; returns the statements written and
    the model that wrote them.

    The model is loaded only when there is something to analyse: a run that found nothing
    new does not pay for it (and names no model).
    """
    pending = read.articles_to_analyze(con)
    if not pending:
        return 0, None
    analyzer = make_analyzer()
    written = 0
    for start in range(0, len(pending), ANALYZE_CHUNK):
        chunk = pending[start:start + ANALYZE_CHUNK]
        results = analyzer.analyze_articles([(a["title"], a["lead"], a["text"] or "") for a in chunk])
        load.save_statements(con, [(a["article_id"], statements) for a, statements in zip(chunk, results)],
                             analyzer.model)
        written += sum(map(len, results))
        if progress:
            progress.analysed(start + len(chunk), len(pending))
    return written, analyzer.model


@task(cache_policy=NO_CACHE)
def group_events(con: duckdb.DuckDBPyConnection, run_id: str, rules: AlertConfig, now: datetime) -> list[str]:
    """Group new job-cut statements into events and queue (or skip, with the reason) their alerts."""
    events, links = group_job_cuts(read.ungrouped_job_cuts(con), read.recent_events(con))
    rows = [e.as_row() for e in events]
    for row, event in zip(rows, events):
        row["skip_reason"] = skip_reason({**row, "sources": event.sources}, rules, now)
    return load.save_events(con, rows, links, run_id)


@task(cache_policy=NO_CACHE)
def queue_notices(con: duckdb.DuckDBPyConnection, run_id: str, rules: AlertConfig, crawled: CrawlOutcome) -> None:
    """Queue the run's digest of later reports (when enabled) and source-health messages."""
    updates = read.undigested_updates(con)
    if updates and rules.digest:
        load.queue_digest(con, f"digest:{run_id}", *digest_message(updates, rules.title_prefix))
    elif updates:
        load.mark_digested(con, "off")
    reasons = {e["source"]: e["reason"] for e in reversed(crawled.errors)}  # the first error of each source
    for source, kind, runs in health_changes(read.source_health(con), rules.source_failure_runs):
        title, body = health_message(source, kind, runs, reasons.get(source), rules.title_prefix)
        load.queue_message(con, f"{kind}:{source}:{run_id}", kind, title, body, subject=source)


def outgoing(row: dict[str, Any], prefix: str) -> Outgoing:
    """A queued outbox row as a message; job-cut alerts are rendered now, with every outlet known."""
    title, body = job_cut_message(row, prefix) if row["kind"] == "job_cut" else (row["title"], row["body"])
    return Outgoing(row["alert_key"], title, body, row["attempts"], frozenset(row["delivered"]))


@task(cache_policy=NO_CACHE)
def deliver_alerts(con: duckdb.DuckDBPyConnection, rules: AlertConfig) -> AlertOutcome:
    """One delivery attempt for every queued message; a delivered channel never gets it twice."""
    pending = read.pending_alerts(con)
    messages = [outgoing(row, rules.title_prefix) for row in pending]
    deliveries = deliver(messages, [Channel.of(url) for url in rules.urls], rules.max_attempts)
    for delivery in deliveries:
        load.record_delivery(con, delivery.key, delivery.status, delivery.error, delivery.delivered)
    return AlertOutcome(
        sent=sum(d.status == "sent" for d in deliveries),
        printed=[f"{m.title}" + (f"\n          {row['first_url']}" if row["kind"] == "job_cut" else "")
                 for d, m, row in zip(deliveries, messages, pending) if d.status == "printed"],
        pending=sum(d.status == "pending" for d in deliveries),
        failed=sum(d.status == "failed" for d in deliveries),
    )


def load_stance_model(config: ModelConfig) -> StanceModel:
    """The configured stance model; one place, so run and classify load it the same way."""
    return StanceModel(
        config.path, label_map=config.label_map or None, version=config.version,
        max_length=config.max_length, batch_size=config.batch_size, backend=config.backend,
        precision=config.precision,
    )


def new_run_id(kind: str, now: datetime) -> str:
    return f"{kind}-{now.strftime('%Y%m%dT%H%M%S%f')}"


@contextmanager
def warehouse_run(settings: Settings, kind: str) -> Iterator[tuple[duckdb.DuckDBPyConnection, RunSummary, datetime]]:
    """The frame of every run: the single writer connection, the run's row (``running`` from
    the start, so a crash stays visible), its closing counts, and the snapshot for readers.

    The body fills the summary; the frame records it and publishes only when the body
    finished, so readers never see half a run.
    """
    started = datetime.now(timezone.utc)
    summary = RunSummary(new_run_id(kind, started), kind)
    con = open_writer(settings.warehouse)
    try:
        load.start_run(con, summary.run_id, kind, started)
        yield con, summary, started
        load.finish_run(
            con, summary.run_id, datetime.now(timezone.utc), status=summary.status, articles_seen=summary.articles_seen,
            articles_new=summary.articles_new, statements_new=summary.statements_new, events_new=summary.events_new,
            alerts_sent=summary.alerts_sent, errors=summary.errors, model=summary.model,
        )
    finally:
        con.close()
    summary.snapshot = str(publish(settings.warehouse))
    if settings.report.after_each_run:
        summary.report = refresh_report(settings)
    get_run_logger().info("run %s: %s", summary.run_id, summary.status)


def refresh_report(settings: Settings) -> str | None:
    """Rewrite the HTML report from the new snapshot; a report that cannot be drawn is logged,
    never a reason to fail a run whose data is safely stored."""
    try:
        return str(write_report(settings.warehouse, settings.report_path))
    except Exception as exc:  # noqa: BLE001 (any rendering failure; the data is committed)
        get_run_logger().warning("report not written to %s: %s", settings.report_path, exc)
        return None


def analyse_group_alert(
    con: duckdb.DuckDBPyConnection, settings: Settings, summary: RunSummary, started: datetime,
    make_analyzer: Callable[[], Analyzer], crawled: CrawlOutcome, progress: RunProgress | None = None,
) -> None:
    """The stages after loading, shared by every kind of run: analyse what has no current
    analysis, group job cuts into events, queue digests and health notices, deliver."""
    summary.statements_new, summary.model = analyze_articles(con, make_analyzer, progress)
    summary.events_new = len(group_events(con, summary.run_id, settings.alerts, started))
    queue_notices(con, summary.run_id, settings.alerts, crawled)
    alerted = deliver_alerts(con, settings.alerts)
    summary.alerts_sent, summary.alerts_printed = alerted.sent, alerted.printed
    summary.alerts_pending, summary.alerts_failed = alerted.pending, alerted.failed


@flow(name="weckruf-daily", log_prints=False, validate_parameters=False)
def daily_run(
    settings: Settings, sources: list[Source], kind: str = "daily", proxy: str | None = None,
    analyzer: Analyzer | None = None, since: date | None = None, progress: RunProgress | None = None,
) -> RunSummary:
    """One run over the given sources; returns what it did.

    With ``since`` it is a backfill: sources with news sitemaps are walked back to that day
    (feeds for the others), and everything else is the same idempotent pipeline.
    """
    with warehouse_run(settings, kind) as (con, summary, started):
        load.upsert_sources(con, [s.as_dict() for s in sources])
        records = crawl_sources(sources, read.known_urls(con), read.feed_validators(con), settings, summary.run_id,
                                proxy, since, progress)
        crawled = summarise_crawl(records, sources)
        if progress:
            progress.crawl_finished(dict(Counter(rec["kind"] for rec in records)))
        summary.per_source, summary.errors, summary.skipped = crawled.per_source, crawled.errors, crawled.skipped
        summary.articles_seen = crawled.articles_seen
        loaded = load_new_articles(con, records, summary.run_id)
        load.save_feed_validators(con, validators_to_keep(records, crawled), started)
        summary.articles_new, summary.articles_changed = len(loaded.new), len(loaded.changed)
        summary.duplicates = loaded.duplicates
        load.record_source_results(con, summary.run_id, started, summary.per_source)
        analyse_group_alert(con, settings, summary, started,
                            lambda: analyzer or Analyzer(load_stance_model(settings.model)), crawled, progress)
    return summary


@flow(name="weckruf-reclassify", log_prints=False, validate_parameters=False)
def reclassify_run(
    settings: Settings, analyzer: Analyzer | None = None, progress: RunProgress | None = None,
) -> RunSummary:
    """Re-analyse every stored article that the current model has not analysed.

    Old statements are replaced, not kept: the warehouse holds one analysis per article, the
    current model's (each row names its model; `runs.model` tells which run used which).
    Stale articles are first marked unanalysed, in one transaction, then analysed chunk by
    chunk; a crash in between leaves them marked, so the next run of any kind finishes the
    work, and articles already done are not done again. Events and alerts follow the new
    analysis by the usual rules (old news is stored, not alerted).
    """
    analyzer = analyzer or Analyzer(load_stance_model(settings.model))
    with warehouse_run(settings, "reclassify") as (con, summary, started):
        summary.reanalysed = load.mark_for_reanalysis(con, analyzer.model)
        analyse_group_alert(con, settings, summary, started, lambda: analyzer, CrawlOutcome(), progress)
    return summary
