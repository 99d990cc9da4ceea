"""Activities: the table of the selection with title search, pages and a full download."""

from __future__ import annotations

import math
from functools import partial

import streamlit as st

from dashboard.app import data, downloads, grids, numbers, sidebar, ui
from dashboard.i18n import fmt_int, tn
from dashboard.model import codes
from dashboard.model.filters import Filters
from dashboard.model.view import View
from dashboard.outputs.readable import file_name, for_download

PAGE_SIZE = 200
CODED = codes.QUERY_CODES["activities"]  # the stored codes the table shows
COLUMNS = [
    "org_id",
    "year",
    "title",
    "department",
    "activity_type",
    "network",
    "project",
    "status",
    "cost",
    "currency",
    "goal_codes",
    "goal_titles",
    "source",
]


def whole_selection(view: View, search: str | None) -> bytes:
    """The download: every matching activity, not just the page shown, streamed from DuckDB,
    with the table's own headers and words."""
    return data.csv_bytes(
        "activities",
        view.filters,
        view.lang,
        view.reader,  # captured in the run: the button's callable runs on its own thread
        shape=lambda df: for_download(view, df[COLUMNS], CODED),
        search=search,
        limit=None,
        offset=0,
    )


def render(view: View) -> None:
    """Draw the Activities page."""
    f = view.filters
    st.title(view.t("activities.title"))
    search = sidebar.url_text_input(view.t("activities.search"), "act_search", "q").strip() or None
    with st.spinner(view.t("loading")):
        total = int(data.query("activities_count", f, search=search).iloc[0]["activities"])
    pages = max(1, math.ceil(total / PAGE_SIZE))
    left, right = st.columns([3, 1])
    left.markdown(f"**{tn('activities.count', total, view.lang, n=fmt_int(total, view.lang))}**")
    page = 1
    if pages > 1:
        page = int(right.number_input(view.t("activities.page"), 1, pages, 1, key="act_page"))
        right.caption(view.md("activities.page_of", page=page, pages=pages))
    with st.spinner(view.t("loading")):
        rows = data.query(
            "activities", f, search=search, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
    ui.illustrative_note(view, rows)
    grids.show_table(
        view,
        rows[COLUMNS],
        "activities",
        coded=CODED,
    )

    downloads.offer(
        st,
        view.t("download"),
        lambda: whole_selection(view, search),
        file_name(view, "activities"),
        "text/csv",
        "dl-activities",
        help=view.t("download.help"),
    )
    _edit(view)


NEW = "__new__"


def _editable_orgs(view: View) -> list[str]:
    person = view.person
    if person is None:
        return []
    return [o for o in view.orgs if person.may("edit_activities", o) or any(
        g.role == "reporter" and g.department and g.org == o for g in person.grants
    )]  # fmt: skip


def _position(words: list[str], word: object) -> int:
    """Where *word* is among the choices ["", *words] (0: the empty choice)."""
    return words.index(word) + 1 if word in words else 0


def _edit(view: View) -> None:
    """Add, correct and delete one organisation's activities of one year: a form per
    activity (keyboard- and screen-reader-friendly, unlike a canvas grid), the goals picked
    from the organisation's goals. The save goes through the import's checks
    (`changes.save`); the permission is checked there, at the moment of the save."""
    from dashboard.app import changes, editform

    orgs = _editable_orgs(view)
    if not orgs or data.as_of() is not None:  # an earlier version is read-only
        return
    lang = view.lang
    with st.expander(view.t("edit.title"), icon=":material/edit:"):
        c1, c2 = st.columns(2)
        org = ui.pick(c1, view.t("filter.orgs"), orgs, view.orgs, "ed_org")
        year = int(
            c2.number_input(
                view.t("col.year"), 1990, 2100, view.filters.year_to or 2026, key="ed_year"
            )
        )
        key = f"ed_base_{org}_{year}"
        if key not in st.session_state:  # the rows this editor started from
            st.session_state[key] = changes.load(org, year, lang)
        base = st.session_state[key]
        goals = data.query("goal_options", Filters((org,)))
        goal_words = {str(g.code): f"{g.code}. {str(g.title)[:70]}" for g in goals.itertuples()}
        titles = {str(r[changes.ID]): str(r["activity_title"]) for r in base}
        pick = st.selectbox(
            view.t("edit.pick"),
            [NEW, *titles],
            format_func=lambda k: view.t("edit.new") if k == NEW else titles[k],
            key=f"ed_pick_{org}_{year}",
        )
        row: dict[str, object] = next((r for r in base if str(r[changes.ID]) == pick), {})
        # the network and the project an activity belongs to, by name (the workbook's way)
        networks = data.query("network_summary", Filters())["network"].dropna().unique().tolist()
        projects = [
            str(r["project_title"])
            for r in changes.load(org, 0, lang, "projects")
            if r.get("project_title")
        ]
        types = codes.choices("activity_type", lang)
        statuses = codes.choices("activity_status", lang)
        # every field keyed by the form: a field whose list changes before Spara (another
        # person's save adds a project) keeps what this person chose (`editform.field_key`)
        form = editform.form_key(f"ed_form_{org}_{year}_{pick}")
        k = partial(editform.field_key, form)
        with st.form(form):
            title = st.text_input(
                view.t("col.title"), str(row.get("activity_title") or ""), key=k("title")
            )
            dept = st.text_input(
                view.t("col.department"), str(row.get("department") or ""), key=k("department")
            )
            kind = st.selectbox(
                view.t("col.activity_type"),
                ["", *types],
                index=_position(types, row.get("activity_type")),
                key=k("activity_type"),
            )
            status = st.selectbox(
                view.t("col.status"),
                ["", *statuses],
                index=_position(statuses, row.get("activity_status")),
                key=k("activity_status"),
            )
            cost = numbers.number_field(
                st, view.t("col.cost"), row.get("cost"), lang, key=k("cost")
            )
            currency = st.text_input(
                view.t("col.currency"), str(row.get("currency") or ""), key=k("currency")
            )
            had = changes.goal_codes(row.get("goals"))
            chosen = st.multiselect(
                view.t("col.goal_codes"),
                list(goal_words),
                default=[c for c in had if c in goal_words],
                format_func=lambda c: goal_words.get(c, c),
                select_all=False,  # Streamlit's 'Select all' is English only
                key=k("goals"),
            )
            network = editform.pick_one(
                view.t("col.network"), networks, row.get("network"), key=k("network")
            )
            project = editform.pick_one(
                view.t("col.project"), projects, row.get("project"), key=k("project")
            )
            source = st.text_input(
                view.t("col.source"), str(row.get("source") or ""), key=k("source")
            )
            comment = st.text_input(view.t("edit.comment"), key=k("comment"))
            delete = bool(row) and st.checkbox(view.t("edit.delete"), key=k("delete"))
            saved = st.form_submit_button(view.t("edit.save"), type="primary")
        warned = f"ed_warn_{org}_{year}"
        editform.pending_warnings(view, warned)
        if not saved:
            return
        typed = numbers.read_numbers({"cost": cost}, lang)
        if typed is None:
            return
        same = [
            r
            for r in base
            if str(r[changes.ID]) != pick
            and str(r.get("activity_title") or "").strip().casefold() == title.strip().casefold()
        ]
        warnings = [view.md("edit.duplicate", title=title.strip(), year=year)] if same else []
        if not delete and not editform.confirmed(warned, warnings):
            return
        new = {
            **row,
            "activity_title": title.strip() or None,
            "department": dept.strip() or None,
            "activity_type": kind or None,
            "activity_status": status or None,
            "cost": typed["cost"],
            "currency": currency.strip() or None,
            "goals": changes.goal_list(chosen),
            "network": network,
            "project": project,
            "source": source.strip() or None,
        }
        others = [dict(r) for r in base if str(r[changes.ID]) != pick]
        edited = others if delete else (
            [dict(r) if str(r[changes.ID]) != pick else new for r in base] if row
            else [*others, new]
        )  # fmt: skip
        assert view.person is not None
        person = view.person
        editform.save_and_report(
            view,
            lambda: changes.save(org, year, lang, base, edited, person, comment),
            key,
            "ed",
            "activities",
        )


if __name__ == "__main__":  # run as a page by st.navigation
    from dashboard.app.shell import run_page

    run_page(render)
