"""Item pipelines: keep the raw page, then write every record as one JSON line."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any, TextIO

import scrapy


class RawPagePipeline:
    """Store each fetched article's HTML gzip-compressed so it can be re-extracted later."""

    def __init__(self, raw_dir: str | None) -> None:
        self.raw_dir = Path(raw_dir) if raw_dir else None

    @classmethod
    def from_crawler(cls, crawler: Any) -> "RawPagePipeline":
        return cls(crawler.settings.get("WECKRUF_RAW_DIR"))

    def process_item(self, item: dict[str, Any], spider: scrapy.Spider | None = None) -> dict[str, Any]:
        raw = item.pop("raw_html", None)
        if raw is not None and self.raw_dir is not None:
            path = self.raw_dir / item["source"] / f"{item['article_id']}.html.gz"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(gzip.compress(raw, mtime=0))
            item["raw_path"] = str(path)
        return item


class JsonLinesPipeline:
    """Append records to the crawl's output file, flushed per line so a crash loses nothing."""

    def __init__(self, output: str) -> None:
        self.output = Path(output)
        self.handle: TextIO | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> "JsonLinesPipeline":
        return cls(crawler.settings.get("WECKRUF_OUTPUT"))

    def open_spider(self, spider: scrapy.Spider | None = None) -> None:
        self.output.parent.mkdir(parents=True, exist_ok=True)
        self.handle = self.output.open("a", encoding="utf-8")

    def close_spider(self, spider: scrapy.Spider | None = None) -> None:
        if self.handle:
            self.handle.close()

    def process_item(self, item: dict[str, Any], spider: scrapy.Spider | None = None) -> dict[str, Any]:
        assert self.handle is not None
        self.handle.write(json.dumps(dict(item), ensure_ascii=False) + "\n")
        self.handle.flush()
        return item
