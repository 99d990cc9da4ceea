"""Goal lists (issue #21): every goal code the contract accepts survives the coordinator's
workbook and the browser unchanged, also one that holds a list separator ("4,1", "Mål 1")
or reads as a range ("1-3"); ranges are bounded by the strategy's goals and a reversed
range is refused; a one-goal column refuses a list; a goal number is one goal."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dashboard.imports import editing, workbook
from dashboard.imports.ingest import check, ingest
from dashboard.model import sheets
from dashboard.model.access import Grant, Person, Scope
from dashboard.outputs.workbook import sheets_bytes, workbook_bytes
from tests.conftest import SAMPLE_SOURCE, copy_lake
from tests.helpers import read_rows

ADMIN = Person("Ada", "ada@region.se", (Grant("*", "admin"),), True)
CODES = {"1": "4,1", "2": "Mål 1", "3": "1-3", "5": "5;6"}  # Gotland's goals 1, 2, 3, 5 renamed


def links(out: Path) -> set[tuple[str, str]]:
    return {(r["activity_id"], r["goal_id"]) for r in read_rows(out, "activity_goals")}


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory, fresh_sample) -> Path:
    """The sample with Gotland's goals renumbered to codes with separators, saved once."""
    folder = fresh_sample(tmp_path_factory.mktemp("coded") / "data")
    goals = editing.load(folder, "gotland", 0, "sv", "goals")
    renamed = [dict(g, number=CODES.get(str(g["number"]), g["number"])) for g in goals]
    editing.save(folder, "gotland", 0, "sv", goals, renamed, ADMIN, part="goals")
    return folder


@pytest.fixture
def out(tmp_path: Path, coded: Path) -> Path:
    """A copy of `coded` per test: a test may import or save into it."""
    return copy_lake(coded, tmp_path / "data")


def test_codes_with_separators_come_back_from_an_unchanged_workbook(out: Path) -> None:
    before = links(out)
    rows = workbook.dataset_rows(out, Scope.everything(), ["gotland"])
    text = sheets.sheet_rows(rows, "sv")
    shown = {str(r["goals"]) for r in text["activities"] if r.get("goals")}
    assert '"4,1", 4' in shown  # Almedalsveckan's "(1,4)", goal 1 now numbered 4,1
    book = workbook_bytes(rows, "sv")
    ingest([("gotland.xlsx", book)], out)
    assert links(out) == before


def test_saving_another_activity_in_the_browser_keeps_every_link(out: Path) -> None:
    before = links(out)
    base = editing.load(out, "gotland", 2009, "sv")
    assert editing.goal_codes(base[0]["goals"]) == ["4,1", "4"]
    other = next(i for i, r in enumerate(base) if r["goals"] and "4,1" not in str(r["goals"]))
    edited = [
        dict(r, activity_title="Ny titel") if i == other else dict(r) for i, r in enumerate(base)
    ]
    editing.save(out, "gotland", 2009, "sv", base, edited, ADMIN)
    assert links(out) == before


def _activities_book(out: Path, goals: str, column: str = "goals", sheet: str = "activities"):
    rows = workbook.dataset_rows(out, Scope.everything(), ["gotland"])
    text = sheets.sheet_rows(rows, "sv")
    text[sheet][0][column] = goals
    return [("gotland.xlsx", sheets_bytes({sheet: text[sheet]}, "sv"))]


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("3-1", "wb_reversed_range"),
        ("4, 7-6", "wb_reversed_range"),
        ("1-100000000", "wb_unknown_goal"),
        ("4, 99", "wb_unknown_goal"),
        ("4,1", None),
        ('"5;6", 4', None),
        ("Mål 1, 4", None),
        ("1-3", None),  # the code, not a range
    ],
)
def test_goal_notation_is_read_or_refused_in_bounded_time(
    out: Path, written: str, key: str | None
) -> None:
    started = time.monotonic()
    checked = check(_activities_book(out, written), out)
    assert time.monotonic() - started < 10
    keys = [p.key for p in checked.problems]
    assert keys == ([key] if key else []), [p.text("sv") for p in checked.problems]


