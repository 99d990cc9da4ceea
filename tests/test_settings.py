"""The server's settings: each read by one rule (`dashboard.settings`), a wrong value
refused with the setting's name, never replaced by its default or a nearest value; the
command line says it in one line with exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from dashboard import i18n
from dashboard.imports import uploads
from dashboard.model.safe import md
from dashboard.outputs.reminders import Smtp
from dashboard.settings import SettingError
from dashboard.storage import engine
from dashboard.storage.engine import Database
from tests.conftest import ROOT, copy_lake


def _reader_threads(tmp_path: Path, mini_dir: Path) -> int:
    """The threads of a reader made now (a lake this process has not read before)."""
    db = Database(copy_lake(mini_dir, tmp_path / "lake"))
    with db.cursor() as cur:
        return int(cur.execute("select current_setting('threads')").fetchone()[0])


def _reader_memory(tmp_path: Path, mini_dir: Path) -> str:
    """The memory limit of a reader made now, as DuckDB writes it."""
    db = Database(copy_lake(mini_dir, tmp_path / "lake"))
    with db.cursor() as cur:
        return str(cur.execute("select current_setting('memory_limit')").fetchone()[0])


# each setting: how the app reads it, a right value and what it reads as, wrong values
READERS: dict[str, tuple[Callable[[Path, Path], object], str, object, tuple[str, ...]]] = {
    "DASHBOARD_DUCKDB_THREADS": (
        _reader_threads, "3", 3, ("0", "-1", "1.5", "two", "2 cores", "²", "٣"),
    ),
    "DASHBOARD_DUCKDB_WRITE_THREADS": (
        lambda *_: engine.write_threads(), "3", 3, ("0", "x", "3.0"),
    ),
    "DASHBOARD_DUCKDB_MEMORY": (
        _reader_memory, "512 MiB", "512.0 MiB", ("lots", "1G B", "-1GB", "1.5.GB", "80%"),
    ),
    "DASHBOARD_MEMORY_ROWS": (
        lambda *_: engine.memory_rows(), "0", 0, ("-1", "250 000", "250,000", "1e6"),
    ),
    "DASHBOARD_UPLOAD_MB": (lambda *_: uploads.max_upload_mb(), "35", 35, ("0", "20MB", "2.5")),
    "DASHBOARD_UPLOAD_SECONDS": (
        lambda *_: uploads._limits()[0], "1.5", 1.5,
        ("0", "-3", "1,5", "inf", "nan", "soon", "1_0", "1e3", "٣"),
    ),
    "DASHBOARD_UPLOAD_MEMORY_MB": (lambda *_: uploads._limits()[1], "800", 800, ("0", "1.5GB")),
    "DASHBOARD_TIME_ZONE": (
        lambda *_: i18n.time_zone(), "Europe/Copenhagen", ZoneInfo("Europe/Copenhagen"),
        ("Europe/Stokholm", "CET+1", "../../etc/passwd", "Sverige"),
    ),
    "DASHBOARD_SMTP_PORT": (
        lambda *_: (Smtp.from_env() or pytest.fail("no SMTP settings")).port,
        "587", 587, ("0", "70000", "25x", "smtp"),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(READERS))
def test_a_wrong_setting_is_refused_with_its_name_and_a_right_one_read(
    name: str, tmp_path: Path, mini_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read, right, value, wrongs = READERS[name]
    monkeypatch.setenv("DASHBOARD_SMTP_HOST", "127.0.0.1")  # the port is read with a host
    monkeypatch.setenv(name, right)
    assert read(tmp_path / "right", mini_dir) == value
    for n, wrong in enumerate(wrongs):
        monkeypatch.setenv(name, wrong)
        with pytest.raises(SettingError) as found:
            read(tmp_path / f"wrong{n}", mini_dir)
        assert name in str(found.value) and repr(wrong) in str(found.value)


def test_a_yes_or_no_or_a_choice_is_one_of_its_words_or_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dashboard import settings
    from dashboard.outputs import reminders

    monkeypatch.setenv("DASHBOARD_SMTP_HOST", "127.0.0.1")
    for said, on in [("true", True), ("TRUE", True), ("1", True), ("yes", True), ("", False),
                     ("false", False), ("0", False), ("No", False)]:  # fmt: skip
        monkeypatch.setenv("DASHBOARD_SMTP_STARTTLS", said)
        assert (Smtp.from_env() or pytest.fail("no SMTP settings")).starttls is on
        monkeypatch.setenv("DASHBOARD_ALLOW_IMPORT", said)
        assert settings.flag("DASHBOARD_ALLOW_IMPORT") is on
    for wrong in ("on", "ja", "enabled", "2"):
        monkeypatch.setenv("DASHBOARD_SMTP_STARTTLS", wrong)  # no password sent in clear
        with pytest.raises(SettingError, match=f"DASHBOARD_SMTP_STARTTLS.*'{wrong}'"):
            Smtp.from_env()
    import pandas as pd

    round_ = reminders._Round(
        org="gotland", name="Region Gotland", country="SE", year=2025,
        due=date(2025, 12, 1), parts=pd.DataFrame(), missing=pd.DataFrame(), goals=0,
        assessed=0, unassessed="",
    )  # fmt: skip
    monkeypatch.setenv("DASHBOARD_MAIL_LANGUAGE", "da")
    assert reminders._lang(round_) == "da"
    monkeypatch.delenv("DASHBOARD_MAIL_LANGUAGE")
    assert reminders._lang(round_) == "sv"  # the organisation's country's
    for wrong in ("sv-SE", "swedish", "SV"):
        monkeypatch.setenv("DASHBOARD_MAIL_LANGUAGE", wrong)
        with pytest.raises(SettingError, match="DASHBOARD_MAIL_LANGUAGE"):
            reminders._lang(round_)


def test_an_unset_or_empty_setting_is_its_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in READERS:
        monkeypatch.delenv(name, raising=False)
    assert engine.write_threads() == (os.cpu_count() or 2)
    assert engine.memory_rows() == engine.MEMORY_ROWS
    assert uploads.max_upload_mb() == 20
    assert uploads._limits() == (60.0, 1500)
    assert i18n.time_zone() == ZoneInfo("Europe/Stockholm")
    monkeypatch.setenv("DASHBOARD_UPLOAD_MB", "  ")
    assert uploads.max_upload_mb() == 20


def test_the_command_line_says_a_wrong_setting_in_one_line(mini_dir: Path) -> None:
    """As typed: a process of its own, which reads its settings afresh."""
    env = {**os.environ, "DASHBOARD_MEMORY_ROWS": "lots"}
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", "query", "goal_coverage", "--data", str(mini_dir)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr == (
        "error: DASHBOARD_MEMORY_ROWS must be a whole number of 0 or more, not 'lots'\n"
    )


def test_a_page_says_a_wrong_setting_in_the_readers_language(
    sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every page starts by reading the upload limit (the page's own words for the
    uploader): a wrong one is said in the reader's language, by name, not as Streamlit's
    English error page."""
    from streamlit.testing.v1 import AppTest

    from dashboard.i18n import t
    from tests.conftest import ROOT

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(sample_dir))
    monkeypatch.setenv("DASHBOARD_UPLOAD_MB", "20MB")
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["lang"] = "da"
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("error.setting", "da", name=md("DASHBOARD_UPLOAD_MB"))]
    assert "20MB" not in at.error[0].value  # the value is for the log, not the reader


def test_a_wrong_setting_first_read_inside_a_page_is_said_there() -> None:
    from streamlit.testing.v1 import AppTest

    def script() -> None:
        from types import SimpleNamespace

        from dashboard.app.ui import guarded
        from dashboard.settings import SettingError

        def render(view: object) -> None:
            raise SettingError("DASHBOARD_UPLOAD_SECONDS", "the whole message")

        guarded(render, SimpleNamespace(lang="sv", filters=None, t=lambda k: k))()  # type: ignore[arg-type]

    at = AppTest.from_function(script).run()
    assert not at.exception
    from dashboard.i18n import t

    assert [e.value for e in at.error] == [
        t("error.setting", "sv", name=md("DASHBOARD_UPLOAD_SECONDS"))
    ]
