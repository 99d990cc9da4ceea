"""The deployment: the container files are consistent, and the load balancer's very
configuration (deploy/haproxy.cfg) in front of two local replicas, with Debian's HAProxy:
sticky sessions, health checks, a browser session through it, a replica that dies and one
that comes back."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from deploy.local import CONFIG, balancer, local_config, replica
from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"


def test_the_dockerfile_copies_what_exists_and_runs_as_a_user() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    lines = [ln.strip() for ln in text.replace("\\\n", " ").splitlines()]
    copies = [ln.split()[1:-1] for ln in lines if ln.startswith("COPY ")]
    assert copies, "no COPY"
    for sources in copies:
        for src in sources:
            assert (ROOT / src).exists(), f"the Dockerfile copies {src}, which does not exist"
    users = [ln.split()[1] for ln in lines if ln.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert any(ln.startswith("HEALTHCHECK ") and "/_stcore/health" in ln for ln in lines)
    assert "EXPOSE 8501" in lines
    cmd = next(ln for ln in lines if ln.startswith("CMD "))
    assert "streamlit_app.py" in cmd and "--server.address=0.0.0.0" in cmd


def test_the_image_and_make_run_install_what_the_report_needs() -> None:
    """The board's report draws its charts in Debian's headless Chromium and sets its text
    in DejaVu Sans (`board.DEBIAN_PACKAGES`): the container image installs both (an image
    without them wrote every report's charts as text), and so does `make run`."""
    from dashboard.outputs.board import DEBIAN_PACKAGES

    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    installs = [ln for ln in text.splitlines() if "apt-get install" in ln]
    assert installs, "the Dockerfile installs nothing from Debian"
    for package in DEBIAN_PACKAGES:
        assert any(f" {package}" in ln for ln in installs), f"the image lacks {package}"
    make = subprocess.run(
        ["make", "-n", "-B", "debian-for-run"], cwd=ROOT, capture_output=True, text=True
    )
    assert make.returncode == 0, make.stderr
    run = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True)
    assert "debian-for-run" in run.stdout, run.stdout
    for package in DEBIAN_PACKAGES:  # each named with the file that shows it is installed
        assert re.search(rf"(^|[ '\"]){re.escape(package)}:/", make.stdout), (package, make.stdout)


def test_the_compose_file_runs_replicas_behind_the_balancer() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert set(services) == {"catalog", "init", "app", "lb", "remind"}
    # the weekly reminders: run by the host's scheduler, never by `up`
    remind = services["remind"]
    assert remind["profiles"] == ["remind"] and remind["command"][-1] == "remind"
    assert (
        remind["environment"]["DASHBOARD_CATALOG"]
        == services["app"]["environment"]["DASHBOARD_CATALOG"]
    )
    timer = (DEPLOY / "malbild-remind.timer").read_text(encoding="utf-8")
    assert "OnCalendar=Mon *-*-* 07:00:00" in timer
    unit = (DEPLOY / "malbild-remind.service").read_text(encoding="utf-8")
    assert "run --rm remind" in unit
    app, lb, catalog = services["app"], services["lb"], services["catalog"]
    # the lake's catalog: PostgreSQL, healthy before any app or the first import starts
    assert catalog["image"].startswith("postgres:")
    assert app["environment"]["DASHBOARD_CATALOG"].startswith("postgres:")
    assert "host=catalog" in app["environment"]["DASHBOARD_CATALOG"]
    assert "password" not in app["environment"]["DASHBOARD_CATALOG"]  # from the secret
    assert app["depends_on"]["catalog"]["condition"] == "service_healthy"
    assert services["init"]["depends_on"]["catalog"]["condition"] == "service_healthy"
    assert "pg_isready" in " ".join(catalog["healthcheck"]["test"])
    assert "catalog_password" in app["secrets"] and "catalog_password" in catalog["secrets"]
    assert "has-dataset" in " ".join(services["init"]["command"])
    assert str(app["deploy"]["replicas"]).startswith("${MALBILD_REPLICAS")
    assert app["environment"]["DASHBOARD_DATA_DIR"] == "/data/live"
    assert "data:/data" in app["volumes"] and {"data", "catalog"} <= set(compose["volumes"])
    assert "/_stcore/health" in " ".join(app["healthcheck"]["test"])
    assert app["depends_on"]["init"]["condition"] == "service_completed_successfully"
    assert "--secrets.files=/run/secrets/streamlit_secrets" in app["command"]
    assert {s for s in app["secrets"]} == set(compose["secrets"])
    for secret in compose["secrets"].values():  # the example of every secret file exists
        example = DEPLOY / secret["file"].replace("./secrets/", "secrets.example/")
        assert example.is_file(), example
    assert "./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" in lb["volumes"]
    assert lb["environment"]["MALBILD_APP"] == "app:8501"
    assert lb["depends_on"]["app"]["condition"] == "service_healthy"
    assert app["build"]["dockerfile"] == "deploy/Dockerfile"


