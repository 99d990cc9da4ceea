"""Publishing a dataset: the one step the import and the generator share.

`publish` takes a function that writes the contract's tables into a fresh staging folder,
then builds the summary tables, writes the manifest and swaps the folder in atomically
(`dataset.swap_in`). It holds a lock beside the dataset while it works, so two imports
never interleave, and first removes the staging folders an import that was killed left
behind. An `--out` that is a symbolic link or a file is refused before anything is
written: swapping a link would replace the link, not the dataset it points to.
"""

from __future__ import annotations

import fcntl
import getpass
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dashboard.model.contract import TABLES
from dashboard.model.migrations import CONTRACT_VERSION, summary
from dashboard.model.problems import ImportFailed, Problem
from dashboard.storage import history
from dashboard.storage.dataset import (
    contract_version,
    has_dataset,
    read_manifest,
    read_table,
    staging_dir,
    swap_in,
    write_manifest,
    write_table,
)
from dashboard.storage.engine import build_summaries


def check_out(out: Path) -> None:
    """Refuse an output path that cannot be swapped safely."""
    if out.is_symlink():
        raise ImportFailed([Problem.of(str(out), 0, "-", "out_symlink", target=str(out.resolve()))])
    if out.exists() and not out.is_dir():
        raise ImportFailed([Problem.of(str(out), 0, "-", "out_not_folder")])


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the dataset's lock file (`.NAME.lock` beside it) for the block."""
    out.parent.mkdir(parents=True, exist_ok=True)
    lock = out.parent / f".{out.name}.lock"
    with open(lock, "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def clean_stale(out: Path) -> list[Path]:
    """Remove staging and old-dataset folders a killed import left beside *out*."""
    removed = []
    for pattern in (f".{out.name}.new-*", f".{out.name}.old-*"):
        for stale in out.parent.glob(pattern):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)
                removed.append(stale)
    return removed


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


FAILPOINT = "DASHBOARD_FAILPOINT"  # tests: the step of a publish at which to be killed


def _step(name: str) -> None:
    """A named step of a publish. The kill tests set DASHBOARD_FAILPOINT to a step's name
    and the process is killed there (SIGKILL: no clean-up runs), to show that a kill at
    any step leaves the change and its record both published or neither."""
    if os.environ.get(FAILPOINT) == name:
        os.kill(os.getpid(), signal.SIGKILL)


STEPS = ("locked", "written", "summarised", "kept", "swapped", "recorded")


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
) -> dict[str, int]:
    """Write a dataset with *write(staging_folder)* and swap it in at *out*; returns the
    row counts *write* reported. On any error nothing at *out* changes. The summary
    tables are built from the written tables, unless *summaries* is False (then *write*
    has written them: an import of some organisations builds theirs alone). *write* runs
    under the dataset's lock, against the dataset as it is then.

    Every publish is a version in the history (`dashboard.storage.history`): its files are kept
    (hard links, shared with the previous version where a table did not change) and a
    line records who, when, what and whose rows changed. The line is part of the new
    version's manifest, swapped in with the data, and appended to the log after the swap;
    a kill in between is repaired from the manifest. A dataset published before the
    history existed is first kept as version 1 ("baseline"), so nothing is ever lost."""
    check_out(out)
    change = change or Change(who=default_who())
    with locked(out):
        _step("locked")
        clean_stale(out)
        history.repair(out)
        if needs_upgrade(out):  # a dataset of an older contract: today's shape first
            _publish_locked(out, _rewrite_all(out), "upgrade", _upgrade_change(out), True)
        if change.guard is not None:
            change.guard(out)
        return _publish_locked(out, write, source, change, summaries)


def needs_upgrade(out: Path) -> bool:
    """Whether the dataset at *out* was written under an older contract than today's."""
    return has_dataset(out) and contract_version(out) < CONTRACT_VERSION


def upgrade(out: Path, who: str = "") -> int | None:
    """Publish the dataset in today's contract, recorded as an upgrade; the new version,
    or None when it already is (`python -m dashboard upgrade`; also done first by any write)."""
    check_out(out)
    with locked(out):
        clean_stale(out)
        history.repair(out)
        if not needs_upgrade(out):
            return None
        _publish_locked(out, _rewrite_all(out), "upgrade", _upgrade_change(out, who), True)
    return history.last_version(out)


