"""Exporting a trained classifier to int8 ONNX for fast CPU inference.

The dynamically quantised ONNX graph (per-channel int8 weights in the frozen layers) was
about 2.2x the fp32 PyTorch speed for the 12-layer model, at a cost of 0.02-0.06 stance
macro-F1 on our dev/test sets, so it is served only on request (`[model] backend = "onnx"`).
The default torch backend runs int8 itself where the CPU has int8 dot products (models/int8.py),
with the probe and without that loss.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import torch


def fp32_node_names(graph_path: Path, first_fp32_layer: int) -> list[str]:
    """Matrix products of the trained top layers, pooler and classifier.

    These stay in fp32: quantising the few layers that were fine-tuned costs accuracy
    (test stance macro-F1 fell by about 0.04) for little speed, as most time is spent in the
    frozen lower layers.
    """
    import onnx

    top = tuple(f"/bert/encoder/layer.{i}/" for i in range(first_fp32_layer, 64))
    return [
        node.name for node in onnx.load(str(graph_path)).graph.node
        if node.op_type in ("MatMul", "Gemm") and (node.name.startswith(top) or "/pooler/" in node.name
                                                  or node.name.startswith("/classifier"))
    ]


def export_int8_onnx(model: Any, tokenizer: Any, target: Path, fp32_top_layers: int = 0) -> Path:
    """Write ``target`` (input_ids, attention_mask → logits) with int8 weights below the top layers."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    sample = tokenizer(["Ein Satz.", "Noch ein etwas längerer Satz über Stellen."], padding=True, return_tensors="pt")
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}, "logits": {0: "batch"}}
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model.onnx"
        with torch.inference_mode():
            torch.onnx.export(
                model, (sample["input_ids"], sample["attention_mask"]), str(fp32),
                input_names=["input_ids", "attention_mask"], output_names=["logits"],
                dynamic_axes=axes, opset_version=17, dynamo=False,
            )
        first_fp32 = len(model.bert.encoder.layer) - fp32_top_layers
        quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8, per_channel=True,
                         nodes_to_exclude=fp32_node_names(fp32, first_fp32) if fp32_top_layers else [])
    return target
