"""Reading what people send: CSV in whatever encoding Excel wrote it, and .xlsx workbooks.

Nothing here decides what a value means; it only reads cells faithfully and says what it
could not read. CSV files are decoded as UTF-8 (with or without BOM), UTF-16 (Excel's
"Unicode text"), or one of the 8-bit encodings Swedish and Danish files come in
(Windows-1252, Excel's "CSV (semikolonavgränsad)"; Mac Roman; ISO-8859-15), decided by the
evidence of the text itself and refused when it decides nothing (`_legacy`). Workbooks
are streamed sheet by sheet through openpyxl's own parser (XML through defusedxml, so a
DTD or entity declaration is refused), keeping what the cell really held: an error
value, a formula without a saved value, a date, a number, or text; merged cells are
filled down when they span one column and refused when they span several.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from dashboard.model import sheets
from dashboard.model.problems import WARNING, Problem

MAX_FIELD = 1_000_000  # characters in one CSV field (csv's default is 131,072)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


@dataclass(frozen=True)
class ExcelError:
    """A cell holding one of Excel's error values (#N/A, #REF!, ...)."""

    code: str


@dataclass(frozen=True)
class FormulaWithoutValue:
    """A formula cell that was never calculated (written by a script, not saved by Excel)."""

    formula: str


@dataclass(frozen=True)
class PercentCell:
    """A number cell drawn with a percent format. Excel shows 0.4 as "40 %", and typing
    "40 %" in a cell stores 0.4 so; the contract writes a percentage as its number of
    percent (an indicator in percent: 40), so such a cell is refused naming what it shows,
    never stored as 0.4 nor guessed to be 40 (`checks.parse_cell`)."""

    value: float

    @property
    def shown(self) -> float:
        """The number of percent the cell shows (0.4 -> 40, without 40.00000000000001)."""
        return float(Decimal(repr(float(self.value))) * 100)

    def __str__(self) -> str:
        """What the cell shows ("40 %"), for a text column or a name looked up."""
        return f"{self.shown:g} %"


