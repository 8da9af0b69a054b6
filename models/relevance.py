"""Topic of a sentence: AI and jobs, jobs, AI, or other.

Decides which sentences reach the stance transformer at all: only ai_jobs and jobs
sentences have a stance toward work, so everything else skips the expensive forward pass.
"""

from __future__ import annotations

from models.lexicon import mentions_ai, mentions_jobs

TOPICS = ("ai_jobs", "jobs", "ai", "other")


def topic_of(sentence: str, context: str | None = None) -> str:
    """Classify by the AI and job lexicons; ``context`` (the headline) may add the AI side.

    A sentence about staff in an article whose headline is about AI and jobs ("Der Konzern
    will 800 Stellen streichen" under "KI ersetzt Sachbearbeiter") is about AI and jobs.
    """
    ai = mentions_ai(sentence)
    jobs = mentions_jobs(sentence)
    if jobs and not ai and context is not None and mentions_ai(context) and mentions_jobs(context):
        ai = True
    if ai and jobs:
        return "ai_jobs"
    if jobs:
        return "jobs"
    if ai:
        return "ai"
    return "other"
