"""Data: what the loaded dataset holds and how much of it comes from documents, what a
manager should fix in it, and the import (template, checking filled-in files, replacing)."""

from __future__ import annotations

import os

import streamlit as st

from dashboard import data, i18n, report, ui, uploads
from dashboard.dataset import data_dir, read_manifest
from dashboard.filters import Filters
from dashboard.i18n import fmt_int
from dashboard.problems import ImportFailed
from dashboard.ui import View

ALLOW_IMPORT = "DASHBOARD_ALLOW_IMPORT"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

i18n.register(
    {
        "data.title": {"sv": "Data", "en": "Data", "da": "Data"},
        "data.dataset": {
            "sv": "Det inlästa datasetet",
            "en": "The loaded dataset",
            "da": "Det indlæste datasæt",
        },
        "data.dataset.caption": {
            "sv": "Importerat {imported} från {source}",
            "en": "Imported {imported} from {source}",
            "da": "Importeret {imported} fra {source}",
        },
        "data.dataset.no_manifest": {
            "sv": "Det är okänt när datasetet importerades; filernas ändringstid står i tabellen.",
            "en": "When the dataset was imported is unknown; the files' modification times are "
            "in the table.",
            "da": "Det er ukendt, hvornår datasættet blev importeret; filernes ændringstid står "
            "i tabellen.",
        },
        "data.tables.help": {
            "sv": "Hela datasetet, oavsett urval: rader per tabell, hur många som kommer från "
            "ett källdokument och hur många som är illustrativa (◇, inte från något "
            "dokument), och när filen senast skrevs.",
            "en": "The whole dataset, whatever the selection: rows per table, how many come "
            "from a source document and how many are illustrative (◇, from no document), "
            "and when the file was last written.",
            "da": "Hele datasættet, uanset udvalg: rækker pr. tabel, hvor mange der stammer "
            "fra et kildedokument, og hvor mange der er illustrative (◇, fra intet "
            "dokument), og hvornår filen sidst blev skrevet.",
        },
        "data.metric.rows": {"sv": "Rader", "en": "Rows", "da": "Rækker"},
        "data.metric.documents": {
            "sv": "Från dokument",
            "en": "From documents",
            "da": "Fra dokumenter",
        },
        "data.metric.illustrative": {
            "sv": "◇ Illustrativa",
            "en": "◇ Illustrative",
            "da": "◇ Illustrative",
        },
        "data.quality": {"sv": "Datakvalitet", "en": "Data quality", "da": "Datakvalitet"},
        "data.quality.help": {
            "sv": "Saker att rätta i källfilerna, för {orgs} (alla år). Exemplen är de "
            "första fem id:na i bokstavsordning.",
            "en": "Things to fix in the source files, for {orgs} (all years). The examples are "
            "the first five ids in alphabetical order.",
            "da": "Ting at rette i kildefilerne, for {orgs} (alle år). Eksemplerne er de "
            "første fem id'er i alfabetisk rækkefølge.",
        },
        "data.quality.all_orgs": {
            "sv": "alla organisationer",
            "en": "every organisation",
            "da": "alle organisationer",
        },
        "data.quality.ok": {
            "sv": "Inga datakvalitetsproblem för urvalet.",
            "en": "No data-quality problems for the selection.",
            "da": "Ingen datakvalitetsproblemer for udvalget.",
        },
        "data.quality.found": {
            "sv": "{check}: {n} (t.ex. {examples})",
            "en": "{check}: {n} (e.g. {examples})",
            "da": "{check}: {n} (f.eks. {examples})",
        },
        "data.import": {"sv": "Import", "en": "Import", "da": "Import"},
        "data.workbook": {
            "sv": "Samordnarens arbetsbok",
            "en": "The coordinator's workbook",
            "da": "Koordinatorens projektmappe",
        },
        "data.workbook.help": {
            "sv": "Fyll i uppföljningen med namn och målnummer (1,4), utan id:n. Mallen har "
            "exempel ur Gotlands handlingsplan 2009, listor och en kommentar på varje "
            "kolumn. Datasetet som arbetsbok (valda organisationer) kan rättas i Excel och "
            "importeras igen: varje rad behåller sitt id.",
            "en": "Fill in the follow-up with names and goal numbers (1,4), without ids. The "
            "template has examples from Gotland's action plan 2009, lists and a comment on "
            "every column. The dataset as a workbook (the selected organisations) can be "
            "corrected in Excel and imported again: every row keeps its id.",
            "da": "Udfyld opfølgningen med navne og målnumre (1,4), uden id'er. Skabelonen har "
            "eksempler fra Gotlands handlingsplan 2009, lister og en kommentar på hver "
            "kolonne. Datasættet som projektmappe (de valgte organisationer) kan rettes i "
            "Excel og importeres igen: hver række beholder sit id.",
        },
        "data.workbook.template": {
            "sv": "Mall att fylla i (.xlsx)",
            "en": "Template to fill in (.xlsx)",
            "da": "Skabelon til udfyldning (.xlsx)",
        },
        "data.workbook.export": {
            "sv": "Datasetet som arbetsbok (.xlsx)",
            "en": "The dataset as a workbook (.xlsx)",
            "da": "Datasættet som projektmappe (.xlsx)",
        },
        "data.workbook.too_big": {
            "sv": "Urvalet har {n} aktiviteter; välj organisationer med högst {max} för att "
            "hämta dem som arbetsbok.",
            "en": "The selection has {n} activities; choose organisations with at most {max} "
            "to download them as a workbook.",
            "da": "Udvalget har {n} aktiviteter; vælg organisationer med højst {max} for at "
            "hente dem som projektmappe.",
        },
        "file.coordinator_template": {
            "sv": "malbild_mall",
            "en": "malbild_template",
            "da": "malbild_skabelon",
        },
        "file.coordinator_export": {
            "sv": "malbild_arbetsbok",
            "en": "malbild_workbook",
            "da": "malbild_projektmappe",
        },
        "data.template": {
            "sv": "Mall för de 12 tabellerna (med id:n)",
            "en": "Template of the 12 tables (with ids)",
            "da": "Skabelon for de 12 tabeller (med id'er)",
        },
        "data.template.help": {
            "sv": "En CSV-fil per tabell, eller en arbetsbok med ett blad per tabell där "
            "bladet _contract beskriver varje kolumn.",
            "en": "One CSV file per table, or a workbook with a sheet per table whose "
            "_contract sheet describes every column.",
            "da": "Én CSV-fil pr. tabel, eller en projektmappe med et ark pr. tabel, hvor "
            "arket _contract beskriver hver kolonne.",
        },
        "data.template.zip": {
            "sv": "Mall: CSV-filer (.zip)",
            "en": "Template: CSV files (.zip)",
            "da": "Skabelon: CSV-filer (.zip)",
        },
        "data.template.xlsx": {
            "sv": "Mall: arbetsbok (.xlsx)",
            "en": "Template: workbook (.xlsx)",
            "da": "Skabelon: projektmappe (.xlsx)",
        },
        "data.upload": {
            "sv": "Kontrollera ifyllda filer",
            "en": "Check filled-in files",
            "da": "Kontrollér udfyldte filer",
        },
        "data.upload.help": {
            "sv": "En fil, högst {mb} MB: samordnarens arbetsbok, en arbetsbok med de 12 "
            "tabellerna, en tabell som .csv eller en zip med .csv-filer. Den kontrolleras "
            "mot datakontraktet och det inlästa datasetet; inget skrivs.",
            "en": "One file, at most {mb} MB: the coordinator's workbook, a workbook of the 12 "
            "tables, one table as .csv or a zip of .csv files. It is checked against the data "
            "contract and the loaded dataset; nothing is written.",
            "da": "Én fil, højst {mb} MB: koordinatorens projektmappe, en projektmappe med de 12 "
            "tabeller, én tabel som .csv eller en zip med .csv-filer. Den kontrolleres mod "
            "datakontrakten og det indlæste datasæt; intet skrives.",
        },
        "data.upload.checking": {
            "sv": "Kontrollerar filen …",
            "en": "Checking the file …",
            "da": "Kontrollerer filen …",
        },
        "data.upload.warnings": {
            "sv": "{n} varningar (importen kan ändå göras)",
            "en": "{n} warning(s) (the import can still be made)",
            "da": "{n} advarsler (importen kan stadig foretages)",
        },
        "data.replace.running": {
            "sv": "Importerar …",
            "en": "Importing …",
            "da": "Importerer …",
        },
        "data.table.replaced": {
            "sv": "{table}: ersatt ({after})",
            "en": "{table}: replaced ({after})",
            "da": "{table}: erstattet ({after})",
        },
        "data.table.kept": {
            "sv": "{table}: behölls ({after})",
            "en": "{table}: kept ({after})",
            "da": "{table}: beholdt ({after})",
        },
        "data.table.emptied": {
            "sv": "{table}: tömd",
            "en": "{table}: emptied",
            "da": "{table}: tømt",
        },
        "data.table.created": {
            "sv": "{table}: ny ({after})",
            "en": "{table}: created ({after})",
            "da": "{table}: ny ({after})",
        },
        "data.upload.ok": {
            "sv": "Inga problem: {rows} rader i {tables} tabeller kan importeras.",
            "en": "No problems: {rows} rows in {tables} tables can be imported.",
            "da": "Ingen problemer: {rows} rækker i {tables} tabeller kan importeres.",
        },
        "data.upload.problems": {
            "sv": "{n} problem hittades. Inget kan importeras förrän alla är rättade.",
            "en": "{n} problem(s) found. Nothing can be imported until all are fixed.",
            "da": "{n} problem(er) fundet. Intet kan importeres, før alle er rettet.",
        },
        "data.upload.empty": {
            "sv": "Filerna innehåller inga rader.",
            "en": "The files hold no rows.",
            "da": "Filerne indeholder ingen rækker.",
        },
        "data.problems.download": {
            "sv": "Problemlistan (.txt)",
            "en": "List of problems (.txt)",
            "da": "Problemlisten (.txt)",
        },
        "data.replace": {
            "sv": "Ersätt det aktuella datasetet med filen",
            "en": "Replace the live dataset with this file",
            "da": "Erstat det aktuelle datasæt med filen",
        },
        "data.replace.confirm": {
            "sv": "Jag vill ersätta datasetet som alla användare ser",
            "en": "I want to replace the dataset every user sees",
            "da": "Jeg vil erstatte datasættet, som alle brugere ser",
        },
        "data.replace.done": {
            "sv": "Datasetet är ersatt: {rows} rader importerade.",
            "en": "The dataset was replaced: {rows} rows imported.",
            "da": "Datasættet er erstattet: {rows} rækker importeret.",
        },
        "data.replace.failed": {
            "sv": "Importen avbröts och inget skrevs: {n} problem.",
            "en": "The import stopped and nothing was written: {n} problem(s).",
            "da": "Importen stoppede, og intet blev skrevet: {n} problem(er).",
        },
        "data.replace.disabled": {
            "sv": "Att importera från sidan är avstängt i denna tjänst; den som driver "
            "tjänsten importerar filen åt dig.",
            "en": "Importing from this page is switched off in this service; whoever runs the "
            "service imports the file for you.",
            "da": "Import fra denne side er slået fra i denne tjeneste; den, der driver "
            "tjenesten, importerer filen for dig.",
        },
        "file.data_tables": {"sv": "datasetets_tabeller", "en": "dataset_tables", "da": "tabeller"},
        "file.data_quality": {"sv": "datakvalitet", "en": "data_quality", "da": "datakvalitet"},
        "file.data_problems": {
            "sv": "importproblem",
            "en": "import_problems",
            "da": "importproblemer",
        },
    }
)