# a percent sign in a number format, not one in quotes, escaped or in brackets ("0.0%")
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _percent_styles(wb: object) -> frozenset[int]:
    """The workbook's cell styles whose number format shows a number as a percentage
    (openpyxl's own STRIP_RE leaves an escaped "\\%" in, which shows a literal sign)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    custom = getattr(wb, "_number_formats", None) or []
    codes = {**BUILTIN_FORMATS, **dict(enumerate(custom, BUILTIN_FORMATS_MAX_SIZE))}
    return frozenset(
        idx
        for idx, style in enumerate(getattr(wb, "_cell_styles", None) or [])
        if "%" in _FORMAT_LITERALS.sub("", codes.get(getattr(style, "numFmtId", 0), "") or "")
    )


EXCEL_ERRORS = (
    "#N/A",
    "#REF!",
    "#VALUE!",
    "#DIV/0!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
    "#FIELD!",
    "#BLOCKED!",
    "#UNKNOWN!",
    "#CONNECT!",
    "#BUSY!",
)


@dataclass
class RawTable:
    """A sheet or CSV file as read: header names and rows of cell values.

    *decimal* is the decimal mark numbers written as text use in this file (',' for a
    semicolon CSV, '.' or ',' for a workbook that says its language, None when unknown:
    then only numbers that read the same in every language are accepted).
    """

    file: str
    header: list[str]
    rows: list[list[object]]
    decimal: str | None = None
    lines: list[int] = field(default_factory=list)  # spreadsheet row of each row
    # the day a workbook's serial date 0 stands for: 1899-12-30, or 1904-01-01 in a
    # workbook in the 1904 date system (old Macs)
    epoch: date = date(1899, 12, 30)

    def line(self, i: int) -> int:
        """The spreadsheet row number of row *i* (0-based) of `rows`."""
        return self.lines[i] if self.lines else i + 2


# ---------------------------------------------------------------- CSV


def _line_of(data: bytes, pos: int) -> tuple[int, int]:
    """(line, byte within the line), both from 1, of byte offset *pos*."""
    line = data.count(b"\n", 0, pos) + 1
    start = data.rfind(b"\n", 0, pos) + 1
    return line, pos - start + 1


def decode(data: bytes, name: str, problems: list[Problem]) -> tuple[str, str] | None:
    """The text of a CSV file and the encoding it was read as, or None with a problem."""
    enc: str | None = None
    if data.startswith(codecs.BOM_UTF8):
        enc = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        enc = "utf-16"
    elif len(data) >= 4 and data[0] != 0 and data[1] == 0 and data[3] == 0:
        enc = "utf-16-le"  # UTF-16 without a byte-order mark
    elif len(data) >= 4 and data[0] == 0 and data[2] == 0 and data[1] != 0:
        enc = "utf-16-be"
    if enc is not None:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError as exc:
            line, byte = _line_of(data, exc.start)
            problems.append(
                Problem.of(name, line, "-", "bad_encoding", enc=enc, byte=byte, offset=exc.start)
            )
            return None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if _UTF8_MULTIBYTE.search(data, 0, utf8_error.start):
        # UTF-8 up to here, then a byte that is not: a mix no decoding reads right
        line, byte = _line_of(data, utf8_error.start)
        problems.append(
            Problem.of(name, line, "-", "mixed_encoding", byte=byte, offset=utf8_error.start)
        )
        return None
    return _legacy(data, name, problems)


# The 8-bit encodings Swedish and Danish files come in: Windows' (Excel's "CSV"), the old
# Mac's, and ISO-8859-15 (ISO-8859-1 with the euro sign); their names as a person knows them.
LEGACY = {"cp1252": "Windows-1252", "mac_roman": "Mac Roman", "iso8859_15": "ISO-8859-15"}
_NORDIC = set("åäöæøÅÄÖÆØ")
# the letters Western European text has above ASCII (ƒ, ı, ﬁ or Ω are another code page's)
_LATIN = {chr(c) for c in range(0xC0, 0x100)} - set("×÷") | set("ŒœŠšŽžŸ")
# signs that do stand in Swedish and Danish text; any other non-letter above ASCII counts
# against the encoding that produced it (Š in "nŠtverk", ¤ for €, a control character)
_SIGNS = set("€–—‘’‚“”„…•§°«»±²³µ·×÷½¼¾©®™\u00a0")


def _evidence(text: str) -> int:
    """How much *text* reads like Swedish or Danish written in a Latin alphabet. Letters
    above ASCII inside words count for it (å ä ö æ ø most) when their case agrees with the
    letters beside them ("nätverk", not "nŠtverk"); signs such text uses (€ – ” …) count a
    little, only to decide between readings with the same letters; any other sign counts
    against it (¤ for €, a control character, √ or ◊ from the wrong code page)."""
    letters = signs = bad = 0
    for i, ch in enumerate(text):
        if ch < "\x80":
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if ch.isalpha() and ch in _LATIN:
            if not (before.isalpha() or after.isalpha()):
                continue  # a letter alone says nothing of its encoding
            if ch.isupper() and before.isalpha() and before.islower():
                letters -= 4  # a capital inside a lower-case word
            elif ch.islower() and before.isalpha() and before.isupper() and after.isupper():
                letters -= 1  # a small letter inside a word in capitals
            else:
                letters += 3 if ch in _NORDIC else 1
        elif ch in _SIGNS:
            signs += 1
        else:
            bad += 1
    return 10 * letters + signs - 60 * bad


def _legacy(data: bytes, name: str, problems: list[Problem]) -> tuple[str, str] | None:
    """A file that is not UTF-8: read in the 8-bit encoding its text gives evidence for
    (`_evidence`), or refused when none reads as text or two read equally well but
    differently. Never a guess: Mac Roman's ä is Windows' Š, and ISO-8859-15's € is
    Windows' ¤."""
    read: dict[str, str] = {}
    for enc in LEGACY:
        try:
            read[enc] = data.decode(enc)
        except UnicodeDecodeError:
            continue
    order = list(LEGACY)  # where two read the same, the more common name is said
    ranked = sorted(
        ((_evidence(t), -order.index(enc), enc) for enc, t in read.items()), reverse=True
    )
    scored = [(score, enc) for score, _, enc in ranked]
    if not scored or scored[0][0] <= 0:
        problems.append(
            Problem.of(name, 0, "-", "unknown_encoding", encs=", ".join(LEGACY.values()))
        )
        return None
    best, enc = scored[0]
    rivals = [e for s, e in scored[1:] if s == best and read[e] != read[enc]]
    if rivals:
        problems.append(
            Problem.of(
                name, 0, "-", "ambiguous_encoding",
                encs=", ".join(LEGACY[e] for e in (enc, *rivals)),
            )
        )  # fmt: skip
        return None
    return read[enc], enc


