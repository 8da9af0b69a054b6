"""The classifier on real German news sentences (../shared/realnews), beside its own test set.

Runs the sentences through the `weckruf classify` path (input clean-up, rules, transformer;
one sentence at a time, no context) with the configured model and prints, for all items and
for those the annotator was sure of: topic macro-F1, stance macro-F1 and per class, job-cut
precision/recall/F1, employer and jobs_affected exact on the gold cuts; then the ten most
confident stance errors by id. The sentences are read from ../shared and never copied.
"""

from __future__ import annotations

from typing import Any

from flows.config import load_settings
from flows.daily import load_stance_model
from models.analyze import Analyzer, clean_input
from models.evaluate import evaluate
from models.realnews import confident_errors, load_realnews, realnews_path, score
from models.labelled import packaged_data, read_jsonl


def format_scores(label: str, scores: dict[str, Any]) -> str:
    return f"{label}: " + "  ".join(f"{k}={v}" for k, v in scores.items())


def main() -> None:
    rows = load_realnews()
    if rows is None:
        print(f"skipped: no labelled real news at {realnews_path()} (set WECKRUF_REALNEWS or put ../shared beside the repo)")
        return
    analyzer = Analyzer(load_stance_model(load_settings().model))
    print(f"model {analyzer.model}")
    predicted = analyzer.classify([clean_input(r["text"])[0] for r in rows])
    sure = [i for i, r in enumerate(rows) if not r["unsure"]]
    print(format_scores("real news, all", score(rows, predicted)))
    print(format_scores("real news, sure", score([rows[i] for i in sure], [predicted[i] for i in sure])))
    own = evaluate(analyzer, analyzer.stance, read_jsonl(packaged_data("test")))
    own.pop("errors")
    print(format_scores("own test", own))
    print("ten most confident real-news stance errors (by id):")
    for e in confident_errors(rows, predicted):
        print(f"  {e['id']}  gold {e['gold']:<8} predicted {e['predicted']:<8} ({e['score']:.2f})  "
              f"topic {e['topic']}{'  job_cut' if e['job_cut'] else ''}")


if __name__ == "__main__":
    main()
