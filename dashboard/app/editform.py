"""One form for a row of an editable part (projects, memberships, strategies, goals,
networks): the coordinator sheet's columns as inputs in the interface language, saved
through `editing.save`, so the import's checks, the permission, the conflict guard and the
history apply as everywhere else."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import NamedTuple

import pandas as pd
import streamlit as st

from dashboard.app import data, grids, numbers, ui
from dashboard.imports import editing
from dashboard.model import codes, sheets
from dashboard.model.filters import Filters
from dashboard.model.safe import Markdown
from dashboard.model.view import View

NEW = "__new__"
FLASH = "edit_flash"  # the message of a save, shown after the rerun that redraws the page
# typed as the interface language writes numbers (`numbers.number_field`)
NUMBERS = ("total_budget", "eu_funding", "own_funding", "annual_fee", "lat", "lon")
YEARS = ("since_year", "until_year")


def save_and_report(
    view: View, save: Callable[[], object], state_key: str, table_key: str, part: str
) -> bool:
    """Run one edit's *save* and tell the user how it went, in the interface language: a
    refusal (permission), a conflict with the other person's rows, or the import's problems
    at their row and column; on success the caches are cleared and the page is drawn again
    at once (`st.rerun`), with the message above it (`flash`). The editor's remembered
    rows (*state_key*) are forgotten after a conflict or a save, so the next edit starts
    from the rows as they are. Returns False when it did not save (on success it does not
    return: the rerun replaces this run). Every edit form calls this."""
    from dashboard.imports.uploads import UploadCheck
    from dashboard.model.problems import ImportFailed

    try:
        with st.spinner(view.t("edit.saving")):
            save()
    except editing.NotAllowed:
        st.error(view.t("edit.not_allowed"))
        return False
    except editing.LastRowOfYear:
        st.error(view.t("edit.last_row"))
        return False
    except editing.Busy:  # the form keeps what was typed
        st.warning(view.t("edit.busy"))
        return False
    except editing.Conflict as exc:
        st.warning(view.t("edit.conflict"))
        theirs = exc.changed + exc.added + exc.removed
        cols = [c for c in editing.PARTS[part].columns if c != sheets.ID]
        rows = pd.DataFrame([{c: r.get(c) for c in cols} for r in theirs])
        grids.show_table(view, rows, f"{table_key}-conflict")
        st.session_state.pop(state_key, None)
        return False
    except editing.FormRefused as exc:  # at the form's rows and fields, not a file's
        st.error(view.tn("edit.refused", len(exc.problems)))
        found = pd.DataFrame(
            [(exc.row_of(p.row), p.column, p.text(view.lang)) for p in exc.problems],
            columns=["row_name", "field", "message"],
        )
        grids.show_table(view, found, f"{table_key}-problems")
        return False
    except ImportFailed as exc:
        st.error(view.tn("edit.refused", len(exc.problems)))
        found = UploadCheck(exc.problems, exc.warnings).frame(view.lang)
        grids.show_table(view, found, f"{table_key}-problems")
        return False
    data.clear()
    st.session_state.pop(state_key, None)
    # every form is drawn anew, empty or with the rows as saved: a second click on Spara
    # of a filled-in new row cannot add it again (its form is gone)
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    # redraw the page at once, so what the save changed is on it; say so above it
    say_next(view.md("edit.saved"))
    st.rerun()
    return True  # pragma: no cover - st.rerun does not return


def pending_warnings(view: View, key: str) -> None:
    """While a save waits for its warnings to be confirmed: the warnings, and the box that
    confirms them ("Spara ändå"). Drawn on every run under the form, so ticking the box
    keeps them; the next click on Spara then saves (`confirmed`)."""
    waiting = st.session_state.get(key)
    if not waiting:
        return
    for text in waiting:
        st.warning(text, icon=":material/warning:")
    st.checkbox(view.t("edit.save_anyway"), key=f"{key}-ok")


def confirmed(key: str, warnings: Sequence[Markdown]) -> bool:
    """Whether a save may go ahead: nothing to warn of, or the person saw exactly these
    warnings and ticked "Spara ändå" (a possible duplicate, an implausible value). Else
    the warnings wait (`pending_warnings`) and the page is drawn again to show them.
    They are Markdown made by `View.md` (a title or an indicator's name from the data in
    them escaped): mypy refuses a text made with `t`, which would draw its markup."""
    ok = bool(st.session_state.get(f"{key}-ok"))
    if not warnings or (ok and tuple(st.session_state.get(key) or ()) == tuple(warnings)):
        st.session_state.pop(key, None)
        return True
    st.session_state[key] = tuple(warnings)
    st.rerun()
    return False  # pragma: no cover - st.rerun does not return


def implausible(value: object, known: list[object], factor: float = 5.0) -> bool:
    """A value far outside what is known of the indicator (its baseline, target and stored
    values): more than *factor* times the largest of them (7,5 typed as 75 against a
    target of 8), or of the other sign. Nothing known: nothing to compare."""
    refs = [abs(float(v)) for v in known if isinstance(v, int | float) and v == v]
    if value is None or not refs or max(refs) == 0:
        return False
    v = float(value)  # type: ignore[arg-type]
    signs = {k > 0 for k in (float(x) for x in known if isinstance(x, int | float)) if k}
    return abs(v) > factor * max(refs) or (v < 0 and signs == {True})


GENERATION = "_form_generation"  # counts this session's saves (see form_key)


_READY: set[str] = set()  # the datasets this process has got ready to save to
_READY_LOCK = threading.Lock()


def get_ready() -> None:
    """Get this process ready to save to the dataset (`editing.ready`) in the background,
    once per dataset: called where a form that writes is drawn (`form_key`), so that the
    person's first save does not wait for the writer's connection and the first reads. A
    failure here is not the person's: their save opens what it needs itself and says what
    went wrong."""
    folder = data.data_dir()
    with _READY_LOCK:
        if str(folder) in _READY:
            return
        _READY.add(str(folder))

    def run() -> None:
        try:
            editing.ready(folder)
        except Exception:  # the save opens what it needs again, and reports
            logging.getLogger(__name__).warning("could not get ready to save", exc_info=True)

    threading.Thread(target=run, name="malbild-ready-to-save", daemon=True).start()


def form_key(name: str) -> str:
    """The key of an edit form: *name* and how many saves this session has made, so that
    after each save every form is a new one (its fields from the saved rows, a new row's
    empty) and a repeated click of the old form saves nothing. Every form or button that
    writes is keyed here, so each one drawn also gets the process ready to save
    (`get_ready`), with nothing for a page to remember."""
    get_ready()
    return f"{name}_{st.session_state.get(GENERATION, 0)}"


def say_next(message: Markdown | Refusal | Busy) -> None:
    """The message the next run shows above the page (`flash`): Markdown made by `View.md`
    (mypy refuses a text made with `t`, whose values from the data would draw their
    markup), or a refusal or busy notice holding such a text."""
    st.session_state[FLASH] = message


def flash() -> None:
    """The message of the save that caused this run, once, above the page. Its container
    is there on every run, so the elements below keep their places and an open form
    stays open after the save."""
    slot = st.container()
    message = st.session_state.pop(FLASH, None)
    if isinstance(message, Refusal):
        slot.error(message.text, icon=":material/block:")
    elif isinstance(message, Busy):
        slot.warning(message.text, icon=":material/sync_problem:")
    elif message:
        slot.success(message, icon=":material/check_circle:")


class Busy(NamedTuple):
    """A step that other writes kept coming before at every attempt (nothing written):
    said above the page drawn again, as a refusal is."""

    text: Markdown


class Refusal(NamedTuple):
    """A step refused because the rows or states moved on under the page: said above the
    page drawn again from what is stored now (not under a page that still shows the
    state the person acted on)."""

    text: Markdown


def _label(part: str, r: dict) -> str:
    if part == "projects":
        return str(r.get("acronym") or r.get("project_title") or "")
    if part == "strategies":
        return str(r.get("strategy_title") or "")
    if part == "goals":
        return f"{r.get('number')}. {str(r.get('wording') or '')[:70]}"
    if part == "networks":
        return str(r.get("name") or "")
    return f"{r.get('network')} ({r.get('since_year')})"


def field_key(form: str, column: str) -> str:
    """The key of a form's field: the form's key (`form_key`) and the column. Unkeyed, a
    field is known by its label, list and default, so a list another person's save changed
    before the button was pressed made it a new field holding the stored value, and the
    person's choice was silently not saved; keyed, it holds what they chose. A new form
    (after a save, another row) has new keys, so its fields start from the stored row."""
    return f"{form}:{column}"


def pick_one(label: str, options: list[str], now: object, key: str | None = None) -> str | None:
    """A drop-down of names (a strategy, a network) with an empty first choice."""
    options = sorted({*options, *([str(now)] if now else [])}, key=str.lower)
    at = options.index(str(now)) + 1 if now and str(now) in options else 0
    return st.selectbox(label, ["", *options], index=at, key=key) or None


def row_form(view: View, part: str, title_key: str) -> None:
    """An expander with a form for one row of *part* of an organisation the signed-in
    person may change (coordinators); nothing when there is none, or while an earlier
    version is shown."""
    person = view.person
    if person is None or data.as_of() is not None:
        return
    orgs = [o for o in view.orgs if person.may(editing.PARTS[part].action, o)]
    if not orgs:
        return
    lang = view.lang
    sheet = sheets.SHEET_BY_KEY[editing.PARTS[part].sheet]
    with st.expander(view.t(title_key), icon=":material/edit:"):
        org = ui.pick(st, view.t("filter.orgs"), orgs, view.orgs, f"ef_org_{part}")
        key = f"ef_base_{part}_{org}"
        if key not in st.session_state:
            st.session_state[key] = editing.load(data.data_dir(), org, 0, lang, part)
        base = st.session_state[key]
        labels = {str(i): _label(part, r) for i, r in enumerate(base)}
        pick = st.selectbox(
            view.t("edit.pick.row"),
            [NEW, *labels],
            format_func=lambda k: view.t("edit.new.row") if k == NEW else labels[k],
            key=f"ef_pick_{part}_{org}",
        )
        row = base[int(pick)] if pick != NEW else {}
        goals = data.query("goal_options", Filters((org,)))
        goal_words = {str(g.code): f"{g.code}. {str(g.title)[:70]}" for g in goals.itertuples()}
        networks = data.query("network_summary", Filters())["network"].dropna().unique().tolist()
        if part == "networks":  # every network, also those no organisation uses yet
            networks = [str(r["name"]) for r in base]
        strategies = []
        if part == "goals":
            found = editing.load(data.data_dir(), org, 0, lang, "strategies")
            strategies = [str(r["strategy_title"]) for r in found]
        skip = ("organisation", "goals_source") + (() if part == "goals" else ("strategy",))
        new: dict[str, object] = dict(row)
        typed: dict[str, numbers.NumberField] = {}
        form = form_key(f"ef_form_{part}_{org}_{pick}")
        with st.form(form):
            for c in sheet.cols:
                if c.key in skip:
                    continue
                label = sheets.header(c.key, lang)
                now = row.get(c.key)
                if c.key == "strategy":
                    new[c.key] = pick_one(label, strategies, now, field_key(form, c.key))
                elif c.key == "part_of":
                    others = [n for n in networks if n != now]
                    new[c.key] = pick_one(label, others, now, field_key(form, c.key))
                elif c.domain:
                    words = codes.choices(c.domain, lang)
                    at = words.index(now) + 1 if now in words else 0
                    new[c.key] = (
                        st.selectbox(label, ["", *words], index=at, key=field_key(form, c.key))
                        or None
                    )
                elif c.key == "goals":
                    had = editing.goal_codes(now)
                    chosen = st.multiselect(
                        label,
                        list(goal_words),
                        default=[g for g in had if g in goal_words],
                        format_func=lambda c: goal_words.get(c, c),
                        select_all=False,  # Streamlit's 'Select all' is English only
                        key=field_key(form, c.key),
                    )
                    new[c.key] = editing.goal_list(chosen)
                elif c.key == "network":
                    new[c.key] = pick_one(label, networks, now, field_key(form, c.key))
                elif c.key in NUMBERS or c.key in YEARS:
                    typed[c.key] = numbers.number_field(
                        st, label, now, lang, key=field_key(form, c.key), whole=c.key in YEARS
                    )
                else:
                    text = st.text_input(
                        label, "" if now is None else str(now), key=field_key(form, c.key)
                    )
                    new[c.key] = text.strip() or None
            comment = st.text_input(view.t("edit.comment"), key=field_key(form, "comment"))
            # a network is shared and never removed (the workbook only adds and updates)
            delete = (
                bool(row)
                and part not in editing.SHARED
                and st.checkbox(view.t("edit.delete.row"), key=field_key(form, "delete"))
            )
            saved = st.form_submit_button(view.t("edit.save"), type="primary")
        if not saved:
            return
        values = numbers.read_numbers(typed, lang)  # as the interface language writes numbers
        if values is None:
            return
        new.update(values)
        others = [dict(r) for i, r in enumerate(base) if str(i) != pick]
        if delete:
            edited = others
        elif row:
            edited = [new if str(i) == pick else dict(r) for i, r in enumerate(base)]
        else:
            edited = [*others, new]
        save_and_report(
            view,
            lambda: editing.save(
                data.data_dir(), org, 0, lang, base, edited, person, comment, part
            ),
            key,
            f"ef-{part}",
            part,
        )
