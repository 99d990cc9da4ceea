"""N dashboard replicas behind HAProxy on this machine, as local processes (no containers).

    .venv/bin/python deploy/local.py --replicas 2 --port 8080 [--data DIR]

It runs the very `deploy/haproxy.cfg` the container setup uses, with two lines changed: the
listening address, and one `server` line per local replica instead of the `server-template`
that resolves compose's replicas by DNS. The tests (`tests/test_deploy.py`) and the load test
(`benchmarks/load.py`) start it the same way. Needs Debian's `haproxy` package.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Path(__file__).resolve().parent / "haproxy.cfg"
START_TIMEOUT_S = 90


def free_port() -> int:
    """A TCP port nothing listens on now, on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def local_config(port: int, replicas: Sequence[int], text: str | None = None) -> str:
    """deploy/haproxy.cfg for local replicas on *replicas* (ports), listening on *port*."""
    text = CONFIG.read_text(encoding="utf-8") if text is None else text
    if not re.search(r"^\s*bind :8080\s*$", text, re.M):
        raise ValueError("deploy/haproxy.cfg has no 'bind :8080' line to point at the loopback")
    if not re.search(r"^\s*server-template .*$", text, re.M):
        raise ValueError("deploy/haproxy.cfg has no server-template line to replace")
    servers = "\n".join(f"    server app{i} 127.0.0.1:{p} check" for i, p in enumerate(replicas, 1))
    text = re.sub(r"^\s*bind :8080\s*$", f"    bind 127.0.0.1:{port}", text, flags=re.M)
    return re.sub(r"^\s*server-template .*$", servers, text, flags=re.M)


def _get(url: str, timeout: float = 2) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status
    except OSError:
        return 0


def _wait(url: str, proc: subprocess.Popen, log: Path, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while _get(url) != 200:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"{what} not up after {START_TIMEOUT_S} s:\n{log.read_text()[-3000:]}"
            )
        time.sleep(0.25)


def stop(proc: subprocess.Popen) -> None:
    """Stop a process started in its own session, and its children: TERM, then KILL."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


@dataclass
class Process:
    """A process started here in its own session, answering on a loopback port."""

    port: int
    proc: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextlib.contextmanager
def _started(
    cmd: Sequence[str],
    env: Mapping[str, str],
    log: Path,
    port: int,
    check: str,
    what: str,
    cwd: Path = ROOT,
) -> Iterator[Process]:
    """Run *cmd* in *cwd* until the block ends, once GET *check* on *port* answers 200."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            list(cmd), cwd=cwd, env=dict(env), stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            _wait(f"http://127.0.0.1:{port}{check}", proc, log, what)
            yield Process(port, proc, log)
        finally:
            stop(proc)


@contextlib.contextmanager
def replica(
    data: Path | str, log: Path, port: int | None = None, env: Mapping[str, str] | None = None
) -> Iterator[Process]:
    """`streamlit run streamlit_app.py` on the loopback over the dataset *data* (a folder, or
    an object store's s3://bucket/prefix); stopped at the end."""
    port = port or free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    full_env = {**os.environ, "DASHBOARD_DATA_DIR": str(data), "PYTHONUNBUFFERED": "1"}
    full_env.update(env or {})
    with _started(cmd, full_env, log, port, "/_stcore/health", "streamlit") as proc:
        yield proc


@contextlib.contextmanager
def balancer(
    replicas: Sequence[int], folder: Path, port: int | None = None, cookie_key: str = ""
) -> Iterator[Process]:
    """HAProxy with deploy/haproxy.cfg in front of the replicas on *replicas* (ports)."""
    exe = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(exe).exists():
        raise RuntimeError("HAProxy is not installed: apt-get install haproxy")
    port = port or free_port()
    config = folder / "haproxy.cfg"
    config.write_text(local_config(port, replicas), encoding="utf-8")
    env = {
        **os.environ,
        "MALBILD_COOKIE_KEY": cookie_key or secrets.token_hex(16),
        "MALBILD_APP": "unused:0",
        "MALBILD_REPLICAS": str(len(replicas)),
    }
    cmd = [exe, "-db", "-f", str(config)]
    with _started(cmd, env, folder / "haproxy.log", port, "/lb-health", "haproxy") as proc:
        yield proc


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument(
        "--data",
        default=os.environ.get("DASHBOARD_DATA_DIR") or str(ROOT / "data"),
        help="the dataset: a folder, or s3://bucket/prefix (default: DASHBOARD_DATA_DIR)",
    )
    args = ap.parse_args(argv)
    data = args.data if "://" in args.data else str(Path(args.data).resolve())
    with tempfile.TemporaryDirectory(prefix="malbild-local-") as tmp, contextlib.ExitStack() as st:
        ports = []
        for i in range(args.replicas):
            r = st.enter_context(replica(data, Path(tmp) / f"app{i + 1}.log"))
            ports.append(r.port)
            print(f"replica {i + 1}: {r.url}", flush=True)
        lb = st.enter_context(balancer(ports, Path(tmp), args.port))
        print(f"open {lb.url} (Ctrl-C stops everything)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while lb.proc.poll() is None:
                time.sleep(1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
