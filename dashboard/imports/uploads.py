"""The Data page's file handling: one uploaded file checked, and imported where allowed.

The checking and the import run in a child process of their own (`in_child`), with a time
limit (`DASHBOARD_UPLOAD_SECONDS`, default 60) and a memory limit
(`DASHBOARD_UPLOAD_MEMORY_MB`, default 1500): a large workbook costs one process its
seconds and memory, which are given back when it ends, and never holds the server's
Python for the other users' clicks.

The upload is one file: the coordinator's workbook, the 12-table workbook, one table as
CSV, or a zip of CSV files. It has a size limit of its own (`DASHBOARD_UPLOAD_MB`,
default 20; Streamlit's own limit in `.streamlit/config.toml` is set to the same), a
zip is opened only within bounds (at most 50 members and 10 times the size limit
unpacked), and a workbook is streamed sheet by sheet with a progress callback. The
checks are the import's own (`ingest.check`): the page and the command line give the
same problems, in the reader's language.
"""

from __future__ import annotations

import errno
import io
import logging
import os
import queue
import resource
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard import PROJECT_ROOT, settings
from dashboard.i18n import fmt_int, tn
from dashboard.imports.ingest import Outcome, check, ingest
from dashboard.model.access import Person, Scope, ScopeMissing
from dashboard.model.problems import ImportFailed, Problem, group
from dashboard.storage import OUT_OF_MEMORY, Change, CommitConflict, DatasetError

MAX_MEMBERS = 50
# a disk that takes no more (full, over quota, read-only, a file-size limit)
DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG}
log = logging.getLogger("malbild")


def max_upload_mb() -> int:
    """The upload limit in megabytes (`DASHBOARD_UPLOAD_MB`, default 20)."""
    return settings.whole("DASHBOARD_UPLOAD_MB", 20)


def unpack(name: str, data: bytes) -> tuple[list[tuple[str, bytes]], list[Problem]]:
    """The files inside one upload: itself, or the CSV files of a zip (within bounds)."""
    limit = max_upload_mb() * 1024 * 1024
    if len(data) > limit:
        return [], [Problem.of(name, 0, "-", "upload_too_large", mb=max_upload_mb())]
    if not name.lower().endswith(".zip"):
        return [(Path(name).name, data)], []
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in zf.infolist() if not m.is_dir()]
        if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > 10 * limit:
            return [], [Problem.of(name, 0, "-", "zip_too_large")]
        files = [
            (Path(m.filename).name, zf.read(m))
            for m in members
            if m.filename.lower().endswith(".csv") and not Path(m.filename).name.startswith(".")
        ]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        return [], [Problem.of(name, 0, "-", "bad_xlsx", reason=exc.__class__.__name__)]
    if not files:
        return [], [Problem.of(name, 0, "-", "no_csv")]
    return files, []


