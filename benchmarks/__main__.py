"""Run every benchmark and print its figures: `python -m benchmarks [name ...]`."""

from __future__ import annotations

import sys

import flows.runtime_env  # noqa: F401  (quiet, offline defaults as in the CLI)

from benchmarks import (
    events, extraction_memory, extraction_quality, incremental_crawl, model_quality, model_speed, real_news, warehouse,
)

BENCHMARKS = {
    "model_quality": model_quality.main,
    "model_speed": model_speed.main,
    "real_news": real_news.main,
    "events": events.main,
    "extraction_quality": extraction_quality.main,
    "extraction_memory": extraction_memory.main,
    "incremental_crawl": incremental_crawl.main,
    "warehouse": warehouse.main,
}

if __name__ == "__main__":
    chosen = sys.argv[1:] or list(BENCHMARKS)
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        sys.exit(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    for name in chosen:
        print(f"== {name}")
        BENCHMARKS[name]()
