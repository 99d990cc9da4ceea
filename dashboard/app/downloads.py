"""Downloads: every file a page offers, as a button whose bytes are built only when clicked.

The offered files of a run are remembered (`offered`), so the tests can open every one the
page offers, and every CSV goes through the one writer (`outputs.export`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.model.view import View
from dashboard.outputs.export import frame_to_csv
from dashboard.outputs.readable import file_name

K_OFFERED = "_offered"  # the downloads this run offered: key -> (file name, its bytes)


def offer(
    place: Any,
    label: str,
    build: Callable[[], bytes | str],
    file_name: str,
    mime: str,
    key: str,
    icon: str = ":material/download:",
    help: str | None = None,
    primary: bool = False,
) -> None:
    """Offer a file, built only when clicked: the one way the app offers a download. Each
    is registered for the run (key, file name, what builds it), so the tests that keep
    every file readable and within the reader's scope find every download the app offers,
    not a list kept by hand."""
    st.session_state.setdefault(K_OFFERED, {})[key] = (file_name, build)
    place.download_button(
        label,
        data=build,
        file_name=file_name,
        mime=mime,
        key=key,
        help=help,
        on_click="ignore",
        icon=icon,
        type="primary" if primary else "secondary",
    )


def offered() -> dict[str, tuple[str, Callable[[], bytes | str]]]:
    """The downloads offered so far in this session's runs, by key."""
    return dict(st.session_state.get(K_OFFERED, {}))


def download(
    view: View, what: str, frame: Callable[[], pd.DataFrame], key: str, slug: str | None = None
) -> None:
    """A CSV download whose file is built only when clicked, without rerunning the page.

    *frame* is bound when called (`functools.partial(ui.for_download, view, df)`), never a
    lambda over a page's variable: a page that later reused the name made the Evaluation's
    roll-up download the indicator list (a test keeps lambdas out of the pages' downloads)."""
    lang = view.lang

    def build() -> bytes:
        return frame_to_csv(frame(), lang)

    offer(
        st,
        view.t("download"),
        build,
        file_name(view, what, slug),
        "text/csv",
        f"dl-{key}",
        help=view.t("download.help"),
    )
