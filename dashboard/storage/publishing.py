"""Publishing a change: the one step every write shares (import, save, undo, restore).

`publish` takes a function that stages the rows it writes as Parquet files
(`dataset.staging_dir`), then applies them to the lake in one DuckLake transaction: per
staged table the rows that differ (removed or changed rows deleted by key, new ones
inserted, so the snapshot's change feed is the change itself), the summary tables of the
organisations touched rebuilt, and the record of the change as the commit's author,
message and extra info. Data and record commit together or not at all; a kill at any
step leaves the lake as it was.

Writers take turns: the processes of one machine on a lock file in the dataset folder
(SQLite lets one writer commit at a time), the machines of a shared catalog through
DuckLake, which refuses a commit when another came first (`engine.CommitConflict`). The write
is then made again, against the lake as the other left it: its guard (nobody changed the
rows the person saw) and its checks decide again, so two saves of different rows both
succeed and a save of rows someone else changed is refused with their rows.
"""

from __future__ import annotations

import getpass
import os
import shutil
import signal
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from dashboard.model.access import Person
from dashboard.model.contract import (
    ROUND_TABLE_BY_NAME,
    ROUND_TABLES,
    SUMMARIES,
    TABLE_BY_NAME,
    TABLES,
    Table,
)
from dashboard.model.migrations import CONTRACT_VERSION, summary
from dashboard.model.problems import ImportFailed, Problem
from dashboard.storage import history
from dashboard.storage.dataset import (
    PARTITION_COLUMN,
    ROW_GROUP_SIZE,
    clean_staging,
    contract_version,
    has_dataset,
    lake_tables,
    part_filter,
    read_manifest,
    read_table,
    recorded_rows,
    staged_scope,
    staging_dir,
    stamp,
    table_path,
    where_sql,
    write_table,
)
from dashboard.storage.engine import (
    META,
    SQL_TYPES,
    CommitConflict,
    Damaged,
    DatasetError,
    LakeMoved,
    Writer,
    live_at,
    summary_reads,
    summary_sources,
    summary_sql,
    wait_s,
    writer_for,
)
from dashboard.storage.location import lake_at, locked

ATTEMPTS = 8  # a write made again this often after conflicts before it gives up
RETRIES = [0]  # writes of this process made again after a conflict (the benchmarks read it)
DIFF_ROWS_LIMIT = 2_000_000  # larger tables are replaced and counted, not itemised


def check_out(out: Path) -> None:
    """Refuse a dataset path that is a symbolic link or a file."""
    if out.is_symlink():
        raise ImportFailed([Problem.of(str(out), 0, "-", "out_symlink", target=str(out.resolve()))])
    if out.exists() and not out.is_dir():
        raise ImportFailed([Problem.of(str(out), 0, "-", "out_not_folder")])


@dataclass(frozen=True)
class Change:
    """Who publishes, and why: what the history records beside the new version."""

    who: str = ""
    action: str = "import"  # import | save | restore | undo
    comment: str = ""
    restored_from: int | None = None
    # called with the dataset folder under the lock, before anything is written: an edit
    # checks there that nobody changed its rows since it read them, a restore or an undo
    # that the person may still make it (raises to refuse)
    guard: Callable[[Path], None] | None = None
    undoes: int | None = None
    # more for the record (a change moved from the folder layout: its original time)
    extra: Mapping[str, Any] | None = None
    # who writes, for the yearly round's locks (`_Locks`): a part marked ready is closed to
    # its reporters, open to whoever runs the round. Required, never defaulted: a write
    # that forgot its person would pass as the server's own (None: the command line)
    person: Person | None = field(kw_only=True)


FAILPOINT = "DASHBOARD_FAILPOINT"  # tests: the step of a publish at which to be killed


def _step(name: str) -> None:
    """A named step of a publish. The kill tests set DASHBOARD_FAILPOINT to a step's name
    and the process is killed there (SIGKILL: no clean-up runs), to show that a kill at
    any step leaves the change and its record both published or neither."""
    if os.environ.get(FAILPOINT) == name:
        os.kill(os.getpid(), signal.SIGKILL)


STEPS = ("locked", "written", "applied", "committed")


