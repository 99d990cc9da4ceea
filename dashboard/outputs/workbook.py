"""The coordinator's workbook written: one .xlsx with a sheet per part, notes on every
header, drop-down lists on coded columns, goal numbers as text, each row's id in a hidden
column and a 'Read me' sheet (the export, the template and an edit in the browser).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from dashboard.i18n import t
from dashboard.model import codes
from dashboard.model.sheets import (
    DATE_COLUMNS,
    FORMAT,
    ID,
    LISTS_SHEET,
    META_SHEET,
    README_KEY,
    SHEETS,
    TEXT_COLUMNS,
    cell_value,
    column_title,
    header,
    layout,
    note,
    sheet_rows,
    sheet_title,
)


def workbook_bytes(
    tables: Mapping[str, Sequence[Mapping[str, object]]], lang: str, *, ids: bool = True
) -> bytes:
    """The coordinator's workbook of *tables* in *lang*: one sheet per part, notes on every
    header, drop-down lists on coded columns, goal numbers as text, each row's id in a
    hidden first column (*ids*), a 'Read me' sheet with the column reference."""
    return sheets_bytes(sheet_rows(tables, lang), lang, ids=ids)


def sheets_bytes(
    rows: Mapping[str, Sequence[Mapping[str, object]]],
    lang: str,
    *,
    ids: bool = True,
    room: int = 500,
    for_people: bool = True,
) -> bytes:
    """The coordinator's workbook of sheet rows (`sheet_rows`' shape): what the export
    writes, and what an edit in the browser hands to the import, so both take one path.
    *room*: empty rows below the data with the columns' formats and lists, for a person to
    add rows in; an edit in the browser, read by the import at once, needs none (their
    cells were a third of the time a save spent on the workbook). *for_people* False: an
    edit's workbook, which nobody opens, has its cells and their formats only (no read-me
    sheet, header notes, drop-down lists or column widths: 25 ms of a 0.23 s save)."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    readme = wb.active
    readme.title = sheet_title(README_KEY, lang)
    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_ref: dict[str, str] = {}
    for i, domain in enumerate(codes.DOMAINS if for_people else (), start=1):
        words = codes.choices(domain, lang)
        letter = get_column_letter(i)
        for j, w in enumerate(words, start=1):
            lists.cell(j, i, w)
        list_ref[domain] = f"{LISTS_SHEET}!${letter}$1:${letter}${len(words)}"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for sheet in SHEETS:
        if sheet.key not in rows:  # a partial workbook (an edit) holds only its own sheets
            continue
        ws = wb.create_sheet(sheet_title(sheet.key, lang))
        cols = layout(sheet)
        ws.append([column_title(c, lang) for c in cols])
        for i, c in enumerate(cols, start=1):
            cell = ws.cell(1, i)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if c.key != ID and for_people:
                cell.comment = Comment(note(c.key, lang), "Målbild", width=300, height=110)
            ws.column_dimensions[get_column_letter(i)].width = c.width
            if c.key == ID:
                ws.column_dimensions[get_column_letter(i)].hidden = True
        body = rows[sheet.key]
        for r in body:
            ws.append([cell_value(c, r, ids) for c in cols])
        n = 1 + len(body) + room  # the last row formatted: the header, the rows, the room
        for i, c in enumerate(cols, start=1):
            letter = get_column_letter(i)
            if c.domain and n >= 2 and for_people:
                dv = DataValidation(
                    type="list", formula1=f"={list_ref[c.domain]}", allow_blank=True
                )
                dv.error = t("wb.list_error", lang)
                dv.showErrorMessage = False  # the import accepts other languages' words too
                ws.add_data_validation(dv)
                dv.add(f"{letter}2:{letter}{n}")
            for line in range(2, n + 1):
                cell = ws.cell(line, i)
                if c.key in TEXT_COLUMNS or c.key == ID:
                    cell.number_format = "@"
                elif c.key in DATE_COLUMNS:
                    cell.number_format = "yyyy-mm-dd"
                if isinstance(cell.value, str):
                    cell.data_type = TYPE_STRING  # never a formula, even for '=...'
        ws.freeze_panes = "B2" if cols[0].key == ID else "A2"
    if for_people:
        _readme(readme, lang)
    meta = wb.create_sheet(META_SHEET)
    meta.append(["format", FORMAT])
    meta.append(["lang", lang])
    if not ids:  # the template: rows left as its examples are refused (_refuse_examples)
        meta.append(["kind", "template"])
    meta.sheet_state = "hidden"
    wb.active = 1 + 2  # the Goals sheet: where a coordinator starts
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _readme(ws: Any, lang: str) -> None:
    from openpyxl.styles import Alignment, Font

    ws.append([t("wb.readme.title", lang)])
    ws["A1"].font = Font(bold=True, size=14)
    for line in t("wb.readme.body", lang).split("\n"):
        ws.append([line])
    ws.append([])
    ws.append(
        [
            t("wb.readme.sheet", lang),
            t("wb.readme.column", lang),
            t("wb.readme.note", lang),
            t("wb.readme.words", lang),
        ]
    )
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for sheet in SHEETS:
        for c in sheet.cols:
            words = ", ".join(codes.choices(c.domain, lang)) if c.domain else ""
            ws.append([sheet_title(sheet.key, lang), header(c.key, lang), note(c.key, lang), words])
    for letter, width in zip("ABCD", (18, 20, 80, 60), strict=True):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def template_bytes(lang: str, examples: Mapping[str, list[dict]]) -> bytes:
    """The empty workbook a coordinator starts from: example rows from the documents
    (Gotland's action plan 2009, without ids), drop-down lists, notes, the reference."""
    return workbook_bytes(examples, lang, ids=False)
