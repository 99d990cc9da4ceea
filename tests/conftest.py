"""Shared fixtures: the hand-checked mini dataset and the shipped sample, built by the import."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dashboard.imports.ingest import ingest
from dashboard.storage import Change
from dashboard.storage.engine import Database
from dashboard.storage.location import CATALOG_FILE
from tests.lanes import BrowserLane, file_order, lower_beside_the_lane
from tests.streamlit_once import (
    compile_scripts_once,
    scan_components_once,
    wait_for_runs_without_polling,
)

# The suite's workers share the machine's two cores: a DuckDB of two threads in each (the
# app's default) had them contend for both on queries of a few hundred rows (the storage
# and import files, -n 2: 102-104 -> 87-88 s, user CPU 171-174 -> 141-144 s, 2026-12-06).
# Set before any engine is made; inherited by the servers and scripts the tests start.
os.environ.setdefault("DASHBOARD_DUCKDB_THREADS", "1")
# and a write's DuckDB one thread too (the app's default: every core): 36 -> 31 CPU s for the
# editing and partial-import files alone, three runs each side by side (2026-12-07)
os.environ.setdefault("DASHBOARD_DUCKDB_WRITE_THREADS", "1")

scan_components_once()  # once per worker, as a served app scans once (tests/streamlit_once.py)
compile_scripts_once()  # and compiles each script once
wait_for_runs_without_polling()  # and waits for a run without waking every millisecond

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI_SOURCE = FIXTURES / "mini"
SAMPLE_SOURCE = ROOT / "sample"
_IN_MEMORY = pytest.StashKey[Path]()


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """The tests' folders in memory (under `/dev/shm`, a tmpfs on Linux) unless `--basetemp`
    names one: the suite makes hundreds of lakes, and each commit's SQLite catalog and files
    were synced to the disk for nothing (the history and editing files 40.8-41.8 s ->
    38.9-40.1 s, 2026-12-07). A folder of this run's own (two runs at once must not empty
    each other's), removed when the run ends (`pytest_unconfigure`): memory is not left
    taken. Only where it has room (2 GB free; a run used at most ~170 MB, sampled every
    5 s, 2026-12-07): a container's `/dev/shm` is often 64 MB. Set before pytest's own hook
    fixes the folder; xdist gives each worker one beneath it."""
    shm = Path("/dev/shm")
    if (
        config.option.basetemp is None
        and shm.is_dir()
        and os.access(shm, os.W_OK | os.X_OK)
        and _free_bytes(shm) >= 2 * 1024**3
    ):
        config.option.basetemp = tempfile.mkdtemp(prefix="malbild-tests-", dir=shm)
        config.stash[_IN_MEMORY] = Path(config.option.basetemp)


def _free_bytes(folder: Path) -> int:
    found = os.statvfs(folder)
    return found.f_bavail * found.f_frsize


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_IN_MEMORY, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def mini_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini fixture imported into a fresh dataset folder."""
    out = tmp_path_factory.mktemp("mini") / "data"
    ingest(MINI_SOURCE, out)
    return out


