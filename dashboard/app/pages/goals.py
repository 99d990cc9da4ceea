"""Goals: the goal-by-activity matrix, gaps, the strategy hierarchy, and one goal in detail."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from dashboard.app import chart_panel, data, downloads, editform, grids
from dashboard.charts import goal_figures
from dashboard.i18n import fmt_int, plotly_separators
from dashboard.model import tables
from dashboard.model.filters import Filters
from dashboard.model.view import View
from dashboard.outputs.readable import for_download

MATRIX_LIMIT = 500
# The sunburst is drawn up to this many activity-goal links: beyond, its slices are too thin
# to read (measured on the sample: all five organisations, 152 links, unreadable; one
# organisation, under 60, readable).
SUNBURST_LIMIT = 80


def render(view: View) -> None:
    """Draw the page, then (for a signed-in coordinator) the forms that change the
    organisation's strategies and goals."""
    _render(view)
    editform.row_form(view, "strategies", "edit.strategies.title")
    editform.row_form(view, "goals", "edit.goals.title")


def _matrix_and_gaps(
    links: pd.DataFrame, goals: pd.DataFrame, names: dict[str, str]
) -> tuple[pd.DataFrame, list[str]]:
    matrix = tables.goal_matrix(links, goals, names)
    return matrix, tables.unserved_goals(matrix, goals, names)


def _render(view: View) -> None:
    """Draw the Goals page."""
    f = view.filters
    st.title(view.t("goals.title"))
    with st.spinner(view.t("loading")):
        goals = data.query("goals_in_period", f)  # an ended strategy's goals are no gaps
        links = data.query("activity_goals", f, limit=MATRIX_LIMIT)
        total = int(data.query("activities_count", f, search=None).iloc[0]["activities"])
        cov = data.query("goal_coverage", f)
        orgs = data.query("organisations")
    names = dict(zip(orgs["org_id"], orgs["name"], strict=True))
    _matrix_section(view, total, goals, links, names, f)
    _hierarchy_section(view, cov, links, names)
    _goal_section(view, goals, names, f)


def _matrix_section(
    view: View,
    total: int,
    goals: pd.DataFrame,
    links: pd.DataFrame,
    names: dict[str, str],
    f: Filters,
) -> None:
    """The section "goals.matrix": its heading, then its chart and table, or a note."""
    st.header(view.t("goals.matrix"))
    st.caption(view.t("goals.matrix.help"))
    if total > MATRIX_LIMIT:
        # only part of the activities are shown: a column for every goal of every organisation
        # would send thousands of empty columns and call them all gaps
        goals = goals[goals["org_id"].isin(links["org_id"].unique())]
    matrix, gaps = chart_panel.built(
        view, "goal-matrix", lambda: _matrix_and_gaps(links, goals, names), (total,)
    )
    if gaps:
        st.warning(view.md("goals.gaps", codes="; ".join(gaps)), icon=":material/flag:")
    elif len(matrix):
        st.success(view.t("goals.no_gaps"), icon=":material/check_circle:")
    if total > MATRIX_LIMIT:
        st.info(
            view.t(
                "goals.matrix.too_many",
                n=fmt_int(MATRIX_LIMIT, view.lang),
                total=fmt_int(total, view.lang),
            )
        )
    per_year = data.query("activities_per_year", f)  # illustrative activities, not links
    n_ill = int(per_year["illustrative"].sum())
    if n_ill:
        st.caption(
            view.t(
                "illustrative.activities",
                n=fmt_int(n_ill, view.lang),
                total=fmt_int(int(per_year["activities"].sum()), view.lang),
            )
        )
    # the id stays in the download (a spreadsheet's key), not on the screen
    grids.show_table(view, matrix.drop(columns=["activity_id"]), "matrix")
    downloads.download(
        view, "matrix", partial(for_download, view, tables.matrix_counts(matrix)), "matrix"
    )


def _hierarchy_section(
    view: View, cov: pd.DataFrame, links: pd.DataFrame, names: dict[str, str]
) -> None:
    """The section "goals.hierarchy": its heading, then its chart and table, or a note."""
    st.header(view.t("goals.hierarchy"))
    st.caption(view.t("goals.hierarchy.help"))
    shown = cov[["org_id", "goal_code", "goal_title", "goal_kind", "activities", "projects"]]
    leaves = int(links["goal_id"].notna().sum())
    if leaves > SUNBURST_LIMIT:  # thin slices whose labels nobody can read
        st.info(
            view.t(
                "goals.hierarchy.too_many",
                n=fmt_int(SUNBURST_LIMIT, view.lang),
                total=fmt_int(leaves, view.lang),
            )
        )
        grids.table_with_download(view, shown, "coverage", "hierarchy")
    else:
        fig = partial(
            goal_figures.hierarchy,
            cov,
            links,
            {"title": view.t("goals.hierarchy")},
            plotly_separators(view.lang),
            names,
        )
        chart_panel.chart_with_table(view, fig, shown, "coverage", "hierarchy")


def _goal_section(view: View, goals: pd.DataFrame, names: dict[str, str], f: Filters) -> None:
    """The section "goals.pick": its heading, then its chart and table, or a note."""
    st.header(view.t("goals.pick"))
    if goals.empty:
        st.info(view.t("empty"))
        return
    label = {
        r.goal_id: f"{names.get(r.org_id, r.org_id)} · {r.code}. {r.title}"
        for r in goals.itertuples()
    }
    goal = st.selectbox(
        view.t("goals.pick"),
        list(label),
        format_func=lambda g: label.get(g, g),
        key="goal_detail",
        label_visibility="collapsed",
    )
    one = Filters(f.orgs, f.year_from, f.year_to, (goal,))
    acts = data.query("activities", one, search=None, limit=1000, offset=0)
    projs = data.query("project_portfolio", one)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{view.t('goals.serving_activities')}**: {fmt_int(len(acts), view.lang)}")
        grids.table_with_download(
            view,
            acts[["org_id", "year", "title", "goal_codes", "status", "source"]],
            "goal_activities",
            "goal_acts",
            coded={"status": "activity_status"},
        )
    with right:
        st.markdown(f"**{view.t('goals.serving_projects')}**: {fmt_int(len(projs), view.lang)}")
        grids.table_with_download(
            view,
            projs[["org_id", "title", "acronym", "role", "status", "source"]],
            "goal_projects",
            "goal_projs",
            coded={"role": "project_role", "status": "project_status"},
        )


if __name__ == "__main__":  # run as a page by st.navigation
    from dashboard.app.shell import run_page

    run_page(render)
