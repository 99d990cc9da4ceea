"""Figures of the goals: how many activities serve each goal, per year, and the
strategy's goals as a hierarchy. Pure: a DataFrame and translated labels in, a figure out."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.style import (
    GAP,
    OKABE_ITO,
    SERVED,
    goal_label,
    layout,
    org_colour,
    whole_counts,
)


def coverage_bar(
    cov: pd.DataFrame,
    labels: Mapping[str, str],
    separators: str,
    names: Mapping[str, str] | None = None,
) -> go.Figure:
    """Activities per goal; goals with none are drawn as a marked gap at zero."""
    fig = go.Figure()
    if cov.empty:
        return layout(fig, labels["title"], separators)
    many = cov["org_id"].nunique() > 1
    if many:
        return _coverage_by_org(cov, labels, separators, names or {})
    x = [goal_label(r, many, names) for _, r in cov.iterrows()]
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
    fig.update_yaxes(title=labels["y"], **whole_counts(float(cov["activities"].max())))
    return layout(fig, labels["title"], separators)


def _coverage_by_org(
    cov: pd.DataFrame, labels: Mapping[str, str], separators: str, names: Mapping[str, str]
) -> go.Figure:
    """Activities per goal over several organisations: horizontal bars grouped by
    organisation (its name once, beside its goals' numbers), as tall as the goals need, so
    no label is cut or written over another."""
    fig = go.Figure()
    orgs = [str(names.get(o, o)) for o in cov["org_id"]]
    codes: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for org, code in zip(orgs, cov["goal_code"], strict=True):
        n = seen[(org, str(code))] = seen.get((org, str(code)), 0) + 1
        codes.append(str(code) if n == 1 else f"{code} ({n})")  # two strategies, one number
    served = (cov["activities"] > 0).tolist()
    hover = [str(t)[:90] for t in cov["goal_title"]]
    # one bar a goal, in the table's order (a gap is a bar of 0): the axis keeps this order
    fig.add_bar(
        y=[orgs, codes],
        x=cov["activities"],
        orientation="h",
        name=labels["served"],
        marker_color=SERVED,
        hovertext=hover,
        hovertemplate="%{y}: %{x}<br>%{hovertext}<extra></extra>",
    )
    gaps = [i for i, s in enumerate(served) if not s]
    fig.add_scatter(
        y=[[orgs[i] for i in gaps], [codes[i] for i in gaps]],
        x=[0] * len(gaps),
        mode="markers",
        name=labels["gap"],
        marker={"symbol": "x-thin-open", "size": 12, "color": GAP, "line": {"width": 3}},
        cliponaxis=False,  # the whole mark at 0, not half of it
        hovertext=[hover[i] for i in gaps],
        hovertemplate="%{y}: 0<br>%{hovertext}<extra></extra>",
    )
    fig.update_yaxes(autorange="reversed", tickfont={"size": 11}, title=None)
    fig.update_xaxes(title=labels["y"], **whole_counts(float(cov["activities"].max())))
    fig = layout(fig, labels["title"], separators, height=max(420, 17 * len(cov) + 160))
    # the legend below the axis title, in the figure's own margin
    fig.update_layout(
        legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom"},
        margin={"b": 70},
    )
    return fig


def per_year_bar(
    per_year: pd.DataFrame, labels: Mapping[str, str], separators: str, names: Mapping[str, str]
) -> go.Figure:
    """Activities per year, stacked by organisation."""
    fig = go.Figure()
    for org, part in per_year.groupby("org_id", sort=True):
        fig.add_bar(
            x=part["year"],
            y=part["activities"],
            name=names.get(str(org), str(org)),
            marker_color=org_colour(str(org), names),
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=labels["x"], dtick=1, tickformat="d")
    top = float(per_year.groupby("year")["activities"].sum().max()) if len(per_year) else 1.0
    fig.update_yaxes(title=labels["y"], **whole_counts(top))
    return layout(fig, labels["title"], separators)


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
    hover: list[str] = []
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
        hover.append(names.get(org, org))
        values.append(total)
        colors.append("#FFFFFF")
    for _, g in cov.iterrows():
        gid = f"goal:{g['goal_id']}"
        ids.append(gid)
        parents.append(f"org:{g['org_id']}")
        # the ring shows the goal's number (it fits at 11 px); its wording is in the hover
        text.append(str(g["goal_code"]))
        hover.append(f"{g['goal_code']}. {str(g['goal_title'])[:90]}")
        values.append(goal_value[g["goal_id"]])
        colors.append(SERVED if g["activities"] > 0 else GAP)
        if g["goal_id"] in per_goal.groups:
            for _, a in per_goal.get_group(g["goal_id"]).iterrows():
                ids.append(f"{gid}/act:{a['activity_id']}")
                parents.append(gid)
                text.append(str(a["activity_title"])[:40])
                hover.append(str(a["activity_title"])[:90])
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
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            insidetextorientation="horizontal",
            insidetextfont={"size": 14},
            # the activities show when a goal is clicked: all at once, their slices were
            # too thin for any label (about 5 px)
            maxdepth=2,
        )
    )
    return layout(fig, labels["title"], separators, height=620)
