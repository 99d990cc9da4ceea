"""The yearly round's steps, each one write of the lake decided under its lock.

Open a year, mark a part ready, approve it, return it with a comment, close the year,
reopen it with a reason: each is a `publish` of the round's three tables
(`contract.ROUND_TABLES`) recorded as a change of action "round" with the person as author,
so the History lists it and nothing writes a round's state but these functions. Who may
take a step, and whether it may be taken now, is decided inside the write, against the
round as it is at that moment (`model.rounds`): a part approved meanwhile on another
machine cannot be marked ready again by a stale page. What the round keeps from changing
(a closed year, a part marked ready) is kept by the lake's write itself
(`storage.publishing`), for every path that writes: a form, an import, an undo, a restore.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from dashboard.model import rounds as rules
from dashboard.model.access import Person, Policy, Scope
from dashboard.model.contract import ROUND_TABLES
from dashboard.model.filters import Filters
from dashboard.model.rounds import INDICATORS, RoundRefused
from dashboard.sql.queries import params_for
from dashboard.storage import (
    Change,
    Database,
    arrow_schema,
    last_version,
    publish,
    read_table,
    stamp,
    write_table,
)

Tables = dict[str, list[dict[str, Any]]]
Step = Callable[[Tables, str, Path], None]  # changes (tables) at time now, of the dataset


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _who(person: Person | None) -> str:
    if person is None:
        from dashboard.storage import default_who

        return default_who()
    return person.author


def _write(out: Path, person: Person | None, comment: str, step: Step) -> int:
    """Publish the round's tables as *step* leaves them, read under the lock (again should
    another machine commit first); the new version. *step* raises RoundRefused or
    PermissionError to write nothing."""

    def write(staged: Path) -> dict[str, int]:
        tables: Tables = {}
        for t in ROUND_TABLES:
            found = read_table(out, t)
            tables[t.name] = [] if found is None else found.to_pylist()
        step(tables, _now(), out)
        counts = {}
        for t in ROUND_TABLES:
            rows = pa.Table.from_pylist(tables[t.name], schema=arrow_schema(t))
            counts[t.name] = write_table(staged, t, rows)
        return counts

    change = Change(who=_who(person), action="round", comment=comment, person=person)
    publish(out, write, source="round", change=change)
    return last_version(out)


def _round(tables: Tables, org: str, year: int) -> dict[str, Any] | None:
    return next(
        (r for r in tables["rounds"] if r["org_id"] == org and int(r["year"]) == year), None
    )


def _part(tables: Tables, org: str, year: int, part: str) -> dict[str, Any]:
    found = next(
        (
            p
            for p in tables["round_parts"]
            if p["org_id"] == org and int(p["year"]) == year and p["part"] == part
        ),
        None,
    )
    if found is None:
        raise RoundRefused("no_part", part=part)
    return found


def _event(
    tables: Tables, org: str, year: int, part: str, event: str, by: str, at: str, comment: str = ""
) -> None:
    seq = 1 + max(
        (int(e["seq"]) for e in tables["round_events"] if e["org_id"] == org and e["year"] == year),
        default=0,
    )
    tables["round_events"].append(
        {
            "org_id": org,
            "year": year,
            "seq": seq,
            "part": part,
            "event": event,
            "who": by,
            "time": at,
            "comment": comment or None,
        }
    )


def _open_round(tables: Tables, org: str, year: int) -> dict[str, Any]:
    found = _round(tables, org, year)
    if found is None:
        raise RoundRefused("not_opened", year=year)
    if found["state"] == "closed":
        raise RoundRefused("closed", year=year)
    return found


def departments_found(out: Path, org: str, year: int) -> list[str]:
    """The departments *org*'s activities of *year* and the year before name."""
    data = read_table(out, _table("activities"), ["year", "department"], [org])
    if data is None:
        return []
    rows = data.to_pylist()
    return sorted(
        {str(r["department"]) for r in rows if r["year"] in (year, year - 1) and r["department"]}
    )


def _table(name: str):
    from dashboard.model.contract import TABLE_BY_NAME

    return TABLE_BY_NAME[name]


def open_year(
    out: Path, org: str, year: int, due: date, person: Person | None, policy: Policy
) -> int:
    """Open *year* for reporting in *org* with the deadline *due*: one part per department
    (its reporters' in the access file, and those its activities of the year and the year
    before name) and one for the indicators. A coordinator's; refused when the year is
    already opened (a closed one is reopened instead)."""
    by = _who(person)

    def step(tables: Tables, now: str, live: Path) -> None:
        if not rules.may_run(person, org):
            raise PermissionError(org)
        if _round(tables, org, year) is not None:
            raise RoundRefused("already_open", year=year)
        tables["rounds"].append(
            {
                "org_id": org,
                "year": year,
                "due": due,
                "state": "open",
                "closed_snapshot": None,
                "changed_by": by,
                "changed_at": now,
            }
        )
        parts = [*rules.departments(policy, org, departments_found(live, org, year)), INDICATORS]
        for p in parts:
            tables["round_parts"].append(
                {
                    "org_id": org,
                    "year": year,
                    "part": p,
                    "state": "open",
                    "comment": None,
                    "changed_by": by,
                    "changed_at": now,
                }
            )
        _event(tables, org, year, "", "opened", by, now, due.isoformat())

    return _write(out, person, f"{year} opened for reporting, deadline {due.isoformat()}", step)


