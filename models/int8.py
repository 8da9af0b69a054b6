"""int8 inference: smoothed activations, int8 weights, int8 products summed in int32.

Why: nearly all of a forward pass is the matrix products of Linear layers (85% of the fp32
time here), and int8 runs them 2-3x faster than fp32 on the CPU's integer dot-product units.
Plain dynamic quantization (torch's quantize_dynamic) cost 0.04 own-test stance macro-F1,
because it quantizes the activations per tensor and a single input channel of each
feed-forward layer reaches 20-70 while the median channel stays near 1.5: every other channel
is rounded to a handful of levels. So activations get one scale per token here, and
SmoothQuant's remedy (Xiao et al., 2023) is applied first: divide each input channel by
s = max|x|^α / max|w|^(1-α) and multiply the weight's column by the same s, which leaves the
product unchanged and moves the outlier's range into the weights, quantized per output row.
The channel maxima come from a short calibration pass over our own training sentences at
load time. Per-tensor activations with smoothing were worse (real news 0.61 / 0.66 against
fp32's 0.65 / 0.72); per-token with smoothing matches fp32 there.

torch._int_mm (oneDNN) does the int8 product: it takes per-token scales, which the fbgemm
dynamic-quantized Linear does not, and runs eagerly on CPU without compilation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import torch

from models.labelled import packaged_data, read_jsonl

SMOOTHING_ALPHA = 0.5  # SmoothQuant's default; shares the range evenly between weights and inputs
CALIBRATION_BATCH = 32
CALIBRATION_FILE = "train_articles"  # our own news-shaped training text
CALIBRATION_SENTENCES = 128


def calibration_sentences(count: int = CALIBRATION_SENTENCES) -> list[str]:
    """Sentences spread evenly over our news-shaped training file (never the yardstick)."""
    texts = [row["text"] for row in read_jsonl(packaged_data(CALIBRATION_FILE))]
    step = max(1, len(texts) // count)
    return texts[::step][:count]


class SmoothedInt8Linear(torch.nn.Module):
    """A Linear layer computed as int8(x / s) · int8(W · s): the same product, outliers tamed.

    Activations get one scale per token (row), weights one per output channel; the int8
    product is summed in int32 by torch._int_mm (oneDNN's VNNI kernels where the CPU has them).
    """

    def __init__(self, linear: torch.nn.Linear, input_max: torch.Tensor) -> None:
        super().__init__()
        weight = linear.weight.detach().float()
        smooth = (input_max.clamp(min=1e-5) ** SMOOTHING_ALPHA
                  / weight.abs().amax(dim=0).clamp(min=1e-5) ** (1 - SMOOTHING_ALPHA)).clamp(min=1e-5)
        weight = weight * smooth
        scale = weight.abs().amax(dim=1).clamp(min=1e-8) / 127
        self.register_buffer("inverse_smooth", 1.0 / smooth)
        self.register_buffer("weight_scale", scale)
        self.register_buffer("weight", (weight / scale[:, None]).round().to(torch.int8).t())
        self.register_buffer("bias", linear.bias.detach().float() if linear.bias is not None else torch.zeros(len(scale)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = x.reshape(-1, x.shape[-1]).float() * self.inverse_smooth
        # max|x| per row as max(max, -min): two reductions without an |x| copy (10% faster here)
        row_max = torch.maximum(rows.amax(dim=1, keepdim=True), rows.amin(dim=1, keepdim=True).neg_()).clamp_(min=1e-6)
        quantized = rows.mul_(127 / row_max).round_().to(torch.int8)
        # scaled back in place: no [rows, outputs] product of the two scales allocated (7% faster than addcmul)
        out = torch._int_mm(quantized, self.weight).float().mul_(row_max / 127).mul_(self.weight_scale).add_(self.bias)
        return out.reshape(*x.shape[:-1], -1).to(x.dtype)


def input_maxima(
    modules: Iterable[torch.nn.Module], run: Callable[[list[str]], object], sentences: Sequence[str],
) -> dict[torch.nn.Linear, tuple[torch.Tensor, int]]:
    """Per Linear layer reached by ``run``: the largest |input| per channel and the rows it saw."""
    seen: dict[torch.nn.Linear, tuple[torch.Tensor, int]] = {}

    def record(layer: torch.nn.Module, inputs: tuple[torch.Tensor, ...], _: object) -> None:
        rows = inputs[0].reshape(-1, inputs[0].shape[-1]).float()
        peak, count = seen.get(layer, (torch.zeros(rows.shape[1]), 0))
        seen[layer] = (torch.maximum(peak, rows.abs().amax(dim=0)), count + len(rows))

    hooks = [m.register_forward_hook(record) for module in modules for m in module.modules()
             if isinstance(m, torch.nn.Linear)]
    try:
        for start in range(0, len(sentences), CALIBRATION_BATCH):
            run(list(sentences[start:start + CALIBRATION_BATCH]))
    finally:
        for hook in hooks:
            hook.remove()
    return seen


def quantize_in_place(
    modules: Sequence[torch.nn.Module], run: Callable[[list[str]], object],
    sentences: Sequence[str] | None = None,
) -> int:
    """Replace the per-token Linear layers of ``modules`` by SmoothedInt8Linear; returns their number.

    Calibrates by calling ``run`` (the fp32 forward) on ``sentences``. Only layers that ran on
    more rows than there were sentences are replaced: those run once per token and hold the
    time; a head run once per sentence (pooler, classifier) stays exact at no cost.
    """
    sentences = calibration_sentences() if sentences is None else sentences
    maxima = input_maxima(modules, run, sentences)
    replaced = 0
    for module in modules:
        for parent in list(module.modules()):
            for name, child in list(parent.named_children()):
                if isinstance(child, torch.nn.Linear) and maxima.get(child, (None, 0))[1] > len(sentences):
                    setattr(parent, name, SmoothedInt8Linear(child, maxima[child][0]))
                    replaced += 1
    return replaced
