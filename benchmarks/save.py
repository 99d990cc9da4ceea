"""Saving one corrected activity through the browser's code path (`editing.save`), on a
generated dataset: wall time of the save, and the disk the history grows by.

    .venv/bin/python benchmarks/save.py --activities 1000000
    .venv/bin/python benchmarks/save.py --activities 10000000 --data /tmp/lake10m \
        --org se-0063 --year 2020

By default the organisation-year saved is the first row's of the generated dataset
(dk-0001 2004: 27 activities at 1M, 288 at 10M); --org and --year name another (se-0063
2020 holds 6,843 at 10M). --data keeps the generated dataset in that folder and, when it is
already there, saves on it without generating it again (each save changes it: a title).

Issue 12's target: at most 1 s at 1 million activities and 3 s at 10 million; issue 24's
(the lake): 0.3 s and 1 s. The figures
go to benchmarks/RESULTS.md by hand, with the command that made them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.imports import editing
from dashboard.model.access import Grant, Person
from dashboard.storage import (
    history,
    synth,
)


def du(path: Path) -> int:
    """Bytes on disk of a folder, counting each hard-linked file once, without the writer's
    spill folder (`.spill`: DuckDB's temporary files, 1.15 GB after generating 10M
    activities, given back at the first save, which made the growth negative)."""
    seen, total = set(), 0
    for root, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if d != ".spill"]
        for f in files:
            st = os.stat(os.path.join(root, f))
            if st.st_ino not in seen:
                seen.add(st.st_ino)
                total += st.st_blocks * 512
    return total


READER = """
import json, sys, time
sys.path.insert(0, {root!r})
from dashboard.storage.engine import Database
from dashboard.sql.queries import params_for
from dashboard.model.filters import Filters
from pathlib import Path
db = Database(Path({out!r}))
f = Filters(({org!r},), {year}, {year})
params = params_for("activities", f, search=None, limit=200, offset=0)
stop = time.time() + {seconds}
while time.time() < stop:
    t = time.time()
    db.df("activities", params)
    print(json.dumps([t, (time.time() - t) * 1000]), flush=True)
"""


def _reader(out: Path, org: str, year: int, seconds: float) -> subprocess.Popen:
    """A process that runs the Activities page's query for another organisation in a loop,
    printing when each run started and how long it took (a reader beside the saves)."""
    code = READER.format(root=str(ROOT), out=str(out), org=org, year=year, seconds=seconds)
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)


def _summary(ms: list[float]) -> str:
    if not ms:
        return "no runs"
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
    return f"{len(ms)} runs, median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--activities", type=int, default=100_000)
    ap.add_argument("--saves", type=int, default=3)
    ap.add_argument("--data", type=Path, help="keep (or reuse) the generated dataset here")
    ap.add_argument("--org", help="the organisation whose year is saved")
    ap.add_argument("--year", type=int, help="the year saved (with --org)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.data or Path(tmp) / "data"
        if not out.exists():
            t0 = time.perf_counter()
            synth.generate(args.activities, out, seed=1)
            took = time.perf_counter() - t0
            print(f"generated {args.activities:,} activities in {took:.1f} s")
        from dashboard.model.contract import TABLE_BY_NAME
        from dashboard.storage.dataset import read_table

        acts = read_table(out, TABLE_BY_NAME["activities"], columns=["org_id", "year"])
        first = acts.slice(0, 1)
        org, year = first["org_id"][0].as_py(), first["year"][0].as_py()
        if args.org:
            org, year = args.org, args.year
        other = acts.slice(acts.num_rows // 2, 1)
        o_org, o_year = other["org_id"][0].as_py(), other["year"][0].as_py()
        admin = Person("bench", "bench@example.org", (Grant("*", "admin"),), True)
        base_disk = du(out)  # the lake alone: the generation's spill files beside it go
        pause = 2.0
        reader = _reader(out, o_org, o_year, seconds=pause * (2 * args.saves + 3) + 5)
        # as the app does when it draws a form that saves (`editform.get_ready`): the
        # writer opened and the small tables read while the person types, not in the save
        t = time.perf_counter()
        editing.ready(out)
        print(f"ready (as a drawn form gets it): {time.perf_counter() - t:.2f} s")
        time.sleep(pause * 2)  # the reader runs alone first
        windows = []
        for i in range(args.saves):
            t = time.perf_counter()
            rows = editing.load(out, org, year, "sv")
            t_load = time.perf_counter() - t
            edited = [dict(r) for r in rows]
            edited[0]["activity_title"] = f"{edited[0]['activity_title']} ({i})"
            started = time.time()
            t = time.perf_counter()
            editing.save(out, org, year, "sv", rows, edited, admin, "benchmark")
            t_save = time.perf_counter() - t
            windows.append((started, time.time()))
            grown = du(out) - base_disk
            print(
                f"save {i + 1}: load {t_load:.2f} s, save {t_save:.2f} s "
                f"({len(rows)} activities of {org} {year}); history and dataset grew "
                f"{grown / 1e6:.1f} MB in all; last change: "
                f"{history.entries(out)[-1].tables['activities']['counts']}"
            )
            time.sleep(pause)
        reader.terminate()
        lines = (reader.communicate()[0] or "").splitlines()
        during, apart = [], []
        for line in lines:
            t, ms = json.loads(line)
            busy = any(a <= t <= b for a, b in windows)
            (during if busy else apart).append(ms)
        print(
            f"page query (activities of {o_org} {o_year}, another process) while no save "
            f"runs: {_summary(apart)}; while a save runs: {_summary(during)}"
        )


if __name__ == "__main__":
    main()
