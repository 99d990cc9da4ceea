"""Figures of the projects: the timeline by status and the funding by source. Pure builders."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.style import OKABE_ITO, layout, present, short

TIMELINE_ROWS = 80  # projects drawn in the timeline
PROJECT_STATUS_ORDER = ("idea", "applied", "granted", "running", "closed", "rejected")
PROJECT_STATUS_COLOR = {
    "idea": OKABE_ITO[5],  # sky blue
    "applied": OKABE_ITO[1],  # orange
    "granted": OKABE_ITO[2],  # bluish green
    "running": OKABE_ITO[0],  # blue
    "closed": OKABE_ITO[4],  # reddish purple
    "rejected": OKABE_ITO[3],  # vermillion
}


def project_timeline(
    projects: pd.DataFrame, labels: Mapping[str, str], separators: str, statuses: Mapping[str, str]
) -> go.Figure:
    """Gantt chart of the projects with both dates, one bar from start to end (inclusive),
    coloured by status. Projects lacking a date are not drawn: the page lists them."""
    fig = go.Figure()
    dated = projects[projects["start_date"].notna() & projects["end_date"].notna()]
    dated = dated.head(TIMELINE_ROWS)  # a readable chart; the table has them all
    if dated.empty:
        return layout(fig, labels["title"], separators, height=200)
    many = dated["org_id"].nunique() > 1

    def label(r: pd.Series) -> str:
        name = r["acronym"] if present(r["acronym"]) and r["acronym"] else r["title"]
        return f"{r['org_id']} · {short(name, 34)}" if many else short(name, 44)

    ys = [label(r) for _, r in dated.iterrows()]
    shown = dated.assign(_y=ys)
    for status in PROJECT_STATUS_ORDER:
        part = shown[shown["status"] == status]
        if part.empty:
            continue
        start = pd.to_datetime(part["start_date"])
        end = pd.to_datetime(part["end_date"]) + pd.Timedelta(days=1)
        fig.add_bar(
            y=part["_y"],
            base=[s.strftime("%Y-%m-%d") for s in start],
            x=[(e - s).total_seconds() * 1000 for s, e in zip(start, end, strict=True)],
            orientation="h",
            name=statuses.get(status, status),
            marker={"color": PROJECT_STATUS_COLOR[status], "line": {"width": 0}},
            customdata=list(
                zip(
                    part["title"],
                    [s.strftime("%Y-%m-%d") for s in start],
                    pd.to_datetime(part["end_date"]).dt.strftime("%Y-%m-%d"),
                    part["programme"].fillna("–"),
                    part["role"].fillna("–"),
                    strict=True,
                )
            ),
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>%{customdata[1]} – %{customdata[2]}<br>"
                + labels["programme"]
                + ": %{customdata[3]}<br>"
                + labels["role"]
                + ": %{customdata[4]}<extra>"
                + statuses.get(status, status)
                + "</extra>"
            ),
        )
    fig.update_xaxes(type="date", title=labels["x"])
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=list(dict.fromkeys(ys)),
        autorange="reversed",
    )
    fig.update_layout(barmode="overlay", bargap=0.35)
    return layout(fig, labels["title"], separators, height=160 + 30 * len(set(ys)))


def funding_bars(
    funding: pd.DataFrame,
    measure: str,
    labels: Mapping[str, str],
    separators: str,
    statuses: Mapping[str, str],
) -> go.Figure:
    """Funding (*measure*: total_budget, eu_funding or own_funding) by programme, stacked by
    status, one panel per currency: amounts in different currencies are never added."""
    from plotly.subplots import make_subplots

    rows = funding[funding["currency"].notna() & funding[measure].notna()]
    currencies = sorted(rows["currency"].unique())
    if not currencies:
        return layout(go.Figure(), labels["title"], separators, height=200)
    progs = {
        c: list(dict.fromkeys(rows.loc[rows["currency"] == c, "programme"].fillna(labels["none"])))
        for c in currencies
    }
    fig = make_subplots(
        rows=len(currencies),
        cols=1,
        subplot_titles=[f"{labels['x']} ({c})" for c in currencies],
        row_heights=[max(len(progs[c]), 1) + 1 for c in currencies],
        vertical_spacing=min(0.3, 0.5 / len(currencies)) if len(currencies) > 1 else 0.0,
    )
    seen: set[str] = set()
    for i, cur in enumerate(currencies, start=1):
        part = rows[rows["currency"] == cur]
        for status in PROJECT_STATUS_ORDER:
            s = part[part["status"] == status]
            if s.empty:
                continue
            fig.add_bar(
                y=s["programme"].fillna(labels["none"]),
                x=s[measure],
                orientation="h",
                name=statuses.get(status, status),
                legendgroup=status,
                legendrank=PROJECT_STATUS_ORDER.index(status),
                showlegend=status not in seen,
                marker={"color": PROJECT_STATUS_COLOR[status]},
                customdata=s["projects"],
                hovertemplate=(
                    "%{y}<br>%{x:,.0f} "
                    + cur
                    + "<br>"
                    + labels["projects"]
                    + ": %{customdata}<extra>"
                    + statuses.get(status, status)
                    + "</extra>"
                ),
                row=i,
                col=1,
            )
            seen.add(status)
        fig.update_xaxes(rangemode="tozero", row=i, col=1)
        fig.update_yaxes(
            type="category",
            categoryorder="array",
            categoryarray=progs[cur],
            autorange="reversed",
            row=i,
            col=1,
        )
    fig.update_layout(barmode="stack")
    fig.update_annotations(font={"size": 12})
    n = sum(len(p) for p in progs.values())
    return layout(fig, labels["title"], separators, height=160 + 40 * n + 110 * len(currencies))
