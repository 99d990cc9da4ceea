"""One process-wide, thread-safe store of things built once and shared by every session:
query results (`data`), figures, derived values and formatted tables (`ui`).

Streamlit's st.cache_data pickles each value and unpickles a copy on every read, and hashes
its arguments by inspecting them; for values read on every click by every session that was
15 % of a click's CPU (benchmarks/RESULTS.md, "Many users at once"). A `Kept` is keyed on a
tuple of small hashable values and reads with a dictionary lookup. What is kept is never
changed: callers only read it (query results are handed out as shallow copies).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Kept(Generic[V]):
    """At most *size* values, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        """The value kept under *key*, made by *make* (outside the lock) when there is none.
        Two sessions asking at once may both make it; the later one is kept."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        made = make()
        with self._lock:
            self._items[key] = made
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return made

    def clear(self) -> None:
        """Forget everything (after a dataset is replaced; benchmarks starting cold)."""
        with self._lock:
            self._items.clear()
