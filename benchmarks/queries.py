"""Every page query at one organisation and one year, warm, on one connection: the figure
issue 13 sets a target for at 10 million activities (at most 20 ms median).

    .venv/bin/python -m dashboard synth --activities 10000000 --seed 0 --out /tmp/bench10m
    .venv/bin/python benchmarks/queries.py /tmp/bench10m [--runs 9]

The organisation is a typical one (median activity count) and the year its last full one,
as benchmarks/run.py picks them; each query runs once, then --runs times, and the median is
printed, slowest first. benchmarks/run.py measures the same queries cold and at three
selections; this is the quick check of one.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import NO_FILTER, ORG_ONLY, PAGE_QUERIES, pick_selection
from dashboard.model.filters import Filters
from dashboard.sql.queries import params_for
from dashboard.storage.engine import Database


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args(argv)
    org, year = pick_selection(args.data)
    db = Database(args.data)
    print(f"{args.data}: {org}, {year}; held in memory: {db.in_memory}")
    timings, seen = [], set()
    for _page, name, extra in PAGE_QUERIES:
        f = Filters((org,), year, year)
        f = Filters() if name in NO_FILTER else Filters(f.orgs) if name in ORG_ONLY else f
        params = params_for(name, f, **{"year": year, **extra})  # the round's year
        key = (name, json.dumps(params, sort_keys=True, default=str))
        if key in seen:
            continue
        seen.add(key)
        db.df(name, params)
        runs = []
        for _ in range(args.runs):
            t = time.perf_counter()
            db.df(name, params)
            runs.append((time.perf_counter() - t) * 1000)
        timings.append((statistics.median(runs), name))
    print("| query | median ms |\n|---|---:|")
    for ms, name in sorted(timings, reverse=True):
        print(f"| {name} | {ms:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
