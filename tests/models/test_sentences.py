import pytest

from models.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Der Konzern will z. B. 3.000 Stellen streichen. Das sagte Dr. Meier.",
         ["Der Konzern will z. B. 3.000 Stellen streichen.", "Das sagte Dr. Meier."]),
        ("Am 3. Dezember entscheidet der Vorstand. Im 2. Quartal sank der Umsatz um 3 Prozent.",
         ["Am 3. Dezember entscheidet der Vorstand.", "Im 2. Quartal sank der Umsatz um 3 Prozent."]),
        ("„Wir müssen handeln.“ Danach ging er.", ["„Wir müssen handeln.“", "Danach ging er."]),
        ("Er sagte: »Das ist das Ende.« Die Gewerkschaft widersprach.",
         ["Er sagte: »Das ist das Ende.«", "Die Gewerkschaft widersprach."]),
        ("Bis 2030 fallen rd. 1,5 Mio. Jobs weg! Wirklich? Ja.", ["Bis 2030 fallen rd. 1,5 Mio. Jobs weg!", "Wirklich?", "Ja."]),
        ("Die Firma heisst Nordlicht AG. Sie ist gross.", ["Die Firma heisst Nordlicht AG.", "Sie ist gross."]),
        ("Gewinne u. a. in Asien, bzw. Europa. Neu ist das nicht.", ["Gewinne u. a. in Asien, bzw. Europa.", "Neu ist das nicht."]),
        ("Erster Absatz ohne Punkt\nZweiter Absatz.", ["Erster Absatz ohne Punkt", "Zweiter Absatz."]),
        ("", []),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected
