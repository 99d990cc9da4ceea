"""The sidebar's filters and the address bar: what the reader chose, read from the URL
(with a notice for an odd link, never an exception) and written back to it, so a view
can be bookmarked and shared. The parsing itself is pure (`urlstate`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import streamlit as st

from dashboard.app import data
from dashboard.i18n import pick_language, t
from dashboard.model import safe
from dashboard.model.filters import Filters
from dashboard.model.urlstate import FILTER_KEYS, fit_span, parse

K_URL = "_url_written"  # the query parameters this session last put in the address bar


K_LANG, K_ORGS, K_YEARS, K_GOALS = "f_lang", "f_orgs", "f_years", "f_goals"
# the two choices that are not an organisation: an id is text without control characters
# (the import refuses them), so no organisation's id can be taken for one of these
ALL_ORGS, SEVERAL_ORGS = "\x00all", "\x00several"

K_ASKED = "_url_asked"  # the address this run started with (`asked_param`)


# the organisation is one choice (one click, one rerun, to switch from one to another);
# its last option opens the multiselect K_ORGS for comparing several
K_ORG = "f_org"


K_YEARS_DEFAULT = "_years_default"


def url_notice(key: str, values: dict, lang: str) -> str:
    """A notice for the sidebar: the values come from the link, so they are escaped."""
    return t(key, lang, **{k: safe.md(v) for k, v in values.items()})


def as_lists(params: Mapping[str, str | list[str]]) -> dict[str, list[str]]:
    return {k: [v] if isinstance(v, str) else list(v) for k, v in params.items()}


def read_url(
    orgs: list[str], goal_org: dict[str, str], years: tuple[int, int], goal_names: dict[str, str]
) -> None:
    """Take language and filters from the link: on a session's first run, and whenever the
    address is another link than the one the app last wrote (the browser's Back and Forward
    buttons go to an earlier link; a rerun asked with another link). A click on a filter
    reruns with the address the app wrote, and a click on a page in the sidebar with none
    (Streamlit drops the query on navigation): the widgets' own state wins then."""
    asked = {k: st.query_params.get_all(k) for k in st.query_params}
    st.session_state[K_ASKED] = asked  # before the address is rewritten: a page's own keys
    params = {k: v for k, v in asked.items() if k in FILTER_KEYS}
    written = st.session_state.get(K_URL)
    if written is not None and (written == params or not params):
        return
    state = parse(params, orgs, goal_org, years, goal_names)
    lang = state.lang or pick_language(st.context.locale)
    st.session_state[K_LANG] = lang
    _set_orgs(list(state.filters.orgs))
    f = state.filters
    # the slider's default (not its state): passing `value` keeps it a range slider; an
    # earlier state is dropped so the slider starts again from that default
    st.session_state[K_YEARS_DEFAULT] = (f.year_from or years[0], f.year_to or years[1])
    st.session_state.pop(K_YEARS, None)
    st.session_state[K_GOALS] = list(f.goals)
    st.session_state["_notices"] = [(n.key, dict(n.values)) for n in state.notices]


def _set_orgs(orgs: list[str]) -> None:
    """Put a list of organisations into the two controls: none is all, one is the single
    choice, more open the multiselect."""
    if len(orgs) > 1:
        st.session_state[K_ORG] = SEVERAL_ORGS
        st.session_state[K_ORGS] = orgs
    else:
        st.session_state[K_ORG] = orgs[0] if orgs else ALL_ORGS
        st.session_state.pop(K_ORGS, None)


def chosen_orgs() -> list[str]:
    """The organisations this session has chosen (empty: all)."""
    one = st.session_state.get(K_ORG, ALL_ORGS)
    if one == SEVERAL_ORGS:
        return list(st.session_state.get(K_ORGS) or [])
    return [] if one == ALL_ORGS else [one]


def _to_several() -> None:
    """Choosing "several" starts the multiselect from the organisation chosen before."""
    if st.session_state.get(K_ORG) == SEVERAL_ORGS:
        last = st.session_state.get("_org_last", ALL_ORGS)
        st.session_state[K_ORGS] = [] if last == ALL_ORGS else [last]


def fit_state(orgs: list[str], years: tuple[int, int]) -> None:
    """Keep the session's selection inside the dataset as it is now.

    The dataset may be replaced while a session is open: an organisation removed, the
    span of years shortened. The selection then falls back, with a notice, as a bad link
    does, instead of handing a widget a value it no longer has.
    """
    notices = st.session_state.setdefault("_notices", [])
    chosen = chosen_orgs()
    gone = [o for o in chosen if o not in orgs]
    if gone:
        kept = [o for o in chosen if o in orgs]
        if st.session_state.get(K_ORG) == SEVERAL_ORGS and kept:
            st.session_state[K_ORGS] = kept  # stays a comparison, of those still there
        else:
            _set_orgs(kept)
        notices.append(("notice.gone_org", {"value": ", ".join(gone)}))
    lo, hi = years
    for key in (K_YEARS, K_YEARS_DEFAULT):
        value = st.session_state.get(key)
        if not isinstance(value, tuple | list) or len(value) != 2:
            continue
        a, b = int(value[0]), int(value[1])
        fitted = fit_span(a, b, years) or (lo, hi)  # none of its years left: every year
        if fitted != (a, b):
            st.session_state[key] = fitted
            if key == K_YEARS or K_YEARS not in st.session_state:
                notices.append(("notice.years_changed", {"lo": lo, "hi": hi}))


