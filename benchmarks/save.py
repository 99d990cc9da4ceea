"""Saving one corrected activity through the browser's code path (`editing.save`), on a
generated dataset: wall time of the save, and the disk the history grows by.

    .venv/bin/python benchmarks/save.py --activities 1000000

Issue 12's target: at most 1 s at 1 million activities and 3 s at 10 million. The figures
go to benchmarks/RESULTS.md by hand, with the command that made them.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import editing, history, synth
from dashboard.access import Grant, Person


def du(path: Path) -> int:
    """Bytes on disk of a folder, counting each hard-linked file once."""
    seen, total = set(), 0
    for root, _, files in os.walk(path):
        for f in files:
            st = os.stat(os.path.join(root, f))
            if st.st_ino not in seen:
                seen.add(st.st_ino)
                total += st.st_blocks * 512
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--activities", type=int, default=100_000)
    ap.add_argument("--saves", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "data"
        t0 = time.perf_counter()
        synth.generate(args.activities, out, seed=1)
        print(f"generated {args.activities:,} activities in {time.perf_counter() - t0:.1f} s")
        from dashboard.contract import TABLE_BY_NAME
        from dashboard.dataset import read_table

        acts = read_table(out, TABLE_BY_NAME["activities"], columns=["org_id", "year"])
        first = acts.slice(0, 1)
        org, year = first["org_id"][0].as_py(), first["year"][0].as_py()
        admin = Person("bench", "bench@example.org", (Grant("*", "admin"),), True)
        base_disk = du(Path(tmp))
        for i in range(args.saves):
            t = time.perf_counter()
            rows = editing.load(out, org, year, "sv")
            t_load = time.perf_counter() - t
            edited = [dict(r) for r in rows]
            edited[0]["activity_title"] = f"{edited[0]['activity_title']} ({i})"
            t = time.perf_counter()
            editing.save(out, org, year, "sv", rows, edited, admin, "benchmark")
            t_save = time.perf_counter() - t
            grown = du(Path(tmp)) - base_disk
            print(
                f"save {i + 1}: load {t_load:.2f} s, save {t_save:.2f} s "
                f"({len(rows)} activities of {org} {year}); history and dataset grew "
                f"{grown / 1e6:.1f} MB in all; last change: "
                f"{history.entries(out)[-1].tables['activities']['counts']}"
            )


if __name__ == "__main__":
    main()
