"""Which test file a pytest-xdist worker takes next: the browser files in one lane.

`make test` runs the files on three workers (`-n 3 --dist loadfile`) on the 2-core machine.
A browser file starts a Streamlit server and a Chromium of its own and keeps both busy, and
two of them at once made both about 1.5x slower (2026-12-04). Ordering the files so that
browser and other files take turns did not keep them apart: xdist hands a worker its next
file while the current one still has two tests to run (a one-test file gets its next file
as it starts), so which files ran side by side depended on where each file's tests ended.
In one run on 2026-12-07 the two workers ran browser files side by side for the first
282 s of 676 s.

`BrowserLane` decides by kind instead of by place: the first worker runs the browser files
(slowest first), the others run everything else, and the first worker joins them once no
browser file is left. The other files come slowest first, so that the run ends on short
files. A worker that finds no other file left takes the last browser file waiting (the
shortest) rather than stop while the lane still has several to run: side by side at the
end, where the alternative is a core left idle. Only the kind and the order come from
`BROWSER_FILES` and `OTHER_FILES` (seconds each file took, for the order only): a new file
missing from both runs as an "other" file after the listed ones, which is slower at worst,
never wrong.

Why three workers on two cores, and a lower priority for the two that run other files
(`OTHER_NICE`): the browser lane waits on its server and its Chromium between steps, and
with two workers those waits left 75-80 of ~760 busy core-seconds a run idle (measured
second by second, 2026-12-07); a third worker takes them. Its files take cores from the
lane only when the lane wants them less (`nice`), and the lane's files are the run's
longest (60-90 s each) and cannot be split, so the lane sets the run's end. Measured side
by side in one session: two workers 405-411 s (idle 77 core-seconds), three with one of them
lowered 369 s (idle 29), three with both other workers lowered and the script-only
benchmarks moved off the lane (`test_benchmark_scripts.py`) 351 s.
"""

from __future__ import annotations

import os
from pathlib import PurePosixPath
from typing import Any

from xdist.scheduler.loadscope import LoadScopeScheduling

# Seconds each file took on the 2-core machine (-n 2, 2026-12-07, a slow spell, the browser
# files side by side). Only their order is used.
BROWSER_FILES = {
    "test_browser_walk.py": 142,
    "test_signin.py": 135,
    "test_round_browser.py": 121,
    "test_browser.py": 118,
    "test_benchmarks.py": 25,  # floor.py draws in Chromium, load.py runs HAProxy
    "test_accessibility.py": 48,
    "test_deploy.py": 16,  # a real HAProxy in front of two servers
}
OTHER_FILES = {
    "test_store.py": 65,
    "test_readable_everywhere.py": 49,
    "test_round.py": 46,
    "test_checklists.py": 42,
    "test_editing.py": 42,
    "test_history.py": 41,
    "test_import_hardening.py": 39,
    "test_access.py": 36,
    "test_app_dataset_changes.py": 35,
    "test_partial.py": 33,
    "test_board.py": 32,
    "test_one_evaluation.py": 32,
    "test_scope_walk.py": 23,
    "test_edit_forms.py": 20,
    "test_benchmark_scripts.py": 20,  # benchmarks/run.py at 10k (its own process)
    "test_app.py": 18,
    "test_db.py": 18,
    "test_typed_numbers.py": 16,
    "test_upload_scope.py": 15,
    "test_synth.py": 15,
    "test_registries.py": 13,
    "test_goal_lists.py": 12,
}


def is_browser(scope: str) -> bool:
    """Whether the file a work unit (an xdist scope, a node id's file part) is a browser file."""
    return PurePosixPath(scope.split("::", 1)[0]).name in BROWSER_FILES


# How much lower than the browser lane a worker running another file runs (`nice`, 0-19;
# module docstring). 10: about a tenth of the lane's share of a core while both want it
# (Linux weighs nice 10 at 110 against 1,024), and the lane wants it only in bursts; no time
# limit of the lowered files' (a server's start, an AppTest run) ran out in the runs
# measured (2026-12-07).
OTHER_NICE = 10


def lower_beside_the_lane(scope: str, nice: int = OTHER_NICE) -> bool:
    """Lower this worker's priority to *nice* when it starts a file that is not a browser
    file (once: an unprivileged process cannot raise it again; what it starts, a server
    or a command, inherits it). The lane's worker runs other files only once no browser
    file is left, so the lane is never lowered while it has browser files to run. Whether
    it was lowered now."""
    if is_browser(scope):
        return False
    now = os.getpriority(os.PRIO_PROCESS, 0)
    if now >= nice:
        return False
    os.nice(nice - now)
    return True


def file_order(names: list[str]) -> dict[str, int]:
    """Each file's place: the browser files slowest first, then the other listed files slowest
    first, then the rest as collected. The scheduler takes the first of a kind it wants."""
    names = list(dict.fromkeys(names))  # one each, in the order collected (every worker's)
    browser = sorted((n for n in names if n in BROWSER_FILES), key=lambda n: -BROWSER_FILES[n])
    other = sorted((n for n in names if n in OTHER_FILES), key=lambda n: -OTHER_FILES[n])
    first = browser + other
    later = [n for n in names if n not in first]
    return {n: i for i, n in enumerate(first + later)}


class BrowserLane(LoadScopeScheduling):
    """`--dist loadfile` with the browser files kept to one worker until the other files
    are done (module docstring)."""

    def _lane(self) -> Any:
        """The worker that runs the browser files: the first one still taking work."""
        return next((n for n in self.nodes if not n.shutting_down), None)

    def _next_scope(self, node: Any) -> str | None:
        """The file *node* takes next, or None when nothing is left that it may take."""
        scopes = list(self.workqueue)
        browser = [s for s in scopes if is_browser(s)]
        other = [s for s in scopes if not is_browser(s)]
        if node is self._lane():
            return (browser or other or [None])[0]
        return (other or browser[-1:] or [None])[0]

    def _assign_work_unit(self, node: Any) -> None:
        """As xdist's own, but the unit is the one `_next_scope` picks; a worker left with
        nothing it may take is shut down (it would otherwise wait for work forever)."""
        scope = self._next_scope(node)
        if scope is None:
            node.shutdown()
            return
        work_unit = self.workqueue.pop(scope)
        self.assigned_work.setdefault(node, {})[scope] = work_unit
        collection = self.registered_collections[node]
        node.send_runtest_some(
            [collection.index(nodeid) for nodeid, done in work_unit.items() if not done]
        )
