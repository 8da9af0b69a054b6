"""Job-cut extraction: does a sentence report concrete cuts at an employer, and which?

Precise rules on purpose: an alert that cries wolf is worse than a late one. A sentence
counts only with a cut verb, a jobs noun and something concrete (a number, a named or
referenced employer), and not when it is a forecast for the whole economy, a denial or a
question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from models.employers import DESCRIPTOR_HEADS, clean_name
from models.lexicon import AI_TERMS, CUT_TERMS, JOB_TERMS, mentions_ai
from models.numbers import DIGITS, NUMBER_WORD, SCALE, parse_number

# digits, or a spelled-out number other than a bare "ein(s)" ("dreihundert", "Eintausend")
_NUM = rf"{DIGITS}|\b(?i:(?!eins?\b){NUMBER_WORD})\b"
_JOB_NOUN = (
    # offices and sites are no jobs: "12 Geschäftsstellen", "drei Filialen"
    r"(?:[^\W\d]+-)?(?!(?:Post|Geschäfts|Bau|Tank|Halte|Schnitt|Anlauf|Melde|Beratungs|Lade|Zweig|Außen|Dienst|Verkaufs|Sammel)stellen)"
    r"(?:Voll(?:zeit)?stellen|\w*[Ss]tellen|\w*[Aa]rbeitsplätze\w*|\w*[Jj]obs|\w*[Mm]itarbeit\w*|\w*[Bb]eschäftigt\w*|"
    r"Kündigungen|Entlassungen|"
    r"Sachbearbeiter\w*|\w*[Aa]ngestellt\w*|Beamt\w*|Leute|Menschen|Fachkräfte|Köpfe|Positionen|Posten|Rollen|Vollzeitäquivalente|FTE|"
    # people named by their role: "90 Verifikationsingenieure", "40 Texterinnen", "70 Artists"
    r"(?!(?:Prozent|Euro|Franken|Millionen|Milliarden|Jahre|Monate|Wochen|Tage|Stunden|Filialen|Standorte|Werke|"
    r"Kunden|Kundinnen|Mandanten|Klienten|Patienten|Märkte|Läden|Geschäfte|Fahrzeuge|Autos|Geräte|Projekte|Anlagen)\b)[A-ZÄÖÜ][a-zäöüß]+"
    r"(?:er|(?:t|r|l|b|k|f|w|g|n)ern|erinnen|innen|[:*_]innen|kräfte|kräften|leute|eure|euren|oren|sten|anten|enten|ierer|s)\b)"
)
_JOBS_NUMBER = re.compile(
    # "mehrere Hundert Stellen" is a vague count, not 100
    r"(?<!mehrere )(?<!Mehrere )(?<!einige )(?<!Einige )(?<!paar )"
    rf"(?P<lo>{_NUM})(?P<scale_lo>{SCALE})(?:\s*(?:bis|und|-|–)\s*(?P<hi>{_NUM})(?P<scale_hi>{SCALE}))?"
    rf"(?!\s*(?:Prozent|%|Euro|Franken))\s+(?:[^\W\d][\w-]*\s+){{0,3}}?{_JOB_NOUN}\b"
)
# "210 ihrer rund 1.100 Stellen", "280 von 900 Arbeitsplätzen": the cut is the first number
_PART_OF_TOTAL = re.compile(
    rf"(?P<lo>{_NUM})(?P<scale_lo>{SCALE})\s+(?:von|ihrer|seiner|der|aus)\s+(?:(?:rund|insgesamt|etwa|gut|knapp|ca\.)\s+)?"
    rf"(?:{_NUM})\s+(?:[^\W\d][\w-]*\s+){{0,2}}?{_JOB_NOUN}"
)
# "die Zahl der Stellen von 3.000 auf 2.500 senken": the cut is the difference
_FROM_TO = re.compile(
    rf"\b(?:[Vv]on|[Ss]tatt)\s+(?:(?:rund|etwa|derzeit|bisher|heute)\s+)?(?P<a>{_NUM})(?P<scale_a>{SCALE})\s+(?:[^\W\d][\w-]*\s+){{0,2}}?"
    rf"(?:auf|nur\s+noch)\s+(?:(?:rund|etwa|nur\s+noch|noch)\s+)?(?P<b>{_NUM})(?P<scale_b>{SCALE})(?!\s*(?:Prozent|%|Euro|Franken))"
)
# "die Belegschaft um 800 reduzieren", "soll um rund 500 sinken": the amount after "um"
_BY_AMOUNT = re.compile(
    rf"\b[Uu]m\s+(?:(?:rund|etwa|knapp|gut|weitere|mehr\s+als|bis\s+zu)\s+)?(?P<lo>{_NUM})(?P<scale_lo>{SCALE})"
    r"(?!\s*(?:Prozent|%|Euro|Franken|Dollar|Millionen|Milliarden))\s+(?:[\w-]+\s+){0,2}?(?:zu\s+)?"
    r"(?:reduzier|verringer|senk|sink|verkleiner|kürz|schrumpf|abbau)\w*"
)
# "ein Drittel der 900 Stellen" → 300, "10 Prozent ihrer 4.000 Jobs" → 400
_SHARES = {"die hälfte": 1 / 2, "jede zweite": 1 / 2, "jeder zweite": 1 / 2, "ein drittel": 1 / 3, "jede dritte": 1 / 3,
           "jeder dritte": 1 / 3, "zwei drittel": 2 / 3, "ein viertel": 1 / 4, "jede vierte": 1 / 4, "jeder vierte": 1 / 4,
           "drei viertel": 3 / 4, "drei von vier": 3 / 4, "zwei von drei": 2 / 3, "ein fünftel": 1 / 5,
           "ein zehntel": 1 / 10, "jede fünfte": 1 / 5, "jeder fünfte": 1 / 5, "jede zehnte": 1 / 10, "jeder zehnte": 1 / 10}
_SHARE_OF_TOTAL = re.compile(
    rf"(?:(?P<share>{'|'.join(_SHARES)})|(?P<percent>\d+(?:,\d+)?)\s*(?:Prozent|%))\s+"
    rf"(?:der|ihrer|seiner|aller|von|unserer)\s+(?:(?:rund|insgesamt|etwa|gut|knapp|derzeit)\s+)?"
    rf"(?P<total>{_NUM})(?P<scale_total>{SCALE})\s+(?:[^\W\d][\w-]*\s+){{0,2}}?{_JOB_NOUN}",
    re.IGNORECASE,
)
# "um 140 auf 80 Köpfe": the amount, not what is left
_BY_AMOUNT_TO = re.compile(
    rf"\b[Uu]m\s+(?:(?:rund|etwa|knapp|gut|mehr\s+als)\s+)?(?P<lo>{_NUM})(?P<scale_lo>{SCALE})\s+auf\s+(?:rund\s+|etwa\s+)?(?:{_NUM})"
)
# "streicht nun weitere 150": the new cut, not the earlier one in the same sentence
_FURTHER = re.compile(rf"\bweitere\s+(?P<lo>{_NUM})(?P<scale_lo>{SCALE})(?!\s*(?:Prozent|%|Euro|Franken|Millionen|Milliarden))\b")
# "von den derzeit 1.100 Stellen … etwa 300 wegfallen": the part named after the total
_TOTAL_THEN_PART = re.compile(
    r"(?<!Abbau )(?<!Streichung )(?<!Wegfall )(?<!Verlust )(?<!Reduzierung )(?<!Kürzung )"
    rf"\b[Vv]on\s+(?:(?:den|ihren|seinen|insgesamt)\s+)?(?:(?:derzeit|rund|etwa|insgesamt|knapp|noch)\s+)?(?P<total>{_NUM})"
    rf"(?P<scale_total>{SCALE})\s+(?:[^\W\d][\w-]*\s+){{0,5}}?{_JOB_NOUN}[^.;:]*?"
    rf"\b(?:(?:etwa|rund|knapp|gut|mehr\s+als|bis\s+zu)\s+)?(?!(?:19|20)\d\d\b)(?P<lo>{_NUM})(?P<scale_lo>{SCALE})"
    r"(?!\s*(?:Prozent|%|Euro|Jahr\w*|Monat\w*|Woche\w*|Tag\w*))\b"
)
# a count without a figure ("Hunderte Stellen") or a share ("die Hälfte der Belegschaft",
# "jede fünfte Stelle", "10 Prozent ihrer Stellen"): concrete, but no jobs_affected
_JOBS_WITHOUT_FIGURE = re.compile(
    r"(?:\b(?:Hunderte|Tausende|Zehntausende|Dutzende|mehrere\s+(?:hundert|tausend)|(?:drei|vier|fünf)stellige\s+Zahl\s+an)|"
    r"\b(?:die\s+Hälfte|(?:ein|zwei)\s+Drittel|(?:ein|drei)\s+Viertel|jede[rs]?\s+(?:zweite|dritte|vierte|fünfte|zehnte)|"
    r"\w+\s+von\s+zehn|\d+(?:,\d+)?\s*(?:Prozent|%)\s+(?:der|ihrer|seiner|aller|unserer)|"
    r"\b(?:die|der)\s+(?:gesamte|ganze|komplette|dortige)n?)|"
    r"\b(?:alle|sämtliche)\s+\d+)"
    r"\s+(?:[\w-]+\s+){0,3}?(?:\w*[Ss]telle\w*|Belegschaft|\w*[Mm]itarbeit\w*|\w*[Bb]eschäftigt\w*|\w*[Aa]rbeitsplätze\w*|"
    r"\w*[Jj]obs|Personal\w*|\w*kräfte\w*|\w*[Aa]bteilung\w*|\w*(?:service|dienst)\b)",
    re.IGNORECASE,
)
_NO_FORCED_LAYOFFS = re.compile(
    r"(?:betriebsbedingte\s+Kündigungen\s+(?:[\w-]+\s+){0,5}?(?:aus\b|ausgeschlossen|ausschließen)|"
    r"(?:schließt|schließen|schloss)\s+(?:[\w-]+\s+){0,4}?betriebsbedingte\s+Kündigungen\s+(?:[\w-]+\s+){0,3}?aus\b|"
    r"auf\s+betriebsbedingte\s+Kündigungen\s+(?:[\w-]+\s+){0,2}?verzicht\w*|"
    r"verzicht\w*\s+(?:[\w-]+\s+){0,3}?auf\s+betriebsbedingte\s+Kündigungen|"
    r"Schutz\s+vor\s+(?:betriebsbedingten\s+)?Kündigungen)",
    re.IGNORECASE,
)
_HEADLINE_SPLIT = re.compile(r":\s+|\s+[–—-]\s+")
_YEAR_BEFORE = re.compile(r"(?:bis|Ende|seit|ab|im|Jahr|vor|nach|zum|Anfang|Mitte)\s+$", re.IGNORECASE)
_PERCENT = re.compile(rf"(?P<p>{_NUM})\s*(?:Prozent|%)")
_FORECAST = re.compile(
    r"\bkönnt\w*\b|\bdürft\w*\b|Prognose|prognostiz\w*|"
    r"\bStudie\b|\bStudien\b|\bUmfrage\b|\bUmfragen\b|Forschungsinstitut\w*|\bIAB\b|\bifo\b|\bIW\b|\bOECD\b|\bWEF\b|Ökonom\w*|Forscher\w*|Expert\w*|"
    r"bundesweit|deutschlandweit|weltweit\s+(?:könnten|drohen)|in\s+der\s+(?:Branche|Wirtschaft)\s+(?:\w+\s+){0,2}?(?:werden|drohen)|"
    r"\bMillionen\s+(?:Jobs|Arbeitsplätze|Stellen)|Arbeitslos\w*|Arbeitsmarkt\w*|warn\w*\s+(?:[\w-]+\s+){0,3}?vor\b|"
    # court reports and labour law are about past dismissals, not a new cut
    r"\w*[Aa]rbeitsgericht\w*|\w*[Ss]ozialgericht\w*|\bKlage\b|\bklag(?:en|t)\b|Arbeitsrechtler\w*|\bunwirksam|"
    r"\brechne\w*\s+(?:[\w(),.%-]+\s+){0,10}?(?:damit|mit)\b|\bnoch\s+(?:völlig\s+)?offen\b|\bgeh(?:t|en)\s+davon\s+aus\b|"
    # surveys of firms and general predictions are no cut at an employer
    r"(?:Prozent|Viertel|Drittel|Hälfte|Mehrheit)\s+(?:der\s+)?(?:befragten\s+)?(?:Unternehmen|Firmen|Betriebe|Arbeitgeber)\b|"
    r"\bwahrscheinlich\b|\bvermutlich\b|\bzu\s+(?:[\w-]+\s+){0,3}?führen\b|^Wer\b|"
    # fewer vacancies advertised is no cut of existing jobs
    r"ausgeschrieben\w*\s+Stellen|Stellenanzeigen|Stellenausschreibung\w*|offene\w*\s+Stellen|"
    # a parliament debating a rule about layoffs reports none
    r"debattier\w*|Gesetzentw\w*|Vorsto(?:ß|ss)\w*|"
    # what could have been ("hätten Hunderte Stellen streichen können"), a whole profession
    r"\bhätte\w*\s+(?:[\w-]+\s+){0,8}?(?:können|müssen|sollen|dürfen)\b|\bals\s+Beruf\b|\bBerufsbild\w*|\bBerufe\b",
    re.IGNORECASE,
)
# hiring, not cutting: "stellt 40 Auszubildende ein", "80 zusätzliche Stellen", "25 neue Leute"
_HIRES = r"(?:\d[\d.']*|\w*[Mm]itarbeit\w*|\w*[Bb]eschäftigt\w*|Leute|Auszubildende|Azubis|\w*kräfte|\w*[Ss]pezialist\w*|\w*[Ee]ntwickler\w*)"
_HIRING = re.compile(
    r"\b(?:neue\w*|zusätzliche\w*)\s+(?:[\w-]+\s+)?(?:Stellen?|Jobs|Arbeitsplätze|Leute|Mitarbeit\w*|Beschäftigt\w*)|"
    rf"{_HIRES}\s+(?:[\w-]+\s+){{0,4}}?eingestellt|"
    rf"\b(?-i:stell(?:t|en|te|ten))\s+(?:[\w.,'’-]+\s+){{0,6}}?{_HIRES}\s+(?:[\w.,'’-]+\s+){{0,4}}?ein\b|"
    r"übernimmt\s+(?:alle\s+)?\d+\s+Auszubildende",
    re.IGNORECASE,
)
# short-time work, job-centre help and hiring freezes accompany a crisis; they are no cut by themselves
_CRISIS_MEASURE = re.compile(
    r"\bKurzarbeit|Arbeitsagentur|Agentur\s+für\s+Arbeit|Jobcenter|Einstellungsstopp|Hiring\s+Freeze|"
    # fewer hires are no cut: "Neueinstellungen werden gedrosselt"
    r"einzustellend\w*|Neueinstellung\w*|"
    r"vorerst\s+nicht\s+(?:mehr\s+)?(?:nach|wieder)",
    re.IGNORECASE,
)
# a cut verb right at a head count ("streicht 120 Stellen", "90 Stellen fallen weg", "Abbau von
# 90 Stellen"): the cut stands even when the sentence also reports hiring elsewhere
_STRONG_CUT = re.compile(
    rf"(?:streich\w*|Abbau\s+von|Streichung\s+von|entläss\w*|entlass\w*|baut\w*)\s+(?:(?:rund|etwa|knapp|gut|mehr\s+als|weitere)\s+)?"
    rf"(?:{_NUM})(?:{SCALE})\s+(?:[^\W\d][\w-]*\s+){{0,2}}?{_JOB_NOUN}|"
    rf"(?:{_NUM})(?:{SCALE})\s+(?:[^\W\d][\w-]*\s+){{0,2}}?{_JOB_NOUN}\s+(?:[\w-]+\s+){{0,4}}?"
    r"(?:ab\b|abbauen|abzubauen|streichen|zu\s+streichen|gestrichen|abgebaut|wegfallen|weg\b|entlassen)",
)
_CUT_WORDS = (
    r"(?:Stellen\w*|Stelle|Kahlschlag|\bgekündigt|Jobs?|Arbeitsplätze|Abbau|Stellenabbau|Personalabbau|Kündigung\w*|Entlassung\w*|entlass\w*|"
    r"streich\w*|abbauen|abgebaut|wegfallen|gestrichen|ersetzt|gefährdet|betroffen|geplant)"
)
# a negation close to the cut ("keine Stellen abbauen", "Stellenabbau sei nicht geplant"),
# not anywhere in the sentence ("lagert keine Arbeit mehr aus, … 260 Stellen entfallen")
_DENIAL = re.compile(
    rf"\b(?:nicht(?!\s+mehr\s+nur)|kein\w*|keinerlei|niemand\w*)\s+(?:[\w-]+\s+){{0,5}}?{_CUT_WORDS}|"
    rf"{_CUT_WORDS}\s+(?:[\w-]+\s+){{0,4}}?(?:nicht|kein\w*|nein|niemand\w*)\b(?!\s+(?:verschont|herum|mehr\s+(?:gebraucht|benötigt)|(?:nach|wieder)(?:zu)?besetz))|"
    r"\b(?:ausgeschlossen|dementier\w*|zurückgewiesen|widersprochen|Gerüchte?|"
    r"vermeiden|verhindern|abwenden|abgewendet|widersprich\w*|widerspricht|zurückgenommen|vom Tisch|frei erfunden|"
    r"Spekulation\w*|"
    r"Kündigungsschutz\w*)\b|\b(?:statt|anstatt|ohne)\s+(?:[\w-]+\s+){0,5}?zu\s+\w+|"
    r"\b(?:statt|ohne)\s+(?:Entlassungen|Stellenabbau|Personalabbau|Jobabbau|Kündigungen)|^Ob\b|"
    r"\b(?:statt|anstatt)\s+(?:[\w-]+\s+){0,6}?\w+zu\w+en\b|"
    r"(?:Kündigungen|Entlassungen|Stellenabbau)\s+(?:[\w-]+\s+){0,6}?ausschließen|"
    r"\bnimmt\s+(?:[\w-]+\s+){0,6}?zurück|\bschlie(?:ß|ss)t\s+(?:[\w-]+\s+){0,10}?aus\b|\bkeine\s+Pläne\b|"
    r"\bbleib\w*\s+(?:[\w-]+\s+){0,2}?erhalten|unangetastet|\bw(?:ies|eist)\s+(?:[\w-]+\s+){0,6}?zurück\b|"
    r"\babgesagt|\bgestoppt|auf\s+Eis\s+gelegt|"
    r"verzicht\w*\s+auf\s+(?:jeden|jeglichen|einen|den)\s+(?:\w+\s+)?(?:Stellenabbau|Personalabbau|Abbau|Kündigungen|Entlassungen)|"
    r"verzicht\w*\s+(?:[\w-]+\s+){0,3}?(?:auf\s+)?(?:betriebsbedingte\s+)?Kündigungen|verzichtet\s+vorerst|"
    r"\bKurzarbeit\w*\s+(?:wird|werde)",
    re.IGNORECASE,
)
# "Der Stellenabbau trifft vor allem die Verwaltung", "die Entlassungen beginnen im März":
# the definite article points back to one employer's cut the article has reported
_THE_CUT = re.compile(
    r"\b(?:[Dd]er|[Dd]ie|[Dd]en|[Dd]em|[Dd]es|[Dd]iese[nrs]?)\s+(?:geplante[nr]?\s+|angekündigte[nr]?\s+|massive[nr]?\s+)?"
    r"(?:Stellenabbau\w*|Personalabbau\w*|Jobabbau\w*|Entlassungen|Stellenstreichungen|abzubauenden\s+Stellen|"
    r"wegfallenden\s+Stellen|Abbaupläne\w*)\b"
)
# ... but not when the sentence speaks of a whole sector or economy
_GENERAL_SCOPE = re.compile(
    r"\b(?:Branche\w*|Wirtschaft|Industrie|Volkswirtschaft\w*|Tech-Branche|Tech-Konzerne\w*|Unternehmen\s+wie|"
    r"viele[nr]?\s+(?:Unternehmen|Firmen|Konzerne\w*)|Arbeitsmarkt\w*)\b",
    re.IGNORECASE,
)
_REFERENCE = re.compile(
    # a descriptor noun ("der Mobilfunker", "das Familienunternehmen", "die Reederei"), or one of the
    # words that refer to an employer without describing its trade
    rf"\b(?:der|die|das|des|dem|den)\s+(?:\w+-)?(?:(?=[A-ZÄÖÜ])\w*(?:{DESCRIPTOR_HEADS})|"
    r"Bank|Konzernchef\w*|Betrieb|Klinik\w*|Kasse)\b",
    re.IGNORECASE,
)
# a capitalised word, "&" inside a name, or an abbreviation in brackets ("Süddeutsche Kreditbank (SKB)")
_NAME_TOKEN = r"[A-ZÄÖÜ][\w&'’.-]*[\w&]|[A-ZÄÖÜ]|&|\([A-ZÄÖÜ][\w&-]*\)"
_NAME_RUN = rf"(?:{_NAME_TOKEN})(?:\s+(?:{_NAME_TOKEN}))*"
# a finite verb after a subject: "will", "streicht", "strich", "baute" (not "gehörende")
_FINITE = (
    r"(?!(?:mit|seit|nicht|jetzt|erst|bereits|zuletzt|meist|fast|längst|selbst|weit|oft|recht|leicht|damit|bist|nebst|"
    r"zunächst|mindestens|höchstens|spätestens|trotz|statt|anstatt)\b)"
    r"(?:will|muss|soll|wird|hat|hatte|ist|war|[a-zäöüß]+t|[a-zäöüß]+te|strich|entließ|schloss|gab|sprach|stieß)\b"
)
# at the start of a sentence a plural verb counts too ("Eisenacher Glaswerke schalten …")
_PLURAL_VERB = (
    r"(?:streichen|bauen|schalten|schließen|kündigen|entlassen|wollen|müssen|sollen|planen|trennen|ersetzen|"
    r"reduzieren|kürzen|verlagern|legen|geben|haben|sind|waren|hatten|wollten|mussten|strichen|bauten)\b"
)
# a subject that reacts to a cut is not the one making it: "Der Senat zeigte sich besorgt", "X kritisierte"
_REACTION = r"(?!(?:zeigte|zeigt|kritisier\w*|verwies|verweist|forder\w*|warnte|warnt|bedauer\w*|reagier\w*|protestier\w*|begrüß\w*|appellier\w*)\b)"
_SUBJECT = re.compile(rf"^(?:(?:Der|Die|Das)\s+)?(?P<name>{_NAME_RUN})\s+{_REACTION}(?:{_FINITE}|{_PLURAL_VERB})")
# "die Reederei Nordkap will", "das Bremer Unternehmen Halvoren hat": a descriptor, then the name
_DESCRIBED_SUBJECT = re.compile(
    rf"\b(?:[Dd]er|[Dd]ie|[Dd]as)\s+(?:[\w-]+\s+){{0,5}}?(?=[A-ZÄÖÜ])[\w-]*(?i:{DESCRIPTOR_HEADS})\s+"
    rf"(?P<name>{_NAME_RUN})(?:\s+{_FINITE}|,)",
)
# "des Inkassounternehmens Pfandmeister", "der Fachverlagsgruppe Quandt & Reimers"
_DESCRIBED_GENITIVE = re.compile(
    rf"\b(?:des|der)\s+(?:[a-zäöüß][\w-]*\s+)?(?=[A-ZÄÖÜ])[\w-]*(?i:{DESCRIPTOR_HEADS})\s+(?P<name>{_NAME_RUN})"
)
# "ein Sprecher der Stadtwerke Falkenried", "der Kärntner Wörthsee Versicherung": two or more capitalised words
_GENITIVE_RUN = re.compile(rf"\b(?:des|der)\s+(?P<name>(?:{_NAME_TOKEN})\s+{_NAME_RUN})")
_HEADLINE = re.compile(rf"^(?P<name>{_NAME_RUN})\s*:\s")
_INVERTED = re.compile(
    r"\b(?:will|wollen|soll|sollen|plant|plante|muss|musste|baut|baute|streicht|strich|entlässt|entließ|"
    r"ersetzt|ersetzte|schließt|schloss|reduziert|reduzierte|bestätigt|bestätigte|verkündet|verkündete|"
    r"trennt|trennte|kappt|kappte)\s+(?:sich\s+)?"
    # a subject after the verb goes on as subjects do ("bestätigte Halvoren, weltweit …", "streicht Quentra
    # 300 …"); an object goes on with a preposition or particle ("bestätigte Einschnitte beim Personal")
    rf"(?:(?:der|die|das)\s+(?P<name>{_NAME_RUN})(?!\s+(?:um|ab|aus|an|ein|zurück|fest|vor)\b)|(?P<bare>{_NAME_RUN})"
    r"(?=\s*[,:;]|\s+(?:\d|rund|etwa|knapp|gut|mehr|weitere|weltweit|bis|nun|jetzt|bereits|sich|seine[mnrs]?|"
    r"ihre[mnrs]?|insgesamt|zusätzlich|erneut|offenbar|von|laut|nach\s+eigenen)\b))"
)
_PREPOSITION = re.compile(
    rf"\b(?:[Bb]ei|von|vom|[Bb]eim)\s+(?:(?:dem|der|den)\s+)?(?:[a-zäöü][\w-]*\s+)?"
    rf"(?P<name>{_NAME_RUN})(?=[\s,.:;!?)“”»«\"']|$)"
)
_SUBJECT_ANYWHERE = re.compile(
    rf"(?:^|[,:;]\s+|\b(?:dass|weil|nachdem|als)\s+)(?:(?:der|die|das|Der|Die|Das)\s+)?"
    rf"(?P<name>{_NAME_RUN})\s+(?:[\w.'’-]+\s+){{0,6}}?"
    r"(?:streicht|streichen|abbauen|baut|entlässt|ersetzt|kürzt|streiche|baue)\b"
)


@dataclass(frozen=True)
class JobCut:
    job_cut: bool
    employer: str | None = None
    jobs_affected: int | None = None
    percentage: float | None = None
    ai_cause: bool = False


def shrinking_by(sentence: str) -> int | None:
    """How much a head count shrinks when stated as before/after ("von 2.400 auf 1.750" → 650)."""
    shrink = _FROM_TO.search(sentence)
    if not shrink:
        return None
    before = parse_number(shrink.group("a"), shrink.group("scale_a"))
    after = parse_number(shrink.group("b"), shrink.group("scale_b") or shrink.group("scale_a"))
    return int(round(before - after)) if before > after else None


def jobs_number(sentence: str) -> int | None:
    """Number of jobs stated in a sentence (rules in models/data/LABELING.md).

    A range "zwischen A und B" gives the upper bound, "von A auf B" the difference,
    "210 ihrer 1.100 Stellen" the part, "ein Drittel der 900 Stellen" the share of the
    total, "um 800 reduzieren" the amount.
    """
    share = _SHARE_OF_TOTAL.search(sentence)
    if share:
        total = parse_number(share.group("total"), share.group("scale_total"))
        fraction = (_SHARES[share.group("share").lower()] if share.group("share")
                    else parse_number(share.group("percent")) / 100)
        return int(round(total * fraction))
    reduction = shrinking_by(sentence)
    if reduction and not _PART_OF_TOTAL.search(sentence):
        return reduction
    match = (_BY_AMOUNT_TO.search(sentence) or _FURTHER.search(sentence) or _TOTAL_THEN_PART.search(sentence)
             or _PART_OF_TOTAL.search(sentence)
             or next((m for m in _JOBS_NUMBER.finditer(sentence) if not _is_year(sentence, m)), None)
             or _BY_AMOUNT.search(sentence))
    if not match:
        return None
    if match.re is not _JOBS_NUMBER:
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


def _name(match: re.Match[str]) -> str | None:
    found = match.group("name") or match.groupdict().get("bare")
    return clean_name(found, JOB_TERMS, AI_TERMS) if found else None


@lru_cache(maxsize=4096)  # is_concrete_cut and extract_job_cut both ask it of the same sentence
def employer_of(sentence: str) -> str | None:
    """The employer named as subject ("Helvara baut … ab") or after a preposition ("bei Helvara").

    A headline's second half counts as a sentence start of its own ("Hunderte Stellen weg:
    Versicherer Allsicher setzt auf KI").
    """
    after_colon = _HEADLINE_SPLIT.split(sentence, maxsplit=1)[1:]
    for pattern in (_SUBJECT, _DESCRIBED_SUBJECT, _INVERTED, _SUBJECT_ANYWHERE, _HEADLINE, _PREPOSITION,
                    _DESCRIBED_GENITIVE, _GENITIVE_RUN):
        for text in [sentence, *after_colon]:
            for match in pattern.finditer(text):
                name = _name(match)
                if name:
                    return name
    return None


def subject_employer(sentence: str) -> str | None:
    """The company a sentence is about when it opens with it ("Die Haldenbrück Bank will …").

    Used to carry the employer to later sentences ("Bis 2029 sollen 800 Stellen wegfallen").
    """
    match = _SUBJECT.match(sentence)
    return _name(match) if match else None


def _names_jobs(sentence: str) -> bool:
    """A jobs word other than "ersetzt", which is a cut verb here, not evidence of jobs."""
    return any(not m.group(0).lower().startswith("ersetz") for m in JOB_TERMS.finditer(sentence))


def is_concrete_cut(sentence: str) -> bool:
    """Cut verb + jobs noun, concrete, not a forecast, denial or open question.

    A promise of no *forced* layoffs ("betriebsbedingte Kündigungen schließt sie aus") is
    set aside first: it accompanies cuts by attrition and denies nothing else.
    """
    sentence = _NO_FORCED_LAYOFFS.sub(" ", sentence)
    shrinking = shrinking_by(sentence) is not None  # "von 1.500 auf 1.100 Mitarbeitende"
    if not ((shrinking or CUT_TERMS.search(sentence)) and (_names_jobs(sentence) or _JOBS_NUMBER.search(sentence))):
        return False
    if sentence.rstrip(" “”»«\"'").endswith("?"):
        return False
    if _FORECAST.search(sentence) or _DENIAL.search(sentence):
        return False
    if (_HIRING.search(sentence) or _CRISIS_MEASURE.search(sentence)) and not _STRONG_CUT.search(sentence):
        return False
    return bool(shrinking or _JOBS_NUMBER.search(sentence) or _JOBS_WITHOUT_FIGURE.search(sentence)
                or _BY_AMOUNT.search(sentence) or _REFERENCE.search(sentence) or employer_of(sentence)
                or (_THE_CUT.search(sentence) and not _GENERAL_SCOPE.search(sentence)))


def states_head_count(sentence: str) -> bool:
    """Whether a number of people or jobs is given ("90 Verifikationsingenieure", "dreihundert Stellen")."""
    return bool(_JOBS_NUMBER.search(sentence))


def reports_hiring(sentence: str) -> bool:
    """Whether a sentence also reports hiring ("streicht 120 Stellen und stellt 80 ein")."""
    return bool(_HIRING.search(sentence))


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
