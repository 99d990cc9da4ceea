"""Overview: the selection's key figures against the previous period, coverage and trend."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, figures, ui
from dashboard.filters import Filters
from dashboard.i18n import fmt_int, plotly_separators
from dashboard.ui import View


def _delta(cur: pd.Series, prev: pd.Series | None, col: str) -> int | None:
    return None if prev is None else int(cur[col]) - int(prev[col])


def render(view: View) -> None:
    """Draw the Overview page."""
    f = view.filters
    st.title(view.t("overview.title"))
    with st.spinner(view.t("loading")):
        metrics = data.query("overview_metrics", f)
        eu = data.query("eu_funding", f)
        cov = data.query("goal_coverage", f)
        per_year = data.query("activities_per_year", f)
        orgs = data.query("organisations")
    cur = metrics[metrics["period"] == "current"].iloc[0]
    prev_rows = metrics[metrics["period"] == "previous"]
    prev = prev_rows.iloc[0] if len(prev_rows) else None
    first = data.query("year_range", Filters(f.orgs)).iloc[0]["min_year"]
    if prev is not None and (pd.isna(first) or int(prev["year_from"]) < int(first)):
        prev = None  # no data that far back: a change against nothing would mislead
        st.caption(view.t("overview.no_delta"))
    if prev is not None:
        span = (
            str(prev["year_from"])
            if prev["year_from"] == prev["year_to"]
            else f"{prev['year_from']}–{prev['year_to']}"
        )
        st.caption(view.t("overview.delta", prev=span))

    # two rows: five cards side by side cut off values like "8 av 10 mål" and amounts
    c1, c2, c3 = st.columns(3)
    c1.metric(
        view.t("metric.activities"),
        fmt_int(cur["activities"], view.lang),
        _delta(cur, prev, "activities"),
        border=True,
    )
    c2.metric(
        view.t("metric.goals_served"),
        view.t(
            "metric.goals_of",
            x=fmt_int(cur["goals_served"], view.lang),
            y=fmt_int(cur["goals_total"], view.lang),
        ),
        _delta(cur, prev, "goals_served"),
        border=True,
    )
    c3.metric(
        view.t("metric.projects"),
        fmt_int(cur["projects_running"], view.lang),
        _delta(cur, prev, "projects_running"),
        border=True,
    )
    eu_now = eu[eu["period"] == "current"]
    eu_prev = eu[eu["period"] == "previous"]
    eu_delta = None
    if prev is not None and len(eu_now) == 1 and len(eu_prev) <= 1:
        before = float(eu_prev["eu_funding"].sum()) if len(eu_prev) else 0.0
        same = len(eu_prev) == 0 or eu_prev.iloc[0]["currency"] == eu_now.iloc[0]["currency"]
        if same:
            eu_delta = ui.money_line(
                pd.DataFrame(
                    {
                        "v": [float(eu_now.iloc[0]["eu_funding"]) - before],
                        "currency": [eu_now.iloc[0]["currency"]],
                    }
                ),
                "v",
                view.lang,
            )
    c4, c5 = st.columns([2, 1])
    c4.metric(
        view.t("metric.eu_funding"),
        ui.money_line(eu_now, "eu_funding", view.lang) if len(eu_now) else view.t("metric.none"),
        eu_delta,
        border=True,
    )
    c5.metric(
        view.t("metric.networks"),
        fmt_int(cur["networks"], view.lang),
        _delta(cur, prev, "networks"),
        border=True,
    )
    n_ill = int(per_year["illustrative"].sum())
    if n_ill:
        total = int(per_year["activities"].sum())
        st.caption(
            view.t(
                "illustrative.share", n=fmt_int(n_ill, view.lang), total=fmt_int(total, view.lang)
            )
        )
    ui.download(view, "metrics", lambda: pd.concat([metrics, eu], ignore_index=True), "metrics")

    sep = plotly_separators(view.lang)
    names = dict(zip(orgs["org_id"], orgs["name"], strict=True))
    left, right = st.columns(2)
    with left:
        fig = figures.coverage_bar(
            cov,
            {
                "title": view.t("chart.coverage"),
                "x": view.t("axis.goal"),
                "y": view.t("axis.activities"),
                "served": view.t("legend.served"),
                "gap": view.t("legend.gap"),
            },
            sep,
            view.orgs,
        )
        ui.chart_with_table(
            view,
            fig,
            cov[["org_id", "goal_code", "goal_title", "goal_kind", "activities", "projects"]],
            "coverage",
            "coverage",
        )
    with right:
        fig = figures.per_year_bar(
            per_year,
            {
                "title": view.t("chart.per_year"),
                "x": view.t("axis.year"),
                "y": view.t("axis.activities"),
            },
            sep,
            names,
        )
        ui.chart_with_table(view, fig, per_year, "per_year", "per_year")


if __name__ == "__main__":  # run as a page by st.navigation
    from dashboard.shell import run_page

    run_page(render)
