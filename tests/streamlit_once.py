"""Streamlit's AppTest scans every installed package for components on each new AppTest.

A served app scans once, when its runtime starts (`Runtime.__init__`); AppTest does it again
for every `AppTest.from_file(...)` on its first run (`app_test.py`, `BidiComponentManager
.discover_and_register_components`): it parses the metadata of all ~130 installed
distributions, 0.9 s of a first page run's 1.2 s measured on the sample (cProfile,
2026-12-04). The packages cannot change while a test run or a benchmark runs, so the scan's
answer is kept for the process, as the served app keeps it. Used by the tests (conftest) and
by the benchmarks that time AppTest reruns, so that neither times the scan as the page's.

The same holds for the scripts' bytecode: a served app compiles each page script once
(`ScriptCache`, kept by its runtime), AppTest makes a new cache for every run, so each
run parsed and rewrote (Streamlit's "magic") the app script and its page again: 17 % of
the script time of the readable check (yappi, 2026-12-05). `compile_scripts_once` keeps
one cache for the process, whose entries are made again when a script file changes.

And AppTest waits for a run by waking every millisecond to look whether it has ended;
`wait_for_runs_without_polling` joins the run's thread instead (the AppTest files of the
suite 23.7-24.3 -> 22.7-23.2 s, 2026-12-06). Used by the tests only: the benchmarks' AppTest
timings stay comparable with the figures in RESULTS.md.
"""

from __future__ import annotations

import functools
import os
import threading
from typing import Any


def scan_components_once() -> None:
    """Make Streamlit's component scan answer from its first result in this process."""
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    if getattr(scan, "cache_info", None) is None:  # not wrapped yet
        manifest_scanner.scan_component_manifests = functools.cache(scan)  # type: ignore[assignment]


def compile_scripts_once() -> None:
    """Make every AppTest of this process share one script cache, as a served app does."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    if isinstance(getattr(app_test, "ScriptCache", None), _Shared):
        return

    class Kept(ScriptCache):
        """A script cache whose entry is made again when its file's size or time changed
        (a test that writes a page script, then runs it)."""

        def __init__(self) -> None:
            super().__init__()
            self._stamps: dict[str, tuple[int, int]] = {}
            self._guard = threading.Lock()

        def get_bytecode(self, script_path: str) -> Any:
            path = os.path.abspath(script_path)
            st = os.stat(path)
            stamp = (st.st_mtime_ns, st.st_size)
            with self._guard:
                if self._stamps.get(path) != stamp:
                    with self._lock:
                        self._cache.pop(path, None)
                    self._stamps[path] = stamp
            return super().get_bytecode(path)

    shared = _Shared(Kept())  # the pages' manager's cache and the script runner's
    app_test.ScriptCache = shared  # type: ignore[attr-defined,misc]
    local_script_runner.ScriptCache = shared  # type: ignore[attr-defined,misc]


class _Shared:
    """Stands for the `ScriptCache` class in `app_test`: "making" one gives the one kept."""

    def __init__(self, cache: Any) -> None:
        self.cache = cache

    def __call__(self) -> Any:
        return self.cache


def wait_for_runs_without_polling() -> None:
    """Make AppTest wait for a script run by joining its thread, as `LocalScriptRunner.run`
    does right after, instead of waking every millisecond to look (`require_widgets_deltas`:
    each wake takes the GIL from the script thread it waits for). A run that outlives the
    timeout fails as before, with AppTest's own message."""
    from streamlit.testing.v1 import local_script_runner as lsr

    if getattr(lsr.require_widgets_deltas, "joins", False):
        return
    polling = lsr.require_widgets_deltas

    def joined(runner: Any, timeout: float = 3) -> None:
        thread = getattr(runner, "_script_thread", None)
        if thread is None:  # not the runner this was written against: AppTest's own wait
            polling(runner, timeout)
            return
        thread.join(timeout)
        if runner.script_stopped():
            return
        runner.request_stop()  # as AppTest's own wait ends a run past its time
        runner.join()
        raise RuntimeError(f"AppTest script run timed out after {timeout}(s)")

    joined.joins = True  # type: ignore[attr-defined]
    lsr.require_widgets_deltas = joined
