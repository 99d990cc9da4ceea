"""Shared page parts: tables with downloads, charts with their data, notes and guards.

These are the only Streamlit building blocks pages use, so every table gets a CSV
download, every chart its table one click away, and illustrative rows their mark.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from dashboard.i18n import fmt_int, fmt_money, t
from dashboard.model import safe
from dashboard.model.tables import illustrative_count
from dashboard.model.view import View
from dashboard.settings import SettingError

log = logging.getLogger("malbild")


T = TypeVar("T")


def illustrative_note(view: View, df: pd.DataFrame) -> None:
    """Say how many of the rows shown are illustrative, when any are."""
    n = illustrative_count(df)
    if n:
        st.caption(
            view.t("illustrative.share", n=fmt_int(n, view.lang), total=fmt_int(len(df), view.lang))
        )


def money_line(amounts: pd.DataFrame, value_col: str, lang: str) -> str:
    """Amounts per currency on one line (403 770 € · 16 000 000 kr), never summed across."""
    parts = [fmt_money(r[value_col], r["currency"], lang) for _, r in amounts.iterrows()]
    return " · ".join(parts) if parts else "–"


def guarded(
    render: Callable[[View], None], view: View, reraise: tuple[type[Exception], ...] = ()
) -> Callable[[], None]:
    """Wrap a page so an error shows a short message in the view's language, not a traceback
    (errors of the kinds in *reraise* are left to the caller, which has its own message)."""

    def page() -> None:
        try:
            render(view)
        except reraise:
            raise
        except SettingError as exc:  # read when first needed (an upload's limits)
            setting_error(exc, view.lang)
        except Exception:  # the page-level catch: details go to the server log
            log.exception("page %s failed for %s", render.__module__, view.filters)
            st.error(view.t("error.page"), icon=":material/error:")

    page.__name__ = render.__module__.rsplit(".", 1)[-1]
    return page


def setting_error(exc: SettingError, lang: str) -> None:
    """A server setting that is wrong, said to the reader by its name (not its value) as
    the server's fault; the log has the whole message for whoever runs the service."""
    log.error("server setting refused: %s", exc)
    st.error(t("error.setting", lang, name=safe.md(exc.name)), icon=":material/settings:")


def pick(place: Any, label: str, options: Sequence[str], names: Mapping[str, str], key: str) -> str:
    """One of *options*, shown by its name (an organisation by name, never its id): a
    select box with no empty choice, so there is always one picked."""
    return str(
        place.selectbox(label, list(options), format_func=lambda o: names.get(o, o), key=key)
    )
