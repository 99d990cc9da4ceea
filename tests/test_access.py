"""Only what is yours (issue #20): one gate for every read, the record attributes every
change to the organisations whose rows it touched, undo without undoing others, restore
an administrator's and decided under the lock, and a change and its record published
together even when the process is killed at any step."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dashboard.imports import editing, undo
from dashboard.imports.ingest import ingest
from dashboard.model.access import Grant, Person, Policy, Scope, ScopeMissing, person
from dashboard.storage import history
from dashboard.storage.publishing import STEPS, Change
from tests.conftest import ROOT, SAMPLE_SOURCE
from tests.helpers import read_rows

GUSTAV = Person("Gustav", "gustav@gotland.se", (Grant("gotland", "coordinator"),), False)
GAVLE = Person("Greta", "greta@gavle.se", (Grant("gavle", "coordinator"),), False)
ANNA = Person("Anna", "anna@gavle.se", (Grant("gavle", "reporter"),), False)
ADMIN = Person("Ada", "ada@region.se", (Grant("*", "admin"),), True)
GOTLAND_VALUE = "gotland-ill-international-meetings"  # its 2009 actual is 18


@pytest.fixture
def out(tmp_path: Path, fresh_sample) -> Path:
    return fresh_sample(tmp_path / "data", who="import")


def actual(out: Path, indicator: str, year: int) -> float | None:
    rows = read_rows(out, "indicator_values")
    return next(r["actual"] for r in rows if (r["indicator_id"], r["year"]) == (indicator, year))


def set_actual(
    out: Path, who: Person, org: str, year: int, value: float, comment: str = ""
) -> None:
    base = editing.load(out, org, year, "sv", "indicator_values")
    edited = [dict(r, actual=value) if i == 0 else dict(r) for i, r in enumerate(base)]
    editing.save(out, org, year, "sv", base, edited, who, comment, part="indicator_values")


def retitle(out: Path, who: Person, org: str, year: int, title: str) -> str:
    base = editing.load(out, org, year, "sv")
    edited = [dict(r, activity_title=title) if i == 0 else dict(r) for i, r in enumerate(base)]
    editing.save(out, org, year, "sv", base, edited, who)
    return str(base[0][editing.ID])


# ---------------------------------------------------------------- one gate


def test_a_read_without_the_readers_scope_fails_loudly(out: Path) -> None:
    """Forgetting the scope is an error, never "everything"."""
    from dashboard.app import data
    from dashboard.imports import uploads, workbook
    from dashboard.model.filters import Filters

    with pytest.raises(ScopeMissing):
        data.scoped(Filters(), None)  # type: ignore[arg-type]
    with pytest.raises(ScopeMissing):
        data.scope()  # outside a script run: nobody's
    with pytest.raises(ScopeMissing):
        workbook.dataset_rows(out, None)  # type: ignore[arg-type]
    with pytest.raises(ScopeMissing):
        uploads.check_upload("x.csv", b"a;b\n", out, None)  # type: ignore[arg-type]
    with pytest.raises(ScopeMissing):
        history.entries(out)[0].seen_by(None)  # type: ignore[arg-type]
    from dashboard.model.view import View

    with pytest.raises(ScopeMissing):
        _ = View("sv", Filters()).reader


def test_every_query_can_be_narrowed_to_a_readers_organisations() -> None:
    """The gate refuses, for a limited reader, a query that neither takes `$org` nor names
    its rows' `org_id`: every query of queries/ is one of the two."""
    from dashboard.app import data

    names = sorted(p.stem for p in (ROOT / "queries").glob("*.sql"))
    assert len(names) > 25
    assert [n for n in names if not data.narrowable(n)] == []


