"""Progress while a run works: the crawl output read as it grows, plain lines or a rich display."""

from __future__ import annotations

import io
import json
from pathlib import Path

from crawlers.job import RecordReader
from flows.progress import PlainProgress, RichProgress, progress_for


def test_the_reader_counts_only_complete_new_lines(tmp_path: Path) -> None:
    out = tmp_path / "crawl.jsonl"
    reader = RecordReader(out)
    assert not reader.read()  # nothing written yet
    out.write_text(json.dumps({"kind": "article"}) + "\n" + '{"kind": "err', encoding="utf-8")
    assert reader.read() and reader.counts == {"article": 1}
    with out.open("a", encoding="utf-8") as f:
        f.write('or"}\n' + json.dumps({"kind": "article"}) + "\n")
    assert reader.read() and reader.counts == {"article": 2, "error": 1}
    assert not reader.read()
    assert reader.records == [{"kind": "article"}, {"kind": "error"}, {"kind": "article"}]  # each parsed once


def test_plain_lines_are_few_during_the_crawl_and_always_at_its_end() -> None:
    log = io.StringIO()
    progress = PlainProgress(log, every_s=3600)
    for n in range(50):
        progress.crawled({"article": n})
    progress.crawl_finished({"article": 50, "error": 2, "skipped": 3})
    progress.analysed(50, 50)
    assert log.getvalue().splitlines() == [
        "crawl: 50 articles, 2 errors, 3 links skipped (done)", "analysis: 50/50 articles"]
    assert isinstance(progress_for(io.StringIO()), PlainProgress)  # not a terminal


def test_the_rich_display_runs_through_a_whole_run() -> None:
    screen = io.StringIO()
    progress = RichProgress(screen)
    progress.crawled({"article": 3})
    progress.crawl_finished({"article": 12, "error": 1})
    progress.analysed(12, 12)
    progress.close()
    assert "crawl: 12 articles, 1 errors" in screen.getvalue() and "analysis: 12/12 articles" in screen.getvalue()


def test_the_demo_shows_its_progress(demo_run) -> None:
    stderr = demo_run.result.stderr.decode()
    assert "crawl: 48 articles, 0 errors" in stderr and "analysis: 48/48 articles" in stderr
