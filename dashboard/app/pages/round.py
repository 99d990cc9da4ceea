"""The yearly round: a coordinator opens a year with a deadline, follows every department's
part, approves or returns it, and closes the year; a reporter sees what is asked of them,
what is still missing, and marks their part ready. The rules are `model.rounds`; each step
is one write through `changes.round_step`, decided under the lock."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial

import pandas as pd
import streamlit as st

from dashboard.app import changes, chart_panel, data, editform, grids, sidebar
from dashboard.charts import round_figures
from dashboard.i18n import fmt_date, fmt_int, fmt_time, plotly_separators
from dashboard.model import access, codes, rounds, safe
from dashboard.model.filters import Filters
from dashboard.model.view import View
from dashboard.outputs.export import file_slug

FOLLOW_COLUMNS = [
    "org_id",
    "part_label",
    "state",
    "filled",
    "expected",
    "without_goal",
    "cost_without_currency",
    "without_actual",
    "due",
    "ready_at",
    "on_time",
    "comment",
]
CODED = {"state": "round_state", "event": "round_event", "round_state": "year_state"}
DUE_DAYS = 30  # a new round's deadline, by default: a month from today


def _slug(view: View, orgs: tuple[str, ...], year: int) -> str:
    """The file names' selection: the organisations and the round's year."""
    chosen = orgs if len(orgs) < len(view.orgs) else ()
    return file_slug(Filters(chosen, year, year), view.lang, view.reader)


def part_label(view: View, part: object) -> str:
    """A part as people call it: the department's name, or "Indicators"."""
    return view.t("round.part.indicators") if part == rounds.INDICATORS else str(part)


def shown_states(parts: pd.DataFrame) -> list[str]:
    """Each part's state as the follow view shows it (`rounds.shown_state`): the follow
    table and the approve-or-return choice name a part's state alike."""
    return [
        rounds.shown_state(s, int(f), int(e))
        for s, f, e in zip(parts["state"], parts["filled"], parts["entered"], strict=True)
    ]


def follow_frame(view: View, parts: pd.DataFrame, today: date) -> pd.DataFrame:
    """The follow view's rows: each part's shown state, counts, deadline and timeliness."""
    out = parts.copy()
    out["part_label"] = [part_label(view, p) for p in out["part"]]
    out["state"] = shown_states(out)
    timely = []
    for due, ready_at, state in zip(out["due"], out["ready_at"], out["state"], strict=True):
        at = datetime.fromisoformat(str(ready_at)) if isinstance(ready_at, str) else None
        if state not in ("ready", "approved"):
            at = None
        found = rounds.on_time(pd.Timestamp(due).date(), at, today)
        timely.append("" if found is None else view.t("round.on_time" if found else "round.late"))
    out["on_time"] = timely
    out["ready_at"] = [
        pd.Timestamp(v).date() if isinstance(v, str) and v else None for v in out["ready_at"]
    ]
    return out[FOLLOW_COLUMNS]


def _visible(view: View, parts: pd.DataFrame) -> pd.DataFrame:
    """The parts this person sees: every part of a round they run, else the ones they
    report (`rounds.parts_of`)."""
    keep = [
        part in rounds.parts_of(view.person, org, [part])
        for org, part in zip(parts["org_id"], parts["part"], strict=True)
    ]
    return parts.loc[keep].reset_index(drop=True)


