"""The `weckruf` command as users run it: a subprocess of the installed console script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from crawlers.demo_site import expected_articles
from warehouse import load
from warehouse.db import open_writer
from warehouse.snapshot import publish

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "tests" / "crawlers" / "pages" / "regionalecho_werkbank.html"
CONTRACT_KEYS = {"text", "topic", "stance", "stance_score", "job_cut", "employer", "jobs_affected", "ai_cause", "model"}


def weckruf(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    exe = shutil.which("weckruf", path=str(Path(sys.executable).parent)) or "weckruf"
    return subprocess.run([exe, *args], input=stdin, capture_output=True, cwd=REPO,
                          env={**os.environ, **(env or {})}, timeout=300)


@pytest.mark.parametrize(
    "command", ["run", "demo", "sources", "classify", "extract", "query", "model", "runs", "trends", "export", "alerts", "serve", "backfill", "reclassify"])
def test_every_command_has_help(command: str) -> None:
    result = weckruf(command, "--help")
    assert result.returncode == 0 and b"Usage" in result.stdout


def test_classify_jsonl_contract_and_bad_input(model_dir: Path) -> None:
    lines = [
        "Der Versicherer Nordlicht streicht 1.200 Stellen, weil KI die Schadenbearbeitung übernimmt.".encode(),
        b"",
        "<p>Die Gewerkschaft fordert mehr Lohn f&uuml;r die Besch&auml;ftigten.</p>".encode(),
        "Das neue Smartphone\x07 hat einen größeren Akku.".encode(),
        b"   ",
        ("Sehr lang " * 300).encode(),
        "KI-Modelle werden schneller.".encode() + b"\xff\xfe",
        b"The company will cut 3,000 jobs because AI is taking over the work.",
    ]
    result = weckruf("classify", "--jsonl", "-", stdin=b"\n".join(lines) + b"\n",
                     env={"WECKRUF_MODEL": str(model_dir)})
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(objects) == 6  # one per non-empty input line
    for obj in objects:
        assert set(obj) == CONTRACT_KEYS
        assert obj["topic"] in ("ai_jobs", "jobs", "ai", "other")
        assert (obj["stance"] is None) == (obj["topic"] in ("ai", "other"))
        assert 0.0 <= obj["stance_score"] <= 1.0
        assert "@" in obj["model"]
    cut = objects[0]
    assert (cut["topic"], cut["stance"], cut["job_cut"], cut["employer"], cut["jobs_affected"], cut["ai_cause"]) == (
        "ai_jobs", "negative", True, "Nordlicht", 1200, True)
    assert objects[1]["text"] == "Die Gewerkschaft fordert mehr Lohn für die Beschäftigten." and objects[1]["topic"] == "jobs"
    assert objects[2]["topic"] == "other" and "\x07" not in objects[2]["text"]
    assert len(objects[3]["text"]) == 1000
    assert objects[5]["topic"] == "other" and objects[5]["stance"] is None
    stderr = result.stderr.decode()
    for message in ("not valid UTF-8", "line 2: empty line skipped", "line 3: removed HTML tags",
                    "line 4: removed control characters", "line 5: empty line skipped", "line 6: cut to 1000 characters",
                    "line 8: not German"):
        assert message in stderr


def test_classify_table_output_and_missing_file(model_dir: Path, tmp_path: Path) -> None:
    sentences = tmp_path / "s.txt"
    sentences.write_text("Die Bank baut 300 Stellen ab.\n", encoding="utf-8")
    result = weckruf("classify", str(sentences), env={"WECKRUF_MODEL": str(model_dir)})
    assert result.returncode == 0 and b"JOB CUT" in result.stdout
    missing = weckruf("classify", str(tmp_path / "none.txt"))
    assert missing.returncode == 2 and b"no such file" in missing.stderr


def test_extract_json_contract() -> None:
    result = weckruf("extract", str(PAGE), "--url", "https://www.regionalecho.example/w/a.html", "--json")
    assert result.returncode == 0, result.stderr
    article = json.loads(result.stdout)
    assert set(article) == {"url", "canonical_url", "title", "lead", "text", "authors", "published",
                            "language", "paywalled", "source", "headings"}
    assert article["title"] == "Werkbank Maschinenbau ersetzt Disponenten durch Software"
    assert article["paywalled"] is True and article["language"] == "de"


def test_extract_applies_the_registry_overrides_of_the_pages_site() -> None:
    """golem's registry entry drops its hidden link hints and knows the golem plus marker."""
    page = Path(__file__).parents[1] / "crawlers" / "pages" / "override_golem.html"
    golem = json.loads(weckruf("extract", str(page), "--url", "https://www.golem.de/news/a-2608-1.html", "--json").stdout)
    elsewhere = json.loads(weckruf("extract", str(page), "--url", "https://blog.example.org/a.html", "--json").stdout)
    assert "(öffnet im neuen Fenster)" not in golem["text"] and golem["paywalled"] is True
    assert "(öffnet im neuen Fenster)" in elsewhere["text"] and elsewhere["paywalled"] is False


