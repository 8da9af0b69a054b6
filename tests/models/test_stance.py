from pathlib import Path

import pytest
from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

from models.cpu import int8_dot_products, native_bf16
from models.stance import STANCES, ModelNotReadyError, StanceModel, auto_precision, model_identity, resolve_label_map


@pytest.mark.parametrize("backend", ["onnx", "torch"])
def test_forward_pass_on_the_default_model(model_dir: Path, backend: str) -> None:
    model = StanceModel(str(model_dir), backend=backend)
    predictions = model.predict([
        "Der Versicherer streicht 1.200 Stellen, weil KI die Schadenbearbeitung übernimmt.",
        "Das Start-up stellt dank KI 300 neue Fachkräfte ein.",
    ])
    assert [p.stance for p in predictions] == ["negative", "positive"]
    assert all(0.0 <= p.score <= 1.0 for p in predictions)
    assert model.identity.startswith("weckruf-stance-e5small@0.1+")
    assert model.identity.endswith("/onnx-int8") == (backend == "onnx")
    assert set(predictions[0].probabilities) == set(STANCES)
    assert abs(sum(predictions[0].probabilities.values()) - 1.0) < 1e-3


def test_default_backend_is_torch_in_the_cpus_fastest_native_precision(model_dir: Path) -> None:
    expected = "torch-int8" if int8_dot_products() else "torch-bf16" if native_bf16() else "torch-fp32"
    assert StanceModel(str(model_dir)).backend == expected
    assert StanceModel(str(model_dir), precision="fp32").backend == "torch-fp32"
    with pytest.raises(ValueError, match="backend"):
        StanceModel(str(model_dir), backend="tpu")
    with pytest.raises(ValueError, match="precision"):
        StanceModel(str(model_dir), precision="fp8")


def test_bf16_and_fp32_agree(model_dir: Path) -> None:
    from models.labelled import packaged_data, read_jsonl

    texts = [r["text"] for r in read_jsonl(packaged_data("dev")) if r["topic"] in ("ai_jobs", "jobs")][:100]
    half = StanceModel(str(model_dir), precision="bf16")
    exact = StanceModel(str(model_dir), precision="fp32")
    assert half.identity == exact.identity + "/bf16"
    assert sum(a.stance == b.stance for a, b in zip(half.predict(texts), exact.predict(texts))) >= 97


def test_onnx_int8_and_fp32_agree_on_most_sentences(model_dir: Path) -> None:
    from models.labelled import packaged_data, read_jsonl

    texts = [r["text"] for r in read_jsonl(packaged_data("dev")) if r["topic"] in ("ai_jobs", "jobs")][:100]
    fast = StanceModel(str(model_dir), backend="onnx").predict(texts)
    exact = StanceModel(str(model_dir), backend="torch", precision="fp32").predict(texts)
    assert sum(a.stance == b.stance for a, b in zip(fast, exact)) >= 85


def test_missing_model_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(ModelNotReadyError, match="make setup"):
        StanceModel(str(tmp_path / "nope"))


def test_label_map_for_foreign_models() -> None:
    assert resolve_label_map({0: "NEG", 1: "Neutral", 2: "pos"}, {"NEG": "negative", "pos": "positive"}) == {
        0: "negative", 1: "neutral", 2: "positive"}
    with pytest.raises(ValueError, match="label_map"):
        resolve_label_map({0: "LABEL_0"}, None)


def test_any_sequence_classification_directory_can_replace_the_default(model_dir: Path, tmp_path: Path) -> None:
    """A user's own model (here: a tiny random BERT with LABEL_n names) plugs in via label_map."""
    config = BertConfig(vocab_size=250037, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, num_labels=3)
    BertForSequenceClassification(config).save_pretrained(tmp_path)
    PreTrainedTokenizerFast.from_pretrained(model_dir).save_pretrained(tmp_path)
    mapping = {"LABEL_0": "positive", "LABEL_1": "negative", "LABEL_2": "neutral"}
    model = StanceModel(str(tmp_path), label_map=mapping, version="test-1", precision="fp32")
    assert model.identity == f"{tmp_path.name}@test-1" and model.backend == "torch-fp32"
    assert {p.stance for p in model.predict(["Ein Satz.", "Noch einer."])} <= set(STANCES)
    assert model_identity(str(tmp_path)) == f"{tmp_path.name}@unversioned"


XEON_WITHOUT_BF16 = "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu sse2 avx2 avx512f avx512bw avx512_vnni\n"
SKYLAKE_XEON = "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu sse2 avx2 avx512f avx512bw\n"
ZEN4 = "processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512_bf16 avx512_vnni\n"
SAPPHIRE_RAPIDS = "processor\t: 0\nflags\t\t: avx512f amx_bf16 amx_tile amx_int8\n"


def test_auto_precision_follows_the_cpus_bf16_flags_not_torchs_emulation() -> None:
    # an AVX-512 Xeon without avx512_bf16/AMX: torch calls bf16 "supported" there, but emulates it 3x slower
    assert not native_bf16(XEON_WITHOUT_BF16)
    assert native_bf16(ZEN4)
    assert native_bf16(SAPPHIRE_RAPIDS)
    assert not native_bf16("")  # flags unreadable: fp32, never the slow choice


def test_auto_precision_is_int8_where_the_cpu_has_int8_dot_products_else_native_bf16_else_fp32() -> None:
    assert auto_precision(XEON_WITHOUT_BF16) == "int8"  # VNNI
    assert auto_precision(ZEN4) == "int8"  # int8 ran faster than bf16 there (benchmarks/model_speed.py)
    assert auto_precision(SAPPHIRE_RAPIDS) == "int8"  # AMX
    assert auto_precision(SKYLAKE_XEON) == "fp32"
    assert auto_precision("processor\t: 0\nflags\t\t: avx512f avx512_bf16\n") == "bf16"
    assert auto_precision("") == "fp32"
