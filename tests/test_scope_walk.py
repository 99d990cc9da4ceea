"""Nothing of another organisation anywhere (issue #20): signed in as a user of Gävle with
`read = "own"`, every page the app registers (`dashboard.app.pages.PAGES`), every chart's
table, every change on the History page and every file the app offers for download
(`downloads.offered`, the downloads the app itself registers), on a dataset where Gotland has made
changes of its own, holds no id, name, title, comment or e-mail of another organisation.

AppTest stands in for the identity provider (`at.user`, the claims `st.user` then holds);
the browser test in test_signin.py signs in through a real OpenID Connect provider.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app.pages import PAGES
from dashboard.i18n import t
from dashboard.imports import editing
from dashboard.imports.ingest import ingest
from dashboard.model import codes
from dashboard.model.access import Grant, Person
from dashboard.storage.publishing import Change
from tests.conftest import ROOT, SAMPLE_SOURCE
from tests.helpers import AUTH, open_table_tabs, read_rows
from tests.test_readable_everywhere import page_texts, table_cells

APP = str(ROOT / "streamlit_app.py")
ACCESS = """
read = "own"

[[grant]]
email = "anna@gavle.se"
org = "gavle"
role = "coordinator"

[[grant]]
email = "gustav@gotland.se"
org = "gotland"
role = "coordinator"
"""
SECRET_COMMENT = "Gotlands interna kommentar om budgeten"
GOTLAND_EMAIL = "gustav@gotland.se"
SECRET_TITLE = "Gotlands hemliga studieresa till Tallinn"
SHARED: set[str] = set()  # the networks' names: every organisation shares the networks
GAVLE_COMMENT, GAVLE_TITLE = "Gävles egen rättelse", "Gävles rättade titel"
# who reads: their e-mail, their organisation's name, a comment of theirs the walk must
# find (so an empty page cannot pass for a clean one), the other's secrets, the link
READERS = {
    "gavle": ("anna@gavle.se", "Gävle kommun", GAVLE_COMMENT,
              {SECRET_COMMENT, GOTLAND_EMAIL, SECRET_TITLE}, {}),
    "gotland": (GOTLAND_EMAIL, "Gotlands kommun", SECRET_COMMENT,
                {GAVLE_COMMENT, GAVLE_TITLE, "anna@gavle.se"}, {"org": "gotland", "year": "2009"}),
}  # fmt: skip


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample; then Gotland corrects an activity's title and an indicator value, with a
    comment; then Gävle saves one of its own."""
    out = tmp_path_factory.mktemp("walk") / "data"
    ingest(SAMPLE_SOURCE, out, change=Change("import", "import", person=None))
    gus = Person("Gustav", GOTLAND_EMAIL, (Grant("gotland", "coordinator"),), False)
    base = editing.load(out, "gotland", 2009, "sv")
    edited = [
        dict(r, activity_title=SECRET_TITLE) if i == 0 else dict(r) for i, r in enumerate(base)
    ]
    editing.save(out, "gotland", 2009, "sv", base, edited, gus, SECRET_COMMENT)
    values = editing.load(out, "gotland", 2009, "sv", "indicator_values")
    changed = [dict(r, actual=99) for r in values]
    editing.save(
        out, "gotland", 2009, "sv", values, changed, gus, SECRET_COMMENT, "indicator_values"
    )
    anna = Person("Anna", "anna@gavle.se", (Grant("gavle", "coordinator"),), False)
    mine = editing.load(out, "gavle", 2012, "sv")
    fixed = [dict(r, activity_title=GAVLE_TITLE) if i == 0 else dict(r) for i, r in enumerate(mine)]
    editing.save(out, "gavle", 2012, "sv", mine, fixed, anna, GAVLE_COMMENT)
    return out


