"""Networks: memberships by year, the networks' structure, cost against contribution, map."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, figures, i18n, ui
from dashboard.i18n import plotly_separators
from dashboard.ui import View

ALL_NETWORKS = "__all__"
NET_KIND = {"kind": "network_kind"}  # the stored codes these tables show
KINDS = ("network", "organisation", "twin_town", "partner", "office")

i18n.register(
    {
        "networks.title": {
            "sv": "Nätverk och partnerskap",
            "en": "Networks and partnerships",
            "da": "Netværk og partnerskaber",
        },
        "networks.intro": {
            "sv": "Medlemskap, avgifter och aktiviteter genom nätverk för valda organisationer "
            "och år. Belopp i olika valutor läggs aldrig ihop.",
            "en": "Memberships, fees and activities through networks for the selected "
            "organisations and years. Amounts in different currencies are never added up.",
            "da": "Medlemskaber, kontingenter og aktiviteter gennem netværk for de valgte "
            "organisationer og år. Beløb i forskellige valutaer lægges aldrig sammen.",
        },
        "networks.fees": {
            "sv": "Medlemsavgifter i urvalet",
            "en": "Membership fees in the selection",
            "da": "Kontingenter i udvalget",
        },
        "networks.other_costs": {
            "sv": "Övriga kostnader (aktiviteter)",
            "en": "Other costs (activities)",
            "da": "Andre omkostninger (aktiviteter)",
        },
        "networks.totals.help": {
            "sv": "Avgift = årsavgiften för varje medlemsår i urvalet; övriga kostnader = "
            "kostnaden för aktiviteter genom nätverken. Per valuta.",
            "en": "Fee = the annual fee of each membership year in the selection; other costs = "
            "the cost of activities through the networks. Per currency.",
            "da": "Kontingent = årskontingentet for hvert medlemsår i udvalget; andre "
            "omkostninger = omkostningen til aktiviteter gennem netværkene. Pr. valuta.",
        },
        "networks.memberships": {
            "sv": "Medlemskap per år",
            "en": "Memberships by year",
            "da": "Medlemskaber pr. år",
        },
        "networks.memberships.help": {
            "sv": "En rad per organisation och nätverk, en ruta per medlemsår, färgad efter "
            "slag. Fylld ruta: minst en aktivitet genom nätverket det året; ofylld ruta: "
            "enbart medlemskap. Medlemskap utan slutår räknas till urvalets sista år (utan "
            "årsval: till sista året med aktiviteter).",
            "en": "One row per organisation and network, one square per membership year, "
            "coloured by kind. Filled square: at least one activity through the network that "
            "year; open square: membership only. Open-ended memberships run to the last year "
            "of the selection (with no years chosen: the last year with activities).",
            "da": "En række pr. organisation og netværk, en firkant pr. medlemsår, farvet efter "
            "type. Udfyldt firkant: mindst én aktivitet gennem netværket det år; åben firkant: "
            "kun medlemskab. Medlemskaber uden slutår regnes til udvalgets sidste år (uden "
            "valgte år: til sidste år med aktiviteter).",
        },
        "networks.summary": {
            "sv": "Medlemskapen i urvalet",
            "en": "The memberships in the selection",
            "da": "Medlemskaberne i udvalget",
        },
        "networks.structure": {
            "sv": "Nätverkens struktur",
            "en": "The networks' structure",
            "da": "Netværkenes struktur",
        },
        "networks.structure.help": {
            "sv": "Vilka nätverk som ingår i vilka, t.ex. Islands Commission och Baltic Sea "
            "Commission inom CPMR. Färg = slag; grå ruta = urvalet är inte medlem (nätverket "
            "visas som överordnat eller för att aktiviteter gått genom det). Klicka för att "
            "zooma.",
            "en": "Which networks are part of which, e.g. the Islands Commission and the Baltic "
            "Sea Commission within CPMR. Colour = kind; grey box = the selection is not a "
            "member (shown as a parent, or because activities went through it). Click to zoom.",
            "da": "Hvilke netværk der indgår i hvilke, fx Islands Commission og Baltic Sea "
            "Commission i CPMR. Farve = type; grå boks = udvalget er ikke medlem (vist som "
            "overordnet eller fordi aktiviteter gik gennem det). Klik for at zoome.",
        },
        "networks.root": {"sv": "Alla nätverk", "en": "All networks", "da": "Alle netværk"},
        "networks.not_member": {
            "sv": "ingen medlem i urvalet",
            "en": "no member in the selection",
            "da": "intet medlem i udvalget",
        },
        "networks.value": {
            "sv": "Kostnad mot bidrag",
            "en": "Cost against contribution",
            "da": "Omkostning over for bidrag",
        },
        "networks.value.help": {
            "sv": "x = medlemsavgifter i urvalet (en panel per valuta), y = aktiviteter genom "
            "nätverket, storlek = antal mål som aktiviteterna tjänar, färg = slag. Nätverk "
            "utan avgift (ingen angiven eller 0) ritas som ofyllda romber i en egen panel.",
            "en": "x = membership fees in the selection (one panel per currency), y = "
            "activities through the network, size = goals those activities serve, colour = "
            "kind. Networks with no fee (none recorded, or 0) are open diamonds in a panel "
            "of their own.",
            "da": "x = kontingenter i udvalget (ét panel pr. valuta), y = aktiviteter gennem "
            "netværket, størrelse = antal mål som aktiviteterne tjener, farve = type. Netværk "
            "uden kontingent (intet angivet eller 0) tegnes som åbne romber i et eget panel.",
        },
        "networks.no_fee": {
            "sv": "Ingen avgift (0 eller ej angiven)",
            "en": "No fee (0 or not recorded)",
            "da": "Intet kontingent (0 eller ikke angivet)",
        },
        "networks.log": {"sv": "logaritmisk skala", "en": "log scale", "da": "logaritmisk skala"},
        "networks.per_year": {
            "sv": "Kostnader och aktiviteter per nätverk och år",
            "en": "Costs and activities per network and year",
            "da": "Omkostninger og aktiviteter pr. netværk og år",
        },
        "networks.per_year.help": {
            "sv": "En rad per nätverk, år och valuta. Aktiviteter och mål gäller hela året och "
            "upprepas om året har belopp i flera valutor.",
            "en": "One row per network, year and currency. Activities and goals are the year's "
            "and repeat when the year has amounts in several currencies.",
            "da": "En række pr. netværk, år og valuta. Aktiviteter og mål gælder hele året og "
            "gentages, hvis året har beløb i flere valutaer.",
        },
        "networks.pick": {"sv": "Nätverk", "en": "Network", "da": "Netværk"},
        "networks.map": {"sv": "Karta", "en": "Map", "da": "Kort"},
        "networks.map.help": {
            "sv": "Nätverk, vänorter och partnerkommuner som urvalet är kopplat till, färgade "
            "efter slag; valda organisationer som svarta stjärnor med linjer till sina "
            "kopplingar.",
            "en": "Networks, twin towns and partner municipalities the selection is linked "
            "with, coloured by kind; the selected organisations as black stars with lines to "
            "their links.",
            "da": "Netværk, venskabsbyer og partnerkommuner som udvalget er knyttet til, farvet "
            "efter type; de valgte organisationer som sorte stjerner med linjer til deres "
            "forbindelser.",
        },
        "networks.no_coords": {
            "sv": "Saknar koordinater och ritas inte på kartan: {n}",
            "en": "Without coordinates, not drawn on the map: {n}",
            "da": "Mangler koordinater og tegnes ikke på kortet: {n}",
        },
        "networks.links": {"sv": "Koppling", "en": "Link", "da": "Forbindelse"},
        "networks.selected": {
            "sv": "Vald organisation",
            "en": "Selected organisation",
            "da": "Valgt organisation",
        },
        "networks.also_here": {"sv": "Också här", "en": "Also here", "da": "Også her"},
        "networks.members": {"sv": "Medlemmar", "en": "Members", "da": "Medlemmer"},
        "networks.role": {"sv": "Roll", "en": "Role", "da": "Rolle"},
        "networks.fee": {"sv": "Årsavgift", "en": "Annual fee", "da": "Årskontingent"},
        "networks.activities": {
            "sv": "Aktiviteter genom nätverket",
            "en": "Activities through the network",
            "da": "Aktiviteter gennem netværket",
        },
        "networks.goals": {"sv": "Mål som tjänas", "en": "Goals served", "da": "Mål der tjenes"},
        "networks.fees_axis": {"sv": "Avgifter", "en": "Fees", "da": "Kontingenter"},
        "networks.kind.network": {"sv": "Nätverk", "en": "Network", "da": "Netværk"},
        "networks.kind.organisation": {
            "sv": "Organisation",
            "en": "Organisation",
            "da": "Organisation",
        },
        "networks.kind.twin_town": {"sv": "Vänort", "en": "Twin town", "da": "Venskabsby"},
        "networks.kind.partner": {
            "sv": "Partnerkommun",
            "en": "Partner municipality",
            "da": "Partnerkommune",
        },
        "networks.kind.office": {"sv": "Kontor", "en": "Office", "da": "Kontor"},
        # column headers
        "col.kind": {"sv": "Slag", "en": "Kind", "da": "Type"},
        "col.parent_network": {
            "sv": "Del av",
            "en": "Part of",
            "da": "Del af",
        },
        "col.since_year": {"sv": "Från år", "en": "Since", "da": "Fra år"},
        "col.until_year": {"sv": "Till år", "en": "Until", "da": "Til år"},
        "col.member_years": {"sv": "Medlemsår", "en": "Member years", "da": "Medlemsår"},
        "col.annual_fee": {"sv": "Årsavgift", "en": "Annual fee", "da": "Årskontingent"},
        "col.fees": {"sv": "Avgifter", "en": "Fees", "da": "Kontingenter"},
        "col.other_costs": {
            "sv": "Övriga kostnader",
            "en": "Other costs",
            "da": "Andre omkostninger",
        },
        "col.goals_served": {"sv": "Mål som tjänas", "en": "Goals served", "da": "Mål der tjenes"},
        "col.members": {"sv": "Medlemmar", "en": "Members", "da": "Medlemmer"},
        "col.path": {"sv": "Struktur", "en": "Structure", "da": "Struktur"},
        "col.level": {"sv": "Nivå", "en": "Level", "da": "Niveau"},
        "col.name": {"sv": "Namn", "en": "Name", "da": "Navn"},
        "col.country": {"sv": "Land", "en": "Country", "da": "Land"},
        "col.lat": {"sv": "Latitud", "en": "Latitude", "da": "Breddegrad"},
        "col.lon": {"sv": "Longitud", "en": "Longitude", "da": "Længdegrad"},
        "col.item": {"sv": "Punkt", "en": "Point", "da": "Punkt"},
        # download file names (ASCII, no spaces)
        "file.network_years": {
            "sv": "medlemskap_per_ar",
            "en": "memberships_by_year",
            "da": "medlemskaber_pr_ar",
        },
        "file.network_summary": {"sv": "medlemskap", "en": "memberships", "da": "medlemskaber"},
        "file.network_tree": {
            "sv": "natverksstruktur",
            "en": "network_structure",
            "da": "netvaerksstruktur",
        },
        "file.network_value": {
            "sv": "natverk_kostnad_bidrag",
            "en": "network_cost_contribution",
            "da": "netvaerk_omkostning_bidrag",
        },
        "file.network_costs": {
            "sv": "natverk_kostnader_per_ar",
            "en": "network_costs_per_year",
            "da": "netvaerk_omkostninger_pr_ar",
        },
        "file.network_map": {"sv": "natverkskarta", "en": "network_map", "da": "netvaerkskort"},
        "file.network_unplaced": {
            "sv": "natverk_utan_koordinater",
            "en": "networks_without_coordinates",
            "da": "netvaerk_uden_koordinater",
        },
        "file.network_totals": {
            "sv": "natverk_kostnader",
            "en": "network_costs",
            "da": "netvaerk_omkostninger",
        },
    }
)

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
    return {k: view.t(f"networks.kind.{k}") for k in KINDS}


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
    ui.illustrative_note(view, totals)
    ui.download(view, "network_totals", lambda: ui.for_download(view, totals), "network_totals")


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
    ui.table_with_download(
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


def render(view: View) -> None:
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

    st.subheader(view.t("networks.memberships"))
    if years.empty:
        st.info(view.t("empty"))
    else:
        st.caption(view.t("networks.memberships.help"))
        pairs = len(years[["org_id", "network_id"]].drop_duplicates())
        if pairs > figures.MEMBERSHIP_ROWS:
            st.caption(
                view.t(
                    "chart.capped",
                    n=i18n.fmt_int(figures.MEMBERSHIP_ROWS, view.lang),
                    total=i18n.fmt_int(pairs, view.lang),
                )
            )
        fig = figures.membership_years(
            years,
            {
                "title": view.t("networks.memberships"),
                "x": view.t("axis.year"),
                "role": view.t("networks.role"),
                "fee": view.t("networks.fee"),
                "activities": view.t("networks.activities"),
            },
            sep,
            kinds,
        )
        ui.chart_with_table(
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
            coded=NET_KIND,
        )
        with st.expander(view.t("networks.summary")):
            ui.table_with_download(
                view,
                summary[SUMMARY_COLUMNS],
                "network_summary",
                "nw_summary",
                coded={"kind": "network_kind", "role": "membership_role"},
            )

    st.subheader(view.t("networks.structure"))
    if tree.empty:
        st.info(view.t("empty"))
    else:
        st.caption(view.t("networks.structure.help"))
        fig = figures.network_tree(
            tree,
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
        ui.chart_with_table(
            view,
            fig,
            tree[
                ["path", "network", "acronym", "kind", "level", "members", "activities", "source"]
            ],
            "network_tree",
            "network_tree",
            coded=NET_KIND,
        )

    st.subheader(view.t("networks.value"))
    if value.empty:
        st.info(view.t("empty"))
    else:
        st.caption(view.t("networks.value.help"))
        fig = figures.cost_contribution(
            value,
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
        )
        ui.chart_with_table(
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

    st.subheader(view.t("networks.per_year"))
    if costs.empty:
        st.info(view.t("empty"))
    else:
        st.caption(view.t("networks.per_year.help"))
        _per_year(view, costs)

    st.subheader(view.t("networks.map"))
    if points.empty:
        st.info(view.t("empty"))
        return
    st.caption(view.t("networks.map.help"))
    fig = figures.network_map(
        points,
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
    map_cols = ["item", "name", "acronym", "kind", "country", "lat", "lon", "members"]
    ui.chart_with_table(
        view, fig, points[[*map_cols, "activities", "source"]], "network_map", "network_map"
    )
    unplaced = points[points["lat"].isna() | points["lon"].isna()]
    if len(unplaced):
        st.markdown(f"**{view.t('networks.no_coords', n=i18n.fmt_int(len(unplaced), view.lang))}**")
        ui.table_with_download(
            view,
            unplaced[["name", "acronym", "kind", "country", "members", "activities", "source"]],
            "network_unplaced",
            "network_unplaced",
            coded=NET_KIND,
        )


if __name__ == "__main__":  # run as a page by st.navigation
    from dashboard.shell import run_page

    run_page(render)
