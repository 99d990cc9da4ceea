"""The annual compilation, and the Data page's helpers that touch files.

The Annual evaluation page and `python -m dashboard report` build the same workbook
here, from a `Database` and `Filters`: one sheet per part (goals, activities per goal,
networks, projects, indicators, assessments) formatted for reading, or the same parts
as a zip of CSV files. The year evaluated is the filters' last year, or the last year
with data for the selected organisations when no year is chosen.

The Data page's file work lives here too, so the page stays UI only: file dates of the
dataset, the data-quality table, and checking (and, when allowed, importing) uploads.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.dataset import read_manifest, table_path
from dashboard.db import Database, params_for
from dashboard.export import frame_to_csv
from dashboard.filters import Filters
from dashboard.i18n import t

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# ---------------------------------------------------------------- texts

STATUS_SYMBOL = {
    "reached": "✔",
    "achieved": "✔",
    "on_track": "●",
    "at_risk": "▲",
    "off_track": "✖",
    "not_assessable": "○",
    "not_assessed": "○",
    "uncovered": "⊘",
}


def status_label(code: object, lang: str, symbol: bool = True) -> str:
    """A status or verdict code as text, with its symbol (never colour alone): '▲ Risk'."""
    if code is None or (isinstance(code, float) and math.isnan(code)) or code is pd.NA:
        return ""
    text = t(f"evaluation.status.{code}", lang)
    if text.startswith("evaluation.status."):
        return str(code)
    return f"{STATUS_SYMBOL.get(str(code), '')} {text}".strip() if symbol else text


def readable(
    df: pd.DataFrame, columns: Iterable[str], lang: str, symbol: bool = True
) -> pd.DataFrame:
    """A copy of *df* whose status/verdict *columns* hold labels instead of codes, and
    whose indicator direction (if any) is spelled out."""
    out = df.copy()
    for col in columns:
        if col in out:
            out[col] = [status_label(v, lang, symbol) for v in out[col]]
    if "direction" in out:
        out["direction"] = [
            t(f"evaluation.direction.{v}", lang) if isinstance(v, str) else v
            for v in out["direction"]
        ]
    return out


# ---------------------------------------------------------------- the parts


@dataclass(frozen=True)
class Part:
    """One sheet of the compilation: the query behind it, its status columns and the
    text keys of headers that need more than `col.<column>` ('status' of what)."""

    name: str
    query: str
    status_columns: tuple[str, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()


PARTS: tuple[Part, ...] = (
    Part("goals", "evaluation_rollup", ("verdict", "assessment_status")),
    Part("goal_activities", "report_goal_activities"),
    Part("networks", "network_summary"),
    Part("projects", "project_portfolio"),
    Part(
        "indicators",
        "evaluation_indicators",
        ("status", "assessment_status"),
        (("status", "evaluation.col.computed_status"),),
    ),
    Part(
        "assessments",
        "evaluation_assessments",
        ("status",),
        (("status", "col.assessment_status"),),
    ),
)


def evaluation_year(filters: Filters, last_year: object) -> int | None:
    """The year evaluated: the selection's last year, else *last_year* (of the data)."""
    if filters.year_to is not None:
        return int(filters.year_to)
    if last_year is None or pd.isna(last_year):
        return None
    return int(last_year)  # type: ignore[call-overload]


def year_filters(filters: Filters, year: int) -> Filters:
    """The filters narrowed to the one year evaluated."""
    return Filters(filters.orgs, year, year, filters.goals)


def last_data_year(db: Database, filters: Filters) -> int | None:
    """The last year with something to assess for the selected organisations (indicator
    values, assessments, activities: `queries/evaluation_last_year.sql`)."""
    last = db.df("evaluation_last_year", params_for("evaluation_last_year", Filters(filters.orgs)))
    return evaluation_year(Filters(), last.iloc[0]["year"]) if len(last) else None


def parts(db: Database, filters: Filters, year: int) -> dict[str, pd.DataFrame]:
    """Every part of the compilation for *year*, as query results (codes, not labels)."""
    f = year_filters(filters, year)
    return {p.name: db.df(p.query, params_for(p.query, f)) for p in PARTS}


# ---------------------------------------------------------------- the workbook

MONEY_COLUMNS = ("cost", "annual_fee", "fees", "total_budget", "eu_funding", "own_funding")
PCT_COLUMNS = ("eu_rate", "progress")
YEAR_COLUMNS = ("year", "since_year", "until_year", "baseline_year")
DATE_COLUMNS = ("start_date", "end_date")
WIDE_COLUMNS = (
    "goal_title",
    "goal_titles",
    "title",
    "activity_title",
    "definition",
    "comment",
    "assessment_comment",
    "name",
    "project",
    "network",
)


