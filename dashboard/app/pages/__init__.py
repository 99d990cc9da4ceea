"""One module per page; each exposes `render(view)` and only lays out sections.

`PAGES` is the one registry of pages: the navigation (`streamlit_app.py`), the tests that
keep every page readable, accessible and within the reader's scope, and the benchmarks all
read it, so a page added here is visited by every one of those checks. Each record says
what the page reads (its queries, besides the shell's `SHELL_READS`) and what it offers to
download (the keys of its files); `tests/test_registries.py` runs every page and holds
both to what it really does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dashboard import PROJECT_ROOT

#: where the page modules live
PAGES_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Page:
    """A page: its module `dashboard/app/pages/NAME.py`, its title's text key, its icon."""

    name: str
    title_key: str
    icon: str
    default: bool = False
    reads: tuple[str, ...] = ()  # the queries it runs (queries/NAME.sql)
    downloads: tuple[str, ...] = ()  # the files it offers (their keys, without "dl-")
    charts: bool = False  # draws charts (the chart checks visit it)
    # its work is for people with roles (the yearly round): the registry's record is of a
    # run signed in as a coordinator of one organisation and a reporter of another, with a
    # round open in both (`tests/test_registries.py`); a visitor sees a part of it
    signed_in: bool = False

    @property
    def path(self) -> str:
        """The page file, relative to the project (what AppTest's switch_page takes)."""
        return f"dashboard/app/pages/{self.name}.py"

    @property
    def file(self) -> Path:
        """The page file's full path."""
        return PROJECT_ROOT / self.path


#: the queries the shell runs on every page (the sidebar's choices)
SHELL_READS = ("organisations", "year_range", "goal_options")

PAGES: tuple[Page, ...] = (
    Page(
        "overview",
        "page.overview",
        ":material/dashboard:",
        default=True,
        reads=("overview_metrics", "eu_funding", "goal_coverage", "activities_per_year"),
        downloads=("metrics", "coverage", "per_year"),
        charts=True,
    ),
    Page(
        "goals",
        "page.goals",
        ":material/flag:",
        reads=(
            "activity_goals",
            "activities_count",
            "goal_coverage",
            "goals_in_period",
            "activities_per_year",
            "activities",
            "project_portfolio",
        ),
        downloads=("matrix", "hierarchy", "goal_acts", "goal_projs"),
        charts=True,
    ),
    Page(
        "activities",
        "page.activities",
        ":material/list:",
        reads=("activities_count", "activities"),
        downloads=("activities",),
    ),
    Page(
        "networks",
        "page.networks",
        ":material/hub:",
        reads=(
            "network_totals",
            "network_membership_years",
            "network_summary",
            "network_hierarchy",
            "network_value",
            "network_costs",
            "network_map",
        ),
        downloads=(
            "network_totals",
            "network_years",
            "nw_summary",
            "network_tree",
            "network_value",
            "network_costs",
            "network_map",
            "network_unplaced",
        ),
        charts=True,
    ),
    Page(
        "projects",
        "page.projects",
        ":material/euro:",
        reads=("project_portfolio", "project_totals", "project_funding", "project_targets"),
        downloads=(
            "portfolio",
            "project_totals",
            "project_timeline",
            "project_undated",
            "project_funding",
            "project_targets",
        ),
        charts=True,
    ),
    Page(
        "evaluation",
        "page.evaluation",
        ":material/fact_check:",
        reads=(
            "evaluation_last_year",
            "evaluation_rollup",
            "evaluation_indicators",
            "evaluation_assessments",
            "indicator_status",
        ),
        downloads=(
            "eval-rollup",
            "eval-indicators",
            "eval-status",
            "eval-trend",
            "eval-xlsx",
            "eval-zip",
            "eval-assessments",
            "board-pdf",
            "board-docx",
        ),
        charts=True,
    ),
    Page(
        "data",
        "page.data",
        ":material/database:",
        reads=(
            "data_tables",
            "data_activities_without_goal",
            "data_goals_without_activity",
            "data_indicators_without_target",
            "data_projects_without_budget",
            "data_duplicate_activities",
            "activities_count",
        ),
        downloads=(
            "data-tables",
            "data-quality",
            "template-xlsx",
            "template-zip",
            "coordinator-template",
            "coordinator-export",
        ),
    ),
    Page(
        "round",
        "page.round",
        ":material/assignment_turned_in:",
        reads=("rounds", "round_parts", "round_missing", "round_goals", "round_events"),
        downloads=("round-rounds", "round-follow", "round-events"),
        charts=True,
        signed_in=True,
    ),
    Page("history", "page.history", ":material/history:", downloads=("history",)),
    Page("accessibility", "page.accessibility", ":material/accessibility:"),
)
PAGE_BY_NAME = {p.name: p for p in PAGES}
