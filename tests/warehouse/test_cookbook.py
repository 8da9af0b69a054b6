"""Every query of docs/COOKBOOK.md runs on the demo warehouse and answers its question."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from warehouse.query import run_query

COOKBOOK = Path(__file__).resolve().parents[2] / "docs" / "COOKBOOK.md"


def recipes() -> list[tuple[str, str]]:
    """(question, sql) for each numbered section."""
    text = COOKBOOK.read_text(encoding="utf-8")
    found = re.findall(r"^## (\d+\. .+?)$.*?```sql\n(.*?)```", text, flags=re.MULTILINE | re.DOTALL)
    return [(question, sql) for question, sql in found]


def test_the_cookbook_has_a_dozen_questions_or_more() -> None:
    assert len(recipes()) >= 12


@pytest.mark.parametrize(("question", "sql"), recipes(), ids=[q.split(".")[0] for q, _ in recipes()])
def test_recipe_answers_on_the_demo_warehouse(demo_run, question: str, sql: str) -> None:
    result = run_query(demo_run.warehouse, sql)
    assert result.rows, f"no rows for: {question}"
    assert all(any(value is not None for value in row) for row in result.rows)
