"""The two item pipelines: raw pages kept by article id, records written line by line."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from crawlers.job import RecordKind, read_records, record
from crawlers.pipelines import JsonLinesPipeline, RawPagePipeline
from crawlers.urls import article_id

URL = "https://www.beispiel.example/artikel"


def article_record() -> dict:
    return {"kind": str(RecordKind.ARTICLE), "article_id": article_id(URL), "source": "beispiel", "url": URL,
            "canonical_url": URL, "title": "Überschrift", "raw_html": b"<html>\xc3\xbc</html>"}


def test_raw_page_is_stored_gzipped_under_the_article_id(tmp_path: Path) -> None:
    item = RawPagePipeline(str(tmp_path)).process_item(article_record())
    path = tmp_path / "beispiel" / f"{article_id(URL)}.html.gz"
    assert item["raw_path"] == str(path) and "raw_html" not in item
    assert gzip.decompress(path.read_bytes()) == b"<html>\xc3\xbc</html>"
    # the same page again gives the same bytes (no timestamp in the gzip header): a re-run rewrites nothing new
    RawPagePipeline(str(tmp_path)).process_item(article_record())
    assert gzip.decompress(path.read_bytes()) == b"<html>\xc3\xbc</html>" and path.read_bytes()[4:8] == b"\0\0\0\0"


def test_records_without_a_page_and_runs_without_a_raw_dir_pass_through(tmp_path: Path) -> None:
    error = record(RecordKind.ERROR, "beispiel", URL, stage="article", reason="HTTP 500")
    assert RawPagePipeline(str(tmp_path)).process_item(dict(error)) == error
    item = RawPagePipeline(None).process_item(article_record())
    assert "raw_html" not in item and "raw_path" not in item
    assert not list(tmp_path.iterdir())


def test_every_record_is_on_disk_as_soon_as_it_is_written(tmp_path: Path) -> None:
    out = tmp_path / "runs" / "crawl.jsonl"
    pipeline = JsonLinesPipeline(str(out))
    pipeline.open_spider()
    first = record(RecordKind.FEED, "beispiel", URL, items=3, new=1)
    pipeline.process_item(first)
    assert read_records(out) == [first]  # flushed before the crawl ends: a crash keeps it
    pipeline.process_item(record(RecordKind.SKIPPED, "beispiel", URL, reason="Überlänge"))
    pipeline.close_spider()
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and json.loads(lines[1])["reason"] == "Überlänge" and "Überlänge" in lines[1]
