"""The contract's checks: one place that the import, the Data page's upload and editing share.

`parse_cell` turns one cell into the column's type or refuses it with a reason; `validate`
parses every table and checks rows, keys, references, organisations and parent chains.
Nothing is guessed: a number that reads differently in Swedish and English (1,500), a
code Excel turned into a date, a year in a date column, an error value, a formula never
calculated, NaN or infinity are refused with a hint; control characters are removed
with a warning. Coded columns accept the code or its word in Swedish, Danish or English.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from dashboard.imports.sources import (
    EXCEL_ERRORS,
    ExcelError,
    FormulaWithoutValue,
    PercentCell,
    RawTable,
    column_letter,
)
from dashboard.model import codes
from dashboard.model.contract import MAX_YEAR, MIN_YEAR, TABLE_BY_NAME, TABLES, Column, Table
from dashboard.model.problems import WARNING, Problem

REQUIRED_TABLES = ("organisations", "strategies", "goals")
EXCEL_EPOCH = date(1899, 12, 30)
# Excel serial numbers of the first and last day the contract allows (1950-01-01, 2100-12-31)
MIN_SERIAL = (date(MIN_YEAR, 1, 1) - EXCEL_EPOCH).days
MAX_SERIAL = (date(MAX_YEAR, 12, 31) - EXCEL_EPOCH).days
INT64 = 2**63 - 1
# control characters (tab and newline kept) and the invisible ones text pasted from a web page
# or Word brings: soft hyphen, zero-width space, word joiner, left-to-right and right-to-left
# marks, embeddings, overrides and isolates (which can also show a text in another order than
# it is stored). An id holding one is another id than the one the eye reads.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\u200b\u200e\u200f\u2060\u202a-\u202e\u2066-\u2069]"
)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']")
# digits grouped by threes with one kind of space or apostrophe, then decimals or an exponent
_GROUPED = re.compile(
    r"[+-]?\d{1,3}(?:(?P<g>[ \u00a0\u202f\u2009\u2007'])\d{3})(?:(?P=g)\d{3})*"
    r"(?:[.,]\d+)?(?:[eE][+-]?\d+)?"
)
_DATE_LIKE = re.compile(
    r"^\s*(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-./ ](jan|feb|mar|apr|ma[jy]|jun|jul|aug|sep|okt|oct|"
    r"nov|dec)[a-z]*\.?([-./ ]\d{2,4})?|(jan|feb|mar|apr|ma[jy]|jun|jul|aug|sep|okt|oct|nov|"
    r"dec)[a-z]*[-./ ]\d{1,4})\s*$",
    re.IGNORECASE,
)
CODE_COLUMNS = {("goals", "code")}  # texts Excel likes to turn into dates (1.2 -> 1 feb)


class CellError(ValueError):
    """A cell that cannot be stored: the message key and the values it names."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values: dict[str, Any] = values  # the message's values (never level or table)


@dataclass
class ParsedTable:
    """A table's rows after cell parsing: dicts by column name, with spreadsheet row numbers.

    *labels* maps a contract column to the header the user's file gives it, so a problem
    names the column the user sees ('Nätverk', not 'network_id').
    """

    table: Table
    file: str
    rows: list[dict[str, object]]
    line: list[int]
    labels: dict[str, str] = field(default_factory=dict)
    files: list[str] | None = None  # per row, when rows come from several places

    def col(self, name: str) -> str:
        """The user's name of contract column *name*."""
        return self.labels.get(name, name)

    def items(self) -> Iterator[tuple[dict[str, object], int, str]]:
        """Each row with its spreadsheet row number and the file it came from."""
        files = self.files or [self.file] * len(self.rows)
        yield from zip(self.rows, self.line, files, strict=True)

    def extend(self, other: ParsedTable) -> None:
        """Add *other*'s rows (kept rows of the live dataset), remembering where they are."""
        if self.files is None:
            self.files = [self.file] * len(self.rows)
        self.rows += other.rows
        self.line += other.line
        self.files += other.files or [other.file] * len(other.rows)


# ---------------------------------------------------------------- numbers


