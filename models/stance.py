"""The stance transformer: negative / neutral / positive toward jobs and work.

Any transformers sequence-classification directory (or hub id, when the hub is reachable)
can be plugged in; its labels are mapped onto weckruf's three through ``label_map``, so a
user with better weights changes configuration, not code.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

STANCES = ("negative", "neutral", "positive")
MODEL_CARD_FILE = "weckruf_model.json"
log = logging.getLogger(__name__)


class ModelNotReadyError(RuntimeError):
    """The configured model directory is missing; the message says how to build it."""


@dataclass(frozen=True)
class StancePrediction:
    stance: str
    score: float


def model_identity(model_path: str, label_version: str | None = None) -> str:
    """"id@version" for the provenance column of every statement row.

    weckruf's own models carry id and version in ``weckruf_model.json``; other directories
    are named by their folder (or hub id) and the version given in configuration.
    """
    card = Path(model_path) / MODEL_CARD_FILE
    if card.exists():
        meta = json.loads(card.read_text(encoding="utf-8"))
        return f"{meta['id']}@{meta['version']}"
    name = Path(model_path).name if Path(model_path).exists() else model_path
    return f"{name}@{label_version or 'unversioned'}"


def resolve_label_map(id2label: dict[int, str], label_map: dict[str, str] | None) -> dict[int, str]:
    """Map the model's own label names onto negative/neutral/positive.

    Without an explicit map the model's labels must already be weckruf's (case-insensitive)
    or the common sentiment names (negative/neutral/positive in any case).
    """
    mapping = {}
    for idx, label in id2label.items():
        target = (label_map or {}).get(label, label).lower()
        if target not in STANCES:
            raise ValueError(
                f"model label {label!r} has no weckruf stance; set [model] label_map, e.g. "
                f'{{ "{label}" = "negative" }} (allowed: {", ".join(STANCES)})'
            )
        mapping[int(idx)] = target
    return mapping


def _looks_like_hub_id(name: str) -> bool:
    """"org/model" rather than a local path (which the user may simply have mistyped)."""
    return name.count("/") == 1 and not name.startswith((".", "/", "~"))


class StanceModel:
    """Batched inference with a fixed max length; CPU-only and thread-count aware."""

    def __init__(
        self,
        model_path: str,
        *,
        label_map: dict[str, str] | None = None,
        version: str | None = None,
        max_length: int = 128,
        batch_size: int = 32,
    ) -> None:
        if not Path(model_path).exists() and not _looks_like_hub_id(model_path):
            raise ModelNotReadyError(f"no model at {model_path}: run `make setup` first to build the default model")
        self.tokenizer = AutoTokenizer.from_pretrained(model_path)
        self.model = AutoModelForSequenceClassification.from_pretrained(model_path)
        self.model.eval()
        self.labels = resolve_label_map(self.model.config.id2label, label_map)
        self.identity = model_identity(model_path, version)
        self.max_length = max_length
        self.batch_size = batch_size

    def predict(self, texts: Sequence[str]) -> list[StancePrediction]:
        """One stance per text, with the softmax probability of the chosen label.

        Texts are batched by length so that a batch pads to similar lengths: padding is
        the main waste when short headlines and long quotes are mixed.
        """
        results: list[StancePrediction | None] = [None] * len(texts)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                chunk = order[start:start + self.batch_size]
                enc = self.tokenizer([texts[i] for i in chunk], padding=True, truncation=True,
                                     max_length=self.max_length, return_tensors="pt")
                scores, indices = torch.softmax(self.model(**enc).logits, dim=-1).max(dim=-1)
                for position, label, score in zip(chunk, indices, scores):
                    results[position] = StancePrediction(self.labels[int(label)], round(float(score), 4))
        return [r for r in results if r is not None]
