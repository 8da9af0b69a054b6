"""Word lists shared by the rule-based parts: what names AI, what names work and jobs.

Kept in one place so relevance, job-cut extraction and the lexicon baseline agree on what
counts as an AI term. Patterns match German inflection and compounds ("KI-Agenten",
"Stellenabbau", "Mitarbeiter:innen") rather than exact words.
"""

from __future__ import annotations

import re

AI_TERMS = re.compile(
    r"\bKI\b|\bKI-|-KI\b|\bA\.?I\.?\b|[Kk]ünstlich\w*\s+Intelligenz|"
    r"ChatGPT|GPT-?\d|\bLLMs?\b|Sprachmodell\w*|Chatbot\w*|Copilot|\bGemini\b|\bClaude\b|"
    r"[Gg]enerativ\w*\s+(?:KI|AI|Modell\w*)|[Mm]aschinell\w*\s+Lern\w*|Machine[- ]Learning|Deep[- ]Learning|"
    r"[Nn]euronal\w*\s+Netz\w*|Algorithm\w*|Automatisier\w*|automatisier\w*|Roboter\w*|Robotik|"
    r"KI-\w+|\w+-KI\b|Agentic|KI-Agent\w*|"
    # machines that do the work: "vollautomatisch", "Pflegeroboter", "maschinelle Übersetzung", "Voicebot"
    r"\w*automatisch\w*|\w+roboter\w*|[Mm]aschinell\w*|\w*[Bb]ildgenerator\w*|\w*[Bb]ilderkennung\w*|"
    r"\w*[Ss]pracherkennung\w*|Sprachassistent\w*|Voicebot\w*|Sprachbot\w*|fahrerlos\w*|autonome[nrs]?\s+(?:Fahr|Lkw|Bus|Taxi|System)\w*|"
    r"Trainingsdaten|[Ss]ynthetisch\w*\s+(?:Stimme|Bild|Text|Video)\w*|Deepfake\w*",
)
JOB_TERMS = re.compile(
    r"Stellen\w*|\bStelle\b|[Aa]rbeitspl[aä]tz\w*|[Jj]obs?\b|Job\w+|"
    r"[Mm]itarbeit\w*|[Bb]eschäftigt\w*|[Bb]elegschaft\w*|Personal\w*|[Aa]ngestellt\w*|Arbeitnehmer\w*|"
    r"Arbeitskr[aä]ft\w*|Fachkr[aä]ft\w*|Arbeitsmarkt\w*|Arbeitslos\w*|Erwerbs\w*|Entlass\w*|Kündigung\w*|"
    r"Gewerkschaft\w*|Betriebsr[aä]t\w*|\bVerdi\b|\bIG Metall\b|Tarif\w*|Löhn\w*|\bLohn\w*|Gehält\w*|Gehalt\w*|"
    r"Kurzarbeit\w*|Weiterbildung\w*|Umschulung\w*|Qualifizierung\w*|Reskilling|Upskilling|Layoffs?|"
    r"Hiring|Workforce|Sachbearbeiter\w*|Beruf\w*|\bArbeit\b|Arbeitswelt|Arbeitsalltag|Neueinstellung\w*|"
    r"einstell\w*|Einstellungs\w*|Azubis?|Ausbildungs\w*|Vollzeit\w*|Teilzeit\w*|Kolleg\w*|Beschäftigung\w*|"
    r"(?:Fahrer|Redaktions|Verwaltungs|Plan|Lehr)stellen|\w+(?:er|en)stellen\b|[Aa]rbeitern\b|kr[aä]ften\b|Posten\b|Redakt(?:eur|ion)\w*|Disponent\w*|"
    r"[Aa]rbeiter(?:innen)?\b|Administrator\w*|Sachbearbeitung|Team\b|Abteilung\w*|"
    r"Tätigkeit\w*|Aufträge|Spezialist\w*|Entwickler\w*|Programmierer\w*|kr[aä]fte\b|Lehrling\w*|"
    r"Bedienstete\w*|Arbeitsuchend\w*|Arbeitsabl[aä]uf\w*|Betriebsvereinbarung\w*|Teams\b|Schicht\w*|"
    r"Callcenter\w*|Agents\b|\bersetz(?:t|en|bar)\b|"
    # work itself and the people doing it, also inside compounds ("Gesamtbetriebsrat", "Mindestlohn")
    r"\b(?:arbeite[nt]?|arbeitete\w*|gearbeitet)\b|Arbeitgeber\w*|\w*betriebsr[aä]t\w*|\w+lohn\b|\w+löhne\w*|"
    r"\bentlass\w*|\bentließ\w*|\bgekündigt\b|Bewerbung\w*|Bewerber\w*|Vier-Tage-Woche|Überstunden|"
    r"Arbeits(?:beding|zeit|kampf|recht|agentur|verh[aä]ltnis|vertr[aä]g|nachfrage|stunden|kr[aä]ft|los)\w*|"
    r"\w*[Ss]treik\w*|Fahrer(?:innen)?\b|\w*[Kk]urier(?:e|en|innen)?\b|Zusteller\w*|Techniker\w*|Elektroniker\w*|"
    r"\w*[Üü]bersetzer\w*|Illustrator\w*|Kreativschaffend\w*|Scheinselbstst[aä]ndig\w*|Festanstellung\w*|"
    r"Plattformarbeit\w*|personell\w*|Fluktuation|nachzubesetz\w*|nachbesetz\w*|Absolvent\w*|Fachkräftemangel|"
    r"\bAbbau\b(?!\s+von\s+(?:Lithium|Kohle|Braunkohle|Erz\w*|Kupfer|Rohstoff\w*|Bürokratie|Schulden))|\bLeute\b|Auszubildend\w*|\bAusbildung\w*|Sozialplan\w*|Transfergesellschaft\w*|Arbeitsstiftung\w*|"
    r"Frühpensionierung\w*|Betriebsversammlung\w*|Einstiegs(?:stellen|gehälter|gehalt|jobs|positionen)|Handwerk\w*|"
    r"\w+entwickler(?:innen|n)?\b|Ingenieur\w*|\w*arbeitslos\w*|[Bb]eschäftig\w*|"
    # people named by their (gendered) role, not customers, patients or readers
    r"\b(?!Kund|Patient|Nutzer|Verbraucher|Bürger|Leser|Zuschauer|Spieler|Anleger|Wähler|Schüler|Student|Einwohner)"
    r"[A-ZÄÖÜ]\w+(?:innen|:innen|\*innen)\b",
)
CUT_TERMS = re.compile(
    # every alternative starts at a word start (a tenth of the positions to try), so heads that
    # end compounds ("Massenentlassungen", "Vollzeitstellen einsparen") carry their own \w*
    r"\b(?:streich\w*|gestrichen|\babbau\w*|\babzubauen\b|\w*abbau\w*|baut\w*\s+(?!(?:Schulden|Bürokratie|Überstunden|Hürden|Barrieren|Vorurteile|Lagerbestände)\b)(?:[\w.,'’:-]+\s+){0,10}?ab\b|bauen\s+(?:[\w.,'’:-]+\s+){0,10}?ab\b|"
    r"abgebaut|\w*entl[aä]ss\w*|\w*?(?<![Aa]n)kündigung\w*|\bgekündigt|"
    r"kündigt\w*\s+(?:[\w.,'’:-]+\s+){0,3}?(?:Mitarbeit|Beschäftigt|Angestellt|Arbeitnehm)\w*|\w*wegfall\w*|weggefallen|"
    r"\w*(?:Stellen?|Jobs|Arbeitsplätze|Mitarbeit\w*|Beschäftigt\w*|Personal\w*)[,;:]?\s+(?:[\w.,&–-]+\s+){0,16}?(?:einspar\w*|eingespart)|"
    r"(?:einspar\w*|eingespart)\s+(?:[\w-]+\s+){0,3}?(?:Stellen|Jobs|Arbeitsplätze)|entfall\w*|entfällt|entfiel\w*|verschwinde\w*|vor dem Aus|überflüssig|zum Opfer|aufgelöst|"
    r"mach\w*\s+(?:[\w-]+\s+){0,3}?dicht\b|\w*(?:Stellen|Jobs|Arbeitsplätze)\s+weg\b|verzicht\w*\s+(?:[\w.,'’:-]+\s+){0,4}?auf|"
    r"(?:sollen|sollten|müssen|muss|soll|sollte)\s+(?:[\w.,'’:-]+\s+){0,12}?gehen\b|(?:sind|seien)\s+betroffen|betroffen\s+(?:sind|seien)|"
    r"\d[\d.']*\s+(?:[\w-]+\s+){0,2}?(?:Jobs|Stellen|Arbeitsplätze|Beschäftigte|Mitarbeit\w*|Angestellte)\s+"
    r"(?:[\w-]+\s+){0,3}?betroffen\b|"
    r"verlier\w*\s+(?:[\w.,'’:-]+\s+){0,8}?(?:Arbeit|Job|Stelle|Arbeitsplatz)\w*|verloren|"
    r"(?:fall\w*|fiel\w*|fällt)\s+(?:[\w.,'’:-]+\s+){0,12}?weg\b|"
    r"\w*kahlschlag|Layoffs?|\w*streichung\w*|(?:stellen|job|personal)kürzung\w*|Rotstift|"
    # "kürzt 45 Stellen", not "kürzt das Weihnachtsgeld"
    r"\bkürz\w*\s+(?:[\w.,'’-]+\s+){0,4}?(?:Stellen|Jobs|Arbeitsplätze|Personal|Belegschaft)|"
    r"\w*(?:Stellen|Jobs|Arbeitsplätze|Personal)\s+(?:[\w-]+\s+){0,8}?(?:gekürzt|kürzen|kürzt)|\bkapp(?:t|en)\b|ausgedünnt|ausdünn\w*|freigestellt|freizustellen|"
    r"stell(?:t|en)\s+(?:[\w.,'’-]+\s+){0,6}?frei\b|Verträge\s+(?:[\w-]+\s+){0,4}?auslaufen|"
    r"ersetz\w*|\w*reduzier\w*|\w*verringer\w*|\w*verkleiner\w*|\w*schrumpf\w*|trenn(?:t|en|te|ten)\s+sich|(?:sich|uns)\s+(?:[\w.,'’-]+\s+){0,10}?(?:zu\s+)?(?:trennen|getrennt)\b|vor die Tür|Aus für|"
    r"nicht\s+verlängert|auf der Kippe|verlieren\s+(?:[\w.,'’:-]+\s+){0,4}?(?:Job|Stelle|Arbeitsplatz)\w*|"
    r"\w*(?:Job|Arbeit|Stelle|Arbeitsplatz)\w*\s+verlier\w*|kostet\w*\s+(?:[\w.,'’:-]+\s+){0,10}?(?:Stellen|Jobs|Arbeitsplätze)|"
    r"(?:Stellen|Belegschaft|Personal|Mitarbeit\w*|Team\w*|Abteilung)\s+(?:[\w-]+\s+){0,6}?(?:zu\s+)?halbier\w*|"
    # "plant, 600 Stellen einzusparen", "ein Fünftel des Personals weggespart", "eine Reduktion der Belegschaft"
    r"einzuspar\w*|weggespart|wegzusparen|\bReduktion\b|"
    r"halbier\w*\s+(?:[\w-]+\s+){0,3}?(?:Stellen|Belegschaft|Personal|Mitarbeit\w*|Team\w*)|"
    r"Zahl\s+der\s+(?:Beschäftigt\w*|Stellen|Mitarbeit\w*|Arbeitsplätze|Angestellt\w*)\s+(?:[\w-]+\s+){0,10}?halbier\w*|weniger\s+(?:brauchen|benötigen)|(?:Stellen|Jobs|Rollen|Leute|Beschäftigte|Mitarbeitende|Mitarbeiter)\s+weniger|\bsinken\b|\bsenken\b|"
    r"(?-i:spar(?:t|en|te|ten))\s+(?:[\w.,'’:-]+\s+){0,12}?ein\b|getrennt|gehen\s+müssen|"
    r"schlie(?:ß|ss)\w*\s+(?:[\w.,'’:-]+\s+){0,8}?mit\s+(?:rund\s+|etwa\s+|knapp\s+)?\d|"
    # "sein Werk mit 330 Beschäftigten schließen", "kündigt 230 Lagerarbeitern", "Transfergesellschaft"
    r"[Mm]it\s+(?:(?:seinen|ihren|den|rund|etwa|knapp|gut)\s+)*\d[\d.']*\s+\w+\s+(?:[\w-]+\s+){0,12}?(?:zu\s+)?"
    r"(?:schließen|schließt|geschlossen|dichtmachen|zusperren)\b|"
    # posts left empty, people no longer needed, "auf der Straße", "nur noch 540 Menschen"
    r"nicht\s+(?:mehr\s+)?(?:nach|wieder)(?:zu)?besetz\w*|nicht\s+mehr\s+(?:gebraucht|benötigt)|auf\s+der\s+Stra(?:ß|ss)e|"
    r"nur\s+noch\s+(?:rund\s+|etwa\s+)?\d[\d.']*\s+(?:[\w-]+\s+){0,2}?(?:Stellen|Menschen|Beschäftigt\w*|Mitarbeit\w*|Jobs)|"
    r"loswerden|loszuwerden|auslaufen\s+(?:[\w-]+\s+){0,8}?Verträge|auf\s+\d[\d.']*\s+(?:[\w-]+\s+){0,3}?verzichten|"
    r"\d[\d.']*\s+(?:[\w-]+\s+){0,6}?(?:zu\s+)?kündigen\b|"
    r"(?<![Aa]n)kündig(?:t|en|te|ten)\s+(?:[\w.,'’-]+\s+){0,6}?\d[\d.']*\s+[A-ZÄÖÜ]\w*n\b|"
    r"in\s+eine\s+Transfergesellschaft|abfind(?:en|et)\b|\w*einschnitt\w*|ohne\s+(?:Job|Arbeit|Stelle)\b)",
    re.IGNORECASE,
)


def mentions_ai(text: str) -> bool:
    """Whether a sentence names AI or automation in any of its usual German forms."""
    return bool(AI_TERMS.search(text))


def mentions_jobs(text: str) -> bool:
    """Whether a sentence is about work, jobs, staff or the labour market."""
    return bool(JOB_TERMS.search(text))
