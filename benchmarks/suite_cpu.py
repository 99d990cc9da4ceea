"""Where a command's CPU goes, per kind of process: `python benchmarks/suite_cpu.py -- make test`.

The test suite is bound by this machine's two cores, so making it faster means taking work
away, and the work is spread over processes `time` does not see: Chromium's renderers are
reaped by Chromium, a pytest worker's children by the worker. This samples every process's
CPU time from /proc five times a second while the command runs and adds it up per kind
(pytest worker, Streamlit server, Chromium renderer, ...), each process named by the first
command line seen for it (an ended process keeps its name, not the empty one of a zombie).
A process that starts and ends between two samples is missed (counted as "unseen" in the
machine's busy time). Linux only.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1


def kind(cmd: str) -> str:
    """The kind of process a command line belongs to."""
    if "chromium" in cmd or cmd.startswith("/proc/self/exe"):
        for part in ("renderer", "gpu-process", "utility", "zygote"):
            if f"--type={part}" in cmd:
                return f"chromium {part}"
        return "chromium browser"
    if "streamlit" in cmd and " run " in f" {cmd} ":
        return "streamlit server"
    if "playwright" in cmd and "node" in cmd:
        return "playwright driver"
    if "exec(eval(sys.stdin" in cmd or "pytest" in cmd:
        return "pytest (AppTest, DuckDB, checks)"
    if "python" in cmd:
        args = cmd.split()
        return "python " + (" ".join(args[1:3]) if len(args) > 2 else "")
    return (cmd.split() or ["?"])[0].rsplit("/", 1)[-1]


def busy_s() -> float:
    """The machine's busy CPU seconds so far (every core)."""
    with open("/proc/stat", encoding="ascii") as f:
        user, nice, system = (int(x) for x in f.readline().split()[1:4])
    return (user + nice + system) / HZ


def sample(seen: dict[tuple[str, str], tuple[float, str]]) -> None:
    """Every process's CPU seconds, keyed by pid and start time (pids are reused)."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat", encoding="utf-8", errors="replace") as f:
                stat = f.read()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / HZ
        key = (pid, fields[19])
        before = seen.get(key)
        seen[key] = (cpu, before[1] if before and before[1] else cmd)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print(__doc__)
        return 2
    start: dict[tuple[str, str], tuple[float, str]] = {}
    sample(start)
    seen = dict(start)
    busy0, t0 = busy_s(), time.monotonic()
    proc = subprocess.Popen(argv)
    # the child is sampled once more after it ended and before it is reaped (a zombie keeps
    # its CPU times in /proc): its last moments are counted, not lost between two samples
    # (a child of 0.3 CPU s was once counted as 0.1 on a loaded machine)
    ended = os.WEXITED | os.WNOHANG | os.WNOWAIT
    while os.waitid(os.P_PID, proc.pid, ended) is None:
        sample(seen)
        time.sleep(0.2)
    sample(seen)
    proc.wait()
    wall, busy = time.monotonic() - t0, busy_s() - busy0
    per: collections.Counter[str] = collections.Counter()
    for key, (cpu, cmd) in seen.items():
        spent = cpu - start.get(key, (0.0, ""))[0]
        if spent > 0:
            per[kind(cmd) if cmd else "kernel or unnamed"] += spent
    print(f"\n{' '.join(argv)}: {wall:.0f} s wall, {busy:.0f} CPU s busy of {wall * CORES:.0f}")
    print("| kind of process | CPU s |\n|---|---:|")
    for name, spent in per.most_common(15):
        print(f"| {name} | {spent:.1f} |")
    print(f"| unseen (ended between samples) or outside | {busy - sum(per.values()):.1f} |")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
