"""Pure figure builders: a DataFrame and translated labels in, a Plotly figure out.

Colours are the Okabe-Ito palette, which stays distinguishable with the common kinds
of colour blindness; gaps are also drawn with a distinct marker, not by colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
SERVED = OKABE_ITO[0]
GAP = OKABE_ITO[3]


def _layout(fig: go.Figure, title: str, separators: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        separators=separators,
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        legend={"orientation": "h", "y": -0.2},
        template="plotly_white",
        colorway=list(OKABE_ITO),
    )
    return fig


def goal_label(row: pd.Series, many_orgs: bool) -> str:
    """Short axis label of a goal: its code, prefixed by the organisation when several."""
    return f"{row['org_id']} · {row['goal_code']}" if many_orgs else str(row["goal_code"])


def coverage_bar(cov: pd.DataFrame, labels: Mapping[str, str], separators: str) -> go.Figure:
    """Activities per goal; goals with none are drawn as a marked gap at zero."""
    fig = go.Figure()
    if cov.empty:
        return _layout(fig, labels["title"], separators)
    many = cov["org_id"].nunique() > 1
    x = [goal_label(r, many) for _, r in cov.iterrows()]
    hover = [str(t)[:90] for t in cov["goal_title"]]
    served = cov["activities"] > 0
    fig.add_bar(
        x=[v for v, s in zip(x, served, strict=True) if s],
        y=cov.loc[served, "activities"],
        name=labels["served"],
        marker_color=SERVED,
        hovertext=[h for h, s in zip(hover, served, strict=True) if s],
        hovertemplate="%{x}: %{y}<br>%{hovertext}<extra></extra>",
    )
    fig.add_scatter(
        x=[v for v, s in zip(x, served, strict=True) if not s],
        y=[0] * int((~served).sum()),
        mode="markers",
        name=labels["gap"],
        marker={"symbol": "x-thin-open", "size": 14, "color": GAP, "line": {"width": 3}},
        hovertext=[h for h, s in zip(hover, served, strict=True) if not s],
        hovertemplate="%{x}: 0<br>%{hovertext}<extra></extra>",
    )
    fig.update_xaxes(title=labels["x"], type="category", categoryorder="array", categoryarray=x)
    fig.update_yaxes(title=labels["y"], rangemode="tozero")
    return _layout(fig, labels["title"], separators)


def per_year_bar(
    per_year: pd.DataFrame, labels: Mapping[str, str], separators: str, names: Mapping[str, str]
) -> go.Figure:
    """Activities per year, stacked by organisation."""
    fig = go.Figure()
    for i, (org, part) in enumerate(per_year.groupby("org_id", sort=True)):
        fig.add_bar(
            x=part["year"],
            y=part["activities"],
            name=names.get(str(org), str(org)),
            marker_color=OKABE_ITO[i % len(OKABE_ITO)],
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=labels["x"], dtick=1, tickformat="d")
    fig.update_yaxes(title=labels["y"], rangemode="tozero")
    return _layout(fig, labels["title"], separators)


def hierarchy(
    cov: pd.DataFrame,
    links: pd.DataFrame,
    labels: Mapping[str, str],
    separators: str,
    names: Mapping[str, str],
) -> go.Figure:
    """Sunburst: organisation's strategy, then its goals, then the activities serving each.

    Every goal appears, served or not; a goal with no activity is a thin slice of size 1.
    """
    ids: list[str] = []
    parents: list[str] = []
    text: list[str] = []
    values: list[float] = []
    colors: list[str] = []
    per_goal = links.dropna(subset=["goal_id"]).groupby("goal_id")
    org_total: dict[str, float] = {}
    goal_value: dict[str, float] = {}
    for _, g in cov.iterrows():
        n = float(max(int(g["activities"]), 0))
        goal_value[g["goal_id"]] = n if n > 0 else 1.0
        org_total[g["org_id"]] = org_total.get(g["org_id"], 0) + goal_value[g["goal_id"]]
    for org, total in org_total.items():
        ids.append(f"org:{org}")
        parents.append("")
        text.append(names.get(org, org))
        values.append(total)
        colors.append("#FFFFFF")
    for _, g in cov.iterrows():
        gid = f"goal:{g['goal_id']}"
        ids.append(gid)
        parents.append(f"org:{g['org_id']}")
        text.append(f"{g['goal_code']}. {str(g['goal_title'])[:40]}")
        values.append(goal_value[g["goal_id"]])
        colors.append(SERVED if g["activities"] > 0 else GAP)
        if g["goal_id"] in per_goal.groups:
            for _, a in per_goal.get_group(g["goal_id"]).iterrows():
                ids.append(f"{gid}/act:{a['activity_id']}")
                parents.append(gid)
                text.append(str(a["activity_title"])[:40])
                values.append(1.0)
                colors.append(OKABE_ITO[5])
    fig = go.Figure(
        go.Sunburst(
            ids=ids,
            parents=parents,
            labels=text,
            values=values,
            branchvalues="total",
            marker={"colors": colors, "line": {"color": "#FFFFFF", "width": 1}},
            insidetextorientation="radial",
            maxdepth=3,
        )
    )
    return _layout(fig, labels["title"], separators, height=620)
