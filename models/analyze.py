"""From sentences to statements: the analysis step of the pipeline and of `weckruf classify`.

Cheap rules run on every sentence (topic, job-cut fields); the transformer runs only on
sentences about jobs, which is what keeps the daily run fast.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Protocol

from models.jobcut import JobCut, employer_of, extract_job_cut, reports_hiring, states_head_count, subject_employer
from models.lexicon import mentions_ai
from models.numbers import may_hold_count
from models.relevance import topic_of
from models.sentences import split_sentences

MAX_SENTENCE_CHARS = 1000
STANCE_TOPICS = ("ai_jobs", "jobs")
NO_CUT = JobCut(False)
_TAG = re.compile(r"<[^>]{0,500}>")


@dataclass(frozen=True)
class Statement:
    """One classified sentence: the `weckruf classify --jsonl` object and a statements row (DESIGN.md)."""

    text: str
    topic: str
    stance: str | None
    stance_score: float
    job_cut: bool
    employer: str | None
    jobs_affected: int | None
    ai_cause: bool
    model: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class StancePredictor(Protocol):
    identity: str

    def predict(self, texts: Sequence[str]) -> Sequence[Any]: ...


def clean_input(line: str) -> tuple[str, list[str]]:
    """Make one input line safe to classify; report every change made to it.

    HTML tags and control characters are removed, entities decoded, and a line longer than
    MAX_SENTENCE_CHARS is cut (a sentence that long is a paste error or a whole article).
    """
    notes: list[str] = []
    text = line
    if _TAG.search(text):
        text = _TAG.sub(" ", text)
        notes.append("removed HTML tags")
    if "&" in text:
        text = html.unescape(text)
    printable = text.isprintable()  # the common case, checked in C; the loop only for the rest
    cleaned = text if printable else "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    if cleaned != text:
        notes.append("removed control characters")
    text = " ".join(cleaned.split())
    if len(text) > MAX_SENTENCE_CHARS:
        text = text[:MAX_SENTENCE_CHARS]
        notes.append(f"cut to {MAX_SENTENCE_CHARS} characters")
    return text, notes


def cut_rules(sentence: str, topic: str) -> JobCut:
    """The job-cut fields, computed only where a cut is possible.

    A cut names jobs: in words the lexicon knows (then the topic is about work) or as a
    head count ("90 Verifikationsingenieure", which needs a digit or a number word). The
    rules are the costly part of the analysis, and most sentences are neither.
    """
    if topic in STANCE_TOPICS or (may_hold_count(sentence) and states_head_count(sentence)):
        return extract_job_cut(sentence)
    return NO_CUT


def topic_with_cut(sentence: str, topic: str, cut: JobCut) -> str:
    """A job cut is about work by definition, even in role words the topic lexicon lacks."""
    if cut.job_cut and topic not in STANCE_TOPICS:
        return "ai_jobs" if mentions_ai(sentence) else "jobs"
    return topic


def final_stance(sentence: str, prediction: Any, cut: JobCut) -> tuple[str, float]:
    """The stance a statement row gets: the transformer's, unless the job-cut rules say more.

    A concrete job cut is negative toward jobs by definition (LABELING.md), and the rules
    that find one are built for precision; so a cut overrides a transformer that read the
    sentence as neutral or positive, scored with the transformer's own probability of
    "negative". A sentence that also reports hiring stays with the transformer (mixed news).
    """
    if cut.job_cut and not reports_hiring(sentence) and prediction.probabilities.get("negative") is not None:
        return "negative", prediction.probabilities["negative"]
    return prediction.stance, prediction.score


class Analyzer:
    """Classifies sentences into the statement contract of DESIGN.md."""

    def __init__(self, stance: StancePredictor) -> None:
        self.stance = stance

    @property
    def model(self) -> str:
        return self.stance.identity

    def classify(self, sentences: Sequence[str], contexts: Sequence[str | None] | None = None) -> list[Statement]:
        """One statement per sentence, in order.

        ``contexts`` (one headline per sentence, or None) lets a headline about AI and jobs
        lend the AI side to a body sentence about staff.
        """
        contexts = contexts or [None] * len(sentences)
        topics = [topic_of(s, c) for s, c in zip(sentences, contexts)]
        cuts = [cut_rules(s, t) for s, t in zip(sentences, topics)]
        topics = [topic_with_cut(s, t, cut) for s, t, cut in zip(sentences, topics, cuts)]
        wanted = [i for i, topic in enumerate(topics) if topic in STANCE_TOPICS]
        predictions = dict(zip(wanted, self.stance.predict([sentences[i] for i in wanted])))
        statements = []
        for i, (sentence, topic, cut) in enumerate(zip(sentences, topics, cuts)):
            pred = predictions.get(i)
            stance, score = final_stance(sentence, pred, cut) if pred else (None, 0.0)
            statements.append(Statement(
                text=sentence, topic=topic, stance=stance, stance_score=score, job_cut=cut.job_cut,
                employer=cut.employer, jobs_affected=cut.jobs_affected, ai_cause=cut.ai_cause, model=self.model,
            ))
        return statements

    def analyze_articles(self, articles: Sequence[tuple[str | None, str | None, str]]) -> list[list[Statement]]:
        """Statements per (title, lead, text): headline, teaser and body sentences.

        All sentences of all given articles go through the transformer together, so the
        batches are full however short each article is. A job cut reported as "Der
        Konzern streicht …" borrows the employer the article last named as a subject (or
        its headline's).
        """
        sentences: list[str] = []
        contexts: list[str | None] = []
        owners: list[int] = []
        for number, (title, lead, text) in enumerate(articles):
            raw = ([title] if title else []) + split_sentences("\n".join(filter(None, [lead, text])))
            for cleaned, _ in map(clean_input, raw):
                if cleaned:
                    sentences.append(cleaned)
                    contexts.append(title)
                    owners.append(number)
        grouped: list[list[Statement]] = [[] for _ in articles]
        for owner, statement in zip(owners, self.classify(sentences, contexts)):
            grouped[owner].append(statement)
        return [carry_employer(statements, employer_of(title) if title else None)
                for (title, _, _), statements in zip(articles, grouped)]


def carry_employer(statements: Sequence[Statement], headline_employer: str | None) -> list[Statement]:
    """The statements with the employer of job cuts that only say "der Konzern" filled from
    the article's context: the employer it last named as a subject, or its headline's."""
    carried = []
    current = headline_employer
    for statement in statements:
        if statement.job_cut and not statement.employer and current:
            statement = replace(statement, employer=current)
        carried.append(statement)
        current = statement.employer or subject_employer(statement.text) or current
    return carried
