"""Tables as people read them, on screen and in every file: names, words and headers.

One home for what a download holds, so the page's table, its CSV, the command line's
`query --readable` and the annual workbook all show the same words.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard.model import codes
from dashboard.model.view import View
from dashboard.outputs.export import file_slug


def readable(view: View, df: pd.DataFrame, coded: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The rows as a manager reads them: organisations by name, stored codes in the view's
    language (`codes.label`), the same on screen and in every download. Numbers and dates
    stay values; formatting them is the table's and the CSV writer's job."""

    return codes.readable(df, view.lang, view.orgs, coded)


def headers(view: View, columns: list[str], labels: Mapping[str, str] | None = None) -> list[str]:
    """Column headers as shown: the catalogue's `col.NAME`, kept apart when two translate alike."""
    names: list[str] = []
    for c in columns:
        name = (labels or {}).get(c) or view.t(f"col.{c}")
        name = c if name.startswith("col.") else name
        while name in names:  # two source columns with one translation stay apart
            name += " "
        names.append(name)
    return names


def for_download(
    view: View,
    df: pd.DataFrame,
    coded: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The table as its CSV holds it: the headers and the values shown on screen, dates
    without a time of day, numbers as numbers."""

    out = codes.for_file(df, view.lang, view.orgs, coded)
    out.columns = [h.rstrip() for h in headers(view, list(out.columns), labels)]
    return out


def file_name(view: View, what: str, slug: str | None = None) -> str:
    """Download file name in the view's language: what and for which selection
    (aktiviteter_gotland_2009.csv); *slug* names another selection than the filters' (the
    year an evaluation holds)."""
    return f"{view.t('file.' + what)}_{slug or file_slug(view.filters, view.lang, view.reader)}.csv"