def default_who() -> str:
    """Who runs a command on the server: the operating system's user."""
    try:
        return f"{getpass.getuser()} (server)"
    except Exception:  # no user name in this environment
        return "unknown (server)"


def publish(
    out: Path,
    write: Callable[[Path], Mapping[str, int]],
    source: str,
    change: Change | None = None,
    summaries: bool = True,
    expect: int | None = None,
) -> dict[str, int]:
    """Stage a change with *write(staging_folder)* and apply it to the lake at *out* as one
    transaction recorded as *change*; returns the rows each table holds after it (as the
    commit records them; a table *write* staged that is not the contract's: its count). On any
    error nothing changes. *write* and the change's guard run under the lock, against the
    lake as it is then, and again should another machine commit first. A *write* that
    stages rows read before the lock (an import's checked rows) names the snapshot they
    were read at as *expect*: LakeMoved when the lake is newer by then (another save, on
    this or another machine, came between the check and the write), for the caller to
    read and check again; staging them would undo that save (the others' rows of a small
    table, an organisation's other years). (*summaries* is kept for the callers: the
    summaries of what a write touches are always rebuilt.)"""
    del summaries
    check_out(out)
    change = change or Change(who=default_who(), person=None)
    repair = False
    for attempt in range(ATTEMPTS):
        try:
            with locked(out):
                _step("locked")
                clean_staging(out)
                if needs_upgrade(out):  # a dataset of an older contract: today's shape first
                    _publish_locked(out, _rewrite_all(out), "upgrade", _upgrade_change(out))
                # the lake the guard judges is the one the write is made on: a commit of
                # another machine after this stamp makes the write's commit a conflict
                # (`_publish_locked`), and the guard decides again on what that one left
                writer_for(lake_at(out))  # a new lake is made before its first stamp
                base = stamp(out)
                if expect is not None and base != expect:
                    raise LakeMoved(f"snapshot {base} came after {expect}")
                if change.guard is not None:
                    change.guard(out)
                return _publish_locked(out, write, source, change, repair, base)
        except Damaged:
            if repair:  # a save of some organisations cannot mend a table: an import can
                raise
            repair = True  # made again: the tables it gives whole replace the damaged ones
        except LakeMoved:
            raise  # its rows are read and checked again by the caller
        except CommitConflict:
            RETRIES[0] += 1
            if attempt == ATTEMPTS - 1:
                raise
            time.sleep(wait_s(attempt))
    raise AssertionError("unreachable")  # pragma: no cover


def ready_to_write(out: Path) -> bool:
    """Open this process's writer of the dataset at *out* ahead of its first write (its
    DuckDB connection, extensions and catalog: 0.14 s at 1M activities that a person's
    first save would otherwise wait for), and read the yearly round's states every write
    checks (`_Locks.read`: 45 ms the first time, then kept); whether there is a dataset.
    Nothing is opened when there is none yet: a writer would make an empty lake."""
    if not has_dataset(out):
        return False
    w = writer_for(lake_at(out))
    with w.lock:  # and its first look at the catalog (40 ms against 13 ms for the next)
        newest = int(w.rows("select max(snapshot_id) from lake.snapshots()")[0][0] or 0)
    if {"rounds", "round_parts"} <= lake_tables(lake_at(out), newest):
        _round_states(out, newest)
    return True


def _round_states(out: Path, version: int) -> tuple[pa.Table | None, pa.Table | None]:
    """The yearly round's years and parts with their states at snapshot *version*, as a
    write's locks read them. Read as any snapshot is (`read_table`: from memory where this
    process holds it), not through the write's transaction, where a read took ~0.2 s."""
    rounds = read_table(
        out, ROUND_TABLE_BY_NAME["rounds"], ["org_id", "year", "state"], version=version
    )
    parts = read_table(
        out, ROUND_TABLE_BY_NAME["round_parts"], ["org_id", "year", "part", "state"],
        version=version,
    )  # fmt: skip
    return rounds, parts


def needs_upgrade(out: Path) -> bool:
    """Whether the dataset at *out* was written under an older contract than today's."""
    return has_dataset(out) and contract_version(out) < CONTRACT_VERSION


