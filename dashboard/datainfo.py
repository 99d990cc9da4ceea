"""The Data page's file handling: the dataset's tables with their files' dates, the
data-quality table. (Uploads are `dashboard.uploads`.)"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from dashboard.contract import SUMMARIES, TABLES
from dashboard.dataset import table_files
from dashboard.i18n import t

TABLE_BY_NAME = {tb.name: tb for tb in (*TABLES, *SUMMARIES)}

QUALITY_CHECKS = (
    "activities_without_goal",
    "goals_without_activity",
    "projects_without_budget",
    "indicators_without_target",
    "duplicate_activities",
)


def dataset_overview(tables: pd.DataFrame, folder: Path) -> pd.DataFrame:
    """The `data_tables` result with each Parquet file's modification time (UTC, minutes)."""
    out = tables.copy()
    stamps = []
    for name in out["table_name"]:
        try:
            files = table_files(folder, TABLE_BY_NAME[name])
            mtime = max(f.stat().st_mtime for f in files)
            stamps.append(timestamp_label(datetime.fromtimestamp(mtime, UTC).isoformat()))
        except (OSError, KeyError, ValueError):  # absent: no time to show
            stamps.append("")
    out["modified"] = stamps
    return out


def timestamp_label(iso: str) -> str:
    """An ISO time from the manifest as '2026-11-23 18:00 UTC' (as given if unreadable)."""
    try:
        when = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%d %H:%M") + (" UTC" if when.tzinfo is not None else "")


def quality_table(results: Mapping[str, pd.DataFrame], lang: str) -> pd.DataFrame:
    """One row per data-quality check: what it checks, how many and example ids."""
    rows = []
    for name in QUALITY_CHECKS:
        r = results[name].iloc[0]
        examples = r["examples"]
        rows.append(
            {
                "check": t(f"data.check.{name}", lang),
                "items": int(r["items"]),
                "examples": examples if isinstance(examples, str) else "",
            }
        )
    return pd.DataFrame(rows, columns=["check", "items", "examples"])
