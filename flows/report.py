"""The trend report: one self-contained HTML file people open from disk, offline, on a laptop or a phone.

Charts are Vega-Lite specifications (built with Altair) rendered to SVG in Python by
vl-convert and written inline: the file needs no JavaScript, no CDN and no network, draws
the same in every browser, and stays small (tens of kB). Everything that comes from the
news (titles, sentences, employer names, URLs) is escaped before it reaches the page.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert

from flows.alerts import format_jobs
from warehouse.query import run_query

STANCE_COLOURS = {"negativ": "#c0392b", "neutral": "#7f8c8d", "positiv": "#27ae60"}
LATEST_EVENTS = 12
TOP_EMPLOYERS = 15
CHART_WIDTH = 640  # px; the page scales SVGs down to a phone's width


@dataclass(frozen=True)
class ReportData:
    """What the report shows, read from the published snapshot."""

    weekly: list[dict[str, Any]]  # trend_weekly, every source and (all)
    events: list[dict[str, Any]]  # event_timeline rows with the articles of each event
    employers: list[dict[str, Any]]  # employer_mentions, most named first
    basis: dict[str, Any]  # articles, sources, first/last day, models


def read_report_data(warehouse: Path, since: date | None = None) -> ReportData:
    """Every figure of the report, from the snapshot (read-only), from ``since`` on."""
    start = since or date.min
    weekly = run_query(warehouse, "FROM trend_weekly WHERE period >= ? ORDER BY period, source", [start]).as_dicts()
    events = run_query(
        warehouse,
        "SELECT t.event_key, t.employer, t.jobs_affected, t.ai_cause, t.day, t.statement, t.headline, t.outlets, "
        "(SELECT list({'source': ea.source, 'url': a.canonical_url, 'title': a.title} ORDER BY a.published) "
        " FROM event_articles ea JOIN articles a USING (article_id) WHERE ea.event_key = t.event_key) AS articles "
        "FROM event_timeline t WHERE t.day >= ? ORDER BY t.day DESC, t.employer", [start]).as_dicts()
    employers = run_query(
        warehouse,
        "SELECT employer, count(*) AS statements, count(DISTINCT article_id) AS articles "
        "FROM statement_details WHERE employer IS NOT NULL AND day >= ? GROUP BY employer "
        "ORDER BY statements DESC, employer LIMIT ?", [start, TOP_EMPLOYERS]).as_dicts()
    [basis] = run_query(
        warehouse,
        "SELECT count(*) AS articles, count(DISTINCT source) AS sources, min(day) AS first_day, max(day) AS last_day, "
        "(SELECT list(DISTINCT model ORDER BY model) FROM statements) AS models "
        "FROM article_days WHERE day >= ?", [start]).as_dicts()
    return ReportData(weekly, events, employers, basis)


# ---- charts: Vega-Lite specs (pure), then SVG -------------------------------------------

def _week(period: date) -> str:
    return period.strftime("%d.%m.%y")


def _weeks(weekly: list[dict[str, Any]]) -> alt.X:
    """The week axis: one labelled band per ISO week (its Monday), in time order."""
    order = sorted({r["period"] for r in weekly})
    return alt.X("Woche:O", title="Woche (ab Montag)", sort=[_week(p) for p in order], axis=alt.Axis(labelAngle=0))


def stance_chart(weekly: list[dict[str, Any]]) -> alt.TopLevelMixin:
    """Shares of negative / neutral / positive statements per week over all sources, and below
    them the number of statements each week's shares rest on."""
    overall = [r for r in weekly if r["source"] == "(all)"]
    shares = [
        {"Woche": _week(r["period"]), "Haltung": label, "Anteil": r[f"{key}_share"] or 0, "Aussagen": r["stance_statements"]}
        for r in overall for key, label in (("negative", "negativ"), ("neutral", "neutral"), ("positive", "positiv"))
    ]
    colour = alt.Color("Haltung:N", scale=alt.Scale(domain=list(STANCE_COLOURS), range=list(STANCE_COLOURS.values())))
    lines = alt.Chart(alt.Data(values=shares)).mark_line(point=True).encode(
        x=_weeks(weekly).title(None),
        y=alt.Y("Anteil:Q", title="Anteil der Aussagen", axis=alt.Axis(format="%")),
        color=colour,
    ).properties(width=CHART_WIDTH, height=220)
    counts = alt.Chart(alt.Data(values=[{"Woche": _week(r["period"]), "Aussagen": r["stance_statements"]}
                                        for r in overall])).mark_bar(color="#34495e").encode(
        x=_weeks(weekly),
        y=alt.Y("Aussagen:Q", title="Aussagen"),
    ).properties(width=CHART_WIDTH, height=70)
    return alt.vconcat(lines, counts)