def _cell(value: object, col: str) -> object:
    """A value as openpyxl should store it: None for missing, dates as dates."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date() if col in DATE_COLUMNS else value.to_pydatetime()
    if isinstance(value, datetime) and col in DATE_COLUMNS:
        return value.date()
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()  # type: ignore[attr-defined]
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return value  # stored as text below, never as a formula
    return value


def _number_format(col: str, series: pd.Series) -> str | None:
    if col in MONEY_COLUMNS:
        return "#,##0"
    if col in PCT_COLUMNS:
        return "0%" if col == "progress" else "0.0%"
    if col in YEAR_COLUMNS:
        return "0"
    if col in DATE_COLUMNS:
        return "yyyy-mm-dd"
    if pd.api.types.is_integer_dtype(series):
        return "#,##0"
    return None


def _write_sheet(ws: Worksheet, df: pd.DataFrame, lang: str, headers: Mapping[str, str]) -> None:
    """Header in bold, frozen, filterable; numbers as numbers, dates as dates, widths set."""
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    names = [t(headers[c], lang) if c in headers else _header(c, lang) for c in df.columns]
    ws.append(names)
    for row in df.itertuples(index=False, name=None):
        ws.append([_cell(v, c) for v, c in zip(row, df.columns, strict=True)])
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = "A2"
    n = len(df)
    for i, col in enumerate(df.columns, start=1):
        letter = get_column_letter(i)
        fmt = _number_format(col, df[col])
        texts = [str(v) for v in df[col].head(500) if v is not None and not pd.isna(v)]
        longest = max([len(names[i - 1])] + [len(s) for s in texts])
        wide = col in WIDE_COLUMNS
        width = min(max(longest + 2, 9), 60 if wide else 40)
        if fmt == "yyyy-mm-dd":
            width = max(width, 12)
        ws.column_dimensions[letter].width = width
        for (cell,) in ws.iter_rows(min_row=2, max_row=n + 1, min_col=i, max_col=i):
            if fmt and cell.value is not None:
                cell.number_format = fmt
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # never a formula, even for '=...'
                if wide or len(cell.value) > width:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.alignment = Alignment(vertical="top")
    if n:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(df.columns))}{n + 1}"


def _header(col: str, lang: str) -> str:
    text = t(f"col.{col}", lang)
    return col if text.startswith("col.") else text


def sheet_name(part: str, lang: str) -> str:
    """A part's sheet name in the language (Excel allows 31 characters)."""
    return t(f"evaluation.part.{part}", lang)[:31]


def for_reading(frames: Mapping[str, pd.DataFrame], lang: str) -> dict[str, pd.DataFrame]:
    """The parts with status codes turned into words (no symbols: a workbook is read in
    Excel, where the word says it all) and directions spelled out."""
    return {p.name: readable(frames[p.name], p.status_columns, lang, False) for p in PARTS}


