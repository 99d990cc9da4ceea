"""The validated import: CSV folder or .xlsx workbook in, Parquet dataset out.

Every problem is collected (not just the first) and reported as
`file:row:column: message`, with rows numbered as a spreadsheet shows them (the
header is row 1). Nothing is written unless the whole source is clean, and then the
dataset is swapped in atomically (see `dataset.swap_in`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pyarrow as pa

from dashboard.contract import MAX_YEAR, MIN_YEAR, TABLE_BY_NAME, TABLES, Column, Table
from dashboard.dataset import arrow_schema, write_dataset

REQUIRED_TABLES = ("organisations", "strategies", "goals")
EXCEL_EPOCH = date(1899, 12, 30)
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_INT = re.compile(r"^[+-]?\d+$")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the source, located as precisely as we can."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"


class ImportFailed(Exception):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the import")


@dataclass
class RawTable:
    """A sheet or CSV file as read: header names and rows of cell values."""

    file: str
    header: list[str]
    rows: list[list[object]]  # cells as read: str from CSV, typed values from xlsx
    decimal_comma: bool = False


# ---------------------------------------------------------------- reading


def _decode(data: bytes, name: str, problems: list[Problem]) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(name, 1, "-", f"not UTF-8 text (byte {exc.start}); save it as 'CSV UTF-8'")
        )
        return None


def read_csv_bytes(data: bytes, name: str, problems: list[Problem]) -> RawTable | None:
    """Read one CSV file as Swedish or Danish Excel writes it (BOM, ';' and decimal comma)."""
    text = _decode(data, name, problems)
    if text is None:
        return None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    if "\t" in first and first.count("\t") > max(first.count(";"), first.count(",")):
        delimiter = "\t"
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        problems.append(Problem(name, 1, "-", "the file is empty: it needs a header row"))
        return None
    header = [h.strip() for h in rows[0]]
    return RawTable(name, header, rows[1:], decimal_comma=delimiter == ";")


def read_xlsx(path: Path, problems: list[Problem]) -> dict[str, RawTable]:
    """Read every sheet of a workbook; sheet names are table names."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        problems.append(Problem(path.name, 1, "-", f"cannot open as .xlsx: {exc}"))
        return {}
    out: dict[str, RawTable] = {}
    for ws in wb.worksheets:
        if ws.title.startswith("_"):
            continue  # notes sheets such as the template's _contract
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        if not rows:
            continue
        header = ["" if h is None else str(h).strip() for h in rows[0]]
        while header and header[-1] == "":
            header.pop()
        out[ws.title] = RawTable(f"{path.name}[{ws.title}]", header, rows[1:])
    wb.close()
    return out


def read_source(source: Path, problems: list[Problem]) -> dict[str, RawTable]:
    """Read a folder of CSV files or one .xlsx workbook into raw tables by name."""
    if source.is_dir():
        raw: dict[str, RawTable] = {}
        for f in sorted(source.glob("*.csv")):
            table = read_csv_bytes(f.read_bytes(), f.name, problems)
            if table is not None:
                raw[f.stem] = table
        if not raw and not problems:
            problems.append(Problem(source.name, 0, "-", "no .csv files in this folder"))
        return raw
    if source.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx(source, problems)
    if not source.exists():
        problems.append(Problem(str(source), 0, "-", "no such file or folder"))
    else:
        problems.append(
            Problem(source.name, 0, "-", "expected a folder of .csv files or an .xlsx workbook")
        )
    return {}


# ---------------------------------------------------------------- parsing cells


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _number_text(text: str, decimal_comma: bool) -> str:
    t = text.strip().replace("\u00a0", "").replace(" ", "").replace("\u202f", "")
    if decimal_comma:
        if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?", t):
            t = t.replace(".", "")
        return t.replace(",", ".")
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", t):
        t = t.replace(",", "")
    return t


