"""Editing in the browser, through the import's own code path.

An edit of one organisation's activities of one year is a partial coordinator workbook:
the activities sheet of that organisation and year, in the user's language, with names
and goal numbers ("1, 4"), exactly as the export writes it and a coordinator fills it in.
Saving hands that workbook, read as the import reads one (`sources.read_form`: the cells
without the file), to `ingest`, so a save is checked by the same contract checks
as an import (refused whole, each problem at its row and column, nothing written), is
one transaction with the summary tables rebuilt, and becomes a version in the history
(action "save", who, comment).

Two people editing the same rows: the later save is refused, never silently written over
the earlier. The editor remembers the rows it started from and puts its own changes on the
rows as they are now (`rebase`); only a row both changed raises `Conflict`, naming it, and
nothing is written. Inside the write, just before anything is written, the save checks
again that nobody saved meanwhile (the `guard` of `publish.Change`); if someone did, on this
or another machine, the save is made again on the rows as they are then. Edits of other
organisations or years never conflict: their saves do not touch these rows.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from dashboard.imports import partial, workbook
from dashboard.imports.ingest import Outcome, ingest
from dashboard.imports.sources import read_form
from dashboard.model import sheets
from dashboard.model.access import Person, Scope
from dashboard.model.contract import SMALL, TABLE_BY_NAME, TABLES
from dashboard.model.problems import ImportFailed, Problem
from dashboard.storage import (
    YEAR_COLUMN,
    Change,
    CommitConflict,
    DatasetError,
    LakeMoved,
    as_rows,
    read_table,
    ready_to_write,
    stamp_or_none,
)

ID = sheets.ID
TITLE = "activity_title"  # the Activities form's title column, which a new row's id is of
# What an edit fixes itself: the organisation it is made for, the year it covers and the
# row's hidden id; every other column of the part's sheet is the form's to keep or change.
FIXED = ("organisation", "year", ID)


@dataclass(frozen=True)
class Part:
    """One editable part: the coordinator sheet, what identifies a row, and the action a
    person must be allowed. The columns an edit carries are the sheet's (`columns`), so a
    column added to the contract and its sheet is kept by every save, never dropped."""

    sheet: str
    key: tuple[str, ...]
    action: str
    per_year: bool = True  # an edit covers one year (else every row of the organisation)

    @cached_property
    def columns(self) -> tuple[str, ...]:
        """The sheet's columns an edit writes besides the key, in the sheet's order (found
        once: a save compares every row by them, 34,215 times for 6,843 activities)."""
        cols = sheets.SHEET_BY_KEY[self.sheet].cols
        return tuple(c.key for c in cols if c.key not in (*FIXED, *self.key))


PARTS = {
    "activities": Part("activities", (ID,), "edit_activities"),
    # the yearly target and actual of each indicator (a reporter's)
    "indicator_values": Part("indicator_values", ("indicator",), "edit_values"),
    # the managers' verdict and analysis of each goal (a coordinator's)
    "assessments": Part("assessments", ("goal", "strategy"), "edit_organisation"),
    # a coordinator's: the organisation's projects and its memberships, all years at once
    "projects": Part("projects", (ID,), "edit_organisation", per_year=False),
    # a membership is its network and its first year (one network, two periods: two rows)
    "memberships": Part(
        "memberships", ("network", "since_year"), "edit_organisation", per_year=False
    ),
    # a coordinator's: the organisation's strategies and their numbered goals. A goal that
    # activities, projects, indicators or assessments still name cannot be deleted: the
    # import's reference check refuses the save, at the row that names it.
    "strategies": Part("strategies", (ID,), "edit_organisation", per_year=False),
    "goals": Part("goals", (ID,), "edit_organisation", per_year=False),
    # networks are shared by every organisation: a coordinator adds one, and corrects one
    # that only organisations they coordinate use; one that others use, only an admin.
    # The workbook adds and updates networks by id and never removes one.
    "networks": Part("networks", (ID,), "edit_organisation", per_year=False),
}
SHARED = ("networks",)  # parts every organisation shares (not narrowed to one)


def goal_codes(text: object) -> list[str]:
    """The goal codes of an edited row's goal list, as the workbook reads them (a code
    with a comma of its own, "4,1", stays one code)."""
    return sheets.goal_tokens(str(text or ""))


def goal_list(codes: Sequence[str]) -> str | None:
    """Goal codes chosen in a form as the workbook writes a goal list ("1, 4", "\"4,1\"")."""
    return ", ".join(sheets.quote_goal(c) for c in codes) or None


class LastRowOfYear(ValueError):
    """An edit that would leave the year with no rows. The partial workbook an edit becomes
    speaks only for the years its rows name, so an empty one would replace nothing and
    the save would claim success while changing nothing; it is refused instead."""


class NotAllowed(PermissionError):
    """The person may not change these rows (checked at the moment of the save)."""


@dataclass
class Conflict(Exception):
    """Someone else changed this organisation's activities of the year since the editor
    read them: their rows, as they are now (changed or added) or were (deleted)."""

    changed: list[dict[str, object]]
    added: list[dict[str, object]]
    removed: list[dict[str, object]]


def ready(folder: Path) -> None:
    """Do ahead what a process's first save of *folder* would otherwise do while a person
    waits (0.62 s against 0.24 s for the next save, at 1M activities): open the writer
    and read the small tables the save's names are resolved against (kept per snapshot,
    `partial.small_live`). Called in the background when a form that writes is drawn
    (`editform.get_ready`), so only a process where someone may edit pays for a writer."""
    from dashboard.i18n import LANGS
    from dashboard.i18n.languages import language

    for lang in LANGS:  # Babel's number symbols, which the sheet's numbers are read by
        language(lang).decimal  # noqa: B018  (loaded on first use: 11 ms)
    if ready_to_write(folder):  # else nothing to save to yet: the first import makes the lake
        partial.small_live(folder)


def load(
    folder: Path, org: str, year: int, lang: str, part: str = "activities"
) -> list[dict[str, object]]:
    """The rows of *part* of *org* in *year* as the coordinator's sheet has them, at the
    lake's newest snapshot.

    A save loads them twice more (the rebase, and the guard under the write's lock) after
    the form did: each is kept per snapshot (a snapshot never changes) and handed out as
    copies, so a save on a lake nobody else moved turns the rows into sheet cells once.
    That was 0.69 of a profiled 1.8 s save of 6,843 activities at 10M."""
    version = stamp_or_none(folder)
    key = (str(folder), version, org, year, lang, part)
    with _LOADED_LOCK:
        kept = _LOADED.get(key) if version is not None else None
        if kept is not None:
            _LOADED.move_to_end(key)
    if kept is None:
        kept = _load_at(folder, version, org, year, lang, part)
        if version is not None:
            with _LOADED_LOCK:
                _LOADED[key] = kept
                while len(_LOADED) > LOADS_KEPT:
                    _LOADED.popitem(last=False)
    return [dict(r) for r in kept]


LOADS_KEPT = 8  # a process keeps the last forms it loaded (one of 6,843 rows: ~10 MB)
_LOADED: OrderedDict[tuple, list[dict[str, object]]] = OrderedDict()
_LOADED_LOCK = threading.Lock()


def _load_at(
    folder: Path, version: int | None, org: str, year: int, lang: str, part: str
) -> list[dict[str, object]]:
    """`load` of snapshot *version* (None: the newest, of a lake whose catalog does not
    say)."""
    spec = PARTS[part]
    if part in SHARED:
        data = read_table(folder, TABLE_BY_NAME[part], version=version)
        tables = {part: [] if data is None else as_rows(data)}
    else:  # a one-year part reads its year's rows of the YEARLY tables only, in the query
        tables = workbook.dataset_rows(
            folder,
            Scope.only([org]),
            [org],
            [year] if spec.per_year else None,
            _read_by(part),
            version,
        )
    return sheets.sheet_rows(tables, lang)[spec.sheet]


def _read_by(part: str) -> tuple[str, ...] | None:
    """The tables a part's sheet is made of: every table for the activities, the small
    ones for the others (only the Activities sheet is made of the partitioned tables: at
    10 million activities one organisation's are 121,406 activities and their goal links,
    which a project's form read for 2.2 s)."""
    if part == "activities":
        return None
    return tuple(t.name for t in SMALL)


# the tables a one-year part reads by its year (every table with a year column, as the
# read's filter picks them: `storage.dataset.part_filter`; an activity's goal links carry
# its year); what the rows name (goals, networks, indicators) is read whole
YEARLY = tuple(t.name for t in TABLES if any(c.name == YEAR_COLUMN for c in t.columns))


def network_users(folder: Path) -> dict[str, set[str]]:
    """Which organisations use each network (a membership or an activity), by network id."""
    version = stamp_or_none(folder)  # both tables of one snapshot, as `dataset_rows` reads
    users: dict[str, set[str]] = {}
    for table in ("memberships", "activities"):
        data = read_table(
            folder, TABLE_BY_NAME[table], columns=["org_id", "network_id"], version=version
        )
        if data is None:
            continue
        orgs, nets = (data.column(c).to_pylist() for c in ("org_id", "network_id"))
        for o, n in zip(orgs, nets, strict=True):
            if n is not None:
                users.setdefault(n, set()).add(o)
    return users


def _same(a: Mapping[str, object], b: Mapping[str, object], part: str = "activities") -> bool:
    """Whether *a* and *b* hold the same values in the form's columns. Rows equal as a
    whole are so at once (a save compares each of an organisation-year's rows with its
    copy three times: 6,843 rows at 10M, 0.18 s column by column)."""
    return a == b or all(a.get(c) == b.get(c) for c in PARTS[part].columns)


def _by_id(
    rows: Sequence[Mapping[str, object]], part: str = "activities"
) -> dict[tuple[object, ...], Mapping[str, object]]:
    key = PARTS[part].key
    out = {}
    for r in rows:
        k = tuple(r.get(c) for c in key)
        if any(v is not None for v in k):
            out[k] = r
    return out


def conflicts(
    base: Sequence[Mapping[str, object]],
    now: Sequence[Mapping[str, object]],
    part: str = "activities",
) -> Conflict | None:
    """What changed between the rows an editor read (*base*) and the rows now."""
    was, is_ = _by_id(base, part), _by_id(now, part)
    changed = [dict(is_[k]) for k in is_ if k in was and not _same(was[k], is_[k], part)]
    added = [dict(is_[k]) for k in is_ if k not in was]
    removed = [dict(was[k]) for k in was if k not in is_]
    return Conflict(changed, added, removed) if changed or added or removed else None


def rebase(
    base: Sequence[Mapping[str, object]],
    edited: Sequence[Mapping[str, object]],
    now: Sequence[Mapping[str, object]],
    part: str = "activities",
) -> list[dict[str, object]]:
    """The edit (*base* -> *edited*) made on the rows as they are *now*: another person's
    change to another row stays. Raises Conflict naming the rows both changed (one changed
    or deleted what the other changed or deleted)."""
    was, mine, theirs = _by_id(base, part), _by_id(edited, part), _by_id(now, part)
    changed = {k for k in was if k not in mine or not _same(was[k], mine[k], part)}
    changed |= {k for k in mine if k not in was}
    moved = {k for k in was if k not in theirs or not _same(was[k], theirs[k], part)}
    moved |= {k for k in theirs if k not in was}
    both = changed & moved
    if both:
        same = {k for k in both if k in mine and k in theirs and _same(mine[k], theirs[k], part)}
        both -= same  # both made the same change: nothing to decide
    if both:
        raise Conflict(
            [dict(theirs[k]) for k in both if k in theirs and k in was],
            [dict(theirs[k]) for k in both if k in theirs and k not in was],
            [dict(was[k]) for k in both if k not in theirs],
        )
    out: list[dict[str, object]] = []
    for k, r in theirs.items():
        if k not in changed:
            out.append(dict(r))  # as it is now: changed by the other person or by nobody
        elif k in mine:
            out.append(dict(mine[k]))  # this edit's change
        # else: this edit deletes it
    out += [dict(r) for k, r in mine.items() if k not in theirs and k not in was]
    out += [dict(r) for r in edited if not any(r.get(c) is not None for c in PARTS[part].key)]
    return out


def _check_allowed(
    person: Person,
    org: str,
    base: Sequence[Mapping[str, object]],
    edited: Sequence[Mapping[str, object]],
    part: str = "activities",
    users: Mapping[str, set[str]] | None = None,
) -> None:
    """Every row the save adds, changes or deletes must be the person's to change (a
    reporter of one department: activities of that department, before and after)."""
    if part == "networks":
        _check_networks(person, org, base, edited, users)
        return
    if part != "activities":
        if not person.may(PARTS[part].action, org):
            raise NotAllowed(org)
        return
    was = _by_id(base)
    touched: list[object] = []
    kept = {(r.get(ID),) for r in edited if r.get(ID)}
    for r in edited:
        old = was.get((r.get(ID),))
        if old is None or not _same(old, r):
            touched.append(r.get("department"))
            if old is not None:
                touched.append(old.get("department"))
    touched += [r.get("department") for k, r in was.items() if k not in kept]
    for dept in touched:
        if not person.may("edit_activities", org, None if dept is None else str(dept)):
            raise NotAllowed(org)


def _check_networks(
    person: Person,
    org: str,
    base: Sequence[Mapping[str, object]],
    edited: Sequence[Mapping[str, object]],
    users: Mapping[str, set[str]] | None,
) -> None:
    """A coordinator (of *org*) adds networks; a changed network must be used only by
    organisations the person coordinates (else an admin's); none is ever removed."""
    if not person.may("edit_organisation", org):
        raise NotAllowed(org)
    was = _by_id(base, "networks")
    for r in edited:
        old = was.get((r.get(ID),))
        if old is None or _same(old, r, "networks"):
            continue
        for user in (users or {}).get(str(r.get(ID)), set()):
            if not person.may("edit_organisation", user):
                raise NotAllowed(user)


def save(
    folder: Path,
    org: str,
    year: int,
    lang: str,
    base: Sequence[Mapping[str, object]],
    edited: Sequence[Mapping[str, object]],
    person: Person,
    comment: str = "",
    part: str = "activities",
) -> Outcome:
    """Save the edited rows of *part* (activities, indicator values, assessments) of *org*
    in *year*: permission, conflict and contract checks, then one atomic publish recorded
    as a save. Raises NotAllowed, Conflict or ImportFailed (each problem at its sheet row
    and column); then nothing is written."""
    users = network_users(folder) if part == "networks" else None
    _check_allowed(person, org, base, edited, part, users)
    for _ in range(SAVE_ATTEMPTS - 1):
        try:
            return _save_on_now(folder, org, year, lang, base, edited, person, comment, part)
        except (_Moved, LakeMoved):
            continue  # another save came first: this edit is made again on the rows now
    try:
        return _save_on_now(folder, org, year, lang, base, edited, person, comment, part, last=True)
    except CommitConflict as exc:  # other saves kept coming first, every attempt
        raise Busy(str(exc)) from exc


class Busy(Exception):
    """Other saves kept coming first at every attempt (a busy lake): nothing was written,
    and the person's form keeps what they typed for them to save again."""


SAVE_ATTEMPTS = 4


class _Moved(Exception):
    """The rows changed between the rebase and the write (another save, on this or another
    machine): the save is made again on the rows as they are then."""


def _save_on_now(
    folder: Path,
    org: str,
    year: int,
    lang: str,
    base: Sequence[Mapping[str, object]],
    edited: Sequence[Mapping[str, object]],
    person: Person,
    comment: str,
    part: str,
    last: bool = False,
) -> Outcome:
    """`save` on the rows as they are now; raises _Moved when they changed before the write
    (on the *last* attempt: the Conflict that names the other's rows)."""
    spec = PARTS[part]
    # conflicts by row, not by year: the rows as they are now, with this edit's own changes
    # put on them; only a row both changed is a conflict (the guard checks again, in the
    # write, that nobody saved in between; if someone did, the save is made again)
    now = load(folder, org, year, lang, part)
    base, edited = now, rebase(base, edited, now, part)
    if part == "networks":  # none is removed (the workbook only adds and updates)
        kept = {(r.get(ID),) for r in edited}
        edited = [*edited, *(dict(r) for k, r in _by_id(base, part).items() if k not in kept)]
    if base and not edited:  # per year, or (projects, memberships) the organisation's last
        raise LastRowOfYear(org, year)
    whole = edited  # the form's rows, as the person sees them (problems are said of these)
    narrowed = _changed_only(base, edited, org, year) if part == "activities" else None
    edited, ids, at = narrowed or (edited, None, list(range(len(edited))))
    name = _org_name(folder, org)
    rows = []
    for r in edited:
        row = {k: r.get(k) for k in (*spec.key, *spec.columns)}
        if part not in SHARED:
            row["organisation"] = name
        rows.append({**row, **({"year": year} if spec.per_year else {})})

    def guard(out: Path) -> None:
        found = conflicts(base, load(out, org, year, lang, part), part)
        if found is not None:
            raise found if last else _Moved()

    label = sheets.sheet_title(spec.sheet, lang)
    form = read_form({spec.sheet: rows}, lang, f"{label}.xlsx")
    who = person.author
    change = Change(who=who, action="save", comment=comment, guard=guard, person=person)
    try:
        # the form speaks for *org*, whose names its rows are looked up by: indexed among
        # its rows and the shared networks, not every organisation's (0.2 s at 10M)
        done = ingest(form, folder, change=change, reader=Scope.only([org]), activity_ids=ids)
    except ImportFailed as exc:
        raise FormRefused(
            _at_rows(exc.problems, at), _at_rows(exc.warnings, at), [row_name(r) for r in whole]
        ) from None
    return replace(done, warnings=_at_rows(done.warnings, at))


def _at_rows(problems: Sequence[Problem], at: Sequence[int]) -> list[Problem]:
    """*problems* of the sheet a save became, at the form's rows: the sheet's row i + 2
    (under its header) is the form's row at[i] + 2 (a save of some activities holds
    only the rows it changed)."""
    return [replace(p, row=at[p.row - 2] + 2) if 0 <= p.row - 2 < len(at) else p for p in problems]


def _changed_only(
    base: Sequence[Mapping[str, object]],
    edited: Sequence[Mapping[str, object]],
    org: str,
    year: int,
) -> tuple[list[dict[str, object]], frozenset[str], list[int]] | None:
    """The activities of an edit that it changes or adds (each new one with the id the
    import would give it) and the ids the save speaks for: those and the ones it removes
    (`partial.Scope.ids`), and where each changed row is among *edited*. A save that only
    removes rows carries one kept row as it is stored, so that its sheet names its
    organisation and year (written again unchanged, it changes nothing: the write compares
    rows). None, and the year is saved whole as the workbook would be, for a save of
    nothing, or when imports are not scoped at all."""
    was = _by_id(base)
    at = [i for i, r in enumerate(edited) if (k := (r.get(ID),)) not in was or not _same(r, was[k])]
    removed = {str(k[0]) for k in was} - {str(r.get(ID)) for r in edited if r.get(ID)}
    if not at and removed and edited:
        at = [0]  # the anchor: a kept row, unchanged
    changed = [edited[i] for i in at]
    if not changed or not partial.ENABLED:
        return None
    taken = workbook.given_ids(edited)  # as the workbook would: the sheet's given ids
    text = workbook.cell_text
    rows = [
        dict(r)
        if text(r.get(ID))
        else dict(r, **{ID: workbook.new_activity_id(taken, org, year, text(r.get(TITLE)))})
        for r in changed
    ]
    return rows, frozenset({str(r[ID]) for r in rows} | removed), at


def _org_name(folder: Path, org: str) -> str:
    """The organisation's name, as the sheet's rows give it (its row alone is read: not
    every table of the organisation, which cost a save at a million activities 35 ms)."""
    found = read_table(folder, TABLE_BY_NAME["organisations"], ["org_id", "name"], [org])
    names = [r["name"] for r in (found.to_pylist() if found is not None else [])]
    if not names:
        raise DatasetError(f"{org} is not in {folder}", "unreadable", tables="organisations")
    return str(names[0])


def row_name(row: Mapping[str, object]) -> str:
    """How a form's row is named to the person who edits it (its title, name or number)."""
    for key in ("activity_title", "project_title", "strategy_title", "name", "indicator"):
        if row.get(key):
            return str(row[key])
    if row.get("number") is not None:
        return f"{row.get('number')}. {str(row.get('wording') or '')[:60]}"
    if row.get("goal") is not None:
        return str(row["goal"])
    return str(row.get("network") or "")


class FormRefused(ImportFailed):
    """A form's save refused by the import's checks. The checks speak of the sheet the
    save became (its rows and columns); *names* names each of those rows as the form does
    (row 2 is names[0]), so a person is told "Källa, Studiebesök i Gdańsk", never a file
    and a row number they never saw."""

    def __init__(self, problems: list, warnings: list, names: list[str]) -> None:
        super().__init__(problems, warnings)
        self.names = names

    def row_of(self, sheet_row: int) -> str:
        i = sheet_row - 2
        return self.names[i] if 0 <= i < len(self.names) else ""
