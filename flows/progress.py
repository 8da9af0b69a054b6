"""What a long run shows while it works: rich progress on a terminal, plain lines in a log.

A 30-minute crawl used to print nothing until it ended. The crawl subprocess writes each
record as it happens, and the flow reads them as they come (crawlers/job.py); this module
only shows the counts. On a terminal that is a live rich display; anywhere else (a
service's journal, a Prefect worker's log) one line per stage step, at most every
``PLAIN_EVERY_S`` seconds during the crawl so a log does not fill with progress.
"""

from __future__ import annotations

import sys
import time
from typing import IO

PLAIN_EVERY_S = 30.0


class RunProgress:
    """What a run reports as it goes; this base shows nothing (a class, not a Protocol:
    Prefect validates flow and task parameters by their annotations with isinstance)."""

    def crawled(self, counts: dict[str, int]) -> None:
        """The crawl's records so far, by kind."""

    def crawl_finished(self, counts: dict[str, int]) -> None:
        """The crawl's records, by kind, once it ended."""

    def analysed(self, done: int, total: int) -> None:
        """Articles analysed so far, of all that wait for analysis."""

    def close(self) -> None:
        """Stop a live display."""


def crawl_line(counts: dict[str, int]) -> str:
    return (f"crawl: {counts.get('article', 0)} articles, {counts.get('error', 0)} errors, "
            f"{counts.get('skipped', 0)} links skipped")


class PlainProgress(RunProgress):
    """Progress as log lines (not a terminal)."""

    def __init__(self, stream: IO[str], every_s: float = PLAIN_EVERY_S) -> None:
        self.stream, self.every_s, self._last = stream, every_s, time.monotonic()

    def crawled(self, counts: dict[str, int]) -> None:
        now = time.monotonic()
        if now - self._last >= self.every_s:
            self._last = now
            print(crawl_line(counts), file=self.stream, flush=True)

    def crawl_finished(self, counts: dict[str, int]) -> None:
        print(f"{crawl_line(counts)} (done)", file=self.stream, flush=True)

    def analysed(self, done: int, total: int) -> None:
        print(f"analysis: {done}/{total} articles", file=self.stream, flush=True)


class RichProgress(RunProgress):
    """A live display on a terminal: the crawl's counts, then a bar for the analysis."""

    def __init__(self, stream: IO[str]) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

        self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                  MofNCompleteColumn(), console=Console(file=stream), transient=False)
        self._crawl = self._progress.add_task("crawl", total=None)
        self._analysis = None
        self._progress.start()

    def crawled(self, counts: dict[str, int]) -> None:
        self._progress.update(self._crawl, description=crawl_line(counts), completed=counts.get("article", 0))

    def crawl_finished(self, counts: dict[str, int]) -> None:
        articles = counts.get("article", 0)
        self._progress.update(self._crawl, description=crawl_line(counts), completed=articles, total=articles)

    def analysed(self, done: int, total: int) -> None:
        if self._analysis is None:
            self._analysis = self._progress.add_task("analysis", total=total)
        self._progress.update(self._analysis, completed=done, description=f"analysis: {done}/{total} articles")

    def close(self) -> None:
        self._progress.stop()


def progress_for(stream: IO[str] | None = None) -> RunProgress:
    """Rich on a terminal, plain lines otherwise."""
    stream = stream or sys.stderr
    return RichProgress(stream) if stream.isatty() else PlainProgress(stream)
