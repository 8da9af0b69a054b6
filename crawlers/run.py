"""Entry point of the crawl subprocess: ``python -m crawlers.run JOB.json`` (see crawlers/job.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from scrapy.crawler import CrawlerProcess

from crawlers.job import CrawlJob
from crawlers.settings import scrapy_settings
from crawlers.spiders.news import NewsSpider


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m crawlers.run JOB.json", file=sys.stderr)
        return 2
    job = CrawlJob.read(Path(argv[0]))
    settings = scrapy_settings(job.settings)
    settings["WECKRUF_OUTPUT"] = str(job.output)
    settings["WECKRUF_RAW_DIR"] = str(job.raw_dir) if job.raw_dir else None
    process = CrawlerProcess(settings, install_root_handler=True)
    process.crawl(NewsSpider, job=job)
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
