"""Annual evaluation: every goal's verdict for one year, the indicators behind it with their
trends, the managers' own verdict beside the computed one, and the annual compilation."""

from __future__ import annotations

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from dashboard.app import chart_panel, data, downloads, grids, numbers, ui
from dashboard.charts import evaluation_figures
from dashboard.i18n import fmt_int, fmt_typed, plotly_separators
from dashboard.model import safe, verdicts
from dashboard.model.filters import Filters
from dashboard.model.view import View
from dashboard.outputs import report
from dashboard.outputs.board import file_name as board_file
from dashboard.outputs.export import file_slug
from dashboard.outputs.readable import for_download, readable

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
    "actual_year",
    "progress",
    "status",
    "assessment_status",
    "definition",
    "source",
    "value_source",
]

TREND_COLUMNS = ["org_id", "name", "unit", "year", "target", "actual", "actual_year", "status"]
TREND_COLUMNS += ["source"]

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
        st.info(view.md("evaluation.all_years_note", year=year), icon=":material/event:")
    elif f.single_year is None:
        st.info(
            view.md("evaluation.range_note", lo=f.year_from, hi=f.year_to, year=year),
            icon=":material/event:",
        )


def _metrics(view: View, rollup: pd.DataFrame, indicators: pd.DataFrame) -> None:
    lang = view.lang
    n = verdicts.card_counts(rollup, indicators)
    cards = (
        (
            "covered",
            view.t(
                "evaluation.metric.of", x=fmt_int(n["covered"], lang), y=fmt_int(n["goals"], lang)
            ),
        ),
        ("indicators", fmt_int(n["indicators"], lang)),
        ("good", fmt_int(n["good"], lang)),
        ("bad", fmt_int(n["bad"], lang)),
        ("na", fmt_int(n["na"], lang)),
    )
    # three to a row: five side by side were too narrow at 1024 px for "16 av 48"
    for start in range(0, len(cards), 3):
        row = cards[start : start + 3]
        for col, (name, value) in zip(st.columns(3), row, strict=False):
            col.metric(view.t(f"evaluation.metric.{name}"), value, border=True)


def render(view: View) -> None:
    """Draw the Annual evaluation page."""
    f = view.filters
    lang = view.lang
    with st.spinner(view.t("loading")):
        last = data.query("evaluation_last_year", Filters(f.orgs))
    plan = verdicts.evaluation_plan(f, last)
    if plan is None:
        st.title(view.t("page.evaluation"))
        st.info(view.t("evaluation.no_year"))
        return
    year = plan.label(lang)
    st.title(view.md("evaluation.title", year=year))
    if plan.year is None:
        st.info(
            view.md("evaluation.each_latest_note", years=plan.years_text(view.orgs)),
            icon=":material/event:",
        )
    else:
        _year_note(view, plan.year)
    with st.spinner(view.t("loading")):
        rollup = data.query_each("evaluation_rollup", plan.groups)
        indicators = data.query_each("evaluation_indicators", plan.groups)
        assessments = data.query_each("evaluation_assessments", plan.groups)
        trend = data.query("indicator_status", Filters(f.orgs, None, None, f.goals))
    if rollup.empty:
        st.info(view.t("empty"))
        return
    _metrics(view, rollup, indicators)

    with st.expander(view.t("evaluation.rules"), icon=":material/rule:", expanded=True):
        left, right = st.columns(2)
        left.markdown(view.t("evaluation.rule.status"))
        right.markdown(view.t("evaluation.rule.verdict"))

    # the files hold the year evaluated, not the range
    slug = report.plan_slug(plan, lang, view.reader)
    _rollup_section(view, rollup, year, lang, slug)
    _indicators_section(view, year, indicators, lang, slug, trend, plan, f)
    _assessments_section(view, year, assessments, lang, slug)
    _compilation_section(view, year, plan, lang, f)
    _board_section(view, plan)
    _edit(view, plan)