# an amount written with a currency before or after it ("1 000 kr", "EUR 500", "500:-")
# (a code as ISO writes it, "kr", "euro", a currency sign or the Swedish ":-"; "1oo" is a
# typing slip, not 1 in the currency "oo")
_CURRENCY = r"(?:[A-Z]{3}|(?i:kr\.?|euro?)|[€$£¥]|:-)"
_CURRENCY_BESIDE = re.compile(
    rf"{_CURRENCY}\s*(?P<before>[-+\u2212]?\d.*)|(?P<after>.*\d)\s*{_CURRENCY}"
)


def parse_number(text: str, decimal: str | None) -> float | int:
    """A number written as text, read by the file's decimal mark or refused when ambiguous.

    *decimal* is ',' or '.' when the file's language is known, None when not: then "1,5"
    and "1.5" are read (a group of three digits cannot follow a decimal mark only in an
    ambiguous way), but "1,500" and "1.500" are refused, since Swedish reads 1.5 and
    English 1500.
    """
    raw = text.strip().replace("\u2212", "-")
    if raw.endswith("%") and raw[:-1].strip():
        # "40 %": the contract writes a percentage as its number of percent (an indicator
        # in percent holds 40), so the sign is refused, not dropped nor read as 0.4
        raise CellError("percent_sign", value=raw, number=raw[:-1].strip())
    money = _CURRENCY_BESIDE.fullmatch(raw)
    if money:
        # "1 000 kr", "€ 1.000", "500:-": an amount with its currency; refused with what to
        # write (the amount alone, the currency in its own column), not as a slip of spacing
        number = (money["before"] or money["after"]).strip()
        try:
            parse_number(number, decimal)
        except CellError:
            pass
        else:
            raise CellError("currency_in_number", value=raw, number=number)
    if _SPACES.search(raw) and not _GROUPED.fullmatch(raw):
        # a space or an apostrophe separates thousands only in groups of three: "100 50",
        # "1'5" or a year "20 09" is a typing slip, never 10050, 15 or 2009
        raise CellError("bad_grouping", value=raw)
    t = _SPACES.sub("", raw)
    if re.fullmatch(r"[+-]?\d+", t):
        if len(t.lstrip("+-")) > 300:  # past any amount and a float's range (1.8e308)
            raise CellError("too_large", value=_shortened(text.strip()))
        return int(t)
    m = re.fullmatch(r"([+-]?)(\d[\d.,]*)(?:[eE]([+-]?\d+))?", t)
    if not m:
        if t.lower().lstrip("+-") in ("nan", "inf", "infinity", "∞"):
            raise CellError("not_finite", value=text.strip())
        raise CellError("not_a_number", value=text.strip())
    sign, body, exp = m.groups()
    has_dot, has_comma = "." in body, "," in body
    if has_dot and has_comma:
        dec = "." if body.rfind(".") > body.rfind(",") else ","
        thousands = "," if dec == "." else "."
        whole, _, frac = body.rpartition(dec)
        if not re.fullmatch(r"\d{1,3}(" + re.escape(thousands) + r"\d{3})*", whole) or dec in frac:
            raise CellError("not_a_number", value=text.strip())
        number = whole.replace(thousands, "") + "." + frac
    elif has_dot or has_comma:
        sep = "." if has_dot else ","
        parts = body.split(sep)
        grouped = all(len(p) == 3 for p in parts[1:]) and 1 <= len(parts[0]) <= 3
        if len(parts) > 2:
            if not grouped:
                raise CellError("not_a_number", value=text.strip())
            number = "".join(parts)  # 1.000.000 or 1,000,000: only thousands
        elif grouped and not exp:
            # 1,500 or 1.500: a decimal mark or a thousands separator?
            if decimal is None:
                raise CellError("ambiguous_number", value=text.strip())
            number = parts[0] + ("." + parts[1] if sep == decimal else parts[1])
        else:
            number = parts[0] + "." + parts[1]
    else:
        number = body
    value = float(sign + number + (f"e{exp}" if exp else ""))
    if not math.isfinite(value):  # "1e999", or hundreds of digits with a decimal mark
        raise CellError("not_finite", value=_shortened(text.strip()))
    return value


