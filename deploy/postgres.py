"""A throw-away PostgreSQL server on this machine, for the shared catalog's tests and
benchmarks: Debian's `postgresql` package, a fresh cluster in a temporary folder, trust
authentication on the loopback interface only, on a free port; stopped and removed after.

    with postgres_server() as conninfo:   # "dbname=malbild host=127.0.0.1 port=… user=…"
        ...

`initdb` refuses to run as root: as root (CI) the cluster belongs to Debian's `postgres`
user and is started through `runuser`.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from deploy.local import free_port

START_TIMEOUT_S = 30


def binary(name: str) -> str:
    """A PostgreSQL program: on the PATH, or in Debian's /usr/lib/postgresql/N/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not candidates:
        raise FileNotFoundError(f"{name} not found: apt-get install postgresql")
    return candidates[-1]


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextlib.contextmanager
def postgres_server(database: str = "malbild") -> Iterator[str]:
    """Start a PostgreSQL server; yields the conninfo of an empty database on it."""
    port = free_port()
    tmp = Path(tempfile.mkdtemp(prefix="malbild-pg-"))
    data, sock = tmp / "data", tmp / "sock"
    sock.mkdir()
    user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres")
        shutil.chown(sock, "postgres")
    log = tmp / "server.log"
    try:
        subprocess.run(
            _as_owner([binary("initdb"), "-D", str(data), "-A", "trust", "-U", user,
                       "--no-sync", "-E", "UTF8", "--locale", "C.UTF-8"]),
            check=True, capture_output=True,
        )  # fmt: skip
        subprocess.run(
            _as_owner([binary("pg_ctl"), "-D", str(data), "-l", str(log), "-w",
                       "-t", str(START_TIMEOUT_S), "-o",
                       f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off",
                       "start"]),
            check=True, capture_output=True,
        )  # fmt: skip
        conninfo = f"host=127.0.0.1 port={port} user={user}"
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            made = subprocess.run(
                [binary("psql"), *_psql(conninfo), "-c", f'create database "{database}"'],
                capture_output=True, text=True,
            )  # fmt: skip
            if made.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        if made.returncode != 0:
            raise RuntimeError(f"PostgreSQL did not start: {made.stderr}")
        yield f"dbname={database} {conninfo}"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                _as_owner([binary("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                capture_output=True,
            )
        shutil.rmtree(tmp, ignore_errors=True)


def _psql(conninfo: str) -> list[str]:
    parts = dict(p.split("=", 1) for p in conninfo.split())
    return ["-h", parts["host"], "-p", parts["port"], "-U", parts["user"], "-d", "postgres"]
