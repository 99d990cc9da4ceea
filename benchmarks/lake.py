"""DuckLake against the folder layout it replaced, side by side in one run: every page query
at one organisation and year and at all, a new connection, saving one corrected activity,
and the disk a save costs, on the same generated dataset.

    .venv/bin/python benchmarks/lake.py --activities 1000000 [--saves 3]

The folder layout is the code of the last commit before DuckLake (`FOLDER_COMMIT`), checked
out into a temporary git worktree and run in child processes with this interpreter, so
both run on this machine in the same minutes (the machines are noisy). Needs the project's
git history. Figures go to benchmarks/RESULTS.md by hand, with the command.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER_COMMIT = "3ff5f26"  # DuckDB 1.5.5, the folder layout: the last commit before the lake
QUERIES = (
    "activities", "activities_count", "goal_coverage", "overview_metrics",
    "network_summary", "project_funding", "indicator_status", "evaluation_rollup",
)  # fmt: skip

CHILD = r"""
import json, os, statistics, sys, time
from pathlib import Path
os.environ["DASHBOARD_MEMORY_ROWS"] = "0"  # a large dataset: read from its files
from dashboard.model.contract import TABLE_BY_NAME
from dashboard.model.filters import Filters
from dashboard.sql.queries import params_for
from dashboard.storage import synth
from dashboard.storage.dataset import read_table
from dashboard.storage.engine import Database

out, n, saves = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
queries = sys.argv[4].split(",")
found = {}
t = time.perf_counter()
synth.generate(n, out, seed=1)
found["generate_s"] = time.perf_counter() - t
acts = read_table(out, TABLE_BY_NAME["activities"], columns=["org_id", "year"])
org = acts["org_id"][acts.num_rows // 2].as_py()
year = 2020
t = time.perf_counter()
db = Database(out)
found["open_ms"] = (time.perf_counter() - t) * 1000
found["org"] = org
for label, f in (("org+year", Filters((org,), year, year)), ("all", Filters())):
    for q in queries:
        p = params_for(q, f, search=None, limit=200, offset=0)
        db.df(q, p)
        ts = []
        for _ in range(9):
            s = time.perf_counter()
            db.df(q, p)
            ts.append((time.perf_counter() - s) * 1000)
        found[f"{q} {label}"] = statistics.median(ts)
db.close()

def disk(path):
    seen, total = set(), 0
    for root, _, files in os.walk(path):
        for name in files:
            st = os.stat(os.path.join(root, name))
            if st.st_ino not in seen:
                seen.add(st.st_ino)
                total += st.st_blocks * 512
    return total

from dashboard.imports import editing
from dashboard.model.access import Grant, Person
who = Person("bench", "bench@example.org", (Grant("*", "admin"),), True)
times, grew = [], []
for i in range(saves + 1):  # the first warms the process (extensions, the record)
    rows = editing.load(out, org, year, "sv")
    edited = [dict(r) for r in rows]
    edited[0]["activity_title"] = f"Rättad {i}"
    before = disk(out.parent)
    t = time.perf_counter()
    editing.save(out, org, year, "sv", rows, edited, who, "bench")
    if i:
        times.append(time.perf_counter() - t)
        grew.append(disk(out.parent) - before)
found["save_s"] = times
found["save_mb"] = [g / 1e6 for g in grew]
print(json.dumps(found))
"""


def child(code_root: Path, out: Path, n: int, saves: int) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(out), str(n), str(saves), ",".join(QUERIES)],
        cwd=code_root, env={**os.environ, "PYTHONPATH": str(code_root)},
        capture_output=True, text=True, timeout=7200,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--activities", type=int, default=1_000_000)
    ap.add_argument("--saves", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "folder-layout"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(old), FOLDER_COMMIT],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        try:
            folder = child(old, Path(tmp) / "a" / "data", args.activities, args.saves)
            lake = child(ROOT, Path(tmp) / "b" / "data", args.activities, args.saves)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT)
    print(
        f"{args.activities:,} activities, organisation {lake['org']}, 2020; medians of 9 warm runs"
    )
    print("| | folder layout | DuckLake | ratio |")
    print("|---|---:|---:|---:|")
    for key in ("generate_s", "open_ms"):
        print(f"| {key} | {folder[key]:.1f} | {lake[key]:.1f} | {lake[key] / folder[key]:.2f} |")
    for q in QUERIES:
        for label in ("org+year", "all"):
            k = f"{q} {label}"
            a, b = folder[k], lake[k]
            print(f"| {k} ms | {a:.1f} | {b:.1f} | {b / a:.2f} |")
    saves_a = ", ".join(f"{s:.2f}" for s in folder["save_s"])
    saves_b = ", ".join(f"{s:.2f}" for s in lake["save_s"])
    print(f"| save one activity, s | {saves_a} | {saves_b} | |")
    disk_a = ", ".join(f"{m:.2f}" for m in folder["save_mb"])
    disk_b = ", ".join(f"{m:.2f}" for m in lake["save_mb"])
    print(f"| disk per save, MB | {disk_a} | {disk_b} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
