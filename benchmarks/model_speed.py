"""Speed and memory of the analysis on two CPU cores, in fp32, int8 and (where the CPU has it) bf16.

Prints, per precision: start-up (loading the model; int8 includes its calibration), stance throughput (sentences/s through the transformer alone, batch
32), `weckruf classify` end to end beyond start-up (clean-up, rules, transformer on the
sentences about work; over the real-news sentences when ../shared is there, else our dev and
test sets), and the daily run's analyze step on the demo site's articles (articles/s:
splitting, rules, transformer on the relevant sentences); each the median of five passes.
Then the process's peak RSS. fp32 is printed first: not every CPU has int8 or bf16 units.
"""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlsplit

import torch

from crawlers.demo_site import expected_articles, render
from crawlers.extract import extract
from flows.config import load_settings
from flows.daily import load_stance_model
from models.analyze import Analyzer, clean_input
from models.cpu import int8_dot_products, native_bf16
from models.labelled import packaged_data, read_jsonl
from models.realnews import load_realnews
from models.stance import auto_precision

REPEATS = 5


def demo_articles() -> list[tuple[str | None, str | None, str]]:
    articles = []
    for item in expected_articles():
        parts = urlsplit(item["url"])
        _, _, body = render(parts.hostname, parts.path)
        article = extract(body, item["url"])
        articles.append((article.title, article.lead, article.text))
    return articles


def classify_input() -> tuple[str, list[str]]:
    """Real sentences where the yardstick is beside the repo (only their count is printed), else ours."""
    rows = load_realnews()
    if rows is not None:
        return "real-news", [r["text"] for r in rows]
    return "own dev+test", [r["text"] for split in ("dev", "test") for r in read_jsonl(packaged_data(split))]


def median_seconds(work: Callable[[], object], repeats: int = REPEATS) -> tuple[float, list[float]]:
    """Median wall time of ``work`` over several passes: one pass takes about a second here,
    and single passes vary by ±10% on a shared 2-core machine."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def passes(times: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in times)


def measure(precision: str, articles: list[tuple[str | None, str | None, str]]) -> None:
    config = replace(load_settings().model, precision=precision)
    started = time.perf_counter()
    stance = load_stance_model(config)
    print(f"[{stance.backend}] start-up: model loaded in {time.perf_counter() - started:.1f} s")
    sentences = [r["text"] for r in read_jsonl(packaged_data("dev"))]
    stance.predict(sentences[:64])  # warm-up
    elapsed, times = median_seconds(lambda: stance.predict(sentences))
    print(f"[{stance.backend}] stance: {len(sentences)} sentences, median {elapsed:.2f} s = "
          f"{len(sentences) / elapsed:.0f} sentences/s (passes: {passes(times)} s; batch {stance.batch_size}, "
          f"{stance.identity})")

    analyzer = Analyzer(stance)
    label, lines = classify_input()
    elapsed, times = median_seconds(lambda: analyzer.classify([clean_input(line)[0] for line in lines]))
    print(f"[{stance.backend}] classify: {len(lines)} {label} sentences end to end, median {elapsed:.2f} s = "
          f"{len(lines) / elapsed:.0f} sentences/s (passes: {passes(times)} s)")

    statements = analyzer.analyze_articles(articles)
    elapsed, times = median_seconds(lambda: analyzer.analyze_articles(articles))
    n_sent = sum(len(s) for s in statements)
    n_rel = sum(1 for ss in statements for s in ss if s.stance)
    print(f"[{stance.backend}] analyze: {len(articles)} demo articles ({n_sent} sentences, {n_rel} to the "
          f"transformer), median {elapsed:.2f} s = {len(articles) / elapsed:.1f} articles/s (passes: {passes(times)} s)")


def main() -> None:
    torch.set_num_threads(2)
    articles = demo_articles()
    for precision in ("fp32", "int8", "bf16") if native_bf16() else ("fp32", "int8"):
        measure(precision, articles)
    print(f"native bf16: {'yes' if native_bf16() else 'no (bf16 would be emulated)'}; int8 dot products: "
          f"{'yes' if int8_dot_products() else 'no'}; auto picks {auto_precision()}; "
          f"configured precision: {load_settings().model.precision}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
