import pytest

from models.jobcut import employer_of, extract_job_cut, jobs_number, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [("3.000", 3000), ("8'000", 8000), ("12 000", 12000), ("1,5", 1.5), ("400", 400)],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("sentence", "jobs"),
    [
        ("Der Versicherer streicht 3.000 Stellen.", 3000),
        ("Bei Alpenfunk fallen 8'000 Arbeitsplätze weg.", 8000),
        ("Rund 1,5 Tausend Jobs stehen zur Disposition.", 1500),
        ("Das Werk baut zwischen 1.500 und 1.800 Stellen ab.", 1800),
        ("Knapp 4000 Mitarbeitende sollen gehen.", 4000),
        ("Der Konzern streicht 10 Prozent der Stellen.", None),
    ],
)
def test_jobs_number(sentence: str, jobs: int | None) -> None:
    assert jobs_number(sentence) == jobs


@pytest.mark.parametrize(
    ("sentence", "employer"),
    [
        ("Der Versicherer Nordlicht will 1.200 Stellen streichen.", "Nordlicht"),
        ("Helvara Logistik baut 300 Arbeitsplätze ab.", "Helvara Logistik"),
        ("Bei der Quadrant Bank fallen 900 Jobs weg.", "Quadrant Bank"),
        ("Die Alpenfunk Telekom AG streicht 8'000 Stellen.", "Alpenfunk Telekom"),
        ("Der Konzern streicht 500 Stellen.", None),
    ],
)
def test_employer(sentence: str, employer: str | None) -> None:
    assert employer_of(sentence) == employer


def test_ai_named_job_cut() -> None:
    cut = extract_job_cut("Der Versicherer Nordlicht will 1.200 Stellen streichen, weil KI die Schadenbearbeitung übernimmt.")
    assert (cut.job_cut, cut.employer, cut.jobs_affected, cut.ai_cause) == (True, "Nordlicht", 1200, True)


def test_cut_without_ai() -> None:
    cut = extract_job_cut("Vossberg Chemie streicht wegen hoher Energiepreise 600 Stellen in Ludwigshafen.")
    assert (cut.job_cut, cut.employer, cut.jobs_affected, cut.ai_cause) == (True, "Vossberg Chemie", 600, False)


@pytest.mark.parametrize(
    "sentence",
    [
        "Bis 2030 könnten drei Millionen Jobs durch KI wegfallen, schätzt das IAB.",
        "Ein Stellenabbau durch KI sei nicht geplant, sagte der Sprecher.",
        "Streicht Nordlicht bald 1.200 Stellen?",
        "Helvara stellt 300 neue Mitarbeitende ein.",
        "Die neue Grafikkarte kostet 900 Euro.",
    ],
)
def test_not_a_job_cut(sentence: str) -> None:
    cut = extract_job_cut(sentence)
    assert not cut.job_cut and cut.employer is None and cut.jobs_affected is None and not cut.ai_cause
