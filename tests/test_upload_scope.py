"""The scope of an upload (issue #21): before anything is written, a coordinator's
workbook says per organisation and table what it will replace; an organisation the file
names that the uploader did not mean is refused unless asked for (`--orgs`, or confirmed
on the Data page); a coordinator imports their own organisation's workbook, never rows
of another."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.imports import uploads, workbook
from dashboard.model import sheets
from dashboard.model.access import Grant, Person, Scope
from dashboard.model.filters import Filters
from dashboard.model.problems import ImportFailed
from dashboard.model.view import View
from dashboard.outputs.workbook import sheets_bytes
from dashboard.storage import history
from tests.helpers import read_rows

EVERY = Scope.everything()
GUSTAV = Person("Gustav", "gustav@gotland.se", (Grant("gotland", "coordinator"),), False)
ADMIN = Person("Ada", "ada@region.se", (Grant("*", "admin"),), True)


@pytest.fixture
def out(tmp_path: Path, fresh_sample) -> Path:
    return fresh_sample(tmp_path / "data", who="import")


def gotland_book(out: Path, stray: str | None = None) -> bytes:
    """Gotland's activities sheet of 2009 with one title corrected; *stray*: the
    organisation its last activity names by mistake (a typo in one cell)."""
    rows = workbook.dataset_rows(out, EVERY, ["gotland"])
    sheet = [r for r in sheets.sheet_rows(rows, "sv")["activities"] if r["year"] == 2009]
    sheet[0]["activity_title"] = "Almedalsveckans invigning (rättad)"
    if stray:
        sheet[-1].update(organisation=stray, goals=None, strategy=None)
    return sheets_bytes({"activities": sheet}, "sv")


def count(out: Path, org: str, year: int) -> int:
    return sum(1 for r in read_rows(out, "activities") if (r["org_id"], r["year"]) == (org, year))


def test_the_check_says_per_organisation_what_the_import_replaces(out: Path) -> None:
    gavle_2009 = count(out, "gavle", 2009)
    result = uploads.check_upload("bok.xlsx", gotland_book(out, "Gävle kommun"), out, EVERY)
    assert result.kind == "coordinator" and not result.problems
    assert result.orgs == ("gavle", "gotland")
    acts = {(o, y): (b, a) for o, t, y, b, a in result.replaces if t == "activities"}
    # the stray row replaces Gävle's 2009: its rows of that year become the one row
    assert acts[("gavle", 2009)] == (gavle_2009, 1)
    assert acts[("gotland", 2009)][0] == acts[("gotland", 2009)][1] + 1
    links = {(o, y): (b, a) for o, t, y, b, a in result.replaces if t == "activity_goals"}
    assert links[("gotland", 2009)][0] > 0  # goal links are counted too (derived later)
    frame = result.replaces_frame("sv")
    assert "Gävle kommun" in set(frame["org_id"]) and "Aktiviteter" in set(frame["table_name"])


def test_the_command_line_refuses_an_organisation_it_was_not_asked_to_replace(
    out: Path, tmp_path: Path, capsys
) -> None:
    book = tmp_path / "gotland.xlsx"
    book.write_bytes(gotland_book(out, "Gävle kommun"))
    before = len(history.entries(out))
    assert main(["ingest", str(book), "--out", str(out), "--lang", "sv"]) == 1
    err = capsys.readouterr().err
    assert "filen talar också för Gävle kommun" in err and "Aktiviteter" in err
    assert main(["ingest", str(book), "--out", str(out), "--orgs", "gotland"]) == 1
    assert len(history.entries(out)) == before  # nothing written
    assert main(["ingest", str(book), "--out", str(out), "--orgs", "gotland,gavle"]) == 0
    assert count(out, "gavle", 2009) == 1  # meant, and done
    one = tmp_path / "one.xlsx"
    one.write_bytes(gotland_book(out))
    assert main(["ingest", str(one), "--out", str(out)]) == 0  # one organisation: as before


def _view(person: Person | None) -> View:
    names = {"gotland": "Gotlands kommun", "gavle": "Gävle kommun"}
    return View("sv", Filters(), names, person, EVERY)


def test_a_coordinator_imports_their_own_workbook_and_never_another_organisations(
    out: Path,
) -> None:
    from dashboard.app.pages.data import may_import

    own = uploads.check_upload("bok.xlsx", gotland_book(out), out, EVERY)
    assert may_import(_view(GUSTAV), own) == (True, ("gotland",), [])
    stray = uploads.check_upload("bok.xlsx", gotland_book(out, "Gävle kommun"), out, EVERY)
    assert may_import(_view(GUSTAV), stray) == (False, None, ["gavle"])
    assert may_import(_view(ADMIN), stray) == (True, ("gavle", "gotland"), [])
    contract = uploads.check_upload("sample.csv", b"org_id\n", out, EVERY)
    assert may_import(_view(GUSTAV), contract)[0] is False  # the whole dataset: an admin's
    # the import refuses other organisations' rows at the moment of writing
    with pytest.raises(ImportFailed) as info:
        uploads.in_child(
            "import", "bok.xlsx", gotland_book(out, "Gävle kommun"), out, EVERY,
            who="gustav@gotland.se", orgs=("gotland",),
        )  # fmt: skip
    assert {p.key for p in info.value.problems} == {"org_not_meant"}
    uploads.in_child(
        "import", "bok.xlsx", gotland_book(out), out, EVERY, who="gustav@gotland.se",
        orgs=("gotland",),
    )  # fmt: skip
    last = history.entries(out)[-1]
    assert (last.who, last.action, last.orgs) == ("gustav@gotland.se", "import", ("gotland",))
    titles = {r["title"] for r in read_rows(out, "activities")}
    assert "Almedalsveckans invigning (rättad)" in titles


@pytest.mark.parametrize(
    ("setting", "value", "key"),
    [
        ("DASHBOARD_UPLOAD_SECONDS", "0.3", "upload_too_slow"),
        ("DASHBOARD_UPLOAD_MEMORY_MB", "40", "upload_too_big_memory"),
    ],
)
def test_the_command_line_checks_a_file_within_the_pages_limits(
    out: Path, tmp_path: Path, capsys, monkeypatch, setting: str, value: str, key: str
) -> None:
    """A file within the upload limit is checked on the command line as on the page: in a
    child process that is stopped past its time or its resident memory, with a clear
    refusal and nothing written (issue #21: no input of at most 20 MB takes more than 60 s
    or 1.5 GB)."""
    from dashboard.i18n import t

    book = tmp_path / "gotland.xlsx"
    book.write_bytes(gotland_book(out))
    monkeypatch.setenv(setting, value)
    before = len(history.entries(out))
    assert main(["ingest", str(book), "--out", str(out), "--lang", "sv"]) == 1
    expected = t(f"problem.{key}", "sv", seconds=0, mb=40).split("{")[0][:20]
    assert expected in capsys.readouterr().err
    assert len(history.entries(out)) == before