def source_chart(weekly: list[dict[str, Any]]) -> alt.TopLevelMixin:
    """Negative share per week, one small chart per source."""
    rows = [{"Woche": _week(r["period"]), "Quelle": r["source"], "negativ": r["negative_share"] or 0,
             "Aussagen": r["stance_statements"]} for r in weekly if r["source"] != "(all)"]
    return alt.Chart(alt.Data(values=rows)).mark_line(point=True, color=STANCE_COLOURS["negativ"]).encode(
        x=_weeks(weekly).title(None),
        y=alt.Y("negativ:Q", title="Anteil negativ", axis=alt.Axis(format="%")),
    ).properties(width=180, height=110).facet(facet=alt.Facet("Quelle:N", title=None), columns=3)


def volume_chart(weekly: list[dict[str, Any]]) -> alt.TopLevelMixin:
    """Articles per week and how many of them speak about AI and work."""
    rows = [{"Woche": _week(r["period"]), "Artikel": n, "Art": kind}
            for r in weekly if r["source"] == "(all)"
            for kind, n in (("über KI und Arbeit", r["ai_jobs_articles"]), ("andere", r["articles"] - r["ai_jobs_articles"]))]
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=_weeks(weekly),
        y=alt.Y("Artikel:Q", title="Artikel", stack="zero"),
        color=alt.Color("Art:N", scale=alt.Scale(domain=["über KI und Arbeit", "andere"], range=["#2c7fb8", "#c7d4e0"])),
    ).properties(width=CHART_WIDTH, height=180)


def events_chart(events: list[dict[str, Any]]) -> alt.TopLevelMixin:
    """Job cuts on a time line, sized by the jobs named, coloured by whether AI is the cause."""
    rows = [{"Tag": str(e["day"]), "Arbeitgeber": e["employer"], "Stellen": e["jobs_affected"] or 0,
             "Grund": "KI genannt" if e["ai_cause"] else "anderer Grund"} for e in events]
    points = alt.Chart(alt.Data(values=rows)).mark_circle(opacity=0.75).encode(
        x=alt.X("Tag:T", title=None, axis=alt.Axis(format="%d.%m.%y")),
        y=alt.Y("Arbeitgeber:N", title=None, sort=alt.EncodingSortField("Tag", order="descending")),
        size=alt.Size("Stellen:Q", title="Stellen", scale=alt.Scale(range=[40, 900])),
        color=alt.Color("Grund:N", scale=alt.Scale(domain=["KI genannt", "anderer Grund"], range=["#c0392b", "#7f8c8d"])),
    )
    labels = points.mark_text(align="left", dx=14, fontSize=10).encode(
        text=alt.Text("Stellen:Q", format=",d"), size=alt.value(10), color=alt.value("#333"))
    return (points + labels).properties(width=CHART_WIDTH - 180, height=max(120, 22 * len(rows)))


def employers_chart(employers: list[dict[str, Any]]) -> alt.TopLevelMixin:
    """The employers named most often."""
    rows = [{"Arbeitgeber": e["employer"], "Aussagen": e["statements"]} for e in employers]
    return alt.Chart(alt.Data(values=rows)).mark_bar(color="#34495e").encode(
        x=alt.X("Aussagen:Q", title="Aussagen, die ihn nennen"),
        y=alt.Y("Arbeitgeber:N", title=None, sort="-x"),
    ).properties(width=CHART_WIDTH - 200, height=max(80, 20 * len(rows)))


CHART_FONT = "DejaVu Sans"  # measured by vl-convert and drawn by the browser alike, so labels fit


def svg(chart: alt.TopLevelMixin) -> str:
    """The chart drawn as SVG, German number and date formats, room around it for long labels."""
    spec = chart.configure(font=CHART_FONT).configure_axis(labelLimit=170).properties(
        padding={"left": 12, "right": 24, "top": 8, "bottom": 8}).to_dict()
    return vl_convert.vegalite_to_svg(spec, format_locale="de-DE", time_format_locale="de-DE")


# ---- page -----------------------------------------------------------------------------