@pytest.mark.parametrize(("found", "imports", "ends"), [(0, False, 0), (1, True, 0), (2, False, 2)])
def test_the_first_start_imports_the_sample_only_where_there_is_no_dataset(
    tmp_path: Path, found: int, imports: bool, ends: int
) -> None:
    """The init service's shell command, as compose runs it (`$$` is compose's `$`), with a
    `python` that answers `has-dataset` with *found*: the sample is imported only when
    there is no dataset yet (1); a dataset (0) is left alone, and a catalog that does not
    answer (2) fails the start rather than import the sample over the region's dataset
    once it answers again."""
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    shell, flag, script = compose["services"]["init"]["command"]
    assert (shell, flag) == ("sh", "-c")
    stub = tmp_path / "bin" / "python"
    stub.parent.mkdir()
    stub.write_text(
        "#!/bin/sh\n"
        f'if [ "$3" = has-dataset ]; then exit {found}; fi\n'
        f'echo "$@" >> {tmp_path / "ran"}\n',
        encoding="utf-8",
    )
    stub.chmod(0o755)
    env = {**os.environ, "PATH": f"{stub.parent}:{os.environ['PATH']}"}
    done = subprocess.run(["sh", "-c", script.replace("$$", "$")], env=env, timeout=30)
    assert done.returncode == ends
    ran = (tmp_path / "ran").read_text(encoding="utf-8") if (tmp_path / "ran").exists() else ""
    assert ("ingest sample --out /data/live" in ran) is imports, ran


