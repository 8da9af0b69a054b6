"""weckruf's configuration: read once at the top, passed down as plain values.

Every key has a default, so no file is needed. The file is ``weckruf.toml`` (path via
``--config`` or WECKRUF_CONFIG). Secrets never live in it: alert URLs with tokens come from
the environment variable WECKRUF_ALERT_URLS (whitespace- or comma-separated Apprise URLs).
"""

from __future__ import annotations

import flows.runtime_env  # noqa: F401  (must precede prefect, whose schedule check is used here)

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, get_args, get_type_hints

from pydantic import TypeAdapter, ValidationError

from crawlers.sources import Source, apply_overrides, load_registry, select
from crawlers.settings import DOWNLOAD_DELAY, MAX_ARTICLES_PER_SOURCE, PER_DOMAIN, TIMEOUT, USER_AGENT
from flows.alerts import invalid_urls
from models.options import BACKENDS, PRECISIONS

ENV_CONFIG = "WECKRUF_CONFIG"
ENV_ALERT_URLS = "WECKRUF_ALERT_URLS"
ENV_MODEL = "WECKRUF_MODEL"
DEFAULT_DATA_DIR = Path("data")


class ConfigError(ValueError):
    """A configuration the run cannot use; the message names the key."""


@dataclass(frozen=True)
class CrawlConfig:
    user_agent: str = USER_AGENT
    download_delay: float = DOWNLOAD_DELAY
    per_domain: int = PER_DOMAIN
    timeout: float = TIMEOUT
    max_articles_per_source: int = MAX_ARTICLES_PER_SOURCE
    http_cache: bool = False
    crawl_timeout_s: float = 1800.0
    registry: Path | None = None


@dataclass(frozen=True)
class ModelConfig:
    path: str = str(DEFAULT_DATA_DIR / "models" / "weckruf-stance")  # a directory or a hub id
    base_path: Path = DEFAULT_DATA_DIR / "models" / "e5-small-base"
    label_map: dict[str, str] = field(default_factory=dict)
    version: str | None = None
    batch_size: int = 32
    max_length: int = 128
    backend: str = "torch"  # torch: the transformers weights (+ probe); onnx: the int8 export of the head alone (less exact)
    precision: str = "auto"  # torch backend: auto (models/stance.py auto_precision) | int8 | bf16 | fp32


@dataclass(frozen=True)
class AlertConfig:
    """Who gets told what (rules in flows/alerts.skip_reason). URLs only from the environment."""

    urls: tuple[str, ...] = ()
    only_ai_cause: bool = True  # alert only cuts with AI/automation named as the cause
    min_jobs: int = 0  # alert only cuts naming at least this many jobs (0: any, also unknown)
    sources: tuple[str, ...] = ()  # alert only cuts reported by one of these sources (empty: all)
    employers: tuple[str, ...] = ()  # alert only cuts at these employers (empty: all)
    max_age_days: int = 3  # never alert a cut first reported longer ago (0: no limit)
    max_attempts: int = 5  # delivery attempts (one per run) before a message is "failed"
    digest: bool = False  # send later reports of alerted cuts as one digest per run
    source_failure_runs: int = 3  # a source failing this many runs in a row raises a health alert
    title_prefix: str = "weckruf"


@dataclass(frozen=True)
class ScheduleConfig:
    cron: str = "0 6 * * *"
    timezone: str = "Europe/Berlin"


@dataclass(frozen=True)
class ReportConfig:
    """The HTML trend report every run rewrites (flows/report.py); `weckruf report` writes it on demand."""

    path: Path | None = None  # None: <data_dir>/report.html (Settings.report_path)
    after_each_run: bool = True


