import pytest

from models.jobcut import employer_of, extract_job_cut, jobs_number
from models.numbers import parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [("3.000", 3000), ("8'000", 8000), ("12 000", 12000), ("1,5", 1.5), ("400", 400), ("dreihundert", 300),
     ("Eintausend", 1000), ("zweitausendfünfhundert", 2500), ("dreiundzwanzig", 23), ("zwölf", 12)],
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
        ("Der Callcenter-Betreiber Kontaktwerk entlässt dreihundert Beschäftigte.", 300),
        ("Eintausend Stellen weniger: Bausparkasse Lindgrün setzt auf KI", 1000),
        ("Die Bank will die Zahl der Stellen im Service um 800 reduzieren.", 800),
        ("Die Belegschaft soll von 3.000 auf 2.500 Beschäftigte sinken.", 500),
        ("Die Agentur verkleinert ihr Team um 140 auf 80 Köpfe.", 140),
        ("Von den derzeit 1.100 Stellen sollen bis 2027 etwa 300 wegfallen.", 300),
        ("Der Händler hatte 300 Stellen abgebaut und streicht nun weitere 150.", 150),
        ("Knapp 5.000 Backoffice-Stellen will die Bank abbauen.", 5000),
        ("Die Sparkasse legt 12 Geschäftsstellen zusammen und verzichtet auf 90 Stellen.", 90),
        ("Der Verlag entlässt 35 Redakteur:innen.", 35),
        ("Die Bank streicht ein Drittel der 900 Stellen.", 300),
        ("Der Konzern baut 10 Prozent seiner 4.000 Jobs ab.", 400),
        ("Der Händler streicht mehrere Hundert Stellen.", None),
        ("Zwölfhundert Stellen will der Hersteller einsparen.", 1200),
        ("Beim Hafenbetrieb sollen anderthalbtausend Arbeitsplätze wegfallen.", 1500),
        ("Die Zahl der Stellen in Wetzlar soll von 2.400 auf 1.750 sinken.", 650),
        ("Um 220 auf 90 Vollzeitstellen schrumpft die Übersetzungsabteilung von Hegerwerk.", 220),
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
        # sentence-initial common nouns and descriptors are no names
        ("Bei der Sparkasse fallen 200 Stellen weg – Grund ist die Digitalisierung.", None),
        ("Bei der Sparkasse Elbtal fallen 200 Stellen weg – Grund ist die Digitalisierung.", "Sparkasse Elbtal"),
        ("Der Softwarekonzern plant einen weltweiten Stellenabbau.", None),
        ("Das Geldhaus kündigte an, 900 Stellen zu streichen.", None),
        ("Sparprogramm mit KI: Reiseportal Fernblick baut 210 Stellen ab", "Fernblick"),
        # past tense, inverted subjects, descriptors before the name, hyphenated compounds
        ("Brixmoor entließ im Herbst 120 Sachbearbeiter.", "Brixmoor"),
        ("Nach wochenlangen Gerüchten bestätigte Halvoren, dass 900 Stellen wegfallen.", "Halvoren"),
        ("Die seit Jahren defizitäre Fluggesellschaft Aerolux muss 150 Flugbegleiter entlassen.", "Aerolux"),
        ("Das Münchner Start-up Lernwerk hat seine Belegschaft halbiert.", "Lernwerk"),
        ("Die Nordair-Tochter Skyhop will 300 Stellen streichen.", "Skyhop"),
        ("Unruhe bei den Halvoren-Beschäftigten: Jeder fünfte Arbeitsplatz soll wegfallen.", "Halvoren"),
        ("Dreihundert Beschäftigte des Inkassounternehmens Pfandmeister müssen gehen.", "Pfandmeister"),
        ("Es werden 300 Stellen abgebaut, bestätigte ein Sprecher der Stadtwerke Falkenried.", "Stadtwerke Falkenried"),
        # people by their role and bodies that react to a cut are not its employer
        ("Der Hamburger Senat zeigte sich besorgt, dass der Abbau über Fluktuation gestaltet werden solle.", None),
        ("Chefredakteur Gregor Ellwanger sagte, 40 Stellen fielen weg.", None),
    ],
)
def test_employer(sentence: str, employer: str | None) -> None:
    assert employer_of(sentence) == employer


