"""Annual evaluation: every goal's verdict for one year, the indicators behind it with their
trends, the managers' own verdict beside the computed one, and the annual compilation."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import data, figures, i18n, report, ui
from dashboard.filters import Filters
from dashboard.i18n import fmt_int, plotly_separators
from dashboard.ui import View

i18n.register(
    {
        "evaluation.title": {
            "sv": "Årlig utvärdering {year}",
            "en": "Annual evaluation {year}",
            "da": "Årlig evaluering {year}",
        },
        "evaluation.range_note": {
            "sv": "Flera år är valda ({lo}–{hi}); utvärderingen gäller det sista av dem, {year}.",
            "en": "Several years are selected ({lo}–{hi}); the evaluation covers the last of "
            "them, {year}.",
            "da": "Flere år er valgt ({lo}–{hi}); evalueringen gælder det sidste af dem, {year}.",
        },
        "evaluation.all_years_note": {
            "sv": "Inget år är valt; utvärderingen gäller {year}, det senaste året med något att "
            "bedöma för urvalet (indikatorvärden, ledningens bedömningar eller aktiviteter; "
            "projektens slutdatum räknas inte). Välj ett år i sidopanelen för ett annat.",
            "en": "No year is selected; the evaluation covers {year}, the last year with "
            "something to assess for the selection (indicator values, the managers' "
            "assessments or activities; project end dates do not count). Choose a year in "
            "the sidebar for another.",
            "da": "Intet år er valgt; evalueringen gælder {year}, det seneste år med noget at "
            "vurdere for udvalget (indikatorværdier, ledelsens vurderinger eller "
            "aktiviteter; projekternes slutdatoer tæller ikke). Vælg et år i sidepanelet "
            "for et andet.",
        },
        "evaluation.no_year": {
            "sv": "Urvalet har inga år med data att utvärdera.",
            "en": "The selection has no year with data to evaluate.",
            "da": "Udvalget har ingen år med data at evaluere.",
        },
        "evaluation.metric.covered": {
            "sv": "Mål med aktivitet eller indikator",
            "en": "Goals with activity or indicator",
            "da": "Mål med aktivitet eller indikator",
        },
        "evaluation.metric.of": {"sv": "{x} av {y}", "en": "{x} of {y}", "da": "{x} af {y}"},
        "evaluation.metric.indicators": {
            "sv": "Indikatorer",
            "en": "Indicators",
            "da": "Indikatorer",
        },
        "evaluation.metric.good": {
            "sv": "✔ ● Nådda eller i fas",
            "en": "✔ ● Reached or on track",
            "da": "✔ ● Nået eller på sporet",
        },
        "evaluation.metric.bad": {
            "sv": "▲ ✖ Risk eller ur fas",
            "en": "▲ ✖ At risk or off track",
            "da": "▲ ✖ I risiko eller ikke på sporet",
        },
        "evaluation.metric.na": {
            "sv": "○ Kan inte bedömas",
            "en": "○ Cannot be assessed",
            "da": "○ Kan ikke vurderes",
        },
        "evaluation.rollup": {
            "sv": "Målen: samlad bedömning",
            "en": "The goals: verdict for the year",
            "da": "Målene: samlet vurdering",
        },
        "evaluation.rollup.help": {
            "sv": "En rad per mål: årets aktiviteter och projekt, indikatorerna och deras "
            "status, den beräknade bedömningen och ledningens egen bedömning bredvid.",
            "en": "One row per goal: the year's activities and projects, the indicators and "
            "their status, the computed verdict and the managers' own verdict beside it.",
            "da": "En række pr. mål: årets aktiviteter og projekter, indikatorerne og deres "
            "status, den beregnede vurdering og ledelsens egen vurdering ved siden af.",
        },
        "evaluation.rules": {
            "sv": "Så beräknas status och bedömning",
            "en": "How status and verdict are computed",
            "da": "Sådan beregnes status og vurdering",
        },
        "evaluation.uncovered": {
            "sv": "⊘ Dessa mål har ingen aktivitet och ingen indikator {year} – {codes}",
            "en": "⊘ These goals have no activity and no indicator in {year} – {codes}",
            "da": "⊘ Disse mål har ingen aktivitet og ingen indikator i {year} – {codes}",
        },
        "evaluation.covered": {
            "sv": "Varje mål har minst en aktivitet eller indikator {year}.",
            "en": "Every goal has at least one activity or indicator in {year}.",
            "da": "Hvert mål har mindst én aktivitet eller indikator i {year}.",
        },
        "evaluation.disagree": {
            "sv": "Ledningens bedömning skiljer sig från den beräknade för mål {codes}.",
            "en": "The managers' verdict differs from the computed one for goal(s) {codes}.",
            "da": "Ledelsens vurdering afviger fra den beregnede for mål {codes}.",
        },
        "evaluation.chart.status": {
            "sv": "Indikatorernas status per mål {year}",
            "en": "Indicator status per goal, {year}",
            "da": "Indikatorernes status pr. mål {year}",
        },
        "evaluation.axis.indicators": {
            "sv": "Antal indikatorer",
            "en": "Number of indicators",
            "da": "Antal indikatorer",
        },
        "evaluation.legend.gap": {
            "sv": "Ingen aktivitet eller indikator",
            "en": "No activity or indicator",
            "da": "Ingen aktivitet eller indikator",
        },
        "evaluation.indicators": {
            "sv": "Indikatorer {year}",
            "en": "Indicators, {year}",
            "da": "Indikatorer {year}",
        },
        "evaluation.indicators.help": {
            "sv": "Basvärde, årets målvärde och utfall, framsteg och beräknad status, med "
            "definition, enhet och källa; ledningens bedömning av indikatorns mål bredvid.",
            "en": "Baseline, the year's target and actual, progress and computed status, with "
            "definition, unit and source; the managers' verdict on the indicator's goal "
            "beside it.",
            "da": "Basisværdi, årets målværdi og resultat, fremskridt og beregnet status, med "
            "definition, enhed og kilde; ledelsens vurdering af indikatorens mål ved siden af.",
        },
        "evaluation.indicators.none": {
            "sv": "Urvalet har inga indikatorer.",
            "en": "The selection has no indicators.",
            "da": "Udvalget har ingen indikatorer.",
        },
        "evaluation.trend": {
            "sv": "Indikatorernas utveckling",
            "en": "The indicators over the years",
            "da": "Indikatorernes udvikling",
        },
        "evaluation.trend.help": {
            "sv": "Heldragen linje: utfall. Streckad linje med ringar: målvärde. Romb: "
            "basvärde. Prickad lodrät linje: utvärderingsåret.",
            "en": "Solid line: actual. Dashed line with rings: target. Diamond: baseline. "
            "Dotted vertical line: the year evaluated.",
            "da": "Fuldt optrukken linje: resultat. Stiplet linje med ringe: målværdi. Rombe: "
            "basisværdi. Prikket lodret linje: evalueringsåret.",
        },
        "evaluation.trend.too_many": {
            "sv": "Diagrammet visar de första {n} av {total} indikatorerna; välj ett mål i "
            "sidopanelen för att se de andra.",
            "en": "The chart shows the first {n} of {total} indicators; choose a goal in the "
            "sidebar to see the others.",
            "da": "Diagrammet viser de første {n} af {total} indikatorer; vælg et mål i "
            "sidepanelet for at se de andre.",
        },
        "evaluation.chart.trend": {
            "sv": "Utfall och målvärde per år",
            "en": "Actual and target per year",
            "da": "Resultat og målværdi pr. år",
        },
        "evaluation.legend.actual": {"sv": "Utfall", "en": "Actual", "da": "Resultat"},
        "evaluation.legend.target": {"sv": "Målvärde", "en": "Target", "da": "Målværdi"},
        "evaluation.legend.baseline": {"sv": "Basvärde", "en": "Baseline", "da": "Basisværdi"},
        "evaluation.legend.year": {
            "sv": "Utvärderingsår",
            "en": "Year evaluated",
            "da": "Evalueringsår",
        },
        "evaluation.assessments": {
            "sv": "Ledningens bedömning {year}",
            "en": "The managers' verdict, {year}",
            "da": "Ledelsens vurdering {year}",
        },
        "evaluation.assessments.help": {
            "sv": "Ledningens egna bedömningar per mål, med analys och vem som bedömt. "
            "Den beräknade bedömningen står bredvid i måltabellen ovan.",
            "en": "The managers' own verdict per goal, with their analysis and who made it. "
            "The computed verdict stands beside it in the goal table above.",
            "da": "Ledelsens egne vurderinger pr. mål, med analyse og hvem der vurderede. "
            "Den beregnede vurdering står ved siden af i måltabellen ovenfor.",
        },
        "evaluation.assessments.none": {
            "sv": "Ingen bedömning är registrerad för {year}.",
            "en": "No verdict is recorded for {year}.",
            "da": "Ingen vurdering er registreret for {year}.",
        },
        "evaluation.compilation": {
            "sv": "Årssammanställning",
            "en": "Annual compilation",
            "da": "Årsopgørelse",
        },
        "evaluation.compilation.help": {
            "sv": "Allt ovan för {year} att bifoga årsredovisningen: en Excel-arbetsbok med ett "
            "blad per del (mål, aktiviteter per mål, nätverk, projekt, indikatorer, "
            "bedömningar), eller samma delar som CSV-filer i en zip.",
            "en": "Everything above for {year}, to attach to the annual report: an Excel "
            "workbook with a sheet per part (goals, activities per goal, networks, projects, "
            "indicators, assessments), or the same parts as CSV files in a zip.",
            "da": "Alt ovenfor for {year} til at vedlægge årsrapporten: en Excel-projektmappe "
            "med et ark pr. del (mål, aktiviteter pr. mål, netværk, projekter, indikatorer, "
            "vurderinger), eller de samme dele som CSV-filer i en zip.",
        },
        "evaluation.download.xlsx": {
            "sv": "Arbetsbok (.xlsx)",
            "en": "Workbook (.xlsx)",
            "da": "Projektmappe (.xlsx)",
        },
        "evaluation.download.zip": {
            "sv": "CSV-filer (.zip)",
            "en": "CSV files (.zip)",
            "da": "CSV-filer (.zip)",
        },
    }
)

ROLLUP_COLUMNS = [
    "org_id",
    "goal_code",
    "goal_title",
    "activities",
    "projects",
    "indicators",
    "reached",
    "on_track",
    "at_risk",
    "off_track",
    "not_assessable",
    "verdict",
    "assessment_status",
    "assessment_comment",
]
INDICATOR_COLUMNS = [
    "org_id",
    "goal_code",
    "name",
    "unit",
    "direction",
    "baseline_year",
    "baseline",
    "target",
    "actual",
    "progress",
    "status",
    "assessment_status",
    "definition",
    "source",
    "value_source",
]

ASSESSMENT_COLUMNS = [
    "org_id",
    "goal_code",
    "goal_title",
    "status",
    "comment",
    "assessed_by",
    "source",
]


def _year_note(view: View, year: int) -> None:
    f = view.filters
    if f.year_from is None and f.year_to is None:
        st.info(view.t("evaluation.all_years_note", year=year), icon=":material/event:")
    elif f.single_year is None:
        st.info(
            view.t("evaluation.range_note", lo=f.year_from, hi=f.year_to, year=year),
            icon=":material/event:",
        )


def _metrics(view: View, rollup: pd.DataFrame, indicators: pd.DataFrame) -> None:
    lang = view.lang
    covered = int((rollup["verdict"] != "uncovered").sum())
    status = indicators["status"]
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric(
        view.t("evaluation.metric.covered"),
        view.t("evaluation.metric.of", x=fmt_int(covered, lang), y=fmt_int(len(rollup), lang)),
        border=True,
    )
    c2.metric(view.t("evaluation.metric.indicators"), fmt_int(len(indicators), lang), border=True)
    c3.metric(
        view.t("evaluation.metric.good"),
        fmt_int(int(status.isin(["reached", "on_track"]).sum()), lang),
        border=True,
    )
    c4.metric(
        view.t("evaluation.metric.bad"),
        fmt_int(int(status.isin(["at_risk", "off_track"]).sum()), lang),
        border=True,
    )
    c5.metric(
        view.t("evaluation.metric.na"),
        fmt_int(int((status == "not_assessable").sum()), lang),
        border=True,
    )


def render(view: View) -> None:
    """Draw the Annual evaluation page."""
    f = view.filters
    lang = view.lang
    with st.spinner(view.t("loading")):
        last = data.query("evaluation_last_year", Filters(f.orgs))
    year = report.evaluation_year(f, last.iloc[0]["year"] if len(last) else None)
    if year is None:
        st.title(view.t("page.evaluation"))
        st.info(view.t("evaluation.no_year"))
        return
    ef = report.year_filters(f, year)
    st.title(view.t("evaluation.title", year=year))
    _year_note(view, year)
    with st.spinner(view.t("loading")):
        rollup = data.query("evaluation_rollup", ef)
        indicators = data.query("evaluation_indicators", ef)
        assessments = data.query("evaluation_assessments", ef)
        trend = data.query("indicator_status", Filters(f.orgs, None, None, f.goals))
    if rollup.empty:
        st.info(view.t("empty"))
        return
    _metrics(view, rollup, indicators)

    with st.expander(view.t("evaluation.rules"), icon=":material/rule:", expanded=True):
        left, right = st.columns(2)
        left.markdown(view.t("evaluation.rule.status"))
        right.markdown(view.t("evaluation.rule.verdict"))

    st.subheader(view.t("evaluation.rollup"))
    st.caption(view.t("evaluation.rollup.help"))
    gaps = report.uncovered(rollup, view.orgs)
    if gaps:
        st.warning(
            view.md("evaluation.uncovered", year=year, codes="; ".join(gaps)),
            icon=":material/flag:",
        )
    else:
        st.success(view.t("evaluation.covered", year=year), icon=":material/check_circle:")
    differ = report.disagreements(rollup, view.orgs)
    if differ:
        st.info(view.md("evaluation.disagree", codes="; ".join(differ)), icon=":material/forum:")
    shown = report.readable(rollup[ROLLUP_COLUMNS], ("verdict", "assessment_status"), lang)
    ui.show_table(view, shown, "eval-rollup")
    ui.download(view, "evaluation_goals", lambda: ui.for_download(view, shown), "eval-rollup")

    labels = {s: report.status_label(s, lang) for s in figures.STATUS_ORDER}
    fig = figures.indicator_status_bar(
        rollup,
        {
            "title": view.t("evaluation.chart.status", year=year),
            "x": view.t("evaluation.axis.indicators"),
            "y": view.t("axis.goal"),
            "gap": "⊘ " + view.t("evaluation.legend.gap"),
            **labels,
        },
        plotly_separators(lang),
        view.orgs,
    )
    ui.chart_with_table(
        view,
        fig,
        rollup[["org_id", "goal_code", "goal_title", *figures.STATUS_ORDER, "verdict"]],
        "evaluation_goals",
        "eval-status",
    )

    st.subheader(view.t("evaluation.indicators", year=year))
    if indicators.empty:
        st.info(view.t("evaluation.indicators.none"))
    else:
        st.caption(view.t("evaluation.indicators.help"))
        shown = report.readable(
            indicators[INDICATOR_COLUMNS], ("status", "assessment_status"), lang
        )
        ui.illustrative_note(view, indicators)
        ui.show_table(
            view,
            shown,
            "eval-indicators",
            labels={"status": view.t("evaluation.col.computed_status")},
        )
        ui.download(
            view,
            "evaluation_indicators",
            lambda: ui.for_download(
                view, shown, labels={"status": view.t("evaluation.col.computed_status")}
            ),
            "eval-indicators",
        )

        st.subheader(view.t("evaluation.trend"))
        st.caption(view.t("evaluation.trend.help"))
        total = int(trend["indicator_id"].nunique())
        if total > figures.TREND_LIMIT:
            st.info(
                view.t(
                    "evaluation.trend.too_many",
                    n=fmt_int(figures.TREND_LIMIT, lang),
                    total=fmt_int(total, lang),
                )
            )
        fig = figures.indicator_trends(
            trend,
            indicators[["indicator_id", "baseline_year", "baseline"]],
            {
                "title": view.t("evaluation.chart.trend"),
                "actual": view.t("evaluation.legend.actual"),
                "target": view.t("evaluation.legend.target"),
                "baseline": view.t("evaluation.legend.baseline"),
                "year": view.t("evaluation.legend.year"),
            },
            plotly_separators(lang),
            year,
        )
        ui.chart_with_table(
            view,
            fig,
            trend[["org_id", "name", "unit", "year", "target", "actual", "status", "source"]],
            "evaluation_indicators",
            "eval-trend",
        )

    st.subheader(view.t("evaluation.assessments", year=year))
    if assessments.empty:
        st.info(view.t("evaluation.assessments.none", year=year))
    else:
        st.caption(view.t("evaluation.assessments.help"))
        ui.table_with_download(
            view,
            report.readable(
                assessments[ASSESSMENT_COLUMNS],
                ("status",),
                lang,
            ),
            "evaluation_assessments",
            "eval-assessments",
            labels={"status": view.t("col.assessment_status")},
        )

    st.subheader(view.t("evaluation.compilation"))
    st.caption(view.t("evaluation.compilation.help", year=year))
    stem = report.file_stem(f, year, lang)

    def compiled() -> report.Compilation:
        comp = report.compile_year(data.database(), ef, lang)
        assert comp is not None  # the year has data: the page got this far
        return comp

    c1, c2, _ = st.columns([1, 1, 2])
    c1.download_button(
        view.t("evaluation.download.xlsx"),
        data=lambda: compiled().xlsx(lang),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="dl-eval-xlsx",
        on_click="ignore",
        icon=":material/table_view:",
        type="primary",
    )
    c2.download_button(
        view.t("evaluation.download.zip"),
        data=lambda: compiled().zip(lang),
        file_name=f"{stem}.zip",
        mime="application/zip",
        key="dl-eval-zip",
        on_click="ignore",
        icon=":material/folder_zip:",
    )


if __name__ == "__main__":  # run as a page by st.navigation
    from dashboard.shell import run_page

    run_page(render)
