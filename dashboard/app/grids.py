"""Tables on a page: one grid per table, numbers, money, shares and dates written as the
language writes them, a page of rows at a time, and its CSV one click away.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Mapping

import pandas as pd
import pyarrow as pa
import streamlit as st

from dashboard.app import downloads
from dashboard.app.kept import Kept
from dashboard.app.ui import illustrative_note
from dashboard.i18n import fmt_date, fmt_int, fmt_num, fmt_pct, t
from dashboard.model import codes
from dashboard.model.codes import (
    COUNT_COLUMNS,
    DATE_COLUMNS,
    MONEY_COLUMNS,
    SHARE_COLUMNS,
    YEAR_COLUMNS,
)
from dashboard.model.tables import ILLUSTRATIVE
from dashboard.model.view import View
from dashboard.outputs.readable import for_download, headers, readable


def _formatter(col: str, df: pd.DataFrame, lang: str) -> Callable[[object], str] | None:
    if col in MONEY_COLUMNS:
        return lambda v: fmt_num(v, lang, 0)
    if col in YEAR_COLUMNS:  # a year is a label, not a count: no digit grouping
        return lambda v: "–" if pd.isna(v) else str(int(v))  # type: ignore[call-overload]
    if col in COUNT_COLUMNS:
        return lambda v: fmt_int(v, lang)
    if col in SHARE_COLUMNS:
        return lambda v: fmt_pct(v, lang)
    if col in DATE_COLUMNS:
        return lambda v: "–" if pd.isna(v) else fmt_date(pd.Timestamp(v).date(), lang)
    if codes.is_source(col):
        return lambda v: t("source.illustrative", lang) if v == ILLUSTRATIVE else str(v or "")
    if pd.api.types.is_float_dtype(df[col]):
        return lambda v: fmt_num(v, lang, 2)
    return None


_isna = codes.missing  # one rule for a missing cell, on screen and in files


TABLE_PAGE = 500  # rows of a table sent to the browser at a time


ROW_PX = 35  # a grid row's height


ROWS_SHOWN = 25  # a table shows up to this many rows at once; more scroll (the bar is drawn)


# room for a horizontal scrollbar under the last row (a desktop browser's is up to 15 px):
# a table wider than its box draws one, and without the room it covered the last row (a
# one-row table's only row, at 1024 px); where the table fits, the room stays blank
SCROLLBAR_PX = 16


DATE_WIDTH = 120  # px


def show_table(
    view: View,
    df: pd.DataFrame,
    key: str,
    height: int | str = "auto",
    labels: Mapping[str, str] | None = None,
    coded: Mapping[str, str] | None = None,
) -> None:
    """A read-only table: translated headers, numbers and dates in the view's language.

    Missing values show as "–" in every column. Over TABLE_PAGE rows it shows one page at a
    time, so the browser never gets more than TABLE_PAGE rows (the download has them all).
    """
    total = len(df)
    if total == 0:  # Streamlit's own empty grid says "empty" in English
        st.caption(view.t("table.empty"))
        return
    if total > TABLE_PAGE:
        pages = -(-total // TABLE_PAGE)
        page = st.number_input(
            view.t("table.page", pages=fmt_int(pages, view.lang)),
            min_value=1,
            max_value=pages,
            value=1,
            step=1,
            key=f"page-{key}",
        )
        first = (int(page) - 1) * TABLE_PAGE
        df = df.iloc[first : first + TABLE_PAGE]
        st.caption(
            view.t(
                "table.rows",
                first=fmt_int(first + 1, view.lang),
                last=fmt_int(first + len(df), view.lang),
                total=fmt_int(total, view.lang),
            )
        )
    shown, config = built_table(view, df, labels, coded)
    # every row when few, so the heading's count is what is seen, and none under a scrollbar
    rows = min(len(df), ROWS_SHOWN) + 1  # and the header
    px = ROW_PX * rows + 3 + SCROLLBAR_PX if height == "auto" else int(height)
    st.dataframe(shown, hide_index=True, height=px, key=f"tbl-{key}", column_config=config)


# formatted tables of this process (at most TABLE_PAGE rows each)
_tables: Kept[tuple[pa.Table, dict]] = Kept(512)


def _fingerprint(df: pd.DataFrame) -> bytes | None:
    """A digest of a frame: its pickle holds every value, the index, the columns and their
    types (0.6 ms for 100 rows of 16 columns, against 4 ms for pandas' own row hashes and
    5-15 ms for formatting them). Equal bytes mean an equal frame; an equal frame pickled
    differently only costs a rebuild. None when the frame cannot be pickled."""
    try:
        raw = pickle.dumps(df, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # an unpicklable cell: draw it without the cache
        return None
    return hashlib.blake2b(raw, digest_size=16).digest()


def built_table(
    view: View,
    df: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    coded: Mapping[str, str] | None = None,
) -> tuple[pa.Table, dict]:
    """The table as shown (translated headers, codes by name, cells formatted in the view's
    language) and its column settings, built once per content and language and shared by
    every session and rerun that shows the same rows: the key is a digest of the rows
    themselves, so no selection or page choice can be forgotten in it. Handed to Streamlit
    as an Arrow table, which it sends without converting a DataFrame again."""
    digest = _fingerprint(df)
    if digest is None:
        return _format_table(view, df, labels, coded)
    key = (
        digest,
        view.lang,
        tuple(sorted(view.orgs.items())),
        tuple(sorted((labels or {}).items())),
        tuple(sorted((coded or {}).items())),
    )
    return _tables.get_or_make(key, lambda: _format_table(view, df, labels, coded))


def _format_table(
    view: View,
    df: pd.DataFrame,
    labels: Mapping[str, str] | None,
    coded: Mapping[str, str] | None,
) -> tuple[pa.Table, dict]:
    df = readable(view, df, coded)
    names = headers(view, list(df.columns), labels)
    formats = {
        n: f for c, n in zip(df.columns, names, strict=True) if (f := _formatter(c, df, view.lang))
    }
    # Cells are formatted here, not by a Styler: Streamlit shows a null as "None" whatever
    # the Styler says. Numbers stay right-aligned; sorting such a column sorts the text.
    cells: dict[str, object] = {}
    config: dict[str, object] = {}
    for c, n in zip(df.columns, names, strict=True):
        fmt = formats.get(n)
        col = df[c]
        if fmt is not None:
            cells[n] = [fmt(None if _isna(v) else v) for v in col.astype(object)]
            if c in DATE_COLUMNS:  # wide enough for "31 dec. 2024" (it once showed "31 dec.")
                config[n] = st.column_config.TextColumn(n, width=DATE_WIDTH)
            elif not codes.is_source(c):
                config[n] = st.column_config.TextColumn(n, alignment="right")
        elif pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            cells[n] = col
        else:
            cells[n] = col.astype(object).where(col.notna(), "–")
    # built at once (the matrix has many columns), then as Arrow: what Streamlit sends
    shown = pa.Table.from_pandas(pd.DataFrame(cells, index=df.index), preserve_index=False)
    return shown, config


def table_with_download(
    view: View,
    df: pd.DataFrame,
    what: str,
    key: str,
    labels: Mapping[str, str] | None = None,
    coded: Mapping[str, str] | None = None,
    slug: str | None = None,
) -> None:
    """A table, its illustrative-rows note and its CSV download (the table as shown)."""
    illustrative_note(view, df)
    show_table(view, df, key, labels=labels, coded=coded)
    downloads.download(view, what, lambda: for_download(view, df, coded, labels), key, slug)


def clear_tables() -> None:
    """Forget the formatted tables (after the dataset changed)."""
    _tables.clear()
