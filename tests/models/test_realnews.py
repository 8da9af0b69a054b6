"""Optional: the rule-based judgements on real news (../shared/realnews, read there, never copied).

Floors a little under today's figures, so a rule change that reads real text worse fails here
even when our own sentences still pass. Skips where the yardstick is not beside the checkout.
"""

import pytest

from models.analyze import Statement, cut_rules
from models.metrics import f1_for, macro_f1
from models.realnews import load_realnews, same_name, score
from models.relevance import TOPICS, topic_of


@pytest.fixture(scope="module")
def sure_rows() -> list[dict]:
    rows = load_realnews()
    if rows is None:
        pytest.skip("../shared/realnews is not available")
    return [r for r in rows if not r["unsure"]]


def test_topic_rules_on_real_news(sure_rows: list[dict]) -> None:
    predicted = [topic_of(r["text"]) for r in sure_rows]
    assert macro_f1([r["topic"] for r in sure_rows], predicted, TOPICS) >= 0.90


def test_job_cut_rules_on_real_news(sure_rows: list[dict]) -> None:
    cuts = [cut_rules(r["text"], topic_of(r["text"])) for r in sure_rows]
    precision, _, f1 = f1_for([r["job_cut"] for r in sure_rows], [c.job_cut for c in cuts], True)
    assert precision >= 0.92 and f1 >= 0.90
    named = [(r, c) for r, c in zip(sure_rows, cuts) if r["job_cut"] and r["employer"]]
    assert sum(same_name(r["employer"], c.employer) for r, c in named) / len(named) >= 0.75


def test_score_counts_null_stance_as_a_miss() -> None:
    gold = [{"topic": "jobs", "stance": "negative", "job_cut": True, "employer": "Helvara", "jobs_affected": 300}]
    wrong = [Statement(text="…", topic="other", stance=None, stance_score=0.0, job_cut=True, employer="helvara",
                       jobs_affected=None, ai_cause=False, model="m")]
    result = score(gold, wrong)
    assert result["stance_macro_f1"] == 0.0 and result["employer_exact"] == 1.0 and result["jobs_exact"] == 0.0
