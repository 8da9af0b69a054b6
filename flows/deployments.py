"""The flows Prefect deployments run, with parameters a deployment can carry (plain JSON).

`weckruf serve` serves the daily one on the `[schedule]` cron; `deploy/prefect.yaml` defines
the same deployments for a work pool. Each flow reads the configuration itself (path given,
or WECKRUF_CONFIG, or ./weckruf.toml in the working directory) and retries once after a
pause: every stage is idempotent, so a retry or a re-run after a crash completes the work
without duplicating rows or alerts.
"""

from __future__ import annotations

import flows.runtime_env  # noqa: F401  (must precede prefect)

from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from prefect import flow

from crawlers.sources import Source
from flows.config import Settings, configured_sources, load_settings
from flows.daily import daily_run, reclassify_run
from flows.progress import progress_for

RETRY_DELAY_S = 120  # a locked warehouse or a flaky network has time to clear


def configured(config: str | None, sources: list[str] | None = None) -> tuple[Settings, list[Source]]:
    """Settings and the selected sources, as `weckruf run` resolves them."""
    settings = load_settings(Path(config) if config else None)
    return settings, configured_sources(settings, sources)


@flow(name="weckruf-daily-job", retries=1, retry_delay_seconds=RETRY_DELAY_S)
def daily_job(config: str | None = None, sources: list[str] | None = None) -> dict[str, Any]:
    """The scheduled daily run: crawl what is new, analyse, group, alert, publish."""
    settings, selected = configured(config, sources)
    return asdict(daily_run(settings, selected, kind="daily", progress=progress_for()))


@flow(name="weckruf-backfill-job", retries=1, retry_delay_seconds=RETRY_DELAY_S)
def backfill_job(since: str, config: str | None = None, sources: list[str] | None = None) -> dict[str, Any]:
    """News sitemaps walked back to ``since`` (YYYY-MM-DD); feeds for sources without one."""
    settings, selected = configured(config, sources)
    return asdict(daily_run(settings, selected, kind="backfill", since=date.fromisoformat(since), progress=progress_for()))


@flow(name="weckruf-reclassify-job", retries=1, retry_delay_seconds=RETRY_DELAY_S)
def reclassify_job(config: str | None = None) -> dict[str, Any]:
    """Every stored article re-analysed by the current model (after a model update)."""
    settings, _ = configured(config)
    return asdict(reclassify_run(settings, progress=progress_for()))