def test_the_workbook_export_and_the_row_counts_hold_only_the_readers_organisations(
    out: Path,
) -> None:
    from dashboard.imports.workbook import dataset_rows
    from dashboard.model.filters import Filters
    from dashboard.sql.queries import params_for
    from dashboard.storage.engine import Database

    rows = dataset_rows(out, Scope.only(["gavle"]))  # "all organisations" chosen
    assert {r["org_id"] for r in rows["organisations"]} == {"gavle"}
    assert {r["org_id"] for r in rows["activities"]} == {"gavle"}
    assert rows["project_goals"] and all(
        p.startswith("gavle") for p in (r["project_id"] for r in rows["project_goals"])
    )
    assert dataset_rows(out, Scope.only(["gavle"]), ["gotland"])["activities"] == []
    db = Database(out)
    every = db.df("data_tables", params_for("data_tables", Filters()))
    gavle = db.df("data_tables", params_for("data_tables", Filters(("gavle",))))
    counts = dict(zip(gavle["table_name"], gavle["row_count"], strict=True))
    assert counts["organisations"] == 1
    assert counts["activities"] == sum(
        1 for r in read_rows(out, "activities") if r["org_id"] == "gavle"
    )
    assert int(every["row_count"].sum()) > int(gavle["row_count"].sum())


def test_the_upload_check_suggests_only_names_the_uploader_may_read(out: Path) -> None:
    """Gävle's workbook whose activities name an organisation misspelt: a Gävle reader is
    answered with the closest of the organisations they may read, never another's name;
    the administrator, who reads every organisation, with the closest of all."""
    import io

    import openpyxl

    from dashboard.imports import uploads
    from dashboard.imports.workbook import dataset_rows
    from dashboard.outputs.workbook import workbook_bytes

    book = workbook_bytes(dataset_rows(out, Scope.everything(), ["gavle"]), "sv")
    wb = openpyxl.load_workbook(io.BytesIO(book))
    sheet = next(ws for ws in wb.worksheets if ws.title == "Aktiviteter")
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == "Gävle kommun":
                cell.value = "Gotlnds kommun"
    buf = io.BytesIO()
    wb.save(buf)
    mine = uploads.check_upload("bok.xlsx", buf.getvalue(), out, Scope.only(["gavle"]))
    text = " ".join(p.text("sv") for p in mine.problems)
    assert mine.problems and "närmast: Gävle kommun" in text
    assert "Gotlands kommun" not in text and "Älvsbyn" not in text
    admin = uploads.check_upload("bok.xlsx", buf.getvalue(), out, Scope.everything())
    assert "Gotlands kommun" in " ".join(p.text("sv") for p in admin.problems)


def test_an_unverified_email_matches_no_grant() -> None:
    policy = Policy("own", (Grant("gavle", "coordinator", email="anna@gavle.se"),))
    claims = {"email": "anna@gavle.se", "name": "Anna"}
    assert person(policy, {**claims, "email_verified": True}).grants
    assert person(policy, {**claims, "email_verified": "true"}).grants
    assert not person(policy, {**claims, "email_verified": False}).grants
    assert not person(policy, claims).grants  # not said: not verified
    entra = Policy("own", policy.grants, verified_claim="xms_edov")
    assert person(entra, {**claims, "xms_edov": True}).grants
    assert not person(entra, {**claims, "email_verified": True}).grants


def test_the_access_file_names_the_verifying_claim(tmp_path: Path) -> None:
    from dashboard.model.access import load

    path = tmp_path / "access.toml"
    path.write_text('read = "own"\nverified_claim = "xms_edov"\n', encoding="utf-8")
    assert load(path).verified_claim == "xms_edov"
    path.write_text('read = "own"\n', encoding="utf-8")
    assert load(path).verified_claim == "email_verified"


# ---------------------------------------------------------------- the record, attributed