def file_decimal(said: str | None, texts: Iterable[str]) -> str | None:
    """The decimal mark to read a file's numbers written as text by: what the file says
    (*said*: a semicolon CSV ',' and a comma CSV '.', as Excel writes them; a workbook its
    language's) unless its own numbers show otherwise, and what they show when it says
    nothing. None: unknown, so a number that reads two ways ("1,500") is refused.

    Some numbers can only be written one way: "-71.20812" or "1234.5" only with a decimal
    point, "1,5" or "1.234,5" only with a decimal comma, "1.000.000" only with a thousands
    point. One export writes every number of a file one way, so a tab-separated file whose
    coordinates read "59.3293" reads its "-71.208" as written instead of refusing it; a
    semicolon file written with decimal points (another program's, or a hand-made one)
    has its "18.296" refused as ambiguous instead of read as 18 296; a file whose numbers
    show both marks is read by neither."""
    seen: set[str] = set()
    for text in texts:
        marks = {m for m in ".," if m in text}
        if not marks:
            continue
        try:  # read as `parse_number` reads a number when the mark is unknown
            value = parse_number(text, None)
        except CellError:  # not a number, or one that reads two ways: shows nothing
            continue
        if len(marks) == 2:  # 1,234.5 or 1.234,5: the later mark is the decimal one
            seen.add("." if text.rfind(".") > text.rfind(",") else ",")
        else:  # one kind of mark: a decimal one, unless the number is its digits alone
            mantissa, _, exp = _SPACES.sub("", text).lower().partition("e")
            digits = int(re.sub(r"\D", "", mantissa)) * 10 ** int(exp or 0)
            (mark,) = marks
            seen.add(mark if abs(value) != digits else ({".", ","} - marks).pop())
        if len(seen) > 1:
            return None
    if not seen:
        return said
    shown = seen.pop()
    return shown if said in (None, shown) else None


def _shortened(text: str, most: int = 40) -> str:
    """A long value as a message names it: its start and an ellipsis."""
    return text if len(text) <= most else text[: most - 1] + "…"


def read_typed(text: str | None, decimal: str, whole: bool = False) -> float | int | None:
    """A number a person typed in a form, read by the interface language's decimal mark
    (*decimal*: "," in Swedish and Danish, "." in English): "7,5" is seven and a half in
    Swedish, never 75. Empty: None. The one reader of typed numbers: forms use it through
    `numbers.number_field`, files through `parse_cell`. CellError names what is wrong."""
    t = (text or "").strip()
    if not t:
        return None
    value = parse_number(t, decimal)
    if whole:
        if float(value) != int(float(value)):
            raise CellError("not_whole", value=t)
        return int(float(value))
    return float(value)


def _excel_date(serial: float, raw: object, epoch: date = EXCEL_EPOCH) -> date:
    """A date Excel stores as a serial number of days since the workbook's *epoch*: the
    1900 date system's (1899-12-30, as Excel counts) or the 1904 system's (1904-01-01,
    workbooks from old Macs): the same serial is four years and a day apart."""
    if not serial.is_integer() and serial % 1 != 0:
        serial = math.floor(serial)
    if MIN_YEAR <= serial <= MAX_YEAR:
        raise CellError("year_in_date", value=int(serial))
    found = epoch + timedelta(days=int(serial)) if 0 <= serial <= MAX_SERIAL else None
    if found is None or not date(MIN_YEAR, 1, 1) <= found <= date(MAX_YEAR, 12, 31):
        raise CellError("bad_serial", value=raw)
    return found


def _date_text(text: str) -> date:
    if re.fullmatch(r"\d{4}", text):
        raise CellError("year_in_date", value=int(text))
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?", text)
    day_first = re.fullmatch(r"(\d{1,2})[-.](\d{1,2})[-.](\d{4})", text)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        if day_first:  # Danish Excel: 31-12-2013; also 31.12.2013
            return date(int(day_first[3]), int(day_first[2]), int(day_first[1]))
    except ValueError:
        raise CellError("no_such_date", value=text) from None
    slash = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", text)
    if slash:
        a, b, year = int(slash[1]), int(slash[2]), slash[3]
        readings = {d for d in (_real_date(year, b, a), _real_date(year, a, b)) if d}
        if not readings:
            raise CellError("no_such_date", value=text)  # 31/02/2024: in no reading a day
        if len(readings) == 1 and len(year) == 4:
            return readings.pop()  # 31/12/2024 or 12/31/2024: one day, whichever order
        raise CellError("ambiguous_date", value=text)
    raise CellError("bad_date", value=text)