def others(out: Path, reader: str = "gavle") -> tuple[set[str], set[str]]:
    """(words, phrases) of organisations other than Gävle a Gävle reader must never see:
    their ids (as whole words), and names, titles, comments and e-mails (as text). Text
    that Gävle's own rows or the shared networks also hold is left out (it is theirs too)."""
    own: set[str] = set()
    theirs: set[str] = set(READERS[reader][3])
    ids: set[str] = set()
    fields = {
        "organisations": ("name",),
        "strategies": ("title",),
        "activities": ("title",),
        "projects": ("title",),
        "indicators": ("name",),
        "goal_assessments": ("comment",),
    }
    projects = {r["project_id"]: r["org_id"] for r in read_rows(out, "projects")}
    for table, cols in fields.items():
        for r in read_rows(out, table):
            org = r.get("org_id") or projects.get(r.get("project_id"))
            for c in cols:
                v = r.get(c)
                if isinstance(v, str) and v.strip():
                    (own if org == reader else theirs).add(v.strip())
    for r in read_rows(out, "organisations"):
        if r["org_id"] != reader:
            ids.add(r["org_id"])
    for r in read_rows(out, "activities"):
        if r["org_id"] != reader:
            ids.add(r["activity_id"])
    for r in read_rows(out, "networks"):  # shared by every organisation
        # names, acronyms and where a network's row comes from (a shared row may cite
        # another organisation's document it was first recorded from)
        SHARED.update(str(r.get(c) or "") for c in ("name", "acronym", "source"))
    own |= SHARED
    # the app's own words (an activity type reads "Näringslivskontakter", as a title may)
    own |= {codes.label(d, c, "sv") for d, values in codes.DOMAINS.items() for c in values}
    phrases = {p for p in theirs - own if len(p) >= 8}
    return ids, phrases


def app_texts() -> set[str]:
    """The catalogue's own texts (the workbook's notes give "Gotlands kommun" as an
    example of how a name is written): not data, the same for every reader."""
    from dashboard.i18n import TEXTS

    return {texts["sv"] for texts in TEXTS.values()}


def offences(texts: list[tuple[str, str]], ids: set[str], phrases: set[str]) -> list[tuple]:
    found = []
    fixed = app_texts() | SHARED
    for where, whole in texts:
        for text in whole.split(" | "):  # a choice's options, one by one
            found += _offences(where, text, fixed, ids, phrases)
    return found


def _offences(where: str, text: str, fixed: set[str], ids: set[str], phrases: set[str]) -> list:
    found: list[tuple] = []
    if text.strip() in fixed:
        return found
    words = set(re.findall(r"[\w.\-@]+", text))
    found += [(where, bad, text[:300]) for bad in words & ids]
    found += [(where, bad, text[:300]) for bad in phrases if bad in text]
    return found


def docx_texts(payload: bytes) -> list[str]:
    """Every text of a Word document: paragraphs, table cells, pictures' alternative texts."""
    from docx import Document

    doc = Document(io.BytesIO(payload))
    texts = [p.text for p in doc.paragraphs]
    texts += [c.text for table in doc.tables for row in table.rows for c in row.cells]
    texts += [str(e.get("descr") or "") for e in doc.element.body.iter() if e.tag.endswith("docPr")]
    return texts


def file_texts(name: str, payload: bytes | str) -> list[tuple[str, str]]:
    """Every text of a downloaded file: cells of a workbook, members of a zip, or the text."""
    if isinstance(payload, str):
        return [(name, payload)]
    if payload[:5] == b"%PDF-":  # the annual report: its text, page by page
        import pdfplumber

        with pdfplumber.open(io.BytesIO(payload)) as pdf:
            return [(f"{name}:{i}", page.extract_text() or "") for i, page in enumerate(pdf.pages)]
    if name.endswith(".docx"):  # the annual report in Word: paragraphs, tables, alt texts
        return [(name, text) for text in docx_texts(payload)]
    if payload[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(payload)) as zf:
            if any(n.startswith("xl/") for n in zf.namelist()):
                book = openpyxl.load_workbook(io.BytesIO(payload), read_only=True)
                return [
                    (f"{name}:{ws.title}", str(v))
                    for ws in book.worksheets
                    for row in ws.iter_rows(values_only=True)
                    for v in row
                    if v is not None
                ]
            return [(f"{name}:{m}", zf.read(m).decode("utf-8-sig")) for m in zf.namelist()]
    text = payload.decode("utf-8-sig")
    if name.endswith(".csv"):  # cell by cell, as a spreadsheet shows it
        import csv
        import io as _io

        rows = csv.reader(_io.StringIO(text), delimiter=";" if ";" in text[:2000] else ",")
        return [(name, cell.lstrip("'")) for row in rows for cell in row]
    return [(name, text)]


