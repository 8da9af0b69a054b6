from pathlib import Path

import torch

from models.probe import Probe, mean_pool, train_probe


def test_mean_pool_ignores_padding() -> None:
    hidden = torch.tensor([[[1.0, 1.0], [3.0, 3.0], [100.0, 100.0]]])
    assert mean_pool(hidden, torch.tensor([[1, 1, 0]])).tolist() == [[2.0, 2.0]]


def test_probe_learns_a_separable_stance_and_survives_a_round_trip(tmp_path: Path) -> None:
    generator = torch.Generator().manual_seed(0)
    labels = [i % 3 for i in range(90)]
    hidden = torch.randn(90, 4, 8, generator=generator)
    for i, label in enumerate(labels):
        hidden[i, :, label] += 3.0  # each class lifts its own dimension
    mask = torch.ones(90, 4, dtype=torch.long)
    probe = train_probe(hidden, mask, labels, 3, layer=6, weight=0.5)
    predicted = probe.probabilities(hidden, mask).argmax(dim=-1).tolist()
    assert sum(p == y for p, y in zip(predicted, labels)) >= 85
    probe.save(tmp_path)
    again = Probe.load(tmp_path)
    assert again is not None and again.layer == 6 and again.weight == 0.5
    assert torch.allclose(again.probabilities(hidden, mask), probe.probabilities(hidden, mask), atol=1e-5)
    assert Probe.load(tmp_path / "elsewhere") is None


def test_probe_with_its_own_pretrained_layers_round_trips(tmp_path: Path) -> None:
    from transformers import BertConfig
    from transformers.models.bert.modeling_bert import BertLayer

    config = BertConfig(hidden_size=8, num_attention_heads=2, intermediate_size=16, attn_implementation="eager")
    layers = torch.nn.ModuleList(BertLayer(config) for _ in range(2))
    generator = torch.Generator().manual_seed(1)
    hidden = torch.randn(30, 5, 8, generator=generator)
    mask = torch.ones(30, 5, dtype=torch.long)
    mask[:10, 3:] = 0  # shorter sentences, padded
    probe = train_probe(hidden, mask, [i % 3 for i in range(30)], 3, layer=6, weight=0.5, layers=layers)
    probe.save(tmp_path)
    again = Probe.load(tmp_path, config)
    assert again is not None and len(again.layers) == 2
    with torch.inference_mode():
        assert torch.allclose(again.probabilities(hidden, mask), probe.probabilities(hidden, mask), atol=1e-5)
