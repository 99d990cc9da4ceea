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
import shutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from dashboard.dataset import staging_dir, swap_in, write_manifest
from dashboard.db import build_summaries
from dashboard.problems import ImportFailed, Problem


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


def publish(out: Path, write: Callable[[Path], Mapping[str, int]], source: str) -> dict[str, int]:
    """Write a dataset with *write(staging_folder)* and swap it in at *out*; returns the
    row counts *write* reported. On any error nothing at *out* changes."""
    check_out(out)
    with locked(out):
        clean_stale(out)
        staged = staging_dir(out)
        try:
            counts = dict(write(staged))
            build_summaries(staged)
            write_manifest(staged, counts, source)
            swap_in(staged, out)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
    return counts
