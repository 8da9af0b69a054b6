"""Topic of a sentence: AI and jobs, jobs, AI, or other.

Decides which sentences reach the stance transformer at all: only ai_jobs and jobs
sentences have a stance toward work, so everything else skips the expensive forward pass.
"""

from __future__ import annotations

import re
from functools import lru_cache

from models.lexicon import mentions_ai, mentions_jobs

TOPICS = ("ai_jobs", "jobs", "ai", "other")


_GERMAN = frozenset("der die das und ist nicht mit sich auf für ein eine auch wird bei von dem den zu im des sind werden hat".split())
_ENGLISH = frozenset("the and is of to that for with on are was this be by have has from it its".split())
_OTHER = frozenset("le la les et des est une pour dans que qui el los las y por con del il che".split())


def looks_german(sentence: str) -> bool:
    """False for sentences that are clearly in another language (English, French, Spanish, Italian).

    The lexicons are German, so a foreign sentence would get an arbitrary topic; short or
    unclear sentences count as German rather than being thrown away.
    """
    words = re.findall(r"[a-zäöüß]+", sentence.lower())
    if len(words) < 4:
        return True
    german = sum(w in _GERMAN for w in words)
    foreign = max(sum(w in _ENGLISH for w in words), sum(w in _OTHER for w in words))
    return german >= foreign or foreign < 2


@lru_cache(maxsize=256)
def _about_ai_and_jobs(headline: str) -> bool:
    """Cached: every sentence of an article asks this of the same headline."""
    return mentions_ai(headline) and mentions_jobs(headline)


def topic_of(sentence: str, context: str | None = None) -> str:
    """Classify by the AI and job lexicons; ``context`` (the headline) may add the AI side.

    A sentence about staff in an article whose headline is about AI and jobs ("Der Konzern
    will 800 Stellen streichen" under "KI ersetzt Sachbearbeiter") is about AI and jobs.
    """
    if not looks_german(sentence):
        return "other"
    ai = mentions_ai(sentence)
    jobs = mentions_jobs(sentence)
    if jobs and not ai and context is not None and _about_ai_and_jobs(context):
        ai = True
    if ai and jobs:
        return "ai_jobs"
    if jobs:
        return "jobs"
    if ai:
        return "ai"
    return "other"
