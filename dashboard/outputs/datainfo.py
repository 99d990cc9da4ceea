"""The Data page's texts about the dataset: where it came from, the data-quality table.
(Uploads are `dashboard.imports.uploads`; times are written by `i18n.fmt_time`.)"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard.i18n import t

QUALITY_CHECKS = (
    "activities_without_goal",
    "goals_without_activity",
    "projects_without_budget",
    "indicators_without_target",
    "duplicate_activities",
)


def source_label(source: object, lang: str) -> str:
    """Where the dataset was imported from, as the Data page says it: the file's name, or
    for the sample the project ships (the folder `sample/`) its name in the language."""
    text = str(source or "").strip()
    if text.rstrip("/").split("/")[-1] == "sample":
        return t("data.source.sample", lang)
    return text or "?"


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
