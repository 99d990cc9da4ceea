"""The benchmarks that start servers: `benchmarks/floor.py` draws the Networks page in Debian's
chromium, `benchmarks/load.py` runs sessions through HAProxy. They run on the browser lane
(`tests/lanes.py`); the benchmarks that only run scripts are `test_benchmark_scripts.py`."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.helpers import run_script

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def test_load_benchmark_runs_through_the_balancer(sample_dir: Path) -> None:
    """benchmarks/load.py end to end at its smallest: two sessions, three clicks each,
    through HAProxy to one replica, every click a full run of a page and no error."""
    import json

    proc = run_script("load.py", "--sessions", "2", "--clicks", "3", "--replicas", "1",
                      "--data", str(sample_dir))  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    row = json.loads(proc.stdout.strip().splitlines()[-1])
    assert (row["sessions"], row["clicks"], row["errors"]) == (2, 6, 0), row
    assert row["median_ms"] > 0 and len(row["peak_mb"]) == 1


def test_floor_benchmark_draws_the_same_and_times_both(sample_dir: Path) -> None:
    """benchmarks/floor.py at its smallest (one page, one run): Chromium finds the Networks
    page's charts and tables, the bare floor app draws as many, both are timed. It draws in
    Debian's chromium, a person's browser (the other browser tests use its headless shell)."""
    import floor

    assert floor.CHROMIUM.exists(), "Debian's chromium is needed (make test installs it)"
    proc = run_script("floor.py", "--data", str(sample_dir), "--org", "vkl",
                      "--pages", "networks", "--runs", "1", timeout=600)  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    rows = {ln.split("|")[1].strip(): ln.split("|") for ln in proc.stdout.splitlines()
            if ln.startswith("| networks |")}  # fmt: skip
    assert set(rows) == {"networks"}, proc.stdout
    charts = rows["networks"][2].strip()
    assert not charts.startswith("0 "), f"no chart found on Networks: {proc.stdout}"
    assert float(rows["networks"][5]) > 0 and float(rows["networks"][6]) > 0