def _real_date(year: str, month: int, day: int) -> date | None:
    try:
        return date(int(year), month, day)
    except ValueError:
        return None


def _check_date_range(d: date) -> date:
    if not MIN_YEAR <= d.year <= MAX_YEAR:
        raise CellError("date_out_of_range", value=d.isoformat(), lo=MIN_YEAR, hi=MAX_YEAR)
    return d


# ---------------------------------------------------------------- cells


def clean_text(text: str) -> tuple[str, bool]:
    """Text without control and invisible characters (`_CONTROL`; tab and newline kept);
    True when any were removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # a byte-order mark inside a file (two files joined) is no character of the text
    cleaned = _CONTROL.sub("", text).replace("\ufeff", "")
    return cleaned.strip(), cleaned != text


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def parse_cell(
    value: object,
    col: Column,
    decimal: str | None,
    table: str = "",
    epoch: date = EXCEL_EPOCH,
) -> tuple[object, bool]:
    """One cell in the column's Python type, and whether control characters were removed.

    Raises CellError with the message key and values when the cell cannot be stored.
    """
    if isinstance(value, ExcelError):
        raise CellError("excel_error", value=value.code)
    if isinstance(value, FormulaWithoutValue):
        raise CellError("formula_without_value", value=value.formula[:60])
    if isinstance(value, str) and value.strip().upper() in EXCEL_ERRORS:
        raise CellError("excel_error", value=value.strip())
    if _blank(value):
        return None, False
    if isinstance(value, float) and not math.isfinite(value):
        raise CellError("not_finite", value=str(value))
    if isinstance(value, bool):  # before the kinds: a bool is also an int to Python
        raise _truth(value)
    if isinstance(value, PercentCell):
        if col.type == "str":
            return _parse_text(str(value), col, table)
        raise CellError("percent_format", shown=value.shown, value=float(value.value))
    if col.type == "str":
        return _parse_text(value, col, table)
    if col.type == "int":
        return _parse_int(value, col, decimal), False
    if col.type == "float":
        return _parse_float(value, decimal), False
    return _parse_date(value, epoch), False


def _truth(value: bool) -> CellError:
    """A cell Excel holds as TRUE or FALSE (a ticked box, a comparison such as =B2>0): no
    column stores one, and the message names it as the user's Excel writes it (SANT,
    FALSKT), not as Python does ("True")."""
    return CellError("truth_true" if value else "truth_false")


def _parse_text(value: object, col: Column, table: str) -> tuple[object, bool]:
    code = (table, col.name) in CODE_COLUMNS
    if isinstance(value, datetime | date | time):
        shown = value.isoformat() if not isinstance(value, datetime) else value.date().isoformat()
        raise CellError("date_in_text", value=shown)
    if isinstance(value, float):
        if value.is_integer():
            value = int(value)
        elif code:
            raise CellError("number_in_code", value=repr(value))
    text, stripped = clean_text(str(value))
    if code and _DATE_LIKE.match(text):
        raise CellError("date_like_code", value=text)
    domain = codes.COLUMN_DOMAIN.get((table, col.name))
    if domain is not None and text:
        found = codes.resolve(domain, text)
        if found is None:
            raise CellError("not_allowed", value=text, choices=Choices(domain))
        return found, stripped
    return (text or None), stripped


def _parse_int(value: object, col: Column, decimal: str | None) -> int:
    if isinstance(value, datetime | date):
        raise CellError("date_in_number", value=str(value)[:10])
    if isinstance(value, int):
        n = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise CellError("not_whole", value=value)  # shown as the language writes it
        n = int(value)
    else:
        try:
            number = parse_number(str(value), decimal)
        except CellError as exc:
            if exc.key == "not_a_number":
                raise CellError("not_whole", value=str(value).strip()) from None
            raise
        if isinstance(number, float) and not number.is_integer():
            raise CellError("not_whole", value=str(value).strip())
        n = int(number)
    if abs(n) > INT64:
        raise CellError("too_large", value=str(value).strip())
    return n


def _parse_float(value: object, decimal: str | None) -> float:
    if isinstance(value, datetime | date | time):
        raise CellError("date_in_number", value=str(value)[:10])
    if isinstance(value, int):
        if abs(value) > 1e300:
            raise CellError("too_large", value=str(value))
        return float(value)
    if isinstance(value, float):
        return value
    number = parse_number(str(value), decimal)
    return float(number)


def _parse_date(value: object, epoch: date = EXCEL_EPOCH) -> date:
    if isinstance(value, datetime):
        return _check_date_range(value.date())
    if isinstance(value, date):
        return _check_date_range(value)
    if isinstance(value, time):
        raise CellError("bad_date", value=value.isoformat())
    if isinstance(value, int | float):
        return _excel_date(float(value), value, epoch)
    text = str(value).strip()
    if re.fullmatch(r"\d+(\.\d+)?", text) and not re.fullmatch(r"\d{4}", text):
        return _excel_date(float(text), text, epoch)
    return _check_date_range(_date_text(text))


@dataclass(frozen=True)
class Choices:
    """The words a coded column accepts, listed in the reader's language."""

    domain: str

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str) -> str:
        """The choices as a list in *lang*."""
        return ", ".join(codes.choices(self.domain, lang))

    def __lt__(self, other: object) -> bool:
        return str(self) < str(other)


