"""The `weckruf` command as users run it: a subprocess of the installed console script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

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


@pytest.mark.parametrize("command", ["run", "demo", "sources", "classify", "extract", "query", "model"])
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


def test_demo_command_end_to_end(model_dir: Path, tmp_path: Path) -> None:
    """`weckruf demo` as a user starts it: its own Prefect server, the proxy demo site, a summary."""
    result = weckruf("demo", "--data-dir", str(tmp_path), env={"WECKRUF_MODEL": str(model_dir)})
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    n = len(expected_articles())
    assert "(demo): OK" in out and f"articles fetched {n}, new {n}" in out
    ai_cuts = {(a["employer"], a["jobs"]) for a in expected_articles() if a["category"] == "ai_job_cut"}
    assert out.count("ALERT weckruf:") == len(ai_cuts)
    assert (tmp_path / "weckruf.read.duckdb").exists()


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