@pytest.fixture(scope="session")
def mini_db(mini_dir: Path) -> Database:
    """A locked-down connection over the mini dataset."""
    return Database(mini_dir)


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample (sample/*.csv) imported with the same import users run."""
    out = tmp_path_factory.mktemp("sample") / "data"
    ingest(SAMPLE_SOURCE, out)
    return out


@pytest.fixture(scope="session")
def fresh_sample(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """A new dataset folder holding the sample as just imported, for a test that changes it.

    The sample is imported once per worker and each kind of import (by the server's user,
    or recorded as by *who*) is copied: a copy is the same lake (its catalog names the
    files relative to the folder, `engine._attach`), made in milliseconds instead of the
    import's second (`copy_lake`)."""
    made: dict[str | None, Path] = {}

    def copy(dest: Path, who: str | None = None) -> Path:
        if who not in made:
            src = tmp_path_factory.mktemp("sample-template") / "data"
            change = None if who is None else Change(who, "import", person=None)
            ingest(SAMPLE_SOURCE, src, change=change)
            made[who] = src
        return copy_lake(made[who], dest)

    return copy


def copy_lake(src: Path, dest: Path) -> Path:
    """A copy of the dataset folder *src* at *dest*, the same lake. The SQLite catalog is
    copied by SQLite's own backup (whole, with what its write-ahead log holds), so nothing
    reading *src* is closed: closing this process's instances of it first, as this did
    before, closed the session's `mini_db` under the tests that ran after a copy of
    `mini_dir` (two failures in CI, 2026-12-07)."""
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(f"{CATALOG_FILE}*"))
    with (
        contextlib.closing(sqlite3.connect(src / CATALOG_FILE)) as old,
        contextlib.closing(sqlite3.connect(dest / CATALOG_FILE)) as new,
    ):
        old.backup(new)
    return dest


@pytest.fixture(scope="session")
def sample_db(sample_dir: Path) -> Database:
    """A connection over the freshly imported sample."""
    return Database(sample_dir)


# ---------------------------------------------------------------- the browser tests'


@pytest.fixture(scope="session")
def sample_server(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """The app over the sample, one for the worker's whole run: the browser files that only
    read it (`test_browser.py`'s module server, the language walk, the accessibility
    checks) share it, as they run one after another on one worker (`tests/lanes.py`). A
    server each cost a start and a first run each (~3 s of a CPU-bound run); a file that
    writes, signs in or needs other settings starts its own."""
    from tests.test_browser import run_server

    log = tmp_path_factory.mktemp("streamlit-sample") / "server.log"
    with run_server(sample_dir, log) as srv:
        yield srv


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium, one per worker (the browser files run one after another on
    one worker, `tests/lanes.py`; each test makes its own context, so nothing of one test's
    pages, cookies or downloads reaches another's); missing Chromium is a failure, never a
    skip. A launch costs ~1-1.5 CPU s; one per file cost five of them."""
    from tests.test_browser import CHROMIUM

    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: the browser tests need Debian's Chromium. "
            "Install it with `sudo apt-get install chromium-headless-shell` (`make test` does); "
            "do not run `playwright install`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    from tests.test_browser import CHROMIUM_ARGS, watch_socket

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        plain = b.new_context

        def new_context(**options):  # every page counts what it sends (`press`)
            ctx = plain(**options)
            watch_socket(ctx)
            return ctx

        b.new_context = new_context  # type: ignore[method-assign]
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module", autouse=True)
def _close_signed_in(request: pytest.FixtureRequest) -> Iterator[None]:
    """A module's kept signed-in browsers closed at its end. A browser file that signs people
    in through the provider keeps each person's context for its later tests in a module-level
    `SIGNED_IN` (person -> context), as a person keeps a tab open: a sign-in costs ~3 CPU s
    of Chromium's against ~0.9 s for a page opened in the kept one (2026-12-08). Module
    fixtures end before the session's `browser` does, so they close before it."""
    yield
    kept = getattr(request.module, "SIGNED_IN", None)
    while kept:
        kept.popitem()[1].close()


@pytest.fixture
def expect():
    from playwright.sync_api import expect

    from tests.test_browser import STEP_MS

    expect.set_options(timeout=STEP_MS)
    return expect


# ---------------------------------------------------------------- the order files run in


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files in `lanes.file_order` (tests within a file keep their order: the sort is stable)."""
    place = file_order([item.path.name for item in items])
    items.sort(key=lambda item: place[item.path.name])


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Under the browser lane (`--dist loadfile` on workers), a worker running another file
    gives the lane's server and Chromium the first call on the cores (`lanes.OTHER_NICE`)."""
    if hasattr(item.config, "workerinput") and item.config.getoption("dist", None) == "loadfile":
        lower_beside_the_lane(item.nodeid)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """With `--dist loadfile` (make test), the browser files run on one worker, the rest
    beside them (`tests/lanes.py`); any other mode is xdist's own."""
    if config.getoption("dist", None) != "loadfile":
        return None
    return BrowserLane(config, log)