def render(view: View) -> None:
    """Draw the Round page."""
    st.title(view.t("round.title"))
    st.caption(view.t("round.intro"))
    editform.flash()
    person = view.person
    orgs = tuple(view.filters.orgs) or tuple(view.orgs)
    runs = [o for o in orgs if rounds.may_run(person, o)]
    read_only = data.as_of() is not None
    if runs and not read_only:
        _open_section(view, runs)
    every = data.query("rounds", Filters(orgs))
    if every.empty:
        st.info(view.t("round.none"), icon=":material/event_busy:")
        return
    years = [str(y) for y in sorted(set(every["year"]), reverse=True)]
    year = int(sidebar.url_selectbox(view.t("round.year"), years, "round_year", "round"))
    shown = every.loc[every["year"] == year]
    st.header(view.md("round.rounds", year=str(year)))
    grids.table_with_download(
        view,
        shown[["org_id", "year", "due", "state", "changed_by", "changed_at"]]
        .rename(columns={"state": "round_state"})
        .assign(
            changed_by=[access.author_name(str(w or "")) for w in shown["changed_by"]],
            changed_at=[fmt_time(v, view.lang) for v in shown["changed_at"]],
        ),
        "round_rounds",
        "round-rounds",
        coded=CODED,
        slug=_slug(view, orgs, year),
    )
    for r in shown.loc[shown["state"] == "closed"].itertuples():
        st.info(
            view.md("round.closed_org", org=view.orgs.get(str(r.org_id), r.org_id), year=str(year)),
            icon=":material/lock:",
        )
        if not read_only and st.button(
            view.t("round.as_closed"), key=f"round-as-closed-{r.org_id}-{year}"
        ):  # the whole dashboard as it was when the year closed (read-only, as on History)
            data.show_version(int(r.closed_snapshot))
            st.rerun()
    parts = _visible(view, data.query("round_parts", Filters(orgs), year=year))
    if parts.empty:
        st.info(view.t("round.nothing_for_you"), icon=":material/info:")
        return
    today = date.today()
    mine = [
        (o, p)
        for o, p in zip(parts["org_id"], parts["part"], strict=True)
        if rounds.may_report(person, o, p) and not rounds.may_run(person, o)
    ]
    if mine:
        _asked_of_me(view, parts, mine, year, read_only)
    if runs:
        _follow(view, parts.loc[parts["org_id"].isin(runs)], year, today)
        if not read_only:
            _decide(view, parts.loc[parts["org_id"].isin(runs)], shown, year)
        _events(view, tuple(runs), year)


def _open_section(view: View, runs: list[str]) -> None:
    with st.expander(view.t("round.open.title"), icon=":material/event_available:"):
        with st.form(editform.form_key("round_open")):
            org = st.selectbox(
                view.t("filter.orgs"), runs, format_func=lambda o: view.orgs.get(o, o)
            )
            year = st.number_input(
                view.t("round.year"),
                min_value=2000,
                max_value=2100,
                value=date.today().year - 1,
                step=1,
                format="%d",
            )
            due = st.date_input(
                view.t("round.due"),
                value=date.today() + timedelta(days=DUE_DAYS),
                format="YYYY-MM-DD",
            )
            go = st.form_submit_button(view.t("round.open.button"), type="primary")
        if go and isinstance(due, date):
            _step(view, "open", str(org), int(year), due=due)


def _step(view: View, step: str, org: str, year: int, **more: object) -> None:
    """Take one step of the round and say how it went (`changes.round_step`)."""
    assert view.person is not None
    try:
        with st.spinner(view.t("edit.saving")):
            changes.round_step(step, org, year, view.person, **more)
    except changes.RoundRefused as exc:
        values = {k: str(v) for k, v in exc.values.items()}
        for key in ("state", "to"):  # a part's states in the reader's words, never codes
            if key in values:
                values[key] = codes.label("round_state", values[key], view.lang)
        text = view.md(f"round.refused.{exc.key}", **values)
        if exc.key in rounds.ABOUT_INPUT:
            st.error(text, icon=":material/block:")
            return
        # the round moved on under this page (another machine's step): drawn again from
        # what is stored now, the refusal above it
        data.clear()
        editform.say_next(editform.Refusal(text))
        st.rerun()
    except PermissionError:
        st.error(view.t("edit.not_allowed"), icon=":material/block:")
        return
    data.clear()
    st.session_state[editform.GENERATION] = st.session_state.get(editform.GENERATION, 0) + 1
    editform.say_next(view.md(f"round.done.{step}", year=str(year)))
    st.rerun()