def upgrade(out: Path, who: str = "") -> int | None:
    """Publish the dataset in today's contract, recorded as an upgrade; the new version,
    or None when it already is (`python -m dashboard upgrade`; also done first by any write)."""
    check_out(out)
    with locked(out):
        clean_staging(out)
        if not needs_upgrade(out):
            return None
        _publish_locked(out, _rewrite_all(out), "upgrade", _upgrade_change(out, who))
    return history.last_version(out)


def _upgrade_change(out: Path, who: str = "") -> Change:
    return Change(
        who or "Målbild (upgrade)", "upgrade", summary(contract_version(out)), person=None
    )


def _rewrite_all(folder: Path, version: int | None = None) -> Callable[[Path], dict[str, int]]:
    """A write of every table as read (at *version*) in today's contract (`read_table`)."""

    def write(staged: Path) -> dict[str, int]:
        counts = {}
        for t in TABLES:
            rows = read_table(folder, t, version=version)
            if rows is not None:
                counts[t.name] = write_table(staged, t, rows)
        return counts

    return write


def _publish_locked(
    out: Path,
    write: Callable[[Path], Mapping[str, int]],
    source: str,
    change: Change,
    repair: bool = False,
    base: int | None = None,
) -> dict[str, int]:
    """`publish`'s work, under the lock it holds, on the lake at snapshot *base* (read
    now when not given): where another commit came after it, CommitConflict."""
    w = writer_for(lake_at(out))
    with w.lock:
        base = stamp(out) if base is None else base
        staged = staging_dir(out)
        try:
            counts = dict(write(staged))
            _step("written")
            w.begin()
            try:
                now = _newest(w)
                if now != base:
                    raise CommitConflict(f"snapshot {now} came after {base}")
                info = _apply(w, out, base, staged, change, source, repair)
                _step("applied")
                w.commit(change.who or default_who(), change.comment, info)
            except BaseException:
                w.rollback()
                raise
            _step("committed")
            return {**counts, **info["rows"]}  # the lake's own count of each table
        finally:
            shutil.rmtree(staged, ignore_errors=True)


def _newest(w: Writer) -> int:
    """The snapshot the write's DuckLake transaction reads, which this first look at the
    lake fixes: DuckLake refuses at commit a commit that came after it, so a write checked
    to begin at its base cannot undo another made meanwhile. `current_snapshot()` is the
    transaction's own (~9 ms, where `lake.snapshots()` gathers every snapshot's changes
    first, ~15 ms). Not the catalog's list (`engine.META`): a read of it does not fix the
    transaction's snapshot, and a commit landing between it and the write's first read of
    the lake was then taken in and overwritten (two machines saving one row, both saved;
    tests/test_store.py, 2026-12-06)."""
    return int(w.rows("select id from lake.current_snapshot()")[0][0] or 0)


def _cols(table: Table) -> str:
    return ", ".join(f'"{c.name}"' for c in table.columns)


def _ensure_tables(w: Writer) -> None:
    """The contract's tables in a new lake, and how its files are written: zstd, and row
    groups small enough that a filter on organisation and year skips most of them (the
    rows go in sorted by the table's `sort_by`)."""
    # the catalog's list (`engine.META`): the transaction began at the newest snapshot
    listed = w.rows(f"select table_name from {META}.ducklake_table where end_snapshot is null")
    have = {r[0] for r in listed}
    if not have:
        w.execute("call lake.set_option('parquet_compression', 'zstd')")
        w.execute(f"call lake.set_option('parquet_row_group_size', {ROW_GROUP_SIZE})")
    for t in TABLES + SUMMARIES + ROUND_TABLES:
        if t.name not in have:
            _create(w, t)


def _create(w: Writer, table: Table) -> None:
    """Make *table* in the lake, empty, with its statistics.

    DuckLake keeps a table's statistics from its first insert, and a table never written
    to has none: every read of it then asks the catalog for them again, dozens of catalog
    queries (a yearly round's table before any round: ~35-40 ms a read against ~7 ms,
    DuckLake 1.0 on DuckDB 1.5.5, read by every write's check of closed years and every
    snapshot a reader prepares). A row put in and taken out in the creating transaction
    leaves no row, no row id used and no change in `table_changes`, and the statistics."""
    cols = ", ".join(f'"{c.name}" {SQL_TYPES[c.type]}' for c in table.columns)
    w.execute(f"create table lake.{table.name} ({cols})")
    w.execute(f"insert into lake.{table.name} default values")
    w.execute(f"delete from lake.{table.name}")