def test_haproxy_accepts_the_configuration_as_compose_runs_it() -> None:
    env = {**os.environ, "MALBILD_APP": "app:8501", "MALBILD_REPLICAS": "3",
           "MALBILD_COOKIE_KEY": "k"}  # fmt: skip
    done = subprocess.run(
        [shutil.which("haproxy") or "/usr/sbin/haproxy", "-c", "-f", str(CONFIG)],
        env=env, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Configuration file is valid" in done.stdout + done.stderr
    local = local_config(9999, [1111, 2222])
    assert "server app1 127.0.0.1:1111 check" in local
    assert not re.search(r"^\s*server-template", local, re.M)
    # the local test changes only the address and the servers
    ours = r"\s*(bind 127\.0\.0\.1:\d+|server app\d+ 127\.0\.0\.1:\d+ check)$"
    rest = [ln for ln in local.splitlines() if not re.match(ours, ln)]
    original = [ln for ln in CONFIG.read_text().splitlines()
                if not re.match(r"\s*(bind :8080|server-template )", ln)]  # fmt: skip
    assert rest == original


def _opener() -> tuple[urllib.request.OpenerDirector, http.cookiejar.CookieJar]:
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def _replica_of(url: str, opener: urllib.request.OpenerDirector | None = None) -> str:
    with (opener or urllib.request.build_opener()).open(url, timeout=10) as r:
        assert r.status == 200
        return r.headers["X-Malbild-Replica"]


@pytest.fixture
def pair(sample_dir: Path, tmp_path: Path) -> Iterator[tuple[list[contextlib.ExitStack], object]]:
    stacks = [contextlib.ExitStack(), contextlib.ExitStack()]
    ports = []
    try:
        for i, st in enumerate(stacks, 1):
            ports.append(st.enter_context(replica(sample_dir, tmp_path / f"app{i}.log")).port)
        with balancer(ports, tmp_path) as lb:
            yield stacks, (lb, ports)
    finally:
        for st in stacks:
            st.close()


def _wait_for(check, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("not within the time")
        time.sleep(0.25)


def test_sessions_stick_to_their_replica_and_move_when_it_dies(
    pair, sample_dir: Path, tmp_path: Path
) -> None:
    stacks, (lb, ports) = pair
    # without a cookie, new visitors are spread over both replicas
    seen = {_replica_of(lb.url) for _ in range(8)}
    assert seen == {"app1", "app2"}, seen
    # with the cookie of the first response, every request goes to the same one
    opener, jar = _opener()
    first = _replica_of(lb.url, opener)
    assert any(c.name == "MALBILD_REPLICA" for c in jar)
    assert {_replica_of(lb.url, opener) for _ in range(10)} == {first}
    # that replica dies: after the health checks notice, the same browser is sent on
    stacks[int(first[-1]) - 1].close()
    other = "app2" if first == "app1" else "app1"
    _wait_for(lambda: _replica_of(lb.url, opener) == other)
    assert {_replica_of(lb.url) for _ in range(6)} == {other}  # and every new visitor
    # it comes back (a restart: the dataset is on disk, nothing is lost) and gets visitors
    port = ports[int(first[-1]) - 1]
    with replica(sample_dir, tmp_path / "again.log", port=port):
        _wait_for(lambda: {_replica_of(lb.url) for _ in range(6)} == {"app1", "app2"}, 30)


@pytest.mark.browser
def test_a_browser_uses_the_dashboard_through_the_balancer(pair, browser, expect) -> None:
    """Pages, their websocket and a download, through HAProxy, all from one replica."""
    from tests.test_browser import FIRST_LOAD_MS, STEP_MS, VIEWPORT, wait_idle

    _, (lb, _) = pair
    ctx = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = ctx.new_page()
    replicas: set[str] = set()
    page.on("response", lambda r: replicas.add(r.headers.get("x-malbild-replica", "")))
    try:
        page.goto(f"{lb.url}/?lang=sv&org=gotland", timeout=FIRST_LOAD_MS)
        main = page.get_by_test_id("stMain")
        expect(main.get_by_role("heading", level=1)).to_have_text("Översikt", timeout=FIRST_LOAD_MS)
        page.get_by_test_id("stSidebar").get_by_role("link", name="Aktiviteter").click()
        expect(main.get_by_role("heading", level=1)).to_have_text("Aktiviteter", timeout=STEP_MS)
        wait_idle(page)
        with page.expect_download(timeout=STEP_MS) as info:
            main.get_by_test_id("stDownloadButton").first.get_by_role("button").click()
        assert "Gotlands kommun" in Path(info.value.path()).read_text(encoding="utf-8-sig")
    finally:
        ctx.close()
    replicas.discard("")
    assert len(replicas) == 1, replicas


def test_make_installs_every_missing_debian_package_in_one_apt_get(tmp_path: Path) -> None:
    """`make test` installs what is missing of its Debian packages in one `apt-get update`
    and one `apt-get install` (28 s on a fresh machine against 44 s for one each), and only
    what is missing, a glob in a path included. Run with stand-ins for `apt-get` and `sudo`
    that write down how they were called."""
    calls = tmp_path / "calls"
    for name, body in {
        "apt-get": f'echo "apt-get $*" >> {calls}',
        "sudo": 'exec "$@"',
    }.items():
        stub = tmp_path / name
        stub.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        stub.chmod(0o755)
    needs = (
        f"there:{ROOT / 'Makefile'} gone:{tmp_path}/nothing "
        f"'globbed:{ROOT}/*/conftest.py' 'unmatched:{tmp_path}/*/nothing'"
    )
    done = subprocess.run(
        ["make", "--no-print-directory", "debian-for-test", f"FOR_TEST={needs}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"},
    )
    assert done.returncode == 0, done.stderr
    assert calls.read_text(encoding="utf-8").splitlines() == [
        "apt-get update -qq",
        "apt-get install -y -qq gone unmatched",
    ]
