"""Checking a large upload: time and peak memory of the Data page's check of one workbook.

    python benchmarks/upload.py --activities 100000

Generates a synthetic dataset, exports it as the coordinator's workbook (the file a
coordinator would send back), then checks it as the Data page does (`uploads.in_child`, a
child process with its own limits), reporting the file size, the wall time and the child's
peak memory.
The figures are in RESULTS.md ("Checking an uploaded workbook").
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--activities", type=int, default=100_000)
    args = parser.parse_args()
    from dashboard.imports import uploads
    from dashboard.imports.workbook import dataset_rows
    from dashboard.model.access import Scope
    from dashboard.outputs.workbook import workbook_bytes
    from dashboard.storage import synth

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "data"
        synth.generate(args.activities, out, seed=1)
        started = time.perf_counter()
        book = Path(tmp) / "book.xlsx"
        book.write_bytes(workbook_bytes(dataset_rows(out, Scope.everything()), "sv"))
        export_s = time.perf_counter() - started
        size = book.stat().st_size / 1e6
        started = time.perf_counter()
        result = uploads.in_child("check", book.name, book.read_bytes(), out, Scope.everything())
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"{args.activities} activities: workbook {size:.1f} MB (export {export_s:.1f} s); "
            f"check in the child {seconds:.1f} s, child peak {peak:.0f} MB, "
            f"{sum(result.rows.values())} rows, {len(result.problems)} problems; "
            f"this process peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        )


if __name__ == "__main__":
    main()