# ---------------------------------------------------------------- tables


def _header_index(table: Table, raw: RawTable, problems: list[Problem]) -> dict[str, int]:
    names = codes.column_aliases(table.name)  # its own name or its header in a language
    index: dict[str, int] = {}
    for i, h in enumerate(raw.header):
        if h == "":
            continue
        name = names.get(h.strip().lower()) or names.get(codes.normal(h))
        if name is None:
            problems.append(
                Problem.of(
                    raw.file,
                    1,
                    h,
                    "unknown_column",
                    table=table.name,
                    name=table.name,
                    known=", ".join(c.name for c in table.columns),
                )
            )
        elif name in index:
            problems.append(Problem.of(raw.file, 1, h, "column_twice", table=table.name))
        else:
            index[name] = i
    for col in table.input_columns:
        if col.name not in index and col.required:
            problems.append(Problem.of(raw.file, 1, col.name, "missing_column", table=table.name))
    return index


def parse_table(
    table: Table, raw: RawTable, problems: list[Problem], labels: Mapping[str, str] | None = None
) -> ParsedTable:
    """Parse every row of one table; cells that cannot be stored become problems."""
    index = _header_index(table, raw, problems)
    labels = dict(labels or {})
    parsed = ParsedTable(table, raw.file, [], [], labels)
    numeric = [index[c.name] for c in table.input_columns
               if c.type in ("int", "float") and c.name in index]  # fmt: skip
    texts = (c for cells in raw.rows for j in numeric if j < len(cells)
             for c in (cells[j],) if isinstance(c, str))  # fmt: skip
    decimal = file_decimal(raw.decimal, texts)
    width = len(raw.header)
    unheaded = [j for j, h in enumerate(raw.header) if not h.strip()]
    for i, cells in enumerate(raw.rows):
        if all(_blank(c) for c in cells):
            continue
        n = raw.line(i)
        # only the cells under no heading are looked at (most rows have none)
        for at in [*unheaded, *range(width, len(cells))]:
            if at < len(cells) and not _blank(cells[at]):
                # a value under no heading would be dropped: a CSV row with one separator
                # too many (an unquoted "Bryssel, Belgien"), or a note beside the table
                problems.append(
                    Problem.of(raw.file, n, column_letter(at), "value_without_heading",
                               table=table.name)
                )  # fmt: skip
        row: dict[str, object] = {}
        for col in table.input_columns:
            j = index.get(col.name)
            value = cells[j] if j is not None and j < len(cells) else None
            try:
                v, stripped = parse_cell(value, col, decimal, table.name, raw.epoch)
            except CellError as exc:
                problems.append(
                    Problem.of(
                        raw.file, n, parsed.col(col.name), exc.key, table=table.name, **exc.values
                    )
                )
                v = None
            else:
                if stripped:
                    problems.append(
                        Problem.of(
                            raw.file,
                            n,
                            parsed.col(col.name),
                            "control_removed",
                            level=WARNING,
                            table=table.name,
                        )
                    )
                _check_value(parsed, n, col, v, problems, value)
            row[col.name] = v
        parsed.rows.append(row)
        parsed.line.append(n)
    return parsed


