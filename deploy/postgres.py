"""A throw-away PostgreSQL server on this machine, for the shared catalog's tests and
benchmarks: Debian's `postgresql` package, a fresh cluster in a temporary folder, trust
authentication on the loopback interface only, on a free port; removed after.

    with PostgresServer() as pg:   # pg.conninfo: "dbname=malbild host=127.0.0.1 port=…"
        ...
        pg.stop(); pg.start()      # the catalog down, and back (its data kept)

`initdb` refuses to run as root: as root (CI) the cluster belongs to Debian's `postgres`
user and its programs run through `runuser`.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

from deploy.local import free_port

START_TIMEOUT_S = 30


def binary(name: str) -> str:
    """A PostgreSQL program: in Debian's /usr/lib/postgresql/N/bin (newest), or on the PATH."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if candidates:
        return candidates[-1]
    found = shutil.which(name)
    if found:
        return found
    raise FileNotFoundError(f"{name} not found: apt-get install postgresql")


def _as_owner(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


class PostgresServer:
    """A PostgreSQL cluster of its own, started on a free port with an empty database."""

    def __init__(self, database: str = "malbild") -> None:
        self.database = database
        self.port = free_port()
        self.tmp = Path(tempfile.mkdtemp(prefix="malbild-pg-"))
        self.data, self.sock = self.tmp / "data", self.tmp / "sock"
        self.user = "postgres" if os.geteuid() == 0 else (os.environ.get("USER") or "postgres")

    @property
    def conninfo(self) -> str:
        return f"dbname={self.database} host=127.0.0.1 port={self.port} user={self.user}"

    def __enter__(self) -> PostgresServer:
        self.sock.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.tmp, "postgres")
            shutil.chown(self.sock, "postgres")
        subprocess.run(
            _as_owner([binary("initdb"), "-D", str(self.data), "-A", "trust", "-U", self.user,
                       "--no-sync", "-E", "UTF8", "--locale", "C.UTF-8"]),
            check=True, capture_output=True,
        )  # fmt: skip
        self.start()
        made = subprocess.run(
            [binary("psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user,
             "-d", "postgres", "-c", f'create database "{self.database}"'],
            capture_output=True, text=True,
        )  # fmt: skip
        if made.returncode != 0:
            raise RuntimeError(f"PostgreSQL: {made.stderr}")
        return self

    def start(self) -> None:
        """Start the server (again) and wait until it answers."""
        subprocess.run(
            _as_owner([binary("pg_ctl"), "-D", str(self.data), "-l", str(self.tmp / "log"),
                       "-w", "-t", str(START_TIMEOUT_S), "-o",
                       f"-p {self.port} -k {self.sock} -c listen_addresses=127.0.0.1 "
                       "-c fsync=off -c max_connections=200", "start"]),
            check=True, capture_output=True,
        )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            ready = subprocess.run(
                [binary("pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                capture_output=True,
            )
            if ready.returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError("PostgreSQL did not start")

    def stop(self) -> None:
        """Stop the server at once (its data kept), as a crash or a network cut would."""
        subprocess.run(
            _as_owner([binary("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]),
            capture_output=True,
        )

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)
