"""Employer names: what counts as one, how to trim it, and when two names are one employer.

One owner for this knowledge: job-cut extraction uses it to turn a capitalised run of words
into a name (or refuse it), and event grouping uses it to decide that "Nordsee Reederei AG"
and "die Reederei Nordsee" are one employer while "Deutsche Bank" and "Deutsche Post" are two.
German capitalises every noun, so a capitalised word at the start of a sentence ("Grund ist
…", "Softwarekonzern") is no evidence of a name; the word lists below say which are not.
"""

from __future__ import annotations

import re
import unicodedata

# "Holding" stays part of a name: a parent ("Veltara Holding") is another employer than its
# subsidiary ("Veltara Logistik"), and the bare name still matches either.
LEGAL_FORM = r"(?:AG|SE|GmbH|KGaA|KG|Group|Inc\.?|Ltd\.?|& Co\.?(?: KG)?|plc|S\.A\.|SA|N\.V\.|e\.V\.|eG)"
_LEGAL_TOKENS = frozenset("ag se gmbh kgaa kg co group inc ltd plc sa nv ev eg".split())

# Words that are capitalised in German but never an employer's name on their own: articles,
# pronouns, sentence adverbs, prepositions, time words, and the nouns news sentences open with.
NOT_NAMES = frozenset(
    """
    Der Die Das Den Dem Des Ein Eine Einer Eines Einem Einen Im In Ins Bei Beim Nach Vor Wie Auch Doch Und Aber Mit Seit
    Bis Für Laut Zum Zur Vom Am An Auf Aus Über Unter Um Durch Gegen Ohne Trotz Während Wegen Neben Zwischen Ab
    Es Er Sie Wir Ich Man Ihr Ihre Sein Seine Unser Unsere Dies Diese Dieser Dieses Jeder Jede Jedes Alle Viele Manche
    Niemand Wer Was Wo Wann Warum Weshalb Hier Dort Da Dann Denn So Nun Jetzt Heute Gestern Morgen Zuvor Danach
    Rund Etwa Knapp Mehr Weitere Weiteren Insgesamt Allein Damit Dabei Daher Deshalb Deswegen Zudem Außerdem Ausserdem
    Demnach Dafür Davon Darunter Dazu Darüber Dagegen Trotzdem Allerdings Jedoch Zuletzt Zunächst Bereits Schon Erst
    Noch Nur Gleichzeitig Parallel Damals Inzwischen Mittlerweile Bislang Bisher Künftig Derzeit Aktuell Konkret
    Offenbar Angeblich Vermutlich Womöglich Möglicherweise Tatsächlich Immerhin Zumindest Besonders Vor Allem
    Betroffen Hinzu Grund Gründe Ziel Ziele Folge Folgen Hintergrund Anlass Ursache Auslöser Fazit Frage Antwort
    Zahl Zahlen Teil Hälfte Drittel Viertel Mehrheit Großteil Rest Schritt Plan Pläne Bericht Berichten Angaben
    Informationen Sprecher Sprecherin Sprechers Vorstand Vorstandschef Vorstandschefin Chef Chefin Chefs Betriebsrat
    Betriebsräte Betriebsratschef Gewerkschaft Gewerkschaften Management Geschäftsführung Geschäftsleitung Leitung
    Mandanten Kunden Kundinnen Patienten Nutzer Verbraucher Bürger Partner Lieferanten Belege Aufträge Anleger
    KI AI Stellen Stelle Jobs Job Arbeitsplätze Arbeitsplatz Mitarbeiter Mitarbeitende Mitarbeitenden Beschäftigte
    Beschäftigten Belegschaft Personal Angestellte Angestellten Konzern Unternehmen Firma Firmen Versicherer Hersteller
    Zulieferer Automatisierung Digitalisierung Jahr Jahren Jahres Ende Anfang Mitte Rahmen Zuge Prozent Millionen
    Milliarden Euro Franken Dollar Stellenabbau Abbau Kahlschlag Layoffs Entlassungen Kündigungen Standort Standorte
    Standorten Zentrale Verwaltung Bereich Bereichen Sachbearbeiter Kundenservice Callcenter Systeme System Chatbots
    Roboter Sprachmodelle Algorithmen Agenten Software Branche Industrie Wirtschaft Markt Märkte Land Länder Bund
    Deutschland Österreich Schweiz Europa Inland Ausland Welt USA Januar Februar März April Mai Juni Juli August
    September Oktober November Dezember Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag Woche Wochen
    Monat Monaten Quartal Quartals Tag Tagen Jüngst Kürzlich Erneut Ebenfalls Letztlich Schließlich Anschließend
    Dennoch Zwar Ferner Überdies Stattdessen Vielmehr Eigentlich Wahrscheinlich Vergangene Vergangenen Kommende
    Kommenden Ebenso Ursprünglich Zusätzlich Insbesondere Vorerst Lediglich Dadurch Hierbei Somit Folglich Gut
    Mehrere Einige Hundert Hunderte Tausend Tausende Dutzende Zahlreiche Wenige Etliche Dortige Gesamte Ganze
    Senat Landesregierung Bundesregierung Regierung Ministerium Stadtrat Gemeinderat Landtag Bundestag Kommission
    """.split()
)
# People by their role, and public bodies that comment on cuts: "Chefredakteur X", "Der Hamburger Senat"
_ROLE = re.compile(
    r"(?:[Cc]hef\w*|\w*[Rr]edakteur\w*|\w*[Ss]precher\w*|\w*[Vv]orsitzend\w*|\w*[Dd]irektor\w*|\w*[Ll]eiter(?:in)?|"
    r"\w*[Pp]räsident\w*|\w*[Mm]inister\w*|\w*[Bb]ürgermeister\w*|Geschäftsführer\w*|Vorstand\w*|Gewerkschafter\w*|"
    r"Ökonom\w*|Experte\w*|Expertin\w*|Analyst\w*|Landrat|Landrätin|Senator\w*|Abgeordnet\w*|Professor\w*|Dr\.?)"
)
# Unions and their umbrella: they speak about cuts, they do not make them.
UNIONS = frozenset("IG Verdi ver.di DGB NGG EVG GEW GdP Unia Syna GPA PRO-GE vida".split())
# Nouns that describe what an employer is and stand before its name ("der Reifenhersteller
# Gummiwerk", "die Nordair-Tochter Skyhop"); alone they are no name ("Softwarekonzern").
_DESCRIPTOR_WORDS = (
    "konzern|unternehmen|hersteller|händler|händlerin|kette|dienstleister|versicherer|zulieferer|anbieter|betreiber|"
    "manufaktur|entwickler|bauer|gesellschaft|veranstalter|firma|verlag|produzent|spezialist|riese|riesen|versender|"
    "institut|sender|klinikum|discounter|logistiker|versorger|ausrüster|tochter|mutter|sparte|airline|plattform|"
    "start-up|startup|dienst|gruppe|holding|mittelständler|reederei|spedition|druckerei|kanzlei|brauerei|molkerei|"
    "gießerei|agentur|studio|magazin|portal|zeitung|fintech|mobilfunker|geldhaus|werft|beratung|direktbank|"
    "privatbank|krankenkasse|versicherung|assekuranz|informatikdienstleisterin|dienstleisterin|betreiberin|biotech|"
    "maschinenbauer|mobilfunkanbieter|pharmakonzern|softwarehaus|verlagshaus|anstalt|fabrik|apotheke|vermietung|makler|designer|träger|"
    "röster|verarbeiter"
)
# the heads, also in the genitive ("des Chemiekonzerns Rheinchemie", "des Versicherers Nordhafen")
DESCRIPTOR_HEADS = rf"(?:{_DESCRIPTOR_WORDS})(?:e?s)?"
_DESCRIPTOR = re.compile(rf"(?:{DESCRIPTOR_HEADS})$", re.IGNORECASE)
# Abstract nouns that do end names of employers ("Ennstaler Versicherung", "Carl-Zeiss-Stiftung")
INSTITUTION_NOUNS = frozenset("Versicherung Versicherungen Stiftung Zeitung Genossenschaft Gesellschaft Verwaltung".split())
# Descriptors that may follow a name and are no part of it ("Alpenbank Gruppe", "Kölner Start-up")
_TRAILING_DESCRIPTOR = re.compile(r"Start-?up|Startup|Konzern|Unternehmen|Gruppe|Firma", re.IGNORECASE)
# Endings of German abstract nouns ("Belegschaftsversammlung", "Digitalisierung", "Gesellschaft").
_COMMON_NOUN_ENDING = re.compile(r"(?:ung|ungen|heit|heiten|keit|keiten|schaft|schaften|tion|tionen|ität|ismus|nisse?|läufen)$")
# Words that belong to many employers' names and are no name on their own.
GENERIC_TOKENS = frozenset(
    """
    deutsche deutscher deutschen bank banken sparkasse volksbank raiffeisenbank stadtwerke werke versicherung
    versicherungen gruppe logistik chemie software energie medien nord sued west ost international europe germany
    deutschland austria schweiz services service systems technologies technik digital reederei konzern klinik kliniken
    verlag handel industrie bau post
    """.split()
)