def _count_outside_quotes(line: str, ch: str) -> int:
    n, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == ch and not quoted:
            n += 1
    return n


def _csv_problem(name: str, row: int, exc: csv.Error) -> Problem:
    """What Python's csv module found, in a message of the catalogues (its own text is
    English only)."""
    text = str(exc)
    if "expected after" in text:  # "',' expected after '\"'": a quote inside a field
        return Problem.of(name, row, "-", "csv_stray_quote")
    if "unexpected end of data" in text:  # a field's opening quote is never closed
        return Problem.of(name, row, "-", "csv_open_quote")
    if "field larger than field limit" in text:
        return Problem.of(name, row, "-", "csv_field_too_large", limit=MAX_FIELD)
    return Problem.of(name, row, "-", "bad_csv", reason=text)


def column_letter(index: int) -> str:
    """The spreadsheet's letter of column *index* (0-based: 0 is A, 26 is AA), as a
    coordinator finds a CSV file's column in Excel too."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def read_csv_bytes(data: bytes, name: str, problems: list[Problem]) -> RawTable | None:
    """Read one CSV file as Excel writes it: any of its encodings, ',' ';' or tab."""
    decoded = decode(data, name, problems)
    if decoded is None:
        return None
    text, _ = decoded
    first = text.split("\n", 1)[0]
    counts = {d: _count_outside_quotes(first, d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ","))
    if counts[delimiter] == 0:
        delimiter = ","
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[object]] = []
    lines: list[int] = []
    try:
        header_row = next(reader, None)
        for row in reader:
            rows.append(list(row))
            lines.append(reader.line_num)
    except csv.Error as exc:
        # at the record being read (a spreadsheet row), not the physical line the reader
        # stopped at: a quote left open is noticed only at the end of the file
        problems.append(_csv_problem(name, len(rows) + 2, exc))
        return None
    if header_row is None:
        problems.append(Problem.of(name, 1, "-", "empty_file"))
        return None
    header = [h.strip() for h in header_row]
    # records are numbered as a spreadsheet shows them: header row 1, then 2, 3, ...
    return RawTable(
        name,
        header,
        rows,
        # Excel writes ';' exactly where the decimal mark is ',', and ',' where it is '.';
        # a tab-separated file ("Unicode text") says nothing about its language
        decimal={";": ",", ",": "."}.get(delimiter),
        lines=list(range(2, len(rows) + 2)),
    )


# ---------------------------------------------------------------- xlsx


def _sheet_parser_class() -> type:
    """openpyxl's streaming sheet parser, keeping error values and uncalculated formulas."""
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        percent_styles: frozenset[int] = frozenset()

        def parse_cell(self, element):
            cell = super().parse_cell(element)
            value = cell["value"]
            if (
                cell["data_type"] == "n"
                and isinstance(value, int | float)
                and not isinstance(value, bool)
                and cell.get("style_id") in self.percent_styles
            ):
                cell["value"] = PercentCell(value)
            formula = element.find(FORMULA_TAG)
            if formula is not None and element.findtext(VALUE_TAG, None) in (None, ""):
                if cell["data_type"] not in ("s", "inlineStr") or cell["value"] in (None, ""):
                    cell["value"] = FormulaWithoutValue("=" + (formula.text or ""))
            elif cell["data_type"] == "e" and cell["value"] is not None:
                cell["value"] = ExcelError(str(cell["value"]))
            return cell

    return Parser


def _merges(parser: object) -> list[tuple[int, int, int, int]]:
    merged = getattr(parser, "merged_cells", None)
    out = []
    for rng in getattr(merged, "mergeCell", None) or []:
        from openpyxl.utils.cell import range_boundaries

        min_col, min_row, max_col, max_row = range_boundaries(rng.ref)
        out.append((min_row, min_col, max_row, max_col))
    return out


