"""Memory over 10,000 extractions: a daily crawl extracts thousands of pages in one process,
so any memory kept per page (a cache keyed by URL, a growing registry, parsed trees that
stay referenced) would add up.

Cycles over the corpus pages in ../shared (read there, never copied), or over the repo's
own test pages when the corpus is absent, with the registry overrides the crawl applies.
Prints at checkpoints the resident set size (RSS), its peak, and the number of live Python
memory blocks; then the growth per page between the first and the last checkpoint. The last
extractions run under tracemalloc, which names the lines still allocating if anything grows
(trafilatura's lru_caches show there: they are bounded and stop growing at their maxsize).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

from crawlers.extract import ExtractionError, extract
from crawlers.sources import load_registry, load_sites, rules_for

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "html"
TEST_PAGES = Path(__file__).resolve().parents[1] / "tests" / "crawlers" / "pages"
EXTRACTIONS = 10_000
CHECKPOINTS = (1_000, 5_000, EXTRACTIONS)
TRACED = 500  # the last extractions, under tracemalloc (it halves the speed)
Page = tuple[bytes, str]


def corpus_pages() -> list[Page]:
    """All corpus pages with the URL they were fetched from (the overrides are keyed on it)."""
    found = []
    for page in sorted(CORPUS.glob("*/*.html")):
        expected = json.loads(page.with_suffix(".expected.json").read_text(encoding="utf-8"))
        found.append((page.read_bytes(), expected.get("url") or "https://example.org/"))
    return found


def repo_pages() -> list[Page]:
    """The repo's own pages; the URL does not matter for memory."""
    return [(page.read_bytes(), f"https://www.{page.stem}.example/artikel.html") for page in sorted(TEST_PAGES.glob("*.html"))]


def rss_mib() -> float:
    """The resident set size now (Linux /proc), else the peak (other systems have no cheap
    way to read the current size)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return peak_mib()


def peak_mib() -> float:
    """The peak resident set size (ru_maxrss: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def main() -> None:
    pages, origin = (corpus_pages(), str(CORPUS)) if CORPUS.is_dir() else (repo_pages(), f"{TEST_PAGES} (no corpus)")
    registry = [*load_registry(), *load_sites()]
    rules = [rules_for(url, registry) for _, url in pages]
    print(f"{EXTRACTIONS} extractions cycling over {len(pages)} pages from {origin}")
    marks: list[tuple[int, float, int]] = []  # (extractions, RSS MiB, live Python blocks)
    started, snapshot = time.perf_counter(), None
    for done in range(1, EXTRACTIONS + 1):
        index = (done - 1) % len(pages)
        try:
            extract(pages[index][0], pages[index][1], rules=rules[index])
        except ExtractionError:
            pass
        if done == EXTRACTIONS - TRACED:
            tracemalloc.start()
        if done == EXTRACTIONS - TRACED // 2:
            snapshot = tracemalloc.take_snapshot()
        if done in CHECKPOINTS:
            marks.append((done, rss_mib(), sys.getallocatedblocks()))
            print(f"after {done:>6}: rss={marks[-1][1]:.1f} MiB  peak_rss={peak_mib():.1f} MiB  "
                  f"python_blocks={marks[-1][2]}  ({time.perf_counter() - started:.0f} s)")
    current, peak = tracemalloc.get_traced_memory()
    growth = tracemalloc.take_snapshot().compare_to(snapshot, "lineno")[:3] if snapshot else []
    tracemalloc.stop()
    (first, rss_first, blocks_first), (last, rss_last, blocks_last) = marks[0], marks[-1]
    print(f"growth per page from {first} to {last}: rss {(rss_last - rss_first) * 2**20 / (last - first):+.0f} bytes, "
          f"python_blocks {(blocks_last - blocks_first) / (last - first):+.3f}")
    print(f"tracemalloc over the last {TRACED} pages: current={current / 2**20:.2f} MiB  peak={peak / 2**20:.2f} MiB; "
          f"largest growth over the last {TRACED // 2}:")
    for stat in growth:
        print(f"  {stat.size_diff / 2**10:+.1f} KiB  {stat.traceback}")


if __name__ == "__main__":
    main()
