"""DuckLake against the folder layout it replaced, side by side in one run: every page query
at one organisation and year and at all, a new connection, saving one corrected activity,
and the disk a save costs, on the same generated dataset.

    .venv/bin/python benchmarks/lake.py --activities 1000000 [--saves 3] [--reruns 3]

The folder layout is the code of the last commit before DuckLake (`FOLDER_COMMIT`), checked
out into a temporary git worktree and run in child processes with this interpreter, so
both run on this machine in the same minutes (the machines are noisy). Needs the project's
git history. Figures go to benchmarks/RESULTS.md by hand, with the command.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
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

out, n = Path(sys.argv[1]), int(sys.argv[2])
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
FILTERS = {"org+year": Filters((org,), year, year), "all": Filters()}
print(json.dumps(found), flush=True)

def disk(path):
    seen, total = set(), 0
    for root, _, files in os.walk(path):
        for name in files:
            st = os.stat(os.path.join(root, name))
            if st.st_ino not in seen:
                seen.add(st.st_ino)
                total += st.st_blocks * 512
    return total

def saves(k):
    from dashboard.imports import editing
    from dashboard.model.access import Grant, Person
    who = Person("bench", "bench@example.org", (Grant("*", "admin"),), True)
    times, grew = [], []
    for i in range(k + 1):  # the first warms the process (extensions, the record)
        rows = editing.load(out, org, year, "sv")
        edited = [dict(r) for r in rows]
        edited[0]["activity_title"] = f"Rättad {i}"
        before = disk(out.parent)
        t = time.perf_counter()
        editing.save(out, org, year, "sv", rows, edited, who, "bench")
        if i:
            times.append(time.perf_counter() - t)
            grew.append(disk(out.parent) - before)
    return {"save_s": times, "save_mb": [g / 1e6 for g in grew]}

_bench = []

def rerun(page):
    # the page's rerun after an organisation change and then a year change, by this code's
    # own `benchmarks/run.py` (`child_apptest`: Streamlit's caches cleared first, AppTest)
    if not _bench:
        import importlib.util
        import logging
        logging.getLogger("streamlit").setLevel(logging.ERROR)  # AppTest's bare-mode notes
        spec = importlib.util.spec_from_file_location("bench_run", Path("benchmarks/run.py"))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        _bench.append(mod)
    mod = _bench[0]
    mod.PAGES = (page,)  # the folder layout's `child_apptest` walks the module's PAGES
    try:
        found = mod.child_apptest(out, org, year, pages=(page,))
    except TypeError:
        found = mod.child_apptest(out, org, year)
    return found["pages"][page]

warm = set()
for line in sys.stdin:  # "query NAME LABEL RUNS", "save K" or "rerun PAGE"
    cmd = line.split()
    if cmd[0] == "save":
        print(json.dumps(saves(int(cmd[1]))), flush=True)
        continue
    if cmd[0] == "rerun":
        print(json.dumps(rerun(cmd[1])), flush=True)
        continue
    q, label, runs = cmd[1], cmd[2], int(cmd[3])
    p = params_for(q, FILTERS[label], search=None, limit=200, offset=0)
    if (q, label) not in warm:
        db.df(q, p)
        warm.add((q, label))
    ts = []
    for _ in range(runs):
        s = time.perf_counter()
        db.df(q, p)
        ts.append((time.perf_counter() - s) * 1000)
    print(json.dumps(ts), flush=True)
db.close()
"""

ROUNDS, RUNS = 9, 3  # each query: 9 turns of 3 runs in each layout, the layouts alternating
# the pages whose reruns are timed: those that read the dataset in both layouts
PAGES = ("overview", "goals", "activities", "networks", "projects", "evaluation")


class Child:
    """One layout's process: it generates and opens its dataset, then times what it is told
    (one request at a time, so that the two never run at once)."""

    def __init__(self, code_root: Path, out: Path, n: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(out), str(n)],
            cwd=code_root, env={**os.environ, "PYTHONPATH": str(code_root)},
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.found = self.answer()

    def answer(self):
        """The child's next answer: its next line that is JSON (the generator may print)."""
        while True:
            line = self.proc.stdout.readline()  # type: ignore[union-attr]
            if not line:
                raise RuntimeError(f"the child stopped (exit {self.proc.wait()})")
            if line.startswith(("{", "[")):
                return json.loads(line)

    def ask(self, line: str):
        self.proc.stdin.write(line + "\n")  # type: ignore[union-attr]
        self.proc.stdin.flush()  # type: ignore[union-attr]
        return self.answer()

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=60)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--activities", type=int, default=1_000_000)
    ap.add_argument("--saves", type=int, default=3)
    ap.add_argument("--reruns", type=int, default=3, help="turns of each page's rerun")
    args = ap.parse_args()
    times: dict[tuple[str, str, str], list[float]] = {}
    reruns: dict[tuple[str, str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "folder-layout"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(old), FOLDER_COMMIT],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        try:
            # generated one after the other (each generation has both cores), then asked in turn
            folder = Child(old, Path(tmp) / "a" / "data", args.activities)
            lake = Child(ROOT, Path(tmp) / "b" / "data", args.activities)
            kids = {"folder": folder, "lake": lake}
            for turn in range(ROUNDS):
                for q in QUERIES:
                    for label in ("org+year", "all"):
                        order = ("folder", "lake") if turn % 2 == 0 else ("lake", "folder")
                        for who in order:
                            got = kids[who].ask(f"query {q} {label} {RUNS}")
                            times.setdefault((who, q, label), []).extend(got)
            # each page's rerun (an organisation chosen, then a year) in turn: AppTest with
            # Streamlit's caches cleared, each layout's own app over its own dataset
            for turn in range(args.reruns):
                for page in PAGES:
                    order = ("folder", "lake") if turn % 2 == 0 else ("lake", "folder")
                    for who in order:
                        got = kids[who].ask(f"rerun {page}")
                        for step in ("org_ms", "year_ms"):
                            reruns.setdefault((who, page, step), []).append(got[step])
            saved = {who: kid.ask(f"save {args.saves}") for who, kid in kids.items()}
            for kid in kids.values():
                kid.close()
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT)
    print(
        f"{args.activities:,} activities, organisation {lake.found['org']}, 2020; medians of "
        f"{ROUNDS * RUNS} warm runs, the two layouts taking turns ({ROUNDS} turns of {RUNS})"
    )
    print("| | folder layout | DuckLake | ratio |")
    print("|---|---:|---:|---:|")
    for key in ("generate_s", "open_ms"):
        a, b = folder.found[key], lake.found[key]
        print(f"| {key} | {a:.1f} | {b:.1f} | {b / a:.2f} |")
    for q in QUERIES:
        for label in ("org+year", "all"):
            a = statistics.median(times[("folder", q, label)])
            b = statistics.median(times[("lake", q, label)])
            print(f"| {q} {label} ms | {a:.1f} | {b:.1f} | {b / a:.2f} |")
    for page in PAGES if args.reruns else ():
        for step, what in (("org_ms", "an organisation chosen"), ("year_ms", "then a year")):
            a = statistics.median(reruns[("folder", page, step)])
            b = statistics.median(reruns[("lake", page, step)])
            print(f"| {page} rerun, {what}, ms | {a:.0f} | {b:.0f} | {b / a:.2f} |")
    for key, what in (("save_s", "save one activity, s"), ("save_mb", "disk per save, MB")):
        a_ = ", ".join(f"{s:.2f}" for s in saved["folder"][key])
        b_ = ", ".join(f"{s:.2f}" for s in saved["lake"][key])
        print(f"| {what} | {a_} | {b_} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
