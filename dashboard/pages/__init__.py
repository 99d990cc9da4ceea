"""One module per page; each exposes `render(view)` and holds UI only.

`PAGES` is the one list of pages: the navigation (`streamlit_app.py`), the tests that keep
every page readable, accessible and within the reader's scope, and the benchmarks all read
it, so a page added here is visited by every one of those checks.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """A page: its module `dashboard/pages/NAME.py`, its title's text key, its icon."""

    name: str
    title_key: str
    icon: str
    default: bool = False

    @property
    def path(self) -> str:
        """The page file, relative to the project (what AppTest's switch_page takes)."""
        return f"dashboard/pages/{self.name}.py"


PAGES: tuple[Page, ...] = (
    Page("overview", "page.overview", ":material/dashboard:", default=True),
    Page("goals", "page.goals", ":material/flag:"),
    Page("activities", "page.activities", ":material/list:"),
    Page("networks", "page.networks", ":material/hub:"),
    Page("projects", "page.projects", ":material/euro:"),
    Page("evaluation", "page.evaluation", ":material/fact_check:"),
    Page("data", "page.data", ":material/database:"),
    Page("history", "page.history", ":material/history:"),
    Page("accessibility", "page.accessibility", ":material/accessibility:"),
)
