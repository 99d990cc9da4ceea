"""Data: what the loaded dataset holds and how much of it comes from documents, what a
manager should fix in it, and the import (template, checking filled-in files, replacing)."""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard import i18n, settings
from dashboard.app import changes, data, downloads, grids
from dashboard.i18n import fmt_int, tn
from dashboard.model import codes
from dashboard.model.filters import Filters
from dashboard.model.problems import ImportFailed
from dashboard.model.view import View
from dashboard.outputs import datainfo
from dashboard.outputs.export import file_slug
from dashboard.outputs.readable import for_download

ALLOW_IMPORT = "DASHBOARD_ALLOW_IMPORT"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _dataset(view: View) -> None:
    lang = view.lang
    folder = data.data_dir()
    st.header(view.t("data.dataset"))
    with st.spinner(view.t("loading")):
        tables = data.query("data_tables", Filters(view.filters.orgs))
    manifest = data.manifest(folder)
    if manifest.get("imported_at"):
        st.caption(
            view.md(
                "data.dataset.caption",
                imported=i18n.fmt_time(manifest["imported_at"], lang),
                source=datainfo.source_label(manifest.get("source"), lang),
            )
        )
    else:
        st.caption(view.t("data.dataset.no_manifest"))
    total = int(tables["row_count"].sum())
    docs = int(tables["document_rows"].sum())
    ill = int(tables["illustrative_rows"].sum())
    c1, c2, c3 = st.columns(3)
    c1.metric(view.t("data.metric.rows"), fmt_int(total, lang), border=True)
    # the count as the value, its share below it (as one value, "97 (66,0 %)" was cut to
    # "97 (66,…" in a card a third of the page wide at 1024 px)
    for place, key, n in (
        (c2, "data.metric.documents", docs),
        (c3, "data.metric.illustrative", ill),
    ):
        place.metric(
            view.t(key),
            fmt_int(n, lang),
            delta=view.t(
                "data.metric.share", share=i18n.fmt_pct(n / total if total else None, lang)
            ),
            delta_color="off",
            delta_arrow="off",
            border=True,
        )
    st.caption(view.t("data.tables.help"))
    overview = tables.copy()
    overview["table_name"] = [codes.table_label(n, view.lang) for n in overview["table_name"]]
    grids.show_table(view, overview, "data-tables")  # its dozen rows in full (ROWS_SHOWN)
    downloads.download(view, "data_tables", partial(for_download, view, overview), "data-tables")


def _quality(view: View) -> None:
    f = view.filters
    st.header(view.t("data.quality"))
    orgs = (
        ", ".join(view.orgs.get(o, o) for o in f.orgs)
        if f.orgs
        else view.t("data.quality.all_orgs")
    )
    st.caption(view.md("data.quality.help", orgs=orgs))
    scope = Filters(f.orgs)
    with st.spinner(view.t("loading")):
        results = {c: data.query(f"data_{c}", scope) for c in datainfo.QUALITY_CHECKS}
    checks = datainfo.quality_table(results, view.lang)
    found = checks[checks["items"] > 0]
    if found.empty:
        st.success(view.t("data.quality.ok"), icon=":material/check_circle:")
    for row in found.itertuples():
        st.warning(
            view.md(
                "data.quality.found",
                check=row.check,
                n=fmt_int(row.items, view.lang),
                examples=row.examples,
            ),
            icon=":material/build:",
        )
    grids.show_table(view, checks, "data-quality")
    downloads.download(view, "data_quality", partial(for_download, view, checks), "data-quality")


