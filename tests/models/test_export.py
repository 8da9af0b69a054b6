"""The int8 ONNX export of a sequence classifier, run in onnxruntime beside torch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

from models.export import export_int8_onnx, fp32_node_names
from models.stance import StanceModel


def tiny_classifier(model_dir: Path, folder: Path) -> BertForSequenceClassification:
    torch.manual_seed(0)
    config = BertConfig(vocab_size=250037, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, num_labels=3,
                        id2label={0: "negative", 1: "neutral", 2: "positive"},
                        label2id={"negative": 0, "neutral": 1, "positive": 2})
    model = BertForSequenceClassification(config).eval()
    model.save_pretrained(folder)
    PreTrainedTokenizerFast.from_pretrained(model_dir).save_pretrained(folder)
    return model


def test_export_keeps_the_top_layers_in_fp32_and_serves_close_to_torch(model_dir: Path, tmp_path: Path) -> None:
    model = tiny_classifier(model_dir, tmp_path)
    tokenizer = PreTrainedTokenizerFast.from_pretrained(tmp_path)
    target = export_int8_onnx(model, tokenizer, tmp_path / "model.int8.onnx", fp32_top_layers=1)
    assert target.is_file()

    texts = ["Der Konzern streicht 300 Stellen.", "Das Start-up stellt 40 Fachkräfte ein.", "Ein Satz."]
    served = StanceModel(str(tmp_path), backend="onnx")
    assert served.backend == "onnx-int8"
    onnx_probs = np.array([[p.probabilities[s] for s in ("negative", "neutral", "positive")] for p in served.predict(texts)])
    enc = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.inference_mode():
        torch_probs = torch.softmax(model(**enc).logits, dim=-1).numpy()
    assert np.abs(onnx_probs - torch_probs).max() < 0.05


def test_fp32_nodes_are_the_trained_top_pooler_and_classifier(model_dir: Path, tmp_path: Path) -> None:
    model = tiny_classifier(model_dir, tmp_path)
    fp32_graph = tmp_path / "fp32.onnx"
    enc = PreTrainedTokenizerFast.from_pretrained(tmp_path)(["Ein Satz."], return_tensors="pt")
    torch.onnx.export(model, (enc["input_ids"], enc["attention_mask"]), str(fp32_graph),
                      input_names=["input_ids", "attention_mask"], output_names=["logits"], opset_version=17, dynamo=False)
    names = fp32_node_names(fp32_graph, first_fp32_layer=1)
    assert names and all("/layer.0/" not in n for n in names)
    assert any("/layer.1/" in n for n in names) and any("/pooler/" in n for n in names)
    assert any(n.startswith("/classifier") for n in names)
