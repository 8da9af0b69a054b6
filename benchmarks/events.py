"""Event grouping on pairs of articles: is the same cut, told by two outlets, one event — and only then?

`benchmarks/data/event_pairs.jsonl` holds pairs of short German articles written for weckruf
(invented employers): the same cut in other words, with and without a number, a plan whose
number changed, and the traps — different employers sharing words ("Deutsche …",
"Stadtwerke …"), a further round of cuts, the same employer months later. Each pair goes
through the daily run's path (analysis of title, lead and body; job-cut statements with the
article's employer; grouping) on its own, and the pair counts as "same event" when both
articles end up linked to one event. Prints pairwise precision and recall, per kind, and the
pairs judged wrong.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from flows.config import load_settings
from flows.daily import load_stance_model
from flows.events import group_job_cuts
from models.analyze import Analyzer, Statement

PAIRS = Path(__file__).resolve().parent / "data" / "event_pairs.jsonl"


def load_pairs(path: Path = PAIRS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def cut_statements(article_id: str, article: dict[str, Any], statements: list[Statement]) -> list[dict[str, Any]]:
    """The rows the warehouse hands to grouping: job cuts with an employer, dated by publication."""
    seen_at = datetime.fromisoformat(article["published"]).replace(tzinfo=timezone.utc)
    article_ai = any(s.ai_cause or (s.topic == "ai_jobs" and s.stance == "negative") for s in statements)
    return [
        {"article_id": article_id, "sentence_no": number, "text": s.text, "employer": s.employer,
         "jobs_affected": s.jobs_affected, "ai_cause": s.ai_cause, "source": article_id, "title": article["title"],
         "canonical_url": f"http://{article_id}.example/", "seen_at": seen_at, "article_ai": article_ai}
        for number, s in enumerate(statements) if s.job_cut and s.employer
    ]


def judge_pairs(analyzer: Analyzer, pairs: list[dict[str, Any]]) -> list[bool]:
    """For each pair: does grouping put both articles into one event?"""
    articles = [(p[side]["title"], p[side]["lead"], p[side]["text"]) for p in pairs for side in ("a", "b")]
    analysed = analyzer.analyze_articles(articles)
    verdicts = []
    for number, pair in enumerate(pairs):
        rows = [row for side, statements in zip("ab", analysed[2 * number:2 * number + 2])
                for row in cut_statements(side, pair[side], statements)]
        _, links = group_job_cuts(sorted(rows, key=lambda r: r["seen_at"]), [])
        events_of = {side: {key for key, article, *_ in links if article == side} for side in "ab"}
        verdicts.append(bool(events_of["a"] & events_of["b"]))
    return verdicts


def pairwise_scores(gold: list[bool], predicted: list[bool]) -> tuple[float, float]:
    tp = sum(g and p for g, p in zip(gold, predicted))
    precision = tp / max(sum(predicted), 1)
    recall = tp / max(sum(gold), 1)
    return precision, recall


def main() -> None:
    pairs = load_pairs()
    analyzer = Analyzer(load_stance_model(load_settings().model))
    predicted = judge_pairs(analyzer, pairs)
    gold = [p["same_event"] for p in pairs]
    precision, recall = pairwise_scores(gold, predicted)
    print(f"events: {len(pairs)} article pairs ({sum(gold)} same cut, {len(gold) - sum(gold)} different), "
          f"pairwise precision {precision:.3f}, recall {recall:.3f} ({analyzer.model})")
    right = Counter(p["kind"] for p, g, q in zip(pairs, gold, predicted) if g == q)
    for kind, total in Counter(p["kind"] for p in pairs).items():
        print(f"  {kind:<34} {right[kind]}/{total} right")
    for pair, g, q in zip(pairs, gold, predicted):
        if g != q:
            print(f"  wrong: {pair['id']} ({pair['kind']}): expected {'one event' if g else 'two'}, got "
                  f"{'one' if q else 'not one'}")


if __name__ == "__main__":
    main()
