from datetime import datetime, timedelta, timezone

from flows.events import compatible_jobs, employer_tokens, group_job_cuts

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)


def cut(article: str, source: str, employer: str, jobs: int | None, ai: bool, at: datetime = T0) -> dict:
    return {"article_id": article, "sentence_no": 1, "text": f"{employer} streicht {jobs} Stellen.",
            "employer": employer, "jobs_affected": jobs, "ai_cause": ai, "source": source,
            "title": f"{employer}: Stellenabbau", "canonical_url": f"http://{source}.example/{article}",
            "seen_at": at, "article_ai": ai}


def test_employer_names_normalise() -> None:
    assert employer_tokens("Nordlicht Versicherung AG") == employer_tokens("Nordlicht") == {"nordlicht"}
    assert employer_tokens("Müller & Söhne GmbH") == {"mueller", "soehne"}
    assert compatible_jobs(1200, 1180) and compatible_jobs(None, 5) and not compatible_jobs(1200, 300)


def test_same_cut_from_two_outlets_is_one_event() -> None:
    events, links = group_job_cuts(
        [cut("a1", "kinetz", "Nordlicht Versicherung", 1200, True),
         cut("a2", "bytebote", "Nordlicht", 1200, False, T0 + timedelta(hours=5))],
        [], only_ai_cause=True,
    )
    assert len(events) == 1 and events[0].alert and events[0].ai_cause
    assert sorted(source for _, _, source in links) == ["bytebote", "kinetz"]


def test_different_numbers_or_far_apart_are_separate_events() -> None:
    events, _ = group_job_cuts(
        [cut("a1", "x", "Helvara", 300, False), cut("a2", "x", "Helvara", 2000, False),
         cut("a3", "x", "Helvara", 300, False, T0 + timedelta(days=90))],
        [], only_ai_cause=True,
    )
    assert len(events) == 3 and not any(e.alert for e in events)


def test_statement_joins_an_existing_event_with_the_same_key() -> None:
    existing = [{"event_key": "nordlicht:2026-11-20:1200", "employer": "Nordlicht", "jobs_affected": 1200,
                 "ai_cause": True, "first_seen": T0, "last_seen": T0}]
    events, links = group_job_cuts([cut("a9", "y", "Nordlicht AG", None, False, T0 + timedelta(days=2))],
                                   existing, only_ai_cause=True)
    assert [e.event_key for e in events] == ["nordlicht:2026-11-20:1200"]
    assert links == [("nordlicht:2026-11-20:1200", "a9", "y")]


def test_policy_can_alert_on_every_cut() -> None:
    events, _ = group_job_cuts([cut("a1", "x", "Vossberg Chemie", 600, False)], [], only_ai_cause=False)
    assert events[0].alert

