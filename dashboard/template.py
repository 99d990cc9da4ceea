"""The empty template users fill in: a CSV per table, as a folder or zip, or one workbook."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from dashboard.contract import SUMMARIES, TABLES, Column

ABOUT_SHEET = "_contract"  # sheets whose name starts with "_" are ignored by the import


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
    return " ".join(parts)


def csv_header(table_name: str) -> bytes:
    """The header line of one table's CSV file (UTF-8 with BOM, comma-separated)."""
    table = next(t for t in TABLES if t.name == table_name)
    return ("\ufeff" + ",".join(c.name for c in table.input_columns) + "\r\n").encode("utf-8")


def template_zip() -> bytes:
    """A zip holding one empty CSV per table."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for t in TABLES:
            zf.writestr(f"{t.name}.csv", csv_header(t.name))
    return buf.getvalue()


def template_xlsx() -> bytes:
    """A workbook with a sheet per table and a `_contract` sheet describing every column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    about = wb.active
    about.title = ABOUT_SHEET
    about.append(["table", "column", "type", "description"])
    for t in TABLES:
        for c in t.input_columns:
            about.append([t.name, c.name, c.type, _describe(c)])
        ws = wb.create_sheet(t.name)
        ws.append([c.name for c in t.input_columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i, c in enumerate(t.input_columns, start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = max(12, len(c.name) + 4)
        ws.freeze_panes = "A2"
    for cell in about[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (18, 20, 8, 100), strict=True):
        about.column_dimensions[letter].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_template(out: Path) -> None:
    """Write the template to *out*: .xlsx, .zip, or else a folder of CSV files."""
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        out.write_bytes(template_xlsx())
    elif suffix == ".zip":
        out.write_bytes(template_zip())
    else:
        out.mkdir(parents=True, exist_ok=True)
        for t in TABLES:
            (out / f"{t.name}.csv").write_bytes(csv_header(t.name))


def contract_markdown() -> str:
    """The contract as Markdown tables, for docs/data-contract.md."""
    lines = [
        "# The data contract",
        "",
        "Generated from `dashboard/contract.py` by `python -m dashboard contract`; "
        "do not edit by hand.",
        "",
    ]
    for t in TABLES:
        lines += [
            f"## {t.name}",
            "",
            t.doc,
            "",
            f"Key: {', '.join(t.key)}. Stored sorted by: {', '.join(t.sort_by)}.",
            "",
            "| column | type | description |",
            "| --- | --- | --- |",
        ]
        for c in t.columns:
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
    for t in SUMMARIES:
        lines += [
            f"## {t.name}",
            "",
            t.doc,
            "",
            f"One row per {', '.join(t.key)}.",
            "",
            "| column | type | description |",
            "| --- | --- | --- |",
        ]
        lines += [f"| `{c.name}` | {c.type} | {c.doc} |" for c in t.columns]
        lines.append("")
    return "\n".join(lines)
