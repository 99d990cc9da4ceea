"""benchmarks/run.py runs end to end at the smallest size and reports every page query."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import run as bench  # noqa: E402


def test_benchmark_runs_at_10k(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    args = ["--sizes", "10k", "--warm", "2", "--cache", str(tmp_path / "cache"), "--out", str(out)]
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    for page, name, _ in bench.PAGE_QUERIES:
        for sel in bench.SELECTIONS:
            assert f"| {page} | {name} | {sel} |" in text, (page, name, sel)
    for page in ("overview", "goals", "activities"):
        assert f"| {page} |" in text.split("Page rerun", 1)[1]
    assert "## Targets" in text


def test_load_benchmark_runs_through_the_balancer(sample_dir: Path) -> None:
    """benchmarks/load.py end to end at its smallest: two sessions, three clicks each,
    through HAProxy to one replica, every click a full run of a page and no error."""
    import json

    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "load.py"), "--sessions", "2", "--clicks",
         "3", "--replicas", "1", "--data", str(sample_dir)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    row = json.loads(proc.stdout.strip().splitlines()[-1])
    assert (row["sessions"], row["clicks"], row["errors"]) == (2, 6, 0), row
    assert row["median_ms"] > 0 and len(row["peak_mb"]) == 1