def _remake(w: Writer, table: Table, staged: Path) -> int:
    """The table made anew from its staged rows (the old one stays in earlier snapshots);
    how many rows it now holds."""
    w.execute(f"drop table lake.{table.name}")
    _create(w, table)
    return _done(
        w,
        f"insert into lake.{table.name} select {_cols(table)} from read_parquet($f)",
        {"f": str(staged)},
    )


def _reshape(w: Writer, table: Table) -> None:
    """Give a lake table today's columns (a dataset of an older contract, upgraded): the
    rows staged for it are in today's contract (`_rewrite_all`)."""
    have = [r[0] for r in w.rows(f"describe lake.{table.name}")]
    if have == [c.name for c in table.columns]:
        return
    w.execute(f"drop table lake.{table.name}")
    _create(w, table)


def _order(table: Table) -> str:
    return f" order by {', '.join(table.sort_by)}" if table.sort_by else ""


def _counts(w: Writer, *relations: str) -> list[int]:
    """The row counts of *relations* in one query (each query of the write's transaction
    costs ~3 ms of DuckLake's own before any row is read)."""
    found = w.rows("select " + ", ".join(f"(select count(*) from {r})" for r in relations))
    return [int(n) for n in found[0]]


def _done(w: Writer, sql: str, params: Mapping[str, Any] | None = None) -> int:
    """Run a delete or an insert; how many rows it deleted or inserted, as DuckDB counts
    them (exact: the table's rows after a change are those before, less and plus these)."""
    return int(w.rows(sql, params)[0][0])


def _base_rows(out: Path, base: int) -> dict[str, int]:
    """The rows each contract table holds as the write begins (the lake at *base*), as
    the commit of *base* recorded them; {} where it did not (a table is then counted when
    first needed, `_apply`)."""
    return dict(recorded_rows(out, base) or {}) if base else {}


