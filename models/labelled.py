"""The labelled sentence files that ship in models/data (JSON lines, LABELING.md's fields)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def packaged_data(name: str) -> Path:
    """A labelled file of models/data by stem: train*, dev, test."""
    return Path(str(resources.files("models") / "data" / f"{name}.jsonl"))