def _check_value(
    p: ParsedTable, n: int, col: Column, v: object, problems: list[Problem], cell: object = None
) -> None:
    """The rules on one parsed value *v*; *cell* is what the file held (a message about a
    number read from text names the text: "-71.208", not the -71 208 it was read as)."""

    def add(key: str, **values: Any) -> None:
        problems.append(Problem.of(p.file, n, p.col(col.name), key, table=p.table.name, **values))

    if v is None:
        if col.required:
            add("required_empty")
        return
    if col.allowed is not None and v not in col.allowed:  # a code no word resolved to
        add("not_allowed", value=v, choices=", ".join(col.allowed))
    if col.year and not MIN_YEAR <= int(v) <= MAX_YEAR:  # type: ignore[call-overload]
        add("year_range", value=v, lo=MIN_YEAR, hi=MAX_YEAR)
    if col.bounds and not col.bounds[0] <= float(v) <= col.bounds[1]:  # type: ignore[arg-type]
        written = cell.strip() if isinstance(cell, str) else v
        add("out_of_range", value=written, lo=col.bounds[0], hi=col.bounds[1])
    if col.money and float(v) < 0:  # type: ignore[arg-type]
        add("negative", value=v)
    if col.money and abs(float(v)) >= 1e15:  # type: ignore[arg-type]
        add("too_large", value=v)


def _country_of(parsed: Mapping[str, ParsedTable]) -> dict[object, object]:
    orgs = parsed.get("organisations")
    return {r.get("org_id"): r.get("country") for r in orgs.rows} if orgs else {}


def _check_rows(
    p: ParsedTable, countries: Mapping[object, object], problems: list[Problem]
) -> None:
    """Checks within a row: currency for money, ranges in order, EU funding within budget."""
    cols = {c.name for c in p.table.columns}
    money = [c.name for c in p.table.columns if c.money]
    name = p.table.name
    for row, n, file in p.items():
        if money:
            cur = row.get("currency")
            if cur is not None:
                code = codes.currency(str(cur), countries.get(row.get("org_id")))  # type: ignore[arg-type]
                if code is None:
                    key = (
                        "krona_without_country"
                        if str(cur).strip().lower() in codes.KRONA_WORDS
                        else "bad_currency"
                    )
                    problems.append(
                        Problem.of(file, n, p.col("currency"), key, table=name, value=cur)
                    )
                else:
                    row["currency"] = code
            elif any(row.get(m) is not None for m in money):
                problems.append(
                    Problem.of(file, n, p.col("currency"), "amount_needs_currency", table=name)
                )
        for lo, hi in (
            ("since_year", "until_year"),
            ("start_date", "end_date"),
            ("valid_from", "valid_to"),
        ):
            lo_v, hi_v = row.get(lo), row.get(hi)
            if lo in cols and lo_v is not None and hi_v is not None and hi_v < lo_v:  # type: ignore[operator]
                problems.append(
                    Problem.of(
                        file,
                        n,
                        p.col(hi),
                        "before",
                        table=name,
                        value=str(hi_v),
                        other=p.col(lo),
                        other_value=str(lo_v),
                    )
                )
        if "eu_funding" in cols:
            total, eu, own = row.get("total_budget"), row.get("eu_funding"), row.get("own_funding")
            if total is not None and eu is not None and eu > total:  # type: ignore[operator]
                problems.append(
                    Problem.of(
                        file,
                        n,
                        p.col("eu_funding"),
                        "eu_over_budget",
                        table=name,
                        value=eu,
                        total=total,
                    )
                )
            if total is not None and own is not None and own > total:  # type: ignore[operator]
                problems.append(
                    Problem.of(
                        file,
                        n,
                        p.col("own_funding"),
                        "own_over_budget",
                        table=name,
                        value=own,
                        total=total,
                    )
                )


