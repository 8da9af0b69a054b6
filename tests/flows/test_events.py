import os
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flows.events import announces_further_round, group_job_cuts

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)


def cut(article: str, source: str, employer: str, jobs: int | None, ai: bool, at: datetime = T0,
        text: str | None = None) -> dict:
    return {"article_id": article, "sentence_no": 1, "text": text or f"{employer} streicht {jobs} Stellen.",
            "employer": employer, "jobs_affected": jobs, "ai_cause": ai, "source": source,
            "title": f"{employer}: Stellenabbau", "canonical_url": f"http://{source}.example/{article}",
            "seen_at": at, "article_ai": ai}


def test_same_cut_from_two_outlets_is_one_event() -> None:
    events, links = group_job_cuts(
        [cut("a1", "kinetz", "Nordlicht Versicherung", 1200, True),
         cut("a2", "bytebote", "Nordlicht", 1200, False, T0 + timedelta(hours=5))],
        [],
    )
    assert len(events) == 1 and events[0].ai_cause and events[0].sources == {"bytebote", "kinetz"}
    assert sorted((source, jobs) for _, _, source, jobs in links) == [("bytebote", 1200), ("kinetz", 1200)]


def test_a_changed_number_is_the_same_cut_but_far_apart_is_a_new_one() -> None:
    events, _ = group_job_cuts(
        [cut("a1", "x", "Helvara", 1200, False), cut("a2", "y", "Helvara Logistik", 1500, False, T0 + timedelta(days=3)),
         cut("a3", "x", "Helvara", 300, False, T0 + timedelta(days=90))],
        [],
    )
    assert len(events) == 2 and not any(e.ai_cause for e in events)
    assert events[0].employer == "Helvara Logistik"  # the most complete name of the employer


def test_a_report_joins_an_event_under_any_name_it_was_reported_by() -> None:
    events, _ = group_job_cuts(
        [cut("a1", "x", "Moorkamp", 600, False), cut("a1", "x", "Fleischverarbeiter Moorkamp", 600, False),
         cut("a2", "y", "Moorkamp Fleischwaren", None, False, T0 + timedelta(days=1))],
        [],
    )
    assert len(events) == 1


def test_a_further_round_of_cuts_is_a_new_event() -> None:
    assert announces_further_round("Halvoren streicht weitere 500 Stellen.")
    assert announces_further_round("Die zweite Abbauwelle trifft die Verwaltung.")
    assert not announces_further_round("Halvoren streicht 500 Stellen, weitere Details folgen.")
    events, _ = group_job_cuts(
        [cut("a1", "x", "Halvoren", 1200, False),
         cut("a2", "y", "Halvoren", 500, False, T0 + timedelta(days=14), "Halvoren streicht weitere 500 Stellen."),
         cut("a3", "z", "Halvoren", 500, False, T0 + timedelta(days=15), "Bei Halvoren fallen weitere 500 Jobs weg.")],
        [],
    )
    assert sorted(e.jobs_affected for e in events) == [500, 1200]


def test_employers_sharing_a_generic_word_are_never_one_event() -> None:
    events, _ = group_job_cuts(
        [cut("a1", "x", "Deutsche Bank", 3500, False), cut("a2", "y", "Deutsche Telekom", None, False, T0 + timedelta(days=9)),
         cut("a3", "z", "Deutsche Post", 3400, False, T0 + timedelta(days=18)),
         cut("a4", "x", "Stadtwerke Ahrenfeld", 80, False), cut("a5", "y", "Stadtwerke Bergheim", 80, False)],
        [],
    )
    assert sorted(e.employer for e in events) == [
        "Deutsche Bank", "Deutsche Post", "Deutsche Telekom", "Stadtwerke Ahrenfeld", "Stadtwerke Bergheim"]


def test_statement_joins_an_existing_event_with_the_same_key() -> None:
    existing = [{"event_key": "nordlicht:2026-11-20:1200", "employer": "Nordlicht", "jobs_affected": 1200,
                 "ai_cause": True, "first_seen": T0, "last_seen": T0, "sources": ["x"]}]
    events, links = group_job_cuts([cut("a9", "y", "Nordlicht AG", None, False, T0 + timedelta(days=2))],
                                   existing)
    assert [(e.event_key, e.sources) for e in events] == [("nordlicht:2026-11-20:1200", {"x", "y"})]
    assert links == [("nordlicht:2026-11-20:1200", "a9", "y", None)]



def test_events_benchmark_on_sixty_article_pairs(model_dir: Path) -> None:
    """`python -m benchmarks events` as a developer runs it: the same cut told twice is one event, and only then."""
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "events"], capture_output=True, text=True, timeout=600,
        cwd=Path(__file__).resolve().parents[2], env={**os.environ, "WECKRUF_MODEL": str(model_dir)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    figures = re.search(r"pairwise precision ([\d.]+), recall ([\d.]+)", result.stdout)
    assert figures, result.stdout
    precision, recall = map(float, figures.groups())
    assert precision >= 0.95 and recall >= 0.90, result.stdout
