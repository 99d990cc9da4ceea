"""The import: what Excel writes is accepted, every problem is named, nothing half-written."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest

from dashboard.cli import main
from dashboard.imports.ingest import ImportFailed, check_source, ingest
from dashboard.model.contract import TABLES
from dashboard.storage import dataset
from tests.conftest import MINI_SOURCE, ROOT
from tests.helpers import read_rows, snapshot, stored


def copy_mini(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(MINI_SOURCE, src)
    return src


def replace(src: Path, table: str, old: str, new: str) -> None:
    path = src / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {table}.csv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def listing(folder: Path) -> list[str]:
    """What a folder holds, and what its dataset folder holds but for the lake's catalog,
    data, lock and log (staged files would show here)."""
    found = sorted(p.name for p in folder.iterdir())
    data = folder / "data"
    lake = {"catalog.sqlite", "catalog.sqlite-wal", "catalog.sqlite-shm", "files", ".lock"}
    if data.is_dir():
        found += sorted(f"data/{p.name}" for p in data.iterdir() if p.name not in lake)
    return found


def problems_of(src: Path) -> list[str]:
    _, problems = check_source(src)
    return [str(p) for p in problems]


def test_mini_imports_with_derived_columns(tmp_path: Path) -> None:
    counts = ingest(MINI_SOURCE, tmp_path / "data")
    assert counts["activities"] == 5 and counts["activity_goals"] == 5
    links = read_rows(tmp_path / "data", "activity_goals")
    assert links[0] == {
        "activity_id": "a-01",
        "goal_id": "a1",
        "org_id": "a",
        "year": 2019,
        "source": None,
    }
    goals = stored(tmp_path / "data", "goals").column("org_id").to_pylist()
    assert goals == ["a", "a", "a", "b"]
    assert dataset.read_manifest(tmp_path / "data")["rows"]["goals"] == 4


def test_swedish_excel_csv_semicolons_decimal_comma_bom_excel_dates(tmp_path: Path) -> None:
    src = copy_mini(tmp_path)
    (src / "activities.csv").write_bytes(
        (
            "\ufeffactivity_id;org_id;year;title;department;activity_type;network_id;project_id;"
            "status;cost;currency;source\r\n"
            "a-01;a;2019;Konferens, Visby;;meeting;n1;;done;1 250,50;SEK;fixture\r\n"
            "a-02;a;2019;Möte;;;;;done;1.000.000,25;SEK;fixture\r\n"
            "a-03;a;2020;Besök;;;;;done;7;SEK;fixture\r\n"
            "a-04;a;2020;Inget;;;;;;;;fixture\r\n"
            "b-01;b;2020;Møde;;;;;;;;fixture\r\n"
        ).encode()
    )
    # dates as Excel writes them when the cell is formatted as a number: 43466 = 2019-01-01
    replace(src, "projects", "2019-01-01", "43466")
    out = tmp_path / "data"
    ingest(src, out)
    acts = pa.Table.from_pylist(read_rows(out, "activities")).to_pydict()
    assert acts["cost"][:3] == [1250.5, 1000000.25, 7.0]
    assert acts["title"][0] == "Konferens, Visby"
    assert stored(out, "projects").column("start_date")[0].as_py() == date(2019, 1, 1)


def test_xlsx_workbook_imports(tmp_path: Path) -> None:
    import csv

    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    wb.create_sheet("_notes").append(["ignored"])
    for f in sorted(MINI_SOURCE.glob("*.csv")):
        ws = wb.create_sheet(f.stem)
        with f.open(encoding="utf-8") as fh:
            for i, row in enumerate(csv.reader(fh)):
                cells: list[object] = list(row)
                if i and f.stem == "projects" and row[7]:
                    cells[7] = date.fromisoformat(row[7])  # a real date cell
                if i and f.stem == "activities":
                    cells[2] = int(row[2])  # a number cell
                ws.append([c if c != "" else None for c in cells])
                for cell in ws[ws.max_row]:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        cell.data_type = "s"  # text that looks like a formula stays text
    path = tmp_path / "dataset.xlsx"
    wb.save(path)
    counts = ingest(path, tmp_path / "data")
    assert counts["projects"] == 2 and counts["activities"] == 5


BAD_CASES = [
    # (table, old text, new text, expected problem)
    (
        "activities",
        "a-01,a,2019,",
        "a-01,a,20x9,",
        "activities.csv:2:year: expected a whole number, got '20x9'",
    ),
    (
        "activities",
        "a-01,a,2019,",
        "a-01,a,1850,",
        "activities.csv:2:year: year 1850 is outside 1950-2100",
    ),
    ("activities", "100,SEK", "-100,SEK", "activities.csv:2:cost: amount -100 is negative"),
    ("activities", "100,SEK", "1oo,SEK", "activities.csv:2:cost: expected a number, got '1oo'"),
    ("activities", "100,SEK", "100,", "activities.csv:2:currency: an amount needs its currency"),
    (
        "activities",
        "100,SEK",
        "100,kronen",
        "activities.csv:2:currency: 'kronen' is not an ISO 4217 code (EUR, SEK)",
    ),
    (  # three letters that are no currency: a typing slip is refused, not kept as one
        "activities",
        "100,SEK",
        "100,SKE",
        "activities.csv:2:currency: 'SKE' is not an ISO 4217 code (EUR, SEK)",
    ),
    (  # ISO 4217's "no currency" names no money an amount can be in
        "activities",
        "100,SEK",
        "100,XXX",
        "activities.csv:2:currency: 'XXX' is not an ISO 4217 code (EUR, SEK)",
    ),
    (
        "activities",
        "done,100",
        "finished,100",
        "activities.csv:2:status: 'finished' is not allowed; use one of Planned, Ongoing, Done, "
        "Cancelled",
    ),
    ("activities", "Conference", "", "activities.csv:2:title: required value is empty"),
    (
        "activities",
        "a-02,a,2019",
        "a-01,a,2019",
        "activities.csv:3:activity_id: duplicate key (a-01); first on row 2",
    ),
    (
        "activities",
        ",n1,,done,100",
        ",n9,,done,100",
        "activities.csv:2:network_id: unknown network_id 'n9' (not in networks)",
    ),
    (
        "activity_goals",
        "a-02,a1",
        "a-02,b1",
        "activity_goals.csv:4:goal_id: goal 'b1' belongs to 'b', not to 'a'",
    ),
    (
        "activity_goals",
        "a-02,a1",
        "a-99,a1",
        "activity_goals.csv:4:activity_id: unknown activity_id 'a-99' (not in activities)",
    ),
    (
        "projects",
        "1000,600,400",
        "1000,1600,400",
        "projects.csv:2:eu_funding: EU funding 1600 exceeds total budget 1000",
    ),
    (
        "projects",
        "1000,600,400",
        "1000,600,4000",
        "projects.csv:2:own_funding: own funding 4000 exceeds total budget 1000",
    ),
    (
        "projects",
        "2019-01-01,2020-12-31",
        "2019-01-01,2018-12-31",
        "projects.csv:2:end_date: 2018-12-31 is before start_date 2019-01-01",
    ),
    (
        "projects",
        "2019-01-01,2020-12-31",
        "3/4/2019,2020-12-31",
        "projects.csv:2:start_date: '3/4/2019' can be read day first or month first; "
        "write the date as YYYY-MM-DD",
    ),
    (
        "memberships",
        "a,n1,2019,2020",
        "a,n1,2019,2018",
        "memberships.csv:2:until_year: 2018 is before since_year 2019",
    ),
    (
        "goals",
        "a3,a-s,3,Kulturutbyte,goal,a1",
        "a3,a-s,3,Kulturutbyte,goal,b1",
        "goals.csv:4:parent_goal_id: parent goal 'b1' belongs to another strategy",
    ),
    (
        "goals",
        "a1,a-s,1,Stärka mötesplatsen,goal,",
        "a1,a-s,1,Stärka mötesplatsen,goal,a3",
        "goals.csv:2:parent_goal_id: 'a1' is its own ancestor",
    ),
    (
        "networks",
        "n1,Network One,N1,network,,",
        "n1,Network One,N1,network,n1x,",
        "networks.csv:2:parent_network_id: 'n1' is its own ancestor",
    ),
    (
        "organisations",
        "org_id,name",
        "org_id,nmae",
        "organisations.csv:1:name: required column is missing",
    ),
    (
        "organisations",
        "org_id,name",
        "org_id,name,colour",
        "organisations.csv:1:colour: unknown column; organisations has org_id, name, kind, "
        "country, lat, lon, source",
    ),
    (
        "indicators",
        "ia,a,a1",
        "ia,b,a1",
        "indicators.csv:2:goal_id: goal 'a1' belongs to 'a', not to 'b'",
    ),
    (
        "goal_assessments",
        "achieved",
        "great",
        "goal_assessments.csv:2:status: 'great' is not allowed; use one of Achieved, On track, "
        "At risk, Off track, Not assessed",
    ),
]


@pytest.mark.parametrize(("table", "old", "new", "expected"), BAD_CASES)
def test_each_problem_is_named(tmp_path, table, old, new, expected) -> None:
    src = copy_mini(tmp_path)
    replace(src, table, old, new)
    assert expected in problems_of(src)


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    src = copy_mini(tmp_path)
    for table, old, new, _ in BAD_CASES[:6]:
        if table == "activities" and old in (src / "activities.csv").read_text():
            replace(src, table, old, new)
    replace(src, "projects", "1000,600,400", "1000,1600,400")
    found = problems_of(src)
    assert "activities.csv:2:year: expected a whole number, got '20x9'" in found
    assert "projects.csv:2:eu_funding: EU funding 1600 exceeds total budget 1000" in found
    assert len(found) >= 3


def test_file_level_problems(tmp_path: Path) -> None:
    src = copy_mini(tmp_path)
    (src / "goals.csv").unlink()
    (src / "colours.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (src / "networks.csv").write_bytes("network_id,name\nn1,Göteborg\n".encode("latin-1"))
    found = problems_of(src)
    assert "goals.csv:0:-: required table is missing" in found
    assert any(p.startswith("colours.csv:0:-: unknown table 'colours'") for p in found)
    # Windows-1252 (Swedish Excel's semicolon CSV) is read, not refused
    assert not any(p.startswith("networks.csv:1:-:") for p in found)


def test_a_bad_import_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "data"
    ingest(MINI_SOURCE, out)
    before = snapshot(out)
    src = copy_mini(tmp_path)
    replace(src, "activities", "100,SEK", "-100,SEK")
    with pytest.raises(ImportFailed) as info:
        ingest(src, out)
    assert "activities.csv:2:cost: amount -100 is negative" in [str(p) for p in info.value.problems]
    assert snapshot(out) == before
    # the dataset (its history in its lake) and the source; no staging
    assert listing(tmp_path) == ["data", "src"]


def test_a_crash_while_writing_leaves_the_old_dataset(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "data"
    ingest(MINI_SOURCE, out)
    before = snapshot(out)
    calls = {"n": 0}
    from dashboard.imports import ingest as ingest_module

    real = ingest_module.write_table

    def flaky(folder, table, data):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError("disk full")
        return real(folder, table, data)

    monkeypatch.setattr(ingest_module, "write_table", flaky)
    with pytest.raises(OSError, match="disk full"):
        ingest(MINI_SOURCE, out)
    assert snapshot(out) == before
    assert listing(tmp_path) == ["data"]


def test_swap_replaces_the_dataset(tmp_path: Path) -> None:
    out = tmp_path / "data"
    ingest(MINI_SOURCE, out)
    src = copy_mini(tmp_path)
    replace(src, "activities", "Conference", "Konferens")
    ingest(src, out)
    titles = [r["title"] for r in read_rows(out, "activities")]
    assert titles[0] == "Konferens"
    # the dataset (its history in its lake) and the source; no staging
    assert listing(tmp_path) == ["data", "src"]


def test_cli_ingest_reports_and_exits_non_zero(tmp_path: Path, capsys) -> None:
    src = copy_mini(tmp_path)
    replace(src, "projects", "1000,600,400", "1000,1600,400")
    replace(src, "activities", "100,SEK", "-100,SEK")
    code = main(["ingest", str(src), "--out", str(tmp_path / "data")])
    err = capsys.readouterr().err
    assert code == 1
    assert "projects.csv:2:eu_funding: EU funding 1600 exceeds total budget 1000" in err
    assert "activities.csv:2:cost: amount -100 is negative" in err
    assert "2 problems; nothing was written." in err
    assert not (tmp_path / "data").exists()


def test_template_round_trip(tmp_path: Path) -> None:
    """The empty template is a valid (empty but for required tables) source."""
    from dashboard.outputs.template import template_xlsx, write_template

    write_template(tmp_path / "tpl")
    found = problems_of(tmp_path / "tpl")
    assert found == []  # empty tables are valid
    for lang in ("sv", "da", "en"):
        (tmp_path / f"t_{lang}.xlsx").write_bytes(template_xlsx(lang))
        _, problems = check_source(tmp_path / f"t_{lang}.xlsx")
        assert problems == [], lang
        write_template(tmp_path / f"tpl_{lang}", lang)
        assert problems_of(tmp_path / f"tpl_{lang}") == [], lang
    assert main(["template", "--out", str(tmp_path / "t.zip"), "--lang", "sv"]) == 0
    import zipfile

    names = zipfile.ZipFile(tmp_path / "t.zip").namelist()
    assert "Aktiviteter.csv" in names and len(names) == 12  # named in the chosen language


def test_the_template_speaks_the_chosen_language(tmp_path: Path) -> None:
    """Sheet names, headers and the reference sheet in Swedish from the Swedish page: no
    contract name (activities, org_id) and no English note left."""
    import io

    from openpyxl import load_workbook

    from dashboard.outputs.template import template_xlsx

    wb = load_workbook(io.BytesIO(template_xlsx("sv")))
    assert wb.sheetnames[0] == "_Läs mig" and "Aktiviteter" in wb.sheetnames
    assert [c.value for c in wb["Aktiviteter"][1]][:4] == [
        "Aktivitets-id",
        "Organisation",
        "År",
        "Titel",
    ]
    about = [[c.value for c in row] for row in wb["_Läs mig"].iter_rows(min_row=2)]
    assert len(about) == sum(len(t.input_columns) for t in TABLES)
    words = " ".join(str(v) for row in about for v in row)
    for english in ("Required", "One of", "Stable id", "Must exist", "activities", "org_id"):
        assert english not in words, english
    assert all(row[3] for row in about)  # every column described
    assert "Ett id ur bladet Organisationer, kolumnen Organisation." in words


def test_a_table_named_and_headed_in_danish_imports_as_the_contract_names(
    tmp_path: Path,
) -> None:
    """The sample's CSV files renamed and re-headed as the Danish template names them are
    read as the same rows: the import takes a table and a column by any language's name."""
    import csv

    from dashboard.model import codes

    danish = tmp_path / "da"
    danish.mkdir()
    for t in TABLES:
        src = ROOT / "sample" / f"{t.name}.csv"
        if not src.exists():
            continue
        rows = list(csv.reader(src.read_text(encoding="utf-8-sig").splitlines()))
        rows[0] = [codes.column_label(h, "da") for h in rows[0]]
        with open(danish / f"{codes.table_label(t.name, 'da')}.csv", "w", newline="") as fh:
            csv.writer(fh).writerows(rows)
    a, pa_ = check_source(ROOT / "sample")
    b, pb = check_source(danish)
    assert pa_ == [] and pb == []
    assert set(a) == set(b) and len(a) == 12
    assert {k: v.rows for k, v in a.items()} == {k: v.rows for k, v in b.items()}
