"""German head counts as news writes them: digits with any thousands mark, and words.

Reporters write "3.000", "8'000" (Swiss), "12 000", "1,5 Tausend", but also "dreihundert",
"Eintausend" or "zwei Dutzend". Job-cut extraction needs one integer for all of them.
"""

from __future__ import annotations

import re

_UNITS = {
    "ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
    "sieben": 7, "acht": 8, "neun": 9,
}
_TEENS = {
    "zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15, "sechzehn": 16,
    "siebzehn": 17, "achtzehn": 18, "neunzehn": 19,
}
_TENS = {
    "zwanzig": 20, "dreißig": 30, "dreissig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70,
    "achtzig": 80, "neunzig": 90,
}
_UNIT_STEMS = "ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun"
_TEEN_WORDS = "|".join(sorted(_TEENS, key=len, reverse=True))
_TENS_WORDS = "|".join(_TENS)
# below one hundred: "drei", "zwölf", "vierzig", "dreiundzwanzig"
_BELOW_100 = rf"(?:(?:{_UNIT_STEMS})und(?:{_TENS_WORDS})|{_TENS_WORDS}|{_TEEN_WORDS}|(?:{_UNIT_STEMS})s?)"
_BELOW_1000 = rf"(?:(?:{_UNIT_STEMS}|{_TEEN_WORDS})?hundert(?:{_BELOW_100})?|{_BELOW_100})"
NUMBER_WORD = rf"(?:anderthalb(?:tausend|hundert)|(?:{_BELOW_1000})?tausend(?:{_BELOW_1000})?|{_BELOW_1000})"
_NUMBER_WORD_RE = re.compile(rf"(?i){NUMBER_WORD}")
# digits: "3.000", "8'000", "12 000", "400", "1,5"
DIGITS = r"\d{1,3}(?:[.'’ ]\d{3})+|\d+(?:,\d+)?"
SCALE = r"(?:\s*(?:Tausend|Tsd\.?|Millionen|Mio\.?|Dutzend))?"


_COUNT_HINT = re.compile(r"\d|(?i:hundert|tausend|zig\b|zehn\b|zwölf\b|elf\b)")


def may_hold_count(text: str) -> bool:
    """A cheap first look: digits, or the number words a head count above twelve needs.

    Lets callers skip the full number patterns on the many sentences without any count.
    """
    return bool(_COUNT_HINT.search(text))


def _below_100(word: str) -> int:
    if word in _TEENS:
        return _TEENS[word]
    if word in _TENS:
        return _TENS[word]
    if "und" in word and word.split("und", 1)[1] in _TENS:
        unit, tens = word.split("und", 1)
        return _UNITS[unit] + _TENS[tens]
    return _UNITS[word] if word in _UNITS else _UNITS[word.removesuffix("s")]


def _below_1000(word: str) -> int:
    if "hundert" not in word:
        return _below_100(word)
    hundreds, rest = word.split("hundert", 1)
    return (_below_100(hundreds) if hundreds else 1) * 100 + (_below_100(rest) if rest else 0)


def word_value(word: str) -> int | None:
    """"dreihundert" → 300, "Eintausend" → 1000, "zweitausendfünfhundert" → 2500; None for other words."""
    lowered = word.lower()
    if not _NUMBER_WORD_RE.fullmatch(lowered):
        return None
    if lowered.startswith("anderthalb"):  # "anderthalbtausend" = one and a half thousand
        return 1500 if lowered.endswith("tausend") else 150
    if "tausend" not in lowered:
        return _below_1000(lowered)
    thousands, rest = lowered.split("tausend", 1)
    return (_below_1000(thousands) if thousands else 1) * 1000 + (_below_1000(rest) if rest else 0)


def parse_number(value: str, scale: str | None = None) -> float:
    """German/Swiss number text to a float: "3.000" → 3000, "8'000" → 8000, "1,5" + Tausend → 1500,
    "dreihundert" → 300, "zwei" + Dutzend → 24."""
    spelled = word_value(value)
    if spelled is not None:
        number = float(spelled)
    else:
        number = float(re.sub(r"[.'’ ](?=\d{3}\b)", "", value).replace(",", "."))
    scale = (scale or "").strip().lower()
    if scale.startswith(("tausend", "tsd")):
        number *= 1000
    elif scale.startswith(("million", "mio")):
        number *= 1_000_000
    elif scale == "dutzend":
        number *= 12
    return number