def parse_cell(value: object, col: Column, decimal_comma: bool) -> object:
    """Turn one cell into the column's Python type; raises ValueError with a reason."""
    if _blank(value):
        return None
    if col.type == "str":
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()
    if col.type == "int":
        if isinstance(value, bool):
            raise ValueError(f"expected a whole number, got {value!r}")
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            if value.is_integer():
                return int(value)
            raise ValueError(f"expected a whole number, got {value!r}")
        text = _number_text(str(value), decimal_comma)
        if re.fullmatch(r"[+-]?\d+(\.0+)?", text):
            return int(float(text))
        raise ValueError(f"expected a whole number, got {str(value)!r}")
    if col.type == "float":
        if isinstance(value, bool):
            raise ValueError(f"expected a number, got {value!r}")
        if isinstance(value, int | float):
            return float(value)
        text = _number_text(str(value), decimal_comma)
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"expected a number, got {str(value)!r}") from None
    # date
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_date(float(value))
    text = str(value).strip()
    if _INT.fullmatch(text):
        return _excel_date(float(text))
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 else date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"expected a date as YYYY-MM-DD or an Excel date, got {text!r}") from None


def _excel_date(serial: float) -> date:
    if not 1 <= serial <= 2_958_465:
        raise ValueError(f"{serial:g} is not an Excel date")
    return EXCEL_EPOCH + timedelta(days=int(serial))


# ---------------------------------------------------------------- validation


@dataclass
class ParsedTable:
    """A table's rows after cell parsing: dicts by column name, with spreadsheet row numbers."""

    table: Table
    file: str
    rows: list[dict[str, object]]
    line: list[int]


def _parse_table(table: Table, raw: RawTable, problems: list[Problem]) -> ParsedTable:
    names = [c.name for c in table.columns]
    known = set(names)
    index: dict[str, int] = {}
    for i, h in enumerate(raw.header):
        if h == "":
            continue
        if h not in known:
            problems.append(
                Problem(raw.file, 1, h, f"unknown column; {table.name} has {', '.join(names)}")
            )
        elif h in index:
            problems.append(Problem(raw.file, 1, h, "column appears twice"))
        else:
            index[h] = i
    for col in table.input_columns:
        if col.name not in index and col.required:
            problems.append(Problem(raw.file, 1, col.name, "required column is missing"))
    parsed = ParsedTable(table, raw.file, [], [])
    for n, cells in enumerate(raw.rows, start=2):
        if all(_blank(c) for c in cells):
            continue
        row: dict[str, object] = {}
        for col in table.input_columns:
            i = index.get(col.name)
            value = cells[i] if i is not None and i < len(cells) else None
            try:
                v = parse_cell(value, col, raw.decimal_comma)
            except ValueError as exc:
                problems.append(Problem(raw.file, n, col.name, str(exc)))
                v = None
            else:
                _check_value(raw.file, n, col, v, problems)
            row[col.name] = v
        parsed.rows.append(row)
        parsed.line.append(n)
    return parsed


def _check_value(file: str, n: int, col: Column, v: object, problems: list[Problem]) -> None:
    if v is None:
        if col.required:
            problems.append(Problem(file, n, col.name, "required value is empty"))
        return
    if col.allowed is not None and v not in col.allowed:
        problems.append(
            Problem(file, n, col.name, f"{v!r} is not allowed; use one of {', '.join(col.allowed)}")
        )
    if col.year and not MIN_YEAR <= int(v) <= MAX_YEAR:  # type: ignore[call-overload]
        problems.append(Problem(file, n, col.name, f"year {v} is outside {MIN_YEAR}-{MAX_YEAR}"))
    if col.money and float(v) < 0:  # type: ignore[arg-type]
        problems.append(Problem(file, n, col.name, f"amount {v:g} is negative"))


