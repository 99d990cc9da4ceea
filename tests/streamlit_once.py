"""Streamlit's AppTest scans every installed package for components on each new AppTest.

A served app scans once, when its runtime starts (`Runtime.__init__`); AppTest does it again
for every `AppTest.from_file(...)` on its first run (`app_test.py`, `BidiComponentManager
.discover_and_register_components`): it parses the metadata of all ~130 installed
distributions, 0.9 s of a first page run's 1.2 s measured on the sample (cProfile,
2026-12-04). The packages cannot change while a test run or a benchmark runs, so the scan's
answer is kept for the process, as the served app keeps it. Used by the tests (conftest) and
by the benchmarks that time AppTest reruns, so that neither times the scan as the page's.
"""

from __future__ import annotations

import functools


def scan_components_once() -> None:
    """Make Streamlit's component scan answer from its first result in this process."""
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    if getattr(scan, "cache_info", None) is None:  # not wrapped yet
        manifest_scanner.scan_component_manifests = functools.cache(scan)  # type: ignore[assignment]
