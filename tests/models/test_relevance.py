import pytest

from models.relevance import looks_german, topic_of


@pytest.mark.parametrize(
    ("sentence", "topic"),
    [
        ("KI-Agenten ersetzen in der Buchhaltung 200 Sachbearbeiter.", "ai_jobs"),
        ("Künstliche Intelligenz schafft neue Jobs in der Pflege.", "ai_jobs"),
        ("Die Gewerkschaft fordert mehr Lohn für die Beschäftigten.", "jobs"),
        ("Das neue Sprachmodell versteht jetzt auch Bilder.", "ai"),
        ("Das Smartphone bekommt einen größeren Akku.", "other"),
    ],
)
def test_topic(sentence: str, topic: str) -> None:
    assert topic_of(sentence) == topic


def test_headline_context_lends_the_ai_side() -> None:
    sentence = "Der Konzern will 800 Stellen streichen."
    assert topic_of(sentence) == "jobs"
    assert topic_of(sentence, context="KI ersetzt Sachbearbeiter: Stellenabbau bei Nordlicht") == "ai_jobs"


@pytest.mark.parametrize(
    ("sentence", "german"),
    [
        ("The company will cut 3,000 jobs because AI is taking over the work.", False),
        ("L'entreprise va supprimer des emplois dans les centres d'appels.", False),
        ("Der Konzern streicht 3.000 Stellen, weil KI die Arbeit übernimmt.", True),
        ("KI-Boom: Hiring Freeze bei Kestrel", True),
        # missed by the stop-word rule this replaced:
        ("L'azienda taglierà 300 posti di lavoro a causa dell'intelligenza artificiale.", False),
        ("AI will not replace your job, but someone using AI will.", False),
        ("La empresa recortará 800 empleos por la automatización.", False),  # (this one it caught)
        # German with English words in it stays German
        ("Der Chatbot übernimmt den First-Level-Support im Service-Center.", True),
        ("Das Start-up setzt auf Machine Learning und Cloud Computing.", True),
    ],
)
def test_foreign_sentences_are_topic_other(sentence: str, german: bool) -> None:
    assert looks_german(sentence) is german
    assert (topic_of(sentence) == "other") or german