def _several(lang: str, label: str, help_key: str, names: Mapping[str, str], key: str) -> list[str]:
    """A sidebar multiselect of *names* (id -> what it shows); none chosen means all."""
    return st.sidebar.multiselect(
        t(label, lang),
        options=list(names),
        format_func=lambda v: names.get(v, v),
        key=key,
        placeholder=t("filter.all", lang),
        help=t(help_key, lang),
        select_all=False,  # Streamlit's 'Select all' is English only
    )


def filters_in_sidebar(
    view_lang: str, org_names: dict[str, str], years: tuple[int, int]
) -> Filters:
    lang = view_lang
    st.sidebar.header(t("filter.header", lang))
    one_names = {ALL_ORGS: t("filter.orgs.all", lang), **org_names}
    if len(org_names) > 1:
        one_names[SEVERAL_ORGS] = t("filter.orgs.several", lang)
    if st.session_state.get(K_ORG) not in one_names:
        st.session_state[K_ORG] = ALL_ORGS
    one = st.sidebar.selectbox(
        t("filter.orgs", lang),
        options=list(one_names),
        format_func=lambda o: one_names.get(o, o),
        key=K_ORG,
        on_change=_to_several,
        help=t("filter.orgs.help", lang),
    )
    if one == SEVERAL_ORGS:
        orgs = _several(lang, "filter.orgs.compare", "filter.orgs.compare.help", org_names, K_ORGS)
    else:
        orgs = [] if one == ALL_ORGS else [one]
        st.session_state["_org_last"] = one
    lo, hi = years
    if lo < hi:
        chosen = st.sidebar.select_slider(
            t("filter.years", lang),
            options=list(range(lo, hi + 1)),
            value=st.session_state.get(K_YEARS_DEFAULT, (lo, hi)),
            key=K_YEARS,
            help=t("filter.years.help", lang),
        )
        # a range comes back as a tuple; guard against a single value all the same
        y0, y1 = chosen if isinstance(chosen, tuple | list) else (chosen, chosen)
    else:
        y0 = y1 = lo
    options = data.query("goal_options", Filters(tuple(orgs)))
    labels = {
        r.goal_id: (f"{org_names.get(r.org_id, r.org_id)} · " if len(orgs) != 1 else "")
        + f"{r.code}. {r.title[:60]}"
        for r in options.itertuples()
    }
    kept = [g for g in st.session_state.get(K_GOALS, []) if g in labels]
    st.session_state[K_GOALS] = kept
    goals = _several(lang, "filter.goals", "filter.goals.help", labels, K_GOALS)
    all_years = (y0, y1) == (lo, hi)
    return Filters(
        tuple(orgs),
        None if all_years else int(y0),
        None if all_years else int(y1),
        tuple(goals),
    )


def asked_param(key: str) -> str | None:
    """A page's own query parameter as the address had it when this run started (the
    sidebar rewrites the address with its filters before the page draws)."""
    values = st.session_state.get(K_ASKED, {}).get(key) or []
    return values[0] if values else None


def url_text_input(label: str, key: str, param: str) -> str:
    """A text field whose value is in the address (`?q=…`), so a copied link, Back and
    Forward bring it back: a link that says another value than this session last wrote
    sets the field; the field's value is written back (removed when empty)."""
    if param in FILTER_KEYS:
        raise ValueError(f"{param} is a filter of the sidebar")
    asked = asked_param(param)
    mine = f"_url_{param}"
    if asked is not None and asked != st.session_state.get(mine):
        st.session_state[key] = asked  # a link (or Back) says so
    value = st.text_input(label, key=key)
    if value.strip():
        st.query_params[param] = value
    elif param in st.query_params:
        del st.query_params[param]
    st.session_state[mine] = value if value.strip() else None
    return value


def url_selectbox(
    label: str,
    options: Sequence[str],
    key: str,
    param: str,
    format_func: Callable[[str], str] = str,
) -> str:
    """A choice whose value is in the address (`?round=2025`), like `url_text_input`: a link
    naming one of *options* chooses it; one naming none is ignored (the first is taken)."""
    if param in FILTER_KEYS:
        raise ValueError(f"{param} is a filter of the sidebar")
    asked = asked_param(param)
    mine = f"_url_{param}"
    if asked is not None and asked != st.session_state.get(mine) and asked in options:
        st.session_state[key] = asked
    if st.session_state.get(key) not in options:
        st.session_state.pop(key, None)
    value = str(st.selectbox(label, list(options), key=key, format_func=format_func))
    st.query_params[param] = value
    st.session_state[mine] = value
    return value
