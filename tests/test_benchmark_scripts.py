"""The benchmark scripts that need no browser and no load balancer, at their smallest:
`benchmarks/run.py` end to end at 10k reporting every page query, `benchmarks/reruns.py`
timing reruns, `benchmarks/suite_cpu.py` counting a child's CPU. (The benchmarks that start
servers and a browser are `test_benchmarks.py`, on the browser lane.)"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import run as bench  # noqa: E402

from tests.helpers import run_script  # noqa: E402

RERUN_PAGES = ("overview", "goals", "activities")


def test_benchmark_runs_at_10k(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    args = ["--sizes", "10k", "--warm", "1", "--cache", str(tmp_path / "cache"), "--out", str(out),
            "--pages", ",".join(RERUN_PAGES)]  # fmt: skip
    # a smoke run: every part of the script once; the datasets are read from their files (as
    # at 1M and 10M), not loaded into memory on each of the 117 fresh connections. AppTest
    # times three pages' reruns (each page costs ~1.5 s; every page runs in AppTest elsewhere)
    proc = run_script("run.py", *args, DASHBOARD_MEMORY_ROWS="0")
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    for page, name, _ in bench.PAGE_QUERIES:
        for sel in bench.SELECTIONS:
            assert f"| {page} | {name} | {sel} |" in text, (page, name, sel)
    reruns = text.split("Page rerun", 1)[1].split("###", 1)[0]
    assert [p for p in bench.PAGES if f"| {p} |" in reruns] == list(RERUN_PAGES)
    assert f"that drew {', '.join(RERUN_PAGES)}" in text
    assert "## Targets" in text


def test_rerun_benchmark_times_each_organisation_as_a_rerun(sample_dir: Path) -> None:
    """benchmarks/reruns.py at its smallest: one page, two organisations, two rounds; the
    link's organisation is followed, so every rerun is timed and none fails."""
    proc = run_script("reruns.py", "--data", str(sample_dir), "--pages", "networks",
                      "--orgs", "2", "--repeat", "2")  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    row = [ln for ln in proc.stdout.splitlines() if ln.startswith("| networks |")]
    assert len(row) == 1, proc.stdout
    new, seen = (cell.split(" / ") for cell in row[0].split("|")[2:4])
    assert all(float(v) > 0 for v in (*new, *seen)), row


def test_suite_cpu_counts_a_childs_cpu_by_kind() -> None:
    """`benchmarks/suite_cpu.py` names the command it ran and counts the CPU its child spent
    (a busy loop of ~0.3 s), and returns the child's exit code."""
    import suite_cpu

    assert suite_cpu.kind("/usr/lib/chromium/chromium --type=renderer --lang=sv") == (
        "chromium renderer"
    )
    assert suite_cpu.kind("python -m streamlit run streamlit_app.py") == "streamlit server"
    done = run_script("suite_cpu.py", "--", sys.executable, "-c",
        "import time, sys\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\n"
        "sys.exit(3)", timeout=60)  # fmt: skip
    assert done.returncode == 3, done.stderr
    row = next(line for line in done.stdout.splitlines() if line.startswith("| python -c"))
    assert float(row.rsplit("|", 2)[1]) >= 0.2, done.stdout
