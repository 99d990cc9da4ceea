"""Plain helpers the query tests share."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from dashboard import PROJECT_ROOT
from dashboard.app.pages import PAGES
from dashboard.model.filters import Filters
from dashboard.sql.queries import params_for
from dashboard.storage.engine import Database

ALL = Filters()

# Every page, as the app's own registry lists them (the navigation reads the same list).
ALL_PAGES = tuple(p.name for p in PAGES)


def as_read(markdown: str) -> str:
    """Markdown as a reader sees it: the escapes `safe.md` puts before punctuation from the
    data, and the word joiners it puts into addresses, gone ("Kultur\\- och" reads "Kultur-
    och"). AppTest hands over the Markdown as written."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def run(db: Database, name: str, f: Filters = ALL, **extra) -> list[dict]:
    """A query's rows for *f*; paging and search default to "everything"."""
    extra = {"search": None, "limit": None, "offset": 0, **extra}
    return db.df(name, params_for(name, f, **extra)).to_dict("records")


def clean(rows: list[dict], *cols: str) -> list[tuple]:
    """Project rows on *cols*, with NaN/None/NA all shown as None."""

    def norm(v):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        try:
            if v != v:  # pandas.NA and NaT
                return None
        except TypeError:
            return None
        return v

    return [tuple(norm(r[c]) for c in cols) for r in rows]


def read_rows(folder, name: str, version: int | None = None) -> list[dict]:
    """Every row of one table of a dataset (as snapshot *version* holds it, where given)."""
    from dashboard.model.contract import ROUND_TABLES, SUMMARIES, TABLES
    from dashboard.storage.dataset import read_table

    table = next(t for t in (*TABLES, *SUMMARIES, *ROUND_TABLES) if t.name == name)
    data = read_table(folder, table, version=version)
    return [] if data is None else data.to_pylist()


def table_file(folder, name: str):
    """A data file of one table in the lake's data path (its first)."""
    from pathlib import Path

    files = sorted((Path(folder) / "files" / "main" / name).glob("*.parquet"))
    assert files, f"{name} has no data file in {folder}"
    return files[0]


def snapshot(folder) -> dict[str, object]:
    """What a dataset folder holds: the lake's newest snapshot and record, and every data
    file with its bytes (not SQLite's log or the writers' lock: they change on a read)."""
    from pathlib import Path

    from dashboard.storage import entries, stamp

    root = Path(folder)
    files: dict[str, object] = {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted((root / "files").rglob("*"))
        if p.is_file()
    }
    files["snapshot"] = stamp(root)
    files["record"] = [e.as_json() for e in entries(root)]
    files["other"] = (
        sorted(
            p.name
            for p in root.iterdir()
            if p.name not in {"files", ".lock"} and not p.name.endswith(("-wal", "-shm"))
        )
        if root.is_dir()
        else []
    )
    return files


def open_table_tabs(at, lang: str) -> None:
    """Open every chart's table tab (they are drawn only when open) and rerun: what a
    reader does who clicks "Tabell" under each chart."""
    from dashboard.i18n import t

    keys = [k for k in at.session_state if str(k).startswith("tabs-")]
    for k in keys:
        at.session_state[k] = t("tab.table", lang)
    if keys:
        at.run()


def stored(folder, name: str):
    """One table of a dataset as an Arrow table (what a file of it held before the lake)."""
    from dashboard.model.contract import SUMMARIES, TABLES
    from dashboard.storage.dataset import read_table

    spec = next(t for t in (*TABLES, *SUMMARIES) if t.name == name)
    data = read_table(folder, spec)
    assert data is not None, f"{name} is not in {folder}"
    return data


def drop_lake_table(folder, name: str) -> None:
    """Remove one table from a dataset's lake, as a damaged or half-made dataset lacks it."""
    from pathlib import Path

    from dashboard.storage.engine import forget, writer_for
    from dashboard.storage.location import lake_at

    lake = lake_at(Path(folder))
    writer_for(lake).execute(f"drop table lake.{name}")
    forget(lake)


# sign-in configured for AppTest, which stands in for the identity provider (`AppTest.user`)
AUTH = {
    "redirect_uri": "http://127.0.0.1:1/oauth2callback",
    "cookie_secret": "a-long-random-secret-for-the-test-only",
    "client_id": "malbild",
    "client_secret": "malbild-secret",
    "server_metadata_url": "http://127.0.0.1:1/.well-known/openid-configuration",
}


def writer_open(folder) -> bool:
    """Whether this process holds a writer of the dataset at *folder* (`engine.writer_for`)."""
    from dashboard.storage.engine import _WRITERS
    from dashboard.storage.location import lake_at

    return lake_at(folder) in _WRITERS


def commands_at_once(
    commands: Mapping[str, list[str]],
    env: Mapping[str, str] | None = None,
    limit: Callable[[], None] | None = None,
) -> dict[str, tuple[int, str, str, float]]:
    """Each command line (`python -m dashboard ARGS`, as typed) as a process of its own, all
    started together (each may mostly wait, for a store's time-out): by name, its exit code,
    output, errors and seconds since the start. *limit* runs in each child before it starts
    (a resource limit)."""
    root = Path(__file__).resolve().parent.parent
    t = time.monotonic()
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-m", "dashboard", *args],
            cwd=root,
            env=None if env is None else dict(env),
            preexec_fn=limit,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, args in commands.items()
    }
    found = {}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        found[name] = (proc.returncode, out, err, time.monotonic() - t)
    return found


def run_script(name: str, *args: str, timeout: float = 300, **env: str):
    """`benchmarks/<name>` run as a person runs it, from the project's folder, with *env*
    added to this process's environment; its output captured as text."""
    return subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "benchmarks" / name), *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **env},
    )
