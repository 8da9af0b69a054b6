"""Speed and memory of the analysis step on two CPU cores.

Prints stance-classification throughput (sentences/s at batch 32 after warm-up), the whole
analyze step on the demo site's articles (articles/s: splitting, rules, transformer on the
relevant sentences), each the median of five passes, and the process's peak RSS.
"""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import torch

from crawlers.demo_site import expected_articles, render
from crawlers.extraction import extract
from flows.config import load_settings
from models.analyze import Analyzer
from models.stance import StanceModel
from models.train import packaged_data, read_jsonl

REPEATS = 5


def demo_articles() -> list[tuple[str | None, str | None, str]]:
    articles = []
    for item in expected_articles():
        parts = urlsplit(item["url"])
        _, _, body = render(parts.hostname, parts.path)
        article = extract(body, item["url"])
        articles.append((article.title, article.lead, article.text))
    return articles


def median_seconds(work: Callable[[], object], repeats: int = REPEATS) -> tuple[float, list[float]]:
    """Median wall time of ``work`` over several passes: one pass takes about a second here,
    and single passes vary by ±10% on a shared 2-core machine."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def main() -> None:
    torch.set_num_threads(2)
    settings = load_settings()
    config = settings.model  # as configured (default: precision auto = bf16 on CPUs with native bf16)
    stance = StanceModel(config.path, max_length=config.max_length, batch_size=32, backend=config.backend,
                         precision=config.precision)
    sentences = [r["text"] for r in read_jsonl(packaged_data("dev"))]
    stance.predict(sentences[:64])  # warm-up
    elapsed, times = median_seconds(lambda: stance.predict(sentences))
    print(f"stance: {len(sentences)} sentences, median of {len(times)} passes {elapsed:.2f} s = "
          f"{len(sentences) / elapsed:.0f} sentences/s (passes: {', '.join(f'{t:.2f}' for t in times)} s; "
          f"batch {stance.batch_size}, {stance.backend}, {stance.identity})")

    analyzer = Analyzer(stance)
    articles = demo_articles()
    statements = analyzer.analyze_articles(articles)
    elapsed, times = median_seconds(lambda: analyzer.analyze_articles(articles))
    n_sent = sum(len(s) for s in statements)
    n_rel = sum(1 for ss in statements for s in ss if s["stance"])
    print(f"analyze: {len(articles)} demo articles ({n_sent} sentences, {n_rel} to the transformer), median of "
          f"{len(times)} passes {elapsed:.2f} s = {len(articles) / elapsed:.1f} articles/s "
          f"(passes: {', '.join(f'{t:.2f}' for t in times)} s)")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