def is_descriptor(token: str) -> bool:
    """A noun that introduces a name ("Softwarekonzern", "Nordair-Tochter"), or a word that is never one."""
    return bool(_DESCRIPTOR.search(token)) or token in NOT_NAMES


def _not_a_name(token: str, jobs_word: re.Pattern[str], ai_word: re.Pattern[str]) -> bool:
    return token in NOT_NAMES or bool(ai_word.match(token)) or bool(jobs_word.fullmatch(token))


def _strip_compound_tail(token: str, jobs_word: re.Pattern[str]) -> str:
    """"Halvoren-Beschäftigten" → "Halvoren": the name before a hyphenated jobs word or descriptor."""
    head, sep, tail = token.rpartition("-")
    if sep and head[:1].isupper() and (jobs_word.fullmatch(tail) or tail in NOT_NAMES or _DESCRIPTOR.search(tail)):
        return head
    return token


def clean_name(name: str, jobs_word: re.Pattern[str], ai_word: re.Pattern[str]) -> str | None:
    """Trim a capitalised run of words to the employer's own name, or None when it is none.

    Leading descriptors ("Der Softwarekonzern Steinbruck", "Die Nordair-Tochter Skyhop")
    and trailing nouns or legal forms are removed; a run that is only a descriptor, an
    abstract noun, a jobs word or a sentence adverb ("Grund", "Bereits", "Büroangestellten")
    is no name. ``jobs_word`` and ``ai_word`` are the lexicon's patterns (passed in, so this
    module needs no lexicon).
    """
    tokens = name.split()
    if tokens and _ROLE.fullmatch(tokens[0]):  # "Chefredakteur Gregor Ellwanger" is a person
        return None
    described = False  # "Das Herforder Unternehmen", "Der Hamburger Senat": an adjective and a noun, no name
    while tokens and (tokens[-1] in NOT_NAMES or re.fullmatch(LEGAL_FORM, tokens[-1])
                      or (len(tokens) > 1 and _TRAILING_DESCRIPTOR.fullmatch(tokens[-1]))):
        described = described or not re.fullmatch(LEGAL_FORM, tokens[-1])
        tokens.pop()
    if described and len(tokens) == 1 and tokens[0].endswith("er") and not _looks_like_brand(tokens[0]):
        return None
    while tokens and tokens[0] in NOT_NAMES:
        tokens.pop(0)
    # a place adjective before a name of two words or more: "Die Düsseldorfer Haldenbrück Bank",
    # "Der Hamburger Versicherer X" (but "Münchener Rück" is a name of its own)
    if (len(tokens) > 2 and tokens[0].endswith("er") and "&" not in tokens
            and any(is_descriptor(t) or fold(t) in GENERIC_TOKENS for t in tokens[1:])):
        tokens.pop(0)
    while len(tokens) > 1 and is_descriptor(tokens[0]):  # NOT_NAMES included; a lone one is refused below
        tokens.pop(0)
    # "der Herforder Fertigung": a place adjective and an abstract noun describe a part of a firm
    if (len(tokens) > 1 and tokens[0].endswith("er") and _COMMON_NOUN_ENDING.search(tokens[-1])
            and tokens[-1] not in INSTITUTION_NOUNS):
        return None
    if len(tokens) == 1 and not ai_word.match(tokens[0]):
        tokens = [_strip_compound_tail(tokens[0], jobs_word)]
        if _DESCRIPTOR.search(tokens[0]) and not _looks_like_brand(tokens[0]):
            return None
    if (not tokens or any(_not_a_name(t, jobs_word, ai_word) for t in tokens) or tokens[0] in UNIONS
            or ai_word.search(" ".join(tokens))):
        return None
    if len(tokens) == 1 and _COMMON_NOUN_ENDING.search(tokens[0]):
        return None
    if all(fold(t) in GENERIC_TOKENS for t in tokens):
        return None
    cleaned = " ".join(tokens).strip(".,:;")
    return cleaned if len(cleaned) > 1 else None


