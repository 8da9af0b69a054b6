"""`python -m benchmarks.warehouse N` runs end to end at a small size (its figures are for the note, not asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_warehouse_benchmark_runs_and_prints_every_figure() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.warehouse", "24000"], capture_output=True, text=True, timeout=300,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "synthetic warehouse: 24,000 statements, 1,000 articles" in out
    for figure in ("snapshot publish:", "trend weekly, all sources", "events timeline", "load 10,000 articles"):
        assert figure in out