def _check_keys(p: ParsedTable, problems: list[Problem]) -> None:
    seen: dict[tuple, int] = {}
    for row, n, file in p.items():
        key = tuple(row.get(k) for k in p.table.key)
        if any(k is None for k in key):
            continue
        if key in seen:
            shown = ", ".join(str(k) for k in key)
            problems.append(
                Problem.of(
                    file,
                    n,
                    p.col(p.table.key[-1]),
                    "duplicate_key",
                    table=p.table.name,
                    ids=shown,
                    first=seen[key],
                )
            )
        else:
            seen[key] = n


def _check_refs(
    parsed: Mapping[str, ParsedTable],
    problems: list[Problem],
    known: Mapping[tuple[str, str], set] | None = None,
) -> None:
    ids: dict[tuple[str, str], set] = {}
    for p in parsed.values():
        for col in p.table.columns:
            if col.ref is None or col.derived:
                continue
            target = ids.setdefault(
                col.ref,
                ({r.get(col.ref[1]) for r in parsed[col.ref[0]].rows}
                 if col.ref[0] in parsed else set())
                | (known or {}).get(col.ref, set()),
            )  # fmt: skip
            for row, n, file in p.items():
                v = row.get(col.name)
                if v is not None and v not in target:
                    problems.append(
                        Problem.of(
                            file,
                            n,
                            p.col(col.name),
                            "unknown_ref",
                            table=p.table.name,
                            what=col.ref[1],
                            value=v,
                            target=col.ref[0],
                        )
                    )


def goal_org(parsed: Mapping[str, ParsedTable]) -> dict[object, object]:
    """Each goal's organisation, through its strategy."""
    strategy_org = {r["strategy_id"]: r["org_id"] for r in parsed["strategies"].rows}
    return {r["goal_id"]: strategy_org.get(r["strategy_id"]) for r in parsed["goals"].rows}


def _check_cross(parsed: Mapping[str, ParsedTable], problems: list[Problem]) -> None:
    """Links that must stay within one organisation, and parent chains without cycles."""
    owner_of_goal = goal_org(parsed)
    goal_strategy = {r["goal_id"]: r["strategy_id"] for r in parsed["goals"].rows}
    act_org = {  # kept activities are read without their ids (`partial.naming_columns`)
        r["activity_id"]: r["org_id"] for r in parsed["activities"].rows if "activity_id" in r
    }
    proj_org = {r["project_id"]: r["org_id"] for r in parsed["projects"].rows}

    def same_org(p: ParsedTable, owner: dict, key: str) -> None:
        for row, n, file in p.items():
            # a stored goal link holds its organisation (derived when written); a kept
            # one is read as its goal and organisation only (`partial.naming_columns`)
            org = row.get("org_id")
            if org is None and key != "org_id":
                org = owner.get(row.get(key))
            g = row.get("goal_id")
            if g is None or org is None or g not in owner_of_goal:
                continue
            if owner_of_goal[g] != org:
                problems.append(
                    Problem.of(
                        file,
                        n,
                        p.col("goal_id"),
                        "goal_of_other_org",
                        table=p.table.name,
                        goal=g,
                        owner=owner_of_goal[g],
                        org=org,
                    )
                )

    same_org(parsed["activity_goals"], act_org, "activity_id")
    same_org(parsed["project_goals"], proj_org, "project_id")
    same_org(parsed["indicators"], {}, "org_id")
    same_org(parsed["goal_assessments"], {}, "org_id")

    goals = parsed["goals"]
    numbered: dict[tuple[object, str], object] = {}
    for row, n, file in goals.items():
        code = row.get("code")
        if isinstance(code, str) and re.search(r'["“”]', code):
            # a goal list quotes codes that hold a separator: a quote inside one cannot be
            problems.append(Problem.of(file, n, goals.col("code"), "quote_in_code", value=code))
        number = (row.get("strategy_id"), str(code).strip().casefold())
        if code is not None and number in numbered and numbered[number] != row.get("goal_id"):
            problems.append(
                Problem.of(file, n, goals.col("code"), "duplicate_goal_code", value=code)
            )
        numbered.setdefault(number, row.get("goal_id"))
    for row, n, file in goals.items():
        parent = row.get("parent_goal_id")
        if parent in goal_strategy and goal_strategy[parent] != row.get("strategy_id"):
            problems.append(
                Problem.of(
                    file,
                    n,
                    goals.col("parent_goal_id"),
                    "parent_other_strategy",
                    table="goals",
                    value=parent,
                )
            )
    for name, key, parent_col in (
        ("goals", "goal_id", "parent_goal_id"),
        ("networks", "network_id", "parent_network_id"),
    ):
        p = parsed[name]
        parent_of = {r[key]: r.get(parent_col) for r in p.rows}
        for row, n, file in p.items():
            seen, cur = {row[key]}, parent_of.get(row[key])
            while cur is not None:
                if cur in seen:
                    problems.append(
                        Problem.of(
                            file, n, p.col(parent_col), "own_ancestor", table=name, value=row[key]
                        )
                    )
                    break
                seen.add(cur)
                cur = parent_of.get(cur)


