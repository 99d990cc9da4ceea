"""The history from which nothing is lost: every publish a snapshot of the lake and a
recorded change; `history`, `restore` and `migrate` on the command line, on a copy of the
sample."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.imports.ingest import ingest
from dashboard.model.contract import TABLES
from dashboard.storage import history
from dashboard.storage.dataset import read_table
from dashboard.storage.publishing import Change, publish
from tests.conftest import SAMPLE_SOURCE
from tests.helpers import read_rows


def edited_sample(tmp_path: Path) -> Path:
    """The sample with one activity's title corrected and another deleted (with its links)."""
    src = tmp_path / "edited"
    shutil.copytree(SAMPLE_SOURCE, src)
    acts = (src / "activities.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    out = []
    for line in acts:
        if line.startswith("gotland-2009-08,"):
            continue  # deleted
        if line.startswith("gotland-2009-07,"):
            line = line.replace("Hansedagar i Novgorod", "Hansedagar i Novgorod (juni)", 1)
        out.append(line)
    (src / "activities.csv").write_text("".join(out), encoding="utf-8")
    links = (src / "activity_goals.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [ln for ln in links if not ln.startswith("gotland-2009-08,")]
    (src / "activity_goals.csv").write_text("".join(kept), encoding="utf-8")
    return src


def read_all(folder: Path) -> dict:
    return {t.name: read_table(folder, t) for t in TABLES}


def test_every_import_is_a_version_with_who_what_and_which_rows(tmp_path: Path) -> None:
    out = tmp_path / "data"
    ingest(
        SAMPLE_SOURCE, out, change=Change("Anna Andersson", "import", "årets första", person=None)
    )
    ingest(
        edited_sample(tmp_path),
        out,
        change=Change("Bo Berg", "import", "rättad titel", person=None),
    )
    first, second = history.entries(out)
    assert (first.version, first.who, first.action, first.comment) == (
        1,
        "Anna Andersson",
        "import",
        "årets första",
    )
    assert first.tables["activities"]["counts"] == {"added": 98, "removed": 0, "changed": 0}
    assert set(first.orgs) == {"alvsbyn", "gavle", "gotland", "slagelse", "vkl"}
    assert (second.version, second.who, second.orgs) == (2, "Bo Berg", ("gotland",))
    acts = second.tables["activities"]
    assert (acts["before"], acts["after"]) == (98, 97)
    assert acts["changed"] == ["gotland-2009-07"]
    assert acts["removed"] == ["gotland-2009-08"]
    assert set(second.tables) == {"activities", "activity_goals"}  # nothing else changed
    # a version is a snapshot: before and after of any row are two time-travel reads
    v1 = read_rows_at(out, 1, "activities")
    v2 = read_rows_at(out, 2, "activities")
    title = {r["activity_id"]: r["title"] for r in v1}["gotland-2009-07"]
    assert title == "Hansedagar i Novgorod"
    assert {r["activity_id"]: r["title"] for r in v2}["gotland-2009-07"].endswith("(juni)")
    # the change feed of version 2 is the change itself, and nothing of the unchanged tables
    goals = next(t for t in TABLES if t.name == "goals")
    acts = next(t for t in TABLES if t.name == "activities")
    assert history.changed_rows(out, 2, goals) == {}
    feed = history.changed_rows(out, 2, acts)
    assert sorted(feed) == ["gotland-2009-07", "gotland-2009-08"]
    assert feed["gotland-2009-08"][1] is None  # deleted: no row after
    # an unchanged table got no new data file
    assert len(list((out / "files" / "main" / "goals").glob("*.parquet"))) == 1


def read_rows_at(out: Path, version: int, name: str) -> list[dict]:
    table = next(t for t in TABLES if t.name == name)
    data = read_table(out, table, version=version)
    assert data is not None
    return data.to_pylist()


def read_all_at(out: Path, version: int) -> dict:
    return {t.name: read_table(out, t, version=version) for t in TABLES}


def test_restore_brings_a_deleted_activity_back_as_a_new_version(tmp_path: Path, capsys) -> None:
    out = tmp_path / "data"
    ingest(SAMPLE_SOURCE, out)
    ingest(edited_sample(tmp_path), out)
    assert main(["restore", "1", "--data", str(out), "--who", "Cia", "--comment", "ångra"]) == 0
    assert "version 1 restored as version 3" in capsys.readouterr().out
    now, v1 = read_all(out), read_all_at(out, 1)
    assert all(now[t].equals(v1[t]) for t in now), "the dataset is version 1's again"
    last = history.entries(out)[-1]
    assert (last.version, last.action, last.who, last.restored_from) == (3, "restore", "Cia", 1)
    assert last.tables["activities"]["added"] == ["gotland-2009-08"]
    assert len(history.entries(out)) == 3  # history only grows: version 2 is still there
    assert history.kept(out, 2) and read_rows_at(out, 2, "activities")


def test_the_history_command_prints_csv_newest_first_by_organisation(
    tmp_path: Path, capsys
) -> None:
    out = tmp_path / "data"
    ingest(SAMPLE_SOURCE, out, change=Change("Anna", "import", person=None))
    ingest(edited_sample(tmp_path), out, change=Change("Bo", "import", "titel", person=None))
    assert main(["history", "--data", str(out), "--org", "gotland", "--limit", "1"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["version", "time", "who", "action", "organisations", "tables", "comment"]
    assert len(rows) == 2 and rows[1][0] == "2" and rows[1][2] == "Bo"
    assert "activities 98→97" in rows[1][5] and rows[1][6] == "titel"
    assert main(["history", "--data", str(out), "--org", "slagelse"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert [r[0] for r in rows[1:]] == ["1"]  # the edit did not touch Slagelse


def test_the_history_commands_csv_keeps_a_name_or_comment_that_looks_like_a_formula_text(
    fresh_sample, tmp_path: Path, capsys
) -> None:
    """A display name from the sign-in or a typed comment opens in a spreadsheet as the text
    it is, as in every CSV the app writes (`export.neutralise`)."""
    out = fresh_sample(tmp_path / "data")
    name, comment = '=HYPERLINK("http://evil.example","Bo")', "@SUM(1+1)*cmd|' /C calc'!A0"
    ingest(edited_sample(tmp_path), out, change=Change(name, "import", comment, person=None))
    assert main(["history", "--data", str(out), "--limit", "1"]) == 0
    row = list(csv.reader(io.StringIO(capsys.readouterr().out)))[1]
    assert (row[2], row[6]) == ("'" + name, "'" + comment)


def test_a_dataset_of_the_folder_layout_moves_into_a_lake_with_its_history(
    tmp_path: Path, capsys
) -> None:
    """`migrate` makes every kept version of a dataset written before DuckLake a snapshot
    with its author, comment and time, keeps the record of a pruned one, and leaves the
    old folder as it was (tests/fixtures/legacy: three imports by the folder layout, the
    first pruned)."""
    from tests.conftest import FIXTURES
    from tests.helpers import snapshot as _unused  # noqa: F401 - the helpers import cleanly

    old = tmp_path / "old" / "data"
    shutil.copytree(FIXTURES / "legacy" / "data", old)
    shutil.copytree(FIXTURES / "legacy" / "data.history", old.parent / "data.history")
    before = {p: p.read_bytes() for p in sorted(old.parent.rglob("*")) if p.is_file()}
    out = tmp_path / "lake"
    assert main(["migrate", str(old), "--out", str(out)]) == 0
    assert "2 version(s)" in capsys.readouterr().out
    record = history.entries(out)
    assert [(e.who, e.comment) for e in record] == [
        ("Anna Andersson", "första"), ("Bo Berg", "titel"), ("Cia Ek", "igen"),
    ]  # fmt: skip
    pruned, second, third = record
    assert not history.kept(out, pruned.version)  # its files were pruned before the move
    assert pruned.tables["activities"]["counts"]["added"] == 5  # its record is whole
    assert second.tables["activities"]["changed"] == ["a-01"]
    assert second.time < third.time and second.time.startswith("20")
    titles = {r["activity_id"]: r["title"] for r in read_rows_at(out, second.version, "activities")}
    assert titles["a-01"] == "Conference 2019"
    titles = {r["activity_id"]: r["title"] for r in read_rows(out, "activities")}
    assert titles["a-01"] == "Annual conference"
    assert {p: p.read_bytes() for p in sorted(old.parent.rglob("*")) if p.is_file()} == before
    assert main(["migrate", str(old), "--out", str(out)]) == 2  # never over a lake
    assert "already holds a dataset" in capsys.readouterr().err


def test_a_failed_publish_records_nothing(tmp_path: Path) -> None:
    out = tmp_path / "data"
    ingest(SAMPLE_SOURCE, out)

    def broken(staged: Path) -> dict[str, int]:
        (staged / "organisations.parquet").write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        publish(out, broken, "broken", Change("X", person=None))
    assert [e.version for e in history.entries(out)] == [1]
    assert not list(out.glob(".staging-*"))  # the staged files are gone too


def test_pruning_removes_files_never_the_record(tmp_path: Path, capsys) -> None:
    out = tmp_path / "data"
    ingest(SAMPLE_SOURCE, out)
    ingest(edited_sample(tmp_path), out)
    files = set((out / "files").rglob("*.parquet"))
    assert main(["history", "--data", str(out), "--prune", "1"]) == 0
    assert not history.kept(out, 1) and history.kept(out, 2)
    assert [e.version for e in history.entries(out)] == [1, 2]
    assert history.entries(out)[0].tables["activities"]["counts"]["added"] == 98
    assert set((out / "files").rglob("*.parquet")) < files  # version 1's own files are gone
    capsys.readouterr()
    assert main(["restore", "1", "--data", str(out)]) == 2
    assert "not kept" in capsys.readouterr().err


def test_the_history_page_lists_changes_and_shows_before_and_after(
    tmp_path: Path, monkeypatch
) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    out = tmp_path / "data"
    ingest(SAMPLE_SOURCE, out, change=Change("Anna", "import", person=None))
    ingest(edited_sample(tmp_path), out, change=Change("Bo", "import", "rättad titel", person=None))
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(out))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["lang"] = "sv"
    at.run()
    at.switch_page("dashboard/app/pages/history.py").run()
    assert not at.exception
    changes = at.dataframe[0].value
    assert list(changes["Version"]) == ["2", "1"] or list(changes["Version"]) == [2, 1]
    assert list(changes["Vem"]) == ["Bo", "Anna"]
    assert changes["Organisationer"].iloc[0] == "Gotlands kommun"
    assert "Aktiviteter 1 ändrad, 1 borttagen" in changes["Tabeller"].iloc[0]
    shown = [d.value for d in at.dataframe[1:]]
    titles = [t for df in shown if "Titel" in df for t in df["Titel"]]
    # the corrected activity before and after, and the deleted one as it was
    assert "Hansedagar i Novgorod" in titles and "Hansedagar i Novgorod (juni)" in titles
    assert "Internationella dagen" in titles
    statuses = {v for df in shown if "Status" in df for v in df["Status"]}
    assert statuses == {"Planerad"}  # the stored code in the reader's words
    # the ids given by name are headed by what they name, never "…-id" over a title
    headers = {c for df in shown for c in df.columns}
    assert "Aktivitet" in headers and not any(h.endswith("-id") for h in headers), headers
    # filter by person
    at.main.selectbox[0].set_value("Anna").run()
    assert list(at.dataframe[0].value["Vem"]) == ["Anna"]


def test_the_period_is_a_range_of_days_and_one_day_is_named_not_slid(
    tmp_path: Path, monkeypatch
) -> None:
    """Changes of one day: the period is that day, named in a read-only field (a range
    slider drew the same date at both ends, with nothing to slide). Changes of several
    days: a range of them, every day at first."""
    from datetime import date

    from streamlit.testing.v1 import AppTest

    from dashboard import i18n
    from tests.conftest import ROOT

    out = tmp_path / "data"
    ingest(SAMPLE_SOURCE, out, change=Change("Anna", "import", person=None))
    ingest(edited_sample(tmp_path), out, change=Change("Bo", "import", "rättad titel", person=None))
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(out))

    def page() -> AppTest:
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
        at.query_params["lang"] = "sv"
        at.run()
        at.switch_page("dashboard/app/pages/history.py").run()
        assert not at.exception, at.exception
        return at

    at = page()
    day = i18n.local_day(history.entries(out)[0].time)
    assert not at.main.select_slider  # (the sidebar's years are one)
    one = at.text_input(key="history_one_day")
    assert one.label == "Period" and one.disabled
    assert one.value == i18n.fmt_date(date.fromisoformat(day), "sv")
    # the same changes as if the first had been made on 15 January 2020 (the two imports
    # above may share their second: the first is told apart by its version, not its time)
    from dataclasses import replace

    from dashboard.app import data

    first, real = history.entries(out)[0].version, data.changes
    earlier = "2020-01-15T10:00:00+00:00"
    monkeypatch.setattr(
        data,
        "changes",
        lambda: [replace(e, time=earlier) if e.version == first else e for e in real()],
    )
    at = page()
    assert [s.label for s in at.main.select_slider] == ["Period"]
    assert at.main.select_slider[0].value == ("2020-01-15", day)
    assert len(at.dataframe[0].value) == 2


def test_the_dashboard_as_it_was_at_an_earlier_version(tmp_path: Path, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    out = tmp_path / "data"
    ingest(SAMPLE_SOURCE, out)
    ingest(edited_sample(tmp_path), out)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(out))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["lang"] = "sv"
    at.query_params["org"] = "gotland"
    at.run()

    def titles() -> list[str]:
        at.switch_page("dashboard/app/pages/activities.py").run()
        assert not at.exception
        return [t for d in at.dataframe if "Titel" in d.value for t in d.value["Titel"]]

    assert "Hansedagar i Novgorod (juni)" in titles() and "Internationella dagen" not in titles()
    at.switch_page("dashboard/app/pages/history.py").run()
    at.main.selectbox(key="history_pick").set_value(1).run()
    at.button(key="history_show").click().run()
    now = titles()
    assert "Hansedagar i Novgorod" in now and "Internationella dagen" in now  # as it was
    assert any("version 1" in w.value for w in at.sidebar.warning)
    at.button(key="as_of_back").click().run()
    assert "Internationella dagen" not in titles()


def test_the_history_finds_a_changed_row_whose_id_holds_a_slash() -> None:
    """A change's keys join the key columns with "/"; an id with a "/" of its own is
    still found, and a row that only shares the first part of such an id is not."""
    import pyarrow as pa

    from dashboard.storage.history import matching as _matching

    links = pa.table(
        {
            "activity_id": ["a/1", "a/1", "a", "b"],
            "goal_id": ["g1", "g2", "1/g1", "g1"],
        }
    )
    found = _matching(links, ("activity_id", "goal_id"), ("a/1/g2", "b/g1"))
    assert sorted(zip(found["activity_id"], found["goal_id"], strict=True)) == [
        ("a/1", "g2"),
        ("b", "g1"),
    ]
    one = _matching(pa.table({"goal_id": ["x/y", "x"]}), ("goal_id",), ("x/y",))
    assert one["goal_id"].tolist() == ["x/y"]


def test_the_history_page_says_so_when_no_change_concerns_the_chosen_organisation(
    sample_dir: Path, monkeypatch
) -> None:
    """Every kept change is of another organisation: the page says so in Swedish (it had
    no period to offer and failed)."""
    from streamlit.testing.v1 import AppTest

    from dashboard.storage.history import Entry
    from tests.conftest import ROOT

    only_vkl = [Entry(1, "2026-11-30T10:00:00", "anna@vkl.se", "save", ("vkl",), {})]
    monkeypatch.setattr("dashboard.storage.history.entries", lambda folder: only_vkl)
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(sample_dir))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["lang"] = "sv"
    at.query_params["org"] = "gotland"
    at.run()
    at.switch_page("dashboard/app/pages/history.py").run()
    assert not at.exception and not at.error
    assert [i.value for i in at.info] == ["Ingen ändring rör de valda organisationerna."]


def test_a_change_of_several_organisations_shows_the_rows_of_those_chosen(
    tmp_path: Path, monkeypatch
) -> None:
    """An import that corrected one activity of Gotland and one of Gävle, read on the
    History page with Gotland chosen: Gotland's row only, and a caption saying the change
    concerned others too; with no organisation chosen, both rows and no caption."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    out = tmp_path / "data"
    ingest(SAMPLE_SOURCE, out)
    src = tmp_path / "two"
    shutil.copytree(SAMPLE_SOURCE, src)
    acts = (src / "activities.csv").read_text(encoding="utf-8")
    acts = acts.replace("Hansedagar i Novgorod", "Hansedagar i Novgorod (juni)", 1)
    acts = acts.replace("Årlig sammanställning av", "Årlig sammanställning (rättad) av", 1)
    (src / "activities.csv").write_text(acts, encoding="utf-8")
    ingest(src, out)
    assert set(history.entries(out)[-1].orgs) == {"gotland", "gavle"}
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(out))

    def shown(org: str | None) -> tuple[list[str], list[str]]:
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
        at.query_params["lang"] = "sv"
        if org:
            at.query_params["org"] = org
        at.run()
        at.switch_page("dashboard/app/pages/history.py").run()
        assert not at.exception
        titles = [t for d in at.dataframe[1:] if "Titel" in d.value for t in d.value["Titel"]]
        return titles, [c.value for c in at.caption if c.value.startswith("Raderna visas")]

    titles, said = shown("gotland")
    assert "Hansedagar i Novgorod (juni)" in titles
    assert not any(t.startswith("Årlig sammanställning") for t in titles), titles
    assert said == [
        "Raderna visas för de valda organisationerna (Gotlands kommun); ändringen rörde även "
        "andra, och antalen gäller hela ändringen."
    ]
    titles, said = shown(None)
    assert "Hansedagar i Novgorod (juni)" in titles and said == []
    assert any(t.startswith("Årlig sammanställning (rättad)") for t in titles), titles


def test_a_large_change_is_recorded_alike_in_sql(tmp_path: Path, monkeypatch) -> None:
    """Past ITEMISED_IN_PYTHON rows a change's record is worked out by DuckDB: the same
    record (keys, counts, whose rows) as the one worked out row by row."""
    from dashboard.storage import publishing

    records = []
    for limit in (10**9, 0):
        monkeypatch.setattr(publishing, "ITEMISED_IN_PYTHON", limit)
        out = tmp_path / f"data-{limit}"
        ingest(SAMPLE_SOURCE, out)
        ingest(edited_sample(tmp_path / str(limit)), out)
        records.append([(e.orgs, e.tables) for e in history.entries(out)])
    assert records[0] == records[1]


# ---------------------------------------------------------------- what a write knows already


def _true_counts(out: Path) -> dict[str, int]:
    from dashboard.storage.engine import engine_for
    from dashboard.storage.location import lake_at

    eng = engine_for(lake_at(out))
    return {t.name: int(eng.rows(f"select count(*) from lake.{t.name}")[0][0]) for t in TABLES}


def _save_one(out: Path, title_suffix: str, add: bool = False) -> None:
    from dashboard.imports import editing
    from dashboard.model.access import Grant, Person

    ada = Person("Ada", "ada@region.se", (Grant("*", "admin"),), True)
    rows = editing.load(out, "gotland", 2009, "sv")
    edited = [dict(r) for r in rows]
    edited[0]["activity_title"] = f"{edited[0]['activity_title']} {title_suffix}"
    if add:
        edited.append({"activity_title": "Ny aktivitet", "goals": "1", "source": "test"})
    editing.save(out, "gotland", 2009, "sv", rows, edited, ada, title_suffix)


def test_each_commit_records_the_true_rows_whether_or_not_its_base_recorded_them(
    fresh_sample, tmp_path: Path
) -> None:
    """A write starts from the rows its base snapshot's commit recorded and follows DuckDB's
    counts of each delete and insert; where the base was made otherwise (here a change by
    hand, with no record) it counts. Either way the new record is the lake's true count."""
    from dashboard.storage.dataset import read_manifest, recorded_rows, stamp
    from dashboard.storage.engine import forget, writer_for
    from dashboard.storage.location import lake_at

    out = fresh_sample(tmp_path / "data")
    _save_one(out, "(1)", add=True)  # from a recorded base
    assert read_manifest(out)["rows"] == _true_counts(out)
    assert recorded_rows(out, stamp(out)) == _true_counts(out)
    # commits without a record: one activity and its goal links removed by hand
    w = writer_for(lake_at(out))
    w.execute("delete from lake.activity_goals where activity_id = 'gotland-2010-01'")
    w.execute("delete from lake.activities where activity_id = 'gotland-2010-01'")
    forget(lake_at(out))
    assert recorded_rows(out, stamp(out)) is None
    _save_one(out, "(2)")  # from a base without a record: counted
    assert recorded_rows(out, stamp(out)) == _true_counts(out)
    assert read_manifest(out)["rows"]["activities"] == _true_counts(out)["activities"]


def test_a_snapshot_reads_the_same_from_memory_as_through_the_lake(
    fresh_sample, tmp_path: Path
) -> None:
    """Once a page has made a snapshot ready, `read_table` reads it from the process's
    memory: every table, whole, by organisation and by columns, gives what the lake gives;
    a yearly round's table the lake lacks stays absent (None), not an empty table."""
    from dashboard.model.contract import ROUND_TABLES, SUMMARIES
    from dashboard.storage import dataset
    from dashboard.storage.dataset import stamp
    from dashboard.storage.engine import Database, engine_for
    from dashboard.storage.location import lake_at
    from tests.helpers import drop_lake_table

    out = fresh_sample(tmp_path / "data")
    drop_lake_table(out, "round_events")
    v = stamp(out)
    asks = [
        (t, cols, orgs)
        for t in (*TABLES, *SUMMARIES, *ROUND_TABLES)
        for cols, orgs in ((None, None), (None, ("gotland",)), ([t.columns[-1].name], None))
    ]

    def read_all() -> list:
        dataset._READS.clear()  # what was read before would be given again
        return [dataset.read_table(out, t, columns=c, orgs=o, version=v) for t, c, o in asks]

    through_lake = read_all()
    eng = engine_for(lake_at(out))
    Database(out)  # a page's read: the snapshot is now in memory
    with eng.in_memory(v, "activities") as held:
        assert held is not None
    with eng.in_memory(v, "round_events") as held:
        assert held is None
    from_memory = read_all()
    assert [a[0].name for a in asks if through_lake[asks.index(a)] is None] == ["round_events"] * 3
    for (t, c, o), lake_read, memory_read in zip(asks, through_lake, from_memory, strict=True):
        assert (lake_read is None) == (memory_read is None), t.name
        if lake_read is not None:
            assert memory_read is not None and memory_read.equals(lake_read), (t.name, c, o)
            assert lake_read.num_rows or t.name.startswith("round") or o, t.name


SAVES = """
import sys
from pathlib import Path
from dashboard.imports import editing
from dashboard.model.access import Grant, Person
admin = Person("Ada", "ada@x.se", (Grant("*", "admin"),), True)
for title in sys.argv[2:]:
    rows = editing.load(Path(sys.argv[1]), "gotland", 2011, "sv")
    edited = [dict(r) for r in rows]
    edited[0]["activity_title"] = title
    editing.save(Path(sys.argv[1]), "gotland", 2011, "sv", rows, edited, admin, "backup test")
"""


@pytest.mark.parametrize("later", [["D"], ["D", "E"]], ids=["one-save", "two-saves"])
def test_a_backup_put_back_while_the_app_runs_is_read_as_it_is_not_as_kept(
    fresh_sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, later: list[str]
) -> None:
    """A backup of the catalog restored in place (SQLite's own backup API, as
    `sqlite3 catalog.sqlite ".restore backup"` does; the file keeps its inode) while this
    process runs: another machine's saves then get the snapshot ids this process has kept
    reads of (B's, C's). What it reads, through the storage and on a page, is the restored
    history's (D, E), never what it kept of the old one."""
    import sqlite3
    import subprocess
    import sys

    from streamlit.testing.v1 import AppTest

    from dashboard.storage import stamp
    from dashboard.storage.engine import Database
    from tests.conftest import ROOT

    out = fresh_sample(tmp_path / "data")
    catalog = out / "catalog.sqlite"

    def saved(*titles: str) -> None:  # by another process, as another machine would
        subprocess.run([sys.executable, "-c", SAVES, str(out), *titles], check=True, cwd=ROOT)

    def copy(src: Path, dest: Path) -> None:
        a, b = sqlite3.connect(src), sqlite3.connect(dest)
        a.backup(b)
        a.close()
        b.close()

    def titles() -> set[str]:
        acts = read_table(out, TABLES[6], orgs=["gotland"]).column("title").to_pylist()
        rows = Database(out, snapshot=stamp(out)).df("organisations")  # a page's connection
        assert len(rows)
        return {t for t in acts if t in "ABCDE"}

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(out))
    page = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    page.query_params["lang"] = "sv"
    page.query_params["org"] = "gotland"
    page.query_params["from"] = "2011"
    page.query_params["to"] = "2011"
    page.run()
    page.switch_page("dashboard/app/pages/activities.py").run()

    def on_page() -> set[str]:
        page.run()
        assert not page.exception, page.exception
        shown = {str(v) for df in page.dataframe for v in df.value.astype(str).stack()}
        return {t for t in "ABCDE" if t in shown}

    saved("A")
    copy(catalog, tmp_path / "backup.sqlite")
    for title in ("B", "C"):  # B's and C's snapshots read and kept
        saved(title)
        assert (titles(), on_page()) == ({title}, {title})
    copy(tmp_path / "backup.sqlite", catalog)
    saved(*later)
    assert (titles(), on_page()) == ({later[-1]}, {later[-1]})