def test_extract_with_a_missing_registry_file_is_a_usage_error(tmp_path: Path) -> None:
    config = tmp_path / "weckruf.toml"
    config.write_text(f'[crawl]\nregistry = "{tmp_path / "nope.toml"}"\n')
    result = weckruf("extract", str(PAGE), "--config", str(config))
    assert result.returncode == 2 and b"nope.toml" in result.stderr and PAGE.name.encode() not in result.stderr


def test_extract_of_a_non_article_fails_clearly(tmp_path: Path) -> None:
    binary = tmp_path / "x.pdf"
    binary.write_bytes(b"%PDF-1.7 \x00\x01")
    result = weckruf("extract", str(binary))
    assert result.returncode == 1 and b"not an HTML page" in result.stderr


def test_query_formats_and_read_only(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    con = open_writer(db)
    load.upsert_sources(con, [{"name": "kinetz", "title": "KI-Netz", "homepage": "http://www.kinetz.example/"}])
    con.close()
    publish(db)
    as_json = weckruf("query", "SELECT name, title FROM sources", "--format", "json", "--db", str(db))
    assert json.loads(as_json.stdout) == [{"name": "kinetz", "title": "KI-Netz"}]
    as_csv = weckruf("query", "SELECT name FROM sources", "--format", "csv", "--db", str(db))
    assert as_csv.stdout.decode().split() == ["name", "kinetz"]
    write = weckruf("query", "DELETE FROM sources", "--db", str(db))
    assert write.returncode == 2 and b"read-only" in write.stderr.lower()
    bad_format = weckruf("query", "SELECT 1", "--format", "xml", "--db", str(db))
    assert bad_format.returncode == 2
    missing = weckruf("query", "SELECT 1", "--db", str(tmp_path / "none.duckdb"))
    assert missing.returncode == 1 and b"weckruf run" in missing.stderr


def test_run_with_an_unknown_source_is_a_usage_error(tmp_path: Path) -> None:
    result = weckruf("run", "--source", "gibtsnicht")
    assert result.returncode == 2 and b"unknown source" in result.stderr
    config = tmp_path / "weckruf.toml"
    config.write_text('[alerts]\nsources = ["heise", "gibtsnicht"]\n', encoding="utf-8")
    watched = weckruf("run", "--config", str(config))
    assert watched.returncode == 2 and b"[alerts] sources names unknown source(s): gibtsnicht" in watched.stderr


def test_demo_command_end_to_end(demo_run) -> None:
    """`weckruf demo` as a user starts it: its own Prefect server, the proxy demo site, a summary."""
    out = demo_run.result.stdout.decode()
    n = len(expected_articles())
    assert "(demo): OK" in out and f"articles fetched {n}, new {n}" in out
    ai_cuts = {(a["employer"], a["jobs"]) for a in expected_articles() if a["category"] == "ai_job_cut"}
    assert out.count("ALERT weckruf:") == len(ai_cuts)
    assert (demo_run.data_dir / "weckruf.read.duckdb").exists()


def test_sources_lists_the_registry_with_overrides(tmp_path: Path) -> None:
    config = tmp_path / "weckruf.toml"
    config.write_text(f'data_dir = "{tmp_path}"\n[sources.heise]\nenabled = false\n'
                      '[sources.meinblog]\nhomepage = "https://blog.example.de/"\nfeeds = ["https://blog.example.de/feed"]\n')
    result = weckruf("sources", "--config", str(config))
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.decode().splitlines()[2:-1]}
    assert " no " in lines["heise"] and " yes " in lines["golem"] and "blog.example.de/feed" in lines["meinblog"]


def test_run_rejects_a_bad_since_date() -> None:
    result = weckruf("run", "--since", "letzte Woche")
    assert result.returncode == 2 and b"--since must be a date" in result.stderr


def test_version_and_shell_completion() -> None:
    version = weckruf("--version")
    assert version.returncode == 0 and version.stdout.decode().startswith("weckruf ")
    # what `weckruf --install-completion` installs (it detects the shell from its parents, so
    # the test asks for the bash script directly)
    script = weckruf(env={"_WECKRUF_COMPLETE": "source_bash"})
    assert script.returncode == 0 and b"complete -o default -F _weckruf_completion weckruf" in script.stdout
    completed = weckruf(env={"_WECKRUF_COMPLETE": "complete_bash", "COMP_WORDS": "weckruf tre", "COMP_CWORD": "1"})
    assert completed.stdout.decode().split() == ["trends"]


