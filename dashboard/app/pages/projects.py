"""Projects: the portfolio with its funding, a timeline, funding by programme, and targets."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from dashboard import i18n
from dashboard.app import chart_panel, data, editform, grids
from dashboard.charts import project_figures
from dashboard.i18n import fmt_int, fmt_money, fmt_pct, plotly_separators
from dashboard.model import codes, safe
from dashboard.model.view import View
from dashboard.outputs.readable import readable

STATUSES = project_figures.PROJECT_STATUS_ORDER
ROLES = ("lead_partner", "partner")
MEASURES = ("total_budget", "eu_funding", "own_funding")
CARD_LIMIT = 12


PROJECT_CODES = {"role": "project_role", "status": "project_status"}  # stored codes shown
PORTFOLIO_COLUMNS = [
    "org_id",
    "title",
    "acronym",
    "programme",
    "role",
    "status",
    "start_date",
    "end_date",
    "total_budget",
    "eu_funding",
    "own_funding",
    "currency",
    "eu_rate",
    "goal_codes",
    "source",
]
TIMELINE_COLUMNS = [
    "org_id",
    "title",
    "acronym",
    "programme",
    "role",
    "status",
    "start_date",
    "end_date",
    "source",
]
TARGET_COLUMNS = [
    "org_id",
    "name",
    "goal_code",
    "role",
    "target",
    "deadline",
    "as_of_year",
    "actual",
    "actual_year",
    "progress",
    "counted",
    "without_role",
    "undated",
    "definition",
    "source",
]


def _statuses(view: View) -> dict[str, str]:
    return {s: codes.label("project_status", s, view.lang) for s in STATUSES}


def _secured(view: View, totals: pd.DataFrame) -> None:
    """Secured funding per currency: the EU co-financing rate up front, the amounts below."""
    st.markdown(f"**{view.t('projects.secured')}**")
    lang = view.lang
    if totals.empty:
        st.caption(view.t("projects.none_secured"))
        return
    with_money = totals[totals["currency"].notna()]
    if len(with_money):
        cols = st.columns(max(len(with_money), 3))
        for col, (_, r) in zip(cols, with_money.iterrows(), strict=False):
            cur = str(r["currency"])
            col.metric(
                view.md("projects.metric.rate", cur=cur),
                fmt_pct(r["eu_rate"], lang),
                border=True,
                help=view.t("projects.rate.help"),
            )
            col.caption(
                i18n.tn(
                    "projects.rate.amounts",
                    int(r["projects"]),
                    lang,
                    eu=fmt_money(r["eu_funding"], cur, lang),
                    total=fmt_money(r["total_budget"], cur, lang),
                    n=fmt_int(r["projects"], lang),
                )
            )
    for _, r in totals[totals["currency"].isna()].iterrows():
        n = int(r["projects"])
        st.caption(view.tn("projects.no_amounts", n))
    grids.table_with_download(view, totals, "project_totals", "project_totals")


def _role_name(view: View, role: object) -> str:
    if role in ROLES:
        return codes.label("project_role", str(role), view.lang)
    return view.t("projects.role.any")


def _target_notes(view: View, r: pd.Series, mark_illustrative: bool) -> list[str]:
    """What the reader must know about one target: as of when, the year its actual was
    reported, what the projects table counts beside it, and what that count misses."""
    lang = view.lang
    notes = []
    if r["as_of_year"] != r["deadline"]:
        notes.append(view.t("projects.target.as_of", year=str(r["as_of_year"])))
    if pd.notna(r["actual_year"]) and r["actual_year"] != r["as_of_year"]:
        notes.append(view.t("projects.target.reported", year=str(r["actual_year"])))
    counted = int(r["counted"])
    notes.append(i18n.tn("projects.target.counted", counted, lang, n=fmt_int(counted, lang)))
    if pd.notna(r["without_role"]) and r["without_role"] > 0:
        n = int(r["without_role"])
        notes.append(i18n.tn("projects.target.without_role", n, lang, n=fmt_int(n, lang)))
    if r["undated"] > 0:
        n = int(r["undated"])
        notes.append(i18n.tn("projects.target.undated", n, lang, n=fmt_int(n, lang)))
    if mark_illustrative and r["source"] == "illustrative":
        notes.append(view.t("source.illustrative"))
    return notes


def _targets(view: View, targets: pd.DataFrame, names: dict[str, str]) -> None:
    """One card per indicator, one bar per target year: the last reported actual against the
    target and its deadline (as the Evaluation measures it), and the projects table's count."""
    lang = view.lang
    indicators = list(dict.fromkeys(targets["indicator_id"]))
    for ind in indicators[:CARD_LIMIT]:
        rows = targets[targets["indicator_id"] == ind]
        first = rows.iloc[0]
        with st.container(border=True):
            goal = (
                f" · {view.t('axis.goal')} {safe.md(first['goal_code'])}"
                if isinstance(first["goal_code"], str)
                else ""
            )
            invented = bool((rows["source"] == "illustrative").all())
            st.markdown(
                f"**{safe.md(first['name'])}**  \n"
                + f"{safe.md(names.get(first['org_id'], first['org_id']))}{goal} · "
                + view.md("projects.target.role", role=_role_name(view, first["role"]).lower())
                + (f" · {view.t('source.illustrative')}" if invented else "")
            )
            for _, r in rows.iterrows():
                progress = float(r["progress"]) if pd.notna(r["progress"]) else 0.0
                values = {
                    "target": i18n.fmt_num(r["target"], lang, 1),
                    "deadline": str(r["deadline"]),
                }
                text = (
                    view.t(
                        "projects.target.line",
                        actual=i18n.fmt_num(r["actual"], lang, 1),
                        pct=fmt_pct(r["progress"], lang),
                        **values,
                    )
                    if pd.notna(r["actual"])
                    else view.t("projects.target.no_actual", **values)
                )
                st.progress(min(max(progress, 0.0), 1.0), text=text)
                notes = _target_notes(view, r, mark_illustrative=not invented)
                if notes:
                    st.caption(" · ".join(notes))
    if len(indicators) > CARD_LIMIT:
        st.caption(view.t("projects.target.more", n=fmt_int(CARD_LIMIT, lang)))
    grids.table_with_download(
        view, targets[TARGET_COLUMNS], "project_targets", "project_targets", coded=PROJECT_CODES
    )