def _dataset(view: View) -> None:
    lang = view.lang
    folder = data_dir()
    st.subheader(view.t("data.dataset"))
    with st.spinner(view.t("loading")):
        tables = data.query("data_tables")
    manifest = read_manifest(folder)
    if manifest.get("imported_at"):
        st.caption(
            view.md(
                "data.dataset.caption",
                imported=report.timestamp_label(manifest["imported_at"]),
                source=manifest.get("source", "?"),
            )
        )
    else:
        st.caption(view.t("data.dataset.no_manifest"))
    total = int(tables["row_count"].sum())
    docs = int(tables["document_rows"].sum())
    ill = int(tables["illustrative_rows"].sum())
    c1, c2, c3 = st.columns(3)
    c1.metric(view.t("data.metric.rows"), fmt_int(total, lang), border=True)
    c2.metric(
        view.t("data.metric.documents"),
        f"{fmt_int(docs, lang)} ({i18n.fmt_pct(docs / total if total else None, lang)})",
        border=True,
    )
    c3.metric(
        view.t("data.metric.illustrative"),
        f"{fmt_int(ill, lang)} ({i18n.fmt_pct(ill / total if total else None, lang)})",
        border=True,
    )
    st.caption(view.t("data.tables.help"))
    overview = report.dataset_overview(tables, folder)
    ui.show_table(view, overview, "data-tables", height=35 * (len(overview) + 1) + 3)
    ui.download(view, "data_tables", lambda: ui.for_download(view, overview), "data-tables")


