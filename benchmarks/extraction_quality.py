"""Extraction quality and speed on the real German pages of ../shared/corpus.

The corpus is publishers' text: it is read from ../shared and never copied. Prints, for
weckruf's extractor and for trafilatura's bare_extraction alone: body-text token F1,
exact title, publication day and exact author set (pages with full ground truth),
must-contain / must-not-contain rates (pages with snippet ground truth; checked against all
the content extracted: title, lead, section headings, body), and the median time per page. weckruf gets the registry's overrides for the page's host (its sources, enabled
or not, and its [[site]] entries), as the crawl applies them.
"""

from __future__ import annotations

import ast
import json
import statistics
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import trafilatura

from crawlers.extract import ExtractionError, SiteRules, decode_html, extract
from crawlers.sources import Site, Source, override_entries, rules_for

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "html"
Extracted = dict[str, Any]


def _literal(value: Any) -> Any:
    """The corpus stores lists as Python literals in strings ("['a', 'b']")."""
    if isinstance(value, str) and value.startswith("["):
        return ast.literal_eval(value)
    return value


def visible(text: str) -> str:
    """Text without invisible format characters (soft hyphens, zero-width spaces): some
    gold titles and texts keep them, and an extractor that drops them is not wrong."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def token_f1(predicted: str, gold: str) -> float:
    pred, ref = Counter(visible(predicted).split()), Counter(visible(gold).split())
    overlap = sum((pred & ref).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(pred.values()), overlap / sum(ref.values())
    return 2 * precision * recall / (precision + recall)


REGISTRY: list[Source | Site] = override_entries()


def ours(html: bytes, url: str) -> Extracted:
    try:
        article = extract(html, url, rules=rules_for(url, REGISTRY))
    except ExtractionError:
        return {"title": None, "text": "", "lead": "", "headings": [], "published": None, "authors": []}
    return {"title": article.title, "text": article.text, "lead": article.lead or "", "headings": article.headings,
            "published": article.published, "authors": article.authors}


def baseline(html: bytes, url: str) -> Extracted:
    doc = trafilatura.bare_extraction(decode_html(html), url=url, with_metadata=True, favor_precision=True,
                                      include_comments=False)
    if doc is None:
        return {"title": None, "text": "", "lead": "", "headings": [], "published": None, "authors": []}
    return {"title": doc.title, "text": doc.text or "", "lead": "", "headings": [], "published": doc.date,
            "authors": [a.strip() for a in (doc.author or "").split(";") if a.strip()]}


def pages() -> list[tuple[Path, dict[str, Any]]]:
    found = []
    for page in sorted(CORPUS.glob("*/*.html")):
        expected = json.loads(page.with_suffix(".expected.json").read_text(encoding="utf-8"))
        if expected.get("language") == "de":
            found.append((page, expected))
    return found


def evaluate(extractor: Callable[[bytes, str], Extracted], corpus: list[tuple[Path, dict[str, Any]]]) -> dict[str, float]:
    f1s, titles, days, authors, must, must_not, times = [], [], [], [], [], [], []
    for page, expected in corpus:
        html = page.read_bytes()
        started = time.perf_counter()
        got = extractor(html, expected.get("url") or "https://example.org/")
        times.append(time.perf_counter() - started)
        if "body_text" in expected:
            f1s.append(token_f1(got["text"], expected["body_text"]))
            titles.append(visible(got["title"] or "").strip() == visible(expected.get("title") or "").strip())
            if expected.get("publishing_date"):
                days.append((got["published"] or "")[:10] == expected["publishing_date"][:10])
            gold_authors = _literal(expected.get("authors")) or []
            authors.append(set(got["authors"]) == set(gold_authors))
        if "must_contain" in expected:
            whole = " ".join(filter(None, [got["title"], got["lead"], *got["headings"], got["text"]]))
            must.extend(snippet in whole for snippet in _literal(expected["must_contain"]))
            must_not.extend(snippet not in whole for snippet in _literal(expected["must_not_contain"]))
    mean = statistics.fmean
    figures = {"full_pages": len(f1s), "body_f1": mean(f1s), "title_exact": mean(titles), "day": mean(days),
               "authors_exact": mean(authors), "snippet_pages_must": mean(must), "must_not": mean(must_not),
               "median_ms": 1000 * statistics.median(times)}
    return figures


def main() -> None:
    if not CORPUS.is_dir():
        print(f"skipped: corpus not found at {CORPUS}")
        return
    corpus = pages()
    print(f"{len(corpus)} German pages from {CORPUS}")
    results = {}
    for name, extractor in (("trafilatura", baseline), ("weckruf", ours)):
        results[name] = evaluate(extractor, corpus)
        print(f"{name:<12} " + "  ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in results[name].items()))
    tuned = sum(rules_for(expected.get("url") or "", REGISTRY) != SiteRules() for _, expected in corpus)
    print(f"weckruf      median time {results['weckruf']['median_ms'] / results['trafilatura']['median_ms']:.2f}x "
          f"trafilatura's; registry overrides on {tuned} of {len(corpus)} pages")


if __name__ == "__main__":
    main()