def _check_rows(p: ParsedTable, problems: list[Problem]) -> None:
    """Checks within a row: currency for money, ranges in order, EU funding within budget."""
    cols = {c.name for c in p.table.columns}
    money = [c.name for c in p.table.columns if c.money]
    for row, n in zip(p.rows, p.line, strict=True):
        if money:
            cur = row.get("currency")
            if any(row.get(m) is not None for m in money) and cur is None:
                problems.append(Problem(p.file, n, "currency", "an amount needs its currency"))
            elif cur is not None and not _CURRENCY.fullmatch(str(cur)):
                problems.append(
                    Problem(p.file, n, "currency", f"{cur!r} is not an ISO 4217 code (EUR, SEK)")
                )
        for lo, hi in (
            ("since_year", "until_year"),
            ("start_date", "end_date"),
            ("valid_from", "valid_to"),
        ):
            lo_v, hi_v = row.get(lo), row.get(hi)
            if lo in cols and lo_v is not None and hi_v is not None and hi_v < lo_v:  # type: ignore[operator]
                problems.append(Problem(p.file, n, hi, f"{row[hi]} is before {lo} {row[lo]}"))
        if "eu_funding" in cols:
            total, eu, own = row.get("total_budget"), row.get("eu_funding"), row.get("own_funding")
            if total is not None and eu is not None and eu > total:  # type: ignore[operator]
                problems.append(
                    Problem(
                        p.file, n, "eu_funding", f"EU funding {eu:g} exceeds total budget {total:g}"
                    )
                )
            if total is not None and own is not None and own > total:  # type: ignore[operator]
                problems.append(
                    Problem(
                        p.file,
                        n,
                        "own_funding",
                        f"own funding {own:g} exceeds total budget {total:g}",
                    )
                )


def _check_keys(p: ParsedTable, problems: list[Problem]) -> None:
    seen: dict[tuple, int] = {}
    for row, n in zip(p.rows, p.line, strict=True):
        key = tuple(row.get(k) for k in p.table.key)
        if any(k is None for k in key):
            continue
        if key in seen:
            shown = ", ".join(str(k) for k in key)
            problems.append(
                Problem(
                    p.file, n, p.table.key[-1], f"duplicate key ({shown}); first on row {seen[key]}"
                )
            )
        else:
            seen[key] = n


def _check_refs(parsed: dict[str, ParsedTable], problems: list[Problem]) -> None:
    ids: dict[tuple[str, str], set] = {}
    for p in parsed.values():
        for col in p.table.columns:
            if col.ref is None:
                continue
            target = ids.setdefault(
                col.ref,
                {r.get(col.ref[1]) for r in parsed[col.ref[0]].rows}
                if col.ref[0] in parsed
                else set(),
            )
            for row, n in zip(p.rows, p.line, strict=True):
                v = row.get(col.name)
                if v is not None and v not in target:
                    problems.append(
                        Problem(
                            p.file, n, col.name, f"unknown {col.ref[1]} {v!r} (not in {col.ref[0]})"
                        )
                    )


def _goal_org(parsed: dict[str, ParsedTable]) -> dict[object, object]:
    strategy_org = {r["strategy_id"]: r["org_id"] for r in parsed["strategies"].rows}
    return {r["goal_id"]: strategy_org.get(r["strategy_id"]) for r in parsed["goals"].rows}


def _check_cross(parsed: dict[str, ParsedTable], problems: list[Problem]) -> None:
    """Links that must stay within one organisation, and parent chains without cycles."""
    goal_org = _goal_org(parsed)
    goal_strategy = {r["goal_id"]: r["strategy_id"] for r in parsed["goals"].rows}
    act_org = {r["activity_id"]: r["org_id"] for r in parsed["activities"].rows}
    proj_org = {r["project_id"]: r["org_id"] for r in parsed["projects"].rows}

    def same_org(p: ParsedTable, owner: dict, key: str) -> None:
        for row, n in zip(p.rows, p.line, strict=True):
            org = owner.get(row.get(key)) if key != "org_id" else row.get("org_id")
            g = row.get("goal_id")
            if g is None or org is None or g not in goal_org:
                continue
            if goal_org[g] != org:
                problems.append(
                    Problem(
                        p.file,
                        n,
                        "goal_id",
                        f"goal {g!r} belongs to {goal_org[g]!r}, not to {org!r}",
                    )
                )

    same_org(parsed["activity_goals"], act_org, "activity_id")
    same_org(parsed["project_goals"], proj_org, "project_id")
    same_org(parsed["indicators"], {}, "org_id")
    same_org(parsed["goal_assessments"], {}, "org_id")

    goals = parsed["goals"]
    for row, n in zip(goals.rows, goals.line, strict=True):
        parent = row.get("parent_goal_id")
        if parent in goal_strategy and goal_strategy[parent] != row.get("strategy_id"):
            problems.append(
                Problem(
                    goals.file,
                    n,
                    "parent_goal_id",
                    f"parent goal {parent!r} belongs to another strategy",
                )
            )
    for name, key, parent_col in (
        ("goals", "goal_id", "parent_goal_id"),
        ("networks", "network_id", "parent_network_id"),
    ):
        p = parsed[name]
        parent_of = {r[key]: r.get(parent_col) for r in p.rows}
        for row, n in zip(p.rows, p.line, strict=True):
            seen, cur = {row[key]}, parent_of.get(row[key])
            while cur is not None:
                if cur in seen:
                    problems.append(
                        Problem(p.file, n, parent_col, f"{row[key]!r} is its own ancestor")
                    )
                    break
                seen.add(cur)
                cur = parent_of.get(cur)


