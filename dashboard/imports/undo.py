"""Undo one change, and restore a whole version: both new snapshots, decided in the write.

**Undo** takes back one recorded change (a save, an import, a restore, an undo): the rows
that change touched go back to what they were just before it, and every later change by
anyone else stays. Where a later change touched one of those rows again, the undo is
refused and names those rows as they are now (`UndoConflict`): undoing would silently
throw that later work away. Who may undo: a coordinator of every organisation whose rows
the change touched (an administrator of all); rows that belong to no organisation (a
network nobody uses) only by an administrator or the person who made the change.

**Restore** publishes an earlier version whole, so it also takes back every change made
since, by anyone: an administrator's tool, and refused if the dataset changed after the
administrator looked (`Stale`): a save that lands meanwhile is never reverted unseen.

Both are decided inside the publish, against the dataset as it is at that moment (and
again should another machine commit first): the permission (on every table the change
touches, attributed as the record attributes it), the conflicts, and the contract's checks
(an undo that would leave an activity pointing at a goal it removes is refused like an
import would be). An undo is written like a coordinator's workbook of the organisations it
touches (`dashboard.imports.partial`): their rows of the tables it touches, the rest
untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from dashboard.imports import partial
from dashboard.imports.checks import ParsedTable, check_tables
from dashboard.model.access import Person
from dashboard.model.contract import TABLE_BY_NAME, TABLES, Table
from dashboard.model.problems import ERROR, ImportFailed, Problem
from dashboard.storage import (
    Change,
    Entry,
    Owners,
    Pair,
    arrow_schema,
    changed_rows,
    entries,
    kept,
    key_of,
    last_version,
    previous_version,
    publish,
)


class NotAllowed(PermissionError):
    """The person may not undo or restore this change (decided under the lock)."""


class Stale(RuntimeError):
    """The dataset changed after the person looked: a restore would revert that unseen."""


@dataclass
class UndoConflict(Exception):
    """Later changes touched rows this undo would take back: (table, key, row now or
    None when a later change deleted it)."""

    rows: list[tuple[str, str, dict[str, object] | None]] = field(default_factory=list)


@dataclass
class Plan:
    """What undoing a change takes back: the change's record line, and per table what it
    did to each row (key -> (row before, row after); None: absent)."""

    entry: Entry
    did: dict[str, dict[str, Pair]]
    owners: set[str]  # organisations whose rows the undo touches ("" nobody's)


def plan(out: Path, version: int) -> Plan:
    """What undoing *version* takes back (LookupError when there is nothing to undo or
    its files or the previous version's are not kept)."""
    entry = next((e for e in entries(out) if e.version == version), None)
    if entry is None or entry.action == "baseline":
        raise LookupError(f"version {version} is no recorded change")
    if entry.action == "round":  # the round's own steps take it back: return, reopen
        raise LookupError(f"version {version} is a step of the yearly round")
    previous = previous_version(out, version)
    if previous is None:
        raise LookupError(f"version {version} is the first: there is nothing to go back to")
    if not kept(out, previous) or not kept(out, version):
        raise LookupError(f"the files of version {previous} or {version} are not kept (pruned)")
    did: dict[str, dict[str, Pair]] = {}
    owners: set[str] = set()
    who = Owners.of_versions(out, previous, version)
    for table in TABLES:
        rows = changed_rows(out, version, table)
        if rows is None:  # too large to itemise: undone by restoring, an admin's
            raise LookupError(f"{table.name} is too large to undo row by row")
        if not rows:
            continue
        did[table.name] = rows
        for k, (b, a) in rows.items():
            owners |= who.of(table, k, [b, a]) or {""}
    return Plan(entry, did, owners)


def may_undo(person: Person | None, entry: Entry) -> bool:
    """Whether *person* may undo the change *entry* records (shown or not; decided again
    under the lock against the rows as they are then)."""
    if person is None or entry.action in ("baseline", "round"):
        return False
    return _allowed(person, entry.owners(), entry.who)


def _allowed(person: Person, owners: set[str], who: str) -> bool:
    for o in owners:
        if o == "":
            if not (person.may("restore", "*") or person.wrote(who)):
                return False
        elif not person.may("undo", o):
            return False
    return bool(owners)


def undo(out: Path, version: int, person: Person, comment: str = "") -> int:
    """Take back the change of *version* as a new version recorded as an undo; returns
    the new version. Raises NotAllowed, UndoConflict, ImportFailed (the result would break
    the contract) or LookupError; then nothing is written."""

    def write(staged: Path) -> dict[str, int]:  # under the lock, against the live dataset
        p = plan(out, version)
        if not _allowed(person, p.owners, p.entry.who):
            raise NotAllowed(version)
        # the live rows of the organisations the undo speaks for (and of the shared tables)
        s = partial.scope(out, partial.small_live(out), sorted(o for o in p.owners if o))
        conflicts: list[tuple[str, str, dict[str, object] | None]] = []
        for name, rows in p.did.items():
            table = TABLE_BY_NAME[name]
            live = {key_of(table, r): r for r in s.rows.get(name, [])}
            for k, (_, after) in rows.items():
                now = live.get(k)
                if (None if now is None else _as_tuple(table, now)) != after:
                    conflicts.append((name, k, now))
        if conflicts:
            raise UndoConflict(conflicts)
        given = tuple(t.name for t in TABLES if t.name in p.did)
        tables: dict[str, pa.Table] = {}
        parsed: dict[str, ParsedTable] = {}
        for table in TABLES:
            kept = s.rows.get(table.name, [])
            if table.name in p.did:
                kept = _reverted(table, kept, p.did[table.name])
                schema = arrow_schema(table)
                tables[table.name] = (
                    pa.Table.from_pylist(kept, schema=schema) if kept else schema.empty_table()
                )
            parsed[table.name] = ParsedTable(
                table, f"{table.name}.parquet", kept, list(range(2, len(kept) + 2))
            )
        problems: list[Problem] = []
        check_tables(parsed, problems, partial.outside_refs(s))
        partial.cross_checks(out, s, {n: parsed[n] for n in given}, problems)
        errors = [x for x in problems if x.level == ERROR]
        if errors:
            raise ImportFailed(errors)
        return partial.write(out, staged, s, given, tables)

    who = person.author
    change = Change(who=who, action="undo", comment=comment, undoes=version, person=person)
    publish(out, write, source=f"undo of version {version}", change=change, summaries=False)
    return last_version(out)


def _as_dict(table: Table, row: tuple) -> dict[str, object]:
    return dict(zip((c.name for c in table.columns), row, strict=True))


def _as_tuple(table: Table, row: Mapping[str, object]) -> tuple:
    return tuple(row.get(c.name) for c in table.columns)


def _reverted(table: Table, rows: list[dict], did: Mapping[str, Pair]) -> list[dict]:
    """*rows* (the live rows the undo speaks for) with every row the change touched put
    back as it was before it: changed rows as they were, added gone, removed there again."""
    out = [r for r in rows if key_of(table, r) not in did]
    out += [_as_dict(table, before) for before, _ in did.values() if before is not None]
    return out


def restore(out: Path, version: int, person: Person, seen: int | None, comment: str = "") -> int:
    """Publish version *version* whole again (an administrator's), refused with Stale when
    the live version is no longer *seen*, the one the person looked at."""
    from dashboard.storage import restore as publish_restore

    def guard(live: Path) -> None:  # under the lock
        if not person.may("restore", "*"):
            raise NotAllowed(version)
        if seen is not None and last_version(live) != seen:
            raise Stale(seen)

    who = person.author
    return publish_restore(
        out, version, Change(who, "restore", comment, guard=guard, person=person)
    )
