from pathlib import Path

import torch

from models.int8 import SmoothedInt8Linear, calibration_sentences, quantize_in_place
from models.labelled import packaged_data, read_jsonl
from models.stance import StanceModel


def relative_error(approx: torch.Tensor, exact: torch.Tensor) -> float:
    return float((approx - exact).detach().norm() / exact.detach().norm())


def test_an_outlier_channel_costs_little_precision_once_smoothed() -> None:
    torch.manual_seed(0)
    linear = torch.nn.Linear(256, 64)
    x = torch.randn(3, 40, 256)
    x[..., 7] *= 40  # one channel far larger than the rest, as in e5's feed-forward inputs
    exact = linear(x)
    smoothed = SmoothedInt8Linear(linear, x.reshape(-1, 256).abs().amax(dim=0))(x)
    # one scale per tensor, as torch's dynamic quantization does: the outlier takes the range
    per_tensor = torch.fake_quantize_per_tensor_affine(x, float(x.abs().max()) / 127, 0, -127, 127)
    assert smoothed.shape == exact.shape
    assert relative_error(smoothed, exact) < 0.015
    assert relative_error(smoothed, exact) < relative_error(linear(per_tensor), exact) / 3


def test_only_per_token_layers_are_replaced() -> None:
    """The head runs once per sentence and stays exact; the encoder's layers run per token."""
    torch.manual_seed(0)
    encoder = torch.nn.Linear(8, 8)
    head = torch.nn.Linear(8, 3)
    model = torch.nn.ModuleDict({"encoder": encoder, "head": head})

    def run(batch: list[str]) -> torch.Tensor:
        tokens = torch.randn(len(batch), 5, 8)
        return model["head"](model["encoder"](tokens).mean(dim=1))

    assert quantize_in_place([model], run, ["a", "b", "c"]) == 1
    assert isinstance(model["encoder"], SmoothedInt8Linear)
    assert model["head"] is head


def test_calibration_uses_our_own_training_text() -> None:
    sentences = calibration_sentences(16)
    assert len(sentences) == 16 and len(set(sentences)) == 16
    assert set(sentences) <= {r["text"] for r in read_jsonl(packaged_data("train_articles"))}


def test_int8_and_fp32_agree_on_the_dev_sentences(model_dir: Path) -> None:
    texts = [r["text"] for r in read_jsonl(packaged_data("dev")) if r["topic"] in ("ai_jobs", "jobs")][:100]
    fast = StanceModel(str(model_dir), precision="int8")
    exact = StanceModel(str(model_dir), precision="fp32")
    assert fast.backend == "torch-int8" and fast.identity == exact.identity + "/int8"
    agree = sum(a.stance == b.stance for a, b in zip(fast.predict(texts), exact.predict(texts)))
    assert agree >= 96