def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _day(value: Any) -> str:
    return value.strftime("%d.%m.%Y") if isinstance(value, (date, datetime)) else "–"


def _link(url: str | None, text: str) -> str:
    """A link only for http(s) URLs: a page could name a javascript: or data: URL as canonical."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return _e(text)
    return f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(text)}</a>'


def _event_rows(events: list[dict[str, Any]]) -> str:
    rows = []
    for e in events[:LATEST_EVENTS]:
        links = " · ".join(_link(a["url"], a["source"]) for a in e["articles"] or [])
        rows.append(
            f"<tr><td>{_day(e['day'])}</td><td><strong>{_e(e['employer'])}</strong></td>"
            f"<td class=num>{_e(format_jobs(e['jobs_affected']))}</td><td>{'ja' if e['ai_cause'] else 'nein'}</td>"
            f"<td>{_e(e['statement'])}<div class=links>{links}</div></td></tr>"
        )
    return "\n".join(rows)


PAGE_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1000px;
padding:1rem;color:#222;line-height:1.45}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
.chart svg{max-width:100%;height:auto}.basis{color:#555;font-size:.9rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border-bottom:1px solid #eee;padding:.35rem;
vertical-align:top;text-align:left}.num{text-align:right;white-space:nowrap}.links{font-size:.8rem;margin-top:.2rem}
.table{overflow-x:auto}
"""


def render_html(data: ReportData, charts: dict[str, str], generated: datetime) -> str:
    """The page around the charts; every value from the warehouse is escaped."""
    basis = data.basis
    models = ", ".join(basis["models"] or []) or "–"
    sections = [
        ("Haltung zu Arbeit und Jobs, Woche für Woche", "stance",
         "Anteile negativer, neutraler und positiver Aussagen über Arbeit (mit und ohne KI) in allen Quellen; "
         "darunter die Zahl der Aussagen, auf der jeder Punkt beruht."),
        ("Negative Aussagen je Quelle", "sources", "Anteil negativer Aussagen je Woche, je Quelle."),
        ("Wie viel über KI und Arbeit geschrieben wird", "volume", "Artikel je Woche, davon über KI und Arbeit."),
        ("Stellenabbau-Meldungen", "events",
         "Jede Meldung einmal, wie viele Medien auch berichten; Kreisgröße: genannte Stellen."),
        ("Meistgenannte Arbeitgeber", "employers", "Aussagen, die den Arbeitgeber nennen."),
    ]
    figures = "\n".join(
        f'<section><h2>{_e(title)}</h2><p class=basis>{_e(note)}</p><div class=chart id="chart-{key}">{charts[key]}</div></section>'
        for title, key, note in sections
    )
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>weckruf – KI und Arbeit in den Tech-Nachrichten</title>
<style>{PAGE_STYLE}</style></head>
<body>
<h1>KI und Arbeit in den deutschen Tech-Nachrichten</h1>
<p class=basis>Grundlage: {basis['articles']} Artikel aus {basis['sources']} Quellen, {_day(basis['first_day'])} bis
{_day(basis['last_day'])}. Modell: {_e(models)}. Erstellt {_e(generated.strftime('%d.%m.%Y %H:%M'))} UTC von weckruf.</p>
{figures}
<section><h2>Neueste Stellenabbau-Meldungen</h2>
<div class=table><table><thead><tr><th>Tag</th><th>Arbeitgeber</th><th class=num>Stellen</th><th>KI als Grund</th>
<th>Kernaussage und Quellen</th></tr></thead>
<tbody>
{_event_rows(data.events)}
</tbody></table></div></section>
</body></html>
"""


def build_report(warehouse: Path, since: date | None = None, now: datetime | None = None) -> str:
    """The whole report as one HTML string."""
    data = read_report_data(warehouse, since)
    charts = {
        "stance": svg(stance_chart(data.weekly)),
        "sources": svg(source_chart(data.weekly)),
        "volume": svg(volume_chart(data.weekly)),
        "events": svg(events_chart(data.events)),
        "employers": svg(employers_chart(data.employers)),
    }
    return render_html(data, charts, now or datetime.now(timezone.utc))


def write_report(warehouse: Path, out: Path, since: date | None = None) -> Path:
    """Write the report via a temp file and a rename, so an open browser never reads half of it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(build_report(warehouse, since), encoding="utf-8")
    tmp.replace(out)
    return out