def _asked_of_me(
    view: View, parts: pd.DataFrame, mine: list[tuple[str, str]], year: int, read_only: bool
) -> None:
    """What is asked of a reporter: each of their parts, its state, what is missing, and
    the button that marks it ready."""
    st.header(view.md("round.mine.title", year=str(year)))
    orgs = tuple(sorted({o for o, _ in mine}))
    missing = data.query("round_missing", Filters(orgs), year=year)
    for org, part in mine:
        row = parts.loc[(parts["org_id"] == org) & (parts["part"] == part)].iloc[0]
        state = rounds.shown_state(row["state"], int(row["filled"]), int(row["entered"]))
        with st.container(border=True):
            st.subheader(f"{safe.md(view.orgs.get(org, org))} · {safe.md(part_label(view, part))}")
            st.markdown(
                view.md(
                    "round.mine.state",
                    state=codes.label("round_state", state, view.lang),
                    due=fmt_date(pd.Timestamp(row["due"]).date(), view.lang),
                    filled=fmt_int(int(row["filled"]), view.lang),
                    expected=fmt_int(int(row["expected"]), view.lang),
                )
            )
            if row["state"] == "returned" and row["comment"]:
                st.warning(
                    view.md("round.mine.returned", comment=str(row["comment"])),
                    icon=":material/undo:",
                )
            lacks = missing.loc[(missing["org_id"] == org) & (missing["part"] == part)]
            if lacks.empty:
                st.caption(view.t("round.mine.complete"))
            else:
                st.markdown(view.t("round.mine.missing", n=fmt_int(len(lacks), view.lang)))
                grids.show_table(
                    view,
                    lacks[["kind", "title"]].assign(
                        kind=[view.t(f"round.missing.{k}") for k in lacks["kind"]]
                    ),
                    f"round-missing-{org}-{part}",
                    labels={"kind": view.t("round.missing"), "title": view.t("col.title")},
                )
            if row["state"] in ("open", "returned") and not read_only:
                # where to correct it: said only while the part can still be changed
                where = (
                    "round.mine.where.indicators"
                    if part == rounds.INDICATORS
                    else "round.mine.where.activities"
                )
                st.caption(view.t(where))
                if st.button(
                    view.t("round.ready.button"),
                    key=editform.form_key(f"round-ready-{org}-{part}"),
                    type="primary",
                ):
                    _step(view, "ready", org, year, part=part)
            elif row["state"] in ("ready", "approved"):
                st.caption(view.t(f"round.mine.locked.{row['state']}"))


def _follow(view: View, parts: pd.DataFrame, year: int, today: date) -> None:
    """The coordinator's view of the round: every part, as a chart and a table."""
    st.header(view.md("round.follow.title", year=str(year)))
    frame = follow_frame(view, parts, today)
    chart = frame.assign(
        part_label=[
            f"{view.orgs.get(o, o)} · {p}" if frame["org_id"].nunique() > 1 else p
            for o, p in zip(frame["org_id"], frame["part_label"], strict=True)
        ],
        shown_state=frame["state"],
    )
    labels = {
        "title": view.t("round.chart.title", year=str(year)),
        "x": view.t("round.chart.x"),
        "y": view.t("round.chart.y"),
        "missing": view.t("round.chart.missing"),
        **{s: codes.label("round_state", s, view.lang) for s in round_figures.STATE_ORDER},
    }
    chart_panel.chart_with_table(
        view,
        partial(
            round_figures.part_progress,
            chart[["part_label", "shown_state", "filled", "expected"]],
            labels,
            plotly_separators(view.lang),
        ),
        frame,
        "round_follow",
        "round-follow",
        coded=CODED,
        vary=(year,),
        slug=_slug(view, tuple(sorted(set(parts["org_id"]))), year),
    )