@pytest.mark.parametrize("reader", list(READERS))
def test_a_reader_of_one_organisation_finds_nothing_of_another_anywhere(
    dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reader: str
) -> None:
    email, own_name, own_comment, secrets, link = READERS[reader]
    access = tmp_path / "access.toml"
    access.write_text(ACCESS, encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(dataset))
    monkeypatch.setenv("DASHBOARD_ACCESS_FILE", str(access))
    ids, phrases = others(dataset, reader)
    assert secrets <= phrases and not ({"gavle", "gotland"} - {reader}) - ids
    texts: list[tuple[str, str]] = []
    files: dict[str, bytes | str] = {}
    pages_seen = []
    at = AppTest.from_file(APP, default_timeout=90)
    at.secrets["auth"] = AUTH  # sign-in configured; AppTest stands in for the provider
    at.user = {"is_logged_in": True, "email": email, "email_verified": True, "name": email}
    for k, v in {"lang": "sv", **link}.items():  # in Swedish, Gotland's with a year chosen
        at.query_params[k] = v
    at.run()
    for page in PAGES:
        at.switch_page(page.path).run()
        assert not at.exception, (page.name, at.exception)
        pages_seen.append(page.name)
        runs = [None]
        if page.name == "history":  # every change this reader may see, one after another
            runs = list(at.selectbox(key="history_pick").options)
            assert runs, "the reader's own changes are listed"
        for version in runs:
            if version is not None:
                at.selectbox(key="history_pick").set_value(int(version)).run()
            open_table_tabs(at, "sv")
            assert not at.exception, (page.name, at.exception)
            failed = t("error.page", "sv")  # a page's own catch: it failed, in short
            assert failed not in [e.value for e in at.error], (page.name, version)
            texts += [(f"{page.name}:{w}", t) for w, t in page_texts(at)]
            texts += [(f"{page.name}:table:{c}", v) for c, v in table_cells(at)]
            texts += [(f"{page.name}:sidebar", str(e.value)) for e in at.sidebar.markdown]
            for key, (file_name, build) in at.session_state["_offered"].items():
                files[f"{page.name}:{key}:{file_name}"] = build()
    assert pages_seen == [p.name for p in PAGES]
    assert len(files) >= 20  # every chart's CSV, the workbooks, the History CSV
    assert any("dl-coordinator-export" in k for k in files)
    assert any(":dl-history" in k for k in files)
    # the two templates hold example rows from the shipped sample (Gotland's published
    # action plan), whatever the dataset: not the dataset's rows, the same for everyone
    from dashboard.imports import uploads
    from dashboard.outputs.template import template_xlsx

    templates = [k for k in files if "dl-coordinator-template" in k or "dl-template-" in k]
    assert len(templates) == 3
    for key in templates:
        made = files.pop(key)
        if "coordinator" in key:
            assert file_texts(key, made) == file_texts(key, uploads.coordinator_template("sv"))
        elif key.endswith(".xlsx"):
            assert file_texts(key, made) == file_texts(key, template_xlsx("sv"))
    for name, payload in files.items():
        texts += file_texts(name, payload)
    # the walk saw the reader's own data, so an empty page cannot pass for a clean one
    assert any(own_name in t for _, t in texts)
    assert any(own_comment in t for _, t in texts)
    assert offences(texts, ids, phrases) == []
