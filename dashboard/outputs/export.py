"""CSV files that open cleanly in Excel, for downloads and `python -m dashboard query`.

UTF-8 with a byte-order mark so Excel detects the encoding; in Swedish and Danish the
separator is ';' and the decimal mark ',' (as Excel expects there), in English ',' and
'.'. Text cells that a spreadsheet would run as a formula (starting with =, +, -, @,
tab or carriage return) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime

import pandas as pd
import pyarrow as pa

from dashboard.i18n import t
from dashboard.i18n.languages import language
from dashboard.model.access import NOTHING, Scope
from dashboard.model.filters import Filters

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def dialect(lang: str) -> tuple[str, str]:
    """(separator, decimal mark) for a language code (`Language.csv_separator`)."""
    record = language(lang)
    return record.csv_separator, record.decimal


def neutralise(text: str) -> str:
    """Make a text cell inert in a spreadsheet."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(value: object, decimal: str) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        text = repr(value) if not value.is_integer() else str(int(value))
        return text.replace(".", decimal)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))


def _rows(batches: Iterable[pa.RecordBatch]) -> Iterator[list[object]]:
    for batch in batches:
        cols = [c.to_pylist() for c in batch.columns]
        yield from zip(*cols, strict=True)


def iter_csv(columns: list[str], batches: Iterable[pa.RecordBatch], lang: str) -> Iterator[bytes]:
    """Stream a CSV file chunk by chunk from Arrow record batches."""
    sep, decimal = dialect(lang)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    buf.write(BOM)
    writer.writerow([neutralise(c) for c in columns])
    for n, row in enumerate(_rows(batches), start=1):
        writer.writerow([_cell(v, decimal) for v in row])
        if n % 5000 == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode("utf-8")


def iter_frames_csv(frames: Iterable[pd.DataFrame], lang: str) -> Iterator[bytes]:
    """Stream a CSV file from DataFrames of the same columns (the first gives the header)."""
    header: list[str] | None = None
    for df in frames:
        table = pa.Table.from_pandas(df, preserve_index=False)
        chunks = iter_csv(list(df.columns), table.to_batches(), lang)
        first = next(chunks)
        if header is None:
            header = list(df.columns)
            yield first
        else:  # the header line was written with the first frame
            yield first.split(b"\r\n", 1)[1] if b"\r\n" in first else b""
        yield from chunks


def arrow_to_csv(table: pa.Table, lang: str) -> bytes:
    """A whole Arrow table as one CSV file's bytes."""
    return b"".join(iter_csv(table.column_names, table.to_batches(), lang))


def frame_to_csv(df: pd.DataFrame, lang: str) -> bytes:
    """A DataFrame as one CSV file's bytes (same rules as the streaming writer)."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    return arrow_to_csv(table, lang)


def csv_chunks(
    found: Iterator[pa.RecordBatch],
    columns: list[str],
    lang: str,
    shape: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> Iterator[bytes]:
    """The CSV chunks of a query's batches, shaped for reading when *shape* is given."""
    if shape is None:
        return iter_csv(columns, found, lang)

    def frames() -> Iterator[pd.DataFrame]:
        seen = False
        for batch in found:
            seen = True
            yield shape(batch.to_pandas())
        if not seen:
            yield shape(pd.DataFrame(columns=columns))

    return iter_frames_csv(frames(), lang)


def file_slug(filters: Filters, lang: str, scope: Scope, latest: bool = False) -> str:
    """A short file-name part naming a selection in *lang* (gotland_2009, alla_alla-ar,
    gavle_2012_mal-1): ASCII, so every system keeps the name; goals by how many (an id such
    as gavle-p1 is no name a reader knows). The organisations are those the file holds for
    the reader of *scope* (`Scope.covering`): a Gävle reporter's "all" is gavle, not alla,
    which a manager would read as every organisation's. *latest*: each organisation's
    latest year (the Annual evaluation without a chosen year)."""
    filters = scope.covering(filters)
    chosen = [o for o in filters.orgs if o != NOTHING]
    n = len(chosen)
    if 0 < n <= 3:
        orgs = "-".join(chosen)
    else:  # every organisation, more than three, or none the reader may read
        orgs = t("file.slug.orgs", lang, n=n) if filters.orgs else t("file.slug.all", lang)
    if latest:
        years = t("file.slug.latest", lang)
    elif filters.year_from is None and filters.year_to is None:
        years = t("file.slug.all_years", lang)
    elif filters.year_from == filters.year_to:
        years = str(filters.year_from)
    else:
        years = f"{filters.year_from or ''}-{filters.year_to or ''}"
    parts = [orgs, years]
    if filters.goals:
        parts.append(t("file.slug.goals", lang, n=len(filters.goals)))
    return "_".join(parts)