@dataclass(frozen=True)
class Settings:
    data_dir: Path = DEFAULT_DATA_DIR
    warehouse: Path = DEFAULT_DATA_DIR / "weckruf.duckdb"
    crawl: CrawlConfig = field(default_factory=CrawlConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    alerts: AlertConfig = field(default_factory=AlertConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def runs_dir(self) -> Path:
        return self.data_dir / "runs"

    @property
    def report_path(self) -> Path:
        return self.report.path or self.data_dir / "report.html"


def _section(cls: type, values: dict[str, Any], name: str) -> Any:
    """Build one config dataclass from its TOML table, rejecting unknown keys (typos) and
    values of the wrong type, each named: ``download_delay = "fast"`` or ``only_ai_cause =
    "false"`` (a string, which Python would read as true) stop the run before it starts."""
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ConfigError(f"[{name}] has unknown key(s): {', '.join(unknown)}; known: {', '.join(known)}")
    hints = get_type_hints(cls)
    converted = {}
    for key, value in values.items():
        default = getattr(cls(), key)
        if isinstance(value, str) and (hints[key] is Path or Path in get_args(hints[key])):
            value = Path(value)
        elif isinstance(value, list) and isinstance(default, tuple):
            value = tuple(value)
        converted[key] = _typed(name, key, hints[key], value)
    return cls(**converted)


def _typed(section: str, key: str, hint: Any, value: Any) -> Any:
    """The value if it has the key's type (strictly: no "2" for 2, no "false" for False)."""
    try:
        return TypeAdapter(hint).validate_python(value, strict=True)
    except ValidationError as exc:
        reason = exc.errors()[0]["msg"]
        raise ConfigError(f"[{section}] {key} = {value!r}: {reason[0].lower()}{reason[1:]}") from exc


def _check_alerts(alerts: AlertConfig) -> None:
    """Values the types allow but the rules cannot use, and URLs Apprise cannot parse."""
    for key, least in (("min_jobs", 0), ("max_age_days", 0), ("max_attempts", 1), ("source_failure_runs", 1)):
        if getattr(alerts, key) < least:
            raise ConfigError(f"[alerts] {key} = {getattr(alerts, key)}: must be at least {least}")
    bad = invalid_urls(alerts.urls)
    if bad:
        raise ConfigError(f"{ENV_ALERT_URLS} has URL(s) Apprise cannot use: {', '.join(bad)} "
                          "(see https://github.com/caronc/apprise/wiki for the URL forms)")


def _check_schedule(schedule: ScheduleConfig) -> None:
    """A cron string and time zone Prefect's scheduler accepts (it is the one that reads them)."""
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=schedule.cron, timezone=schedule.timezone)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = error["loc"][0]
        message = str(error["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"[schedule] {key} = {getattr(schedule, str(key))!r}: {message}") from exc


def split_urls(value: str) -> tuple[str, ...]:
    return tuple(u for u in re.split(r"[\s,]+", value) if u)


def parse_settings(doc: dict[str, Any], env: dict[str, str]) -> Settings:
    """Settings from a parsed TOML document and the environment (pure, for tests)."""
    allowed = {"data_dir", "warehouse", "crawl", "model", "alerts", "schedule", "report", "sources"}
    unknown = sorted(set(doc) - allowed)
    if unknown:
        raise ConfigError(f"unknown top-level key(s): {', '.join(unknown)}; known: {', '.join(sorted(allowed))}")
    data_dir = Path(doc.get("data_dir", DEFAULT_DATA_DIR))
    model_doc = dict(doc.get("model", {}))
    model_doc.setdefault("path", str(data_dir / "models" / "weckruf-stance"))
    model_doc.setdefault("base_path", str(data_dir / "models" / "e5-small-base"))
    if env.get(ENV_MODEL):
        model_doc["path"] = env[ENV_MODEL]
    alerts = _section(AlertConfig, doc.get("alerts", {}), "alerts")
    if "urls" in doc.get("alerts", {}):
        raise ConfigError("[alerts] urls must not be in a file (they carry tokens): set WECKRUF_ALERT_URLS")
    if env.get(ENV_ALERT_URLS):
        alerts = replace(alerts, urls=split_urls(env[ENV_ALERT_URLS]))
    _check_alerts(alerts)
    model = _section(ModelConfig, model_doc, "model")
    for key, allowed in (("backend", BACKENDS), ("precision", PRECISIONS)):
        if getattr(model, key) not in allowed:
            raise ConfigError(f"[model] {key} = {getattr(model, key)!r}: must be one of {', '.join(allowed)}")
    schedule = _section(ScheduleConfig, doc.get("schedule", {}), "schedule")
    _check_schedule(schedule)
    return Settings(
        data_dir=data_dir,
        warehouse=Path(doc.get("warehouse", data_dir / "weckruf.duckdb")),
        crawl=_section(CrawlConfig, doc.get("crawl", {}), "crawl"),
        model=model,
        alerts=alerts,
        schedule=schedule,
        report=_section(ReportConfig, doc.get("report", {}), "report"),
        sources=dict(doc.get("sources", {})),
    )


def load_settings(path: Path | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read weckruf.toml (explicit path, WECKRUF_CONFIG, or ./weckruf.toml if present)."""
    env = dict(os.environ) if env is None else env
    candidate = path or (Path(env[ENV_CONFIG]) if env.get(ENV_CONFIG) else Path("weckruf.toml"))
    if path is not None and not path.exists():
        raise ConfigError(f"config file {path} does not exist")
    doc: dict[str, Any] = {}
    if candidate.exists():
        try:
            doc = tomllib.loads(candidate.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{candidate}: {exc}") from exc
    return parse_settings(doc, env)


def configured_sources(settings: Settings, names: list[str] | None = None) -> list[Source]:
    """The sources a run crawls: the registry in use with weckruf.toml's changes, narrowed to
    ``names``; also checks that ``[alerts] sources`` names only sources that exist.

    Raises RegistryError (or OSError for a missing registry file) and ConfigError.
    """
    registry = apply_overrides(load_registry(settings.crawl.registry), settings.sources)
    unknown = sorted(set(settings.alerts.sources) - {s.name for s in registry})
    if unknown:
        raise ConfigError(f"[alerts] sources names unknown source(s): {', '.join(unknown)}")
    return select(registry, names)