def _move(
    out: Path, org: str, year: int, part: str, to: str, person: Person | None, comment: str = ""
) -> int:
    by = _who(person)

    def step(tables: Tables, now: str, live: Path) -> None:
        _open_round(tables, org, year)
        found = _part(tables, org, year, part)
        _, who = rules.MOVES[to]
        allowed = (
            rules.may_run(person, org)
            if who == "coordinator"
            else rules.may_report(person, org, part)
        )
        if not allowed:
            raise PermissionError(org)
        if to == "returned" and not comment.strip():
            raise RoundRefused("comment_needed")
        found["state"] = rules.move(found["state"], to)
        found["comment"] = comment.strip() if to == "returned" else None
        found["changed_by"], found["changed_at"] = by, now
        _event(tables, org, year, part, to, by, now, comment.strip())

    shown = "indicators" if part == INDICATORS else part
    said = f"{year}: {shown} {to}" + (f": {comment.strip()}" if comment.strip() else "")
    return _write(out, person, said, step)


def mark_ready(out: Path, org: str, year: int, part: str, person: Person | None) -> int:
    """The reporter's part is ready: read-only for its reporters until it is returned."""
    return _move(out, org, year, part, "ready", person)


def approve(out: Path, org: str, year: int, part: str, person: Person | None) -> int:
    """The coordinator approves a ready part."""
    return _move(out, org, year, part, "approved", person)


def give_back(
    out: Path, org: str, year: int, part: str, person: Person | None, comment: str
) -> int:
    """The coordinator returns a ready (or approved) part with a comment its reporters
    see where they work."""
    return _move(out, org, year, part, "returned", person, comment)


def goals_state(out: Path, org: str, year: int) -> tuple[int, int, str]:
    """How many goals of *org* apply in *year*, how many are assessed, which are not."""
    db = Database(out, snapshot=stamp(out))
    try:
        found = db.df("round_goals", params_for("round_goals", Filters((org,)), year=year))
    finally:
        db.close()
    if found.empty:
        return 0, 0, ""
    row = found.iloc[0]
    return int(row["goals"]), int(row["assessed"]), str(row["unassessed"] or "")


def close_year(out: Path, org: str, year: int, person: Person | None) -> int:
    """Close *year* of *org*: every part approved and every goal assessed (decided under
    the lock). From then on the lake refuses any change of the organisation's rows of the
    year; the round remembers the snapshot it was closed on, so the dashboard and the
    report of the year read as they were."""
    by = _who(person)

    def step(tables: Tables, now: str, live: Path) -> None:
        if not rules.may_run(person, org):
            raise PermissionError(org)
        found = _open_round(tables, org, year)
        states = {
            p["part"]: p["state"]
            for p in tables["round_parts"]
            if p["org_id"] == org and int(p["year"]) == year
        }
        goals, assessed, missing = goals_state(live, org, year)
        why = rules.can_close(states, goals, assessed)
        if why is not None:
            raise RoundRefused(why, goals=missing, year=year)
        found.update(state="closed", closed_snapshot=stamp(live), changed_by=by, changed_at=now)
        _event(tables, org, year, "", "closed", by, now)

    return _write(out, person, f"{year} closed", step)


def reopen_year(out: Path, org: str, year: int, person: Person | None, reason: str) -> int:
    """Open a closed year again, with the *reason* recorded; its parts keep their states."""
    by = _who(person)

    def step(tables: Tables, now: str, live: Path) -> None:
        if not rules.may_run(person, org):
            raise PermissionError(org)
        found = _round(tables, org, year)
        if found is None or found["state"] != "closed":
            raise RoundRefused("not_closed", year=year)
        if not reason.strip():
            raise RoundRefused("reason_needed")
        found.update(state="open", closed_snapshot=None, changed_by=by, changed_at=now)
        _event(tables, org, year, "", "reopened", by, now, reason.strip())

    return _write(out, person, f"{year} reopened: {reason.strip()}", step)


def closed_snapshot(out: Path, org: str, year: int, allowed: Scope) -> int | None:
    """The snapshot *org*'s *year* was closed on (None: not closed), for a reader of
    *allowed*."""
    if not allowed.allows(org):
        return None
    data = read_table(out, _table_round("rounds"), orgs=[org])
    for r in [] if data is None else data.to_pylist():
        if int(r["year"]) == year and r["state"] == "closed":
            return int(r["closed_snapshot"])
    return None


def _table_round(name: str):
    from dashboard.model.contract import ROUND_TABLE_BY_NAME

    return ROUND_TABLE_BY_NAME[name]
