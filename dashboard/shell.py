"""The app shell: page config, language, the sidebar filters, the URL and the pages list.

`start()` runs before navigation on every rerun and returns the one `View` value
every page receives. Filter state lives in widget keys (so it survives switching
pages) and is mirrored into `st.query_params` (so a copied link reproduces the view).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

import streamlit as st

from dashboard import access, data, safe, ui
from dashboard.access import Person, Scope
from dashboard.db import DatasetError
from dashboard.filters import Filters
from dashboard.i18n import LANG_NAMES, LANGS, pick_language, t
from dashboard.pages import Page
from dashboard.ui import View, guarded, log
from dashboard.urlstate import FILTER_KEYS, parse, to_params

K_LANG, K_ORGS, K_YEARS, K_GOALS = "f_lang", "f_orgs", "f_years", "f_goals"
K_URL = "_url_written"  # the query parameters this session last put in the address bar
K_ASKED = "_url_asked"  # the address this run started with (`asked_param`)
# the organisation is one choice (one click, one rerun, to switch from one to another);
# its last option opens the multiselect K_ORGS for comparing several
K_ORG = "f_org"
# the two choices that are not an organisation: an id is text without control characters
# (the import refuses them), so no organisation's id can be taken for one of these
ALL_ORGS, SEVERAL_ORGS = "\x00all", "\x00several"
K_VIEW = "_view"
K_YEARS_DEFAULT = "_years_default"
PAGES_DIR = Path(__file__).resolve().parent / "pages"
# The page icon is a file of our own: a Material icon as page icon is fetched from Google's
# font server by every browser, which a closed municipal network does not reach.
PAGE_ICON = Path(__file__).resolve().parent.parent / "static" / "icon.png"


def keep_caches_from_visitors() -> None:
    """Make Streamlit's "clear cache" request clear only the asking session's state.

    Streamlit (1.6x) lets any websocket client send `clear_cache`, which empties every
    user's cached results and the shared DuckDB connection; there is no setting to switch
    it off. This replaces the handler, once per process, so a visitor can reset their own
    session but not slow down or break everyone else's. Caches are cleared by the app
    itself (an import changes the dataset stamp; `data.clear()` after a replace).
    """
    from streamlit.runtime.app_session import AppSession

    def only_this_session(self: AppSession) -> None:
        self._session_state.clear()

    if getattr(AppSession._handle_clear_cache_request, "__name__", "") != "only_this_session":
        AppSession._handle_clear_cache_request = only_this_session  # type: ignore[method-assign]


def _notice(key: str, values: dict, lang: str) -> str:
    """A notice for the sidebar: the values come from the link, so they are escaped."""
    return t(key, lang, **{k: safe.md(v) for k, v in values.items()})


def _as_lists(params: Mapping[str, str | list[str]]) -> dict[str, list[str]]:
    return {k: [v] if isinstance(v, str) else list(v) for k, v in params.items()}


def _read_url(
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


def _fit_state(orgs: list[str], years: tuple[int, int]) -> None:
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
        fitted = (min(max(a, lo), hi), min(max(b, lo), hi))
        if fitted != (a, b):
            st.session_state[key] = fitted
            if key == K_YEARS or K_YEARS not in st.session_state:
                notices.append(("notice.years_changed", {"lo": lo, "hi": hi}))


def dataset_error(exc: DatasetError, lang: str) -> None:
    """The app's own short message for a missing or damaged dataset (no paths, no
    commands: those go to the server's log), and forget the connection so the next click
    reconnects once the files are fixed."""
    log.warning("dataset unavailable: %s", exc)
    st.error(
        t(
            "error.dataset",
            lang,
            detail=t(f"dataset.{exc.key}", lang, **{k: safe.md(v) for k, v in exc.values.items()}),
        ),
        icon=":material/database:",
    )
    data.clear()


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


def _sidebar(view_lang: str, org_names: dict[str, str], years: tuple[int, int]) -> Filters:
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


def start() -> View:
    """Set up the page, read the link once, draw the sidebar; returns the View for pages."""
    st.set_page_config(page_title="Målbild", page_icon=str(PAGE_ICON), layout="wide")
    keep_caches_from_visitors()
    st.session_state[ui.K_OFFERED] = {}  # this run's downloads register themselves anew
    st.html(f"<style>{PAGE_CSS}</style>")  # see PAGE_CSS
    data.set_scope(Scope.only(()))  # nothing is read before the reader is known
    try:
        orgs_df = data.every_organisation()
        # stops the run until a visitor has signed in; the scope is worked out from every
        # organisation, not from the list this session already reads (that would widen
        # nothing but would forget the limit on the next run)
        person = sign_in(list(orgs_df["org_id"]))
        reader = data.scope()
        span = data.query("year_range")
        goals_df = data.query("goal_options")
    except DatasetError as exc:
        lang = st.session_state.get(K_LANG) or pick_language(st.context.locale)
        dataset_error(exc, lang)
        st.stop()
        raise  # unreachable: st.stop() ends the run
    org_names = {
        o: n for o, n in zip(orgs_df["org_id"], orgs_df["name"], strict=True) if reader.allows(o)
    }
    lo, hi = span.iloc[0]["min_year"], span.iloc[0]["max_year"]
    years = (int(lo), int(hi)) if lo == lo and lo is not None else (2000, 2000)
    goal_org = {
        g: o for g, o in zip(goals_df["goal_id"], goals_df["org_id"], strict=True) if o in org_names
    }
    goal_names = {
        g: f"{org_names[o]} · {c}. {str(ti)[:60]}"
        for g, o, c, ti in zip(
            goals_df["goal_id"],
            goals_df["org_id"],
            goals_df["code"],
            goals_df["title"],
            strict=True,
        )
        if o in org_names
    }
    _read_url(list(org_names), goal_org, years, goal_names)
    _fit_state(list(org_names), years)

    lang = st.sidebar.selectbox(
        # the choice's accessible name, in every language at once: whoever cannot read the
        # current one still finds it
        "Språk · Language · Sprog",
        options=list(LANGS),
        format_func=LANG_NAMES.get,
        key=K_LANG,
        label_visibility="collapsed",
    )
    page_language(lang)
    st.sidebar.header(t("app.title", lang))  # the page itself has the one h1
    st.sidebar.caption(t("app.tagline", lang))
    for key, values in st.session_state.pop("_notices", []):
        st.sidebar.warning(_notice(key, values, lang))
    filters = _sidebar(lang, org_names, years)
    st.sidebar.caption(t("filter.link", lang))
    if person is not None:
        _signed_in(person, lang, org_names)
    _as_of_notice(lang)
    written = to_params(filters, lang)
    st.query_params.from_dict(written)
    st.session_state[K_URL] = _as_lists(written)
    # a dataset in an object store is published by the import job, not edited here: nobody
    # gets an edit form or a restore (the read scope above still applies)
    editor = None if data.remote() else person
    view = View(lang, filters, org_names, editor, data.scope())
    st.session_state[K_VIEW] = view
    return view


# The page's own CSS, in one place:
# - the grid's toolbar offers a second CSV of every table, without BOM, formula protection
#   or the language's separators; Streamlit has no option to switch it off, so it is hidden
#   and the page's own download button (the same file as the command line's) is the one way;
# - captions in Streamlit's grey at 60 % opacity (#828180 on white, 3.9:1) fall short of
#   WCAG 1.4.3's 4.5:1: #5E5D5B at full opacity gives 6.6:1;
# - sections are h2 under the page's h1 (WCAG 1.3.1, no skipped level), drawn at the size of
#   Streamlit's subheader;
# - the keyboard focus is always visible (WCAG 2.4.7), also where Streamlit draws none;
# - a card's label and value wrap instead of being cut ("Mål med aktivitet eller…");
# - a table's scrollbars are always drawn: Streamlit makes them thin and transparent until
#   the pointer is over the grid, so the columns to the right of a wide table (Activities
#   has twelve) were hidden with no sign that they were there.
PAGE_CSS = """
[data-testid="stElementToolbar"] button[aria-label="Download as CSV"]{display:none!important}
[data-testid="stCaptionContainer"]{opacity:1!important}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p{color:#5E5D5B!important}
[data-testid="stMain"] h2{font-size:1.5rem!important;padding-top:1rem!important}
:focus-visible{outline:3px solid #0072B2!important;outline-offset:2px!important}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *
{white-space:normal!important;overflow:visible!important;text-overflow:clip!important}
[data-testid="stDataFrame"] .dvn-scroller
{scrollbar-width:auto!important;scrollbar-color:#767676 #EDEDED!important}
"""


def page_language(lang: str) -> None:
    """Mark the document with the interface's language (`<html lang="sv">`), so a screen
    reader reads Swedish with Swedish pronunciation; Streamlit itself always says "en"
    (streamlit/streamlit#15726). A script in the main document (st.html runs it there) sets
    it and keeps it set if Streamlit writes it back. *lang* is one of LANGS, never text
    from a link.

    The same script names the year slider's two handles in the language: Streamlit names
    them "<label> — start" and "<label> — end" in English whatever the page's language, with
    no setting; they become "År, från" and "År, till" whenever Streamlit draws them. The
    words are the catalogue's, written as JSON strings."""
    if lang not in LANGS:
        return
    words = json.dumps([t("filter.years.from", lang), t("filter.years.to", lang)])
    st.html(
        "<script>(function(){var l='" + lang + "',d=document.documentElement;"
        "function set(){if(d.lang!==l){d.lang=l;}}set();"
        "if(window.__malbildLang){window.__malbildLang.disconnect();}"
        "window.__malbildLang=new MutationObserver(set);"
        "window.__malbildLang.observe(d,{attributes:true,attributeFilter:['lang']});"
        "var w=" + words + ",ends=[' \u2014 start',' \u2014 end'];"
        # no '<' in the script: Streamlit's sanitiser reads "<all" as the start of a tag
        "function fix(){document.querySelectorAll('input[aria-label]').forEach(function(el){"
        "var a=el.getAttribute('aria-label');ends.forEach(function(e,i){"
        "if(a.slice(-e.length)===e){el.setAttribute('aria-label',a.slice(0,-e.length)+', '+w[i]);}"
        "});});}"
        "fix();if(window.__malbildSlider){window.__malbildSlider.disconnect();}"
        "window.__malbildSlider=new MutationObserver(fix);"
        "window.__malbildSlider.observe(document.body,{subtree:true,childList:true,"
        "attributes:true,attributeFilter:['aria-label']});})();"
        "</script>",
        unsafe_allow_javascript=True,
    )


def sign_in_configured() -> bool:
    """Whether `.streamlit/secrets.toml` configures sign-in (an [auth] section)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def user_claims() -> dict[str, object] | None:
    """The signed-in user's claims from the identity provider (None: not signed in)."""
    if not st.user.is_logged_in:
        return None
    return st.user.to_dict()


def sign_in(orgs: list[str]) -> Person | None:
    """The signed-in person, with the read scope set for this session; None when no
    sign-in is configured (then the dashboard is read-only for every visitor). A visitor
    who has not signed in sees the sign-in page and nothing else; one the access file lets
    read no organisation sees a message and nothing else."""
    if not sign_in_configured():
        data.set_scope(Scope.everything())
        return None
    data.set_scope(Scope.only(()))  # nothing until the person's scope is known
    asked = st.query_params.get("lang")
    lang = (
        st.session_state.get(K_LANG)
        or (asked if asked in LANGS else None)
        or pick_language(st.context.locale)
    )
    claims = user_claims()
    if claims is None:
        st.title(t("auth.title", lang))
        st.markdown(t("auth.intro", lang))
        st.button(t("auth.login", lang), on_click=st.login, type="primary", key="login")
        st.stop()
        raise AssertionError("unreachable: st.stop() ends the run")
    try:
        policy = access.policy()
    except access.AccessFileError:
        log.exception("the access file cannot be read")
        st.error(t("auth.access_file", lang))
        st.stop()
        raise  # unreachable
    person = access.person(policy, claims)
    scope = access.scope_of(person, orgs)
    data.set_scope(scope)
    if scope.limited and not scope.orgs:
        st.title(t("auth.title", lang))
        st.warning(t("auth.no_access", lang, who=safe.md(person.label)))
        st.button(t("auth.logout", lang), on_click=st.logout, key="logout")
        st.stop()
    return person


def _signed_in(person: Person, lang: str, names: dict[str, str]) -> None:
    """Who is signed in, with which roles, and the way out."""
    roles = ", ".join(
        t("auth.role." + g.role, lang)
        + f" ({t('auth.every_org', lang) if g.org == access.ALL else names.get(g.org, g.org)})"
        for g in person.grants
    ) or t("auth.role.viewer", lang)
    st.sidebar.caption(t("auth.signed_in", lang, who=safe.md(person.label), roles=safe.md(roles)))
    st.sidebar.button(t("auth.logout", lang), on_click=st.logout, key="logout")


def _as_of_notice(lang: str) -> None:
    """While the session looks at an earlier version: say so on every page, and the way
    back. Nothing can be changed meanwhile (the editors show only on the live dataset)."""
    version = data.as_of()
    if version is None:
        return
    st.sidebar.warning(t("history.as_of", lang, version=version), icon=":material/history:")
    st.sidebar.button(
        t("history.as_of.back", lang), on_click=data.show_version, args=(None,), key="as_of_back"
    )


def current_view() -> View:
    """The View `start()` made in this run, for page files run by st.navigation."""
    return st.session_state[K_VIEW]


def run_page(render: Callable[[View], None]) -> None:
    """Run a page module's `render` with the current view, guarded against errors."""
    from dashboard import editform

    view = current_view()
    editform.flash()
    try:
        guarded(render, view, reraise=(DatasetError,))()
    except DatasetError as exc:
        dataset_error(exc, view.lang)


def page(spec: Page, view: View) -> st.Page:
    """A navigation entry for a page of the registry (`dashboard.pages.PAGES`)."""
    return st.Page(
        str(PAGES_DIR / f"{spec.name}.py"),
        title=view.t(spec.title_key),
        icon=spec.icon,
        url_path=spec.name,
        default=spec.default,
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