def validate(raw: dict[str, RawTable], problems: list[Problem]) -> dict[str, ParsedTable]:
    """Parse and check every table; appends to *problems* and returns what parsed."""
    for name, table in raw.items():
        if name not in TABLE_BY_NAME:
            problems.append(
                Problem(
                    table.file,
                    0,
                    "-",
                    f"unknown table {name!r}; expected one of {', '.join(t.name for t in TABLES)}",
                )
            )
    parsed: dict[str, ParsedTable] = {}
    for table in TABLES:
        if table.name in raw:
            parsed[table.name] = _parse_table(table, raw[table.name], problems)
        else:
            if table.name in REQUIRED_TABLES:
                problems.append(Problem(f"{table.name}.csv", 0, "-", "required table is missing"))
            parsed[table.name] = ParsedTable(table, f"{table.name}.csv", [], [])
    for p in parsed.values():
        _check_rows(p, problems)
        _check_keys(p, problems)
    _check_refs(parsed, problems)
    _check_cross(parsed, problems)
    return parsed


def _derive(parsed: dict[str, ParsedTable]) -> None:
    """Fill the derived columns that let DuckDB prune link tables by organisation and year."""
    goal_org = _goal_org(parsed)
    for row in parsed["goals"].rows:
        row["org_id"] = goal_org.get(row["goal_id"])
    acts = {r["activity_id"]: r for r in parsed["activities"].rows}
    for row in parsed["activity_goals"].rows:
        act = acts[row["activity_id"]]
        row["org_id"], row["year"] = act["org_id"], act["year"]


def to_arrow(parsed: dict[str, ParsedTable]) -> dict[str, pa.Table]:
    """Arrow tables in the contract's schema, ready for `write_dataset`."""
    out = {}
    for name, p in parsed.items():
        schema = arrow_schema(p.table)
        cols = {f.name: [r.get(f.name) for r in p.rows] for f in schema}
        out[name] = pa.table(cols, schema=schema)
    return out


def check_source(source: Path) -> tuple[dict[str, ParsedTable], list[Problem]]:
    """Read and validate a source without writing anything."""
    problems: list[Problem] = []
    raw = read_source(source, problems)
    parsed = validate(raw, problems) if raw else {}
    return parsed, sorted(problems)


def ingest(source: Path, out: Path) -> dict[str, int]:
    """Validate *source* and, only if it is clean, replace the dataset at *out*.

    Raises ImportFailed listing every problem; in that case nothing is written.
    """
    parsed, problems = check_source(source)
    if problems:
        raise ImportFailed(problems)
    _derive(parsed)
    return write_dataset(out, to_arrow(parsed), source=source.name)


def ingest_bytes(
    files: Iterable[tuple[str, bytes]],
) -> tuple[dict[str, ParsedTable], list[Problem]]:
    """Validate uploaded files (CSV bytes by file name, or one .xlsx) without writing."""
    problems: list[Problem] = []
    raw: dict[str, RawTable] = {}
    for name, data in files:
        if name.lower().endswith(".xlsx"):
            import tempfile

            with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
                tmp.write(data)
                tmp.flush()
                for k, v in read_xlsx(Path(tmp.name), problems).items():
                    raw[k] = RawTable(v.file.replace(Path(tmp.name).name, name), v.header, v.rows)
        else:
            t = read_csv_bytes(data, name, problems)
            if t is not None:
                raw[Path(name).stem] = t
    parsed = validate(raw, problems) if raw else {}
    return parsed, sorted(problems)