def test_every_table_of_a_change_is_attributed_to_its_organisations(out: Path) -> None:
    """Indicator values (no org_id column) through their indicator; a reader of Gävle
    sees nothing of Gotland's change, and only Gävle's part of a change of both."""
    set_actual(out, GUSTAV, "gotland", 2009, 99, "Gotlands hemliga kommentar")
    change = history.entries(out)[-1]
    values = change.tables["indicator_values"]
    assert set(values["by_org"]) == {"gotland"}  # type: ignore[arg-type]
    assert change.orgs == ("gotland",)
    assert change.seen_by(Scope.only(["gavle"])) is None
    assert change.seen_by(Scope.only(["gotland"])) == change or change.seen_by(
        Scope.only(["gotland"])
    ).tables["indicator_values"]["changed"] == [f"{GOTLAND_VALUE}/2009"]  # type: ignore[union-attr]
    # the first import touched every organisation: Gävle sees its own part only
    first = history.entries(out)[0].seen_by(Scope.only(["gavle"]))
    assert first is not None and first.orgs == ("gavle",)
    added = first.tables["activities"]["added"]
    assert added and all(str(k).startswith("gavle") for k in added)  # type: ignore[union-attr]
    assert all(
        not str(k).startswith("gotland")
        for t in first.tables.values()
        for kind in ("added", "removed", "changed")
        for k in t.get(kind, [])  # type: ignore[union-attr]
    )
    assert "gotland" not in history.seen(out, Scope.only(["gavle"]))[-1].orgs


def test_a_network_change_belongs_to_the_organisations_that_use_it(out: Path) -> None:
    base = editing.load(out, "gotland", 0, "sv", "networks")
    used = history.Owners.of_versions(out, None).network_users()
    own = next(r for r in base if used.get(str(r[editing.ID])) == {"gotland"})
    edited = [dict(r, acronym="ÄNDRAD") if r is own else dict(r) for r in base]
    editing.save(out, "gotland", 0, "sv", base, edited, ADMIN, part="networks")
    nets = history.entries(out)[-1].tables["networks"]
    assert set(nets["by_org"]) == {"gotland"}  # type: ignore[arg-type]


# ---------------------------------------------------------------- undo and restore


def test_a_coordinator_of_one_organisation_cannot_restore_a_version(out: Path) -> None:
    """Restoring version 1 would revert Gotland's value: a Gävle coordinator may not, and
    no coordinator restores a whole version (an administrator does)."""
    set_actual(out, GUSTAV, "gotland", 2009, 99)
    for who in (GAVLE, GUSTAV):
        with pytest.raises(undo.NotAllowed):
            undo.restore(out, 1, who, history.last_version(out))
    assert actual(out, GOTLAND_VALUE, 2009) == 99
    undo.restore(out, 1, ADMIN, history.last_version(out), "tillbaka")
    assert actual(out, GOTLAND_VALUE, 2009) == 18


def test_an_undo_of_a_wrong_value_keeps_the_others_later_saves(out: Path) -> None:
    set_actual(out, GUSTAV, "gotland", 2009, 99, "fel")  # version 2: a typo
    wrong = history.last_version(out)
    gavle_id = retitle(out, GAVLE, "gavle", 2012, "Gävles nya titel")  # version 3: Gävle saves
    with pytest.raises(undo.NotAllowed):  # Gävle's coordinator may not undo Gotland's change
        undo.undo(out, wrong, GAVLE)
    new = undo.undo(out, wrong, GUSTAV, "skrev fel")
    assert actual(out, GOTLAND_VALUE, 2009) == 18
    titles = {r["activity_id"]: r["title"] for r in read_rows(out, "activities")}
    assert titles[gavle_id] == "Gävles nya titel"  # the other organisation's save stays
    last = history.entries(out)[-1]
    assert (last.version, last.action, last.undoes, last.who) == (
        new,
        "undo",
        wrong,
        "Gustav <gustav@gotland.se>",  # recorded as a name and an address
    )
    assert set(last.tables) == {"indicator_values"} and last.orgs == ("gotland",)