def _import(view: View) -> None:
    """The import section: the workbooks and templates to fill in, then an upload,
    checked, and imported where the reader may."""
    from dashboard.outputs.template import template_xlsx, template_zip

    lang = view.lang
    st.header(view.t("data.import"))
    f = view.filters
    st.markdown(f"**{view.t('data.workbook')}**")
    st.caption(view.t("data.workbook.help"))
    c1, c2 = st.columns(2)
    downloads.offer(
        c1,
        view.t("data.workbook.template"),
        changes.template_maker(lang),
        f"{view.t('file.coordinator_template')}.xlsx",
        XLSX,
        "dl-coordinator-template",
        icon=":material/edit_note:",
    )
    n = int(data.query("activities_count", Filters(f.orgs), search=None).iloc[0]["activities"])
    if n <= changes.MAX_EXPORT_ACTIVITIES:
        downloads.offer(
            c2,
            view.t("data.workbook.export"),
            changes.workbook_maker(view.reader, f.orgs, lang),
            f"{view.t('file.coordinator_export')}_"
            f"{file_slug(Filters(f.orgs), view.lang, view.reader)}.xlsx",
            XLSX,
            "dl-coordinator-export",
            icon=":material/table_view:",
        )
    else:
        c2.caption(
            view.t(
                "data.workbook.too_big",
                n=fmt_int(n, lang),
                max=fmt_int(changes.MAX_EXPORT_ACTIVITIES, lang),
            )
        )
    st.markdown(f"**{view.t('data.template')}**")
    st.caption(view.t("data.template.help"))
    c1, c2, _ = st.columns([1, 1, 2])
    downloads.offer(
        c1,
        view.t("data.template.zip"),
        lambda: template_zip(lang),
        f"{view.t('file.contract_template')}.zip",
        "application/zip",
        "dl-template-zip",
        icon=":material/folder_zip:",
    )
    downloads.offer(
        c2,
        view.t("data.template.xlsx"),
        lambda: template_xlsx(lang),
        f"{view.t('file.contract_template')}.xlsx",
        XLSX,
        "dl-template-xlsx",
        icon=":material/table_view:",
    )
    checked = _upload(view)
    if checked is not None:
        _import_checked(view, *checked)


def _upload(view: View) -> tuple[str, bytes, changes.UploadCheck] | None:
    """The upload and its check (in a child process): the file and what the check found,
    or None when there is no file or it cannot be imported as it is."""
    lang = view.lang
    st.markdown(f"**{view.t('data.upload')}**")
    upload = st.file_uploader(
        view.t("data.upload"),
        type=["xlsx", "csv", "zip"],
        accept_multiple_files=False,
        key="data-upload",
        help=view.md("data.upload.help", mb=changes.max_upload_mb()),
        label_visibility="collapsed",
        max_upload_size=changes.max_upload_mb(),
    )
    st.caption(view.md("data.upload.help", mb=changes.max_upload_mb()))
    if not may_replace(view) and not may_import_any(view):
        st.info(view.t("data.replace.disabled"), icon=":material/lock:")
    if upload is None:
        return None
    name, payload = upload.name, upload.getvalue()
    bar = st.progress(0.0, text=view.t("data.upload.checking"))

    def shown(x: float) -> None:
        bar.progress(min(x, 1.0))

    result = changes.check_upload(name, payload, view.reader, shown)
    bar.empty()
    if result.warnings:
        n = len(result.warnings)
        with st.expander(view.tn("data.upload.warnings", n)):
            grids.show_table(view, result.frame(lang, warnings=True), "data-warnings")
    if result.problems:
        st.error(
            tn(
                "data.upload.problems",
                len(result.problems),
                lang,
                n=fmt_int(len(result.problems), lang),
            ),
            icon=":material/error:",
        )
        frame = result.frame(lang)
        grids.show_table(view, frame, "data-problems")
        c1, c2 = st.columns(2)
        with c1:
            downloads.download(
                view, "data_problems", partial(for_download, view, frame), "data-problems"
            )
        downloads.offer(
            c2,
            view.t("data.problems.download"),
            lambda: result.text(lang),
            f"{view.t('file.data_problems')}.txt",
            "text/plain",
            "dl-data-problems-txt",
            icon=":material/description:",
        )
        return None
    if not result.ok:
        st.warning(view.t("data.upload.empty"))
        return None
    rows = sum(result.rows.values())
    st.success(
        view.t(
            "data.upload.ok",
            rows=view.tn("count.rows", rows),
            tables=view.tn("count.tables", len(result.rows)),
        ),
        icon=":material/check_circle:",
    )
    if result.kind == "coordinator" and result.replaces:
        st.markdown(f"**{view.t('data.replaces')}**")
        st.caption(view.t("data.replaces.help"))
        grids.show_table(view, result.replaces_frame(lang), "data-replaces")
    return name, payload, result


