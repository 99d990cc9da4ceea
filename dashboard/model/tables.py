"""Pure table shapers: query results reshaped for display (no Streamlit, no DuckDB)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

MARK = "●"
ILLUSTRATIVE = "illustrative"


def goal_label(code: object, org: str | None = None) -> str:
    """A goal as an axis or a column names it: its number, after the organisation's name
    when several organisations are shown ("Gotlands kommun · 3")."""
    return f"{org} · {code}" if org else str(code)


def goal_ref(code: object, title: object, org: str | None = None, width: int = 60) -> str:
    """A goal as a sentence names it: number and wording ("3. kontakter och förståelse …"),
    so a list of goals never reads as a count."""
    text = str(title) if isinstance(title, str) else ""
    short = text if len(text) <= width else text[: width - 1].rstrip() + "…"
    return f"{goal_label(code, org)}. {short}" if short else goal_label(code, org)


def goal_columns(
    links: pd.DataFrame, goals: pd.DataFrame, names: Mapping[str, str] | None = None
) -> list[str]:
    """Matrix column names in goal order: the code, after the organisation's name when
    several organisations are shown."""
    many = goals["org_id"].nunique() > 1
    names = names or {}
    return [
        goal_label(r.code, names.get(r.org_id, r.org_id) if many else None)
        for r in goals.itertuples()
    ]


def goal_matrix(
    links: pd.DataFrame, goals: pd.DataFrame, names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One row per activity, one column per goal, MARK where the activity serves the goal.

    *links* is the `activity_goals` query result (long form), *goals* the `goal_options`
    of the selection (every goal, so goals nothing serves still get a column).
    """
    cols = goal_columns(links, goals, names)
    col_of = dict(zip(goals["goal_id"], cols, strict=True))
    acts = links.drop_duplicates("activity_id")[["org_id", "year", "activity_id", "activity_title"]]
    # one crosstab instead of a cell assignment per link (70 ms for a few hundred links)
    served = links.dropna(subset=["goal_id"]).assign(col=lambda d: d["goal_id"].map(col_of))
    served = served.dropna(subset=["col"]).drop_duplicates(["activity_id", "col"])
    marks = pd.crosstab(served["activity_id"], served["col"]).astype(bool)
    marks = marks.reindex(index=acts["activity_id"].tolist(), columns=cols, fill_value=False)
    matrix = marks.replace({True: MARK, False: ""}).astype(object)
    matrix.columns = list(cols)
    out = acts.set_index("activity_id").join(matrix)
    return out.reset_index()


def matrix_counts(matrix: pd.DataFrame) -> pd.DataFrame:
    """The matrix for a spreadsheet: 1 where the activity serves the goal, 0 where not, so
    a column sums to the activities serving that goal; activities by title and year, as on
    screen (no id)."""
    out = matrix.drop(columns=["activity_id"])
    for c in out.columns:
        if c not in ("org_id", "year", "activity_id", "activity_title"):
            out[c] = (out[c] == MARK).astype(int)
    return out


def unserved_goals(
    matrix: pd.DataFrame, goals: pd.DataFrame, names: Mapping[str, str] | None = None
) -> list[str]:
    """The goals no activity of the matrix serves (its gaps), each as number and wording."""
    cols = goal_columns(matrix, goals, names)
    many = goals["org_id"].nunique() > 1
    return [
        goal_ref(r.code, r.title, (names or {}).get(r.org_id, r.org_id) if many else None)
        for c, r in zip(cols, goals.itertuples(), strict=True)
        if c in matrix and not (matrix[c] == MARK).any()
    ]


def illustrative_count(df: pd.DataFrame) -> int:
    """Rows whose source is 'illustrative'."""
    return int((df["source"] == ILLUSTRATIVE).sum()) if "source" in df else 0


def stacked(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames of one query (an evaluation's years, one frame a year) one after the other;
    empty ones are left out unless all are (pandas warns on concatenating empty parts)."""
    kept = [df for df in frames if len(df)] or frames[:1]
    return kept[0] if len(kept) == 1 else pd.concat(kept, ignore_index=True)