def _decide(view: View, parts: pd.DataFrame, shown: pd.DataFrame, year: int) -> None:
    """Approve or return a part; close the year, or reopen it with a reason."""
    org_rounds = {str(r.org_id): r for r in shown.itertuples()}
    for org in sorted(org_rounds):
        r = org_rounds[org]
        mine = parts.loc[parts["org_id"] == org]
        st.subheader(view.md("round.decide.title", org=view.orgs.get(org, org), year=str(year)))
        if r.state == "closed":
            form = editform.form_key(f"round-reopen-{org}-{year}")
            with st.form(form):
                reason = st.text_input(
                    view.t("round.reopen.reason"), key=editform.field_key(form, "reason")
                )
                if st.form_submit_button(view.t("round.reopen.button")):
                    _step(view, "reopen", org, year, reason=reason)
            continue
        form = editform.form_key(f"round-decide-{org}-{year}")
        with st.form(form):
            states = dict(zip(mine["part"], mine["state"], strict=True))
            ready = [p for p, s in states.items() if s == "ready"]
            named = dict(zip(mine["part"], shown_states(mine), strict=True))  # as followed
            part = st.selectbox(
                view.t("round.decide.part"),
                ready + [p for p in states if p not in ready],  # those waiting first
                format_func=partial(_choice, view, named),
                # keyed: the choice is the part, whatever order the list has when the button
                # is pressed (unkeyed, a part marked ready meanwhile made it a new box, whose
                # first part was then the one approved)
                key=editform.field_key(form, "part"),
            )
            comment = st.text_area(
                view.t("round.decide.comment"), key=editform.field_key(form, "comment")
            )
            left, right = st.columns(2)
            approve = left.form_submit_button(view.t("round.approve.button"), type="primary")
            back = right.form_submit_button(view.t("round.return.button"))
        if not ready and any(s != "approved" for s in states.values()):
            st.caption(view.t("round.decide.none_ready"))
        if approve:
            _step(view, "approve", org, year, part=part)
        elif back:
            _step(view, "return", org, year, part=part, comment=comment)
        goals = data.query("round_goals", Filters((org,)), year=year)
        total = int(goals["goals"].iloc[0]) if not goals.empty else 0
        assessed = int(goals["assessed"].iloc[0]) if not goals.empty else 0
        approved = int((mine["state"] == "approved").sum())
        st.markdown(
            view.t(
                "round.decide.progress",
                approved=fmt_int(approved, view.lang),
                parts=fmt_int(len(mine), view.lang),
                assessed=fmt_int(assessed, view.lang),
                goals=fmt_int(total, view.lang),
            )
        )
        if assessed < total:
            st.caption(view.md("round.decide.assess", goals=str(goals["unassessed"].iloc[0])))
        why = rounds.can_close(dict(zip(mine["part"], mine["state"], strict=True)), total, assessed)
        if why is not None:
            st.caption(view.md(f"round.refused.{why}", goals="", year=str(year)))
        if st.button(
            view.md("round.close.button", year=str(year)),
            key=editform.form_key(f"round-close-{org}-{year}"),
            disabled=why is not None,
        ):
            _step(view, "close", org, year)


def _choice(view: View, states: dict[str, str], part: str) -> str:
    """A part as the approve-or-return choice names it: its name and its shown state."""
    return f"{part_label(view, part)} ({codes.label('round_state', states[part], view.lang)})"


def _events(view: View, orgs: tuple[str, ...], year: int) -> None:
    """Every step of the round, newest first."""
    st.header(view.t("round.events.title"))
    found = data.query("round_events", Filters(orgs), year=year)
    found = found.assign(
        part=[part_label(view, p) if p else "" for p in found["part"]],
        time=[fmt_time(v, view.lang) for v in found["time"]],
        who=[access.author_name(w) for w in found["who"]],  # a name, not an address
        # an opening's comment is its deadline, written as the language writes dates
        comment=[
            fmt_date(date.fromisoformat(str(c)), view.lang) if e == "opened" and c else c
            for e, c in zip(found["event"], found["comment"], strict=True)
        ],
    )
    grids.table_with_download(
        view, found, "round_events", "round-events", coded=CODED, slug=_slug(view, orgs, year)
    )


if __name__ == "__main__":  # run as a page by st.navigation
    from dashboard.app.shell import run_page

    run_page(render)
