"""Job-cut extraction: does a sentence report concrete cuts at an employer, and which?

Precise rules on purpose: an alert that cries wolf is worse than a late one. A sentence
counts only with a cut verb, a jobs noun and something concrete (a number, a named or
referenced employer), and not when it is a forecast for the whole economy, a denial or a
question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.lexicon import AI_TERMS, CUT_TERMS, JOB_TERMS, mentions_ai

_NUM = r"\d{1,3}(?:[.'’ ]\d{3})+|\d+(?:,\d+)?"
_SCALE = r"(?:\s*(?:Tausend|Tsd\.?|Millionen|Mio\.?))?"
_JOB_NOUN = (
    r"(?:Voll(?:zeit)?stellen|\w*[Ss]tellen|\w*[Aa]rbeitsplätze\w*|\w*[Jj]obs|Mitarbeit\w*|Beschäftigt\w*|Angestellt\w*|"
    r"Sachbearbeiter\w*|Beamt\w*|Leute|Menschen|Fachkräfte|Köpfe|Positionen|Posten|Rollen|Vollzeitäquivalente|FTE|"
    # people named by their role: "90 Verifikationsingenieure", "40 Texterinnen", "70 Artists"
    r"(?!(?:Prozent|Euro|Franken|Millionen|Milliarden|Jahre|Monate|Wochen|Tage|Stunden|Filialen|Standorte|Werke|"
    r"Kunden|Kundinnen|Märkte|Läden|Geschäfte|Fahrzeuge|Autos|Geräte|Projekte|Anlagen)\b)[A-ZÄÖÜ][a-zäöüß]+"
    r"(?:er|erinnen|innen|kräfte|leute|eure|sten|anten|enten|ierer|s)\b)"
)
_JOBS_NUMBER = re.compile(
    rf"(?P<lo>{_NUM})(?P<scale_lo>{_SCALE})(?:\s*(?:bis|und|-|–)\s*(?P<hi>{_NUM})(?P<scale_hi>{_SCALE}))?"
    rf"(?!\s*(?:Prozent|%|Euro|Franken))\s+(?:[^\W\d][\w-]*\s+){{0,3}}?{_JOB_NOUN}\b"
)
# "210 ihrer rund 1.100 Stellen", "280 von 900 Arbeitsplätzen": the cut is the first number
_PART_OF_TOTAL = re.compile(
    rf"(?P<lo>{_NUM})(?P<scale_lo>{_SCALE})\s+(?:von|ihrer|seiner|der|aus)\s+(?:(?:rund|insgesamt|etwa|gut|knapp|ca\.)\s+)?"
    rf"(?:{_NUM})\s+(?:[^\W\d][\w-]*\s+){{0,2}}?{_JOB_NOUN}"
)
_YEAR_BEFORE = re.compile(r"(?:bis|Ende|seit|ab|im|Jahr|vor|nach|zum|Anfang|Mitte)\s+$", re.IGNORECASE)
_PERCENT = re.compile(rf"(?P<p>{_NUM})\s*(?:Prozent|%)")
_FORECAST = re.compile(
    r"\bkönnt\w*\b|\bdürft\w*\b|Prognose|prognostiz\w*|"
    r"Studie|Umfrage|Forschungsinstitut\w*|\bIAB\b|\bifo\b|\bIW\b|\bOECD\b|\bWEF\b|Ökonom\w*|Forscher\w*|Expert\w*|"
    r"bundesweit|deutschlandweit|weltweit\s+(?:könnten|drohen)|in\s+der\s+(?:Branche|Wirtschaft)|"
    r"\bMillionen\s+(?:Jobs|Arbeitsplätze|Stellen)|Arbeitslos\w*|Arbeitsmarkt\w*",
    re.IGNORECASE,
)
# hiring, not cutting: "stellt 40 Auszubildende ein", "80 zusätzliche Stellen", "25 neue Leute"
_HIRING = re.compile(
    r"\b(?:neue\w*|zusätzliche\w*)\s+(?:[\w-]+\s+)?(?:Stellen|Jobs|Arbeitsplätze|Leute|Mitarbeit\w*|Beschäftigt\w*)|"
    r"\beingestellt|(?-i:stell(?:t|en))\s+(?:[\w.,'’-]+\s+){0,8}?ein\b|übernimmt\s+(?:alle\s+)?\d+\s+Auszubildende",
    re.IGNORECASE,
)
_CUT_WORDS = (
    r"(?:Stellen\w*|Stelle|Kahlschlag|\bgekündigt|Jobs?|Arbeitsplätze|Abbau|Stellenabbau|Personalabbau|Kündigung\w*|Entlassung\w*|entlass\w*|"
    r"streich\w*|abbauen|abgebaut|wegfallen|gestrichen|ersetzt|gefährdet|betroffen|geplant)"
)
# a negation close to the cut ("keine Stellen abbauen", "Stellenabbau sei nicht geplant"),
# not anywhere in the sentence ("lagert keine Arbeit mehr aus, … 260 Stellen entfallen")
_DENIAL = re.compile(
    rf"\b(?:nicht|kein\w*|keinerlei|niemand\w*)\s+(?:[\w-]+\s+){{0,3}}?{_CUT_WORDS}|"
    rf"{_CUT_WORDS}\s+(?:[\w-]+\s+){{0,4}}?(?:nicht|kein\w*|nein|niemand)\b(?!\s+verschont)|"
    r"\b(?:ausgeschlossen|dementier\w*|zurückgewiesen|widersprochen|Gerüchte?|"
    r"vermeiden|verhindern|abwenden|abgewendet|widersprich\w*|widerspricht|zurückgenommen|vom Tisch|frei erfunden|"
    r"Spekulation\w*|"
    r"Kündigungsschutz\w*)\b|\b(?:statt|anstatt|ohne)\s+(?:[\w-]+\s+){0,5}?zu\s+\w+|"
    r"\b(?:statt|ohne)\s+(?:Entlassungen|Stellenabbau|Personalabbau|Jobabbau|Kündigungen)|^Ob\b|"
    r"\bnimmt\s+(?:[\w-]+\s+){0,6}?zurück|\bschlie(?:ß|ss)t\s+(?:[\w-]+\s+){0,5}?aus\b|"
    r"verzicht\w*\s+(?:[\w-]+\s+){0,3}?(?:auf\s+)?(?:betriebsbedingte\s+)?Kündigungen|verzichtet\s+vorerst|"
    r"\bKurzarbeit\w*\s+(?:wird|werde)",
    re.IGNORECASE,
)
_REFERENCE = re.compile(
    r"\b(?:der|die|das|des|dem|den)\s+(?:\w+-)?(?:Konzern|Unternehmen|Firma|Bank|Versicherer|Versicherung|"
    r"Hersteller|Autobauer|Zulieferer|Händler|Konzernchef\w*|Betrieb|Mittelständler|Anbieter|Dienstleister|"
    r"Softwarehaus|Start-?up|Verlag|Sender|Klinik\w*|Kasse|Telekommunikationskonzern|Logistiker|Chemiekonzern|"
    r"Energieversorger|Versandhändler|Onlinehändler|Discounter|Modekonzern|Finanzdienstleister|Airline)\b",
    re.IGNORECASE,
)
_LEGAL_FORMS = r"(?:AG|SE|GmbH|KGaA|KG|Holding|Group|Gruppe|Inc\.?|Ltd\.?|& Co\.?(?: KG)?|plc)"
_NAME_TOKEN = r"[A-ZÄÖÜ][\w&'’.-]*[\w&]|[A-ZÄÖÜ]"
_NOT_NAMES = frozenset(
    """
    Der Die Das Den Dem Des Ein Eine Einer Eines Im In Bei Beim Nach Vor Wie Auch Doch Und Aber Mit Seit Bis Für Laut
    Es Er Sie Wir Ich Man Ihr Dies Diese Dieser Dieses Jeder Jede Alle Viele Manche Niemand Wer Was Hier Dort Heute
    Mandanten Kunden Kundinnen Patienten Nutzer Verbraucher Bürger Partner Lieferanten Belege Aufträge
    Rund Etwa Knapp Mehr Weitere Insgesamt Allein Damit Dabei Daher Deshalb Nun Jetzt Zudem Außerdem Demnach So Wegen
    KI AI Stellen Stelle Jobs Job Arbeitsplätze Mitarbeiter Mitarbeitende Beschäftigte Belegschaft Personal Konzern
    Unternehmen Firma Versicherer Hersteller Zulieferer Automatisierung Sprecher Sprecherin Vorstand
    Chef Chefin Betriebsrat Gewerkschaft Jahr Jahren Ende Anfang Rahmen Zuge Prozent Millionen Milliarden Euro Franken
    Stellenabbau Abbau Kahlschlag Layoffs Entlassungen Kündigungen Standort Standorten Zentrale Verwaltung Bereich
    Sachbearbeiter Kunden Kundenservice Callcenter Systeme System Chatbots Roboter Sprachmodelle Algorithmen Agenten
    Deutschland Österreich Schweiz Europa Berlin München Hamburg Wien Zürich Januar Februar März April Mai Juni Juli
    August September Oktober November Dezember Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag Wochen
    """.split()
)
# Words that introduce a name rather than belong to it ("der Reifenhersteller Gummiwerk Stade").
_DESCRIPTOR = re.compile(
    r"(?:konzern|hersteller|händler|kette|dienstleister|versicherer|zulieferer|anbieter|betreiber|manufaktur|"
    r"entwickler|bauer|gesellschaft|veranstalter|apotheke|kasse|gruppe|firma|unternehmen|verlag|brauerei|"
    r"start-up|startup|produzent|spezialist|riese|versender|autobauer|institut|sender|klinikum|discounter|"
    r"logistiker|versorger|ausrüster|händlerin)$",
    re.IGNORECASE,
)
# Sector words belong to many names ("Quadrant Bank") but are no name on their own.
_GENERIC = frozenset("Bank Versicherung Logistik Chemie Telekom Software Gruppe Holding Energie Werke Medien".split())
_SUBJECT = re.compile(
    rf"^(?:(?:Der|Die|Das)\s+)?(?P<name>(?:{_NAME_TOKEN})(?:\s+(?:{_NAME_TOKEN}))*)"
    r"\s+(?:will|muss|soll|wird|hat|hatte|[a-zäöüß]+t)\b"
)
_HEADLINE = re.compile(rf"^(?P<name>(?:{_NAME_TOKEN})(?:\s+(?:{_NAME_TOKEN}))*)\s*:\s")
_INVERTED = re.compile(
    r"\b(?:will|wollen|soll|sollen|plant|muss|baut|streicht|entlässt|kündigt|ersetzt|schließt|reduziert)\s+"
    rf"(?:der|die|das)\s+(?P<name>(?:{_NAME_TOKEN})(?:\s+(?:{_NAME_TOKEN}))*)"
)
_PREPOSITION = re.compile(
    rf"\b(?:[Bb]ei|von|vom|[Bb]eim)\s+(?:(?:dem|der|den)\s+)?(?:[a-zäöü][\w-]*\s+)?"
    rf"(?P<name>(?:{_NAME_TOKEN})(?:\s+(?:{_NAME_TOKEN}))*)(?=[\s,.:;!?)“”»«\"']|$)"
)
_SUBJECT_ANYWHERE = re.compile(
    rf"(?:^|[,:;]\s+|\b(?:dass|weil|nachdem|als)\s+)(?:(?:der|die|das|Der|Die|Das)\s+)?"
    rf"(?P<name>(?:{_NAME_TOKEN})(?:\s+(?:{_NAME_TOKEN}))*)\s+(?:[\w.'’-]+\s+){{0,6}}?"
    r"(?:streicht|streichen|abbauen|baut|entlässt|ersetzt|kürzt|streiche|baue)\b"
)


@dataclass(frozen=True)
class JobCut:
    job_cut: bool
    employer: str | None = None
    jobs_affected: int | None = None
    percentage: float | None = None
    ai_cause: bool = False


def parse_number(value: str, scale: str | None = None) -> float:
    """German/Swiss number text to a float: "3.000" → 3000, "8'000" → 8000, "1,5" + Tausend → 1500."""
    cleaned = re.sub(r"[.'’ ](?=\d{3}\b)", "", value).replace(",", ".")
    number = float(cleaned)
    scale = (scale or "").strip().lower()
    if scale.startswith(("tausend", "tsd")):
        number *= 1000
    elif scale.startswith(("million", "mio")):
        number *= 1_000_000
    return number


def jobs_number(sentence: str) -> int | None:
    """Number of jobs stated in a sentence; for a range "zwischen A und B" the upper bound."""
    match = _PART_OF_TOTAL.search(sentence) or next(
        (m for m in _JOBS_NUMBER.finditer(sentence) if not _is_year(sentence, m)), None
    )
    if not match:
        return None
    if match.re is _PART_OF_TOTAL:
        return int(round(parse_number(match.group("lo"), match.group("scale_lo"))))
    if match.group("hi"):
        scale = match.group("scale_hi") or match.group("scale_lo")
        return int(round(parse_number(match.group("hi"), scale)))
    return int(round(parse_number(match.group("lo"), match.group("scale_lo"))))


def _is_year(sentence: str, match: re.Match[str]) -> bool:
    """"bis Ende 2027 rund 900 Stellen": 2027 is a date, not a head count."""
    value = match.group("lo")
    return value.isdigit() and 1990 <= int(value) <= 2100 and bool(_YEAR_BEFORE.search(sentence[: match.start()]))


def percentage(sentence: str) -> float | None:
    match = _PERCENT.search(sentence)
    return parse_number(match.group("p")) if match else None


def _is_descriptor(token: str) -> bool:
    return bool(_DESCRIPTOR.search(token)) or token in _NOT_NAMES


def _not_a_name(token: str) -> bool:
    return token in _NOT_NAMES or bool(AI_TERMS.match(token))


def _clean_name(name: str) -> str | None:
    """Trim a capitalised run to the employer's own name.

    Leading descriptors ("Der Softwarekonzern Steinbruck", "Das Berliner Start-up Klarfeld")
    and trailing nouns or legal forms are removed; a run with AI words or generic nouns in
    its middle is no name at all.
    """
    tokens = name.split()
    # a place adjective before a descriptor: "Die Leipziger Ahlfeldt Kanzleigruppe", "Der Hamburger Versicherer X"
    if len(tokens) > 2 and tokens[0].endswith("er") and any(_is_descriptor(t) for t in tokens[1:]):
        tokens.pop(0)
    while len(tokens) > 1 and _is_descriptor(tokens[0]):
        tokens.pop(0)
    while tokens and tokens[0] in _NOT_NAMES:
        tokens.pop(0)
    while tokens and (tokens[-1] in _NOT_NAMES or re.fullmatch(_LEGAL_FORMS, tokens[-1])):
        tokens.pop()
    if not tokens or any(_not_a_name(t) for t in tokens) or all(t in _GENERIC for t in tokens):
        return None
    cleaned = " ".join(tokens).strip(".,:;")
    return cleaned if len(cleaned) > 1 else None


def employer_of(sentence: str) -> str | None:
    """The employer named as subject ("Helvara baut … ab") or after a preposition ("bei Helvara")."""
    for pattern in (_SUBJECT, _INVERTED, _SUBJECT_ANYWHERE, _HEADLINE, _PREPOSITION):
        for match in pattern.finditer(sentence):
            name = _clean_name(match.group("name"))
            if name:
                return name
    return None


def subject_employer(sentence: str) -> str | None:
    """The company a sentence is about when it opens with it ("Die Haldenbrück Bank will …").

    Used to carry the employer to later sentences ("Bis 2029 sollen 800 Stellen wegfallen").
    """
    match = _SUBJECT.match(sentence)
    return _clean_name(match.group("name")) if match else None


def _names_jobs(sentence: str) -> bool:
    """A jobs word other than "ersetzt", which is a cut verb here, not evidence of jobs."""
    return any(not m.group(0).lower().startswith("ersetz") for m in JOB_TERMS.finditer(sentence))


def is_concrete_cut(sentence: str) -> bool:
    """Cut verb + jobs noun, concrete, not a forecast, denial or open question."""
    if not (CUT_TERMS.search(sentence) and (_names_jobs(sentence) or _JOBS_NUMBER.search(sentence))):
        return False
    if sentence.rstrip(" “”»«\"'").endswith("?"):
        return False
    if _FORECAST.search(sentence) or _DENIAL.search(sentence) or _HIRING.search(sentence):
        return False
    return bool(_JOBS_NUMBER.search(sentence) or _REFERENCE.search(sentence) or employer_of(sentence))


def extract_job_cut(sentence: str) -> JobCut:
    """All job-cut fields of one sentence; non-cuts carry no employer or number."""
    if not is_concrete_cut(sentence):
        return JobCut(False)
    return JobCut(
        job_cut=True,
        employer=employer_of(sentence),
        jobs_affected=jobs_number(sentence),
        percentage=percentage(sentence),
        ai_cause=mentions_ai(sentence),
    )
