"""The annual compilation: the one workbook the page and the command line both write.

The Annual evaluation page and `python -m dashboard report` build the same workbook here,
from a `Database` and `Filters`: one sheet per part (goals, activities per goal, networks,
projects, indicators, assessments) formatted for reading, or the same parts as a zip of
CSV files. How statuses read and which year is evaluated are `dashboard.model.verdicts`; the Data
page's file handling is `dashboard.outputs.datainfo` and `dashboard.imports.uploads`.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from dashboard.i18n import fmt_time, t, time_zone
from dashboard.model import codes
from dashboard.model.access import Scope
from dashboard.model.codes import DATE_COLUMNS, MONEY_COLUMNS, SHARE_COLUMNS, YEAR_COLUMNS
from dashboard.model.filters import Filters
from dashboard.model.tables import stacked
from dashboard.model.verdicts import Plan, evaluation_plan, readable
from dashboard.outputs.export import file_slug, frame_to_csv
from dashboard.sql.queries import params_for
from dashboard.storage import Database, read_manifest

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

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


def plan_for(db: Database, filters: Filters) -> Plan | None:
    """Which year each selected organisation is evaluated in (`verdicts.evaluation_plan`:
    the chosen year, else each organisation's own last year with something to assess)."""
    last = db.df("evaluation_last_year", params_for("evaluation_last_year", Filters(filters.orgs)))
    return evaluation_plan(filters, last)


def parts(db: Database, plan: Plan) -> dict[str, pd.DataFrame]:
    """Every part of the compilation, as query results (codes, not labels): each part's
    query once per year of the plan, one after the other."""
    return {
        p.name: stacked([db.df(p.query, params_for(p.query, f)) for f in plan.groups])
        for p in PARTS
    }


# ---------------------------------------------------------------- the workbook

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
        return value.item()
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return value  # stored as text below, never as a formula
    return value


def _number_format(col: str, series: pd.Series) -> str | None:
    if col in MONEY_COLUMNS:
        return "#,##0"
    if col in SHARE_COLUMNS:
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

    names = _headers(list(df.columns), lang, headers)
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


def _headers(columns: list[str], lang: str, headers: Mapping[str, str]) -> list[str]:
    """A part's headers, the sheet's and the CSV's alike: the part's own text key where it
    names one ('status' of what), else the catalogue's `col.NAME`."""
    out = []
    for col in columns:
        text = t(headers.get(col, f"col.{col}"), lang)
        out.append(col if text.startswith("col.") else text)
    return out


def sheet_name(part: str, lang: str) -> str:
    """A part's sheet name in the language (Excel allows 31 characters)."""
    return t(f"evaluation.part.{part}", lang)[:31]


def for_reading(
    frames: Mapping[str, pd.DataFrame], lang: str, orgs: Mapping[str, str] | None = None
) -> dict[str, pd.DataFrame]:
    """The parts as the pages show them: organisations by name, every stored code as a
    word of *lang* (`codes.for_file`, the downloads' own formatter), status codes as words (no
    symbols: a file is read in Excel, where the word says it all). Internal ids are left
    out (goals by number and wording, the rest by name); the contract's own export keeps
    them for those who need them."""
    out = {}
    for p in PARTS:
        df = frames[p.name]
        df = df[[c for c in df.columns if c == "org_id" or not c.endswith("_id")]]
        df = readable(df, p.status_columns, lang, False)
        out[p.name] = codes.for_file(df, lang, orgs, codes.QUERY_CODES.get(p.query))
    return out


def workbook_bytes(
    frames: Mapping[str, pd.DataFrame],
    lang: str,
    *,
    year: int | str,
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
        ("evaluation.report.made", datetime.now(time_zone()).date()),
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


def file_stem(plan: Plan, lang: str, scope: Scope) -> str:
    """File name without suffix: arssammanstallning_slagelse_2013."""
    return f"{t('file.evaluation_compilation', lang)}_{plan_slug(plan, lang, scope)}"


def plan_slug(plan: Plan, lang: str, scope: Scope) -> str:
    """The file-name part naming what an evaluation holds: its organisations and the year
    evaluated, or 'senaste-aret' (each organisation's latest) when they differ."""
    if plan.year is None:
        return file_slug(plan.selection, lang, scope, latest=True)
    return file_slug(plan.groups[0], lang, scope)


def csv_zip(frames: Mapping[str, pd.DataFrame], lang: str, slug: str) -> bytes:
    """The parts (as `for_reading` gives them) as one CSV each in a zip, with the
    workbook's headers and words, in the downloads' format."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in PARTS:
            name = f"{t(f'file.evaluation_{p.name}', lang)}_{slug}.csv"
            df = frames[p.name]
            df = df.set_axis(_headers(list(df.columns), lang, dict(p.headers)), axis=1)
            zf.writestr(name, frame_to_csv(df, lang))
    return buf.getvalue()


@dataclass(frozen=True)
class Compilation:
    """The parts of one compilation and what the workbook's 'About' sheet names."""

    plan: Plan
    frames: dict[str, pd.DataFrame]
    orgs: str
    goals: str
    imported_at: str
    slug: str
    names: Mapping[str, str]  # organisation id -> name

    @property
    def year(self) -> int | None:
        """The one year evaluated (None: each organisation its own latest)."""
        return self.plan.year

    def year_text(self, lang: str) -> int | str:
        """The year as the workbook's title and 'About' sheet write it: the year (a number
        in the sheet), or each organisation's."""
        if self.plan.year is not None:
            return self.plan.year
        return f"{self.plan.label(lang)}: {self.plan.years_text(self.names)}"

    def xlsx(self, lang: str) -> bytes:
        """The workbook in *lang*."""
        return workbook_bytes(
            for_reading(self.frames, lang, self.names),
            lang,
            year=self.year_text(lang),
            orgs=self.orgs,
            goals=self.goals,
            imported_at=self.imported_at,
        )

    def zip(self, lang: str) -> bytes:
        """The zip of CSV files in *lang*'s dialect."""
        return csv_zip(for_reading(self.frames, lang, self.names), lang, self.slug)


def compile_year(db: Database, filters: Filters, lang: str) -> Compilation | None:
    """Everything the compilation holds for the filters' year, or with no year chosen for
    each organisation's own last year (None: nothing to evaluate)."""
    plan = plan_for(db, filters)
    if plan is None:
        return None
    frames = parts(db, plan)
    names = db.df("organisations")
    by_id = dict(zip(names["org_id"], names["name"], strict=True))
    chosen = filters.orgs or tuple(by_id)
    orgs = ", ".join(str(by_id.get(o, o)) for o in chosen)
    if filters.goals:
        goals_df = frames["goals"]
        goals = ", ".join(
            f"{by_id.get(r.org_id, r.org_id)} {r.goal_code}" for r in goals_df.itertuples()
        )
    else:
        goals = t("evaluation.report.all", lang)
    imported = fmt_time(read_manifest(db.folder).get("imported_at"), lang)
    # *filters* come narrowed to the reader's organisations (`data.scoped`; the command
    # line reads every one), so the name covers what they cover
    slug = plan_slug(plan, lang, Scope.everything())
    return Compilation(plan, frames, orgs, goals, imported, slug, by_id)


def write_report(db: Database, filters: Filters, lang: str, out: Path) -> Compilation | None:
    """Write the compilation to *out* (.xlsx, or .zip for the CSV files); None: no data."""
    comp = compile_year(db, filters, lang)
    if comp is None:
        return None
    out.write_bytes(comp.zip(lang) if out.suffix.lower() == ".zip" else comp.xlsx(lang))
    return comp
