from flows.summary import RunSummary, format_summary


def test_a_clean_run_reads_ok_with_its_counts_per_source() -> None:
    summary = RunSummary("daily-1", "daily", articles_seen=5, articles_new=4, statements_new=31, events_new=1,
                         per_source={"nordpost": {"article": 3}, "bytebote": {"article": 2, "skipped": 1}},
                         snapshot="data/weckruf.snapshot.duckdb")
    text = format_summary(summary, "data/weckruf.duckdb")
    assert summary.status == "ok"
    assert text.splitlines()[0] == "run daily-1 (daily): OK"
    assert "statements written 31, new job-cut events 1" in text
    lines = text.splitlines()
    assert lines.index(next(l for l in lines if "bytebote" in l)) < lines.index(next(l for l in lines if "nordpost" in l))
    assert "readers use data/weckruf.snapshot.duckdb" in lines[-1]


def test_errors_and_undelivered_alerts_make_a_run_partial_and_long_error_lists_are_cut() -> None:
    errors = [{"source": "kaputt", "url": f"https://kaputt.example/{i}", "stage": "article", "reason": "HTTP 500"}
              for i in range(23)]
    assert RunSummary("r", "daily", alerts_pending=1).status == "partial"
    assert RunSummary("r", "daily", alerts_failed=1).status == "partial"  # given up in this run, said once
    assert "given up 1 (see: weckruf alerts --failed)" in format_summary(RunSummary("r", "daily", alerts_failed=1), "w")
    text = format_summary(RunSummary("r", "daily", errors=errors, alerts_printed=["Stellenabbau bei X"]), "w.duckdb")
    assert "PARTIAL" in text and "errors (23):" in text
    assert "[kaputt] https://kaputt.example/19: HTTP 500" in text and "kaputt.example/20:" not in text
    assert "… and 3 more (see the runs table)" in text
    assert "    ALERT Stellenabbau bei X" in text
