from pathlib import Path

import pytest

from flows.config import ConfigError, load_settings, parse_settings


def test_defaults_need_no_file() -> None:
    settings = parse_settings({}, {})
    assert settings.warehouse == Path("data/weckruf.duckdb")
    assert settings.crawl.per_domain == 2 and settings.alerts.only_ai_cause
    assert settings.schedule.timezone == "Europe/Berlin"


def test_file_and_environment(tmp_path: Path) -> None:
    config = tmp_path / "weckruf.toml"
    config.write_text('data_dir = "/srv/w"\n[crawl]\ndownload_delay = 2.5\n[sources.heise]\nenabled = false\n')
    settings = load_settings(config, env={"WECKRUF_ALERT_URLS": "json://127.0.0.1:9/a, mailto://u:p@mail.example.org"})
    assert settings.warehouse == Path("/srv/w/weckruf.duckdb")
    assert settings.model.path == "/srv/w/models/weckruf-stance"
    assert settings.crawl.download_delay == 2.5
    assert settings.sources == {"heise": {"enabled": False}}
    assert settings.alerts.urls == ("json://127.0.0.1:9/a", "mailto://u:p@mail.example.org")


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"crawl": {"dowload_delay": 1}}, "unknown key"),
        ({"alerts": {"urls": ["slack://token"]}}, "WECKRUF_ALERT_URLS"),
        ({"warehous": "x"}, "unknown top-level"),
        ({"crawl": {"download_delay": "fast"}}, r"\[crawl\] download_delay = 'fast': input should be a valid number"),
        ({"crawl": {"per_domain": 2.5}}, r"\[crawl\] per_domain = 2.5: input should be a valid integer"),
        ({"alerts": {"only_ai_cause": "false"}}, r"\[alerts\] only_ai_cause = 'false': input should be a valid boolean"),
        ({"model": {"label_map": ["negative"]}}, r"\[model\] label_map"),
        ({"schedule": {"cron": 6}}, r"\[schedule\] cron = 6: input should be a valid string"),
        ({"model": {"backend": "onxx"}}, r"\[model\] backend = 'onxx': must be one of torch, onnx"),
        ({"model": {"precision": "fp8"}}, r"\[model\] precision = 'fp8': must be one of auto, fp32, bf16, int8"),
        ({"alerts": {"min_jobs": -5}}, r"\[alerts\] min_jobs = -5: must be at least 0"),
        ({"alerts": {"max_attempts": 0}}, r"\[alerts\] max_attempts = 0: must be at least 1"),
        ({"alerts": {"sources": "kinetz"}}, r"\[alerts\] sources = 'kinetz': input should be a valid tuple"),
        ({"alerts": {"digest": 1}}, r"\[alerts\] digest = 1: input should be a valid boolean"),
    ],
)
def test_mistakes_are_named(doc: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_settings(doc, {})


def test_alert_rules_and_urls_are_checked_at_start() -> None:
    rules = parse_settings({"alerts": {"min_jobs": 500, "sources": ["kinetz"], "employers": ["Moorkamp"],
                                       "max_age_days": 7, "digest": True}}, {})
    assert (rules.alerts.min_jobs, rules.alerts.sources, rules.alerts.employers) == (500, ("kinetz",), ("Moorkamp",))
    assert (rules.alerts.max_age_days, rules.alerts.max_attempts, rules.alerts.digest) == (7, 5, True)
    with pytest.raises(ConfigError, match=r"Apprise cannot use: nosuchscheme://hooks.example/…") as caught:
        parse_settings({}, {"WECKRUF_ALERT_URLS": "json://127.0.0.1/ok, nosuchscheme://key-4711@hooks.example/x"})
    assert "key-4711" not in str(caught.value)


def test_the_report_lives_beside_the_data_unless_configured() -> None:
    assert parse_settings({"data_dir": "/srv/w"}, {}).report_path == Path("/srv/w/report.html")
    configured = parse_settings({"report": {"path": "/var/www/weckruf.html", "after_each_run": False}}, {})
    assert configured.report_path == Path("/var/www/weckruf.html") and not configured.report.after_each_run
    with pytest.raises(ConfigError, match=r"\[report\] after_each_run = 'no'"):
        parse_settings({"report": {"after_each_run": "no"}}, {})


def test_whole_numbers_are_fine_where_a_number_is_wanted() -> None:
    settings = parse_settings({"crawl": {"download_delay": 2, "timeout": 10, "registry": "eigene.toml"}}, {})
    assert settings.crawl.download_delay == 2 and settings.crawl.timeout == 10.0
    assert settings.crawl.registry == Path("eigene.toml")


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml", env={})
