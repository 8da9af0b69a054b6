"""Classifier quality on the project's labelled dev and test sets.

Prints, per split: topic macro-F1, stance accuracy and macro-F1 over ai_jobs+jobs
sentences, job-cut precision/recall/F1, jobs_affected exactness on true cuts that state a
number; beside it a keyword-rule baseline for stance (so the transformer's value shows).
"""

from __future__ import annotations

import re
from typing import Any

from flows.config import load_settings
from models.analyze import Analyzer
from models.metrics import accuracy, f1_for, macro_f1
from models.relevance import TOPICS
from models.stance import STANCES, StanceModel
from models.train import STANCE_TOPICS, packaged_data, read_jsonl

_NEGATIVE = re.compile(r"streich|abbau|Abbau|entlass|Entlass|wegfall|fallen\b.*\bweg|Kahlschlag|ersetz|bedroh|verlier|Layoff|Kündig|Verlust|Angst|warn", re.I)
_POSITIVE = re.compile(r"neue\w* (Stellen|Jobs|Arbeitsplätze)|schaff|einstell|Einstellung|wächst|Wachstum|sicher|Weiterbildung|entlaste|Chance|kein\w* Stelle", re.I)


def keyword_stance(text: str) -> str:
    """The baseline: cut words → negative, creation/reassurance words → positive, else neutral."""
    negative, positive = bool(_NEGATIVE.search(text)), bool(_POSITIVE.search(text))
    if negative and not positive:
        return "negative"
    if positive and not negative:
        return "positive"
    return "neutral"


def score(rows: list[dict[str, Any]], predicted: list[dict[str, Any]]) -> dict[str, float]:
    topic = macro_f1([r["topic"] for r in rows], [p["topic"] for p in predicted], TOPICS)
    stance_idx = [i for i, r in enumerate(rows) if r["topic"] in STANCE_TOPICS]
    gold_stance = [rows[i]["stance"] for i in stance_idx]
    # stance is judged on the gold ai_jobs/jobs sentences, whatever topic the rules gave them
    pred_stance = [predicted[i]["stance_direct"] for i in stance_idx]
    cut_p, cut_r, cut_f = f1_for([r["job_cut"] for r in rows], [p["job_cut"] for p in predicted], True)
    numbered = [i for i, r in enumerate(rows) if r["job_cut"] and r["jobs_affected"] is not None]
    jobs_exact = sum(predicted[i]["jobs_affected"] == rows[i]["jobs_affected"] for i in numbered) / max(len(numbered), 1)
    baseline = [keyword_stance(rows[i]["text"]) for i in stance_idx]
    return {
        "n": len(rows), "topic_macro_f1": topic,
        "stance_n": len(stance_idx), "stance_accuracy": accuracy(gold_stance, pred_stance),
        "stance_macro_f1": macro_f1(gold_stance, pred_stance, STANCES),
        "stance_baseline_macro_f1": macro_f1(gold_stance, baseline, STANCES),
        "job_cut_precision": cut_p, "job_cut_recall": cut_r, "job_cut_f1": cut_f,
        "jobs_exact": jobs_exact, "jobs_n": len(numbered),
    }


def evaluate_split(analyzer: Analyzer, stance: StanceModel, name: str) -> dict[str, float] | None:
    path = packaged_data(name)
    if not path.exists():
        return None
    rows = read_jsonl(path)
    texts = [r["text"] for r in rows]
    predicted = analyzer.classify(texts)
    for p, direct in zip(predicted, stance.predict(texts)):
        p["stance_direct"] = direct.stance
    return score(rows, predicted)


def main() -> None:
    settings = load_settings()
    stance = StanceModel(settings.model.path)
    analyzer = Analyzer(stance)
    print(f"model {stance.identity}")
    for split in ("dev", "test"):
        result = evaluate_split(analyzer, stance, split)
        if result is None:
            print(f"{split}: no data")
            continue
        print(f"{split}: " + "  ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
