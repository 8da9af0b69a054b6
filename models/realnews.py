"""The real-news yardstick: scoring weckruf's judgements on labelled sentences nobody on the team wrote.

`../shared/realnews/dev.jsonl` holds real German news sentences (publishers' text) labelled by
LABELING.md. It is read from there only, never copied into the repository and never trained
on: a figure on it is honest only while training has not seen it. Everything is scored on the
`weckruf classify` path (rules + transformer on one sentence, no context), so the numbers say
what a user of that command gets.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from models.analyze import Statement
from models.metrics import f1_for, macro_f1
from models.relevance import TOPICS
from models.stance import STANCES

ENV_REALNEWS = "WECKRUF_REALNEWS"
DEFAULT_REALNEWS = Path(__file__).resolve().parents[2] / "shared" / "realnews" / "dev.jsonl"


def realnews_path() -> Path:
    """Where the labelled real sentences are: $WECKRUF_REALNEWS, else ../shared/realnews/dev.jsonl."""
    return Path(os.environ.get(ENV_REALNEWS) or DEFAULT_REALNEWS)


def load_realnews(path: Path | None = None) -> list[dict[str, Any]] | None:
    """The labelled rows, or None when the yardstick is not beside this checkout."""
    path = path or realnews_path()
    if not path.exists():
        return None
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def same_name(gold: str | None, predicted: str | None) -> bool:
    """Employer names compared as a reader would: case and spacing aside, null only equals null."""
    if gold is None or predicted is None:
        return gold is predicted
    return " ".join(gold.casefold().split()) == " ".join(predicted.casefold().split())


def score(rows: Sequence[dict[str, Any]], predicted: Sequence[Statement]) -> dict[str, Any]:
    """Every judgement of the statement contract against gold labels, end to end.

    Stance is scored on the sentences whose gold topic carries a stance; a sentence the
    topic step sent elsewhere has stance null there and counts as wrong, because that is what
    the user sees. Employer and jobs_affected are scored on the gold job cuts: the employer
    where the gold names one (and, beside it, on all cuts, where null must match null).
    """
    stance_idx = [i for i, r in enumerate(rows) if r["stance"] is not None]
    gold_stance = [rows[i]["stance"] for i in stance_idx]
    pred_stance = [predicted[i].stance for i in stance_idx]
    cuts = [i for i, r in enumerate(rows) if r["job_cut"]]
    named = [i for i in cuts if rows[i]["employer"]]
    stated = [i for i in cuts if rows[i]["jobs_affected"] is not None]
    cut_p, cut_r, cut_f = f1_for([r["job_cut"] for r in rows], [p.job_cut for p in predicted], True)
    result: dict[str, Any] = {
        "n": len(rows),
        "topic_macro_f1": macro_f1([r["topic"] for r in rows], [p.topic for p in predicted], TOPICS),
        "stance_n": len(stance_idx),
        "stance_macro_f1": macro_f1(gold_stance, pred_stance, STANCES),
    }
    for label in STANCES:
        result[f"stance_f1_{label}"] = f1_for(gold_stance, pred_stance, label)[2]
    result.update({
        "job_cut_n": len(cuts),
        "job_cut_precision": cut_p,
        "job_cut_recall": cut_r,
        "job_cut_f1": cut_f,
        # the employer on gold cuts that name one (the figure), then on all gold cuts (null = null)
        "employer_exact": _share(same_name(rows[i]["employer"], predicted[i].employer) for i in named),
        "employer_exact_all_cuts": _share(same_name(rows[i]["employer"], predicted[i].employer) for i in cuts),
        "jobs_exact": _share(rows[i]["jobs_affected"] == predicted[i].jobs_affected for i in cuts),
        "jobs_exact_stated": _share(rows[i]["jobs_affected"] == predicted[i].jobs_affected for i in stated),
    })
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}


def _share(hits: Any) -> float:
    hits = list(hits)
    return sum(hits) / len(hits) if hits else 0.0


def confident_errors(rows: Sequence[dict[str, Any]], predicted: Sequence[Statement], n: int = 10) -> list[dict[str, Any]]:
    """The most confident wrong stances, by id only: the text is the publisher's and stays out of the repo."""
    wrong = [
        {"id": r["id"], "gold": r["stance"], "predicted": p.stance, "score": p.stance_score,
         "topic": p.topic, "job_cut": p.job_cut}
        for r, p in zip(rows, predicted)
        if r["stance"] is not None and p.stance is not None and p.stance != r["stance"]
    ]
    return sorted(wrong, key=lambda e: -e["score"])[:n]