def _rollup_section(view: View, rollup: pd.DataFrame, year: str, lang: str, slug: str) -> None:
    """The section "evaluation.rollup": its heading, then its tables and charts, or a note."""
    st.header(view.t("evaluation.rollup"))
    st.caption(view.t("evaluation.rollup.help"))
    gaps = verdicts.uncovered(rollup, view.orgs)
    if gaps:
        st.warning(
            view.md("evaluation.uncovered", year=year, codes="; ".join(gaps)),
            icon=":material/flag:",
        )
    else:
        st.success(view.md("evaluation.covered", year=year), icon=":material/check_circle:")
    differ = verdicts.disagreements(rollup, view.orgs)
    if differ:
        st.info(
            view.mdn("evaluation.disagree", len(differ), codes="; ".join(differ)),
            icon=":material/forum:",
        )
    shown = verdicts.readable(rollup[ROLLUP_COLUMNS], ("verdict", "assessment_status"), lang)
    grids.show_table(view, shown, "eval-rollup")
    downloads.download(
        view, "evaluation_goals", partial(for_download, view, shown), "eval-rollup", slug
    )

    labels = {s: verdicts.status_label(s, lang) for s in evaluation_figures.STATUS_ORDER}
    fig = partial(
        evaluation_figures.indicator_status_bar,
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
    chart_panel.chart_with_table(
        view,
        fig,
        verdicts.readable(
            rollup[
                ["org_id", "goal_code", "goal_title", *evaluation_figures.STATUS_ORDER, "verdict"]
            ],
            ("verdict",),
            lang,
        ),
        "evaluation_goal_status",
        "eval-status",
        slug=slug,
    )


def _indicators_section(
    view: View,
    year: str,
    indicators: pd.DataFrame,
    lang: str,
    slug: str,
    trend: pd.DataFrame,
    plan: verdicts.Plan,
    f: Filters,
) -> None:
    """The section "evaluation.indicators": its heading, then its tables and charts, or a note."""
    st.header(view.md("evaluation.indicators", year=year))
    if indicators.empty:
        st.info(view.t("evaluation.indicators.none"))
    else:
        st.caption(view.t("evaluation.indicators.help"))
        shown = verdicts.readable(
            indicators[INDICATOR_COLUMNS], ("status", "assessment_status"), lang
        )
        ui.illustrative_note(view, indicators)
        grids.show_table(
            view,
            shown,
            "eval-indicators",
            labels={"status": view.t("evaluation.col.computed_status")},
        )
        downloads.download(
            view,
            "evaluation_indicators",
            partial(
                for_download,
                view,
                shown,
                labels={"status": view.t("evaluation.col.computed_status")},
            ),
            "eval-indicators",
            slug,
        )

        st.header(view.t("evaluation.trend"))
        st.caption(view.t("evaluation.trend.help"))
        total = int(trend["indicator_id"].nunique())
        if total > evaluation_figures.TREND_LIMIT:
            st.info(
                view.t(
                    "evaluation.trend.too_many",
                    n=fmt_int(evaluation_figures.TREND_LIMIT, lang),
                    total=fmt_int(total, lang),
                )
            )
        fig = partial(
            evaluation_figures.indicator_trends,
            readable(view, trend),  # organisations by name, units in words
            indicators[["indicator_id", "baseline_year", "baseline"]],
            {
                "title": view.t("evaluation.chart.trend"),
                "actual": view.t("evaluation.legend.actual"),
                "target": view.t("evaluation.legend.target"),
                "baseline": view.t("evaluation.legend.baseline"),
                "year": view.t("evaluation.legend.year"),
            },
            plotly_separators(lang),
            plan.by_indicator(indicators),
        )
        chart_panel.chart_with_table(
            view,
            fig,
            verdicts.readable(trend[TREND_COLUMNS], ("status",), lang),
            "evaluation_trend",
            "eval-trend",
            slug=file_slug(Filters(f.orgs, None, None, f.goals), lang, view.reader),  # every year
        )


def _assessments_section(
    view: View, year: str, assessments: pd.DataFrame, lang: str, slug: str
) -> None:
    """The section "evaluation.assessments": its heading, then its tables and charts, or a note."""
    st.header(view.md("evaluation.assessments", year=year))
    if assessments.empty:
        st.info(view.md("evaluation.assessments.none", year=year))
    else:
        st.caption(view.t("evaluation.assessments.help"))
        grids.table_with_download(
            view,
            verdicts.readable(
                assessments[ASSESSMENT_COLUMNS],
                ("status",),
                lang,
            ),
            "evaluation_assessments",
            "eval-assessments",
            labels={"status": view.t("col.assessment_status")},
            slug=slug,
        )


def _compilation_section(view: View, year: str, plan: verdicts.Plan, lang: str, f: Filters) -> None:
    """The section "evaluation.compilation": its heading, then its tables and charts, or a note."""
    st.header(view.t("evaluation.compilation"))
    st.caption(view.md("evaluation.compilation.help", year=year))
    stem = report.file_stem(plan, lang, view.reader)

    def compiled() -> report.Compilation:
        comp = report.compile_year(data.database(), data.scoped(f, view.reader), lang)
        assert comp is not None  # the year has data: the page got this far
        return comp

    c1, c2, _ = st.columns([1, 1, 2])
    downloads.offer(
        c1,
        view.t("evaluation.download.xlsx"),
        lambda: compiled().xlsx(lang),
        f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "dl-eval-xlsx",
        icon=":material/table_view:",
        primary=True,
    )
    downloads.offer(
        c2,
        view.t("evaluation.download.zip"),
        lambda: compiled().zip(lang),
        f"{stem}.zip",
        "application/zip",
        "dl-eval-zip",
        icon=":material/folder_zip:",
    )


def _board_section(view: View, plan: verdicts.Plan) -> None:
    """The annual report for the board: one organisation's year as PDF and Word."""
    st.header(view.t("board.download.title"))
    st.caption(view.t("board.download.help"))
    orgs = [o for o in (dict(plan.years) or view.orgs) if o in view.orgs]
    if not orgs:
        return
    org = (
        orgs[0]
        if len(orgs) == 1
        else ui.pick(st, view.t("filter.orgs"), orgs, view.orgs, "board_org")
    )
    year = plan.year_of(org)
    if year is None:
        return
    c1, c2, _ = st.columns([1, 1, 2])
    for place, fmt, mime, icon in (
        (c1, "pdf", "application/pdf", ":material/picture_as_pdf:"),
        (c2, "docx", DOCX_MIME, ":material/description:"),
    ):
        downloads.offer(
            place,
            view.t(f"board.download.{fmt}"),
            partial(data.board_report, org, int(year), view.lang, fmt, view.reader),
            board_file(org, int(year), view.lang, fmt),
            mime,
            f"dl-board-{fmt}",
            icon=icon,
        )


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _edit(view: View, plan: verdicts.Plan) -> None:
    """Correct the year's indicator values (a reporter) and write the goals' assessments (a
    coordinator), in forms, saved through the import's checks (`changes.save`)."""
    from dashboard.app import changes, editform, numbers
    from dashboard.model import codes

    person = view.person
    if person is None or data.as_of() is not None:  # an earlier version is read-only
        return
    orgs = [o for o in view.orgs if person.may("edit_values", o)]
    if not orgs:
        return
    lang = view.lang
    with st.expander(view.md("edit.values.title", year=plan.label(lang)), icon=":material/edit:"):
        org = ui.pick(st, view.t("filter.orgs"), orgs, view.orgs, "ev_org")
        year = plan.year_of(org)
        if year is None:  # nothing of this organisation to evaluate yet
            return
        parts = ["indicator_values"]
        if person.may("edit_organisation", org):
            parts.append("assessments")
        for part in parts:
            key = f"ev_base_{part}_{org}_{year}"
            if key not in st.session_state:
                st.session_state[key] = changes.load(org, year, lang, part)
            base = st.session_state[key]
            baseline: dict[str, object] = {}
            if part == "indicator_values":
                found = data.query("evaluation_indicators", verdicts.year_filters(
                    Filters((org,)), year))  # fmt: skip
                names = found["name"].tolist()
                baseline = dict(zip(found["name"].astype(str), found["baseline"], strict=True))
                rows = {str(r["indicator"]): r for r in base}
                for n in names:
                    rows.setdefault(str(n), {"indicator": n, "target": None, "actual": None})
            else:
                goals = data.query("goals_in_period", Filters((org,), year, year))
                rows = {str(r["goal"]): r for r in base}
                for g in goals.itertuples():
                    rows.setdefault(str(g.code), {"goal": g.code, "assessment_status": None})
            form = editform.form_key(f"ev_form_{part}_{org}_{year}")
            with st.form(form):
                st.markdown(f"**{view.t(f'edit.{part}')}**")
                new: list[dict[str, object]] = []
                typed: list[tuple[dict, numbers.NumberField, numbers.NumberField]] = []
                for label, r in rows.items():
                    # keyed by the row's name, never its place: an indicator another person
                    # adds meanwhile must not take over what was typed for another one
                    k = editform.field_key(form, label)
                    named = safe.md(label)  # a name or a code from the data, in a label (Markdown)
                    if part == "indicator_values":
                        c1, c2 = st.columns(2)
                        target = numbers.number_field(
                            c1, f"{named}: {view.t('col.target')}", r.get("target"), lang, k + "t"
                        )
                        actual = numbers.number_field(
                            c2, f"{named}: {view.t('col.actual')}", r.get("actual"), lang, k + "a"
                        )
                        typed.append((r, target, actual))
                    else:
                        words = codes.choices("assessment_status", lang)
                        now = r.get("assessment_status")
                        c1, c2 = st.columns([1, 2])
                        verdict = c1.selectbox(
                            f"{view.t('col.goal')} {named}",
                            ["", *words],
                            index=words.index(now) + 1 if now in words else 0,
                            key=k + "v",
                        )
                        text = c2.text_input(
                            f"{view.t('col.comment')} {named}", r.get("comment") or "", key=k + "c"
                        )
                        if verdict:
                            new.append({**r, "assessment_status": verdict, "comment": text or None})
                source = st.text_input(
                    view.t("edit.source"),
                    view.t("edit.source.default", who=person.label, date=str(date.today())),
                    key=editform.field_key(form, ":source"),
                )
                comment = st.text_input(
                    view.t("edit.comment"), key=editform.field_key(form, ":comment")
                )
                saved = st.form_submit_button(view.t("edit.save"), type="primary")
            warned = f"ev_warn_{part}_{org}_{year}"
            editform.pending_warnings(view, warned)
            if not saved:
                continue
            warnings: list[safe.Markdown] = []
            refused = False  # a number that could not be read: said at its field
            for r, target, actual in typed:  # read as the interface language writes numbers
                values = numbers.read_numbers({"target": target, "actual": actual}, lang)
                if values is None:
                    refused = True
                    break
                if values["target"] is not None or values["actual"] is not None:
                    new.append({**r, **values})
                known = [r.get("target"), r.get("actual"), baseline.get(str(r.get("indicator")))]
                for field_, value in values.items():
                    if value != r.get(field_) and editform.implausible(value, known):
                        shown = fmt_typed(value, lang)
                        warnings.append(
                            view.md("edit.implausible", value=shown, indicator=r.get("indicator"))
                        )
            if refused or not editform.confirmed(warned, warnings):
                continue
            new = [r if r.get("source") else {**r, "source": source or None} for r in new]
            editform.save_and_report(
                view,
                partial(changes.save, org, year, lang, base, new, person, comment, part),
                key,
                f"ev-{part}",
                part,
            )


if __name__ == "__main__":  # run as a page by st.navigation
    from dashboard.app.shell import run_page

    run_page(render)
