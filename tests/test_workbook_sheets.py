"""What one upload may decide (issue #21): a sheet that maps to a table already read is
refused (it would silently lose the first sheet's rows), in the coordinator's workbook,
the 12-table workbook and a zip of CSV files; the template's own example rows are refused
while the coordinator's rows in it pass."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl

from dashboard.imports.ingest import check
from dashboard.imports.workbook import examples
from dashboard.model import sheets
from dashboard.outputs.template import template_xlsx
from dashboard.outputs.workbook import template_bytes
from tests.conftest import SAMPLE_SOURCE


def _renamed_copy(book: bytes, sheet: str, new: str) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(book))
    copy = wb.copy_worksheet(wb[sheet])
    copy.title = new
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_two_sheets_of_one_table_in_the_coordinators_workbook_are_refused() -> None:
    book = template_bytes("sv", examples())
    for twin in ("Activities", "aktiviteter "):
        checked = check([("bok.xlsx", _renamed_copy(book, "Aktiviteter", twin))])
        assert "sheet_twice" in {p.key for p in checked.problems}, twin


def test_two_sheets_or_files_of_one_table_in_the_contracts_formats_are_refused() -> None:
    book = template_xlsx("sv")
    # a second sheet of one table, by its contract name, its English or its Swedish name
    for twin in ("activities", "Activities ", "aktiviteter "):
        checked = check([("mall.xlsx", _renamed_copy(book, "Aktiviteter", twin))])
        assert "sheet_twice" in {p.key for p in checked.problems}, twin
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for f in sorted(Path(SAMPLE_SOURCE).glob("*.csv")):
            zf.writestr(f.name, f.read_bytes())
        zf.writestr("Aktiviteter.csv", (Path(SAMPLE_SOURCE) / "activities.csv").read_bytes())
    from dashboard.imports import uploads
    from dashboard.model.access import Scope

    result = uploads.check_upload("alla.zip", buf.getvalue(), None, Scope.everything())
    assert "sheet_twice" in {p.key for p in result.problems}


def test_the_templates_examples_are_refused_and_the_coordinators_own_rows_pass() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(template_bytes("sv", examples())))
    acts = wb["Aktiviteter"]
    header = [c.value for c in acts[1]]
    title = header.index(sheets.header("activity_title", "sv")) + 1
    acts.cell(row=2, column=title, value="Vår egen aktivitet")
    buf = io.BytesIO()
    wb.save(buf)
    checked = check([("ifylld.xlsx", buf.getvalue())])
    refused = {(p.file, p.row) for p in checked.problems if p.key == "template_example"}
    assert ("ifylld.xlsx[Aktiviteter]", 2) not in refused  # the coordinator's own row
    assert ("ifylld.xlsx[Aktiviteter]", 3) in refused  # an example left as it was
