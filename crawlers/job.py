"""The contract between the flow and the crawl subprocess: a CrawlJob in, records of a RecordKind out.

Twisted's reactor cannot be restarted inside one process, so every crawl runs in a fresh
interpreter (``python -m crawlers.run JOB.json``). The flow writes a CrawlJob; the spider
reads it and writes one JSON line per outcome. Everything the spider needs travels in the
job — each source's extraction rules already resolved against the registry in use — so the
subprocess reads no registry and no configuration of its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from crawlers.extract import SiteRules
from crawlers.settings import MAX_ARTICLES_PER_SOURCE, CrawlSettings
from crawlers.sources import Source, source_from_entry


class RecordKind(StrEnum):
    """What one line of the crawl's output reports."""

    ARTICLE = "article"  # an extracted article: DESIGN.md's fields, content_hash, fetched_at, raw_path
    ERROR = "error"  # a feed, sitemap, homepage or page that failed: stage and reason
    SKIPPED = "skipped"  # a link or feed entry left out by policy (off-site, quota, robots.txt): reason
    FEED = "feed"  # one feed read: items, new, not_modified
    FEED_STATE = "feed_state"  # a feed's ETag / Last-Modified, for the next run's conditional request


def record(kind: RecordKind, source: str, url: str, **fields: Any) -> dict[str, Any]:
    """One output line (every record names its kind, source and URL)."""
    return {"kind": str(kind), "source": source, "url": url, **fields}


class CrawlFailed(RuntimeError):
    """The crawl subprocess exited with an error; the message carries the end of its stderr."""


@dataclass(frozen=True)
class CrawlJob:
    """What to crawl and where to write; ``rules`` maps a source name to its extraction rules."""

    sources: tuple[Source, ...]
    output: Path
    rules: dict[str, SiteRules] = field(default_factory=dict)
    known_urls: frozenset[str] = frozenset()
    feed_state: dict[str, dict[str, str | None]] = field(default_factory=dict)
    since: date | None = None
    raw_dir: Path | None = None
    max_articles_per_source: int = MAX_ARTICLES_PER_SOURCE
    settings: CrawlSettings = field(default_factory=CrawlSettings)

    def to_json(self) -> str:
        return json.dumps({
            "sources": [s.as_dict() for s in self.sources],
            "output": str(self.output),
            "rules": {name: asdict(rules) for name, rules in self.rules.items()},
            "known_urls": sorted(self.known_urls),
            "feed_state": self.feed_state,
            "since": self.since.isoformat() if self.since else None,
            "raw_dir": str(self.raw_dir) if self.raw_dir else None,
            "max_articles_per_source": self.max_articles_per_source,
            "settings": asdict(self.settings),
        }, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> CrawlJob:
        data = json.loads(text)
        return cls(
            sources=tuple(source_from_entry(s) for s in data["sources"]),
            output=Path(data["output"]),
            rules={name: SiteRules(drop=tuple(r["drop"]), title_from=r["title_from"], paywall=tuple(r["paywall"]))
                   for name, r in data["rules"].items()},
            known_urls=frozenset(data["known_urls"]),
            feed_state=data["feed_state"],
            since=date.fromisoformat(data["since"]) if data["since"] else None,
            raw_dir=Path(data["raw_dir"]) if data["raw_dir"] else None,
            max_articles_per_source=data["max_articles_per_source"],
            settings=CrawlSettings(**data["settings"]),
        )

    def write(self, path: Path) -> None:
        path.write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> CrawlJob:
        return cls.from_json(path.read_text(encoding="utf-8"))

    def rules_for(self, source: str) -> SiteRules:
        return self.rules.get(source, SiteRules())

    def run(
        self, job_file: Path, *, proxy: str | None = None, timeout: float | None = None,
        on_progress: Callable[[dict[str, int]], None] | None = None,
    ) -> list[dict[str, Any]]:
        """Write the job to ``job_file``, crawl in a subprocess and return its records.

        ``proxy`` routes every request through one HTTP proxy (the offline demo site);
        ``on_progress`` gets the records counted by kind so far, about once a second while
        they grow (the subprocess writes each record as it happens). Raises CrawlFailed when
        the subprocess fails, subprocess.TimeoutExpired after ``timeout``.
        """
        self.write(job_file)
        env = dict(os.environ)
        if proxy:
            env.update({"http_proxy": proxy, "HTTP_PROXY": proxy, "no_proxy": "", "NO_PROXY": ""})
        command = [sys.executable, "-m", "crawlers.run", str(job_file)]
        stderr_file = job_file.with_name(f"{job_file.stem}.stderr.log")  # a file: a full pipe would block the crawl
        with stderr_file.open("w", encoding="utf-8") as err, \
                subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=err) as proc:
            deadline = None if timeout is None else time.monotonic() + timeout
            reader = RecordReader(self.output)
            while True:
                try:
                    proc.wait(timeout=PROGRESS_INTERVAL_S)
                    break
                except subprocess.TimeoutExpired:
                    if deadline is not None and time.monotonic() > deadline:
                        proc.kill()
                        raise subprocess.TimeoutExpired(command, timeout) from None
                    if reader.read() and on_progress:
                        on_progress(dict(reader.counts))
        if proc.returncode != 0:
            stderr = stderr_file.read_text(encoding="utf-8", errors="replace")
            raise CrawlFailed(f"crawl exited with {proc.returncode}: {stderr.strip()[-2000:]}")
        reader.read()  # the rest, written after the last look
        if on_progress:
            on_progress(dict(reader.counts))
        return reader.records


PROGRESS_INTERVAL_S = 1.0


@dataclass
class RecordReader:
    """Reads a crawl's output as it grows: each complete new line once, parsed once, kept
    and counted by kind (for progress while the crawl runs, the records when it ends)."""

    output: Path
    records: list[dict[str, Any]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    offset: int = 0

    def read(self) -> bool:
        """Take the complete lines written since the last call; True when there were any."""
        if not self.output.exists():
            return False
        with self.output.open("rb") as f:
            f.seek(self.offset)
            chunk = f.read()
        complete = chunk[:chunk.rfind(b"\n") + 1]
        self.offset += len(complete)
        for line in complete.splitlines():
            if line.strip():
                record = json.loads(line)
                self.records.append(record)
                self.counts[record["kind"]] += 1
        return bool(complete)


def read_records(output: Path) -> list[dict[str, Any]]:
    """The records a crawl wrote (none when it found nothing to write)."""
    reader = RecordReader(output)
    reader.read()
    return reader.records
