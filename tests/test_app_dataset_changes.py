"""Open sessions while the dataset changes under them: replaced, replaced from the Data
page, damaged and fixed. Nothing crashes; the app says what happened and recovers."""

from __future__ import annotations

import io
import logging
import os
import zipfile
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app.sidebar import ALL_ORGS
from dashboard.imports.ingest import ingest
from dashboard.model.access import Scope
from tests.conftest import MINI_SOURCE, ROOT, SAMPLE_SOURCE
from tests.helpers import table_file

EVERY = Scope.everything()  # the server's own reads in these tests

APP = str(ROOT / "streamlit_app.py")


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    out = tmp_path / "data"
    ingest(SAMPLE_SOURCE, out)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(out))
    return out


def session(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def test_a_replaced_dataset_falls_back_in_an_open_session(live: Path) -> None:
    at = session(lang="en", org="gavle", **{"from": "2009", "to": "2012"})
    assert at.selectbox(key="f_org").value == "gavle"
    ingest(MINI_SOURCE, live)  # organisations a and b, years 2019-2020
    at.run()
    assert not at.exception
    notes = " ".join(w.value for w in at.sidebar.warning)
    assert "gavle is no longer in it" in notes
    assert "now covers 2019–2020" in notes
    assert at.selectbox(key="f_org").value == ALL_ORGS
    # none of the years chosen (2009-2012) is left: every year, as a link to them shows
    # (`urlstate.fit_span`), not the one year at the new span's edge
    assert tuple(at.select_slider(key="f_years").value) == (2019, 2020)
    at.switch_page("dashboard/app/pages/activities.py").run()
    assert not at.exception and not at.error


def _mini_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for f in MINI_SOURCE.glob("*.csv"):
            zf.writestr(f.name, f.read_bytes())
    return buf.getvalue()


def test_replace_on_the_data_page_crashes_neither_session(live: Path, monkeypatch) -> None:
    monkeypatch.setenv("DASHBOARD_ALLOW_IMPORT", "1")
    other = session(lang="en", org="gotland", year="2009")
    other.switch_page("dashboard/app/pages/goals.py").run()
    me = session(lang="en")
    me.switch_page("dashboard/app/pages/data.py").run()
    me.file_uploader(key="data-upload").upload("mini.zip", _mini_zip(), "application/zip").run()
    assert not me.exception
    assert any(s.value.startswith("No problems:") for s in me.success)
    me.checkbox(key="data-replace-sure").check().run()
    me.button(key="data-replace").click().run()
    assert not me.exception
    assert any("The dataset was replaced" in s.value for s in me.success)
    other.run()
    assert not other.exception and not other.error
    assert "gotland is no longer in it" in " ".join(w.value for w in other.sidebar.warning)


@pytest.mark.parametrize("held", [False, True], ids=["on-parquet", "in-memory"])
def test_a_damaged_dataset_shows_the_apps_message_and_recovers(
    live: Path, held: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Parquet (a large dataset) the damage shows at the next click; a small dataset is
    held in memory, so the open connection keeps serving its copy and the damage shows
    when a connection is next opened (here: the app's caches cleared, as by a restart)."""
    from dashboard.app import data
    from dashboard.storage.engine import MEMORY_ROWS

    monkeypatch.setenv("DASHBOARD_MEMORY_ROWS", str(MEMORY_ROWS if held else 0))
    data.clear()
    at = session(lang="en")
    damaged = table_file(live, "activities")
    good = damaged.read_bytes()
    damaged.unlink()  # (not written in place: the history shares the file)
    damaged.write_bytes(good[: len(good) // 3])  # cut off
    at.switch_page("dashboard/app/pages/activities.py").run()
    assert not at.exception
    if held:
        assert not at.error and at.dataframe[0].value.shape[0] > 0  # the copy serves
        data.clear()
        at.run()
        assert not at.exception
    message = at.error[0].value
    assert message.startswith("The dataset cannot be read. A table file is damaged")
    assert str(live) not in message and "python -m" not in message
    damaged.unlink()
    damaged.write_bytes(good)  # fixed, no restart
    at.run()
    assert not at.exception and not at.error
    assert at.dataframe[0].value.shape[0] > 0


def test_the_data_page_offers_the_coordinators_workbook(live: Path, tmp_path: Path) -> None:
    from dashboard.imports import uploads
    from dashboard.model.contract import TABLES
    from dashboard.storage.dataset import read_table

    at = session(lang="sv", org="slagelse")
    at.switch_page("dashboard/app/pages/data.py").run()
    assert not at.exception
    keys = {b.proto.id for b in at.get("download_button")}
    assert any("dl-coordinator-template" in k for k in keys)
    assert any("dl-coordinator-export" in k for k in keys)
    # the file behind the button: Slagelse's rows, imported again into a copy, change nothing
    book = uploads.coordinator_workbook(live, EVERY, ("slagelse",), "sv")
    before = {t.name: read_table(live, t) for t in TABLES}
    uploads.import_upload("slagelse.xlsx", book, live)
    assert all(before[t.name].equals(read_table(live, t)) for t in TABLES)


def test_an_upload_is_checked_in_a_child_within_time_and_memory(live: Path, monkeypatch) -> None:
    from dashboard.imports import uploads

    book = uploads.coordinator_workbook(live, EVERY, ("gotland",), "sv")
    steps: list[float] = []
    result = uploads.in_child("check", "gotland.xlsx", book, live, EVERY, steps.append)
    assert result.ok and result.rows["activities"] == 26
    assert steps and steps[-1] == 1.0 and steps == sorted(steps)
    monkeypatch.setenv("DASHBOARD_UPLOAD_SECONDS", "0.2")
    slow = uploads.in_child("check", "gotland.xlsx", book, live, EVERY)
    assert [p.key for p in slow.problems] == ["upload_too_slow"]
    monkeypatch.setenv("DASHBOARD_UPLOAD_SECONDS", "60")
    monkeypatch.setenv("DASHBOARD_UPLOAD_MEMORY_MB", "150")
    big = uploads.in_child("check", "gotland.xlsx", book, live, EVERY)
    assert [p.key for p in big.problems] == ["upload_too_big_memory"]
    with pytest.raises(uploads.ImportFailed):
        uploads.in_child("import", "gotland.xlsx", book, live, EVERY)


def test_a_fault_in_the_upload_child_is_said_as_ours_and_logged(
    live: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A child that fails on a fault of the code (here made to raise, through a
    sitecustomize the child imports at its start) says so, naming the file, and logs the
    traceback: not "the file needed more memory", which sent a coordinator splitting a
    workbook that was never the problem. A child killed by a signal (the kernel's OOM
    killer) is still said as memory. Nothing is written either way."""
    from dashboard.imports import uploads
    from dashboard.model.contract import TABLES
    from dashboard.storage.dataset import read_table

    book = uploads.coordinator_workbook(live, EVERY, ("gotland",), "sv")
    (tmp_path / "sitecustomize.py").write_text(
        "import dashboard.imports.uploads as u, os, signal\n"
        "def check_upload(*a, **k):\n"
        "    if os.environ.get('FAULT') == 'kill':\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    raise RuntimeError('a fault of ours')\n"
        "u.check_upload = u.import_upload = check_upload\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PYTHONPATH", f"{tmp_path}{os.pathsep}{ROOT}")
    before = {t.name: read_table(live, t) for t in TABLES}
    with caplog.at_level(logging.ERROR, logger="malbild"):
        fault = uploads.in_child("check", "gotland.xlsx", book, live, EVERY)
    assert [(p.file, p.key) for p in fault.problems] == [("gotland.xlsx", "upload_failed")]
    assert "RuntimeError: a fault of ours" in caplog.text
    with pytest.raises(uploads.ImportFailed) as failed:
        uploads.in_child("import", "gotland.xlsx", book, live, EVERY)
    assert [p.key for p in failed.value.problems] == ["upload_failed"]
    monkeypatch.setenv("FAULT", "kill")
    killed = uploads.in_child("check", "gotland.xlsx", book, live, EVERY)
    assert [p.key for p in killed.problems] == ["upload_too_big_memory"]
    assert all(before[t.name].equals(read_table(live, t)) for t in TABLES)


def test_a_visitors_clear_cache_request_clears_only_their_own_session(
    live: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.runtime.app_session import AppSession

    from dashboard.app import data
    from dashboard.model.filters import Filters
    from dashboard.storage.engine import Database

    session(lang="en")  # the app installs its handler on its first run
    data.query("goal_coverage", Filters(("vkl",)), EVERY)
    calls = []
    real = Database.df
    monkeypatch.setattr(
        Database, "df", lambda self, *a, **k: calls.append(a) or real(self, *a, **k)
    )

    class Visitor:
        cleared = False

        class _session_state:
            @staticmethod
            def clear() -> None:
                Visitor.cleared = True

    AppSession._handle_clear_cache_request(Visitor())  # type: ignore[arg-type]
    assert Visitor.cleared  # the visitor's own session is reset
    data.query("goal_coverage", Filters(("vkl",)), EVERY)
    assert calls == []  # everyone's cached results are still there


def test_a_coordinator_s_workbook_says_what_it_imported_and_for_whom(
    live: Path, monkeypatch
) -> None:
    """After a coordinator's workbook the page names the organisation and the workbook's
    rows, not "the dataset was replaced" with every row of every organisation (it said
    "Datasetet är ersatt: 486 rader importerade" for a workbook of 13 rows of one)."""
    from dashboard.imports import uploads

    monkeypatch.setenv("DASHBOARD_ALLOW_IMPORT", "1")
    book = uploads.coordinator_workbook(live, EVERY, ("gotland",), "sv")
    checked = uploads.in_child("check", "gotland.xlsx", book, live, EVERY)
    rows = sum(checked.rows.values())
    at = session(lang="sv")
    at.switch_page("dashboard/app/pages/data.py").run()
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    at.file_uploader(key="data-upload").upload("gotland.xlsx", book, xlsx).run()
    assert not at.exception, at.exception
    at.checkbox(key="data-import-sure").check().run()
    at.button(key="data-replace").click().run()
    assert not at.exception, at.exception
    said = [s.value for s in at.success]
    done = (
        f"Importerat för Gotlands kommun: {rows} rader. Andra organisationers rader är som de var."
    )
    assert done in said, said
    assert not any("Datasetet är ersatt" in s for s in said), said
