"""The query layer: loading by name, parameter checks, lock-down and concurrency."""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest

from dashboard.sql.queries import QueryError, load_query, parse_query, query_names
from dashboard.storage.engine import (
    Database,
    DatasetError,
    Writer,
    lake_at,
)
from tests.helpers import commands_at_once, drop_lake_table, table_file


def test_every_query_file_has_a_valid_header() -> None:
    names = query_names()
    assert {
        "goal_coverage",
        "activity_goals",
        "activities",
        "network_summary",
        "project_portfolio",
        "indicator_status",
    } <= set(names)
    for name in names:
        q = load_query(name)
        assert q.columns, name
        assert q.doc, name


def test_declared_parameters_must_match_used_ones() -> None:
    with pytest.raises(QueryError, match=r"declares \['org'\] but uses \['org', 'year'\]"):
        parse_query("x", "-- params: org\n-- columns: a\nselect $org, $year as a")
    with pytest.raises(QueryError, match="no '-- params:'"):
        parse_query("x", "select 1")


def test_unknown_query_and_bad_parameters(mini_db: Database) -> None:
    with pytest.raises(QueryError, match="unknown query 'nope'; known: activities"):
        mini_db.df("nope", {})
    with pytest.raises(QueryError, match="unknown query"):
        load_query("../etc/passwd")
    with pytest.raises(QueryError, match="needs parameter\\(s\\) year_from, year_to, goal"):
        mini_db.df("goal_coverage", {"org": None})
    with pytest.raises(QueryError, match="does not declare parameter\\(s\\) colour"):
        mini_db.df(
            "goal_coverage",
            {"org": None, "year_from": None, "year_to": None, "goal": None, "colour": 1},
        )


def test_parameters_are_bound_not_spliced(mini_db: Database) -> None:
    evil = "a') or 1=1 --"
    df = mini_db.df(
        "goal_coverage", {"org": [evil], "year_from": None, "year_to": None, "goal": None}
    )
    assert df.empty


def test_connection_is_locked_down(mini_db: Database) -> None:
    with mini_db.cursor() as cur:
        with pytest.raises(duckdb.Error, match="[Pp]ermission|disabled"):
            cur.execute("select * from read_csv('/etc/passwd')").fetchall()
        with pytest.raises(duckdb.Error, match="locked"):
            cur.execute("set enable_external_access = true")
        threads = int(os.environ.get("DASHBOARD_DUCKDB_THREADS", "2"))  # the suite's: 1
        assert cur.execute("select current_setting('threads')").fetchone()[0] == threads
        limit = cur.execute("select current_setting('memory_limit')").fetchone()[0]
        assert limit.endswith(("GB", "GiB", "MiB", "MB"))


def test_a_copy_of_a_dataset_leaves_its_readers_open(
    mini_db: Database, mini_dir: Path, tmp_path: Path
) -> None:
    """`conftest.copy_lake` of a session's dataset: the session's reader of it still reads,
    and the copy reads the same."""
    from tests.conftest import copy_lake

    query = {"org": None, "year_from": None, "year_to": None, "goal": None}
    before = mini_db.df("goal_coverage", query)
    copy = Database(copy_lake(mini_dir, tmp_path / "copy"))
    assert mini_db.df("goal_coverage", query).equals(before)
    assert copy.df("goal_coverage", query).equals(before)


def test_a_writes_threads_come_from_its_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the setting's rule and its wrong values: tests/test_settings.py
    monkeypatch.setenv("DASHBOARD_DUCKDB_WRITE_THREADS", "3")
    writer = Writer(lake_at(tmp_path / "lake"))
    try:
        assert writer.rows("select current_setting('threads')")[0][0] == 3
    finally:
        writer.close()


def test_every_cursor_keeps_parquet_footers_cached(mini_db: Database) -> None:
    # a plain `set` only reaches the connection that ran it; every query runs on a new
    # cursor, which without `set global` re-read the footers (12 ms instead of 4 at 10M)
    with mini_db.cursor() as cur:
        assert cur.execute("select current_setting('parquet_metadata_cache')").fetchone()[0]