def _import_checked(view: View, name: str, payload: bytes, result: changes.UploadCheck) -> None:
    """Import a checked file where the reader may: the organisations it speaks for, or the
    whole dataset for an administrator, confirmed first and checked again when written."""
    lang = view.lang
    allowed, orgs, refused = may_import(view, result)
    if refused:
        st.error(
            view.md(
                "data.import.not_yours", orgs=", ".join(result.names.get(o, o) for o in refused)
            )
        )
    if not allowed:
        return
    if orgs:
        sure = st.checkbox(
            view.md(
                "data.import.confirm_orgs", orgs=", ".join(result.names.get(o, o) for o in orgs)
            ),
            key="data-import-sure",
        )
    else:
        sure = st.checkbox(view.t("data.replace.confirm"), key="data-replace-sure")
    label = view.t("data.import.orgs") if orgs else view.t("data.replace")
    if st.button(label, disabled=not sure, type="primary", key="data-replace"):
        again, orgs, _ = may_import(view, result)  # checked again at the moment of the write
        if not again:
            st.error(view.t("data.replace.disabled"))
            return
        try:
            with st.spinner(view.t("data.replace.running")):
                outcome = changes.import_upload(name, payload, view.reader, view.person, orgs)
        except ImportFailed as exc:
            st.error(view.tn("data.replace.failed", len(exc.problems)))
            failed = changes.UploadCheck(exc.problems, exc.warnings)
            grids.show_table(view, failed.frame(lang), "data-replace-problems")
            return
        data.clear()
        if orgs:  # a coordinator's workbook: its rows of its organisations, nothing else
            st.success(
                view.md(
                    "data.import.orgs.done",
                    orgs=", ".join(result.names.get(o, o) for o in orgs),
                    rows=view.tn("count.rows", sum(result.rows.values())),
                )
            )
            return
        rows = sum(outcome.counts.values())
        st.success(i18n.tn("data.replace.done", rows, lang, rows=fmt_int(rows, lang)))
        st.caption(
            " · ".join(
                view.md(
                    f"data.table.{tb.action}",
                    table=codes.table_label(tb.table, lang),
                    after=fmt_int(tb.after, lang),
                )
                for tb in outcome.tables
            )
        )


def may_import(
    view: View, result: changes.UploadCheck
) -> tuple[bool, tuple[str, ...] | None, list[str]]:
    """Whether this session may import the checked file: (may, the organisations a
    coordinator's workbook may replace, those it names that the person may not change).
    An administrator (or the local single-user mode) imports anything; a coordinator a
    coordinator's workbook of the organisations they coordinate, as their change. The
    import itself refuses rows of any other organisation (`ingest(orgs=...)`)."""
    coordinator_book = result.kind == "coordinator"
    if may_replace(view):
        return True, (result.orgs if coordinator_book else None), []
    person = view.person
    if person is None or data.remote() or not coordinator_book or not result.orgs:
        return False, None, []
    refused = [o for o in result.orgs if not person.may("edit_organisation", o)]
    if refused:
        return False, None, refused
    return True, result.orgs, []


def may_import_any(view: View) -> bool:
    """Whether this person may import at least their own organisation's workbook."""
    person = view.person
    return (
        person is not None
        and not data.remote()
        and any(person.may("edit_organisation", o) for o in view.orgs)
    )


def may_replace(view: View) -> bool:
    """Whether this session may replace the whole dataset: with sign-in, an administrator;
    without it, only where the server was started with DASHBOARD_ALLOW_IMPORT=1 (the local
    single-user mode, see README). Never over an object store: its import job publishes."""
    if data.remote():
        return False
    if view.person is not None:
        return view.person.may("replace_dataset", "*")
    return settings.flag(ALLOW_IMPORT)


def render(view: View) -> None:
    """Draw the Data page."""
    st.title(view.t("data.title"))
    _dataset(view)
    _quality(view)
    _import(view)


if __name__ == "__main__":  # run as a page by st.navigation
    from dashboard.app.shell import run_page

    run_page(render)