def _apply(
    w: Writer,
    out: Path,
    base: int,
    staged: Path,
    change: Change,
    source: str,
    repair: bool = False,
) -> dict[str, Any]:
    """Apply the staged tables inside the open transaction; the commit's extra info. With
    *repair* (a data file of the lake was found missing or damaged) each table staged whole
    is made anew with its staged rows, without reading what it held."""
    locks = _Locks.read(w, out, base, change)  # before any table is made: the lake at *base*
    _ensure_tables(w)
    if change.action == "upgrade":  # the contract the lake is in: a snapshot of its own
        w.execute("create table if not exists lake.contract (version bigint)")
        w.execute("delete from lake.contract")
        w.execute("insert into lake.contract values ($v)", {"v": CONTRACT_VERSION})
    scope = staged_scope(staged)
    after_reader: history.Reader = lambda spec, cols: _in_transaction(w, spec, cols)  # noqa: E731
    before_reader: history.Reader = lambda spec, cols: (  # noqa: E731
        read_table(out, spec, columns=cols, version=base) if base else None
    )
    owners = history.Owners([before_reader, after_reader])
    rows_now = _base_rows(out, base)  # kept up to date below by each statement's count
    changes: dict[str, history.TableChange] = {}
    pending: list[tuple[Table, dict[str, history.Pair], int, int]] = []
    touched_scopes: list[list[str] | None] = []
    # the years the summaries' sources are written in: their summaries of those years alone
    # are rebuilt (None: every year, as for a write not scoped by year)
    summary_years: set[int] | None = set()
    # the summaries' sources whose change reaches a summary: not a change of other
    # columns only (a title), which leaves every summary row as it was (`summary_reads`)
    summarised: set[str] = set()
    reads, sources = summary_reads(), summary_sources()
    for table in TABLES + ROUND_TABLES:
        path = table_path(staged, table)
        if not path.is_file():
            continue
        if change.action == "upgrade":
            _reshape(w, table)
        part = scope.get(table.name)
        orgs = None if part is None else list(part["orgs"])
        if table.name in sources:
            if part is None or part["years"] is None:
                summary_years = None
            elif summary_years is not None:
                summary_years |= {int(y) for y in part["years"]}
        if repair and orgs is None:
            had = int((read_manifest(out).get("rows") or {}).get(table.name) or 0)
            after = rows_now[table.name] = _remake(w, table, path)
            changes[table.name] = history.TableChange(had, after)
            summarised.add(table.name)
            touched_scopes.append(None)
            continue
        years = None if part is None else part["years"]
        ids = None if part is None else part.get("ids")
        inside, params = ("", {}) if part is None else part_filter(table, orgs, years, ids=ids)
        where = where_sql(inside)
        if table.name not in rows_now:  # not in the record (or a table of the yearly round)
            rows_now[table.name] = _counts(w, f"lake.{table.name}")[0]
        before = rows_now[table.name]
        w.execute(
            f"create or replace temp table _new as select {_cols(table)} from read_parquet($f)",
            {"f": str(path)},
        )
        held = (
            read_table(out, table, orgs=orgs, version=base, years=years, ids=ids)
            if base and orgs is not None and change.action != "upgrade"
            else None
        )
        if held is not None:
            # the rows of *orgs* at *base*, the snapshot the write began at (checked above:
            # none came since), as this process reads any snapshot: ~1-3 ms from what it
            # keeps, where a read through the transaction asks DuckLake's catalog for the
            # table's files again (~17 ms a table at 1M activities, 2026-12-06). A table
            # written whole is read in the transaction, where DuckDB may spill: not into
            # this process's memory at 10 million activities.
            w.temp_table("_old", held)
        else:
            w.execute(
                f"create or replace temp table _old as "
                f"select {_cols(table)} from lake.{table.name}{where}",
                params,
            )
        n_old, n_new = _counts(w, "_old", "_new")
        if max(n_old, n_new) > DIFF_ROWS_LIMIT:  # replaced whole and counted
            locks.check(w, table, source, big=True)
            gone = _done(w, f"delete from lake.{table.name}{where}", params)
            came = _done(w, f"insert into lake.{table.name} select * from _new")  # sorted
            after = rows_now[table.name] = before - gone + came
            changes[table.name] = history.TableChange(before, after)
            touched_scopes.append(orgs)
            summarised.add(table.name)
            continue
        w.execute("create or replace temp table _gone as from _old except from _new")
        w.execute("create or replace temp table _came as from _new except from _old")
        n_gone, n_came = _counts(w, "_gone", "_came")
        if not n_gone and not n_came:
            continue
        locks.check(w, table, source)
        gone = came = 0
        if n_gone:
            on = " and ".join(f't."{k}" is not distinct from g."{k}"' for k in table.key)
            if inside:  # the rows of *orgs* (and years) only: their files, not every file
                on += " and " + part_filter(table, orgs, years, "t", ids)[0]
            gone = _done(w, f"delete from lake.{table.name} t using _gone g where {on}", params)
        if n_came:
            came = _done(w, f"insert into lake.{table.name} select * from _came{_order(table)}")
        after = rows_now[table.name] = before - gone + came
        touched_scopes.append(orgs)
        if table.name in sources and _reaches_summaries(w, table, reads):
            summarised.add(table.name)
        if n_gone + n_came > ITEMISED_IN_PYTHON and PARTITION_COLUMN in _names(table):
            changes[table.name] = _change_in_sql(w, table, before, after)
        else:
            rows = history.pairs(table, w.arrow("from _gone"), w.arrow("from _came"))
            pending.append((table, rows, before, after))
    for table, rows, before, after in pending:  # owners read once the rows are all in
        found = history.table_change(table, rows, before, after, owners)
        if found is not None:
            changes[table.name] = found
    if summarised & set(changes):
        _summaries(
            w,
            None if None in touched_scopes else sorted({o for s in touched_scopes if s for o in s}),
            None if summary_years is None else sorted(summary_years),
        )
    uncounted = [t.name for t in TABLES if t.name not in rows_now]
    if uncounted:
        rows_now.update(zip(uncounted, _counts(w, *(f"lake.{n}" for n in uncounted)), strict=True))
    return {
        "action": change.action,
        "orgs": list(history.orgs_touched(changes)),
        "tables": {k: v.as_json() for k, v in changes.items()},
        "restored_from": change.restored_from,
        "undoes": change.undoes,
        "source": source,
        "contract": CONTRACT_VERSION,
        **dict(change.extra or {}),
        # last, never taken from *extra*: the next write starts from these (`_base_rows`)
        "rows": {t.name: rows_now[t.name] for t in TABLES},
    }