@dataclass
class UploadCheck:
    """What checking an uploaded file found: every problem and warning, rows per table."""

    problems: list[Problem]
    warnings: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    given: tuple[str, ...] = ()
    kind: str = "contract"
    # a coordinator's workbook: per organisation, table and year, its rows now and after
    replaces: list[tuple[str, str, int | None, int, int]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # those organisations' names

    @property
    def orgs(self) -> tuple[str, ...]:
        """The organisations whose rows the import would replace."""
        return tuple(sorted({r[0] for r in self.replaces if r[3] or r[4]}))

    def replaces_frame(self, lang: str) -> pd.DataFrame:
        """The preview as a table: organisation, table, rows now, rows after."""
        from dashboard.model.codes import table_label

        return pd.DataFrame(
            [
                (self.names.get(o, o), table_label(t, lang), year, before, after)
                for o, t, year, before, after in self.replaces
                if before or after
            ],
            columns=["org_id", "table_name", "year", "rows_before", "rows_after"],
        )

    @property
    def ok(self) -> bool:
        """True when the file could be imported as it is."""
        return not self.problems and sum(self.rows.values()) > 0

    def frame(self, lang: str, warnings: bool = False) -> pd.DataFrame:
        """The problems grouped (repeats folded), causes first, as a table."""
        rows = []
        for g in group(self.warnings if warnings else self.problems):
            p = g.first
            rows.append((p.file, p.row, p.column, p.text(lang) + g.more(lang)))
        return pd.DataFrame(rows, columns=["file", "row", "column", "message"])

    def text(self, lang: str) -> bytes:
        """Every problem as the command line prints it, one a line, for download."""
        lines = [p.line(lang) for p in self.problems]
        n = len(self.problems)
        lines.append(tn("cli.failed", n, lang, n=fmt_int(n, lang)))
        return ("\n".join(lines) + "\n").encode("utf-8")


def check_upload(
    name: str,
    data: bytes,
    out: Path | None,
    reader: Scope,
    progress: Callable[[float], None] | None = None,
) -> UploadCheck:
    """Check one uploaded file against the contract and the live dataset; writes nothing.
    What it answers (names, closest matches) comes from what *reader* may read."""
    if not isinstance(reader, Scope):
        raise ScopeMissing(f"an upload check needs the reader's Scope, not {reader!r}")
    files, problems = unpack(name, data)
    if problems:
        return UploadCheck(problems)
    checked = check(files, out, progress, reader)
    from dashboard.imports.ingest import org_names, preview

    return UploadCheck(
        checked.problems,
        checked.warnings,
        checked.source_rows(),
        checked.given,
        checked.kind,
        [(r.org, r.table, r.year, r.before, r.after) for r in preview(checked)],
        org_names(checked),
    )


def import_upload(
    name: str,
    data: bytes,
    out: Path,
    progress: Callable[[float], None] | None = None,
    who: str = "",
    orgs: tuple[str, ...] | None = None,
    comment: str | None = None,
    reader: Scope | None = None,
    person: Person | None = None,
) -> Outcome:
    """Import one uploaded file into the dataset at *out*, through the same import as
    `python -m dashboard ingest`; a coordinator's workbook only for *orgs* (rows of any
    other organisation are refused). Raises ImportFailed; then nothing is written."""
    files, problems = unpack(name, data)
    if problems:
        raise ImportFailed(problems)
    # the history names who (the signed-in user, or the Data page without sign-in) and the file
    change = Change(
        who=who or "Data page (not signed in)",
        action="import",
        comment=comment or name,
        person=person,
    )
    return ingest(files, out, progress, change=change, orgs=orgs, reader=reader)


MAX_EXPORT_ACTIVITIES = 50_000  # a workbook beyond this is slow to build and to open in Excel


def coordinator_workbook(folder: Path, scope: Scope, orgs: tuple[str, ...], lang: str) -> bytes:
    """The chosen organisations (none: every one the reader may read) as the coordinator's
    workbook, each row's id in a hidden column, so it can be corrected in Excel and
    imported again."""
    from dashboard.imports.workbook import dataset_rows
    from dashboard.outputs.workbook import workbook_bytes

    return workbook_bytes(dataset_rows(folder, scope, orgs), lang)


def coordinator_template(lang: str) -> bytes:
    """The coordinator's empty workbook with example rows, in *lang*."""
    from dashboard.imports.workbook import examples
    from dashboard.outputs.workbook import template_bytes

    return template_bytes(lang, examples())


# ---------------------------------------------------------------- in a child process


def _limits() -> tuple[float, int]:
    """The child's time and memory limits (`DASHBOARD_UPLOAD_SECONDS`, default 60, and
    `DASHBOARD_UPLOAD_MEMORY_MB`, default 1500)."""
    return (
        settings.seconds("DASHBOARD_UPLOAD_SECONDS", 60.0),
        settings.whole("DASHBOARD_UPLOAD_MEMORY_MB", 1500),
    )


def _child_main() -> None:
    """`python -m dashboard.imports.uploads JOB OUT`: the job on a pickled (name, data) from
    standard input; progress as lines on standard error, the pickled result on standard output."""
    import pickle
    import sys

    job, out = sys.argv[1], sys.argv[2]
    _, memory_mb = _limits()
    # the parent watches the resident memory (`_resident`); address space is only a
    # backstop (Arrow and DuckDB reserve far more of it than they use)
    limit = max(3 * memory_mb, 3000) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    name, data, who, reader, orgs, comment, person = pickle.loads(sys.stdin.buffer.read())

    def progress(x: float) -> None:
        print(f"progress {x:.3f}", file=sys.stderr, flush=True)

    try:
        if job == "check":
            checked = check_upload(name, data, Path(out) if out else None, reader, progress)
            result: object = ("done", checked)
        else:
            result = (
                "done",
                import_upload(name, data, Path(out), progress, who, orgs, comment, reader, person),
            )
    except ImportFailed as exc:
        result = ("failed", (exc.problems, exc.warnings))
    except OUT_OF_MEMORY:  # the address-space backstop
        result = ("limit", None)
    except DatasetError as exc:  # the dataset, not the file: said as the pages say it
        result = ("dataset", (str(exc), exc.key, exc.values))
    except OSError as exc:
        if exc.errno not in DISK_FULL:
            raise
        # staging on a disk that is full or read-only: the disk, not the file
        said = f"the disk refused a write ({exc.strerror}: {exc.filename}); free space"
        result = ("dataset", (said, "disk", {}))
    except CommitConflict as exc:  # other writes kept coming first
        result = ("conflict", str(exc))
    except Exception:  # a fault of ours, not of the file nor of its size: logged by the parent
        import traceback

        print(traceback.format_exc(), file=sys.stderr, flush=True)
        result = ("fault", None)
    sys.stdout.buffer.write(pickle.dumps(result))
    sys.stdout.flush()


def in_child(
    job: str,
    name: str,
    data: bytes,
    out: Path | None,
    reader: Scope,
    progress: Callable[[float], None] | None = None,
    who: str = "",
    orgs: tuple[str, ...] | None = None,
    comment: str | None = None,
    person: Person | None = None,
) -> UploadCheck | Outcome:
    """`check_upload` (job "check") or `import_upload` (job "import") in a child process
    within the time and memory limits. Raises ImportFailed as they do; a file that needs
    more time or memory than allowed becomes a problem saying so, and nothing is written
    (an import killed before its commit leaves the lake as it was)."""
    import pickle
    import subprocess
    import sys
    import threading

    seconds, memory_mb = _limits()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard.imports.uploads", job, str(out or "")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=PROJECT_ROOT,
    )
    result: list[bytes] = []
    errors: list[str] = []
    steps: queue.SimpleQueue[float] = queue.SimpleQueue()

    def read_progress() -> None:
        for raw in proc.stderr:  # type: ignore[union-attr]
            line = raw.decode("utf-8", "replace").strip()
            if line.startswith("progress "):
                steps.put(float(line.split()[1]))
            elif line:
                errors.append(line)

    def report_progress() -> None:  # on the calling thread: Streamlit's widgets live there
        while not steps.empty():
            x = steps.get()
            if progress is not None:
                progress(x)

    def read_result() -> None:
        result.append(proc.stdout.read())  # type: ignore[union-attr]

    readers = [threading.Thread(target=f, daemon=True) for f in (read_progress, read_result)]
    for r in readers:
        r.start()
    try:
        proc.stdin.write(pickle.dumps((name, data, who, reader, orgs, comment, person)))  # type: ignore[union-attr]
        proc.stdin.close()  # type: ignore[union-attr]
    except BrokenPipeError:
        pass
    deadline = time.monotonic() + seconds
    while proc.poll() is None:
        report_progress()
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            return _over(job, name, "upload_too_slow", seconds=int(seconds))
        if _resident(proc.pid) > memory_mb * 1024 * 1024:
            proc.kill()
            proc.wait()
            return _over(job, name, "upload_too_big_memory", mb=memory_mb)
        time.sleep(0.1)
    for r in readers:
        r.join(timeout=5)
    report_progress()
    if not result or not result[0]:
        log.warning("upload %s: child exited %s: %s", job, proc.returncode, " | ".join(errors[-5:]))
        if proc.returncode is not None and proc.returncode < 0:  # killed: the kernel's OOM
            return _over(job, name, "upload_too_big_memory", mb=memory_mb)  # killer, or abort
        return _over(job, name, "upload_failed")  # it ended without an answer: not the file's
    kind, value = pickle.loads(result[0])
    if kind == "fault":
        log.error("upload %s of %s failed in its child:\n%s", job, name, "\n".join(errors))
        return _over(job, name, "upload_failed")
    if kind == "done":
        return value
    if kind == "failed":
        raise ImportFailed(*value)
    if kind == "dataset":  # a dataset that cannot be read or written is no file's fault
        message, key, values = value
        raise DatasetError(message, key, **values)
    if kind == "conflict":
        raise CommitConflict(value)
    if kind != "limit":  # pragma: no cover - the child answers one of the kinds above
        raise RuntimeError(f"the upload's child answered {kind!r}")
    return _over(job, name, "upload_too_big_memory", mb=memory_mb)


def _resident(pid: int) -> int:
    """The resident memory of process *pid* in bytes (0 once it is gone)."""
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def _over(job: str, name: str, key: str, **values: Any) -> UploadCheck:
    problem = Problem.of(name, 0, "-", key, **values)
    if job == "import":
        raise ImportFailed([problem])
    return UploadCheck([problem])


if __name__ == "__main__":
    # through the importable module, so what is pickled names this module, not __main__
    from dashboard.imports.uploads import _child_main as main

    main()
