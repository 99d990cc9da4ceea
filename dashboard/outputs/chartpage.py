"""Kaleido's page in the browser, asked in the page that holds its scripts.

Kaleido (1.5) opens its page in Chromium and then asks for "the JavaScript context that
was created": it enables the runtime's events only after it has told the tab to navigate,
so on a busy machine, where the navigation has not yet committed, the first context it
hears of is the blank page's. Every chart is then asked in the blank page and fails with
"kaleido_scopes is not defined", again after a restart (2 of 6 fresh processes with the
two cores busy; the report failed three attempts in a row in a test run). `mend` wraps
the tab's `navigate`: once the page has loaded, the context is checked, and where it is
the wrong one the runtime's events are switched off and on, after which Chromium names
the loaded page's context (the only one left) and that one is kept.

The wrapper touches one private method; where a later Kaleido lacks it, nothing is
changed and `board.png`'s restarts remain the fallback."""

from __future__ import annotations

from typing import Any

_MENDED = [False]
_CHECK = "function() { return typeof kaleido_scopes; }"


def mend() -> None:
    """Wrap Kaleido's tab navigation once per process (see the module's docstring)."""
    if _MENDED[0]:
        return
    try:
        from kaleido._kaleido_tab import _devtools_utils as dtools
        from kaleido._kaleido_tab import _tab
    except ImportError:  # pragma: no cover - a Kaleido without these modules
        return
    tab_class = getattr(_tab, "_KaleidoTab", None)
    original = getattr(tab_class, "navigate", None)
    if tab_class is None or original is None:  # pragma: no cover - a different Kaleido
        return

    async def has_scopes(tab: Any, js_id: int) -> bool:
        answer = await dtools.exec_js_fn(tab, js_id, _CHECK)
        value = answer.get("result", {}).get("result", {}).get("value")
        return value not in (None, "undefined")

    async def navigate(self: Any, url: Any = "") -> None:
        await original(self, url)
        if await has_scopes(self.tab, self._current_js_id):
            return
        await self.tab.send_command("Runtime.disable")
        ready = _tab._subscribe_new(self.tab, "Runtime.executionContextCreated")
        await self.tab.send_command("Runtime.enable")
        self._current_js_id = dtools.get_js_id(await ready)

    tab_class.navigate = navigate
    _MENDED[0] = True
