"""Several processes saving at once into one lake: commits per second, writes made again
after a conflict, and saves refused, for 2, 4 and 8 processes, on the embedded lake (SQLite
catalog: the processes of one machine take turns on its lock) and on the shared one
(PostgreSQL catalog and moto's S3 server: DuckLake arbitrates), side by side in one run.

    .venv/bin/python benchmarks/parallel_saves.py --activities 100000 --saves 5

Each process is a person saving one corrected activity of their own organisation, again and
again (`editing.save`, as the browser does). Figures go to benchmarks/RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.model.contract import TABLE_BY_NAME
from dashboard.storage import data_dir, read_table, synth
from deploy.local import free_port
from deploy.postgres import PostgresServer

SAVER = r"""
import json, sys, time
from pathlib import Path
from dashboard.imports import editing
from dashboard.model.access import Grant, Person
from dashboard.storage import data_dir, publishing
out = Path(sys.argv[1]) if sys.argv[1] != "-" else data_dir()
org, year, n = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
who = Person("bench", "bench@example.org", (Grant("*", "admin"),), True)
sys.stdout.write("ready\n"); sys.stdout.flush(); sys.stdin.readline()
done, refused, t0 = 0, 0, time.perf_counter()
for i in range(n):
    rows = editing.load(out, org, year, "sv")
    edited = [dict(r) for r in rows]
    edited[0]["activity_title"] = f"Rättad {i} {time.time()}"
    try:
        editing.save(out, org, year, "sv", rows, edited, who, "bench")
        done += 1
    except editing.Conflict:
        refused += 1
print(json.dumps({"saved": done, "refused": refused, "retries": publishing.RETRIES[0],
                  "seconds": time.perf_counter() - t0}))
"""


def run(out: str, env: dict, picks: list[tuple[str, int]], saves: int) -> dict:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SAVER, out, org, str(year), str(saves)],
            env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
            cwd=ROOT,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        for org, year in picks
    ]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    t = time.perf_counter()
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    results = [json.loads(p.communicate(timeout=1800)[0].strip().splitlines()[-1]) for p in procs]
    wall = time.perf_counter() - t
    saved = sum(r["saved"] for r in results)
    return {
        "saved": saved, "refused": sum(r["refused"] for r in results),
        "retries": sum(r["retries"] for r in results), "per_s": saved / wall, "wall": wall,
    }  # fmt: skip


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--activities", type=int, default=100_000)
    ap.add_argument("--saves", type=int, default=5)
    ap.add_argument("--processes", default="2,4,8")
    args = ap.parse_args()
    counts = [int(n) for n in args.processes.split(",")]
    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # not a line per request
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    s3 = {"AWS_ACCESS_KEY_ID": "b", "AWS_SECRET_ACCESS_KEY": "b", "AWS_REGION": "us-east-1",
          "AWS_ENDPOINT_URL": endpoint}  # fmt: skip
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="b", aws_secret_access_key="b")  # fmt: skip
    client.create_bucket(Bucket="bench")
    try:
        with tempfile.TemporaryDirectory() as tmp, PostgresServer() as pg:
            local = Path(tmp) / "local"
            synth.generate(args.activities, local, seed=1)
            shared_env = {**s3, "DASHBOARD_CATALOG": f"postgres:{pg.conninfo}",
                          "DASHBOARD_DATA_DIR": "s3://bench/region",
                          "DASHBOARD_LOCAL_DIR": str(Path(tmp) / "machine")}  # fmt: skip
            os.environ.update(shared_env)
            synth.generate(args.activities, data_dir(), seed=1)
            for k in shared_env:
                os.environ.pop(k)
            acts = read_table(local, TABLE_BY_NAME["activities"], columns=["org_id", "year"])
            assert acts is not None
            firsts: dict[str, int] = {}
            for o, y in zip(acts["org_id"].to_pylist(), acts["year"].to_pylist(), strict=True):
                firsts.setdefault(o, y)
            picks = list(firsts.items())
            print(f"{args.activities:,} activities; each process saves {args.saves} times")
            print("| processes | lake | saves/s | saved | made again | refused | wall s |")
            print("|---:|---|---:|---:|---:|---:|---:|")
            for n in counts:
                for name, out, env in (("embedded (SQLite)", str(local), {}),
                                       ("shared (PostgreSQL + S3)", "-", shared_env)):  # fmt: skip
                    r = run(out, env, picks[:n], args.saves)
                    print(f"| {n} | {name} | {r['per_s']:.2f} | {r['saved']} | {r['retries']} "
                          f"| {r['refused']} | {r['wall']:.1f} |")  # fmt: skip
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
