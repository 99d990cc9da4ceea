"""Overview: the selection's key figures against the previous period, coverage and trend."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from dashboard.app import chart_panel, data, downloads, ui
from dashboard.charts import goal_figures
from dashboard.i18n import fmt_int, plotly_separators
from dashboard.model.filters import Filters
from dashboard.model.view import View
from dashboard.outputs.readable import for_download

CARD_MEASURES = ("activities", "goals_served", "projects_running", "networks")


def comparison(
    metrics: pd.DataFrame, eu: pd.DataFrame, first_year: object
) -> tuple[pd.DataFrame, tuple[int, int] | None]:
    """The Overview's figures, one row per measure (EU funding one per currency): this
    period, the period before and the change; and the years compared against, or None when
    there is no comparison (no years chosen, or no data that far back: a change against
    nothing would mislead). The cards and their CSV both read this one frame, so they say
    the same."""
    cur = metrics[metrics["period"] == "current"].iloc[0]
    prev_rows = metrics[metrics["period"] == "previous"]
    prev = prev_rows.iloc[0] if len(prev_rows) else None
    if prev is not None and (pd.isna(first_year) or int(prev["year_from"]) < int(str(first_year))):
        prev = None
    rows: list[tuple[str, float, float | None, float | None, object]] = []
    for m in CARD_MEASURES:
        count = int(cur[m])
        had = None if prev is None else int(prev[m])
        rows.append((m, count, had, None if had is None else count - had, None))
    eu_now = eu[eu["period"] == "current"]
    eu_prev = eu[eu["period"] == "previous"]
    for _, r in eu_now.iterrows():
        same = eu_prev[eu_prev["currency"] == r["currency"]]
        before = None if prev is None else float(same["eu_funding"].sum())
        now = float(r["eu_funding"])
        rows.append(
            ("eu_funding", now, before, None if before is None else now - before, r["currency"])
        )
    frame = pd.DataFrame(rows, columns=["measure", "current", "previous", "change", "currency"])
    frame["goals_total"] = [
        int(cur["goals_total"]) if m == "goals_served" else None for m in frame["measure"]
    ]
    years = None if prev is None else (int(prev["year_from"]), int(prev["year_to"]))
    return frame, years


def _for_download(view: View, frame: pd.DataFrame) -> pd.DataFrame:
    """The cards as a table: the measure in words, the numbers as numbers."""
    out = frame.drop(columns=["goals_total"])
    out["measure"] = [view.t(f"metric.{m}") for m in out["measure"]]
    return for_download(view, out)


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
    first = data.query("year_range", Filters(f.orgs)).iloc[0]["min_year"]
    cards, compared = comparison(metrics, eu, first)
    if compared is None and len(metrics) > 1:
        st.caption(view.t("overview.no_delta"))
    if compared is not None:
        lo, hi = compared
        st.caption(view.md("overview.delta", prev=str(lo) if lo == hi else f"{lo}–{hi}"))
    by = cards.set_index("measure")
    lang = view.lang

    def delta(m: str) -> int | None:
        v = by.loc[m, "change"]
        return None if pd.isna(v) else int(v)

    # two rows: five cards side by side cut off values like "8 av 10 mål" and amounts; the
    # goals' value is "7 av 7" under "Mål som tjänas" ("7 av 7 mål" was cut at 1024 px)
    c1, c2, c3 = st.columns(3)
    c1.metric(
        view.t("metric.activities"),
        fmt_int(by.loc["activities", "current"], lang),
        delta("activities"),
        border=True,
    )
    c2.metric(
        view.t("metric.goals_served"),
        view.t(
            "metric.goals_of",
            x=fmt_int(by.loc["goals_served", "current"], lang),
            y=fmt_int(by.loc["goals_served", "goals_total"], lang),
        ),
        delta("goals_served"),
        border=True,
    )
    c3.metric(
        view.t("metric.projects_running"),
        fmt_int(by.loc["projects_running", "current"], lang),
        delta("projects_running"),
        border=True,
    )
    eu_rows = cards[cards["measure"] == "eu_funding"]
    eu_delta = None
    if len(eu_rows) == 1 and pd.notna(eu_rows.iloc[0]["change"]):
        eu_delta = ui.money_line(eu_rows, "change", lang)
    c4, c5 = st.columns([2, 1])
    c4.metric(
        view.t("metric.eu_funding"),
        ui.money_line(eu_rows, "current", lang) if len(eu_rows) else view.t("metric.none"),
        eu_delta,
        border=True,
    )
    c5.metric(
        view.t("metric.networks"),
        fmt_int(by.loc["networks", "current"], lang),
        delta("networks"),
        border=True,
    )
    n_ill = int(per_year["illustrative"].sum())
    if n_ill:
        total = int(per_year["activities"].sum())
        st.caption(
            view.t(
                "illustrative.activities",
                n=fmt_int(n_ill, view.lang),
                total=fmt_int(total, view.lang),
            )
        )
    downloads.download(view, "metrics", partial(_for_download, view, cards), "metrics")

    sep = plotly_separators(view.lang)
    names = dict(zip(orgs["org_id"], orgs["name"], strict=True))
    left, right = st.columns(2)
    with left:
        fig = partial(
            goal_figures.coverage_bar,
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
        chart_panel.chart_with_table(
            view,
            fig,
            cov[["org_id", "goal_code", "goal_title", "goal_kind", "activities", "projects"]],
            "coverage",
            "coverage",
        )
    with right:
        fig = partial(
            goal_figures.per_year_bar,
            per_year,
            {
                "title": view.t("chart.per_year"),
                "x": view.t("axis.year"),
                "y": view.t("axis.activities"),
            },
            sep,
            names,
        )
        chart_panel.chart_with_table(view, fig, per_year, "per_year", "per_year")


if __name__ == "__main__":  # run as a page by st.navigation
    from dashboard.app.shell import run_page

    run_page(render)