def test_an_unknown_goal_is_answered_with_every_goal_of_the_strategy(out: Path) -> None:
    checked = check(_activities_book(out, "99"), out)
    (problem,) = checked.problems
    assert problem.text("sv").endswith("dess mål är 4,1, Mål 1, 1-3, 4, 5;6, 6, 7")


def test_a_range_names_only_the_strategys_numbered_goals(out: Path) -> None:
    checked = check(_activities_book(out, "4-7"), out)
    assert not checked.problems
    first = checked.parsed["activities"].rows[0]["activity_id"]
    got = {r["goal_id"] for r in checked.parsed["activity_goals"].rows if r["activity_id"] == first}
    assert got == {"gotland-2009-g4", "gotland-2009-g6", "gotland-2009-g7"}  # 5 is "5;6" now


def test_a_one_goal_column_refuses_a_list(out: Path) -> None:
    for sheet in ("indicators", "assessments"):
        rows = workbook.dataset_rows(out, Scope.everything(), ["gotland"])
        text = sheets.sheet_rows(rows, "sv")
        if not any(r.get("goal") for r in text.get(sheet, [])):
            continue
        row = next(r for r in text[sheet] if r.get("goal"))
        row["goal"] = "4, 6"
        checked = check([("g.xlsx", sheets_bytes({sheet: text[sheet]}, "sv"))], out)
        assert "wb_one_goal" in [p.key for p in checked.problems], sheet


def test_two_goals_with_one_number_are_refused(out: Path) -> None:
    rows = workbook.dataset_rows(out, Scope.everything(), ["gotland"])
    text = sheets.sheet_rows(rows, "sv")
    text["goals"].append(dict(text["goals"][3], id=None, wording="En andra fyra"))
    checked = check([("g.xlsx", sheets_bytes({"goals": text["goals"]}, "sv"))], out)
    assert "wb_duplicate_goal" in [p.key for p in checked.problems]


def test_the_contract_refuses_two_goals_with_one_number_and_a_quote_in_a_code(
    tmp_path: Path,
) -> None:
    import shutil

    src = tmp_path / "src"
    shutil.copytree(SAMPLE_SOURCE, src)
    goals = (src / "goals.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    header, first = goals[0], goals[1]
    cols = header.strip().split(",")
    values = first.rstrip("\n").split(",")
    values[cols.index("goal_id")] += "-copy"
    twin = ",".join(values) + "\n"
    values[cols.index("goal_id")] += "-q"
    values[cols.index("code")] = '"9""x"'
    quoted = ",".join(values) + "\n"
    (src / "goals.csv").write_text("".join([*goals, twin, quoted]), encoding="utf-8")
    keys = {p.key for p in check(src).problems}
    assert {"duplicate_goal_code", "quote_in_code"} <= keys


@pytest.mark.parametrize(("mac", "expected"), [(False, "2020-01-01"), (True, "2024-01-02")])
def test_serial_dates_follow_the_workbooks_date_system(out: Path, mac: bool, expected: str) -> None:
    """A date written as Excel's serial number: 43831 is 1 January 2020 in the 1900 date
    system and 2 January 2024 in the 1904 system of old Mac workbooks."""
    import io
    from datetime import date

    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    rows = workbook.dataset_rows(out, Scope.everything(), ["slagelse"])
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(rows, "sv")))
    if mac:
        book.epoch = CALENDAR_MAC_1904
    sheet = book[sheets.sheet_title("projects", "sv")]
    header = [c.value for c in sheet[1]]
    col = header.index(sheets.header("start_date", "sv")) + 1
    sheet.cell(row=2, column=col, value=43831).number_format = "General"
    buf = io.BytesIO()
    book.save(buf)
    checked = check([("slagelse.xlsx", buf.getvalue())], out)
    assert not checked.problems, [p.text("sv") for p in checked.problems]
    first = checked.parsed["projects"].rows[0]
    assert first["start_date"] == date.fromisoformat(expected)
