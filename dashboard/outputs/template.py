"""The empty template users fill in: a CSV per table, as a folder or zip, or one workbook."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from dashboard.i18n import t
from dashboard.model import codes
from dashboard.model.contract import SUMMARIES, TABLE_BY_NAME, TABLES, Column, Table
from dashboard.model.sheets import META_SHEET


def _describe(col: Column) -> str:
    parts = [col.doc]
    if col.required:
        parts.append("Required.")
    if col.allowed:
        parts.append("One of: " + ", ".join(col.allowed) + ".")
    if col.ref:
        parts.append(f"Must exist in {col.ref[0]}.{col.ref[1]}.")
    if col.money:
        parts.append("Not negative; give the currency in the same row.")
    if col.bounds:
        parts.append(f"From {col.bounds[0]:g} to {col.bounds[1]:g}.")
    return " ".join(parts)


# the coordinator workbook's notes (wb.note.*) describe most columns already; a contract
# column named differently there, or one word for several things (kind, title, status, role),
# takes the note of what it means in its table
NOTE_OF: dict[tuple[str, str], str] = {
    ("organisations", "kind"): "org_kind",
    ("goals", "kind"): "goal_kind",
    ("networks", "kind"): "network_kind",
    ("strategies", "title"): "strategy_title",
    ("goals", "title"): "wording",
    ("projects", "title"): "project_title",
    ("activities", "title"): "activity_title",
    ("goals", "code"): "number",
    ("memberships", "role"): "membership_role",
    ("projects", "role"): "project_role",
    ("projects", "status"): "project_status",
    ("activities", "status"): "activity_status",
    ("goal_assessments", "status"): "assessment_status",
}


def note(table: Table, col: Column, lang: str) -> str:
    """What a column holds, in *lang*: the id rules for an id, the coordinator workbook's
    note otherwise; then required, the words it takes, where an id must exist."""
    parts = []
    if col.ref is not None:
        other = TABLE_BY_NAME[col.ref[0]]
        parts.append(
            t(
                "template.ref",
                lang,
                table=codes.table_label(other.name, lang),
                column=codes.column_label(col.ref[1], lang),
            )
        )
    elif table.key == (col.name,):
        parts.append(t("template.key", lang))
    else:
        key = NOTE_OF.get((table.name, col.name), col.name)
        text = t(f"wb.note.{key}", lang)
        parts.append("" if text.startswith("wb.note.") else text)
    if col.required:
        parts.append(t("template.required", lang))
    if col.allowed:
        domain = codes.COLUMN_DOMAIN.get((table.name, col.name))
        words = codes.choices(domain, lang) if domain else list(col.allowed)
        parts.append(t("template.one_of", lang, words=", ".join(words)))
    if col.money:
        parts.append(t("template.money", lang))
    return " ".join(p for p in parts if p)


def _file_name(table: Table, lang: str) -> str:
    """A table's sheet or CSV file name in *lang* (Aktiviteter), as the import reads it."""
    return codes.table_label(table.name, lang)[:31]


def _headers(table: Table, lang: str) -> list[str]:
    return [codes.column_label(c.name, lang) for c in table.input_columns]


def csv_header(table_name: str, lang: str = "en") -> bytes:
    """The header line of one table's CSV file in *lang* (UTF-8 with BOM, comma-separated)."""
    table = TABLE_BY_NAME[table_name]
    line = ",".join(_quoted(h) for h in _headers(table, lang))
    return ("\ufeff" + line + "\r\n").encode("utf-8")


def _quoted(text: str) -> str:
    return f'"{text}"' if any(ch in text for ch in ',"') else text


def template_zip(lang: str = "en") -> bytes:
    """A zip holding one empty CSV per table, named and headed in *lang*."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for tb in TABLES:
            zf.writestr(f"{_file_name(tb, lang)}.csv", csv_header(tb.name, lang))
    return buf.getvalue()


def template_xlsx(lang: str = "en", rows: Mapping[str, Sequence[Mapping]] | None = None) -> bytes:
    """A workbook with a sheet per table and a reference sheet describing every column, all
    in *lang* (the reference sheet's name starts with "_": the import passes it by).

    With *rows* (each table's rows, by contract column), each sheet holds them: the
    contract's own export (`python -m dashboard export --contract`), ids included, which the
    import reads back as the same rows. A text is written as a text cell, so a title that
    begins with "=" is neither run as a formula nor changed by a leading apostrophe."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    about = wb.active
    about.title = ("_" + t("template.about", lang))[:31]
    about.append([t(f"template.col.{k}", lang) for k in ("table", "column", "type", "about")])
    for tb in TABLES:
        for c in tb.input_columns:
            about.append(
                [
                    _file_name(tb, lang),
                    codes.column_label(c.name, lang),
                    t(f"template.type.{c.type}", lang),
                    note(tb, c, lang),
                ]
            )
        ws = wb.create_sheet(_file_name(tb, lang))
        headers = _headers(tb, lang)
        ws.append(headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i, h in enumerate(headers, start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = max(12, len(h) + 4)
        ws.freeze_panes = "A2"
        for row in (rows or {}).get(tb.name, ()):
            ws.append([row.get(c.name) for c in tb.input_columns])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = TYPE_STRING
    for cell in about[1]:
        cell.font = Font(bold=True)
    for row in about.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = TYPE_STRING
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for letter, width in zip("ABCD", (22, 26, 12, 90), strict=True):
        about.column_dimensions[letter].width = width
    about.freeze_panes = "A2"
    marker = wb.create_sheet(META_SHEET)  # "these are the contract's tables", for the import
    marker.append(["kind", "contract"])
    marker.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_template(out: Path, lang: str = "en") -> None:
    """Write the template in *lang* to *out*: .xlsx, .zip, or else a folder of CSV files."""
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        out.write_bytes(template_xlsx(lang))
    elif suffix == ".zip":
        out.write_bytes(template_zip(lang))
    else:
        out.mkdir(parents=True, exist_ok=True)
        for tb in TABLES:
            (out / f"{_file_name(tb, lang)}.csv").write_bytes(csv_header(tb.name, lang))


def contract_markdown() -> str:
    """The contract as Markdown tables, for docs/data-contract.md."""
    lines = [
        "# The data contract",
        "",
        "Generated from `dashboard/model/contract.py` by `python -m dashboard contract`; "
        "do not edit by hand.",
        "",
    ]
    for tb in TABLES:
        lines += [
            f"## {tb.name}",
            "",
            tb.doc,
            "",
            f"Key: {', '.join(tb.key)}. Stored sorted by: {', '.join(tb.sort_by)}.",
            "",
            "| column | type | description |",
            "| --- | --- | --- |",
        ]
        for c in tb.columns:
            desc = _describe(c) + (" Derived: written by the import." if c.derived else "")
            lines.append(f"| `{c.name}` | {c.type} | {desc} |")
        lines.append("")
    lines += [
        "# Summary tables",
        "",
        "Written by the import and the generator from the tables above (the SQL is in "
        "`queries/summaries/`); never filled in by hand. The pages read them instead of "
        "scanning millions of activities when they ask about many organisations or years.",
        "",
    ]
    for tb in SUMMARIES:
        lines += [
            f"## {tb.name}",
            "",
            tb.doc,
            "",
            f"One row per {', '.join(tb.key)}.",
            "",
            "| column | type | description |",
            "| --- | --- | --- |",
        ]
        lines += [f"| `{c.name}` | {c.type} | {c.doc} |" for c in tb.columns]
        lines.append("")
    return "\n".join(lines)
