"""The stance transformer: negative / neutral / positive toward jobs and work.

Any transformers sequence-classification directory (or hub id, when the hub is reachable)
can be plugged in; its labels are mapped onto weckruf's three through ``label_map``, so a
user with better weights changes configuration, not code.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

STANCES = ("negative", "neutral", "positive")
MODEL_CARD_FILE = "weckruf_model.json"
ONNX_FILE = "model.int8.onnx"
Forward = Callable[[list[str]], np.ndarray]


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


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def torch_forward(model_path: str, tokenizer: Any, max_length: int) -> Forward:
    """Class probabilities from the transformers model itself (works for any directory)."""
    model = AutoModelForSequenceClassification.from_pretrained(model_path)
    model.eval()

    def forward(batch: list[str]) -> np.ndarray:
        enc = tokenizer(batch, padding=True, truncation=True, max_length=max_length, return_tensors="pt")
        with torch.inference_mode():
            return torch.softmax(model(**enc).logits, dim=-1).numpy()

    return forward


def onnx_forward(onnx_path: Path, tokenizer: Any, max_length: int) -> Forward:
    """Class probabilities from the int8 ONNX export: about 2.5x the fp32 speed on CPU."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = torch.get_num_threads()
    session = onnxruntime.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])

    def forward(batch: list[str]) -> np.ndarray:
        enc = tokenizer(batch, padding=True, truncation=True, max_length=max_length, return_tensors="np")
        feeds = {"input_ids": enc["input_ids"].astype(np.int64), "attention_mask": enc["attention_mask"].astype(np.int64)}
        return _softmax(session.run(["logits"], feeds)[0])

    return forward


class StanceModel:
    """Batched CPU inference with a fixed max length.

    ``backend`` "torch" (default) runs the transformers weights in fp32; "onnx" runs the int8
    export that `weckruf model train` writes beside them: about 2.2x faster, but it cost
    0.02-0.06 stance macro-F1 on the dev and test sets, so speed is opt-in, not the default.
    """

    def __init__(
        self,
        model_path: str,
        *,
        label_map: dict[str, str] | None = None,
        version: str | None = None,
        max_length: int = 128,
        batch_size: int = 32,
        backend: str = "torch",
    ) -> None:
        if not Path(model_path).exists() and not _looks_like_hub_id(model_path):
            raise ModelNotReadyError(f"no model at {model_path}: run `make setup` first to build the default model")
        if backend not in ("torch", "onnx"):
            raise ValueError(f"backend must be torch or onnx, not {backend!r}")
        onnx_path = Path(model_path) / ONNX_FILE
        if backend == "onnx" and not onnx_path.exists():
            raise ModelNotReadyError(f"no {ONNX_FILE} in {model_path}: run `weckruf model train`, or use backend torch")
        use_onnx = backend == "onnx"
        self.tokenizer = AutoTokenizer.from_pretrained(model_path)
        self.labels = resolve_label_map(AutoConfig.from_pretrained(model_path).id2label, label_map)
        self.backend = "onnx-int8" if use_onnx else "torch"
        self._forward = (onnx_forward(onnx_path, self.tokenizer, max_length) if use_onnx
                         else torch_forward(model_path, self.tokenizer, max_length))
        self.identity = model_identity(model_path, version) + ("/onnx-int8" if use_onnx else "")
        self.batch_size = batch_size

    def predict(self, texts: Sequence[str]) -> list[StancePrediction]:
        """One stance per text, with the softmax probability of the chosen label.

        Texts are batched by length so that a batch pads to similar lengths: padding is
        the main waste when short headlines and long quotes are mixed.
        """
        results: list[StancePrediction | None] = [None] * len(texts)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            chunk = order[start:start + self.batch_size]
            probs = self._forward([texts[i] for i in chunk])
            for position, row in zip(chunk, probs):
                label = int(row.argmax())
                results[position] = StancePrediction(self.labels[label], round(float(row[label]), 4))
        return [r for r in results if r is not None]
