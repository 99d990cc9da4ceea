"""The Data page's file handling: one uploaded file checked, and imported where allowed.

The upload is one file: the coordinator's workbook, the 12-table workbook, one table as
CSV, or a zip of CSV files. It has a size limit of its own (`DASHBOARD_UPLOAD_MB`,
default 20; Streamlit's own limit in `.streamlit/config.toml` is set to the same), a
zip is opened only within bounds (at most 50 members and 10 times the size limit
unpacked), and a workbook is streamed sheet by sheet with a progress callback. The
checks are the import's own (`ingest.check`): the page and the command line give the
same problems, in the reader's language.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.i18n import fmt_int, t
from dashboard.ingest import Outcome, check, ingest
from dashboard.problems import ImportFailed, Problem, group

MAX_MEMBERS = 50


def max_upload_mb() -> int:
    """The upload limit in megabytes (`DASHBOARD_UPLOAD_MB`, default 20)."""
    try:
        return max(1, int(os.environ.get("DASHBOARD_UPLOAD_MB", "20")))
    except ValueError:
        return 20


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

    @property
    def ok(self) -> bool:
        """True when the file could be imported as it is."""
        return not self.problems and sum(self.rows.values()) > 0

    def frame(self, lang: str, warnings: bool = False) -> pd.DataFrame:
        """The problems grouped (repeats folded), causes first, as a table."""
        rows = []
        for g in group(self.warnings if warnings else self.problems):
            p = g.first
            more = len(g.rows) - 1
            message = p.text(lang)
            if more:
                message += " " + t(
                    "problem.more_rows",
                    lang,
                    n=fmt_int(more, lang),
                    rows=", ".join(str(r) for r in g.rows[1:6]) + (", …" if more > 5 else ""),
                )
            rows.append((p.file, p.row, p.column, message))
        return pd.DataFrame(rows, columns=["file", "row", "column", "message"])

    def text(self, lang: str) -> bytes:
        """Every problem as the command line prints it, one a line, for download."""
        lines = [p.line(lang) for p in self.problems]
        lines.append(t("cli.failed", lang, n=fmt_int(len(self.problems), lang)))
        return ("\n".join(lines) + "\n").encode("utf-8")


def check_upload(
    name: str, data: bytes, out: Path | None, progress: Callable[[float], None] | None = None
) -> UploadCheck:
    """Check one uploaded file against the contract and the live dataset; writes nothing."""
    files, problems = unpack(name, data)
    if problems:
        return UploadCheck(problems)
    checked = check(files, out, progress)
    rows = {n: len(p.rows) for n, p in checked.parsed.items() if n in checked.given and p.rows}
    return UploadCheck(checked.problems, checked.warnings, rows, checked.given, checked.kind)


def import_upload(
    name: str, data: bytes, out: Path, progress: Callable[[float], None] | None = None
) -> Outcome:
    """Import one uploaded file into the dataset at *out*, through the same import as
    `python -m dashboard ingest`. Raises ImportFailed; then nothing is written."""
    files, problems = unpack(name, data)
    if problems:
        raise ImportFailed(problems)
    return ingest(files, out, progress)
