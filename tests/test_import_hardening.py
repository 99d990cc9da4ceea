"""What Excel really writes, damaged files and partial sources: stored right or refused."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from dashboard.cli import main
from dashboard.i18n import LANGS
from dashboard.imports.ingest import ImportFailed, check, ingest
from dashboard.model import codes, sheets
from dashboard.model.contract import TABLES
from dashboard.model.problems import report
from dashboard.storage.dataset import read_table
from tests.conftest import MINI_SOURCE, SAMPLE_SOURCE
from tests.helpers import read_rows, snapshot, stored

ROOT = Path(__file__).resolve().parent.parent
ACT_HEADER = (
    "activity_id,org_id,year,title,department,activity_type,network_id,project_id,status,"
    "cost,currency,source"
)


def mini(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(MINI_SOURCE, src)
    return src


def lines(found) -> list[str]:
    return [str(p) for p in found]


# ---------------------------------------------------------------- whole tables


def test_upper_case_file_names_are_found_and_a_partial_source_keeps_the_rest(tmp_path) -> None:
    out = tmp_path / "data"
    ingest(MINI_SOURCE, out)
    part = tmp_path / "part"
    part.mkdir()
    text = (MINI_SOURCE / "activities.csv").read_text("utf-8").replace("Conference", "Konferens")
    (part / "Activities.CSV").write_text(text, encoding="utf-8")
    (part / "activity_goals.csv").write_bytes((MINI_SOURCE / "activity_goals.csv").read_bytes())
    outcome = ingest(part, out)
    actions = {t.table: (t.action, t.before, t.after) for t in outcome.tables}
    assert actions["activities"] == ("replaced", 5, 5)
    assert actions["goals"] == ("kept", 4, 4)
    assert actions["organisations"][0] == "kept"
    assert read_rows(out, "activities")[0]["title"] == "Konferens"
    assert stored(out, "goals").num_rows == 4


def test_a_partial_source_is_checked_against_the_kept_tables(tmp_path) -> None:
    out = tmp_path / "data"
    ingest(MINI_SOURCE, out)
    part = tmp_path / "part"
    part.mkdir()
    (part / "activities.csv").write_text(ACT_HEADER + "\nz-01,zz,2019,X,,,,,,,,fixture\n", "utf-8")
    with pytest.raises(ImportFailed) as info:
        ingest(part, out)
    found = lines(info.value.problems)
    assert "activities.csv:2:org_id: unknown org_id 'zz' (not in organisations)" in found
    # the kept goal links now point at activities that would be gone
    assert any(p.startswith("activity_goals.parquet:") for p in found)


def test_a_header_only_file_empties_its_table_and_says_so(tmp_path) -> None:
    out = tmp_path / "data"
    ingest(MINI_SOURCE, out)
    part = tmp_path / "part"
    part.mkdir()
    (part / "goal_assessments.csv").write_text("org_id,goal_id,year,status,source\n", "utf-8")
    outcome = ingest(part, out)
    assert next(t for t in outcome.tables if t.table == "goal_assessments").action == "emptied"


# ---------------------------------------------------------------- encodings


def _network_file(tmp_path: Path, data: bytes) -> list[str]:
    src = mini(tmp_path)
    (src / "networks.csv").write_bytes(data)
    parsed, problems = check(src).parsed, check(src).problems
    return lines(problems), parsed


NETWORKS = (
    (MINI_SOURCE / "networks.csv")
    .read_text("utf-8")
    .replace("Network One", "Åbo Ärö Øresund Ærø Café")
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le"])
def test_every_encoding_excel_writes_is_read(tmp_path, encoding) -> None:
    text = NETWORKS.replace(",", "\t") if encoding.startswith("utf-16") else NETWORKS
    problems, parsed = _network_file(tmp_path, text.encode(encoding))
    assert problems == []
    assert parsed["networks"].rows[0]["name"] == "Åbo Ärö Øresund Ærø Café"


def test_an_undecidable_encoding_names_the_row_and_byte(tmp_path) -> None:
    rows = NETWORKS.splitlines() + [f"x{i},Net {i},,network,,,,,fixture" for i in range(40)]
    data = ("\n".join(rows[:39]) + "\n").encode("utf-8") + b"y,G\xf6teborg,,network,,,,,f\n"
    problems, _ = _network_file(tmp_path, data)
    offset = data.index(b"\xf6")
    assert problems[:1] == [  # the cause first; the tables that refer to it follow
        "networks.csv:40:-: the encoding cannot be decided: UTF-8 until byte 4 of this line "
        f"(byte {offset} of the file), which is not; save the file again as "
        "'CSV UTF-8'"
    ]


# ---------------------------------------------------------------- numbers, dates, text


@pytest.mark.parametrize(
    ("cost", "decimal", "expected"),
    [
        ("1,500", ";", 1.5),
        ("1.500", ";", 1500.0),
        ("1 500,25", ";", 1500.25),
        ("1,500", ",", 1500.0),  # a comma-separated file is written with decimal points
        ("1.5", ",", 1.5),
    ],
)
def test_numbers_as_text_are_read_by_the_files_language(tmp_path, cost, decimal, expected) -> None:
    src = mini(tmp_path)
    text = (src / "activities.csv").read_text("utf-8")
    if decimal == ";":
        # as Swedish Excel writes it: the other rows' decimals with commas too ("250,5")
        rows = [[c.replace(".", ",") for c in ln.split(",")] for ln in text.splitlines()]
        rows[1][9] = cost
        text = "\n".join(";".join(r) for r in rows) + "\n"
    else:
        text = text.replace("100,SEK", f'"{cost}",SEK', 1)
    (src / "activities.csv").write_text(text, "utf-8")
    checked = check(src)
    assert checked.problems == []
    assert checked.parsed["activities"].rows[0]["cost"] == expected


def _seats(tmp_path: Path, seats: list[tuple[str, str]], sep: str, encoding: str = "utf-8"):
    """The mini fixture with its two seated networks at *seats* (lat, lon as written), the
    networks file written with *sep* between values: the import's check of it."""
    src = mini(tmp_path)
    rows = [ln.split(",") for ln in (src / "networks.csv").read_text("utf-8").splitlines()]
    seated = [r for r in rows[1:] if r[6]]
    for row, (lat, lon) in zip(seated, seats, strict=True):
        row[6], row[7] = lat, lon
    text = "\r\n".join(sep.join(r) for r in rows) + "\r\n"
    (src / "networks.csv").write_bytes(text.encode(encoding))
    return check(src)