def _upgrade_change(out: Path, who: str = "") -> Change:
    return Change(who or "Målbild (upgrade)", "upgrade", summary(contract_version(out)))


def _rewrite_all(folder: Path) -> Callable[[Path], dict[str, int]]:
    """A write of every table of *folder* as read in today's contract (`read_table`)."""

    def write(staged: Path) -> dict[str, int]:
        counts = {}
        for t in TABLES:
            rows = read_table(folder, t)
            if rows is not None:
                counts[t.name] = write_table(staged, t, rows)
        return counts

    return write


def _publish_locked(
    out: Path,
    write: Callable[[Path], Mapping[str, int]],
    source: str,
    change: Change,
    summaries: bool,
) -> dict[str, int]:
    """`publish`'s work, under the lock it holds."""
    staged = staging_dir(out)
    try:
        counts = dict(write(staged))
        _step("written")
        if summaries:
            build_summaries(staged)
        _step("summarised")
        version = _next_version(out)
        if version == 1 and has_dataset(out):
            _keep_baseline(out)
            version = 2
        elif has_dataset(out):
            _keep_live(out)
        with tempfile.TemporaryDirectory() as nothing:  # the 'before' of a first import
            before = out if has_dataset(out) else Path(nothing)
            changes = history.diff(before, staged)
            orgs = history.orgs_touched(changes)
        entry = history.Entry(
            version,
            history.now(),
            change.who or default_who(),
            change.action,
            orgs,
            {k: v.as_json() for k, v in changes.items()},
            change.comment,
            change.restored_from,
            change.undoes,
        )
        write_manifest(staged, counts, source, entry.as_json())
        history.keep_version(out, staged, version)
        _step("kept")
        swap_in(staged, out)
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    _step("swapped")
    history.record(out, entry)
    _step("recorded")
    return counts


def _next_version(out: Path) -> int:
    """One past the last version recorded or kept (a version kept by a publish that was
    killed before its line was written is not reused)."""
    root = history.history_dir(out) / history.VERSIONS
    kept = [int(p.name) for p in root.iterdir() if p.name.isdigit()] if root.exists() else []
    return max([history.last_version(out), *kept]) + 1


def _keep_live(out: Path) -> None:
    """Keep the live version's files again if its folder is gone (a history folder lost
    or copied without its versions): the 'before' of every later change stays readable."""
    live = history.live_version(out)
    if live is not None and not history.version_dir(out, live).is_dir():
        history.keep_version(out, out, live)


def _keep_baseline(out: Path) -> None:
    """The live dataset as version 1, before the first recorded change replaces it (its
    line first: a kill before its files are kept leaves a baseline "not kept", never kept
    files without a line)."""
    manifest = read_manifest(out)
    history.record(
        out,
        history.Entry(
            1,
            str(manifest.get("imported_at") or history.now()),
            "unknown (before the history)",
            "baseline",
            (),
            {},
            str(manifest.get("source", "")),
        ),
    )
    history.keep_version(out, out, 1)


def restore(out: Path, version: int, change: Change) -> int:
    """Publish the tables of *version* again, as a new version recorded as a restore;
    returns the new version. LookupError when that version's files are gone (pruned) or
    never were."""
    from dashboard.storage.dataset import link_table, row_count

    folder = history.version_dir(out, version)
    if not folder.is_dir():
        raise LookupError(f"version {version} is not kept (see `history`; pruned versions "
                          "keep their record but not their files)")  # fmt: skip

    def write(staged: Path) -> dict[str, int]:
        if contract_version(folder) < CONTRACT_VERSION:  # written under an older contract
            return _rewrite_all(folder)(staged)
        counts = {}
        for t in TABLES:  # a version's files never change: linked, not copied
            if link_table(folder, staged, t):
                counts[t.name] = row_count(staged, t) or 0
        return counts

    restored = Change(change.who, "restore", change.comment, version, change.guard)
    publish(out, write, source=f"version {version}", change=restored)
    return history.last_version(out)
