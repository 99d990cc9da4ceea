"""Projects: the portfolio with its funding, a timeline, funding by programme, and targets."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, figures, i18n, safe, ui
from dashboard.i18n import fmt_int, fmt_money, fmt_pct, plotly_separators
from dashboard.ui import View

STATUSES = figures.PROJECT_STATUS_ORDER
ROLES = ("lead_partner", "partner")
MEASURES = ("total_budget", "eu_funding", "own_funding")
CARD_LIMIT = 12

i18n.register(
    {
        "projects.title": {"sv": "Projekt", "en": "Projects", "da": "Projekter"},
        "projects.intro": {
            "sv": "Internationella projekt och EU-projekt för valda organisationer, vars period "
            "överlappar valda år (projekt utan datum visas alltid). Belopp i olika valutor läggs "
            "aldrig ihop.",
            "en": "International and EU projects of the selected organisations whose period "
            "overlaps the selected years (projects without dates always show). Amounts in "
            "different currencies are never added up.",
            "da": "Internationale projekter og EU-projekter for de valgte organisationer, hvis "
            "periode overlapper de valgte år (projekter uden datoer vises altid). Beløb i "
            "forskellige valutaer lægges aldrig sammen.",
        },
        "projects.secured": {
            "sv": "Säkrad finansiering: beviljade, pågående och avslutade projekt",
            "en": "Secured funding: projects granted, running or closed",
            "da": "Sikret finansiering: bevilgede, igangværende og afsluttede projekter",
        },
        "projects.metric.rate": {
            "sv": "EU-medfinansieringsgrad ({cur})",
            "en": "EU co-financing rate ({cur})",
            "da": "EU-medfinansieringsgrad ({cur})",
        },
        "projects.rate.help": {
            "sv": "EU-medel delat med total budget, för de projekt där båda är kända.",
            "en": "EU funding divided by the total budget, over the projects that have both.",
            "da": "EU-midler divideret med samlet budget for de projekter, hvor begge kendes.",
        },
        "projects.rate.amounts": {
            "sv": "EU-medel {eu} · total budget {total} · {n} projekt",
            "en": "EU funding {eu} · total budget {total} · {n} projects",
            "da": "EU-midler {eu} · samlet budget {total} · {n} projekter",
        },
        "projects.no_dated": {
            "sv": "Inget projekt i urvalet har både start- och slutdatum.",
            "en": "No project in the selection has both a start and an end date.",
            "da": "Intet projekt i udvalget har både start- og slutdato.",
        },
        "projects.no_amounts": {
            "sv": "{n} säkrade projekt saknar belopp.",
            "en": "{n} secured projects have no amounts recorded.",
            "da": "{n} sikrede projekter har ingen beløb registreret.",
        },
        "projects.none_secured": {
            "sv": "Inga beviljade, pågående eller avslutade projekt i urvalet.",
            "en": "No projects granted, running or closed in the selection.",
            "da": "Ingen bevilgede, igangværende eller afsluttede projekter i udvalget.",
        },
        "projects.portfolio": {
            "sv": "Projektportfölj",
            "en": "Project portfolio",
            "da": "Projektportefølje",
        },
        "projects.timeline": {"sv": "Tidslinje", "en": "Timeline", "da": "Tidslinje"},
        "projects.timeline.help": {
            "sv": "En stapel från start- till slutdatum, färgad efter status.",
            "en": "One bar from start to end date, coloured by status.",
            "da": "En bjælke fra start- til slutdato, farvet efter status.",
        },
        "projects.undated": {
            "sv": "Saknar start- eller slutdatum och ritas inte: {n}",
            "en": "Without a start or end date, not drawn: {n}",
            "da": "Mangler start- eller slutdato og tegnes ikke: {n}",
        },
        "projects.funding": {
            "sv": "Finansiering per program och status",
            "en": "Funding by programme and status",
            "da": "Finansiering pr. program og status",
        },
        "projects.funding.help": {
            "sv": "Alla projekt i urvalet, också ansökta och avslagna; en panel per valuta.",
            "en": "Every project in the selection, applied and rejected too; one panel per "
            "currency.",
            "da": "Alle projekter i udvalget, også ansøgte og afviste; ét panel pr. valuta.",
        },
        "projects.measure": {"sv": "Belopp", "en": "Amount", "da": "Beløb"},
        "projects.no_programme": {
            "sv": "(inget program angivet)",
            "en": "(no programme recorded)",
            "da": "(intet program angivet)",
        },
        "projects.targets": {
            "sv": "Mål i antal projekt",
            "en": "Targets counted in projects",
            "da": "Mål opgjort i antal projekter",
        },
        "projects.targets.help": {
            "sv": "Indikatorer med enheten projects. Utfallet räknas fram ur projekttabellen: "
            "organisationens beviljade, pågående och avslutade projekt i den roll som "
            "indikatorns namn eller definition nämner (lead partner eller partner; annars alla "
            "roller), med startdatum senast målåret (eller urvalets sista år om det är "
            "tidigare).",
            "en": "Indicators with the unit projects. The actual is computed from the projects "
            "table: the organisation's projects granted, running or closed in the role the "
            "indicator's name or definition names (lead partner or partner; else any role), "
            "started by the deadline year (or the selection's last year, if earlier).",
            "da": "Indikatorer med enheden projects. Resultatet beregnes ud fra "
            "projekttabellen: organisationens bevilgede, igangværende og afsluttede projekter "
            "i den rolle, som indikatorens navn eller definition nævner (lead partner eller "
            "partner; ellers alle roller), med startdato senest i målåret (eller udvalgets "
            "sidste år, hvis det er tidligere).",
        },
        "projects.no_targets": {
            "sv": "Inga mål uttryckta i antal projekt för detta urval.",
            "en": "No targets counted in projects for this selection.",
            "da": "Ingen mål opgjort i antal projekter for dette udvalg.",
        },
        "projects.target.line": {
            "sv": "{actual} av {target} projekt senast {deadline} ({pct})",
            "en": "{actual} of {target} projects by {deadline} ({pct})",
            "da": "{actual} af {target} projekter senest {deadline} ({pct})",
        },
        "projects.target.as_of": {
            "sv": "Läget vid utgången av {year}.",
            "en": "As of the end of {year}.",
            "da": "Status ved udgangen af {year}.",
        },
        "projects.target.role": {
            "sv": "Räknar: {role}",
            "en": "Counts: {role}",
            "da": "Tæller: {role}",
        },
        "projects.target.without_role": {
            "sv": "{n} projekt utan angiven roll kan inte räknas.",
            "en": "{n} projects without a recorded role cannot be counted.",
            "da": "{n} projekter uden angivet rolle kan ikke tælles.",
        },
        "projects.target.undated": {
            "sv": "{n} projekt i rollen saknar startdatum och räknas inte.",
            "en": "{n} projects in the role have no start date and are not counted.",
            "da": "{n} projekter i rollen mangler startdato og tælles ikke.",
        },
        "projects.target.more": {
            "sv": "Visar de första {n} indikatorerna; alla mål finns i tabellen nedan.",
            "en": "Showing the first {n} indicators; the table below has every target.",
            "da": "Viser de første {n} indikatorer; tabellen nedenfor har alle mål.",
        },
        "projects.role.any": {"sv": "alla roller", "en": "any role", "da": "alle roller"},
        "projects.role.lead_partner": {
            "sv": "lead partner",
            "en": "lead partner",
            "da": "lead partner",
        },
        "projects.role.partner": {"sv": "partner", "en": "partner", "da": "partner"},
        "projects.status.idea": {"sv": "Idé", "en": "Idea", "da": "Idé"},
        "projects.status.applied": {"sv": "Ansökt", "en": "Applied", "da": "Ansøgt"},
        "projects.status.granted": {"sv": "Beviljat", "en": "Granted", "da": "Bevilget"},
        "projects.status.running": {"sv": "Pågående", "en": "Running", "da": "Igangværende"},
        "projects.status.closed": {"sv": "Avslutat", "en": "Closed", "da": "Afsluttet"},
        "projects.status.rejected": {"sv": "Avslaget", "en": "Rejected", "da": "Afvist"},
        "projects.axis.date": {"sv": "Datum", "en": "Date", "da": "Dato"},
        "projects.axis.amount": {"sv": "Belopp", "en": "Amount", "da": "Beløb"},
        # column headers
        "col.name": {"sv": "Namn", "en": "Name", "da": "Navn"},
        "col.target": {"sv": "Målvärde", "en": "Target", "da": "Målværdi"},
        "col.deadline": {"sv": "Målår", "en": "Deadline", "da": "Målår"},
        "col.as_of_year": {"sv": "Läge år", "en": "As of", "da": "Status år"},
        "col.actual": {
            "sv": "Utfall (beräknat)",
            "en": "Actual (computed)",
            "da": "Resultat (beregnet)",
        },
        "col.progress": {"sv": "Andel av målet", "en": "Progress", "da": "Andel af målet"},
        "col.without_role": {
            "sv": "Projekt utan roll",
            "en": "Projects without role",
            "da": "Projekter uden rolle",
        },
        "col.undated": {
            "sv": "Utan startdatum",
            "en": "Without start date",
            "da": "Uden startdato",
        },
        "col.definition": {"sv": "Definition", "en": "Definition", "da": "Definition"},
        # download file names (ASCII, no spaces)
        "file.project_portfolio": {
            "sv": "projektportfolj",
            "en": "project_portfolio",
            "da": "projektportefolje",
        },
        "file.project_totals": {
            "sv": "projekt_finansiering_sakrad",
            "en": "projects_secured_funding",
            "da": "projekter_sikret_finansiering",
        },
        "file.project_timeline": {
            "sv": "projekt_tidslinje",
            "en": "project_timeline",
            "da": "projekt_tidslinje",
        },
        "file.project_undated": {
            "sv": "projekt_utan_datum",
            "en": "projects_without_dates",
            "da": "projekter_uden_datoer",
        },
        "file.project_funding": {
            "sv": "projekt_finansiering_per_program",
            "en": "project_funding_by_programme",
            "da": "projekt_finansiering_pr_program",
        },
        "file.project_targets": {
            "sv": "projektmal",
            "en": "project_targets",
            "da": "projektmal",
        },
    }
)

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
    "progress",
    "without_role",
    "undated",
    "definition",
    "source",
]


def _statuses(view: View) -> dict[str, str]:
    return {s: view.t(f"projects.status.{s}") for s in STATUSES}


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
                view.t("projects.metric.rate", cur=cur),
                fmt_pct(r["eu_rate"], lang),
                border=True,
                help=view.t("projects.rate.help"),
            )
            col.caption(
                view.t(
                    "projects.rate.amounts",
                    eu=fmt_money(r["eu_funding"], cur, lang),
                    total=fmt_money(r["total_budget"], cur, lang),
                    n=fmt_int(r["projects"], lang),
                )
            )
    for _, r in totals[totals["currency"].isna()].iterrows():
        st.caption(view.t("projects.no_amounts", n=fmt_int(r["projects"], lang)))
    ui.table_with_download(view, totals, "project_totals", "project_totals")


def _role_name(view: View, role: object) -> str:
    return view.t(f"projects.role.{role}") if role in ROLES else view.t("projects.role.any")


def _target_notes(view: View, r: pd.Series, mark_illustrative: bool) -> list[str]:
    """What the reader must know about one computed actual: as of when, and what it misses."""
    lang = view.lang
    notes = []
    if r["as_of_year"] != r["deadline"]:
        notes.append(view.t("projects.target.as_of", year=str(r["as_of_year"])))
    if pd.notna(r["without_role"]) and r["without_role"] > 0:
        notes.append(view.t("projects.target.without_role", n=fmt_int(r["without_role"], lang)))
    if r["undated"] > 0:
        notes.append(view.t("projects.target.undated", n=fmt_int(r["undated"], lang)))
    if mark_illustrative and r["source"] == "illustrative":
        notes.append(view.t("source.illustrative"))
    return notes


def _targets(view: View, targets: pd.DataFrame, names: dict[str, str]) -> None:
    """One card per indicator, one bar per target year: the actual computed from the projects
    table against the target and its deadline, and what the count could not include."""
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
                + view.t("projects.target.role", role=_role_name(view, first["role"]))
                + (f" · {view.t('source.illustrative')}" if invented else "")
            )
            for _, r in rows.iterrows():
                progress = float(r["progress"]) if pd.notna(r["progress"]) else 0.0
                st.progress(
                    min(max(progress, 0.0), 1.0),
                    text=view.t(
                        "projects.target.line",
                        actual=fmt_int(r["actual"], lang),
                        target=i18n.fmt_num(r["target"], lang, 1),
                        deadline=str(r["deadline"]),
                        pct=fmt_pct(r["progress"], lang),
                    ),
                )
                notes = _target_notes(view, r, mark_illustrative=not invented)
                if notes:
                    st.caption(" · ".join(notes))
    if len(indicators) > CARD_LIMIT:
        st.caption(view.t("projects.target.more", n=fmt_int(CARD_LIMIT, lang)))
    ui.table_with_download(
        view, targets[TARGET_COLUMNS], "project_targets", "project_targets", coded=PROJECT_CODES
    )


def render(view: View) -> None:
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

    st.subheader(view.t("projects.portfolio"))
    ui.table_with_download(
        view, portfolio[PORTFOLIO_COLUMNS], "project_portfolio", "portfolio", coded=PROJECT_CODES
    )

    st.subheader(view.t("projects.timeline"))
    dated = portfolio["start_date"].notna() & portfolio["end_date"].notna()
    if dated.any():
        st.caption(view.t("projects.timeline.help"))
        if dated.sum() > figures.TIMELINE_ROWS:
            st.caption(
                view.t(
                    "chart.capped",
                    n=fmt_int(figures.TIMELINE_ROWS, view.lang),
                    total=fmt_int(int(dated.sum()), view.lang),
                )
            )
        fig = figures.project_timeline(
            portfolio,
            {
                "title": view.t("projects.timeline"),
                "x": view.t("projects.axis.date"),
                "programme": view.t("col.programme"),
                "role": view.t("col.role"),
            },
            sep,
            statuses,
        )
        ui.chart_with_table(
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
        ui.table_with_download(
            view, undated, "project_undated", "project_undated", coded=PROJECT_CODES
        )

    st.subheader(view.t("projects.funding"))
    st.caption(view.t("projects.funding.help"))
    measure = st.radio(
        view.t("projects.measure"),
        MEASURES,
        format_func=lambda m: view.t(f"col.{m}"),
        horizontal=True,
        key="proj_measure",
    )
    fig = figures.funding_bars(
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
    ui.chart_with_table(
        view, fig, funding, "project_funding", "project_funding", coded=PROJECT_CODES
    )

    st.subheader(view.t("projects.targets"))
    st.caption(view.t("projects.targets.help"))
    if targets.empty:
        st.info(view.t("projects.no_targets"))
    else:
        _targets(view, targets, names)


if __name__ == "__main__":  # run as a page by st.navigation
    from dashboard.shell import run_page

    run_page(render)
