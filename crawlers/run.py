"""Entry point of the crawl subprocess: ``python -m crawlers.run JOB.json``.

Twisted's reactor cannot be restarted inside one process, so every crawl runs in a fresh
interpreter started by the flow; the job file says what to crawl and where to write.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess

from crawlers.settings import scrapy_settings
from crawlers.spiders.feeds import FeedSpider


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m crawlers.run JOB.json", file=sys.stderr)
        return 2
    job_path = Path(argv[0])
    job = json.loads(job_path.read_text(encoding="utf-8"))
    settings = scrapy_settings(**job.get("settings", {}))
    settings["WECKRUF_OUTPUT"] = job["output"]
    settings["WECKRUF_RAW_DIR"] = job.get("raw_dir")
    process = CrawlerProcess(settings, install_root_handler=True)
    process.crawl(FeedSpider, job=str(job_path))
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
