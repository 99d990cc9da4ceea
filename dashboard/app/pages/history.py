"""History: every change to the dataset (who, when, which organisations, which rows), and
what one change did, row by row, before and after. Read from the dataset's history
(`dashboard.storage.history`), which only the import, the restore and editing append to."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import i18n
from dashboard.app import data, grids
from dashboard.i18n import fmt_int
from dashboard.model import access, codes, safe
from dashboard.model.view import View

ACTIONS = ("import", "save", "restore", "undo", "upgrade", "baseline")
KINDS = ("added", "removed", "changed")


def changes_frame(view: View, entries: list[data.Entry]) -> pd.DataFrame:
    """One row per change, newest first, in the reader's words."""
    rows = []
    for e in reversed(entries):
        tables = "; ".join(
            codes.table_label(name, view.lang)
            + " "
            + ", ".join(
                view.tn(f"history.kind.{k}", n) for k, n in (v.get("counts") or {}).items() if n
            )
            for name, v in e.tables.items()
        )
        rows.append(
            {
                "version": e.version,
                "time": i18n.fmt_time(e.time, view.lang),  # the organisation's zone
                "who": (
                    view.t("history.who.unknown")
                    if e.action == "baseline"
                    else access.author_name(e.who)
                ),
                "action": view.t(f"history.action.{e.action}"),
                "organisations": ", ".join(view.orgs.get(o, o) for o in e.orgs),
                "tables_changed": tables or view.t("history.nothing"),
                "comment": e.comment,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["version", "time", "who", "action", "organisations", "tables_changed", "comment"],
    )


def _rows(
    version: int, table: str, keys: list[str], orgs: tuple[str, ...], only: tuple[str, ...]
) -> pd.DataFrame:
    """The rows of *table* with *keys* as version *version* holds them, names for ids, of
    the organisations this reader may read, and of those chosen (*only*) when the change
    concerned others too (`data.version_rows`)."""
    return data.version_rows(version, table, tuple(keys), tuple(orgs), only)


def _what_it_did(view: View, entry: data.Entry, previous: int | None) -> None:
    st.header(view.md("history.change", version=entry.version))
    if not entry.tables:
        st.caption(view.t("history.nothing"))
        return
    # a change of several organisations (an administrator's import) read by someone who
    # chose one of them: that one's rows, as every other page shows the organisations chosen
    only = tuple(o for o in entry.orgs if o in view.filters.orgs)
    if only and len(only) < len(entry.orgs):
        names = ", ".join(view.orgs.get(o, o) for o in only)
        st.caption(view.md("history.rows_of_chosen", orgs=names))
    else:
        only = ()
    for name, v in entry.tables.items():
        st.markdown(f"**{codes.table_label(name, view.lang)}**")
        for kind in KINDS:
            keys = list(v.get(kind) or [])
            total = int((v.get("counts") or {}).get(kind, len(keys)))
            if not total:
                continue
            st.caption(view.tn(f"history.kind.{kind}", total))
            if len(keys) < total:
                st.caption(view.t("history.first_keys", n=fmt_int(len(keys), view.lang)))
            before = (
                _rows(previous, name, keys, entry.orgs, only)
                if previous and kind != "added"
                else None
            )
            after = (
                _rows(entry.version, name, keys, entry.orgs, only) if kind != "removed" else None
            )
            coded = {c: d for (t, c), d in codes.COLUMN_DOMAIN.items() if t == name}
            labels = data.version_labels(view.lang)  # ids shown by name, headed by what they name
            for shown, when, end in (
                (before, "history.before", "b"),
                (after, "history.after", "a"),
            ):
                if shown is not None:
                    st.markdown(view.t(when))
                    grids.show_table(
                        view, shown, f"h-{entry.version}-{name}-{kind}-{end}", labels=labels,
                        coded=coded,
                    )  # fmt: skip


def render(view: View) -> None:
    """Draw the History page."""
    st.title(view.t("history.title"))
    st.caption(view.t("history.intro"))
    entries = data.changes()  # only what this reader may read, of each change their part
    if not entries:
        st.info(view.t("history.none"))
        return
    chosen = set(view.filters.orgs)
    if chosen:
        entries = [e for e in entries if chosen & set(e.orgs) or not e.orgs]
    if not entries:  # nothing for this selection: no period to choose from either
        st.info(view.t("history.none_selected"))
        return
    # one choice a person, named as they were last recorded (names, not addresses)
    names = {access.author_key(e.who): access.author_name(e.who) for e in entries}
    people = sorted(names, key=lambda k: names[k].casefold())
    tables = sorted({t for e in entries for t in e.tables})
    c1, c2, c3 = st.columns(3)
    who = c1.selectbox(
        view.t("history.who"),
        ["", *people],
        format_func=lambda p: names[p] if p else view.t("history.all"),
    )
    table = c2.selectbox(
        view.t("history.table"),
        ["", *tables],
        format_func=lambda n: codes.table_label(n, view.lang) if n else view.t("history.all"),
    )
    days = sorted({i18n.local_day(e.time) for e in entries})  # in the organisation's zone
    if len(days) == 1:  # one day: nothing to choose (a slider drew one date twice, no range)
        period = (days[0], days[0])
        c3.text_input(
            view.t("history.period"),
            i18n.fmt_date(date.fromisoformat(days[0]), view.lang),
            disabled=True,
            key="history_one_day",
        )
    else:
        period = c3.select_slider(
            view.t("history.period"),
            days,
            value=(days[0], days[-1]),
            format_func=lambda d: i18n.fmt_date(date.fromisoformat(d), view.lang),
        )
    shown = [
        e
        for e in entries
        if (not who or access.author_key(e.who) == who)
        and (not table or table in e.tables)
        and period[0] <= i18n.local_day(e.time) <= period[1]
    ]
    st.header(view.t("history.changes"))
    grids.table_with_download(view, changes_frame(view, shown), "history", "history")
    if not shown:
        return
    versions = [e.version for e in reversed(shown)]
    pick = st.selectbox(view.t("history.pick"), versions, key="history_pick")
    entry = next(e for e in shown if e.version == pick)
    _what_it_did(view, entry, data.previous_version(pick))
    if data.version_kept(entry.version):
        st.button(
            view.md("history.show", version=entry.version),
            on_click=data.show_version,
            args=(entry.version,),
            key="history_show",
            icon=":material/visibility:",
        )
    _undo(view, entry.version)
    _restore(view, entry.version)


def _undo(view: View, version: int) -> None:
    """Undo the picked change: offered to whoever may (checked again under the lock)."""
    from dashboard.app import changes, grids
    from dashboard.model.problems import ImportFailed

    person = view.person
    if person is None or data.as_of() is not None or not data.may_undo(person, version):
        st.caption(view.t("history.undo_note"))
        return
    st.caption(view.t("history.undo.help"))
    comment = st.text_input(view.t("history.restore.comment"), key="undo-comment")
    if not st.button(view.md("history.undo", version=version), key="undo", type="primary"):
        return
    try:
        new = changes.undo_change(version, person, comment)
    except changes.NotAllowed:
        st.error(view.t("history.undo.not_allowed"))
        return
    except LookupError:
        st.error(view.t("history.undo.not_kept"))
        return
    except changes.UndoConflict as exc:
        st.error(view.t("history.undo.conflict", n=fmt_int(len(exc.rows), view.lang)))
        for name, frame in data.conflict_frames(exc.rows, view.t("history.undo.deleted")):
            st.markdown(f"**{codes.table_label(name, view.lang)}**")
            grids.show_table(view, frame, f"undo-conflict-{name}")
        return
    except ImportFailed as exc:
        st.error(view.tn("history.undo.failed", len(exc.problems)))
        grids.show_table(view, changes.UploadCheck(exc.problems).frame(view.lang), "undo-problems")
        return
    _done(view.md("history.undone", version=version, new=new))


def _restore(view: View, version: int) -> None:
    """Restore a whole version: an administrator's, refused if the dataset changed since
    the page was drawn (the version it showed travels with the button)."""
    from dashboard.app import changes

    person = view.person
    if (
        person is None
        or data.as_of() is not None
        or not person.may("restore", "*")
        or not data.version_kept(version)
    ):
        st.caption(view.t("history.restore_note"))
        return
    seen = st.session_state.setdefault("restore-seen", data.live_version())
    comment = st.text_input(view.t("history.restore.comment"), key="restore-comment")
    if not st.button(view.md("history.restore", version=version), key="restore"):
        st.session_state["restore-seen"] = data.live_version()
        return
    try:
        new = changes.restore_version(version, person, seen, comment)
    except changes.NotAllowed:
        st.error(view.t("history.restore_note"))
        return
    except changes.Stale:
        st.error(view.md("history.restore.stale", now=data.live_version()))
        st.session_state["restore-seen"] = data.live_version()
        return
    _done(view.md("history.restored", version=version, new=new))


def _done(message: safe.Markdown) -> None:
    """After an undo or a restore: the page drawn again at once, so the new version is in
    the list, with the message above it (as after a save)."""
    from dashboard.app import editform

    data.clear()
    editform.say_next(message)
    st.rerun()


if __name__ == "__main__":  # run as a page by st.navigation
    from dashboard.app.shell import run_page

    run_page(render)
