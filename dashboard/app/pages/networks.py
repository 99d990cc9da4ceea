"""Networks: memberships by year, the networks' structure, cost against contribution, map."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from dashboard import i18n
from dashboard.app import chart_panel, data, downloads, editform, grids, ui
from dashboard.charts import network_figures
from dashboard.i18n import plotly_separators
from dashboard.model import codes
from dashboard.model.tables import illustrative_count
from dashboard.model.view import View
from dashboard.outputs.readable import for_download, readable

ALL_NETWORKS = "__all__"
NET_KIND = {"kind": "network_kind"}  # the stored codes these tables show


SUMMARY_COLUMNS = [
    "org_id",
    "network",
    "acronym",
    "kind",
    "parent_network",
    "role",
    "since_year",
    "until_year",
    "member_years",
    "annual_fee",
    "fees",
    "currency",
    "activities",
    "goals_served",
    "goal_codes",
    "source",
]


def _kinds(view: View) -> dict[str, str]:
    return {k: codes.label("network_kind", k, view.lang) for k in codes.DOMAINS["network_kind"]}


def _totals(view: View, totals: pd.DataFrame) -> None:
    """Fees and other costs in the selection, one amount per currency on one line each."""
    c1, c2 = st.columns(2)
    fees = totals[totals["fees"].notna()]
    other = totals[totals["other_costs"].notna()]
    c1.metric(
        view.t("networks.fees"),
        ui.money_line(fees, "fees", view.lang),
        border=True,
        help=view.t("networks.totals.help"),
    )
    c2.metric(
        view.t("networks.other_costs"),
        ui.money_line(other, "other_costs", view.lang),
        border=True,
        help=view.t("networks.totals.help"),
    )
    if illustrative_count(totals):  # the cards have no rows to mark with ◇
        st.caption(view.t("illustrative.amounts"))
    downloads.download(
        view, "network_totals", partial(for_download, view, totals), "network_totals"
    )


def _per_year(view: View, costs: pd.DataFrame) -> None:
    """The per-network, per-year table, narrowed to one network on request."""
    names = dict(zip(costs["network_id"], costs["network"], strict=False))
    options = [ALL_NETWORKS, *sorted(names, key=lambda n: str(names[n]).lower())]
    if st.session_state.get("nw_pick") not in options:
        st.session_state["nw_pick"] = ALL_NETWORKS
    pick = st.selectbox(
        view.t("networks.pick"),
        options,
        format_func=lambda n: view.t("networks.root") if n == ALL_NETWORKS else names[n],
        key="nw_pick",
    )
    shown = costs if pick == ALL_NETWORKS else costs[costs["network_id"] == pick]
    grids.table_with_download(
        view,
        shown[
            [
                "network",
                "kind",
                "year",
                "members",
                "fees",
                "other_costs",
                "currency",
                "activities",
                "goals_served",
                "goal_codes",
                "source",
            ]
        ],
        "network_costs",
        "network_costs",
        coded=NET_KIND,
    )


def _point_kinds(view: View, points: pd.DataFrame) -> pd.DataFrame:
    """The map's points with their kind in words: an organisation's kind (kommun, region)
    for the selected organisations, a network's kind for the networks."""
    out = points.copy()
    out["kind"] = [
        codes.label("org_kind" if item == "organisation" else "network_kind", kind, view.lang)
        if isinstance(kind, str)
        else kind
        for item, kind in zip(points["item"], points["kind"], strict=True)
    ]
    return out


def render(view: View) -> None:
    """Draw the page, then (for a signed-in coordinator) the form that changes it."""
    _render(view)
    editform.row_form(view, "memberships", "edit.memberships.title")
    editform.row_form(view, "networks", "edit.networks.title")


def _render(view: View) -> None:
    """Draw the Networks page."""
    f = view.filters
    st.title(view.t("networks.title"))
    st.caption(view.t("networks.intro"))
    with st.spinner(view.t("loading")):
        totals = data.query("network_totals", f)
        years = data.query("network_membership_years", f)
        summary = data.query("network_summary", f)
        tree = data.query("network_hierarchy", f)
        value = data.query("network_value", f)
        costs = data.query("network_costs", f)
        points = data.query("network_map", f)
    sep = plotly_separators(view.lang)
    kinds = _kinds(view)
    _totals(view, totals)
    _memberships_section(view, years, sep, kinds, summary)
    _structure_section(view, tree, sep, kinds)
    _value_section(view, value, sep, kinds)
    _per_year_section(view, costs)
    _map_section(view, points, sep, kinds)


