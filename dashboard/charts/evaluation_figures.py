"""Figures of the annual evaluation: indicators by status (a pattern with every colour,
never colour alone) and their trends against baseline and target. Pure builders."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.style import GAP, OKABE_ITO, SERVED, goal_label, layout, patterned

STATUS_ORDER = ("reached", "on_track", "at_risk", "off_track", "not_assessable")
STATUS_COLOR = {
    "reached": OKABE_ITO[2],  # bluish green
    "on_track": OKABE_ITO[5],  # sky blue
    "at_risk": OKABE_ITO[1],  # orange
    "off_track": OKABE_ITO[3],  # vermillion
    "not_assessable": "#999999",  # neutral grey: no judgement
}
# a second cue besides colour: each status has its own fill pattern
STATUS_PATTERN = {
    "reached": "",
    "on_track": "/",
    "at_risk": "x",
    "off_track": "\\",
    "not_assessable": ".",
}
TREND_LIMIT = 20


def indicator_status_bar(
    rollup: pd.DataFrame,
    labels: Mapping[str, str],
    separators: str,
    names: Mapping[str, str] | None = None,
) -> go.Figure:
    """Indicators per goal, stacked by status; goals with no activity and no indicator
    are drawn as a marked gap at zero, like the coverage chart.

    *rollup* is the `evaluation_rollup` result; *labels* holds title, x, y, gap and one
    label per status in STATUS_ORDER.
    """
    fig = go.Figure()
    if rollup.empty:
        return layout(fig, labels["title"], separators)
    many = rollup["org_id"].nunique() > 1
    y = [goal_label(r, many, names) for _, r in rollup.iterrows()]
    hover = [str(t)[:90] for t in rollup["goal_title"]]
    for status in STATUS_ORDER:
        fig.add_bar(
            y=y,
            x=rollup[status],
            orientation="h",
            name=labels[status],
            marker=patterned(STATUS_COLOR[status], STATUS_PATTERN[status]),
            hovertext=hover,
            hovertemplate="%{y}: %{x}<br>%{hovertext}<extra>" + labels[status] + "</extra>",
        )
    gap = rollup["verdict"] == "uncovered"
    fig.add_scatter(
        y=[v for v, g in zip(y, gap, strict=True) if g],
        x=[0] * int(gap.sum()),
        mode="markers",
        name=labels["gap"],
        marker={"symbol": "x-thin-open", "size": 14, "color": GAP, "line": {"width": 3}},
        hovertext=[h for h, g in zip(hover, gap, strict=True) if g],
        hovertemplate="%{y}<br>%{hovertext}<extra></extra>",
    )
    most = int(rollup[list(STATUS_ORDER)].sum(axis=1).max())
    fig.update_layout(barmode="stack")
    fig.update_yaxes(
        title=labels["y"], type="category", categoryorder="array", categoryarray=y[::-1]
    )
    # a little room left of zero, so the gap marker there is drawn whole
    fig.update_xaxes(title=labels["x"], range=[-0.25, max(most, 1) + 0.25], dtick=1)
    fig = layout(fig, labels["title"], separators, height=max(320, 140 + 28 * len(y)))
    fig.update_layout(legend={"traceorder": "normal"})
    return fig


def indicator_trends(
    trend: pd.DataFrame,
    baselines: pd.DataFrame,
    labels: Mapping[str, str],
    separators: str,
    years: Mapping[str, int],
) -> go.Figure:
    """One small panel per indicator: actual as a solid line, the target as a dashed line
    with open markers, the baseline as a diamond and the year its organisation is evaluated
    in (*years*, by indicator id) as a dotted line.

    *trend* is the `indicator_status` result over all years, *baselines* one row per
    indicator with indicator_id, baseline_year and baseline. At most TREND_LIMIT panels.
    """
    from plotly.subplots import make_subplots

    ids = list(dict.fromkeys(trend["indicator_id"]))[:TREND_LIMIT]
    if not ids:
        return layout(go.Figure(), labels["title"], separators)
    cols = 1 if len(ids) == 1 else 2
    rows = -(-len(ids) // cols)
    first = trend.drop_duplicates("indicator_id").set_index("indicator_id")
    titles = [
        f"{str(first.loc[i, 'name'])[:55]} ({first.loc[i, 'unit']})"
        + (f" · {first.loc[i, 'org_id']}" if trend["org_id"].nunique() > 1 else "")
        for i in ids
    ]
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=titles,
        vertical_spacing=min(0.12, 0.5 / rows),
        horizontal_spacing=0.08,
    )
    base = baselines.set_index("indicator_id") if len(baselines) else None
    baseline_legend = True
    for n, ind in enumerate(ids):
        r, c = n // cols + 1, n % cols + 1
        part = trend[trend["indicator_id"] == ind].sort_values("year")
        shown = n == 0
        act = part.dropna(subset=["actual"])
        fig.add_scatter(
            x=act["year"],
            y=act["actual"],
            mode="lines+markers",
            name=labels["actual"],
            legendgroup="actual",
            showlegend=shown,
            line={"color": SERVED, "width": 2.5},
            marker={"symbol": "circle", "size": 7},
            row=r,
            col=c,
        )
        tgt = part.dropna(subset=["target"])
        fig.add_scatter(
            x=tgt["year"],
            y=tgt["target"],
            mode="lines+markers",
            name=labels["target"],
            legendgroup="target",
            showlegend=shown,
            line={"color": OKABE_ITO[1], "width": 2, "dash": "dash"},
            marker={"symbol": "circle-open", "size": 9, "line": {"width": 2}},
            row=r,
            col=c,
        )
        if base is not None and ind in base.index:
            b = base.loc[ind]
            if pd.notna(b["baseline"]) and pd.notna(b["baseline_year"]):
                fig.add_scatter(
                    x=[int(b["baseline_year"])],
                    y=[float(b["baseline"])],
                    mode="markers",
                    name=labels["baseline"],
                    legendgroup="baseline",
                    showlegend=baseline_legend,
                    marker={"symbol": "diamond", "size": 10, "color": "#555555"},
                    row=r,
                    col=c,
                )
                baseline_legend = False
        if ind in years:
            fig.add_vline(
                x=years[ind], line={"color": "#777777", "width": 1, "dash": "dot"}, row=r, col=c
            )
        fig.update_xaxes(dtick=1, tickformat="d", row=r, col=c)
        fig.update_yaxes(rangemode="tozero", row=r, col=c)
    fig.add_scatter(
        x=[None],
        y=[None],
        mode="lines",
        name=labels["year"],
        line={"color": "#777777", "width": 1, "dash": "dot"},
        row=1,
        col=1,
    )
    fig.update_annotations(font={"size": 12})
    return layout(fig, labels["title"], separators, height=160 + 260 * rows)
