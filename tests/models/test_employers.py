import pytest

from models.employers import employer_tokens, fuller_name, same_employer


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Nordsee Reederei AG", "Reederei Nordsee"),
        ("Brixmoor", "Brixmoor Versicherung"),
        ("Telekom", "Deutsche Telekom"),
        ("Halvorens", "Halvoren"),
        ("BWG", "Bergische Wasserwerke Gruppe BWG"),
        ("Müller & Söhne GmbH", "Mueller & Soehne"),
        ("Veltara", "Veltara Holding"),
        ("Kronfeld Papier", "Kronfeld Papierfabrik"),
    ],
)
def test_one_employer_in_other_words(a: str, b: str) -> None:
    assert same_employer(a, b) and same_employer(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Deutsche Bank", "Deutsche Telekom"),
        ("Deutsche Bank", "Deutsche Post"),
        ("Deutsche", "Deutsche Post"),
        ("Stadtwerke Ahrenfeld", "Stadtwerke Bergheim"),
        ("Sparkasse Elbtal", "Sparkasse"),
        ("Quadrant Bank", "Bank"),
        ("Volksbank Ammertal", "Volksbank Isartal"),
        ("Veltara Holding", "Veltara Logistik"),  # a parent and its subsidiary
    ],
)
def test_employers_that_only_share_generic_words_are_two(a: str, b: str) -> None:
    assert not same_employer(a, b) and not same_employer(b, a)


def test_names_compare_without_legal_form_case_or_umlauts() -> None:
    assert employer_tokens("Nordlicht Versicherung AG") == {"nordlicht", "versicherung"}
    assert employer_tokens("Müller & Söhne GmbH") == {"mueller", "soehne"}


def test_the_more_complete_name_wins() -> None:
    assert fuller_name("Reederei Nordsee", "Nordsee Reederei") in ("Reederei Nordsee", "Nordsee Reederei")
    assert fuller_name("Brixmoor", "Brixmoor Versicherung") == "Brixmoor Versicherung"
    assert fuller_name("Halvoren Logistik", "Halvoren") == "Halvoren Logistik"