def _lon(checked) -> list[object]:
    return [r["lon"] for r in checked.parsed["networks"].rows if r["lat"] is not None]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8"])
def test_a_file_that_does_not_say_its_language_is_read_by_what_its_numbers_show(
    tmp_path, encoding
) -> None:
    """A tab-separated file (Excel's "Unicode text") says nothing of its decimal mark, but
    "59.3293" can only be written with a decimal point: the same file's "-71.208" is then
    -71.208, not refused as possibly -71 208; a Danish file's "55,6761" makes its "12,568"
    twelve degrees and a bit."""
    checked = _seats(tmp_path, [("59.3293", "18.0686"), ("46.8139", "-71.208")], "\t", encoding)
    assert lines(checked.problems) == []
    assert _lon(checked) == [18.0686, -71.208]
    # a Danish export: decimal commas, so "12,568" is twelve and a half degrees and more
    checked = _seats(tmp_path / "da", [("55,6761", "12,568"), ("58,3", "22,5")], "\t", encoding)
    assert lines(checked.problems) == []
    assert _lon(checked) == [12.568, 22.5]


def test_numbers_that_read_two_ways_stay_refused_when_the_file_shows_nothing_or_both(
    tmp_path,
) -> None:
    """Only numbers that read two ways (a tab file of them: nothing shown) or a file
    showing both marks ("1,5" and "2.25"): the ambiguous number is refused as before."""
    checked = _seats(tmp_path, [("58.300", "22.500"), ("46.813", "-71.208")], "\t")
    assert len(lines(checked.problems)) == 4
    assert all("reads as a decimal number" in p for p in lines(checked.problems))
    checked = _seats(tmp_path / "both", [("59,3293", "18.0686"), ("46.813", "-71.208")], "\t")
    assert [p.split(": ")[0] for p in lines(checked.problems)] == [
        "networks.csv:4:lat",
        "networks.csv:4:lon",
    ]


def test_a_semicolon_file_written_with_decimal_points_is_not_read_by_commas(tmp_path) -> None:
    """Excel writes ';' where the decimal mark is ',', but another program (or a person)
    may write ';' and decimal points. Its "57.6409" shows the points: "18.296" beside it is
    refused as ambiguous, never stored as 18 296."""
    checked = _seats(tmp_path, [("57.6409", "18.296"), ("46.8139", "-71.2082")], ";")
    assert lines(checked.problems) == [
        "networks.csv:2:lon: '18.296' reads as a decimal number in one language and as "
        "thousands in another (the file does not say which); write it without a thousands "
        "separator (1500 or 1.5)"
    ]


@pytest.mark.parametrize(
    ("lat", "lon", "problem"),
    [
        (
            "59.3",
            "-71208",
            "networks.csv:2:lon: -71208 is outside -180 to 180; check the decimal mark",
        ),
        (
            "593293",
            "18.0",
            "networks.csv:2:lat: 593293 is outside -90 to 90; check the decimal mark",
        ),
        ("-90", "180", None),
    ],
)
def test_a_latitude_or_longitude_off_the_globe_is_refused(tmp_path, lat, lon, problem) -> None:
    checked = _seats(tmp_path, [(lat, lon), ("58.3", "22.5")], ",")
    assert lines(checked.problems) == ([problem] if problem else [])


def test_an_out_of_range_value_is_named_in_swedish_as_the_file_wrote_it(tmp_path) -> None:
    checked = _seats(tmp_path, [("59,3", "-71208,5"), ("58,3", "22,5")], ";")
    assert [p.line("sv") for p in checked.problems] == [
        "networks.csv:2:lon: -71208,5 ligger utanför -180 till 180; kontrollera decimaltecknet"
    ]