def test_trends_by_week_add_up_over_sources(demo_run) -> None:
    db = str(demo_run.warehouse)
    overall = json.loads(weckruf("trends", "--db", db, "--format", "json").stdout)
    assert sum(row["articles"] for row in overall) == len(expected_articles())
    assert [row["period"] for row in overall] == sorted(row["period"] for row in overall)
    per_source = [r for s in ("kinetz", "bytebote", "platinenpost", "taktgeber")
                  for r in json.loads(weckruf("trends", "--db", db, "--source", s, "--format", "json").stdout)]
    for row in overall:
        assert date.fromisoformat(row["period"]).isoweekday() == 1  # ISO weeks start on Monday
        assert row["negative"] + row["neutral"] + row["positive"] == row["stance_statements"]
        assert abs(row["negative_share"] + row["neutral_share"] + row["positive_share"] - 1) < 0.01
        same_week = [r for r in per_source if r["period"] == row["period"]]
        for column in ("articles", "ai_jobs_articles", "negative", "positive"):
            assert sum(r[column] for r in same_week) == row[column]


def test_trends_options_and_errors(demo_run) -> None:
    db = str(demo_run.warehouse)
    days = weckruf("trends", "--db", db, "--by", "day", "--since", "2026-11-20", "--format", "csv").stdout.decode()
    lines = days.splitlines()
    assert lines[0].startswith("period,source,articles,ai_jobs_articles,ai_jobs_share")
    assert len(lines) > 2 and all(line >= "2026-11-20" for line in lines[1:])
    table = weckruf("trends", "--db", db, "--by", "month").stdout.decode()
    assert "negative_share" in table and "2026-11-01" in table and "(1 rows)" in table
    assert weckruf("trends", "--db", db, "--source", "gibtsnicht").returncode == 2
    assert weckruf("trends", "--db", db, "--by", "year").returncode == 2
    assert weckruf("trends", "--db", db, "--since", "gestern").returncode == 2


