"""Classification metrics without a scikit-learn dependency (used by training and benchmarks)."""

from __future__ import annotations

from collections.abc import Sequence


def f1_for(gold: Sequence[object], pred: Sequence[object], label: object) -> tuple[float, float, float]:
    """Precision, recall and F1 of one label."""
    tp = sum(g == label and p == label for g, p in zip(gold, pred))
    fp = sum(g != label and p == label for g, p in zip(gold, pred))
    fn = sum(g == label and p != label for g, p in zip(gold, pred))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def macro_f1(gold: Sequence[object], pred: Sequence[object], labels: Sequence[object] | None = None) -> float:
    """Unweighted mean F1 over the labels (default: every label seen in gold)."""
    labels = list(labels) if labels is not None else sorted(set(gold), key=str)
    return sum(f1_for(gold, pred, label)[2] for label in labels) / len(labels) if labels else 0.0


def accuracy(gold: Sequence[object], pred: Sequence[object]) -> float:
    return sum(g == p for g, p in zip(gold, pred)) / len(gold) if gold else 0.0