@pytest.mark.parametrize(
    ("cost", "message"),
    [
        ("NaN", "'NaN' is not a number that can be stored"),
        ("inf", "'inf' is not a number that can be stored"),
        ("1e400", "'1e400' is not a number that can be stored"),
        ("#N/A", "the cell holds Excel's error value #N/A; correct the formula or type the value"),
        (
            "#DIV/0!",
            "the cell holds Excel's error value #DIV/0!; correct the formula or type the value",
        ),
    ],
)
def test_non_numbers_are_refused_as_amounts(tmp_path, cost, message) -> None:
    src = mini(tmp_path)
    text = (src / "activities.csv").read_text("utf-8").replace("100,SEK", f"{cost},SEK", 1)
    (src / "activities.csv").write_text(text, "utf-8")
    assert f"activities.csv:2:cost: {message}" in lines(check(src).problems)


@pytest.mark.parametrize(
    ("cost", "number"),
    [("1 000 kr", "1 000"), ("SEK 1 000", "1 000"), ("€ 1.000", "1.000"), ("500:-", "500"),
     ("12 500,00 kr", "12 500,00")],
)  # fmt: skip
def test_an_amount_with_its_currency_is_refused_saying_what_to_write(
    tmp_path, cost, number
) -> None:
    """Refused in a file and in a form alike, with the amount to write (not a hint about
    spacing thousands, which was given for "1 000 kr" before)."""
    from dashboard.imports.checks import CellError, read_typed
    from dashboard.model.problems import Problem

    src = mini(tmp_path)
    text = (src / "activities.csv").read_text("utf-8").replace("100,SEK", f'"{cost}",SEK', 1)
    (src / "activities.csv").write_text(text, "utf-8")
    assert lines(check(src).problems) == [
        f"activities.csv:2:cost: '{cost}': write the amount alone, {number}, and its currency "
        "in the currency column"
    ]
    with pytest.raises(CellError) as typed:
        read_typed(cost, ",")
    shown = Problem.of("-", 0, "Kostnad", typed.value.key, **typed.value.values).text("sv")
    assert shown == f"'{cost}': skriv beloppet utan valuta, {number}, och valutan i valutakolumnen"


def test_control_characters_are_removed_with_a_warning(tmp_path) -> None:
    src = mini(tmp_path)
    text = (src / "activities.csv").read_text("utf-8").replace("Conference", "Con\x00fer\x0bence")
    (src / "activities.csv").write_text(text, "utf-8")
    checked = check(src)
    assert checked.problems == []
    assert checked.parsed["activities"].rows[0]["title"] == "Conference"
    assert [p.key for p in checked.warnings] == ["control_removed"]


@pytest.mark.parametrize(
    "invisible", ["\u200b", "\ufeff", "\u00ad", "\u2060", "\u200e", "\u202e", "\u2066"]
)
def test_invisible_characters_pasted_into_an_id_or_a_text_are_removed_with_a_warning(
    tmp_path, invisible
) -> None:
    """A zero-width space or a direction mark copied from a web page makes "a-01" another
    id than the "a-01" the goal links name (every link then "unknown"), and an override can
    show a title in another order than it is stored."""
    src = mini(tmp_path)
    text = (src / "activities.csv").read_text("utf-8")
    text = text.replace("a-01,", f"a-01{invisible},", 1).replace("Visit", f"Vi{invisible}sit")
    (src / "activities.csv").write_text(text, "utf-8")
    checked = check(src)
    assert checked.problems == []
    rows = checked.parsed["activities"].rows
    assert (rows[0]["activity_id"], rows[2]["title"]) == ("a-01", "Visit")
    assert {p.key for p in checked.warnings} == {"control_removed"}


# ---------------------------------------------------------------- workbooks


def _workbook_of_mini(edit=None) -> Workbook:
    import csv

    wb = Workbook()
    wb.remove(wb.active)
    for f in sorted(MINI_SOURCE.glob("*.csv")):
        ws = wb.create_sheet(f.stem)
        with f.open(encoding="utf-8") as fh:
            for row in csv.reader(fh):
                ws.append([c if c != "" else None for c in row])
                for cell in ws[ws.max_row]:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        cell.data_type = "s"
    if edit:
        edit(wb)
    return wb


def _problems_of_book(tmp_path: Path, wb: Workbook) -> list[str]:
    path = tmp_path / "book.xlsx"
    wb.save(path)
    return lines(check(path).problems)


def test_workbook_artefacts_are_refused_with_a_hint(tmp_path) -> None:
    def edit(wb: Workbook) -> None:
        acts = wb["activities"]
        acts["J2"] = "=SUM(1,2)"  # a formula openpyxl writes without a saved value
        acts["J4"] = "1,500"  # a number as text in a workbook that does not say its language
        goals = wb["goals"]
        goals["C2"] = date(2026, 2, 1)  # the goal code 1.2 Excel turned into a date
        projects = wb["projects"]
        projects["H2"] = 2009  # a year typed into a date column

    found = _problems_of_book(tmp_path, _workbook_of_mini(edit))
    book = "book.xlsx"
    assert (
        f"{book}[activities]:2:cost: a formula (=SUM(1,2)) that was never calculated; "
        "open the file in Excel and save it, or type the value" in found
    )
    assert any(
        p.startswith(f"{book}[activities]:4:cost: '1,500' reads as a decimal") for p in found
    )
    assert any(
        p.startswith(f"{book}[goals]:2:code: Excel turned this into a date (2026-02-01)")
        for p in found
    )
    assert (
        f"{book}[projects]:2:start_date: 2009 is a year, not a date; "
        "write the date as 2009-01-01 (YYYY-MM-DD)" in found
    )


