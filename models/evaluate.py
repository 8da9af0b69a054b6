"""Scoring the whole classifier (rules + transformer) on labelled sentences.

Shared by training (the model card) and benchmarks/model_quality.py so both report the same
numbers. Stance is scored on the sentences whose *gold* topic is ai_jobs or jobs, by asking
the transformer directly (with the job-cut rule applied as in the pipeline), so a topic-rule
miss does not hide a stance error (topic is scored on its own).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from models.analyze import STANCE_TOPICS, Analyzer, StancePredictor, final_stance
from models.jobcut import extract_job_cut
from models.metrics import accuracy, f1_for, macro_f1
from models.relevance import TOPICS
from models.stance import STANCES

_NEGATIVE = re.compile(
    r"streich|abbau|Abbau|entlass|Entlass|wegfall|fallen\b.*\bweg|Kahlschlag|ersetz|bedroh|verlier|Layoff|Kündig|"
    r"Verlust|Angst|warn", re.IGNORECASE,
)
_POSITIVE = re.compile(
    r"neue\w* (?:Stellen|Jobs|Arbeitsplätze)|schaff|einstell|Einstellung|wächst|Wachstum|sicher|Weiterbildung|"
    r"entlaste|Chance|kein\w* Stelle", re.IGNORECASE,
)


def keyword_stance(text: str) -> str:
    """The baseline: cut words → negative, creation/reassurance words → positive, else neutral."""
    negative, positive = bool(_NEGATIVE.search(text)), bool(_POSITIVE.search(text))
    if negative != positive:
        return "negative" if negative else "positive"
    return "neutral"


def evaluate(analyzer: Analyzer, stance: StancePredictor, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """All quality figures of one labelled split, plus the predictions for error analysis."""
    texts = [r["text"] for r in rows]
    predicted = analyzer.classify(texts)
    stance_idx = [i for i, r in enumerate(rows) if r["topic"] in STANCE_TOPICS]
    direct = stance.predict([texts[i] for i in stance_idx])
    gold_stance = [rows[i]["stance"] for i in stance_idx]
    final = [final_stance(texts[i], p, extract_job_cut(texts[i])) for i, p in zip(stance_idx, direct)]
    pred_stance = [stance for stance, _ in final]
    model_stance = [p.stance for p in direct]
    cut_p, cut_r, cut_f = f1_for([r["job_cut"] for r in rows], [p.job_cut for p in predicted], True)
    numbered = [i for i, r in enumerate(rows) if r["job_cut"] and r["jobs_affected"] is not None]
    jobs_exact = sum(predicted[i].jobs_affected == rows[i]["jobs_affected"] for i in numbered)
    return {
        "n": len(rows),
        "topic_macro_f1": round(macro_f1([r["topic"] for r in rows], [p.topic for p in predicted], TOPICS), 4),
        "stance_n": len(stance_idx),
        "stance_accuracy": round(accuracy(gold_stance, pred_stance), 4),
        "stance_macro_f1": round(macro_f1(gold_stance, pred_stance, STANCES), 4),
        "stance_transformer_only_macro_f1": round(macro_f1(gold_stance, model_stance, STANCES), 4),
        "stance_baseline_macro_f1": round(
            macro_f1(gold_stance, [keyword_stance(texts[i]) for i in stance_idx], STANCES), 4),
        "job_cut_precision": round(cut_p, 4),
        "job_cut_recall": round(cut_r, 4),
        "job_cut_f1": round(cut_f, 4),
        "jobs_exact": round(jobs_exact / max(len(numbered), 1), 4),
        "jobs_n": len(numbered),
        "errors": stance_errors(rows, stance_idx, final),
    }


def stance_errors(
    rows: Sequence[dict[str, Any]], indices: Sequence[int], predictions: Sequence[tuple[str, float]]
) -> list[dict[str, Any]]:
    """Wrong stance predictions, most confident first: the ones worth reading."""
    wrong = [
        {"text": rows[i]["text"], "gold": rows[i]["stance"], "predicted": stance, "score": score}
        for i, (stance, score) in zip(indices, predictions) if stance != rows[i]["stance"]
    ]
    return sorted(wrong, key=lambda e: -e["score"])