def render(view: View) -> None:
    """Draw the page, then (for a signed-in coordinator) the form that changes it."""
    _render(view)
    editform.row_form(view, "projects", "edit.projects.title")


def _render(view: View) -> None:
    """Draw the Projects page."""
    f = view.filters
    st.title(view.t("projects.title"))
    st.caption(view.t("projects.intro"))
    with st.spinner(view.t("loading")):
        portfolio = data.query("project_portfolio", f)
        totals = data.query("project_totals", f)
        funding = data.query("project_funding", f)
        targets = data.query("project_targets", f)
        orgs = data.query("organisations")
    names = dict(zip(orgs["org_id"], orgs["name"], strict=True))
    sep = plotly_separators(view.lang)
    statuses = _statuses(view)

    _secured(view, totals)
    _portfolio_section(view, portfolio)
    _timeline_section(view, portfolio, sep, statuses)
    _funding_section(view, funding, sep, statuses)
    _targets_section(view, targets, names)


def _portfolio_section(view: View, portfolio: pd.DataFrame) -> None:
    """The section "projects.portfolio": its heading, then its chart and table, or a note."""
    st.header(view.t("projects.portfolio"))
    grids.table_with_download(
        view, portfolio[PORTFOLIO_COLUMNS], "project_portfolio", "portfolio", coded=PROJECT_CODES
    )


def _timeline_section(
    view: View, portfolio: pd.DataFrame, sep: str, statuses: dict[str, str]
) -> None:
    """The section "projects.timeline": its heading, then its chart and table, or a note."""
    st.header(view.t("projects.timeline"))
    dated = portfolio["start_date"].notna() & portfolio["end_date"].notna()
    if dated.any():
        st.caption(view.t("projects.timeline.help"))
        if dated.sum() > project_figures.TIMELINE_ROWS:
            st.caption(
                view.t(
                    "chart.capped",
                    n=fmt_int(project_figures.TIMELINE_ROWS, view.lang),
                    total=fmt_int(int(dated.sum()), view.lang),
                )
            )
        fig = partial(
            project_figures.project_timeline,
            readable(view, portfolio, {"role": "project_role"}),  # names, roles as words
            {
                "title": view.t("projects.timeline"),
                "x": view.t("projects.axis.date"),
                "programme": view.t("col.programme"),
                "role": view.t("col.role"),
            },
            sep,
            statuses,
        )
        chart_panel.chart_with_table(
            view,
            fig,
            portfolio.loc[
                dated,
                TIMELINE_COLUMNS,
            ],
            "project_timeline",
            "project_timeline",
            coded=PROJECT_CODES,
        )
    else:
        st.info(view.t("projects.no_dated"))
    if (~dated).any():
        undated = portfolio.loc[
            ~dated, ["org_id", "title", "acronym", "status", "start_date", "end_date", "source"]
        ]
        st.markdown(f"**{view.t('projects.undated', n=fmt_int(len(undated), view.lang))}**")
        grids.table_with_download(
            view, undated, "project_undated", "project_undated", coded=PROJECT_CODES
        )


def _funding_section(view: View, funding: pd.DataFrame, sep: str, statuses: dict[str, str]) -> None:
    """The section "projects.funding": its heading, then its chart and table, or a note."""
    st.header(view.t("projects.funding"))
    st.caption(view.t("projects.funding.help"))
    measure = st.radio(
        view.t("projects.measure"),
        MEASURES,
        format_func=lambda m: view.t(f"col.{m}"),
        horizontal=True,
        key="proj_measure",
    )
    fig = partial(
        project_figures.funding_bars,
        funding,
        measure or MEASURES[0],
        {
            "title": view.t("projects.funding"),
            "x": view.t(f"col.{measure or MEASURES[0]}"),
            "none": view.t("projects.no_programme"),
            "projects": view.t("col.projects"),
        },
        sep,
        statuses,
    )
    chart_panel.chart_with_table(
        view,
        fig,
        funding,
        "project_funding",
        "project_funding",
        coded=PROJECT_CODES,
        vary=(measure,),
    )


def _targets_section(view: View, targets: pd.DataFrame, names: dict[str, str]) -> None:
    """The section "projects.targets": its heading, then its chart and table, or a note."""
    st.header(view.t("projects.targets"))
    st.caption(view.t("projects.targets.help"))
    if targets.empty:
        st.info(view.t("projects.no_targets"))
    else:
        _targets(view, targets, names)


if __name__ == "__main__":  # run as a page by st.navigation
    from dashboard.app.shell import run_page

    run_page(render)
