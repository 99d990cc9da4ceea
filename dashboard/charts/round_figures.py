"""Figures of the yearly round: each part's progress, coloured and patterned by its state
(never colour alone), what is missing in grey. Pure builders."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.style import OKABE_ITO, layout, patterned, whole_counts

STATE_ORDER = ("not_started", "in_progress", "ready", "returned", "approved")
STATE_COLOR = {
    "not_started": "#999999",
    "in_progress": OKABE_ITO[5],  # sky blue
    "ready": OKABE_ITO[4],  # blue
    "returned": OKABE_ITO[3],  # vermillion
    "approved": OKABE_ITO[2],  # bluish green
}
STATE_PATTERN = {
    "not_started": ".",
    "in_progress": "/",
    "ready": "",
    "returned": "x",
    "approved": "",
}
MISSING = "#DDDDDD"


def part_progress(parts: pd.DataFrame, labels: Mapping[str, str], separators: str) -> go.Figure:
    """One bar per part: its complete rows in the colour and pattern of its state, the rows
    still missing something after them in light grey.

    *parts* has part_label, shown_state, filled and expected (the follow view's frame);
    *labels* holds title, x, y, missing and one label per state in STATE_ORDER.
    """
    fig = go.Figure()
    if parts.empty:
        return layout(fig, labels["title"], separators)
    y = [str(p) for p in parts["part_label"]]
    for state in STATE_ORDER:
        mine = parts["shown_state"] == state
        if not mine.any():
            continue
        fig.add_bar(
            y=[v for v, m in zip(y, mine, strict=True) if m],
            x=parts.loc[mine, "filled"].tolist(),
            orientation="h",
            name=labels[state],
            marker=patterned(STATE_COLOR[state], STATE_PATTERN[state]),
            hovertemplate="%{y}: %{x}<extra>" + labels[state] + "</extra>",
        )
    rest = (parts["expected"] - parts["filled"]).clip(lower=0)
    fig.add_bar(
        y=y,
        x=rest.tolist(),
        orientation="h",
        name=labels["missing"],
        marker={"color": MISSING, "line": {"color": "#333333", "width": 1}},
        hovertemplate="%{y}: %{x}<extra>" + labels["missing"] + "</extra>",
    )
    most = int(parts["expected"].max() or 0)
    fig.update_layout(barmode="stack")
    fig.update_yaxes(
        title=labels["y"], type="category", categoryorder="array", categoryarray=y[::-1]
    )
    fig.update_xaxes(title=labels["x"], **whole_counts(max(most, 1)))
    fig = layout(fig, labels["title"], separators, height=max(320, 140 + 28 * len(y)))
    fig.update_layout(legend={"traceorder": "normal"})
    return fig