def test_a_percentage_in_a_workbook_is_refused_with_what_the_cell_shows(tmp_path) -> None:
    """Typing "40 %" in Excel stores 0.4 drawn with a percent format; an indicator in
    percent holds 40, so the cell is refused naming what it shows (stored as 0.4 before,
    a hundredth of what was meant). A percent sign that is a literal of the format
    ("0 %" quoted, "0\\%") shows the number itself and is read as it is."""

    def edit(wb: Workbook) -> None:
        values = wb["indicator_values"]
        values["C4"], values["C4"].number_format = 0.4, "0%"  # ib 2019's target
        values["D4"], values["D4"].number_format = 0.125, "0.0%"  # and its actual
        values["C5"], values["C5"].number_format = 40, '0" %"'  # a literal: 40
        values["C3"], values["C3"].number_format = 4, "0\\%"  # escaped: 4
        acts = wb["activities"]
        acts["J2"], acts["J2"].number_format = 1, "0%"  # a cost
        acts["C3"], acts["C3"].number_format = 2019, "0%"  # a year
        acts["D4"], acts["D4"].number_format = 0.4, "0%"  # a title: the text it shows

    path = tmp_path / "book.xlsx"
    _workbook_of_mini(edit).save(path)
    checked = check(path)
    book = "book.xlsx"
    assert lines(checked.problems) == [
        f"{book}[activities]:2:cost: the cell shows 100 % but holds 1: write 100 in a cell "
        "without the percent format (a percentage is its number of percent)",
        f"{book}[activities]:3:year: the cell shows 201,900 % but holds 2019: write 201,900 in "
        "a cell without the percent format (a percentage is its number of percent)",
        f"{book}[indicator_values]:4:target: the cell shows 40 % but holds 0.4: write 40 in "
        "a cell without the percent format (a percentage is its number of percent)",
        f"{book}[indicator_values]:4:actual: the cell shows 12.5 % but holds 0.125: write "
        "12.5 in a cell without the percent format (a percentage is its number of percent)",
    ]


def test_a_percent_sign_is_refused_in_a_file_a_workbook_in_swedish_and_a_form(tmp_path) -> None:
    """The same rule on every read of a number: a CSV file's "40 %", the coordinator's
    workbook in Swedish (a percent-formatted cell, as Excel stores a typed "40 %"), and the
    evaluation form's field (the one reader of typed numbers)."""
    from dashboard.imports.checks import CellError, read_typed
    from dashboard.model.problems import Problem

    src = mini(tmp_path)
    text = (src / "indicator_values.csv").read_text("utf-8").replace("ib,2020,40,", "ib,2020,40 %,")
    (src / "indicator_values.csv").write_text(text, "utf-8")
    assert lines(check(src).problems) == [
        "indicator_values.csv:5:target: '40 %': write the number without the percent sign, "
        "40 (a percentage is its number of percent)"
    ]
    data = tmp_path / "data"
    ingest(SAMPLE_SOURCE, data)
    book = tmp_path / "gavle.xlsx"
    assert (
        main(["export", "--data", str(data), "--org", "gavle", "--lang", "sv", "--out", str(book)])
        == 0
    )
    wb = load_workbook(book)
    ws = wb["Indikatorvärden"]
    row = next(r for r in ws.iter_rows(min_row=2) if "utan internationell" in str(r[1].value))
    row[4].value, row[4].number_format = 0.42, "0%"  # Utfall, typed as "42 %"
    wb.save(book)
    before = snapshot(data)
    with pytest.raises(ImportFailed) as failed:
        ingest(book, data)
    assert [(p.file, p.row, p.column, p.text("sv")) for p in failed.value.problems] == [
        (
            "gavle.xlsx[Indikatorvärden]",
            row[4].row,
            "Utfall",
            "cellen visar 42 % men innehåller 0,42: skriv 42 i en cell utan procentformat "
            "(en andel anges i antal procent)",
        )
    ]
    assert snapshot(data) == before  # nothing written
    with pytest.raises(CellError) as typed:
        read_typed("12,5 %", ",")
    shown = Problem.of("-", 0, "Utfall", typed.value.key, **typed.value.values).text("sv")
    assert (
        shown == "'12,5 %': skriv talet utan procenttecken, 12,5 (en andel anges i antal procent)"
    )


def test_merged_cells_down_one_column_are_filled_and_across_refused(tmp_path) -> None:
    def edit(wb: Workbook) -> None:
        acts = wb["activities"]
        acts["K3"] = None
        acts.merge_cells("K2:K3")  # currency SEK for two rows
        acts.merge_cells("D5:E5")  # title over department

    path = tmp_path / "book.xlsx"
    _workbook_of_mini(edit).save(path)
    checked = check(path)
    assert [p.key for p in checked.warnings] == ["merged_filled"]
    assert lines(checked.problems) == [
        "book.xlsx[activities]:5:D: cells D5:E5 are merged across columns; unmerge them "
        "(Home > Merge & Center) and fill in each cell"
    ]