def _memberships_section(
    view: View, years: pd.DataFrame, sep: str, kinds: dict[str, str], summary: pd.DataFrame
) -> None:
    """The section "networks.memberships": its heading, then its chart and table, or a note."""
    st.header(view.t("networks.memberships"))
    if years.empty:
        st.info(view.t("empty"))
    else:
        st.caption(view.t("networks.memberships.help"))
        pairs = len(years[["org_id", "network_id"]].drop_duplicates())
        if pairs > network_figures.MEMBERSHIP_ROWS:
            st.caption(
                view.t(
                    "chart.capped",
                    n=i18n.fmt_int(network_figures.MEMBERSHIP_ROWS, view.lang),
                    total=i18n.fmt_int(pairs, view.lang),
                )
            )
        fig = partial(
            network_figures.membership_years,
            readable(view, years, {"role": "membership_role"}),  # names and roles as words
            {
                "title": view.t("networks.memberships"),
                "x": view.t("axis.year"),
                "role": view.t("networks.role"),
                "fee": view.t("networks.fee"),
                "activities": view.t("networks.activities"),
            },
            sep,
            kinds,
            lang=view.lang,
        )
        chart_panel.chart_with_table(
            view,
            fig,
            years[
                [
                    "org_id",
                    "network",
                    "acronym",
                    "kind",
                    "year",
                    "role",
                    "annual_fee",
                    "currency",
                    "activities",
                    "source",
                ]
            ],
            "network_years",
            "network_years",
            coded=codes.QUERY_CODES["network_membership_years"],
        )
        with st.expander(view.t("networks.summary")):
            grids.table_with_download(
                view,
                summary[SUMMARY_COLUMNS],
                "network_summary",
                "nw_summary",
                coded={"kind": "network_kind", "role": "membership_role"},
            )


def _structure_section(view: View, tree: pd.DataFrame, sep: str, kinds: dict[str, str]) -> None:
    """The section "networks.structure": its heading, then its chart and table, or a note."""
    st.header(view.t("networks.structure"))
    if tree.empty:
        st.info(view.t("empty"))
    else:
        st.caption(view.t("networks.structure.help"))
        fig = partial(
            network_figures.network_tree,
            readable(view, tree),  # members by name
            {
                "title": view.t("networks.structure"),
                "root": view.t("networks.root"),
                "members": view.t("networks.members"),
                "not_member": view.t("networks.not_member"),
                "activities": view.t("networks.activities"),
            },
            sep,
            kinds,
        )
        chart_panel.chart_with_table(
            view,
            fig,
            tree[
                ["path", "network", "acronym", "kind", "level", "members", "activities", "source"]
            ],
            "network_tree",
            "network_tree",
            coded=NET_KIND,
        )


def _value_section(view: View, value: pd.DataFrame, sep: str, kinds: dict[str, str]) -> None:
    """The section "networks.value": its heading, then its chart and table, or a note."""
    st.header(view.t("networks.value"))
    if value.empty:
        st.info(view.t("empty"))
    else:
        st.caption(view.t("networks.value.help"))
        fig = partial(
            network_figures.cost_contribution,
            readable(view, value),  # members by name
            {
                "title": view.t("networks.value"),
                "x": view.t("networks.fees_axis"),
                "y": view.t("networks.activities"),
                "fees": view.t("networks.fees_axis"),
                "other_costs": view.t("col.other_costs"),
                "goals": view.t("networks.goals"),
                "members": view.t("networks.members"),
                "no_fee": view.t("networks.no_fee"),
                "log": view.t("networks.log"),
            },
            sep,
            kinds,
            lang=view.lang,
        )
        chart_panel.chart_with_table(
            view,
            fig,
            value[
                [
                    "network",
                    "acronym",
                    "kind",
                    "members",
                    "member_years",
                    "fees",
                    "other_costs",
                    "currency",
                    "activities",
                    "goals_served",
                    "goal_codes",
                    "source",
                ]
            ],
            "network_value",
            "network_value",
            coded=NET_KIND,
        )


def _per_year_section(view: View, costs: pd.DataFrame) -> None:
    """The section "networks.per_year": its heading, then its chart and table, or a note."""
    st.header(view.t("networks.per_year"))
    if costs.empty:
        st.info(view.t("empty"))
    else:
        st.caption(view.t("networks.per_year.help"))
        _per_year(view, costs)


def _map_section(view: View, points: pd.DataFrame, sep: str, kinds: dict[str, str]) -> None:
    """The section "networks.map": its heading, then its chart and table, or a note."""
    st.header(view.t("networks.map"))
    if points.empty:
        st.info(view.t("empty"))
        return
    st.caption(view.t("networks.map.help"))
    fig = partial(
        network_figures.network_map,
        readable(view, points),  # members by name
        {
            "title": view.t("networks.map"),
            "selected": view.t("networks.selected"),
            "members": view.t("networks.members"),
            "activities": view.t("networks.activities"),
            "also_here": view.t("networks.also_here"),
            "links": view.t("networks.links"),
        },
        sep,
        kinds,
    )
    map_cols = ["name", "acronym", "kind", "country", "lat", "lon", "members"]
    chart_panel.chart_with_table(
        view,
        fig,
        _point_kinds(view, points)[[*map_cols, "activities", "source"]],
        "network_map",
        "network_map",
    )
    unplaced = points[points["lat"].isna() | points["lon"].isna()]
    if len(unplaced):
        st.markdown(f"**{view.t('networks.no_coords', n=i18n.fmt_int(len(unplaced), view.lang))}**")
        grids.table_with_download(
            view,
            unplaced[["name", "acronym", "kind", "country", "members", "activities", "source"]],
            "network_unplaced",
            "network_unplaced",
            coded=NET_KIND,
        )


if __name__ == "__main__":  # run as a page by st.navigation
    from dashboard.app.shell import run_page

    run_page(render)