def workbook_bytes(
    frames: Mapping[str, pd.DataFrame],
    lang: str,
    *,
    year: int,
    orgs: str,
    goals: str,
    imported_at: str = "",
) -> bytes:
    """The compilation as one .xlsx: an 'About' sheet naming organisation, year and the
    rules, then one sheet per part (header row 1, data from row 2)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    about = wb.active
    about.title = sheet_name("about", lang)
    about.append([t("evaluation.report.title", lang, year=year)])
    about["A1"].font = Font(bold=True, size=14)
    about.append([])
    info = [
        ("evaluation.report.orgs", orgs),
        ("evaluation.report.year", year),
        ("evaluation.report.goals", goals),
        ("evaluation.report.made", datetime.now(UTC).date()),
        ("evaluation.report.dataset", imported_at),
    ]
    for key, value in info:
        about.append([t(key, lang), value])
        about.cell(about.max_row, 1).font = Font(bold=True)
        if isinstance(value, date):
            about.cell(about.max_row, 2).number_format = "yyyy-mm-dd"
    about.append([])
    about.append([t("evaluation.report.sheet", lang), t("evaluation.report.rows", lang)])
    for cell in about[about.max_row]:
        cell.font = Font(bold=True)
    for p in PARTS:
        about.append([sheet_name(p.name, lang), len(frames[p.name])])
    about.append([])
    for key in ("evaluation.rule.status", "evaluation.rule.verdict"):
        for line in t(key, lang).replace("**", "").split("\n"):
            if line.strip():
                about.append([line.lstrip("- ")])
                about.cell(about.max_row, 1).alignment = Alignment(wrap_text=False)
        about.append([])
    about.append([t("evaluation.report.illustrative", lang)])
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 60
    from openpyxl.cell.cell import TYPE_STRING

    for row in about.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = TYPE_STRING  # an organisation named '=...' is text, not a formula
    for p in PARTS:
        _write_sheet(
            wb.create_sheet(sheet_name(p.name, lang)), frames[p.name], lang, dict(p.headers)
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def file_stem(filters: Filters, year: int, lang: str) -> str:
    """File name without suffix: arssammanstallning_slagelse_2013."""
    return f"{t('file.evaluation_compilation', lang)}_{year_filters(filters, year).slug()}"


def csv_zip(frames: Mapping[str, pd.DataFrame], lang: str, slug: str) -> bytes:
    """The parts as one CSV each (the downloads' format, status codes kept) in a zip."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in PARTS:
            name = f"{t(f'file.evaluation_{p.name}', lang)}_{slug}.csv"
            zf.writestr(name, frame_to_csv(frames[p.name], lang))
    return buf.getvalue()


@dataclass(frozen=True)
class Compilation:
    """The parts of one year's compilation and what the workbook's 'About' sheet names."""

    year: int
    frames: dict[str, pd.DataFrame]
    orgs: str
    goals: str
    imported_at: str
    slug: str

    def xlsx(self, lang: str) -> bytes:
        """The workbook in *lang*."""
        return workbook_bytes(
            for_reading(self.frames, lang),
            lang,
            year=self.year,
            orgs=self.orgs,
            goals=self.goals,
            imported_at=self.imported_at,
        )

    def zip(self, lang: str) -> bytes:
        """The zip of CSV files in *lang*'s dialect."""
        return csv_zip(self.frames, lang, self.slug)


def compile_year(db: Database, filters: Filters, lang: str) -> Compilation | None:
    """Everything the compilation holds for the filters' year (None: no year with data)."""
    year = evaluation_year(filters, None) or last_data_year(db, filters)
    if year is None:
        return None
    frames = parts(db, filters, year)
    names = db.df("organisations")
    by_id = dict(zip(names["org_id"], names["name"], strict=True))
    chosen = filters.orgs or tuple(by_id)
    orgs = ", ".join(str(by_id.get(o, o)) for o in chosen)
    if filters.goals:
        goals_df = frames["goals"]
        goals = ", ".join(f"{r.org_id} {r.goal_code}" for r in goals_df.itertuples())
    else:
        goals = t("evaluation.report.all", lang)
    imported = timestamp_label(str(read_manifest(db.folder).get("imported_at", "")))
    return Compilation(year, frames, orgs, goals, imported, year_filters(filters, year).slug())


def write_report(db: Database, filters: Filters, lang: str, out: Path) -> Compilation | None:
    """Write the compilation to *out* (.xlsx, or .zip for the CSV files); None: no data."""
    comp = compile_year(db, filters, lang)
    if comp is None:
        return None
    out.write_bytes(comp.zip(lang) if out.suffix.lower() == ".zip" else comp.xlsx(lang))
    return comp


def _goal_ref(row: object, many: bool, names: Mapping[str, str] | None) -> str:
    from dashboard.tables import goal_ref

    org = str(row.org_id)  # type: ignore[attr-defined]
    return goal_ref(row.goal_code, row.goal_title, (names or {}).get(org, org) if many else None)  # type: ignore[attr-defined]


def uncovered(rollup: pd.DataFrame, names: Mapping[str, str] | None = None) -> list[str]:
    """Goals with no activity and no indicator in the year, by number and wording (after
    the organisation's name when the roll-up spans several)."""
    many = rollup["org_id"].nunique() > 1
    return [_goal_ref(r, many, names) for r in rollup.itertuples() if r.verdict == "uncovered"]


def disagreements(rollup: pd.DataFrame, names: Mapping[str, str] | None = None) -> list[str]:
    """Goals whose managers' verdict differs from the computed one, where both judge
    (the managers' 'achieved' is the computed 'reached')."""
    same = {"achieved": "reached"}
    many = rollup["org_id"].nunique() > 1
    out = []
    for r in rollup.itertuples():
        mine = r.assessment_status
        if not isinstance(mine, str) or mine == "not_assessed":
            continue
        if r.verdict in ("not_assessable", "uncovered"):
            continue
        if same.get(mine, mine) != r.verdict:
            out.append(_goal_ref(r, many, names))
    return out


# ---------------------------------------------------------------- the Data page

QUALITY_CHECKS = (
    "activities_without_goal",
    "goals_without_activity",
    "projects_without_budget",
    "indicators_without_target",
)


def dataset_overview(tables: pd.DataFrame, folder: Path) -> pd.DataFrame:
    """The `data_tables` result with each Parquet file's modification time (UTC, minutes)."""
    out = tables.copy()
    stamps = []
    for name in out["table_name"]:
        try:
            mtime = table_path(folder, name).stat().st_mtime
            stamps.append(timestamp_label(datetime.fromtimestamp(mtime, UTC).isoformat()))
        except OSError:
            stamps.append("")
    out["modified"] = stamps
    return out


def timestamp_label(iso: str) -> str:
    """An ISO time from the manifest as '2026-11-23 18:00 UTC' (as given if unreadable)."""
    try:
        when = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%d %H:%M") + (" UTC" if when.tzinfo is not None else "")


def quality_table(results: Mapping[str, pd.DataFrame], lang: str) -> pd.DataFrame:
    """One row per data-quality check: what it checks, how many and example ids."""
    rows = []
    for name in QUALITY_CHECKS:
        r = results[name].iloc[0]
        examples = r["example_ids"]
        rows.append(
            {
                "check": t(f"data.check.{name}", lang),
                "items": int(r["items"]),
                "example_ids": examples if isinstance(examples, str) else "",
            }
        )
    return pd.DataFrame(rows, columns=["check", "items", "example_ids"])
