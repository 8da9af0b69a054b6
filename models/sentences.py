"""German sentence splitting that survives news typography.

A period ends a sentence only when it is not part of an abbreviation ("z. B.", "Dr.",
"Mio."), an ordinal or date ("am 3. Dezember", "3.000 Stellen"), or an ellipsis inside a
quote; quotes („…“, »…«, «…») that close after the period stay with their sentence.
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    """
    z b d h u a o ä s v vgl bzw ca dr prof nr mio mrd tsd bzw evtl ggf inkl exkl usw etc st
    str abs art jh jhd mr mrs ms hr fr frl dipl ing mag vs zzgl abzgl sog gen ff bspw
    insb mind max min rd jan feb febr mär apr jun jul aug sep sept okt nov dez
    co inc corp dt engl franz ital lt lfd tel zit hrsg
    """.split()
)
MONTHS = (
    "Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|"
    "Jan|Feb|Mär|Apr|Jun|Jul|Aug|Sep|Sept|Okt|Nov|Dez"
)
_CLOSERS = "\"'“”»«’)]"
_OPENERS = "\"'„“»«‚‘(["
# a candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace
_BOUNDARY = re.compile(rf"([.!?…]+[{re.escape(_CLOSERS)}]*)(\s+)")
_NEXT_STARTS_SENTENCE = re.compile(rf"[{re.escape(_OPENERS)}]*[A-ZÄÖÜ0-9]")
_ORDINAL_CONTEXT = re.compile(rf"^(?:{MONTHS})\b|^(?:Jahrhundert|Quartal|Platz|Stock|Tag|Mal|Klasse|Liga)\b")


def _word_before(text: str, end: int) -> str:
    match = re.search(r"([\wÄÖÜäöüß]+)\.?$", text[:end])
    return match.group(1) if match else ""


def _is_boundary(text: str, dot_at: int, punct: str, next_start: int) -> bool:
    """Decide whether punctuation ending at ``dot_at`` closes a sentence."""
    nxt = text[next_start:]
    if not _NEXT_STARTS_SENTENCE.match(nxt):
        return False
    if punct.startswith(".") and len(punct.rstrip(_CLOSERS)) == 1:
        word = _word_before(text, dot_at)
        if word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
            return False
        if word.isdigit() and (len(word) <= 2 and _ORDINAL_CONTEXT.match(nxt)):
            return False
    return True


def split_sentences(text: str) -> list[str]:
    """Split running text (paragraphs separated by newlines) into sentences."""
    sentences: list[str] = []
    for paragraph in re.split(r"\n+", text):
        paragraph = " ".join(paragraph.split())
        start = 0
        for match in _BOUNDARY.finditer(paragraph):
            punct = match.group(1)
            if _is_boundary(paragraph, match.start(1), punct, match.end(2)):
                sentences.append(paragraph[start:match.end(1)].strip())
                start = match.end(2)
        tail = paragraph[start:].strip()
        if tail:
            sentences.append(tail)
    return [s for s in sentences if s]