def _zip_with(tmp_path: Path, member: str, payload: bytes, name: str = "bad.xlsx") -> Path:
    good = tmp_path / "good.xlsx"
    _workbook_of_mini().save(good)
    bad = tmp_path / name
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            zout.writestr(item, payload if item.filename == member else data)
    return bad


def test_damaged_workbooks_never_crash(tmp_path) -> None:
    sheet = "xl/worksheets/sheet1.xml"
    good = tmp_path / "good.xlsx"
    _workbook_of_mini().save(good)
    xml = zipfile.ZipFile(good).read(sheet)
    cut = _zip_with(tmp_path, sheet, xml[: len(xml) // 2], "cut.xlsx")
    bomb = _zip_with(
        tmp_path,
        sheet,
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
        + (xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml),
        "bomb.xlsx",
    )
    renamed = tmp_path / "renamed.xlsx"
    renamed.write_bytes(b"PK\x03\x04 this is no zip")
    for path, expected in ((cut, "bad_sheet"), (bomb, "xml_forbidden"), (renamed, "not_xlsx")):
        keys = [p.key for p in check(path).problems]
        assert keys and keys[0].startswith(expected), (path.name, keys)
        assert main(["ingest", str(path), "--out", str(tmp_path / "never")]) == 1
    assert not (tmp_path / "never").exists()


def test_an_out_that_is_a_symbolic_link_is_refused_before_anything_is_written(
    tmp_path, capsys
) -> None:
    real = tmp_path / "real"
    ingest(MINI_SOURCE, real)
    before = snapshot(real)
    link = tmp_path / "link"
    link.symlink_to(real)
    assert main(["ingest", str(SAMPLE_SOURCE), "--out", str(link)]) == 1
    assert "symbolic link" in capsys.readouterr().err
    assert snapshot(real) == before
    assert link.is_symlink()


def test_a_killed_imports_staging_folder_is_removed_by_the_next(tmp_path) -> None:
    out = tmp_path / "data"
    stale = out / ".staging-killed"
    stale.mkdir(parents=True)
    (stale / "activities.parquet").write_bytes(b"half")
    ingest(MINI_SOURCE, out)
    assert not stale.exists()
    assert len(read_rows(out, "activities")) == 5  # the half file was not applied


# ---------------------------------------------------------------- the cause first


def test_one_cause_of_many_problems_is_reported_first_and_grouped(tmp_path) -> None:
    src = mini(tmp_path)
    links = ["activity_id,goal_id"] + [f"a-0{i},gone" for i in (1, 3, 4)]
    (src / "activity_goals.csv").write_text("\n".join(links) + "\n", "utf-8")
    text = (src / "goals.csv").read_text("utf-8").replace(",goal,", ",gaol,", 1)
    (src / "goals.csv").write_text(text, "utf-8")
    printed = report(check(src).problems, "en")
    assert printed[0].startswith("goals.csv:2:kind: 'gaol' is not allowed")
    assert printed[1] == (
        "activity_goals.csv:2:goal_id: unknown goal_id 'gone' (not in goals) … and 2 more rows "
        "with the same problem (rows 3, 4)"
    )
    assert len(report(check(src).problems, "en", limit=1)) == 2  # capped, with a last line


@pytest.mark.parametrize(
    ("row", "said"),
    [  # a separator too many (an unquoted "Visit, Visby"), a quote left open, one inside
        (
            "a-03,a,2020,Visit, Visby,Office,visit,n1,pa1,done,250.5,SEK,fixture",
            "4:M: ett värde i en kolumn utan rubrik skulle gå förlorat",
        ),
        (
            'a-03,a,2020,"Visit,Office,visit,n1,pa1,done,250.5,SEK,fixture',
            '4:-: ett värde här börjar med ett citattecken (") som aldrig avslutas',
        ),
        (
            'a-03,a,2020,"Visit" Visby,Office,visit,n1,pa1,done,250.5,SEK,fixture',
            "4:-: ett citattecken inne i ett värde",
        ),
        (  # a value of more than a million characters: no title is, a file run together is
            "a-03,a,2020," + "x" * 1_000_001 + ",Office,visit,n1,pa1,done,250.5,SEK,fixture",
            "4:-: ett värde längre än 1\xa0000\xa0000 tecken",
        ),
    ],
    ids=["separator-too-many", "quote-left-open", "quote-inside", "field-too-large"],
)
def test_a_csv_row_that_does_not_fit_its_header_is_named_first_and_nothing_is_written(
    tmp_path, capsys, row, said
) -> None:
    """A value under no heading would be dropped, and a file the quotes break is not read
    at all: both are refused at the row (as Excel numbers it), in the reader's language,
    before the unknown activities the other tables then name."""
    src = mini(tmp_path)
    rows = (src / "activities.csv").read_text("utf-8").splitlines()
    rows[3] = row
    (src / "activities.csv").write_text("\n".join(rows) + "\n", "utf-8")
    out = tmp_path / "d"
    assert main(["ingest", str(src), "--out", str(out), "--lang", "sv"]) == 1
    first = capsys.readouterr().err.splitlines()[0]
    assert first.startswith(f"activities.csv:{said}"), first
    assert not out.exists()


def test_a_note_beside_a_sheets_table_is_refused_not_dropped(tmp_path) -> None:
    def edit(wb: Workbook) -> None:
        wb["activities"]["N3"] = "kolla med Eva"  # two columns right of the last heading

    found = _problems_of_book(tmp_path, _workbook_of_mini(edit))
    assert found == [
        "book.xlsx[activities]:3:N: a value in a column without a heading would be lost: give "
        "the column its heading, or empty the cell (a comma in a CSV value needs quotation "
        "marks)"
    ]


def test_messages_follow_the_chosen_language(tmp_path, capsys) -> None:
    src = mini(tmp_path)
    text = (src / "activities.csv").read_text("utf-8").replace("100,SEK", "-1250000,SEK", 1)
    (src / "activities.csv").write_text(text, "utf-8")
    assert main(["ingest", str(src), "--out", str(tmp_path / "d"), "--lang", "sv"]) == 1
    err = capsys.readouterr().err
    assert "activities.csv:2:cost: beloppet -1 250 000 är negativt" in err.replace("\xa0", " ")
    assert "1 problem; inget skrevs." in err


# ---------------------------------------------------------------- the coordinator's workbook


def _tables(folder: Path) -> dict[str, object]:
    return {t.name: read_table(folder, t) for t in TABLES}


def test_the_sample_workbook_imports_as_the_sample(tmp_path) -> None:
    ingest(SAMPLE_SOURCE, tmp_path / "csv")
    ingest(ROOT / "sample" / "malbild_sample_sv.xlsx", tmp_path / "book")
    a, b = _tables(tmp_path / "csv"), _tables(tmp_path / "book")
    for name in a:
        assert a[name].equals(b[name]), name


@pytest.mark.parametrize("lang", LANGS)
def test_export_and_reimport_changes_nothing_and_keeps_ids(tmp_path, lang) -> None:
    ingest(SAMPLE_SOURCE, tmp_path / "data")
    book = tmp_path / "book.xlsx"
    assert (
        main(["export", "--data", str(tmp_path / "data"), "--out", str(book), "--lang", lang]) == 0
    )
    before = _tables(tmp_path / "data")
    ingest(book, tmp_path / "data")
    assert all(before[n].equals(t) for n, t in _tables(tmp_path / "data").items())
    wb = load_workbook(book)
    ws = wb[sheets.sheet_title("activities", lang)]
    assert ws.column_dimensions["A"].hidden and ws["A1"].value == "id"
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "gotland-2009-01")
    ws.cell(row, 4).value = "Almedalsveckans invigning 2009 (ny titel)"
    wb.save(book)
    ingest(book, tmp_path / "data")
    acts = {
        r["activity_id"]: r["title"] for r in read_table(tmp_path / "data", TABLES[6]).to_pylist()
    }
    assert acts["gotland-2009-01"] == "Almedalsveckans invigning 2009 (ny titel)"


@pytest.mark.parametrize(("source", "lang"), [(SAMPLE_SOURCE, "da"), (MINI_SOURCE, "en")])
def test_the_contracts_own_export_holds_the_ids_and_imports_back_as_the_same_rows(
    tmp_path, source, lang
) -> None:
    """`export --contract`: the 12 tables with their ids (for another system or an audit),
    which the import reads back unchanged, a title beginning with "=" included (the mini's
    "=cmd formula", a text cell: neither a formula nor given an apostrophe)."""
    ingest(source, tmp_path / "data")
    book = tmp_path / "tables.xlsx"
    args = ["export", "--contract", "--data", str(tmp_path / "data"), "--out", str(book)]
    assert main([*args, "--lang", lang]) == 0
    ingest(book, tmp_path / "again")
    before, after = _tables(tmp_path / "data"), _tables(tmp_path / "again")
    assert all(before[n].equals(after[n]) for n in before), [
        n for n in before if not before[n].equals(after[n])
    ]
    assert sum(t.num_rows for t in after.values()) > 0
    wb = load_workbook(book)
    acts = wb[codes.table_label("activities", lang)[:31]]
    assert acts["A1"].value == codes.column_label("activity_id", lang)
    cells = [c for row in acts.iter_rows(min_row=2) for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert main([*args, "--org", "nosuch"]) == 2  # a typing slip is said, not exported empty


def _coordinator(tmp_path: Path, activities: list[list[object]], lang: str = "sv") -> Path:
    """A coordinator's workbook for a made-up three-goal municipality, filled in by hand."""
    wb = Workbook()
    wb.remove(wb.active)

    def sheet(key: str, cols: list[str], rows: list[list[object]]) -> None:
        ws = wb.create_sheet(sheets.sheet_title(key, lang))
        ws.append([sheets.header(c, lang) for c in cols])
        for r in rows:
            ws.append(r)

    sheet(
        "organisation",
        ["name", "org_kind", "country", "source"],
        [["Exempelby kommun", "kommun", "SE", "illustrative"]],
    )
    sheet(
        "strategies",
        ["strategy_title", "valid_from", "source"],
        [["Internationell strategi 2024", date(2024, 1, 1), "illustrative"]],
    )
    sheet(
        "goals",
        ["number", "wording", "goal_kind"],
        [
            ["1", "Stärka näringslivet", "mål"],
            ["2", "Lära av andra", "Mål"],
            ["3", "Unga möts", "MÅL"],
        ],
    )
    sheet(
        "networks",
        ["name", "acronym", "network_kind", "source"],
        [["Baltic Islands Network", "B7", "nätverk", "illustrative"]],
    )
    sheet(
        "activities",
        [
            "year",
            "activity_title",
            "network",
            "activity_status",
            "cost",
            "currency",
            "goals",
            "source",
        ],
        activities,
    )
    path = tmp_path / "exempelby.xlsx"
    wb.save(path)
    return path


def test_a_coordinator_fills_in_names_goal_numbers_and_swedish_words(tmp_path) -> None:
    book = _coordinator(
        tmp_path,
        [
            [2024, "Studiebesök i Visby", "B7", "genomförd", 1500, "kr", "1,3", "illustrative"],
            [
                2024,
                "Internationella dagen",
                None,
                "Planerad",
                None,
                None,
                "samtliga",
                "illustrative",
            ],
            [2024, "Regionalt nätverk", "b7", "pågår", None, None, "1, 2 3", "illustrative"],
        ],
    )
    out = tmp_path / "data"
    outcome = ingest(book, out)
    assert outcome.counts["activities"] == 3
    acts = {r["title"]: r for r in read_table(out, TABLES[6]).to_pylist()}
    visit = acts["Studiebesök i Visby"]
    assert visit["activity_id"] == "exempelby-kommun-2024-studiebesok-i-visby"
    assert (visit["status"], visit["currency"], visit["network_id"]) == ("done", "SEK", "b7")
    links = read_table(out, TABLES[7]).to_pylist()
    served = {}
    for r in links:
        served.setdefault(r["activity_id"], set()).add(r["goal_id"].rsplit("-g", 1)[1])
    assert served[visit["activity_id"]] == {"1", "3"}
    assert served[acts["Internationella dagen"]["activity_id"]] == {"1", "2", "3"}
    assert served[acts["Regionalt nätverk"]["activity_id"]] == {"1", "2", "3"}
    # the same file again: the same ids, nothing changes
    before = _tables(out)
    ingest(book, out)
    assert all(before[n].equals(t) for n, t in _tables(out).items())


def test_names_and_goal_numbers_that_match_nothing_say_the_closest(tmp_path) -> None:
    book = _coordinator(
        tmp_path,
        [
            [2024, "Besök", "B8", "genomförd", None, None, "1,4", "illustrative"],
            [2024, "Möte", None, "beviljat", None, None, 1.4, "illustrative"],
        ],
    )
    found = [p.text("sv") for p in check(book).problems]
    assert "'B8' matchar inget; närmast: B7" in found
    assert "mål 4 finns inte i Internationell strategi 2024; dess mål är 1, 2, 3" in found
    assert any(f.startswith("'beviljat' är inte tillåtet; använd något av Planerad") for f in found)
    assert any(f.startswith("Excel har sparat målen som talet 1.4") for f in found)


def test_a_coordinators_workbook_replaces_only_its_own_organisation(tmp_path) -> None:
    out = tmp_path / "data"
    ingest(SAMPLE_SOURCE, out)
    book = _coordinator(
        tmp_path, [[2024, "Studiebesök", "B7", "genomförd", None, None, "1", "illustrative"]]
    )
    ingest(book, out)
    orgs = {r["org_id"] for r in read_table(out, TABLES[0]).to_pylist()}
    assert orgs == {"gotland", "gavle", "vkl", "alvsbyn", "slagelse", "exempelby-kommun"}
    assert read_table(out, TABLES[6]).num_rows == 99  # 98 of the sample, 1 new


def test_every_code_word_reads_back_as_its_code() -> None:
    for domain, values in codes.DOMAINS.items():
        for code in values:
            for lang in LANGS:
                assert codes.resolve(domain, codes.label(domain, code, lang).upper()) == code
    assert codes.currency("kr", "DK") == "DKK" and codes.currency("kr", "SE") == "SEK"
    # ISO 4217, withdrawn codes included (an amount of 1998 in marks), written in any case
    assert [codes.currency(c, "SE") for c in ("nok", "DEM", "Fim", "€")] == [
        "NOK", "DEM", "FIM", "EUR"
    ]  # fmt: skip
    assert [codes.currency(c, "SE") for c in ("SKE", "ABC", "XAU", "XXX", "kronen")] == [None] * 5


def test_the_template_lists_words_notes_and_drop_downs_in_the_language(tmp_path) -> None:
    path = tmp_path / "mall.xlsx"
    assert main(["template", "--out", str(path), "--lang", "sv"]) == 0
    wb = load_workbook(path)
    ws = wb["Aktiviteter"]
    assert ws["C1"].value == "År" and ws["C1"].comment is not None
    assert ws["A1"].value == "id" and ws["A2"].value is None  # no ids: they are derived
    assert ws["B2"].value == "Gotlands kommun"  # example rows from the action plan
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert any("_lists" in f for f in lists)
    assert "Genomförd" in [c.value for c in wb["_lists"]["F"]]
    assert wb["Mål"]["D1"].value == "Nummer" and wb["Mål"]["D2"].number_format == "@"
    checked = check(path)  # the examples, unchanged, are refused: they are not yours
    assert checked.kind == "coordinator" and checked.problems
    assert {p.key for p in checked.problems} == {"template_example"}


def test_a_project_or_indicator_name_that_matches_nothing_says_the_closest(tmp_path) -> None:
    """The closest name is that organisation's own (the names are gathered only for a row
    whose name was not found: gathered for every row, they made a save at 10M seconds
    slower)."""
    wb = load_workbook(ROOT / "sample" / "malbild_sample_sv.xlsx")
    acts, values = wb["Aktiviteter"], wb["Indikatorvärden"]
    row = next(
        r for r in acts.iter_rows(min_row=2) if r[7].value and r[0].value.startswith("alvsbyn")
    )
    row[7].value = "Kommunalt partnerskap för lokal demokrat"
    values.cell(row=2, column=2).value = "Internationella besök och kontakt"
    book = tmp_path / "slips.xlsx"
    wb.save(book)
    found = [p.text("sv") for p in check(book).problems]
    assert (
        "'Kommunalt partnerskap för lokal demokrat' matchar inget; närmast: "
        "Kommunalt partnerskap för lokal demokrati"
    ) in found, found
    assert (
        "'Internationella besök och kontakt' matchar inget; närmast: "
        "Internationella besök och kontakter"
    ) in found, found


def test_a_true_or_false_cell_is_refused_as_excel_writes_it_in_every_kind_of_column(
    tmp_path,
) -> None:
    """A ticked box or a comparison (=B2>0) leaves TRUE or FALSE in a cell; no column stores
    one, and the message names it as the reader's Excel does (SANT, FALSK), not as Python
    does ("väntade ett tal, fick 'True'" before)."""

    def edit(wb: Workbook) -> None:
        acts = wb["activities"]
        acts["J2"] = True  # a cost
        acts["C3"] = False  # a year
        acts["D4"] = True  # a title
        wb["projects"]["H2"] = False  # a start date

    path = tmp_path / "book.xlsx"
    _workbook_of_mini(edit).save(path)
    found = check(path).problems
    assert sorted((p.file, p.row, p.column, p.text("sv")) for p in found) == [
        ("book.xlsx[activities]", 2, "cost", "cellen innehåller sanningsvärdet SANT (en "
         "kryssruta eller en jämförelse), inte ett värde som kolumnen kan lagra"),
        ("book.xlsx[activities]", 3, "year", "cellen innehåller sanningsvärdet FALSKT (en "
         "kryssruta eller en jämförelse), inte ett värde som kolumnen kan lagra"),
        ("book.xlsx[activities]", 4, "title", "cellen innehåller sanningsvärdet SANT (en "
         "kryssruta eller en jämförelse), inte ett värde som kolumnen kan lagra"),
        ("book.xlsx[projects]", 2, "start_date", "cellen innehåller sanningsvärdet FALSKT "
         "(en kryssruta eller en jämförelse), inte ett värde som kolumnen kan lagra"),
    ]  # fmt: skip
    by_column = {p.column: p for p in found}
    assert "sandhedsværdien SAND (" in by_column["cost"].text("da")
    assert "truth value FALSE (" in by_column["year"].text("en")


@pytest.mark.parametrize("written", ["2009,0", "2.009", " 2009 "])
def test_a_year_written_as_text_replaces_that_year_as_the_checks_read_it(
    tmp_path, fresh_sample, written: str
) -> None:
    """A coordinator's workbook speaks for the years its rows are stored under: a year
    written "2009,0" or "2.009" (2009 to the checks in a Swedish workbook) replaces 2009's
    rows. The years it spoke for were read by a reader of their own (`int(float(...))`)
    and the rows were added beside the live ones: 16 activities became 32. The row's id
    and the strategy its goal numbers are read in come from the same reading."""
    import io

    from dashboard.imports import uploads
    from dashboard.model.access import Scope

    out = fresh_sample(tmp_path / "data")

    def year_2009() -> dict[str, set[str]]:
        acts = [r for r in read_rows(out, "activities") if r["org_id"] == "gotland"]
        ids = {r["activity_id"] for r in acts if r["year"] == 2009}
        links = {
            f"{r['activity_id']}>{r['goal_id']}"
            for r in read_rows(out, "activity_goals")
            if r["activity_id"] in ids
        }
        return {"titles": {r["title"] for r in acts if r["year"] == 2009}, "links": links}

    before = year_2009()
    book_bytes = uploads.coordinator_workbook(out, Scope.only(["gotland"]), ("gotland",), "sv")
    wb = load_workbook(io.BytesIO(book_bytes))
    acts = wb["Aktiviteter"]
    year_col = [c.value for c in acts[1]].index("År")
    changed = 0
    for row in acts.iter_rows(min_row=2):
        if row[year_col].value == 2009:
            row[0].value = None  # no id: rows as a coordinator types them
            row[year_col].value = written
            row[year_col].number_format = "@"
            changed += 1
    assert changed == 16
    book = tmp_path / "gotland.xlsx"
    wb.save(book)
    ingest(book, out, orgs=("gotland",))
    after = year_2009()
    assert after["titles"] == before["titles"] and len(after["titles"]) == 16
    assert all(
        i.startswith("gotland-2009-") for i in (link.split(">")[0] for link in after["links"])
    )
    assert len(after["links"]) == len(before["links"])  # goal numbers read in 2009's strategy