ITEMISED_IN_PYTHON = 20_000  # more rows changed: the record is worked out in SQL


# Where a changed row of a table belongs in the yearly round: its organisation, year and
# part (a department's name, the indicators' part, or none), from the relation {x} of its
# changed rows; {acts} and {inds} are the activities and indicators as they are in the
# transaction and were at its start (a deleted activity's goals still name its department).
_BELONGS = {
    "activities": "select org_id, year, department as part from {x}",
    "activity_goals": "select x.org_id, x.year, a.department as part "
    "from {x} x left join {acts} a using (activity_id)",
    "indicator_values": "select i.org_id, x.year, ':indicators' as part "
    "from {x} x join {inds} i using (indicator_id)",
    "goal_assessments": "select org_id, year, null as part from {x}",
}


@dataclass(frozen=True)
class _Locks:
    """What the yearly round keeps from changing, as the lake is at the start of the write:
    closed years (no one changes them) and parts marked ready or approved (their
    reporters do not change them; whoever runs the round may). Read once per write, so a
    round closed by another machine a moment before is seen: its commit comes first, and
    this write, made again, reads it (`publish`)."""

    base: int
    closed: frozenset[tuple[str, int]]
    ready: frozenset[tuple[str, int, str]]
    change: Change

    @classmethod
    def read(cls, w: Writer, out: Path, base: int, change: Change) -> _Locks:
        have = {  # the lake's tables at *base*, from the catalog's list (`engine.META`)
            r[0]
            for r in w.rows(
                f"select table_name from {META}.ducklake_table where {live_at()}", {"v": int(base)}
            )
        }
        if not base or not {"rounds", "round_parts"} <= have:
            return cls(base, frozenset(), frozenset(), change)
        rounds, parts = _round_states(out, base)
        if rounds is None or parts is None:
            raise DatasetError(
                f"the yearly round's tables of snapshot {base} cannot be read", "unreadable"
            )
        state = {(str(r["org_id"]), int(r["year"])): r["state"] for r in rounds.to_pylist()}
        return cls(
            base,
            frozenset(k for k, v in state.items() if v == "closed"),
            frozenset(
                (str(p["org_id"]), int(p["year"]), str(p["part"]))
                for p in parts.to_pylist()
                if p["state"] in ("ready", "approved")
                and state.get((str(p["org_id"]), int(p["year"]))) == "open"
            ),
            change,
        )

    def _runs(self, org: str) -> bool:
        person = self.change.person
        return person is None or person.may("edit_organisation", org)

    def check(self, w: Writer, table: Table, source: str, big: bool = False) -> None:
        """Refuse the write (ImportFailed, nothing written) when its changed rows of
        *table* (`_gone`, `_came`; for a table replaced whole, worked out here for the
        locked organisations only) fall in a closed year or a part its writer may not
        change now."""
        if table.name not in _BELONGS or not (self.closed or self.ready):
            return
        orgs = sorted({o for o, _ in self.closed} | {o for o, _, _ in self.ready})
        if big:
            mine = f"(select * from {{}} where {PARTITION_COLUMN} in (select unnest($orgs)))"
            old, new = mine.format("_old"), mine.format("_new")
            x = f"((from {old} except from {new}) union all (from {new} except from {old}))"
        else:
            x = "(from _gone union all from _came)"
        at = f" at (version => {int(self.base)})"
        acts = (
            f"(select activity_id, department from lake.activities union all "
            f"select activity_id, department from lake.activities{at})"
        )
        inds = (
            f"(select indicator_id, org_id from lake.indicators union all "
            f"select indicator_id, org_id from lake.indicators{at})"
        )
        sql = _BELONGS[table.name].format(x=x, acts=acts, inds=inds)
        found = w.rows(
            f"select distinct org_id, year, part from ({sql}) "
            "where org_id in (select unnest($orgs)) order by all",
            {"orgs": orgs},
        )
        problems = []
        for org, year, part in found:
            if (org, year) in self.closed:
                problems.append(_lock_problem(w, source, table, "year_closed", org, year, part))
            elif part is not None and (org, year, part) in self.ready and not self._runs(org):
                key = "indicators_ready" if part == ":indicators" else "part_ready"
                problems.append(_lock_problem(w, source, table, key, org, year, part))
        if problems:
            raise YearLocked(problems)


