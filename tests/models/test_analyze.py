from models.analyze import final_stance
from models.jobcut import extract_job_cut
from models.stance import StancePrediction

NEUTRAL_READING = StancePrediction("neutral", 0.6, {"negative": 0.3, "neutral": 0.6, "positive": 0.1})


def test_a_concrete_cut_is_negative_whatever_the_transformer_read() -> None:
    sentence = "Die Wachau Versicherung wird bis Jahresende zweihundert Stellen abbauen."
    assert final_stance(sentence, NEUTRAL_READING, extract_job_cut(sentence)) == ("negative", 0.3)


def test_a_cut_beside_hiring_keeps_the_transformers_stance() -> None:
    sentence = "Kestrel Software streicht 120 Stellen im Vertrieb und stellt zugleich 80 KI-Spezialistinnen ein."
    assert final_stance(sentence, NEUTRAL_READING, extract_job_cut(sentence)) == ("neutral", 0.6)


def test_no_cut_keeps_the_transformers_stance() -> None:
    sentence = "Die Gewerkschaft und der Vorstand verhandeln am Montag über den KI-Einsatz."
    assert final_stance(sentence, NEUTRAL_READING, extract_job_cut(sentence)) == ("neutral", 0.6)


def test_a_cut_told_in_role_words_is_about_work() -> None:
    """The topic lexicon does not know every role ("Verifikationsingenieure"); the head count
    sends the sentence to the cut rules, and a found cut makes its topic about work."""
    from models.analyze import Analyzer

    class AlwaysNeutral:
        identity = "test@1"

        def predict(self, texts: list[str]) -> list[StancePrediction]:
            return [NEUTRAL_READING for _ in texts]

    [statement] = Analyzer(AlwaysNeutral()).classify(
        ["Der Chipdesigner Siliqon entlässt 90 Verifikationsingenieure, weil KI-Werkzeuge die Tests erledigen."])
    assert (statement.topic, statement.job_cut, statement.jobs_affected) == ("ai_jobs", True, 90)
    assert statement.stance == "negative"
