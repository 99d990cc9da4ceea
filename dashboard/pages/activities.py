"""Activities: the table of the selection with title search, pages and a full download."""

from __future__ import annotations

import math

import streamlit as st

from dashboard import codes, data, ui
from dashboard.i18n import fmt_int, tn
from dashboard.ui import View

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
        shape=lambda df: ui.for_download(view, df[COLUMNS], CODED),
        allowed=view.scope,  # captured in the run: the button's callable runs on its own
        search=search,
        limit=None,
        offset=0,
    )


def render(view: View) -> None:
    """Draw the Activities page."""
    f = view.filters
    st.title(view.t("activities.title"))
    search = st.text_input(view.t("activities.search"), key="act_search").strip() or None
    with st.spinner(view.t("loading")):
        total = int(data.query("activities_count", f, search=search).iloc[0]["activities"])
    pages = max(1, math.ceil(total / PAGE_SIZE))
    left, right = st.columns([3, 1])
    left.markdown(f"**{tn('activities.count', total, view.lang, n=fmt_int(total, view.lang))}**")
    page = 1
    if pages > 1:
        page = int(right.number_input(view.t("activities.page"), 1, pages, 1, key="act_page"))
        right.caption(view.t("activities.page_of", page=page, pages=pages))
    with st.spinner(view.t("loading")):
        rows = data.query(
            "activities", f, search=search, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
    ui.illustrative_note(view, rows)
    ui.show_table(
        view,
        rows[COLUMNS],
        "activities",
        height=560 if len(rows) > 15 else "auto",
        coded=CODED,
    )

    st.download_button(
        view.t("download"),
        data=lambda: whole_selection(view, search),
        file_name=ui.file_name(view, "activities"),
        mime="text/csv",
        key="dl-activities",
        help=view.t("download.help"),
        on_click="ignore",
        icon=":material/download:",
    )


if __name__ == "__main__":  # run as a page by st.navigation
    from dashboard.shell import run_page

    run_page(render)