def test_an_undo_is_refused_where_a_later_change_touched_the_same_rows(out: Path) -> None:
    set_actual(out, GUSTAV, "gotland", 2009, 99)
    first = history.last_version(out)
    set_actual(out, GUSTAV, "gotland", 2009, 100)  # the same row again, later
    before = len(history.entries(out))
    with pytest.raises(undo.UndoConflict) as info:
        undo.undo(out, first, GUSTAV)
    (table, key, row), *rest = info.value.rows
    assert not rest and (table, key) == ("indicator_values", f"{GOTLAND_VALUE}/2009")
    assert row is not None and row["actual"] == 100
    assert len(history.entries(out)) == before and actual(out, GOTLAND_VALUE, 2009) == 100
    undo.undo(out, history.last_version(out), GUSTAV)  # the newest undoes cleanly
    assert actual(out, GOTLAND_VALUE, 2009) == 99


def test_a_refused_undo_shows_the_rows_in_the_way_by_name_on_the_history_page(
    out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The History page's refusal lists the rows a later change touched as they are now,
    with names for ids as the page shows a version's rows: the indicator, not its id."""
    from streamlit.testing.v1 import AppTest

    from tests.helpers import AUTH

    set_actual(out, GUSTAV, "gotland", 2009, 99)
    first = history.last_version(out)
    set_actual(out, GUSTAV, "gotland", 2009, 100)
    access = tmp_path / "access.toml"
    access.write_text(
        '[[grant]]\nemail = "gustav@gotland.se"\norg = "gotland"\nrole = "coordinator"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(out))
    monkeypatch.setenv("DASHBOARD_ACCESS_FILE", str(access))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "gustav@gotland.se", "email_verified": True}
    at.query_params["lang"] = "sv"
    at.run()
    at.switch_page("dashboard/app/pages/history.py").run()
    box = next(s for s in at.selectbox if s.label == "Visa vad en version ändrade")
    box.set_value(first).run()
    next(b for b in at.button if b.label == f"Ångra ändringen i version {first}").click().run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("Inte ångrad: senare ändringar rör 1 av samma rader")
    shown = at.dataframe[-1].value
    cells = set(shown.astype(str).stack())
    name = next(
        r["name"] for r in read_rows(out, "indicators") if r["indicator_id"] == GOTLAND_VALUE
    )
    assert name in cells and GOTLAND_VALUE not in cells, cells
    assert actual(out, GOTLAND_VALUE, 2009) == 100


def test_an_undo_of_an_added_activity_removes_it_and_its_goal_links(out: Path) -> None:
    base = editing.load(out, "gotland", 2009, "sv")
    new = dict(base[0], **{editing.ID: None, "activity_title": "Ny aktivitet", "goals": "1"})
    editing.save(out, "gotland", 2009, "sv", base, [*map(dict, base), new], GUSTAV)
    added = history.entries(out)[-1]
    assert added.tables["activities"]["counts"]["added"] == 1  # type: ignore[index]
    undo.undo(out, added.version, GUSTAV)
    assert "Ny aktivitet" not in {r["title"] for r in read_rows(out, "activities")}
    assert len(read_rows(out, "activity_goals")) == len(read_rows(out, "activity_goals", version=1))


def _paused_save(out: Path, entered: threading.Event, go_on: threading.Event) -> threading.Thread:
    """Gotland's save of its 2009 value, paused inside the dataset's lock."""
    base = editing.load(out, "gotland", 2009, "sv", "indicator_values")
    edited = [dict(r, actual=55) if i == 0 else dict(r) for i, r in enumerate(base)]

    calls: list[int] = []

    def slow_load(*args, **kwargs):
        # the save reads the rows to put its edit on, and its guard reads them again under
        # the lock, where it pauses
        calls.append(1)
        if len(calls) == 2:  # read for the rebase, then under the lock
            entered.set()
            go_on.wait(10)
        return real_load(*args, **kwargs)

    real_load = editing.load

    def run() -> None:
        editing.load = slow_load  # type: ignore[assignment]
        try:
            editing.save(out, "gotland", 2009, "sv", base, edited, GUSTAV, part="indicator_values")
        finally:
            editing.load = real_load  # type: ignore[assignment]

    return threading.Thread(target=run)


def test_a_restore_racing_another_organisations_save_leaves_the_save_in_place(out: Path) -> None:
    """The administrator looked at version N; Gotland's save lands (paused inside the lock
    while the restore waits for it); the restore, decided under the lock, is refused."""
    retitle(out, GAVLE, "gavle", 2012, "En ändring att ta tillbaka")
    seen = history.last_version(out)
    entered, go_on = threading.Event(), threading.Event()
    save = _paused_save(out, entered, go_on)
    save.start()
    assert entered.wait(10)
    result: list[object] = []

    def restore() -> None:
        try:
            result.append(undo.restore(out, 1, ADMIN, seen))
        except Exception as exc:
            result.append(exc)

    racer = threading.Thread(target=restore)
    racer.start()
    time.sleep(0.3)
    assert racer.is_alive()  # waiting for the lock the save holds
    go_on.set()
    save.join(10)
    racer.join(20)
    assert isinstance(result[0], undo.Stale)
    assert actual(out, GOTLAND_VALUE, 2009) == 55  # the save stayed


def test_an_undo_racing_another_organisations_save_keeps_both(out: Path) -> None:
    gavle_id = retitle(out, GAVLE, "gavle", 2012, "Gävles fel")
    wrong = history.last_version(out)
    entered, go_on = threading.Event(), threading.Event()
    save = _paused_save(out, entered, go_on)
    save.start()
    assert entered.wait(10)
    result: list[object] = []
    racer = threading.Thread(target=lambda: result.append(undo.undo(out, wrong, GAVLE)))
    racer.start()
    time.sleep(0.3)
    go_on.set()
    save.join(10)
    racer.join(20)
    assert isinstance(result[0], int)
    assert actual(out, GOTLAND_VALUE, 2009) == 55
    titles = {r["activity_id"]: r["title"] for r in read_rows(out, "activities")}
    assert titles[gavle_id] != "Gävles fel"


def test_the_command_line_undoes_a_change(out: Path, capsys) -> None:
    from dashboard.cli import main

    set_actual(out, GUSTAV, "gotland", 2009, 99)
    v = history.last_version(out)
    assert main(["undo", str(v), "--data", str(out), "--who", "it@region.se"]) == 0
    assert f"version {v} undone" in capsys.readouterr().out
    assert actual(out, GOTLAND_VALUE, 2009) == 18
    assert main(["undo", "1", "--data", str(out)]) == 2  # nothing before the first


# ---------------------------------------------------------------- killed at every step

KILLER = """
import sys
from pathlib import Path
from dashboard.imports.ingest import ingest
from dashboard.storage.publishing import Change
ingest(Path(sys.argv[1]), Path(sys.argv[2]), change=Change("kim", "import", "killed", person=None))
"""


def killed_import(tmp_path: Path, out: Path, step: str) -> None:
    """Import the edited sample into *out* in a child process killed at *step*."""
    from tests.test_history import edited_sample

    proc = subprocess.run(
        [sys.executable, "-c", KILLER, str(edited_sample(tmp_path)), str(out)],
        env={**os.environ, "DASHBOARD_FAILPOINT": step},
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]  # SIGKILL, nothing cleaned


@pytest.mark.parametrize("step", STEPS)
def test_a_kill_at_any_step_publishes_the_change_and_its_record_together(
    tmp_path: Path, step: str
) -> None:
    out = tmp_path / "data"
    ingest(SAMPLE_SOURCE, out, change=Change("import", "import", person=None))
    titles_before = {r["title"] for r in read_rows(out, "activities")}
    killed_import(tmp_path, out, step)
    changed = {r["title"] for r in read_rows(out, "activities")} != titles_before
    recorded = [e.version for e in history.entries(out)]
    assert changed == (2 in recorded), (step, changed, recorded)  # both or neither
    assert changed == (step == "committed")
    live = history.last_version(out)
    assert live == (2 if changed else 1)
    history.prune(out, 1)  # never the newest version
    assert history.kept(out, live)
    # the next publish goes on from there, and the record holds every change once
    ingest(SAMPLE_SOURCE, out, change=Change("import", "import", "again", person=None))
    versions = [e.version for e in history.entries(out)]
    assert versions == sorted(set(versions)) and live in versions
    assert not list(out.glob(".staging-*"))


def test_a_publish_killed_inside_its_transaction_leaves_no_snapshot(tmp_path: Path) -> None:
    out = tmp_path / "data"
    ingest(SAMPLE_SOURCE, out)
    files = set((out / "files").rglob("*.parquet"))
    killed_import(tmp_path, out, "applied")
    assert [e.version for e in history.entries(out)] == [1]
    assert history.prune(out, 1) == [] and history.kept(out, 1)
    assert {r["title"] for r in read_rows(out, "activities")} >= {"Hansedagar i Novgorod"}
    assert set((out / "files").rglob("*.parquet")) >= files  # nothing of version 1 went


# ---------------------------------------------------------------- nothing reads past the gate

STORAGE = {
    "dashboard.storage.engine",
    "dashboard.storage.dataset",
    "dashboard.storage.history",
    "dashboard.storage.location",
    "dashboard.storage.publishing",
    "dashboard.imports.partial",
    "dashboard.imports.workbook",
}


def test_no_page_reads_the_dataset_past_the_gate() -> None:
    """A page module imports none of the modules that read the dataset's files (also not
    inside a function): its reads go through `dashboard.app.data`, which takes the scope."""
    import ast

    from dashboard.app.pages import PAGES

    found = []
    for page in PAGES:
        tree = ast.parse((ROOT / page.path).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            found += [(page.name, n) for n in names if n in STORAGE]
    assert found == []


def test_narrowing_an_empty_result_keeps_its_columns() -> None:
    """A limited reader's query with no rows (a goal no project serves) is still a table
    with its columns: the Goals page failed on it for a reader of Gotland."""
    import pandas as pd

    from dashboard.app.data import _only_readable

    empty = pd.DataFrame({"org_id": pd.Series([], dtype=object), "title": []})
    assert list(_only_readable(empty, Scope.only(["gotland"])).columns) == ["org_id", "title"]
    rows = pd.DataFrame({"org_id": ["gotland", "gavle"], "title": ["a", "b"]})
    assert _only_readable(rows, Scope.only(["gotland"]))["title"].tolist() == ["a"]


def test_a_change_records_a_name_and_an_address_and_shows_the_name() -> None:
    """`Person.author` is what a change records: the name to show and the address that
    identifies the person; a record written before names were kept (the address alone) is
    still theirs (`wrote`: the undo of one's own change), and brackets or line breaks in a
    provider's name cannot make the record read as someone else's address."""
    from dashboard.model.access import author_email, author_key, author_name

    assert GUSTAV.author == "Gustav <gustav@gotland.se>"
    odd = Person("Eve <mallory@evil.se>\n", "eve@gotland.se", (), False)
    assert odd.author == "Eve mallory@evil.se <eve@gotland.se>"
    assert author_email(odd.author) == "eve@gotland.se"
    assert author_name(odd.author) == "Eve mallory@evil.se"
    assert Person("", "ada@region.se", (), False).author == "ada@region.se"
    assert Person("IT", "", (), False).author == "IT"  # the command line's --who
    for who in ("Gustav <gustav@gotland.se>", "gustav@gotland.se", "GUSTAV@gotland.se"):
        assert GUSTAV.wrote(who), who
        assert author_key(who) == "gustav@gotland.se"
    assert not GUSTAV.wrote("Gustav <gustav@gavle.se>")
    assert not GUSTAV.wrote("Gustav")  # a name alone is nobody's proof
    assert (author_name("gustav@gotland.se"), author_name("IT"), author_email("IT")) == (
        "gustav@gotland.se",
        "IT",
        "",
    )