def _quality(view: View) -> None:
    f = view.filters
    st.subheader(view.t("data.quality"))
    orgs = ", ".join(f.orgs) if f.orgs else view.t("data.quality.all_orgs")
    st.caption(view.md("data.quality.help", orgs=orgs))
    scope = Filters(f.orgs)
    with st.spinner(view.t("loading")):
        results = {c: data.query(f"data_{c}", scope) for c in report.QUALITY_CHECKS}
    checks = report.quality_table(results, view.lang)
    found = checks[checks["items"] > 0]
    if found.empty:
        st.success(view.t("data.quality.ok"), icon=":material/check_circle:")
    for row in found.itertuples():
        st.warning(
            view.md(
                "data.quality.found",
                check=row.check,
                n=fmt_int(row.items, view.lang),
                examples=row.example_ids,
            ),
            icon=":material/build:",
        )
    ui.show_table(view, checks, "data-quality")
    ui.download(view, "data_quality", lambda: ui.for_download(view, checks), "data-quality")


def _import(view: View) -> None:
    from dashboard.template import template_xlsx, template_zip

    lang = view.lang
    st.subheader(view.t("data.import"))
    f = view.filters
    st.markdown(f"**{view.t('data.workbook')}**")
    st.caption(view.t("data.workbook.help"))
    c1, c2 = st.columns(2)
    c1.download_button(
        view.t("data.workbook.template"),
        data=lambda: uploads.coordinator_template(lang),
        file_name=f"{view.t('file.coordinator_template')}.xlsx",
        mime=XLSX,
        key="dl-coordinator-template",
        on_click="ignore",
        icon=":material/edit_note:",
    )
    n = int(data.query("activities_count", Filters(f.orgs), search=None).iloc[0]["activities"])
    if n <= uploads.MAX_EXPORT_ACTIVITIES:
        folder = data_dir()
        c2.download_button(
            view.t("data.workbook.export"),
            data=lambda: uploads.coordinator_workbook(folder, f.orgs, lang),
            file_name=f"{view.t('file.coordinator_export')}_{Filters(f.orgs).slug()}.xlsx",
            mime=XLSX,
            key="dl-coordinator-export",
            on_click="ignore",
            icon=":material/table_view:",
        )
    else:
        c2.caption(
            view.t(
                "data.workbook.too_big",
                n=fmt_int(n, lang),
                max=fmt_int(uploads.MAX_EXPORT_ACTIVITIES, lang),
            )
        )
    st.markdown(f"**{view.t('data.template')}**")
    st.caption(view.t("data.template.help"))
    c1, c2, _ = st.columns([1, 1, 2])
    c1.download_button(
        view.t("data.template.zip"),
        data=template_zip,
        file_name="malbild_template.zip",
        mime="application/zip",
        key="dl-template-zip",
        on_click="ignore",
        icon=":material/folder_zip:",
    )
    c2.download_button(
        view.t("data.template.xlsx"),
        data=template_xlsx,
        file_name="malbild_template.xlsx",
        mime=XLSX,
        key="dl-template-xlsx",
        on_click="ignore",
        icon=":material/table_view:",
    )

    st.markdown(f"**{view.t('data.upload')}**")
    upload = st.file_uploader(
        view.t("data.upload"),
        type=["xlsx", "csv", "zip"],
        accept_multiple_files=False,
        key="data-upload",
        help=view.t("data.upload.help", mb=uploads.max_upload_mb()),
        label_visibility="collapsed",
        max_upload_size=uploads.max_upload_mb(),
    )
    st.caption(view.t("data.upload.help", mb=uploads.max_upload_mb()))
    allowed = os.environ.get(ALLOW_IMPORT) == "1"
    if not allowed:
        st.info(view.t("data.replace.disabled"), icon=":material/lock:")
    if upload is None:
        return
    name, payload = upload.name, upload.getvalue()
    bar = st.progress(0.0, text=view.t("data.upload.checking"))
    result = uploads.in_child(
        "check", name, payload, data_dir(), lambda x: bar.progress(min(x, 1.0))
    )
    bar.empty()
    if result.warnings:
        with st.expander(view.t("data.upload.warnings", n=fmt_int(len(result.warnings), lang))):
            ui.show_table(view, result.frame(lang, warnings=True), "data-warnings")
    if result.problems:
        st.error(
            view.t("data.upload.problems", n=fmt_int(len(result.problems), lang)),
            icon=":material/error:",
        )
        frame = result.frame(lang)
        ui.show_table(view, frame, "data-problems")
        c1, c2 = st.columns(2)
        with c1:
            ui.download(
                view, "data_problems", lambda: ui.for_download(view, frame), "data-problems"
            )
        c2.download_button(
            view.t("data.problems.download"),
            data=result.text(lang),
            file_name=f"{view.t('file.data_problems')}.txt",
            mime="text/plain",
            key="dl-data-problems-txt",
            on_click="ignore",
            icon=":material/description:",
        )
        return
    if not result.ok:
        st.warning(view.t("data.upload.empty"))
        return
    st.success(
        view.t(
            "data.upload.ok",
            rows=fmt_int(sum(result.rows.values()), lang),
            tables=fmt_int(len(result.rows), lang),
        ),
        icon=":material/check_circle:",
    )
    if not allowed:
        return
    sure = st.checkbox(view.t("data.replace.confirm"), key="data-replace-sure")
    if st.button(view.t("data.replace"), disabled=not sure, type="primary", key="data-replace"):
        try:
            with st.spinner(view.t("data.replace.running")):
                outcome = uploads.in_child("import", name, payload, data_dir())
        except ImportFailed as exc:
            st.error(view.t("data.replace.failed", n=fmt_int(len(exc.problems), lang)))
            failed = uploads.UploadCheck(exc.problems, exc.warnings)
            ui.show_table(view, failed.frame(lang), "data-replace-problems")
            return
        data.clear()
        st.success(view.t("data.replace.done", rows=fmt_int(sum(outcome.counts.values()), lang)))
        st.caption(
            " · ".join(
                view.t(f"data.table.{tb.action}", table=tb.table, after=fmt_int(tb.after, lang))
                for tb in outcome.tables
            )
        )


def render(view: View) -> None:
    """Draw the Data page."""
    st.title(view.t("data.title"))
    _dataset(view)
    _quality(view)
    _import(view)


if __name__ == "__main__":  # run as a page by st.navigation
    from dashboard.shell import run_page

    run_page(render)