def _sheet_rows(
    wb: object, ws: object, parser_class: type, percent: frozenset[int]
) -> tuple[dict[int, list[object]], list[tuple[int, int, int, int]]]:
    rows: dict[int, list[object]] = {}
    with ws._get_source() as src:  # type: ignore[attr-defined]
        parser = parser_class(
            src,
            ws._shared_strings,  # type: ignore[attr-defined]
            data_only=True,
            epoch=wb.epoch,  # type: ignore[attr-defined]
            date_formats=wb._date_formats,  # type: ignore[attr-defined]
            timedelta_formats=wb._timedelta_formats,  # type: ignore[attr-defined]
        )
        parser.percent_styles = percent
        for idx, cells in parser.parse():
            values: list[object] = []
            for c in cells:
                col = c["column"]
                while len(values) < col - 1:
                    values.append(None)
                values.append(c["value"])
            if any(v not in (None, "") for v in values):
                rows[idx] = values
        merges = _merges(parser)
    return rows, merges


def _fill_merges(
    rows: dict[int, list[object]],
    merges: list[tuple[int, int, int, int]],
    name: str,
    problems: list[Problem],
) -> None:
    """Fill a value merged down one column into every row; refuse merges across columns."""
    from openpyxl.utils import get_column_letter

    for min_row, min_col, max_row, max_col in merges:
        ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
        if max_col > min_col:
            problems.append(
                Problem.of(name, min_row, get_column_letter(min_col), "merged_across", ref=ref)
            )
            continue
        if min_row == 1:
            problems.append(
                Problem.of(name, 1, get_column_letter(min_col), "merged_header", ref=ref)
            )
            continue
        top = rows.get(min_row, [])
        value = top[min_col - 1] if len(top) >= min_col else None
        for r in range(min_row + 1, max_row + 1):
            row = rows.setdefault(r, [])
            while len(row) < min_col:
                row.append(None)
            row[min_col - 1] = value
        problems.append(
            Problem.of(
                name, min_row, get_column_letter(min_col), "merged_filled", level=WARNING, ref=ref
            )
        )


def read_xlsx_bytes(
    data: bytes,
    name: str,
    problems: list[Problem],
    progress: Callable[[float], None] | None = None,
) -> dict[str, RawTable]:
    """Every sheet of a workbook by sheet name (sheets starting with '_' are notes).

    A damaged file, a zip that is no workbook, a cut-off sheet or XML with a DTD gives a
    problem, never an exception.
    """
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        key = "old_xls" if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" else "not_xlsx"
        problems.append(Problem.of(name, 0, "-", key))
        return {}
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        key = "xml_forbidden" if _forbidden(exc) else "bad_xlsx"
        problems.append(Problem.of(name, 0, "-", key, reason=_reason(exc)))
        return {}
    out: dict[str, RawTable] = {}
    parser_class = _sheet_parser_class()
    percent = _percent_styles(wb)
    sheets = list(wb.worksheets)
    try:
        for i, ws in enumerate(sheets):
            file = f"{name}[{ws.title}]"
            try:
                rows, merges = _sheet_rows(wb, ws, parser_class, percent)
            except Exception as exc:  # a cut-off or forbidden XML stream inside the zip
                key = "xml_forbidden" if _forbidden(exc) else "bad_sheet"
                problems.append(Problem.of(file, 0, "-", key, reason=_reason(exc)))
                continue
            if progress is not None:
                progress((i + 1) / len(sheets))
            if ws.title.startswith("_"):
                out[ws.title] = RawTable(file, [], [list(r) for _, r in sorted(rows.items())])
                continue
            _fill_merges(rows, merges, file, problems)
            if not rows:
                continue
            first = min(rows)
            header = ["" if h is None else str(h).strip() for h in rows[first]]
            while header and header[-1] == "":
                header.pop()
            body = sorted((r, v) for r, v in rows.items() if r > first)
            epoch = wb.epoch.date() if hasattr(wb.epoch, "date") else wb.epoch
            out[ws.title] = RawTable(
                file, header, [v for _, v in body], lines=[r for r, _ in body], epoch=epoch
            )
    finally:
        wb.close()
    return out


