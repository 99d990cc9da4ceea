"""Many sessions clicking at once: the dashboard's own websocket protocol, no browser.

    .venv/bin/python benchmarks/load.py --sessions 50 --clicks 8 --replicas 1,2

Each session does what a browser does: GET / through the load balancer (which sets the
replica cookie), opens Streamlit's websocket (/_stcore/stream) with that cookie, and asks
for a run of the script (a BackMsg `rerun_script`, as the page sends on load and on every
click), then one per click: another page, another organisation or year in the URL. A
click's time is from sending it to the replica's `script_finished`. Sessions start within
one second of each other. Against 1 replica and against 2 replicas, both behind
deploy/haproxy.cfg (deploy/local.py), on the loopback; bounded by --sessions, --clicks and
a 60 s limit per click. Reports the median and 95th percentile per click, errors, and each
replica's peak memory (VmHWM). Issue 13's target: 50 sessions, p95 at most 2 s on 2
replicas, no errors.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.cookiejar
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.local import balancer, replica

CLICK_TIMEOUT_S = 60
# what a manager clicks through: (page, query string), in order, round and round
ROUND = (
    ("", "lang=sv"),
    ("goals", "lang=sv&org=gotland"),
    ("activities", "lang=sv&org=gotland&year=2009"),
    ("networks", "lang=sv&org=vkl"),
    ("projects", "lang=sv&org=slagelse"),
    ("evaluation", "lang=sv&org=slagelse&year=2013"),
    ("", "lang=sv&org=gavle"),
    ("goals", "lang=sv&org=vkl&year=2010"),
)


@dataclass
class Result:
    clicks: list[float] = field(default_factory=list)  # seconds each
    errors: list[str] = field(default_factory=list)


def _cookie(url: str) -> str:
    """GET / as a browser does first: the load balancer's replica cookie."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(url + "/", timeout=30) as r:
        r.read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def _rerun(page: str, query: str) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ClientState_pb2 import ClientState

    return BackMsg(rerun_script=ClientState(query_string=query, page_name=page)).SerializeToString()


async def _run_to_end(ws: object, deadline: float) -> str | None:
    """Read messages until the script run ends; an error's text, or None."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    error = None
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=max(0.1, deadline - time.monotonic()))
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            el = msg.delta.new_element
            if el.WhichOneof("type") == "exception":
                error = f"exception: {el.exception.message[:200]}"
        elif kind == "page_not_found":
            error = "page not found"
        elif kind == "script_finished":
            status = msg.script_finished
            if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                continue
            return error


async def session(url: str, clicks: int, start_delay: float, result: Result) -> None:
    import websockets

    await asyncio.sleep(start_delay)
    try:
        cookie = await asyncio.get_running_loop().run_in_executor(None, _cookie, url)
        ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        async with websockets.connect(
            ws_url,
            subprotocols=["streamlit"],
            additional_headers={"Cookie": cookie} if cookie else None,
            max_size=None,
            open_timeout=30,
        ) as ws:
            for i in range(clicks + 1):  # the first load, then the clicks
                page, query = ROUND[i % len(ROUND)]
                t = time.monotonic()
                await ws.send(_rerun(page, query))
                error = await _run_to_end(ws, t + CLICK_TIMEOUT_S)
                if error:
                    result.errors.append(error)
                if i > 0:  # the clicks; the first load is not a click
                    result.clicks.append(time.monotonic() - t)
    except Exception as exc:  # a failed session is an error of the run, not a crash of it
        result.errors.append(f"{type(exc).__name__}: {exc}"[:200])


def _vmhwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu_s(pid: int) -> float:
    """The process's CPU time so far (user + system), from /proc."""
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(data: Path, replicas: int, sessions: int, clicks: int) -> dict:
    """One load run: *replicas* local replicas behind HAProxy, *sessions* at once."""
    with tempfile.TemporaryDirectory(prefix="malbild-load-") as tmp, contextlib.ExitStack() as st:
        reps = [st.enter_context(replica(data, Path(tmp) / f"app{i}.log")) for i in range(replicas)]
        lb = st.enter_context(balancer([r.port for r in reps], Path(tmp)))
        # warm each replica once (imports, first queries), as a running service would be
        for r in reps:
            asyncio.run(session(r.url, 0, 0, Result()))
        result = Result()

        async def everyone() -> None:
            await asyncio.gather(
                *(session(lb.url, clicks, i / sessions, result) for i in range(sessions))
            )

        cpu0 = sum(_cpu_s(r.proc.pid) for r in reps)
        lb0, me0 = _cpu_s(lb.proc.pid), time.process_time()
        t0 = time.monotonic()
        asyncio.run(everyone())
        wall = time.monotonic() - t0
        cpu = sum(_cpu_s(r.proc.pid) for r in reps) - cpu0
        lb_cpu, me_cpu = _cpu_s(lb.proc.pid) - lb0, time.process_time() - me0
        peaks = [round(_vmhwm_mb(r.proc.pid)) for r in reps]
    ms = sorted(c * 1000 for c in result.clicks)
    p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))] if ms else None
    return {
        "replicas": replicas,
        "sessions": sessions,
        "clicks": len(ms),
        "median_ms": round(statistics.median(ms)) if ms else None,
        "p95_ms": round(p95) if p95 is not None else None,
        "max_ms": round(ms[-1]) if ms else None,
        "errors": len(result.errors),
        "first_errors": result.errors[:3],
        "wall_s": round(wall, 1),
        # the replicas' CPU per click (first loads included): what a click costs the server
        "cpu_ms_per_click": round(1000 * cpu / max(1, len(ms))),
        # the same machine also runs the load balancer and this client (50 websockets,
        # every message parsed): their share of the two cores, in CPU seconds
        "cpu_s": {
            "replicas": round(cpu, 1),
            "haproxy": round(lb_cpu, 1),
            "client": round(me_cpu, 1),
        },
        "peak_mb": peaks,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--clicks", type=int, default=8)
    ap.add_argument("--replicas", default="1,2", help="comma-separated replica counts")
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    args = ap.parse_args(argv)
    if args.sessions > 200 or args.clicks > 50:
        ap.error("bounded: at most 200 sessions and 50 clicks each")
    rows = []
    for n in (int(x) for x in args.replicas.split(",")):
        row = run(args.data.resolve(), n, args.sessions, args.clicks)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    return 0 if all(r["errors"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
