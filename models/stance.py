"""The stance transformer: negative / neutral / positive toward jobs and work.

Any transformers sequence-classification directory (or hub id, when the hub is reachable)
can be plugged in; its labels are mapped onto weckruf's three through ``label_map``, so a
user with better weights changes configuration, not code.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

from models.cpu import int8_dot_products, native_bf16
from models.int8 import quantize_in_place
from models.options import BACKENDS, PRECISIONS
from models.probe import Probe

STANCES = ("negative", "neutral", "positive")
MODEL_CARD_FILE = "weckruf_model.json"
ONNX_FILE = "model.int8.onnx"
Forward = Callable[[list[str]], np.ndarray]


class ModelNotReadyError(RuntimeError):
    """The configured model directory is missing; the message says how to build it."""


@dataclass(frozen=True)
class StancePrediction:
    """The chosen stance, its probability, and the probability of every stance (by name)."""

    stance: str
    score: float
    probabilities: dict[str, float] = field(default_factory=dict)


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


def auto_precision(cpuinfo: str | None = None) -> str:
    """The fastest precision this CPU runs natively, by its flags (models/cpu.py).

    int8 where it has int8 dot-product units (VNNI/AMX): 2.1-2.5x fp32 here and faster than
    bf16, at the same real-news figures (models/int8.py); else bf16 where it has bf16 units;
    else fp32, never the slow choice (emulated bf16 ran at a third of fp32).
    """
    if int8_dot_products(cpuinfo):
        return "int8"
    return "bf16" if native_bf16(cpuinfo) else "fp32"


def resolve_precision(precision: str) -> str:
    """"auto" → auto_precision(); "fp32", "bf16" and "int8" as given."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    return auto_precision() if precision == "auto" else precision


def torch_forward(model_path: str, tokenizer: Any, max_length: int, precision: str = "fp32") -> Forward:
    """Class probabilities from the transformers model itself (works for any directory).

    bf16 halves the bytes each matrix product moves and uses the CPU's bf16 units: about
    1.9x the fp32 speed here, with the same stance on 99.8% of our dev and test sentences.
    int8 replaces the per-token Linear layers after a calibration pass (models/int8.py).
    """
    dtype = torch.bfloat16 if precision == "bf16" else torch.float32
    model = AutoModelForSequenceClassification.from_pretrained(model_path, dtype=dtype, attn_implementation="eager")
    model.eval()
    # weckruf's own models: averaged with a probe on the frozen states (models/probe.py)
    probe = Probe.load(Path(model_path), model.config, dtype)

    def forward(batch: list[str]) -> np.ndarray:
        enc = tokenizer(batch, padding=True, truncation=True, max_length=max_length, return_tensors="pt")
        with torch.inference_mode():
            out = model(**enc, output_hidden_states=probe is not None)
            probs = torch.softmax(out.logits.float(), dim=-1)
            if probe is not None:
                probed = probe.probabilities(out.hidden_states[probe.layer], enc["attention_mask"])
                probs = (1 - probe.weight) * probs + probe.weight * probed
            return probs.numpy()

    if precision == "int8":
        quantize_in_place([model] + ([probe.layers] if probe is not None else []), forward)
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

    ``backend`` "torch" (default) runs the transformers weights — for weckruf's own models
    averaged with the probe saved beside them (models/probe.py) — in the precision
    auto_precision picks for this CPU (int8, bf16 or fp32; ``precision`` forces one);
    "onnx" runs the int8 export of the fine-tuned head alone that `weckruf model train` writes
    beside them, which cost 0.02-0.06 stance macro-F1 on the dev and test sets, so it is opt-in.
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
        precision: str = "auto",
    ) -> None:
        if not Path(model_path).exists() and not _looks_like_hub_id(model_path):
            raise ModelNotReadyError(f"no model at {model_path}: run `make setup` first to build the default model")
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
        onnx_path = Path(model_path) / ONNX_FILE
        if backend == "onnx" and not onnx_path.exists():
            raise ModelNotReadyError(f"no {ONNX_FILE} in {model_path}: run `weckruf model train`, or use backend torch")
        use_onnx = backend == "onnx"
        self.tokenizer = AutoTokenizer.from_pretrained(model_path)
        self.labels = resolve_label_map(AutoConfig.from_pretrained(model_path).id2label, label_map)
        self.precision = "int8" if use_onnx else resolve_precision(precision)
        self.backend = "onnx-int8" if use_onnx else f"torch-{self.precision}"
        self._forward = (onnx_forward(onnx_path, self.tokenizer, max_length) if use_onnx
                         else torch_forward(model_path, self.tokenizer, max_length, self.precision))
        suffix = {"onnx-int8": "/onnx-int8", "torch-bf16": "/bf16", "torch-int8": "/int8"}.get(self.backend, "")
        self.identity = model_identity(model_path, version) + suffix
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
                probabilities = {self.labels[i]: round(float(p), 4) for i, p in enumerate(row)}
                results[position] = StancePrediction(self.labels[label], round(float(row[label]), 4), probabilities)
        return [r for r in results if r is not None]