@dataclass(frozen=True)
class FormSheets:
    """A form's rows as the partial workbook they stand for, already read (`read_form`)."""

    name: str  # the workbook's name, as a message about it says ("Aktiviteter.xlsx")
    tables: dict[str, RawTable]


def read_form(
    rows: Mapping[str, Sequence[Mapping[str, object]]], lang: str, name: str
) -> FormSheets:
    """The sheet rows of a form (`sheets.sheet_rows`' shape, by sheet key) read as the
    import reads the workbook they would make (`outputs.workbook.sheets_bytes`), without
    writing one: its sheets' headers in *lang*, each cell as the sheet's column holds it
    (`sheets.cell_value`), blank rows left out and the others numbered as the sheet's rows,
    and the marker sheet naming the format and the language. So a save is checked by the
    import's rules, cell by cell as an upload is, and its numbers read by the one reader
    (`checks.parse_cell`). Writing the workbook and reading it back was a third of a
    large save (4.3 s of 15 s for 6,843 activities) and refused text no workbook may hold
    with a crash (a vertical tab, Word's line break, pasted into a form), which the checks
    remove with a warning as from any file."""
    out: dict[str, RawTable] = {
        sheets.LISTS_SHEET: RawTable(f"{name}[{sheets.LISTS_SHEET}]", [], [])
    }
    for sheet in sheets.SHEETS:
        if sheet.key not in rows:
            continue
        title = sheets.sheet_title(sheet.key, lang)
        cols = sheets.layout(sheet)
        body, lines = [], []
        for i, r in enumerate(rows[sheet.key], start=2):
            values = [_held(sheets.cell_value(c, r)) for c in cols]
            if any(v is not None for v in values):
                body.append(values)
                lines.append(i)
        header = [sheets.column_title(c, lang) for c in cols]
        out[title] = RawTable(f"{name}[{title}]", header, body, lines=lines)
    meta: list[list[object]] = [["format", sheets.FORMAT], ["lang", lang]]
    out[sheets.META_SHEET] = RawTable(f"{name}[{sheets.META_SHEET}]", [], meta)
    return FormSheets(name, out)


def _held(value: object) -> object:
    """A form's value as a workbook's cell holds it: nothing for empty text, a number for a
    decimal (a cell holds no decimal type, and its text would be read by the workbook's
    decimal mark). Everything else is passed as it is, to be read or refused by the
    checks."""
    if isinstance(value, str) and value == "":
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def _forbidden(exc: BaseException) -> bool:
    """True when defusedxml refused the XML (a DTD, entity or external reference)."""
    seen = 0
    cur: BaseException | None = exc
    while cur is not None and seen < 10:
        if type(cur).__module__.startswith("defusedxml"):
            return True
        cur, seen = cur.__cause__ or cur.__context__, seen + 1
    return False


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{exc.__class__.__name__}: {text}" if text else exc.__class__.__name__


def read_path(path: Path, problems: list[Problem]) -> dict[str, RawTable]:
    """A folder of CSV files (found whatever the case of their names) or one workbook."""
    if path.is_dir():
        raw: dict[str, RawTable] = {}
        seen: dict[str, str] = {}
        for f in sorted(path.iterdir()):
            if not f.is_file() or f.suffix.lower() != ".csv" or f.name.startswith((".", "~$")):
                continue
            table = f.stem.strip().lower()
            if table in seen:
                problems.append(Problem.of(f.name, 0, "-", "same_table_twice", other=seen[table]))
                continue
            seen[table] = f.name
            read = read_csv_bytes(f.read_bytes(), f.name, problems)
            if read is not None:
                raw[table] = read
        if not seen and not problems:
            problems.append(Problem.of(path.name, 0, "-", "no_csv"))
        return raw
    if not path.exists():
        problems.append(Problem.of(str(path), 0, "-", "no_such_source"))
        return {}
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return read_xlsx_bytes(path.read_bytes(), path.name, problems)
    if path.suffix.lower() == ".csv":
        read = read_csv_bytes(path.read_bytes(), path.name, problems)
        return {path.stem.strip().lower(): read} if read is not None else {}
    problems.append(Problem.of(path.name, 0, "-", "wrong_kind"))
    return {}
