"""Text-level helpers every part of extraction shares: decoding page bytes, cleaning a line,
comparing lines, guessing a page's language."""

from __future__ import annotations

import html as html_lib
import re
import unicodedata
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier
from w3lib.encoding import html_to_unicode

LANGUAGE_SAMPLE_CHARS = 5000  # enough text to tell the language; more only costs time
LANGUAGE_MIN_WORDS = 8  # fewer words than this: no guess
LANGUAGE_MIN_PROBABILITY = 0.9  # below this the page's own lang attribute is the better guess


@cache
def _language_identifier() -> LanguageIdentifier:
    """py3langid's model (97 languages, trained on far more text than any list we could keep),
    loaded once per process: about 0.6 s, then about 3 ms per page."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language; None when too little text to tell or unsure."""
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if len(sample.split()) < LANGUAGE_MIN_WORDS:
        return None
    language, probability = _language_identifier().classify(sample)
    return language if probability >= LANGUAGE_MIN_PROBABILITY else None


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode page bytes by BOM, HTTP header, <meta charset> and finally byte statistics.

    Bytes that are valid UTF-8 and not plain ASCII are UTF-8 whatever the page declares:
    a Latin-1 text practically never forms valid multi-byte sequences, while CMSs often keep
    a stale "iso-8859-1" declaration on pages they now write as UTF-8 ("fÃ¼r" otherwise).
    """
    if not body.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            if not text.isascii():
                return text.removeprefix("\ufeff")
    _, text = html_to_unicode(content_type, body)
    return text


def clean_inline(text: str) -> str:
    """One line of display text: entities decoded (some CMSs escape twice), invisible format
    characters (soft hyphens, zero-width spaces: layout hints, not text) dropped, whitespace
    collapsed."""
    text = html_lib.unescape(text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split())


def collapse(text: str) -> str:
    """Whitespace runs as single spaces, ends trimmed."""
    return " ".join(text.split())


def match_key(text: str) -> str:
    """Lower-case letters and digits only: how two lines are compared whatever their punctuation."""
    return re.sub(r"\W+", "", text.lower())