def test_concurrent_queries_from_threads(mini_db: Database) -> None:
    params = {"org": ["a"], "year_from": None, "year_to": None, "goal": None}
    expected = mini_db.df("goal_coverage", params)["activities"].tolist()

    def one(i: int) -> list[int]:
        name = "goal_coverage" if i % 2 == 0 else "indicator_status"
        df = mini_db.df(name, params)
        return df["activities"].tolist() if name == "goal_coverage" else [len(df)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, range(64)))
    assert all(r == expected for r in results[::2])
    assert all(r == [4] for r in results[1::2])


def test_a_process_first_readers_at_once_share_one_reader_and_one_snapshot(
    mini_dir: Path, tmp_path: Path
) -> None:
    """A process's first page and its get-ready thread (or two first visitors) reading at
    once: before, each made a reader and closed the other's under its query ("Connection
    already closed"), and two making one snapshot's schema dropped each other's. Threads
    start together on a lake this process has not read yet, each reads its own snapshot
    handle; every read gives the rows and all share one reader."""
    import threading

    out = tmp_path / "data"
    shutil.copytree(mini_dir, out)
    params = {"org": ["a"], "year_from": None, "year_to": None, "goal": None}
    start = threading.Barrier(8)

    def one(_: int) -> tuple[list[int], object]:
        start.wait()
        db = Database(out)
        try:
            return db.df("goal_coverage", params)["activities"].tolist(), db._engine
        finally:
            db.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, range(8)))
    expected = Database(out).df("goal_coverage", params)["activities"].tolist()
    assert [r for r, _ in results] == [expected] * 8
    assert len({id(e) for _, e in results}) == 1


def test_a_reader_replaced_after_a_backup_is_put_back_still_answers_a_query_under_way(
    mini_dir: Path, tmp_path: Path
) -> None:
    """When the catalog's history goes back (a backup put back under a running server), the
    process makes a new reader; the old one, which another thread may be reading through
    at that moment, is let go rather than closed under its query."""
    from dashboard.storage.engine import _history_went_back, engine_for
    from dashboard.storage.location import lake_at

    out = tmp_path / "data"
    shutil.copytree(mini_dir, out)
    lake = lake_at(out)
    old = engine_for(lake)
    _history_went_back(lake)
    new = engine_for(lake)
    assert new is not old
    assert old.rows("select 42") == [(42,)]  # not closed under whoever was using it


def test_missing_dataset_gives_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no dataset at .* `make data`"):
        Database(tmp_path / "nothing")


