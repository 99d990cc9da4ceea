"""History: every change to the dataset (who, when, which organisations, which rows), and
what one change did, row by row, before and after. Read from the dataset's history
(`dashboard.history`), which only the import, the restore and editing append to."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import streamlit as st

from dashboard import codes, data, history, ui
from dashboard.contract import TABLE_BY_NAME, TABLES
from dashboard.dataset import data_dir, read_table
from dashboard.i18n import fmt_int
from dashboard.ui import View

ACTIONS = ("import", "save", "restore", "baseline")
KINDS = ("added", "removed", "changed")


def changes_frame(view: View, entries: list[history.Entry]) -> pd.DataFrame:
    """One row per change, newest first, in the reader's words."""
    rows = []
    for e in reversed(entries):
        tables = "; ".join(
            codes.table_label(name, view.lang)
            + " "
            + ", ".join(
                view.t(f"history.kind.{k}", n=fmt_int(n, view.lang))
                for k, n in (v.get("counts") or {}).items()  # type: ignore[union-attr]
                if n
            )
            for name, v in e.tables.items()
        )
        rows.append(
            {
                "version": e.version,
                "time": e.time.replace("T", " ").replace("+00:00", " UTC"),
                "who": view.t("history.who.unknown") if e.action == "baseline" else e.who,
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


# Where an id column's rows are named: the table and its name column (goals by number).
NAMED_BY = {
    "activity_id": ("activities", "title"),
    "goal_id": ("goals", "code"),
    "parent_goal_id": ("goals", "code"),
    "project_id": ("projects", "title"),
    "network_id": ("networks", "name"),
    "parent_network_id": ("networks", "name"),
    "strategy_id": ("strategies", "title"),
    "indicator_id": ("indicators", "name"),
}


def _rows(version: int, table: str, keys: list[str], orgs: tuple[str, ...] = ()) -> pd.DataFrame:
    """The rows of *table* with *keys* as version *version* holds them, every id replaced
    by the name it stands for in that version (a manager reads names). Of a table kept
    per organisation only the files of *orgs* (the change's) are read."""
    return _version_rows(str(data_dir()), version, table, tuple(keys), tuple(orgs))


def _matching(found: pa.Table, key: tuple[str, ...], keys: tuple[str, ...]) -> pd.DataFrame:
    """The rows of *found* whose key columns, joined with "/", are one of *keys*. Narrowed
    in Arrow first, on the key's first column (a change lists at most a few hundred keys;
    the table may hold millions of rows), then matched exactly. An id may itself hold a
    "/", so every prefix of a key up to a "/" is a candidate for the first column."""
    first = key[0]
    heads = set(keys)
    if len(key) > 1:
        heads = {k[:i] for k in keys for i, ch in enumerate(k) if ch == "/"}
    found = found.filter(pc.is_in(found[first].cast(pa.string()), pa.array(sorted(heads))))
    df = found.to_pandas()
    joined = df[list(key)].astype(str).agg("/".join, axis=1) if len(df) else df[first]
    return df[joined.isin(set(keys))].copy()


@st.cache_data(show_spinner=False, max_entries=256)
def _version_rows(
    live: str, version: int, table: str, keys: tuple[str, ...], orgs: tuple[str, ...]
) -> pd.DataFrame:
    """`_rows`, kept: a version never changes once published, so its rows are read once."""
    from pathlib import Path

    folder = history.version_dir(Path(live), version)
    spec = next(t for t in TABLES if t.name == table)
    found = read_table(folder, spec, orgs=list(orgs) if orgs and spec.partitioned else None)
    if found is None or not keys:
        return pd.DataFrame()
    df = _matching(found, spec.key, keys)
    for col, (other, name) in NAMED_BY.items():
        if col not in df:
            continue
        (idcol,) = TABLE_BY_NAME[other].key  # every named table has a one-column key
        # only the id and its name are read, not the whole referred table
        ref_table = read_table(folder, TABLE_BY_NAME[other], columns=[idcol, name])
        if ref_table is not None:
            wanted = pa.array(sorted({str(v) for v in df[col].dropna()}), pa.string())
            ref = ref_table.filter(pc.is_in(ref_table[idcol].cast(pa.string()), wanted))
            ref = ref.to_pandas()
            names = dict(zip(ref[idcol], ref[name], strict=True))
            df[col] = [names.get(v, v) for v in df[col]]
    return df


def _what_it_did(view: View, entry: history.Entry, previous: int | None) -> None:
    st.header(view.t("history.change", version=entry.version))
    if not entry.tables:
        st.caption(view.t("history.nothing"))
        return
    for name, v in entry.tables.items():
        st.markdown(f"**{codes.table_label(name, view.lang)}**")
        for kind in KINDS:
            keys = list(v.get(kind) or [])  # type: ignore[call-overload]
            total = int((v.get("counts") or {}).get(kind, len(keys)))  # type: ignore[union-attr]
            if not total:
                continue
            st.caption(view.t(f"history.kind.{kind}", n=fmt_int(total, view.lang)))
            if len(keys) < total:
                st.caption(view.t("history.first_keys", n=fmt_int(len(keys), view.lang)))
            at = (previous, name, keys, entry.orgs)
            before = _rows(*at) if previous and kind != "added" else None
            after = _rows(entry.version, name, keys, entry.orgs) if kind != "removed" else None
            coded = {c: d for (t, c), d in codes.COLUMN_DOMAIN.items() if t == name}
            if before is not None:
                st.markdown(view.t("history.before"))
                ui.show_table(view, before, f"h-{entry.version}-{name}-{kind}-b", coded=coded)
            if after is not None:
                st.markdown(view.t("history.after"))
                ui.show_table(view, after, f"h-{entry.version}-{name}-{kind}-a", coded=coded)


def render(view: View) -> None:
    """Draw the History page."""
    st.title(view.t("history.title"))
    st.caption(view.t("history.intro"))
    entries = history.entries(data_dir())
    if not entries:
        st.info(view.t("history.none"))
        return
    chosen = set(view.filters.orgs)
    if chosen:
        entries = [e for e in entries if chosen & set(e.orgs) or not e.orgs]
    if not entries:  # nothing for this selection: no period to choose from either
        st.info(view.t("history.none_selected"))
        return
    people = sorted({e.who for e in entries})
    tables = sorted({t for e in entries for t in e.tables})
    c1, c2, c3 = st.columns(3)
    who = c1.selectbox(
        view.t("history.who"), ["", *people], format_func=lambda p: p or view.t("history.all")
    )
    table = c2.selectbox(
        view.t("history.table"),
        ["", *tables],
        format_func=lambda n: codes.table_label(n, view.lang) if n else view.t("history.all"),
    )
    days = sorted({e.time[:10] for e in entries})
    period = c3.select_slider(view.t("history.period"), days, value=(days[0], days[-1]))
    shown = [
        e
        for e in entries
        if (not who or e.who == who)
        and (not table or table in e.tables)
        and period[0] <= e.time[:10] <= period[1]
    ]
    st.header(view.t("history.changes"))
    ui.table_with_download(view, changes_frame(view, shown), "history", "history")
    if not shown:
        return
    versions = [e.version for e in reversed(shown)]
    pick = st.selectbox(view.t("history.pick"), versions, key="history_pick")
    entry = next(e for e in shown if e.version == pick)
    kept = [e.version for e in history.entries(data_dir()) if e.version < pick]
    _what_it_did(view, entry, kept[-1] if kept else None)
    if history.version_dir(data_dir(), entry.version).is_dir():
        st.button(
            view.t("history.show", version=entry.version),
            on_click=data.show_version,
            args=(entry.version,),
            key="history_show",
            icon=":material/visibility:",
        )
    _restore(view, entry.version)


def restorable_by(view: View, version: int) -> bool:
    """Whether the signed-in person may restore *version*: a coordinator (or admin) of every
    organisation whose rows would change. Without sign-in nobody may (read-only)."""
    if view.person is None or not history.version_dir(data_dir(), version).is_dir():
        return False
    folder = history.version_dir(data_dir(), version)
    changes = history.diff(data_dir(), folder)
    orgs = set(history.orgs_touched(changes))
    return bool(changes) and all(view.person.may("restore", o) for o in orgs or {"*"})


def _restore(view: View, version: int) -> None:
    if not restorable_by(view, version):
        st.caption(view.t("history.restore_note"))
        return
    comment = st.text_input(view.t("history.restore.comment"), key="restore-comment")
    if st.button(view.t("history.restore", version=version), key="restore", type="primary"):
        from dashboard.publish import Change, restore

        if not restorable_by(view, version):  # checked again at the moment of the write
            st.error(view.t("history.restore_note"))
            return
        person = view.person
        assert person is not None
        new = restore(data_dir(), version, Change(person.email or person.label, "restore", comment))
        data.clear()
        st.success(view.t("history.restored", version=version, new=new))


if __name__ == "__main__":  # run as a page by st.navigation
    from dashboard.shell import run_page

    run_page(render)