def _looks_like_brand(token: str) -> bool:
    """"SAP" or "McKinsey": all caps or an inner capital is a brand, not "Softwarekonzern"."""
    return token.isupper() or any(ch.isupper() for ch in token[1:] if ch != "-")


def fold(text: str) -> str:
    """Lower case, umlauts spelled out, accents dropped: the form names are compared in."""
    folded = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    return unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()


def employer_tokens(name: str) -> frozenset[str]:
    """Comparable tokens of a name: "Nordlicht Versicherung AG" → {"nordlicht", "versicherung"}."""
    return frozenset(t for t in re.split(r"[^a-z0-9]+", fold(name)) if t and t not in _LEGAL_TOKENS)


def _same_token(a: str, b: str) -> bool:
    """Equal, one the other's genitive ("Halvorens" / "Halvoren"), or the head of its compound
    ("Papier" / "Papierfabrik": a word of five letters or more, extended by four or more)."""
    short, long = sorted((a, b), key=len)
    return short == long or long == short + "s" or (len(short) >= 5 and len(long) >= len(short) + 4
                                                    and long.startswith(short))


def _covered(small: frozenset[str], large: frozenset[str]) -> bool:
    return all(any(_same_token(s, t) for t in large) for s in small)


def _abbreviates(short: str, name: str) -> bool:
    """"BWG" for "Bergische Wasserwerke Gruppe": an all-capitals word made of the other's initials."""
    words = [w for w in re.split(r"[^\wÄÖÜäöüß]+", name) if w and w not in ("&", "und")]
    return short.isupper() and 2 <= len(short) == len(words) and short == "".join(w[0].upper() for w in words)


def same_employer(a: str, b: str) -> bool:
    """Whether two names denote one employer.

    Equal token sets match ("Reederei Nordsee" / "Nordsee Reederei AG"); a shorter name
    matches a longer one that contains it only when it carries a distinctive word of its own
    ("Brixmoor" / "Brixmoor Versicherung"), never through shared generic words alone, so
    "Deutsche Bank", "Deutsche Post" and "Deutsche Telekom" stay three employers.
    """
    ta, tb = employer_tokens(a), employer_tokens(b)
    if not ta or not tb:
        return False
    if _abbreviates(a.strip(), b) or _abbreviates(b.strip(), a):
        return True
    small, large = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if not _covered(small, large):
        return False
    return len(small) == len(large) or any(t not in GENERIC_TOKENS for t in small)


def fuller_name(a: str, b: str) -> str:
    """The more complete of two names of one employer: more words, then more letters."""
    return max((a, b), key=lambda n: (len(employer_tokens(n)), len(n)))
