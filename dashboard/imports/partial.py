"""An import that speaks for a few organisations, checked and written for them alone.

A coordinator's workbook (and so every edit in the browser, which is one) replaces only
the rows of the organisations it names: the set S. Checking and rewriting every other
organisation's rows as well, as a whole-dataset import does, made a save of one corrected
activity take 46 s at a million activities. Here the import's own checks
(`checks.validate`) run on the rows of S and the tables every organisation shares
(organisations, networks), and the few rules that reach across organisations are checked
against the others' rows directly:

- an id the workbook gives a new row (activity, project, strategy, goal, indicator) is
  not one another organisation's row already has;
- an id the workbook removes (a project) is not still named by another organisation's row
  (an activity may belong to another organisation's project);
- a reference from S's rows to another organisation's project is known.

Every other rule stays within one organisation (a goal served or measured belongs to the
same organisation, checks.`_check_cross`), so checking S's rows is checking all that the
workbook can change. Writing is per organisation too: the tables the workbook does not
hold are not written; a partitioned table's staged rows are S's and replace only S's rows
in the lake (`storage.write_for`); a small table is the others' rows as stored plus S's new
ones; and the summaries are rebuilt for S alone, in the same transaction.

A workbook that holds activities only (a save of the Activities form) narrows S to its
organisations' rows of the years it names (`Scope.years`): at 10 million activities an
organisation holds seventeen years of them, and checking and rewriting every year made a
save of one year's corrected activity seconds long. The activities' own rules within an
organisation are per row or per key; the one that reaches across years, an id unique in
the table, is checked against the lake like another organisation's id.

A save of the Activities form narrows S once more, to the activities it changed, added
or removed (`Scope.ids`): the form holds the whole year, 6,843 activities for the largest
organisation at 10 million, and reading, converting and checking every one of them again
to correct one title made that save 1.4-1.9 s. The others are left as stored: each was
checked when written, and no rule of the import relates one activity to another but the
id, which a new row is checked against (the organisation's other activities of the year
are then outside S, like another organisation's).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from dashboard.imports.checks import ParsedTable
from dashboard.model.contract import PARTITIONED, SMALL, TABLE_BY_NAME, TABLES, Table
from dashboard.model.problems import Problem
from dashboard.storage import (
    PARTITION_COLUMN,
    as_rows,
    other_years_having,
    others_having,
    read_tables,
    write_for,
)

ENABLED = True  # False: every import checks and writes the whole dataset (tests compare)
SHARED = ("organisations", "networks")  # every organisation's rows are checked
ID_KEYS = {  # tables whose rows have an id of their own, unique across organisations
    t.name: t.key[0] for t in TABLES if len(t.key) == 1 and t.name not in SHARED
}


@dataclass
class Scope:
    """The organisations an import speaks for and the live rows it is checked against.

    *years*: for a workbook that holds activities only (every save of the Activities
    form), the years it speaks for; then the partitioned tables with a year column are
    read, checked and written for S's rows of those years alone, and an id they give is
    checked against every other row (S's other years too) in the lake. None: all years.
    *ids*: for a save of the Activities form, the activities it speaks for (of *years*);
    their rows and goal links alone are read, checked and written. None: every one."""

    orgs: frozenset[str]
    rows: dict[str, list[dict]]  # live rows of S (and every row of the shared tables)
    small: dict[str, list[dict]]  # live rows of every table that is not partitioned
    years: frozenset[int] | None = None
    ids: frozenset[str] | None = None
    # the other organisations' rows of each small table S does not share, as stored: what
    # a write of that table keeps (split from S's in the one pass that finds S's)
    others: dict[str, list[dict]] = field(default_factory=dict)

    def owned(self, table: str, row: Mapping[str, object]) -> bool:
        """Whether a row is one of S's (a shared table's rows are everyone's)."""
        return owner(table, row, self._projects, self._indicators) in self.orgs

    def __post_init__(self) -> None:
        self._projects = {r["project_id"]: r["org_id"] for r in self.small.get("projects", [])}
        self._indicators = {
            r["indicator_id"]: r["org_id"] for r in self.small.get("indicators", [])
        }


def owner(
    table: str,
    row: Mapping[str, object],
    projects: Mapping,
    indicators: Mapping,
    strategies: Mapping | None = None,
    activities: Mapping | None = None,
) -> object:
    """The organisation a row belongs to: a project's goals through their project, an
    indicator value through its indicator, and (before the import derives their org_id) a
    goal through its strategy and a goal link through its activity."""
    if table == "project_goals":
        return projects.get(row.get("project_id"))
    if table == "indicator_values":
        return indicators.get(row.get("indicator_id"))
    org = row.get("org_id")
    if org is None and table == "goals" and strategies is not None:
        return strategies.get(row.get("strategy_id"))
    if org is None and table == "activity_goals" and activities is not None:
        return activities.get(row.get("activity_id"))
    return org


def small_live(out: Path, version: int | None = None) -> dict[str, list[dict]]:
    """Every row at snapshot *version* (None: the newest) of the tables that are not
    partitioned (they grow with the number of organisations, not of activities): what a
    workbook's names are resolved against."""
    read = read_tables(out, list(SMALL), version=version)
    return {name: as_rows(data) for name, data in read.items() if data is not None}


YEARLY_ONLY = frozenset({"activities", "activity_goals"})  # what a year scope may write


def scope(
    out: Path,
    small: dict[str, list[dict]],
    orgs: Sequence[str],
    years: Sequence[int] | None = None,
    version: int | None = None,
    given: Collection[str] | None = None,
    ids: Collection[str] | None = None,
) -> Scope:
    """The rows of *orgs* at snapshot *version* (None: the newest; *small* read at the
    same one): their rows of the partitioned tables (of *years* only, where given, in
    those with a year column), their rows of the others, and every row of the shared
    tables.

    *given*: the tables an import replaces. A partitioned table it leaves as stored is
    then read as what its rows name only (`naming_columns`, each combination once): its
    rows were checked when written, and a save of the Projects form at 10 million
    activities read, turned into dicts and checked 121,406 activities and their goal
    links of one organisation to learn the 214 projects and 40 goals they name.

    *ids*: the activities (of *years*, which must then be given) an import of activities
    alone speaks for (`Scope.ids`)."""
    if ids is not None and (years is None or given is None or not set(given) <= YEARLY_ONLY):
        raise ValueError("a scope of some activities is one of some years' activities alone")
    s = Scope(
        frozenset(orgs),
        {},
        small,
        None if years is None else frozenset(years),
        None if ids is None else frozenset(str(i) for i in ids),
    )
    kept = frozenset() if given is None else {t.name for t in PARTITIONED} - set(given)
    # the activities *ids* are read alone (`part_filter`, the one rule of which rows), in
    # the tables the import replaces
    only = None
    if s.ids is not None:
        only = {t.name: sorted(s.ids) for t in PARTITIONED if t.name not in kept}
    read = read_tables(
        out,
        list(PARTITIONED),
        orgs=sorted(s.orgs),
        version=version,
        years=_years(s),
        columns={name: naming_columns(TABLE_BY_NAME[name], kept) for name in kept},
        ids=only,
    )
    for table in TABLES:
        if table.partitioned:
            data = read[table.name]
            if data is not None and table.name in kept:
                data = data.group_by(data.column_names, use_threads=False).aggregate([])
            s.rows[table.name] = [] if data is None else as_rows(data)
        elif table.name in SHARED:
            s.rows[table.name] = list(small.get(table.name, []))
        else:
            mine: list[dict] = []
            others: list[dict] = []
            s.rows[table.name], s.others[table.name] = mine, others
            for r in small.get(table.name, []):
                (mine if s.owned(table.name, r) else others).append(r)
    return s


def naming_columns(table: Table, kept: Collection[str]) -> list[str]:
    """The columns of partitioned *table*, left as stored with the *kept* tables, that
    the checks of an import read: what it names outside the kept tables (a removed
    project, goal or network is refused while a row names it), its organisation (a goal
    link's goal must be of it), and its key where a table the checks read whole names
    it. A reference between two kept tables was checked when they were written."""
    kept = set(kept)
    named = {
        c.ref[1]
        for t in TABLES
        if t.name not in kept
        for c in t.columns
        if c.ref is not None and c.ref[0] == table.name
    }
    return [
        c.name
        for c in table.columns
        if c.name == PARTITION_COLUMN
        or c.name in named
        or (c.ref is not None and not c.derived and c.ref[0] not in kept)
    ]


def outside_refs(s: Scope) -> dict[tuple[str, str], set]:
    """Ids of other organisations' rows that S's rows may name (another's project)."""
    return {
        ("projects", "project_id"): {
            r["project_id"] for r in s.small.get("projects", []) if not s.owned("projects", r)
        }
    }


def _years(s: Scope) -> list[int] | None:
    return None if s.years is None else sorted(s.years)


def _ids(s: Scope) -> list[str] | None:
    return None if s.ids is None else sorted(s.ids)


def _outside_ids(out: Path, s: Scope, table: str, key: str, wanted: set) -> set:
    """Which of *wanted* are ids of rows of *table* outside the scope (other
    organisations', and S's of other years in a year scope)."""
    if not wanted:
        return set()
    spec = TABLE_BY_NAME[table]
    if not spec.partitioned:
        return {r[key] for r in s.small.get(table, []) if not s.owned(table, r)} & wanted
    return others_having(out, spec, s.orgs, key, wanted, _years(s), _ids(s))


def cross_checks(
    out: Path, s: Scope, parsed: Mapping[str, ParsedTable], problems: list[Problem]
) -> None:
    """The rules that reach across organisations, checked against the others' rows."""
    for table, key in ID_KEYS.items():
        p = parsed.get(table)
        if p is None:
            continue
        had = {r.get(key) for r in s.rows.get(table, [])}
        new = {r.get(key) for r in p.rows if r.get(key) not in had and r.get(key) is not None}
        taken = _outside_ids(out, s, table, key, new)
        mine = (  # in a year scope: S's own rows of another year
            other_years_having(out, TABLE_BY_NAME[table], s.orgs, key, taken, sorted(s.years))
            if s.years is not None and TABLE_BY_NAME[table].partitioned
            else set()
        )
        for row, n, file in p.items():
            if row.get(key) in taken:
                said = "id_taken_other_year" if row.get(key) in mine else "id_taken"
                problems.append(
                    Problem.of(file, n, p.col(key), said, table=table, value=row.get(key))
                )
    # a project S removes that another organisation's activity still belongs to
    projects = parsed.get("projects")
    if projects is None:
        return
    kept = {r.get("project_id") for r in projects.rows}
    titles = {r["project_id"]: r["title"] for r in s.rows.get("projects", [])}
    removed = set(titles) - kept
    for pid in sorted(_named_outside(out, s, removed)):
        problems.append(
            Problem.of(
                projects.file,
                0,
                projects.col("title"),
                "project_still_used",
                table="projects",
                value=titles[pid],
            )
        )


def _named_outside(out: Path, s: Scope, projects: set) -> set:
    return others_having(
        out, TABLE_BY_NAME["activities"], s.orgs, "project_id", projects, _years(s)
    )


def write(
    out: Path,
    staged: Path,
    s: Scope,
    given: Sequence[str],
    tables: Mapping[str, pa.Table],
) -> dict[str, int]:
    """Write the dataset with S's rows replaced into *staged* (`storage.write_for`)."""
    others = {  # of the tables written only (a save of activities writes no small table)
        t.name: s.others[t.name]
        for t in TABLES
        if not t.partitioned and t.name not in SHARED and t.name in given
    }
    if s.years is not None:
        assert set(given) <= YEARLY_ONLY, given  # a year scope writes its years' rows only
    return write_for(out, staged, s.orgs, given, tables, others, SHARED, _years(s), _ids(s))
