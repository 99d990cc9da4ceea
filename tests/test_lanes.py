"""The suite's own scheduler (`tests/lanes.py`): browser files on one worker, never two at once."""

from __future__ import annotations

import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.lanes import BROWSER_FILES, OTHER_FILES, BrowserLane, file_order

TESTS = Path(__file__).resolve().parent


class Config:
    """A stand-in for pytest's config as xdist's scheduler reads it: `-n WORKERS --dist MODE`."""

    def __init__(self, mode: str, workers: int = 2) -> None:
        self.option = SimpleNamespace(loadscopereorder=False, dist=mode)
        self.workers = workers

    def getoption(self, name: str, default: object = None) -> object:
        return getattr(self.option, name, default)

    def getvalue(self, name: str) -> object:
        return [f"{self.workers}*popen"] if name == "tx" else None


class Worker:
    """A stand-in for xdist's WorkerController: what it was sent, and whether it was shut down."""

    def __init__(self, name: str, collection: list[str]) -> None:
        self.gateway = SimpleNamespace(id=name)
        self.collection = collection
        self.shutting_down = False
        self.files: list[str] = []

    def send_runtest_some(self, indices: list[int]) -> None:
        self.files += list(dict.fromkeys(self.collection[i].split("::")[0] for i in indices))

    def shutdown(self) -> None:
        self.shutting_down = True


def run(collection: list[str], workers: int = 2) -> list[Worker]:
    """The scheduler run to the end over *collection*, each worker finishing its tests in turn,
    as xdist's controller tells it; the workers with what each was sent."""
    lane = BrowserLane(Config("loadfile", workers))  # type: ignore[arg-type]
    nodes = [Worker(f"gw{n}", collection) for n in range(workers)]
    for node in nodes:
        lane.add_node(node)  # type: ignore[arg-type]
        lane.add_node_collection(node, collection)  # type: ignore[arg-type]
    lane.schedule()
    for _ in range(len(collection) * workers):
        for node in nodes:
            pending = [
                nodeid
                for unit in lane.assigned_work.get(node, {}).values()  # type: ignore[call-overload]
                for nodeid, done in unit.items()
                if not done
            ]
            if pending:
                lane.mark_test_complete(node, collection.index(pending[0]))  # type: ignore[arg-type]
    assert lane.tests_finished
    return nodes


def node_ids(files: dict[str, int]) -> list[str]:
    return [f"tests/{name}::test_{n}" for name, count in files.items() for n in range(count)]


def test_browser_files_run_on_one_worker_and_the_rest_beside_them() -> None:
    order = ["test_signin.py", "test_store.py", "test_round_browser.py", "test_app.py"]
    collection = node_ids({"test_signin.py": 3, "test_round_browser.py": 1, "test_store.py": 4})
    collection += node_ids({"test_app.py": 5, "test_new.py": 2})
    place = file_order([c.split("::")[0].split("/")[1] for c in collection])
    collection.sort(key=lambda c: place[c.split("::")[0].split("/")[1]])
    lane, other = run(collection)
    browser = [f"tests/{n}" for n in order if n in BROWSER_FILES]
    assert lane.files[: len(browser)] == browser  # slowest first, before anything else
    assert not set(other.files) & set(browser)  # never a browser file beside the lane's
    assert sorted(lane.files + other.files) == sorted(dict.fromkeys(
        c.split("::")[0] for c in collection
    ))  # fmt: skip
    assert lane.shutting_down and other.shutting_down


def test_a_worker_with_no_other_file_left_takes_the_shortest_browser_file() -> None:
    """Only browser files left: the second worker takes the last one waiting (the shortest)
    beside the lane's instead of standing idle; the lane takes the first."""
    lane, other = run(node_ids({"test_signin.py": 3, "test_browser.py": 3, "test_deploy.py": 3}))
    assert lane.files == ["tests/test_signin.py", "tests/test_browser.py"]
    assert other.files == ["tests/test_deploy.py"]


def test_a_worker_with_nothing_it_may_take_is_shut_down() -> None:
    """Nothing left for it: the worker stops instead of waiting for work forever."""
    lane, other, third = run(node_ids({"test_signin.py": 3, "test_app.py": 2}), workers=3)
    assert lane.files == ["tests/test_signin.py"]
    assert other.files + third.files == ["tests/test_app.py"]
    assert other.shutting_down and third.shutting_down


def test_a_worker_lowers_itself_for_another_file_and_only_once() -> None:
    """`lower_beside_the_lane` in a process of its own (a priority cannot be raised again):
    a browser file leaves it as it was, another file lowers it to the given niceness, a
    second other file changes nothing."""
    import subprocess
    import sys

    code = (
        "import os\nfrom tests.lanes import lower_beside_the_lane as lower\n"
        "def at(): return os.getpriority(os.PRIO_PROCESS, 0)\n"
        "now = at()\nto = min(now + 2, 19)\n"
        "print(lower('tests/test_signin.py::test_x', to), at() - now)\n"
        "print(lower('tests/test_app.py::test_x', to), at() - to)\n"
        "print(lower('tests/test_db.py::test_x', to), at() - to)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=TESTS.parent, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    now = os.getpriority(os.PRIO_PROCESS, 0)
    lowered = "True 0" if now < 19 else "False 0"  # already as low as it goes: nothing to do
    assert done.stdout.split("\n")[:3] == ["False 0", lowered, "False 0"], done.stdout


def test_every_browser_file_is_named_and_every_named_file_is_there() -> None:
    """A browser file missing from `BROWSER_FILES` would run beside another one (slower);
    a name left after its file is gone orders nothing."""
    marked = {
        p.name
        for p in TESTS.glob("test_*.py")
        if re.search(r"^pytestmark = pytest\.mark\.browser", p.read_text(), re.MULTILINE)
    }
    assert marked <= set(BROWSER_FILES), marked - set(BROWSER_FILES)
    named = set(BROWSER_FILES) | set(OTHER_FILES)
    assert named <= {p.name for p in TESTS.glob("test_*.py")}
    assert not set(BROWSER_FILES) & set(OTHER_FILES)


@pytest.mark.parametrize("mode", ["loadfile", "load", "no"])
def test_the_scheduler_is_the_suites_only_with_loadfile(mode: str) -> None:
    from tests.conftest import pytest_xdist_make_scheduler

    made = pytest_xdist_make_scheduler(Config(mode), None)  # type: ignore[arg-type]
    assert isinstance(made, BrowserLane) == (mode == "loadfile")