class YearLocked(ImportFailed):
    """A write into a closed year, or into a part marked ready by one who reports it."""


def _lock_problem(
    w: Writer, source: str, table: Table, key: str, org: str, year: int, part: str | None
) -> Problem:
    found = w.rows("select name from lake.organisations where org_id = $o", {"o": org})
    name = str(found[0][0]) if found and found[0][0] else org
    return Problem.of(
        source,
        0,
        {"part_ready": "department", "indicators_ready": "actual"}.get(key, "year"),
        key,
        table=table.name,
        org=name,
        year=str(int(year)),
        part=part or "",
    )


def _names(table: Table) -> list[str]:
    return [c.name for c in table.columns]


def _change_in_sql(w: Writer, table: Table, before: int, after: int) -> history.TableChange:
    """What a change did to a table whose rows carry their organisation, worked out by
    DuckDB from the rows removed (`_gone`) and added (`_came`): the same record as
    `history.table_change` (keys joined with "/", sorted, at most KEYS_LISTED named per
    kind and organisation; every count complete), for a whole import of millions of rows."""
    key = (
        "concat_ws('/', "
        + ", ".join(f"coalesce(cast(\"{k}\" as varchar), '')" for k in table.key)
        + ")"
    )
    cut = history.KEYS_LISTED
    w.execute(
        "create or replace temp table _kinds as "
        f"with g as (select distinct {key} as k, org_id from _gone), "
        f"c as (select distinct {key} as k, org_id from _came), "
        "j as (select coalesce(c.k, g.k) as k, "
        "case when g.k is null then 'added' when c.k is null then 'removed' else 'changed' end "
        "as kind, list_distinct(list_filter([g.org_id, c.org_id], x -> x is not null)) as orgs "
        "from g full outer join c on g.k = c.k) "
        "select k, kind, coalesce(nullif(o, ''), '') as org from j, unnest(case when len(orgs) = 0 "
        "then [''] else orgs end) as u(o)"
    )
    per_kind = {
        kind: (int(n), list(keys or []))
        for kind, n, keys in w.rows(
            f"select kind, count(distinct k), list(distinct k order by k)[1:{cut}] "
            "from _kinds group by kind"
        )
    }
    by_org: dict[str, dict[str, Any]] = {}
    for org, kind, n, keys in w.rows(
        f"select org, kind, count(distinct k), list(distinct k order by k)[1:{cut}] "
        "from _kinds group by org, kind order by org, kind"
    ):
        part = by_org.setdefault(str(org), {"counts": {k: 0 for k in history.KINDS}})
        part[kind] = list(keys or [])
        part["counts"][kind] = int(n)
    counts = {kind: per_kind.get(kind, (0, []))[0] for kind in history.KINDS}
    return history.TableChange(
        before, after,
        tuple(per_kind.get("added", (0, []))[1]), tuple(per_kind.get("removed", (0, []))[1]),
        tuple(per_kind.get("changed", (0, []))[1]),
        counts, tuple(sorted(o for o in by_org if o)), dict(sorted(by_org.items())),
    )  # fmt: skip


def _in_transaction(w: Writer, spec: Table, cols: list[str]) -> pa.Table | None:
    names = ", ".join(f'"{c}"' for c in cols)
    try:
        return w.arrow(f"select {names} from lake.{spec.name}")
    except Exception:
        return None


def _reaches_summaries(w: Writer, table: Table, reads: frozenset[str] | None) -> bool:
    """Whether the rows a write takes out of *table* (`_gone`) and puts in (`_came`) differ
    in a column a summary reads: rows equal there count the same in every summary."""
    cols = [c.name for c in table.columns if reads is None or c.name in reads]
    if len(cols) == len(table.columns):
        return True
    names = ", ".join(f'"{c}"' for c in cols)
    moved = w.rows(
        f"select exists ((select {names} from _gone except all select {names} from _came) "
        f"union all (select {names} from _came except all select {names} from _gone))"
    )
    return bool(moved[0][0])