def test_runs_lists_state_counts_per_source_and_model(demo_run) -> None:
    runs = json.loads(weckruf("runs", "--db", str(demo_run.warehouse), "--format", "json").stdout)
    assert len(runs) == 1
    run = runs[0]
    assert (run["kind"], run["status"], run["articles_new"], run["errors"]) == ("demo", "ok", len(expected_articles()), 0)
    assert run["seconds"] > 0 and "@" in run["model"] and run["error_details"] == []
    assert run["per_source_articles_errors"] == "bytebote 12/0, kinetz 12/0, platinenpost 12/0, taktgeber 12/0"
    table = weckruf("runs", "--db", str(demo_run.warehouse)).stdout.decode()
    assert "demo" in table and "error_details" not in table


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_writes_statements_and_events_by_month(demo_run, tmp_path: Path, fmt: str) -> None:
    db = str(demo_run.warehouse)
    result = weckruf("export", "--db", db, "--format", fmt, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    reader = "read_parquet" if fmt == "parquet" else "read_csv"
    con = duckdb.connect()
    for table, view in (("statements", "statement_details"), ("events", "event_timeline")):
        folders = sorted(p.name for p in (tmp_path / table).iterdir())
        assert folders == ["month=2026-11"]
        exported = con.execute(
            f"SELECT count(*), min(month) FROM {reader}('{tmp_path / table}/*/*.{fmt}', hive_partitioning = true)"
        ).fetchone()
        stored = json.loads(weckruf("query", f"SELECT count(*) AS n FROM {view}", "--db", db, "--format", "json").stdout)
        assert exported == (stored[0]["n"], "2026-11") and exported[0] > 0
    def statements_written(*extra: str) -> int:
        out = weckruf("export", "--db", db, "--format", fmt, "--out", str(tmp_path), *extra).stdout.decode()
        return int(out.split("statements: ")[1].split()[0])

    assert 0 < statements_written("--since", "2026-11-20") < statements_written()
    assert weckruf("export", "--db", db, "--format", "xlsx", "--out", str(tmp_path)).returncode == 2


def test_alerts_lists_states_and_filters(demo_run) -> None:
    db = str(demo_run.warehouse)
    every = json.loads(weckruf("alerts", "--db", db, "--format", "json").stdout)
    ai_cuts = {a["employer"] for a in expected_articles() if a["category"] == "ai_job_cut"}
    printed = [row for row in every if row["status"] == "printed"]
    assert {row["subject"] for row in printed} == ai_cuts and all(row["kind"] == "job_cut" for row in every)
    skipped = [row for row in every if row["status"] == "skipped"]
    assert skipped and all(row["note"] == "KI nicht als Grund genannt" and not row["ai_cause"] for row in skipped)
    sent = json.loads(weckruf("alerts", "--db", db, "--sent", "--format", "json").stdout)
    assert sent == printed  # printed counts as delivered: there was no channel to send to
    assert json.loads(weckruf("alerts", "--db", db, "--failed", "--pending", "--format", "json").stdout) == []


def test_alerts_test_says_which_channel_works(local_server, smtp_server) -> None:
    local_server.routes["/ok"] = (200, "application/json", b"{}")
    local_server.routes["/down"] = (502, "text/plain", b"bad gateway")
    urls = f"json://127.0.0.1:{local_server.port}/ok {smtp_server.url()} json://geheim@127.0.0.1:{local_server.port}/down"
    result = weckruf("alerts", "test", env={"WECKRUF_ALERT_URLS": urls})
    lines = result.stdout.decode().splitlines()
    assert result.returncode == 1 and [line.split()[0] for line in lines] == ["ok", "ok", "FAILED"]
    assert "502" in lines[2] and "geheim" not in result.stdout.decode()
    assert [subject for subject, _ in smtp_server.texts()] == ["weckruf: Testnachricht"]
    assert weckruf("alerts", "test", env={"WECKRUF_ALERT_URLS": ""}).returncode == 2


def test_reclassify_re_analyses_what_another_model_analysed_and_replaces_its_statements(
    demo_run, model_dir: Path, tmp_path: Path
) -> None:
    shutil.copy(demo_run.warehouse, tmp_path / "weckruf.duckdb")
    config = tmp_path / "weckruf.toml"
    config.write_text(f'data_dir = "{tmp_path}"\n', encoding="utf-8")
    env = {"WECKRUF_MODEL": str(model_dir)}
    with duckdb.connect(str(tmp_path / "weckruf.duckdb")) as con:
        before = con.execute("SELECT article_id, sentence_no, topic, stance, job_cut FROM statements ORDER BY ALL").fetchall()
        old = [row[0] for row in con.execute("SELECT article_id FROM articles ORDER BY article_id LIMIT 10").fetchall()]
        con.execute("UPDATE articles SET analyzed_by = 'alt@0' WHERE list_contains(?, article_id)", [old])
        con.execute("UPDATE statements SET model = 'alt@0' WHERE list_contains(?, article_id)", [old])
        events_before = con.execute("SELECT count(*) FROM job_cut_events").fetchone()[0]
    result = weckruf("reclassify", "--config", str(config), env=env)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    assert "marked for re-analysis by the current model 10" in result.stdout.decode()
    with duckdb.connect(str(tmp_path / "weckruf.read.duckdb"), read_only=True) as con:
        after = con.execute("SELECT article_id, sentence_no, topic, stance, job_cut FROM statements ORDER BY ALL").fetchall()
        models = con.execute("SELECT DISTINCT model FROM statements").fetchall()
        stale = con.execute("SELECT count(*) FROM articles WHERE analyzed_by <> ?", [models[0][0]]).fetchone()[0]
        events_after = con.execute("SELECT count(*) FROM job_cut_events").fetchone()[0]
        kinds = con.execute("SELECT kind, status FROM runs ORDER BY started_at").fetchall()
    assert after == before and len(models) == 1 and "alt@0" not in models[0][0] and stale == 0
    assert events_after == events_before and kinds == [("demo", "ok"), ("reclassify", "ok")]
    again = weckruf("reclassify", "--config", str(config), env=env)
    assert again.returncode == 0 and "re-analysis" not in again.stdout.decode()


def test_backfill_and_serve_check_their_input_first(tmp_path: Path) -> None:
    assert weckruf("backfill", "--since", "letzte Woche").returncode == 2
    assert weckruf("backfill").returncode == 2  # --since is required
    config = tmp_path / "weckruf.toml"
    config.write_text('[schedule]\ncron = "0 25 * * *"\n', encoding="utf-8")
    result = weckruf("serve", "--config", str(config))
    assert result.returncode == 2 and b"[schedule] cron = '0 25 * * *'" in result.stderr


def test_tables_are_rich_on_a_terminal_and_plain_in_a_pipe(demo_run) -> None:
    primary, secondary = os.openpty()
    try:
        process = subprocess.run(
            [shutil.which("weckruf", path=str(Path(sys.executable).parent)), "trends", "--db", str(demo_run.warehouse)],
            stdout=secondary, stderr=subprocess.PIPE, cwd=REPO, timeout=120, env={**os.environ, "COLUMNS": "160"},
        )
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the terminal closed: all read
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(primary)
    on_terminal = b"".join(chunks).decode()
    assert process.returncode == 0 and "━" in on_terminal and "negative_share" in on_terminal
    piped = weckruf("trends", "--db", str(demo_run.warehouse)).stdout.decode()
    assert "━" not in piped and piped.splitlines()[1].startswith("----------")