def test_ai_named_job_cut() -> None:
    cut = extract_job_cut("Der Versicherer Nordlicht will 1.200 Stellen streichen, weil KI die Schadenbearbeitung übernimmt.")
    assert (cut.job_cut, cut.employer, cut.jobs_affected, cut.ai_cause) == (True, "Nordlicht", 1200, True)


@pytest.mark.parametrize(
    "sentence",
    [
        "Grauwerk Stahl plant, knapp 4000 Stellen abzubauen, und setzt verstärkt auf Roboter.",
        "Kestrel Software streicht 120 Stellen im Vertrieb und stellt zugleich 80 KI-Spezialistinnen ein.",
        "Die Mediengruppe Hansepost stellt zwei Regionalausgaben ein, 45 Redakteure müssen gehen.",
        "Hunderte Stellen weg: Versicherer Allsicher setzt auf künstliche Intelligenz",
        "Bei Fernholt fällt die Hälfte der Stellen in der Personalabteilung weg.",
        "Der Logistiker Elbspedition kündigt nach dem Verlust eines Großkunden 230 Lagerarbeitern.",
        "Badenia Leben will rund 450 Arbeitsplätze abbauen; betriebsbedingte Kündigungen schließt sie aus.",
        "Die Steuerkanzlei Weidinger hat sich von 45 Buchhaltungskräften getrennt.",
        "Der Verlag kürzt 45 Stellen in der Redaktion.",
        "Die Firma stellt 200 Mitarbeitende frei.",
        "Von 1.500 auf 1.100 Mitarbeitende: Medizintechnikfirma Pulsar Medical baut um",
        "Im Landratsamt Weißach werden zwei Dutzend Stellen dauerhaft nicht nachbesetzt, seit ein KI-Portal prüft.",
        "Mit seinen 310 Beschäftigten wird das Reifenwerk von Gummi Hartmann in Hanau Ende 2025 geschlossen.",
    ],
)
def test_concrete_cuts_in_many_forms(sentence: str) -> None:
    assert extract_job_cut(sentence).job_cut


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
        "Trotz zunehmender Automatisierung will der Autobauer auf betriebsbedingte Kündigungen verzichten.",
        "Die IG Metall warnt vor dem Verlust Zehntausender Industriearbeitsplätze.",
        "Das Landesarbeitsgericht verhandelt die Klage von zwölf gekündigten Lagerarbeitern.",
        "Statt die 400 Beschäftigten abzubauen, will die Versicherung sie weiterbilden.",
        "Die Kurzarbeit im Werk Heilbronn wird verlängert, rund 700 Beschäftigte sind betroffen.",
        "Mit Reinforcement Learning hat das Team 30 Prozent Energie eingespart.",
        "Der Konzern kürzt das Weihnachtsgeld seiner Mitarbeiter.",
        "„Wir hätten Hunderte Stellen streichen können“, sagte der Reeder.",
        "Einstellungsstopp: Bei der Pfeilring Versicherung werden frei werdende Stellen vorerst nicht nachbesetzt.",
        "Vor dem Sozialgericht klagen 45 ehemalige Beschäftigte eines Fensterherstellers gegen ihre Kündigung.",
        "Als die Stadtwerke Zähler einbauten, war klar: Das Ablesen würde als Beruf verschwinden.",
        "Die Bank schließt einen Stellenabbau durch KI in den kommenden Jahren ausdrücklich nicht aus.",
        "Der Landkreis nutzt KI, um den Rückstau abzubauen; die Stellen bleiben erhalten.",
    ],
)
def test_not_a_job_cut(sentence: str) -> None:
    cut = extract_job_cut(sentence)
    assert not cut.job_cut and cut.employer is None and cut.jobs_affected is None and not cut.ai_cause
