"""Pure table shapers: query results reshaped for display (no Streamlit, no DuckDB)."""

from __future__ import annotations

import pandas as pd

MARK = "●"
ILLUSTRATIVE = "illustrative"


def goal_columns(links: pd.DataFrame, goals: pd.DataFrame) -> list[str]:
    """Matrix column names in goal order: the code, prefixed by the organisation when several."""
    many = goals["org_id"].nunique() > 1
    return [f"{r.org_id} · {r.code}" if many else str(r.code) for r in goals.itertuples()]


def goal_matrix(links: pd.DataFrame, goals: pd.DataFrame) -> pd.DataFrame:
    """One row per activity, one column per goal, MARK where the activity serves the goal.

    *links* is the `activity_goals` query result (long form), *goals* the `goal_options`
    of the selection (every goal, so goals nothing serves still get a column).
    """
    cols = goal_columns(links, goals)
    col_of = dict(zip(goals["goal_id"], cols, strict=True))
    acts = links.drop_duplicates("activity_id")[["org_id", "year", "activity_id", "activity_title"]]
    matrix = pd.DataFrame("", index=acts["activity_id"].tolist(), columns=cols)
    for row in links.dropna(subset=["goal_id"]).itertuples():
        col = col_of.get(row.goal_id)
        if col is not None:
            matrix.loc[row.activity_id, col] = MARK
    out = acts.set_index("activity_id").join(matrix)
    return out.reset_index()


def matrix_counts(matrix: pd.DataFrame) -> pd.DataFrame:
    """The matrix for a spreadsheet: 1 where the activity serves the goal, 0 where not, so
    a column sums to the activities serving that goal."""
    out = matrix.copy()
    for c in out.columns:
        if c not in ("org_id", "year", "activity_id", "activity_title"):
            out[c] = (out[c] == MARK).astype(int)
    return out


def unserved_goals(matrix: pd.DataFrame, goals: pd.DataFrame) -> list[str]:
    """Matrix columns (goals) with no mark: the gaps of the selection."""
    cols = goal_columns(matrix, goals)
    return [c for c in cols if c in matrix and not (matrix[c] == MARK).any()]


def illustrative_count(df: pd.DataFrame) -> int:
    """Rows whose source is 'illustrative'."""
    return int((df["source"] == ILLUSTRATIVE).sum()) if "source" in df else 0
