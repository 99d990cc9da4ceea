"""The app's write gate: every change a page makes goes through here, to the live dataset.

The read gate (`dashboard.app.data`) hands pages what the reader may read; this module is
its counterpart for writing. Pages never name a folder or reach the imports layer: they
load the rows an editor starts from, save, check and import an upload, undo and restore
through these functions, which write to the live dataset themselves. The permission, the
conflict guard, the contract's checks and the record are the imports layer's, applied at
the moment of the write, so a new page cannot skip them by forgetting something.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from dashboard.app import data
from dashboard.imports import editing, rounds, undo, uploads
from dashboard.imports.editing import ID, goal_codes, goal_list
from dashboard.imports.ingest import Outcome
from dashboard.imports.undo import NotAllowed, Stale, UndoConflict
from dashboard.imports.uploads import MAX_EXPORT_ACTIVITIES, UploadCheck, max_upload_mb
from dashboard.model.access import Person, Scope, policy
from dashboard.model.rounds import RoundRefused

__all__ = [
    "ID",
    "MAX_EXPORT_ACTIVITIES",
    "NotAllowed",
    "RoundRefused",
    "Stale",
    "UndoConflict",
    "UploadCheck",
    "check_upload",
    "goal_codes",
    "goal_list",
    "import_upload",
    "load",
    "max_upload_mb",
    "restore_version",
    "round_step",
    "save",
    "template_maker",
    "undo_change",
    "workbook_maker",
]


def load(org: str, year: int, lang: str, part: str = "activities") -> list[dict[str, object]]:
    """The live rows of *part* of *org* in *year*, as the coordinator's sheet has them."""
    return editing.load(data.data_dir(), org, year, lang, part)


def save(
    org: str,
    year: int,
    lang: str,
    base: Sequence[Mapping[str, object]],
    edited: Sequence[Mapping[str, object]],
    person: Person,
    comment: str = "",
    part: str = "activities",
) -> Outcome:
    """Save the edited rows of *part* (`editing.save`: permission, conflicts, checks, record)."""
    return editing.save(data.data_dir(), org, year, lang, base, edited, person, comment, part)


def round_step(step: str, org: str, year: int, person: Person, **more: object) -> int:
    """One step of *org*'s round of *year* (`imports.rounds`: open, ready, approve, return,
    close, reopen), decided under the lock; the new version. Raises RoundRefused (the step
    may not be taken now, its key says why) or PermissionError."""
    out = data.data_dir()
    if step == "open":
        return rounds.open_year(out, org, year, more["due"], person, policy())  # type: ignore[arg-type]
    if step == "close":
        return rounds.close_year(out, org, year, person)
    if step == "reopen":
        return rounds.reopen_year(out, org, year, person, str(more.get("reason") or ""))
    part = str(more["part"])
    if step == "ready":
        return rounds.mark_ready(out, org, year, part, person)
    if step == "approve":
        return rounds.approve(out, org, year, part, person)
    if step == "return":
        return rounds.give_back(out, org, year, part, person, str(more.get("comment") or ""))
    raise ValueError(f"no step {step!r} in the round")


def undo_change(version: int, person: Person, comment: str) -> int:
    """Undo one recorded change (`undo.undo`, decided under the lock); the new version."""
    return undo.undo(data.data_dir(), version, person, comment)


def restore_version(version: int, person: Person, seen: int | None, comment: str) -> int:
    """Restore a kept version as a new one (`undo.restore`); refused if *seen* is stale."""
    return undo.restore(data.data_dir(), version, person, seen, comment)


def check_upload(
    name: str, payload: bytes, reader: Scope, progress: Callable[[float], None] | None = None
) -> UploadCheck:
    """Check an uploaded file against the live dataset, in a child process with limits."""
    found = uploads.in_child("check", name, payload, data.data_dir(), reader, progress)
    assert isinstance(found, UploadCheck)
    return found


def import_upload(
    name: str,
    payload: bytes,
    reader: Scope,
    person: Person | None,
    orgs: tuple[str, ...] | None,
) -> Outcome:
    """Import an uploaded file into the live dataset (checked again, in a child process)."""
    who = person.author if person else ""
    done = uploads.in_child(
        "import", name, payload, data.data_dir(), reader, who=who, orgs=orgs, person=person
    )
    assert isinstance(done, Outcome)
    return done


def workbook_maker(reader: Scope, orgs: tuple[str, ...], lang: str) -> Callable[[], bytes]:
    """The coordinator's workbook of *orgs* as a download's callable: the dataset is named
    now, in the run, since the button's callable runs on a thread of its own."""
    folder = data.data_dir()
    return lambda: uploads.coordinator_workbook(folder, reader, orgs, lang)


def template_maker(lang: str) -> Callable[[], bytes]:
    """The coordinator's empty workbook with example rows, as a download's callable."""
    return lambda: uploads.coordinator_template(lang)
