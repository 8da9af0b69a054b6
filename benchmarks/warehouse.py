"""Warehouse at scale: trend and event queries, loading, snapshot publishing.

Builds a synthetic warehouse the size of three years of a 20-source deployment (1,000,000
statements by default; article texts of about 2,000 and sentences of about 70 characters,
varied so that compression does not flatter the file size) in a temporary directory, then
prints:

- median time of the queries analysts and `weckruf trends` run, on an open read-only
  connection to the published snapshot (as a notebook holds it) and once cold;
- the time to load 10,000 new articles with their statements through warehouse/load.py,
  the code path the daily run uses;
- the time to publish the snapshot at that size.

Targets (issue: unattended operation): each query ≤ 50 ms median, the load ≤ 10 s.
`python -m benchmarks warehouse [statements]`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb

from flows.daily import ANALYZE_CHUNK
from warehouse import load
from warehouse.db import connect, open_writer
from warehouse.snapshot import publish, snapshot_path

STATEMENTS = 1_000_000
SOURCES = 20
DAYS = 3 * 365
PER_ARTICLE = 24  # statements per article: about what real articles give
LOAD_ARTICLES = 10_000
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

QUERIES = {
    "trend weekly, all sources": "FROM trend_weekly WHERE source = '(all)' ORDER BY period",
    "trend weekly, one source": "FROM trend_weekly WHERE source = 'quelle07' ORDER BY period",
    "trend monthly, all sources": "FROM trend_monthly WHERE source = '(all)' ORDER BY period",
    "trend daily, last 90 days": "FROM trend_daily WHERE source = '(all)' AND period >= DATE '2026-10-01'",
    "events timeline": "FROM event_timeline ORDER BY day DESC",
    "events per month": "SELECT month, count(*), sum(jobs_affected) FROM event_timeline GROUP BY month ORDER BY month",
    "employers top 20": "FROM employer_mentions LIMIT 20",
}


def build(path: Path, statements: int) -> tuple[int, int]:
    """A migrated warehouse filled with deterministic synthetic rows; returns (articles, events)."""
    articles = statements // PER_ARTICLE
    con = open_writer(path)
    con.execute("SELECT setseed(0.13)")
    con.execute(
        "INSERT INTO sources (name, title) SELECT 'quelle' || lpad(i::VARCHAR, 2, '0'), 'Quelle ' || i "
        f"FROM range({SOURCES}) t(i)"
    )
    con.execute(
        "INSERT INTO articles (article_id, canonical_url, url, source, title, text, published, content_hash, "
        "fetched_at, analyzed_by) "
        "SELECT printf('%016x', i), 'https://q.example/' || i, 'https://q.example/' || i, "
        f"'quelle' || lpad((i % {SOURCES})::VARCHAR, 2, '0'), 'Titel ' || i, repeat(md5(i::VARCHAR) || ' ', 60), "
        f"TIMESTAMPTZ '{START.isoformat()}' + to_seconds(CAST(i * ({DAYS} * 86400 // {articles}) AS BIGINT)), "
        "md5(i::VARCHAR), now(), 'synth@1' "
        f"FROM range({articles}) t(i)"
    )
    con.execute(
        "INSERT INTO statements (article_id, sentence_no, text, topic, stance, stance_score, job_cut, employer, "
        "jobs_affected, ai_cause, model) "
        "SELECT printf('%016x', a), s, 'Satz ' || md5(a::VARCHAR || '-' || s) || ' ' || md5(s::VARCHAR || '-' || a), "
        "  ['ai_jobs', 'jobs', 'ai', 'other'][1 + (hash(a, s) % 4)::INT], "
        "  CASE WHEN hash(a, s) % 4 < 2 THEN ['negative', 'neutral', 'positive'][1 + (hash(s, a) % 3)::INT] END, "
        "  (hash(a * 7, s) % 1000) / 1000.0, s = 0 AND a % 40 = 0, "
        "  CASE WHEN s < 2 AND a % 10 = 0 THEN 'Arbeitgeber ' || (a % 500) END, "
        "  CASE WHEN s = 0 AND a % 40 = 0 THEN 50 + a % 2000 END, s = 0 AND a % 80 = 0, 'synth@1' "
        f"FROM range({articles}) t(a), range({PER_ARTICLE}) u(s)"
    )
    con.execute(
        "INSERT INTO job_cut_events (event_key, employer, jobs_affected, ai_cause, first_seen, last_seen, headline, "
        "statement, first_url) "
        "SELECT 'e' || a.article_id, s.employer, s.jobs_affected, s.ai_cause, a.published, a.published, a.title, "
        "s.text, a.canonical_url FROM statements s JOIN articles a USING (article_id) WHERE s.job_cut"
    )
    con.execute(
        "INSERT INTO event_articles SELECT 'e' || article_id, article_id, source FROM articles "
        "WHERE 'e' || article_id IN (SELECT event_key FROM job_cut_events)"
    )
    con.execute(
        "INSERT INTO alerts (alert_key, status, queued_at, attempts) "
        "SELECT event_key, CASE WHEN ai_cause THEN 'sent' ELSE 'skipped' END, first_seen, 1 FROM job_cut_events"
    )
    events = con.execute("SELECT count(*) FROM job_cut_events").fetchone()[0]
    con.execute("CHECKPOINT")
    con.close()
    return articles, events


def median_ms(run: Callable[[], object], repeat: int = 15) -> float:
    run()  # warm-up: first touch of the columns
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


@dataclass(frozen=True)
class NewArticle:
    """What the crawl hands the load for one article (the keys load_articles reads)."""

    n: int

    def record(self) -> dict:
        return {
            "article_id": f"new{self.n:013x}", "canonical_url": f"https://neu.example/{self.n}",
            "url": f"https://neu.example/{self.n}", "source": f"quelle{self.n % SOURCES:02d}", "title": f"Neu {self.n}",
            "lead": None, "text": "Text " * 200, "authors": ["A. Autor"],
            "published": START + timedelta(days=DAYS, minutes=self.n), "language": "de", "paywalled": False,
            "content_hash": f"neu-{self.n}", "raw_path": None, "fetched_at": START + timedelta(days=DAYS),
        }


@dataclass(frozen=True)
class Sentence:
    """One analysed sentence as save_statements takes it (the AnalysedSentence protocol)."""

    text: str
    topic: str = "ai_jobs"
    stance: str | None = "neutral"
    stance_score: float = 0.8
    job_cut: bool = False
    employer: str | None = None
    jobs_affected: int | None = None
    ai_cause: bool = False


def time_load(path: Path) -> float:
    """Seconds to load LOAD_ARTICLES articles and their statements the way the daily run does."""
    con = connect(path)
    sentences = [Sentence(f"Satz {i} über KI und Arbeit.") for i in range(PER_ARTICLE)]
    start = time.perf_counter()
    loaded = load.load_articles(con, [NewArticle(n).record() for n in range(LOAD_ARTICLES)], "bench")
    for start_at in range(0, len(loaded.new), ANALYZE_CHUNK):  # as the daily run saves them: per analysed chunk
        load.save_statements(con, [(a, sentences) for a in loaded.new[start_at:start_at + ANALYZE_CHUNK]], "synth@2")
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def main(statements: int = STATEMENTS) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "weckruf.duckdb"
        start = time.perf_counter()
        articles, events = build(path, statements)
        print(f"synthetic warehouse: {statements:,} statements, {articles:,} articles, {events:,} events, "
              f"{SOURCES} sources over {DAYS} days; built in {time.perf_counter() - start:.1f} s, "
              f"{path.stat().st_size / 1e6:.0f} MB")
        start = time.perf_counter()
        publish(path)
        print(f"snapshot publish: {time.perf_counter() - start:.2f} s")
        cold_con = duckdb.connect(str(snapshot_path(path)), read_only=True)
        start = time.perf_counter()
        cold_con.execute(QUERIES["trend weekly, all sources"]).fetchall()
        print(f"cold first query (open + trend weekly): {(time.perf_counter() - start) * 1000:.0f} ms")
        cold_con.close()
        con = duckdb.connect(str(snapshot_path(path)), read_only=True)
        print("query medians on an open read-only connection (target ≤ 50 ms):")
        for name, sql in QUERIES.items():
            ms = median_ms(lambda sql=sql: con.execute(sql).fetchall())
            rows = len(con.execute(sql).fetchall())
            print(f"  {name:<28} {ms:7.1f} ms  ({rows} rows){'' if ms <= 50 else '  OVER TARGET'}")
        con.close()
        seconds = time_load(path)
        print(f"load {LOAD_ARTICLES:,} articles + {LOAD_ARTICLES * PER_ARTICLE:,} statements: {seconds:.1f} s "
              f"(target ≤ 10 s){'' if seconds <= 10 else '  OVER TARGET'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else STATEMENTS)
