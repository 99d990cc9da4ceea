"""The yearly round and the board's report against issue #25's targets, on a generated
dataset: the follow view for 300 organisations x 20 departments (at most 150 ms server
time), a report for one organisation and year (at most 10 s with charts cold, 2 s warm).

    .venv/bin/python benchmarks/round.py --activities 1000000 [--runs 9]

A round of one year is opened for 300 organisations with 20 parts each, written as one
change (the same tables the round's steps write). Timed warm on one connection, median of
--runs: the coordinator's follow view of one organisation and the administrator's of all
300 (every query the Round page runs for them); the report cold in a new process
(Python, the dataset, Kaleido's browser, Typst) and warm (the second in that process).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.model.contract import ROUND_TABLES, TABLE_BY_NAME
from dashboard.model.filters import Filters
from dashboard.model.rounds import INDICATORS
from dashboard.sql.queries import params_for
from dashboard.storage import (
    Change,
    Database,
    arrow_schema,
    generate,
    publish,
    read_table,
    stamp,
    write_table,
)

ORGS, PARTS = 300, 20
TARGET_FOLLOW_MS, TARGET_COLD_S, TARGET_WARM_S = 150.0, 10.0, 2.0
FOLLOW = ("rounds", "round_parts", "round_goals", "round_events")


def open_rounds(out: Path, year: int) -> list[str]:
    """A round of *year* for ORGS organisations with PARTS parts each, as one change."""
    import pyarrow as pa

    acts = read_table(out, TABLE_BY_NAME["activities"], ["org_id", "department"])
    assert acts is not None
    depts = sorted({d for d in acts.column("department").to_pylist() if d})
    orgs = sorted(set(acts.column("org_id").to_pylist()))[:ORGS]
    now = "2026-01-15T08:00:00+00:00"
    names = [*[*depts, *(f"Förvaltning {i}" for i in range(PARTS))][: PARTS - 1], INDICATORS]
    rows = {
        "rounds": [
            {"org_id": o, "year": year, "due": date(year + 1, 2, 15), "state": "open",
             "closed_snapshot": None, "changed_by": "bench", "changed_at": now}
            for o in orgs
        ],
        "round_parts": [
            {"org_id": o, "year": year, "part": p, "state": "ready" if i % 3 else "open",
             "comment": None, "changed_by": "bench", "changed_at": now}
            for o in orgs for i, p in enumerate(names)
        ],
        "round_events": [
            {"org_id": o, "year": year, "seq": i + 1, "part": p, "event": "ready", "who": "b",
             "time": now, "comment": None}
            for o in orgs for i, p in enumerate(names) if i % 3
        ],
    }  # fmt: skip

    def write(staged: Path) -> dict[str, int]:
        return {
            t.name: write_table(staged, t, pa.Table.from_pylist(rows[t.name], arrow_schema(t)))
            for t in ROUND_TABLES
        }

    publish(out, write, "benchmark", Change("bench", "round", person=None))
    return orgs


def median_ms(fn, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def follow(out: Path, orgs: list[str], year: int, runs: int) -> dict[str, float]:
    db = Database(out, snapshot=stamp(out))
    found = {}
    for label, f in (("one organisation", Filters((orgs[0],))), (f"all {len(orgs)}", Filters())):

        def page(f: Filters = f) -> None:
            for q in FOLLOW:
                db.df(q, params_for(q, f, year=year))

        found[label] = median_ms(page, runs)
        for q in FOLLOW:
            found[f"{label}: {q}"] = median_ms(
                lambda q=q, f=f: db.df(q, params_for(q, f, year=year)), runs
            )
    db.close()
    return found


CHILD = """
import sys, time, json
t0 = time.perf_counter()
from pathlib import Path
from dashboard.outputs import board
out, org, year = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
pdf = board.for_year(out, org, year, "sv", "pdf")
cold = time.perf_counter() - t0
t = time.perf_counter()
pdf = board.for_year(out, org, year, "sv", "pdf")
warm = time.perf_counter() - t
t = time.perf_counter()
word = board.for_year(out, org, year, "sv", "docx")
warm_docx = time.perf_counter() - t
print(json.dumps({"cold_s": cold, "warm_s": warm, "warm_docx_s": warm_docx,
                  "pdf_kb": len(pdf) // 1024, "docx_kb": len(word) // 1024}))
"""


def report(out: Path, org: str, year: int) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(out), org, str(year)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--activities", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, default=Path("/tmp/bench-round"))
    ap.add_argument("--year", type=int, default=2020)
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args(argv)
    if not (args.out / "catalog.sqlite").is_file():
        t = time.perf_counter()
        generate(args.activities, args.out, seed=0)
        print(f"generated {args.activities:,} activities in {time.perf_counter() - t:.0f} s")
    orgs = open_rounds(args.out, args.year)
    print(f"{len(orgs)} organisations x {PARTS} parts, round of {args.year}")
    print("| follow view (warm, median) | ms | target |")
    print("|---|---:|---:|")
    for label, ms in follow(args.out, orgs, args.year, args.runs).items():
        target = f"{TARGET_FOLLOW_MS:.0f}" if ":" not in label else ""
        print(f"| {label} | {ms:.1f} | {target} |")
    r = report(args.out, orgs[0], args.year)
    print("| report of one organisation and year | s | target |")
    print("|---|---:|---:|")
    print(f"| PDF cold (new process, browser started) | {r['cold_s']:.1f} | {TARGET_COLD_S:.0f} |")
    print(f"| PDF warm | {r['warm_s']:.2f} | {TARGET_WARM_S:.0f} |")
    print(f"| Word warm | {r['warm_docx_s']:.2f} | {TARGET_WARM_S:.0f} |")
    print(f"sizes: PDF {r['pdf_kb']} KB, Word {r['docx_kb']} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
