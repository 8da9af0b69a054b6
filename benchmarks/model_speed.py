"""Speed and memory of the analysis step on two CPU cores.

Prints stance-classification throughput (sentences/s at batch 32 after warm-up), the whole
analyze step on the demo site's articles (articles/s: splitting, rules, transformer on the
relevant sentences), and the process's peak RSS.
"""

from __future__ import annotations

import resource
import time
from urllib.parse import urlsplit

import torch

from crawlers.demo_site import expected_articles, render
from crawlers.extraction import extract
from flows.config import load_settings
from models.analyze import Analyzer
from models.stance import StanceModel
from models.train import packaged_data, read_jsonl


def demo_articles() -> list[tuple[str | None, str | None, str]]:
    articles = []
    for item in expected_articles():
        parts = urlsplit(item["url"])
        _, _, body = render(parts.hostname, parts.path)
        article = extract(body, item["url"])
        articles.append((article.title, article.lead, article.text))
    return articles


def main() -> None:
    torch.set_num_threads(2)
    settings = load_settings()
    config = settings.model  # as configured (default: precision auto = bf16 on CPUs with native bf16)
    stance = StanceModel(config.path, max_length=config.max_length, batch_size=32, backend=config.backend,
                         precision=config.precision)
    sentences = [r["text"] for r in read_jsonl(packaged_data("dev"))]
    stance.predict(sentences[:64])  # warm-up
    started = time.perf_counter()
    stance.predict(sentences)
    elapsed = time.perf_counter() - started
    print(f"stance: {len(sentences)} sentences in {elapsed:.2f} s = {len(sentences) / elapsed:.0f} sentences/s "
          f"(batch {stance.batch_size}, {stance.backend}, {stance.identity})")

    analyzer = Analyzer(stance)
    articles = demo_articles()
    started = time.perf_counter()
    statements = analyzer.analyze_articles(articles)
    elapsed = time.perf_counter() - started
    n_sent = sum(len(s) for s in statements)
    n_rel = sum(1 for ss in statements for s in ss if s["stance"])
    print(f"analyze: {len(articles)} demo articles ({n_sent} sentences, {n_rel} to the transformer) in {elapsed:.2f} s "
          f"= {len(articles) / elapsed:.1f} articles/s")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
