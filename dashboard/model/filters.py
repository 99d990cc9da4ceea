"""The one value every page and query receives: what the user selected.

`Filters` is frozen and hashable, so it doubles as the cache key of every cached
query. It is a pure value: it imports nothing of the database (`db.params_for` picks the
parameters a query declares from it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Filters:
    """Organisations, years and goals chosen; empty tuples and None mean "all"."""

    orgs: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    goals: tuple[str, ...] = ()

    def params(self) -> dict[str, Any]:
        """Every filter parameter as the queries name them."""
        return {
            "org": list(self.orgs) or None,
            "year_from": self.year_from,
            "year_to": self.year_to,
            "goal": list(self.goals) or None,
        }

    @property
    def single_year(self) -> int | None:
        """The year when exactly one is selected, else None."""
        if self.year_from is not None and self.year_from == self.year_to:
            return self.year_from
        return None