def test_incomplete_dataset_names_the_missing_file(mini_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(mini_dir, copy)
    drop_lake_table(copy, "projects")
    with pytest.raises(DatasetError, match="lacks projects; re-import"):
        Database(copy)


def test_damaged_dataset_gives_a_clear_error(sample_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(sample_dir, copy)
    table_file(copy, "goals").write_bytes(b"this is not parquet")
    with pytest.raises(DatasetError, match="cannot be read .* re-import") as info:
        Database(copy)
    assert info.value.values["tables"] == "goals"  # the app names the table, not the path


def test_shared_rules_live_in_one_macro() -> None:
    """What counts as secured, the indicator-status thresholds and the progress formula are
    written once (queries/macros/selection.sql) and used by every query that needs them."""
    from dashboard.sql.queries import MACRO_DIR, QUERY_DIR

    def code(path) -> str:  # the SQL without its comments
        return "\n".join(ln.split("--")[0] for ln in path.read_text("utf-8").splitlines())

    queries = {p.name: code(p) for p in QUERY_DIR.glob("*.sql")}
    macros = "\n".join(code(p) for p in MACRO_DIR.glob("*.sql"))
    for rule in ("in ('granted', 'running', 'closed')", "0.75", "0.40", "coalesce(baseline, 0))"):
        assert rule in macros
        assert [n for n, sql in queries.items() if rule in sql] == [], rule
    users = {n for n, sql in queries.items() if "secured(" in sql}
    assert {"eu_funding", "overview_metrics", "project_targets", "project_totals"} <= {
        n.removesuffix(".sql") for n in users
    }
    assert "indicator_status(" in queries["indicator_status.sql"]
    # the evaluation's table and roll-up judge indicators through one macro, not each its own
    assert "indicator_status(" in macros and "indicator_evaluation(" in macros
    for n in ("evaluation_indicators", "evaluation_rollup"):
        assert "indicator_evaluation(" in queries[f"{n}.sql"], n
        assert "indicator_status(" not in queries[f"{n}.sql"], n
    # a goal belongs to a year through its strategy, in one macro
    for n in ("evaluation_rollup", "goal_coverage", "goals_in_period", "overview_metrics"):
        assert "goals_applying(" in queries[f"{n}.sql"], n


def test_an_import_repairs_a_dataset_whose_data_file_is_missing(
    sample_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A data file of the lake gone: reads say so (the command line in one line, no
    traceback); a whole import replaces the tables it gives and the dataset reads again."""
    from dashboard.cli import main
    from dashboard.imports.ingest import ingest
    from dashboard.storage import entries
    from tests.conftest import SAMPLE_SOURCE

    copy = tmp_path / "data"
    shutil.copytree(sample_dir, copy)
    table_file(copy, "activities").unlink()
    assert main(["query", "activities_count", "--data", str(copy)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err and "activities" in err
    ingest(SAMPLE_SOURCE, copy)
    db = Database(copy)
    try:
        with db.cursor() as cur:
            assert cur.execute("select count(*) from activities").fetchone() == (98,)
            titles = cur.execute("select string_agg(title, ',') from activities").fetchone()
            assert titles and "Hansedagar i Novgorod" in titles[0]
    finally:
        db.close()
    assert entries(copy)[-1].action == "import"


def test_a_restore_repairs_a_dataset_whose_newest_data_file_is_missing(
    sample_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file a later import wrote is gone: the dataset cannot be read, and a restore
    of the version before (whose files are there) mends it, as an import does."""
    from dashboard.cli import main
    from dashboard.imports.ingest import ingest
    from dashboard.model.contract import TABLE_BY_NAME
    from dashboard.storage import entries, read_table
    from tests.conftest import SAMPLE_SOURCE

    copy = tmp_path / "data"
    shutil.copytree(sample_dir, copy)
    first = entries(copy)[-1].version
    edited = tmp_path / "edited"
    shutil.copytree(SAMPLE_SOURCE, edited)
    acts = edited / "activities.csv"  # every title changed: a file of its own, not inlined
    acts.write_text(acts.read_text(encoding="utf-8").replace(" i ", " uti "), "utf-8")
    before = {p.name for p in (copy / "files" / "main" / "activities").glob("*.parquet")}
    ingest(edited, copy)
    made = [
        p
        for p in (copy / "files" / "main" / "activities").glob("*.parquet")
        if p.name not in before and not p.name.endswith("-delete.parquet")
    ]
    assert len(made) == 1, made
    made[0].unlink()
    assert main(["query", "activities_count", "--data", str(copy)]) == 2
    capsys.readouterr()
    assert main(["restore", str(first), "--data", str(copy), "--who", "it"]) == 0
    titles = read_table(copy, TABLE_BY_NAME["activities"], ["title"]).column("title")
    assert len(titles) == 98 and not any(" uti " in t for t in titles.to_pylist())
    assert entries(copy)[-1].action == "restore"


def test_a_table_that_cannot_be_read_is_never_taken_for_an_absent_one(
    sample_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A table of a snapshot whose file is gone raises when read (`read_table`; only a
    table the snapshot does not have reads as absent, None). So a restore of a version
    whose file is gone is refused, in one line, and writes nothing: before, the unreadable
    table read as absent, the restore wrote nothing and said "restored as version N"."""
    from dashboard.cli import main
    from dashboard.imports.ingest import ingest
    from dashboard.model.contract import TABLE_BY_NAME
    from dashboard.storage import entries, read_table
    from tests.conftest import SAMPLE_SOURCE

    copy = tmp_path / "data"
    shutil.copytree(sample_dir, copy)
    first = entries(copy)[-1].version
    edited = tmp_path / "edited"
    shutil.copytree(SAMPLE_SOURCE, edited)
    goals = edited / "goals.csv"
    text = goals.read_text(encoding="utf-8")
    goals.write_text(text.replace("att stärka Gotland", "att än mer stärka Gotland", 1), "utf-8")
    ingest(edited, copy)  # a second version, so that restoring the first has work to do
    versions = len(entries(copy))
    table_file(copy, "activities").unlink()  # the file both versions share
    with pytest.raises(DatasetError):
        read_table(copy, TABLE_BY_NAME["activities"], version=first)
    capsys.readouterr()
    assert main(["restore", str(first), "--data", str(copy), "--who", "it"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "\n" not in err and "activities" in err, err
    assert len(entries(copy)) == versions  # nothing written


def test_a_record_that_cannot_be_read_is_never_taken_for_todays_contract(
    fresh_sample, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The contract a dataset was written under decides how its stored columns are read
    and whether a write upgrades it first. When the record that names it cannot be read
    (the catalog failing between two questions), the read raises: it was taken for today's
    contract, so an older dataset's renamed columns would have read as missing, been kept
    under the snapshot, and a write would have skipped the upgrade. Only where there is
    nothing to ask (no such snapshot table: DuckDB's catalog error) is it today's."""
    import duckdb

    from dashboard.model.contract import TABLE_BY_NAME
    from dashboard.model.migrations import CONTRACT_VERSION
    from dashboard.storage import dataset, read_table, stamp

    copy = fresh_sample(tmp_path / "data")
    version = stamp(copy)

    def failing(out: Path) -> list:
        raise duckdb.IOException("IO Error: the catalog could not be read")

    monkeypatch.setattr(dataset, "record_extras", failing)
    with pytest.raises(DatasetError):
        dataset.contract_version(copy)
    with pytest.raises(DatasetError):
        read_table(copy, TABLE_BY_NAME["networks"], version=version)

    def nothing(out: Path) -> list:
        raise duckdb.CatalogException("Catalog Error: Table with name ducklake_snapshot")

    monkeypatch.setattr(dataset, "record_extras", nothing)
    assert dataset.contract_version(copy) == CONTRACT_VERSION


def test_an_upload_onto_a_damaged_dataset_says_the_dataset_is_damaged_not_the_file(
    sample_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One file imported into a lake whose activities' file is gone is checked in the
    upload's child process (`uploads.in_child`), which reads the lake's other tables: the
    child's `DatasetError` reaches the caller as itself (the command line's one line, the
    page's dataset message), not as "the file needed more than 1500 MB of memory"."""
    from dashboard.cli import main
    from tests.conftest import SAMPLE_SOURCE

    copy = tmp_path / "data"
    shutil.copytree(sample_dir, copy)
    table_file(copy, "activities").unlink()
    capsys.readouterr()
    assert main(["ingest", str(SAMPLE_SOURCE / "goals.csv"), "--out", str(copy)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "cannot be read" in err and "activities" in err, err
    assert "memory" not in err, err


def test_a_disk_that_takes_no_writes_is_said_as_such_by_every_command(
    sample_dir: Path, tmp_path: Path
) -> None:
    """A full or read-only disk (here: each command's process may write no file larger
    than 1 KB, RLIMIT_FSIZE, which needs no root): `query`, `export`, `history`, `restore`
    and `ingest` each end with one line saying the disk is full or read-only (exit 2, no
    traceback; not "damaged, re-import it", which would fail the same way), and nothing
    is written. The app says it in the reader's language (`dataset.disk`)."""
    import hashlib
    import resource
    import signal

    from dashboard.i18n import LANGS, t
    from tests.conftest import SAMPLE_SOURCE

    copy = tmp_path / "data"
    shutil.copytree(sample_dir, copy)
    for extra in ("catalog.sqlite-wal", "catalog.sqlite-shm"):
        (copy / extra).unlink(missing_ok=True)

    def state() -> str:  # the catalog and the data files (SQLite may leave an empty log)
        digest = hashlib.sha256()
        for p in [copy / "catalog.sqlite", *sorted((copy / "files").rglob("*"))]:
            if p.is_file():
                digest.update(p.name.encode() + p.read_bytes())
        return digest.hexdigest()

    def small_files() -> None:  # in the child: a write past 1 KB fails (EFBIG), no signal
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

    before = state()
    commands = {
        "query": ["query", "activities_count", "--data", str(copy)],
        "export": ["export", "--out", str(tmp_path / "x.xlsx"), "--data", str(copy)],
        "history": ["history", "--data", str(copy)],
        "restore": ["restore", "1", "--data", str(copy), "--who", "it"],
        "ingest": ["ingest", str(SAMPLE_SOURCE), "--out", str(copy)],
        # one file: checked and imported in the upload's child process, the Data page's way
        "ingest one file": ["ingest", str(SAMPLE_SOURCE / "goals.csv"), "--out", str(copy)],
    }
    for name, (code, _, err, _) in commands_at_once(commands, limit=small_files).items():
        lines = err.strip().splitlines()
        assert code == 2, (name, err)
        assert lines and lines[-1].startswith("error: ") and "Traceback" not in err, (name, err)
        assert "full or read-only" in lines[-1] and "re-import" not in lines[-1], (name, err)
    assert state() == before
    for lang in LANGS:
        assert t("dataset.disk", lang) != "dataset.disk"


def test_the_record_of_changes_names_the_tables_a_commit_changed() -> None:
    """`held_since` reads DuckLake's record of each commit: a table named by its id or
    created in the main schema changed; anything it cannot attribute (a schema, a view, an
    id it does not know) counts as a change of every table, never as none."""
    from dashboard.storage.engine import _Changed, _note

    known = _Changed(first=0)
    tables = {1: "activities", 2: "organisations"}
    _note(known, 1, 'created_table:"main"."rounds",inserted_into_table:1', tables)
    _note(known, 2, "inlined_insert:2,deleted_from_table:2", tables)
    _note(known, 3, "inserted_into_table:1", tables)
    assert known.since("rounds", 3) == 1
    assert known.since("organisations", 3) == 2 and known.since("organisations", 1) == 0
    assert known.since("activities", 2) == 1 and known.since("activities", 3) == 3
    _note(known, 4, 'created_schema:"other"', tables)
    _note(known, 5, "inserted_into_table:99", tables)  # an id it does not know
    _note(known, 6, "", tables)  # a commit that says nothing
    assert [known.since(t, v) for t, v in (("rounds", 4), ("organisations", 5), ("x", 6))] == [
        4,
        5,
        6,
    ]


def test_files_are_matched_by_column_name_only_where_their_columns_differ(tmp_path: Path) -> None:
    """A large table's view reads its Parquet files without `union_by_name` (each query's
    bind read every file's schema) unless the files differ: then a plain read drops a
    column or refuses the files, depending on which file comes first."""
    from dashboard.storage.engine import _schemas_differ

    con = duckdb.connect()
    made = {
        "a": "select 'x' as id, 'n' as name",
        "b": "select 'z' as id, 'o' as name",
        "more": "select 'y' as id, 'm' as name, 1.5 as score",
        "typed": "select 'y' as id, 1 as name",
    }
    f = {}
    for key, sql in made.items():
        f[key] = str(tmp_path / f"{key}.parquet")
        con.execute(f"copy ({sql}) to '{f[key]}'")
    assert not _schemas_differ(con, [f["a"]])
    assert not _schemas_differ(con, [f["a"], f["b"]])
    assert _schemas_differ(con, [f["a"], f["more"]])
    assert _schemas_differ(con, [f["typed"], f["a"]])
    # why it matters: read plainly, the column of the second file is lost
    plain = con.sql(f"select * from read_parquet({[f['a'], f['more']]})").columns
    assert "score" not in plain
    by_name = con.sql(f"select * from read_parquet({[f['a'], f['more']]}, union_by_name = true)")
    assert sorted(by_name.fetchall()) == [("x", "n", None), ("y", "m", 1.5)]


def test_a_read_of_some_activities_takes_their_rows_in_the_query(
    sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`read_table(..., ids=)` reads the rows of those activities alone, by `part_filter`'s
    rule in the SQL (an Activities save at 10M read the organisation-year's 6,843 rows to
    keep one), in the activities and their goal links, of the newest snapshot and of an
    older one, kept apart from the read of other ids; a table without an activity id is
    read whole."""
    from dashboard.model.contract import TABLE_BY_NAME
    from dashboard.storage import dataset

    acts, links = TABLE_BY_NAME["activities"], TABLE_BY_NAME["activity_goals"]
    every = dataset.read_table(sample_dir, acts, orgs=["gotland"])
    assert every is not None and every.num_rows > 2
    two = sorted(every.column("activity_id").to_pylist())[:2]
    sql: list[str] = []
    real = dataset._engine

    def engine(out):  # every statement the reads send
        eng = real(out)
        monkeypatch.setattr(eng, "arrow", lambda q, p=None, _a=eng.arrow: sql.append(q) or _a(q, p))
        return eng

    monkeypatch.setattr(dataset, "_engine", engine)
    monkeypatch.setattr(dataset, "_READS", type(dataset._READS)())
    for version in (None, dataset.stamp(sample_dir)):
        got = dataset.read_table(sample_dir, acts, orgs=["gotland"], ids=two, version=version)
        assert got is not None and sorted(got.column("activity_id").to_pylist()) == two
    one = dataset.read_table(sample_dir, acts, orgs=["gotland"], ids=two[:1])
    assert one is not None and one.column("activity_id").to_pylist() == two[:1]
    assert sql and all("activity_id in (select unnest($ids))" in q for q in sql), sql
    found = dataset.read_tables(
        sample_dir, [acts, links, TABLE_BY_NAME["goals"]], ids={"activity_goals": two}
    )
    got_links = found["activity_goals"]
    assert got_links is not None and set(got_links.column("activity_id").to_pylist()) <= set(two)
    assert got_links.num_rows >= 2 and found["activities"].num_rows > 2  # type: ignore[union-attr]
    assert found["goals"] is not None and found["goals"].num_rows > 0


def test_every_table_of_a_new_lake_has_its_statistics_and_no_rows_it_did_not_get(
    tmp_path: Path,
) -> None:
    """`publishing._create`: a table never written to would have no statistics, and each
    read of it would ask the catalog for them again (~35-40 ms instead of ~7 ms). The row
    put in and taken out to make them leaves nothing: the round's tables are empty, and
    nothing of them is in the change feed."""
    from dashboard.imports.ingest import ingest
    from dashboard.model.contract import ROUND_TABLES
    from dashboard.storage.engine import META, engine_for
    from dashboard.storage.location import lake_at
    from tests.conftest import MINI_SOURCE
    from tests.helpers import read_rows

    out = tmp_path / "data"
    ingest(MINI_SOURCE, out)
    eng = engine_for(lake_at(out))
    without = eng.rows(
        f"select t.table_name from {META}.ducklake_table t left join "
        f"{META}.ducklake_table_stats s using (table_id) "
        "where t.end_snapshot is null and s.table_id is null"
    )
    assert without == []
    for t in ROUND_TABLES:
        assert read_rows(out, t.name) == []
        assert eng.rows(f"select * from lake.table_changes('{t.name}', 0, 1)") == []


@pytest.mark.parametrize(
    ("sql", "bound"),
    [
        ("select org_id, count(*) from activities group by all", "activities"),
        ("select org_id, count(*) from activities group by org_id", "activities"),
        # each link meets one activity: joined on the whole key of activities
        (
            "select ag.org_id, count(*) from activity_goals ag join activities a "
            "on a.activity_id = ag.activity_id and a.year = ag.year group by all",
            "activity_goals",
        ),
        # not on the whole key of the joined table: a row may meet many
        (
            "select a.org_id, count(*) from activities a join activity_goals ag "
            "on ag.activity_id = a.activity_id group by all",
            None,
        ),
        ("select a.org_id, count(*) from activities a, goals g group by all", None),
        (
            "select a.org_id, count(*) from activities a join goals g "
            "on g.goal_id = a.activity_id or g.goal_id = a.title group by all",
            None,
        ),
        ("select org_id from activities", None),  # not grouped
        ("select org_id, count(*) from activities group by all union all select 'x', 1", None),
    ],
)
def test_a_summary_is_bounded_by_a_table_only_when_its_sql_says_so(sql: str, bound) -> None:
    """`engine.summary_bounds`: a summary's rows are at most a table's only where its SQL
    groups that table's rows, alone or joined on the whole key of the other table; then
    a snapshot is judged small or large without counting the summaries (~45 ms)."""
    import json

    from dashboard.storage.engine import _grouped_from

    con = duckdb.connect()
    tree = json.loads(con.execute("select json_serialize_sql($s)", {"s": sql}).fetchall()[0][0])
    assert _grouped_from(tree) == bound


def test_the_summaries_bounds_decide_what_is_held_in_memory_without_a_count(monkeypatch) -> None:
    from dashboard.storage import engine

    assert engine.summary_bounds() == {
        "summary_activities": "activities",
        "summary_goal_links": "activity_goals",
    }
    sums = ["summary_activities", "summary_goal_links"]
    monkeypatch.setenv("DASHBOARD_MEMORY_ROWS", "1000")
    assert engine.small_enough({"activities": 300, "activity_goals": 200, "goals": 0}, sums)
    assert engine.small_enough({"activities": 600, "activity_goals": 500}, sums) is False
    assert engine.small_enough({"activities": 400, "activity_goals": 300}, sums) is None
    assert engine.small_enough({"activities": 1}, ["goals"]) is None  # no bound: counted