def _summaries(w: Writer, orgs: list[str] | None, years: list[int] | None = None) -> None:
    """Rebuild the summary tables (of *orgs* and *years* only, where given) from the
    tables as the transaction leaves them. Each summary row is of one organisation and
    year and counts that organisation-year's rows alone (`queries/summaries/`), so the
    summaries of the organisation-years a write touched are rebuilt, by `part_filter`'s
    rule: a save of one year at 10M copied and summed the organisation's 121,406
    activities of every year (0.24 s)."""
    for name in summary_sources():
        cond, params = part_filter(TABLE_BY_NAME[name], orgs, years)
        w.execute(
            f"create or replace temp table {name} as select * from lake.{name}{where_sql(cond)}",
            params,
        )
    for t in SUMMARIES:
        cond, params = part_filter(t, orgs, years)
        w.execute(f"delete from lake.{t.name}{where_sql(cond)}", params)
        w.execute(f"insert into lake.{t.name} select {_cols(t)} from ({summary_sql(t)})")
    for name in summary_sources():
        w.execute(f"drop table if exists temp.{name}")


def restore(out: Path, version: int, change: Change) -> int:
    """Publish the tables of *version* again, as a new version recorded as a restore;
    returns the new version. LookupError when that version is expired (pruned) or never
    was."""
    if not history.kept(out, version) or version not in {e.version for e in history.entries(out)}:
        raise LookupError(f"version {version} is not kept (see `history`; pruned versions "
                          "keep their record but not their files)")  # fmt: skip
    restored = Change(
        change.who, "restore", change.comment, version, change.guard, person=change.person
    )
    publish(out, _rewrite_all(out, version), source=f"version {version}", change=restored)
    return history.last_version(out)


__all__ = ["Change", "DatasetError", "locked", "publish"]


def migrate(old: Path, out: Path) -> list[int]:
    """Move the folder-layout dataset *old* (its history included) into a new lake at *out*
    (`storage.legacy`): every kept version a snapshot with its author, action, comment and
    original time; the record of pruned versions into the lake's record table. Returns the
    snapshots made. *old* is only read."""
    from dashboard.storage import legacy

    if not legacy.is_legacy(old):
        raise LookupError(f"{old} holds no dataset of the folder layout")
    if has_dataset(out):
        raise FileExistsError(f"{out} already holds a dataset: move into a new folder")
    made: list[int] = []
    numbers: dict[int, int] = {}  # a version of the folder layout -> its snapshot
    gone: list[legacy.Version] = []
    for v in legacy.versions(old):
        if v.folder is None:
            gone.append(v)
            continue
        line = v.line

        def write(staged: Path, folder: Path = v.folder) -> dict[str, int]:
            counts = {}
            for t in TABLES:
                data = legacy.read_legacy(folder, t)
                if data is not None:
                    counts[t.name] = write_table(staged, t, data)
            return counts

        change = Change(
            str(line.get("who") or "unknown"),
            str(line.get("action") or "import"),
            str(line.get("comment") or ""),
            # the record as it was written (the first snapshot's own diff would be from an
            # empty lake), with the original time and number
            extra={
                "time": line.get("time"),
                "was_version": v.number,
                **{k: line[k] for k in ("tables", "orgs") if k in line},
                # a restore or undo names the version it took back, by its new number
                "restored_from": numbers.get(line.get("restored_from")),  # type: ignore[arg-type]
                "undoes": numbers.get(line.get("undoes")),  # type: ignore[arg-type]
            },
            person=None,
        )
        publish(out, write, source=f"version {v.number} of {old}", change=change)
        made.append(history.last_version(out))
        numbers[v.number] = made[-1]
    if gone:
        first = min(v.number for v in gone)
        history.keep_record(
            out,
            [
                history.Entry.from_json(
                    {**v.line, "version": v.number - first - len(gone), "was_version": v.number}
                )
                for v in gone
            ],
        )
    return made