def check_tables(
    parsed: Mapping[str, ParsedTable],
    problems: list[Problem],
    known: Mapping[tuple[str, str], set] | None = None,
    unchanged: Collection[str] = (),
) -> None:
    """Every check across rows and tables, on tables already parsed (import, upload, edit).
    *known* holds ids that references may name besides the parsed rows' (other
    organisations' rows, when only some organisations' rows are checked). The tables
    named *unchanged* are stored rows a partial source leaves as they are: their rows and
    keys were checked when they were written, so only what they name is checked again
    (a project's form at 10M checked an organisation's 121,406 activities cell by cell)."""
    countries = _country_of(parsed)
    for name, p in parsed.items():
        if name in unchanged:
            continue
        _check_rows(p, countries, problems)
        _check_keys(p, problems)
    _check_refs(parsed, problems, known)
    _check_cross(parsed, problems)


def validate(
    raw: Mapping[str, RawTable],
    problems: list[Problem],
    kept: Mapping[str, ParsedTable] | None = None,
    labels: Mapping[str, Mapping[str, str]] | None = None,
    extra: Mapping[str, ParsedTable] | None = None,
    known: Mapping[tuple[str, str], set] | None = None,
) -> dict[str, ParsedTable]:
    """Parse and check every table; appends to *problems* and returns what parsed.

    *raw* holds the tables the source gives (by lower-case name); *kept* the live tables a
    partial source leaves as they are, so references are checked against them. A table in
    neither is empty; a required one in neither is a problem. *extra* holds live rows
    added to a table the source gives (a coordinator's workbook replaces only its own
    organisations' rows).
    """
    kept = kept or {}
    extra = extra or {}
    for name, table in raw.items():
        if name.startswith("_"):
            continue
        if name not in TABLE_BY_NAME:
            problems.append(
                Problem.of(
                    table.file,
                    0,
                    "-",
                    "unknown_table",
                    value=name,
                    known=", ".join(t.name for t in TABLES),
                )
            )
    parsed: dict[str, ParsedTable] = {}
    unchanged: set[str] = set()
    for spec in TABLES:
        if spec.name in raw:
            parsed[spec.name] = parse_table(
                spec, raw[spec.name], problems, (labels or {}).get(spec.name)
            )
            if spec.name in extra:
                parsed[spec.name].extend(extra[spec.name])
        elif spec.name in kept:
            parsed[spec.name] = kept[spec.name]
            unchanged.add(spec.name)
        else:
            if spec.name in REQUIRED_TABLES:
                problems.append(
                    Problem.of(f"{spec.name}.csv", 0, "-", "missing_table", table=spec.name)
                )
            parsed[spec.name] = ParsedTable(spec, f"{spec.name}.csv", [], [])
    check_tables(parsed, problems, known, unchanged)
    return parsed


def derive(parsed: Mapping[str, ParsedTable], tables: Collection[str] | None = None) -> None:
    """Fill the derived columns that let DuckDB prune link tables by organisation and year,
    in *tables* (None: all): a partial import writes the tables it gives only, and the
    partitioned ones it keeps are read as what they name (`partial.scope`)."""
    owner = goal_org(parsed)
    if tables is None or "goals" in tables:
        for row in parsed["goals"].rows:
            row["org_id"] = owner.get(row["goal_id"])
    if tables is not None and "activity_goals" not in tables:
        return
    acts = {r["activity_id"]: r for r in parsed["activities"].rows}
    for row in parsed["activity_goals"].rows:
        act = acts[row["activity_id"]]
        row["org_id"], row["year"] = act["org_id"], act["year"]
