"""The app shell: page config, language, the sidebar filters, the URL and the pages list.

`start()` runs before navigation on every rerun and returns the one `View` value
every page receives. Filter state lives in widget keys (so it survives switching
pages) and is mirrored into `st.query_params` (so a copied link reproduces the view).
"""

from __future__ import annotations

import faulthandler
import json
import signal
from collections.abc import Callable

import streamlit as st

from dashboard import PROJECT_ROOT
from dashboard.app import changes, data, downloads
from dashboard.app.pages import PAGES_DIR, Page
from dashboard.app.sidebar import (
    K_LANG,
    K_URL,
    as_lists,
    filters_in_sidebar,
    fit_state,
    read_url,
    url_notice,
)
from dashboard.app.signin import show_signed_in, sign_in
from dashboard.app.ui import guarded, log, setting_error
from dashboard.i18n import LANG_NAMES, LANGS, language, pick_language, t
from dashboard.model import safe
from dashboard.model.access import Scope
from dashboard.model.urlstate import to_params
from dashboard.model.view import View
from dashboard.settings import SettingError
from dashboard.storage import STORE_FAILURES, CommitConflict, DatasetError

K_VIEW = "_view"


# the language menu's name in every language at once ("Språk · Language · Sprog"): whoever
# cannot read the current one still finds it
LANGUAGE_LABEL = " · ".join(dict.fromkeys(t("language.label", code) for code in LANGS))
# The page icon is a file of our own: a Material icon as page icon is fetched from Google's
# font server by every browser, which a closed municipal network does not reach.
PAGE_ICON = PROJECT_ROOT / "static" / "icon.png"


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


def stacks_on_request() -> None:
    """Let `kill -USR1 <pid>` write every thread's stack to the server's log, once per
    process: when a page hangs, IT (and a failing browser test) can see where each thread
    waits without stopping the server or installing a debugger. Nothing else changes:
    the signal is not otherwise used by Streamlit or Tornado."""
    global _STACKS_ON_REQUEST
    if not _STACKS_ON_REQUEST and hasattr(signal, "SIGUSR1"):
        faulthandler.register(signal.SIGUSR1, all_threads=True)
        _STACKS_ON_REQUEST = True


_STACKS_ON_REQUEST = False


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
    if exc.key not in STORE_FAILURES:  # a failing store keeps what this process holds
        data.clear()


def start() -> View:
    """Set up the page, read the link once, draw the sidebar; returns the View for pages.
    A server setting that is wrong stops the run with a message in the reader's language
    (`ui.setting_error`), not Streamlit's English error page."""
    try:
        return _start()
    except SettingError as exc:
        setting_error(exc, st.session_state.get(K_LANG) or pick_language(st.context.locale))
        st.stop()
        raise  # unreachable: st.stop() ends the run


def _start() -> View:
    st.set_page_config(page_title="Målbild", page_icon=str(PAGE_ICON), layout="wide")
    keep_caches_from_visitors()
    stacks_on_request()
    st.session_state[downloads.K_OFFERED] = {}  # this run's downloads register themselves anew
    st.html(f"<style>{PAGE_CSS}</style>")  # see PAGE_CSS
    data.set_scope(Scope.only(()))  # nothing is read before the reader is known
    data.new_run()  # the newest snapshot and the store's state are read again
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
    read_url(list(org_names), goal_org, years, goal_names)
    fit_state(list(org_names), years)

    lang = st.sidebar.selectbox(
        # the choice's accessible name, in every language at once: whoever cannot read the
        # current one still finds it
        LANGUAGE_LABEL,
        options=list(LANGS),
        format_func=lambda code: LANG_NAMES.get(code, code),
        key=K_LANG,
        label_visibility="collapsed",
    )
    page_language(lang)
    st.sidebar.header(t("app.title", lang))  # the page itself has the one h1
    st.sidebar.caption(t("app.tagline", lang))
    for key, values in st.session_state.pop("_notices", []):
        st.sidebar.warning(url_notice(key, values, lang))
    failure = st.session_state.get(data.K_STORE_DOWN)
    if failure:  # served from what was read last: the store's failure said, as its key says
        st.sidebar.warning(t(f"dataset.{failure}", lang), icon=":material/cloud_off:")
    filters = filters_in_sidebar(lang, org_names, years)
    st.sidebar.caption(t("filter.link", lang))
    if person is not None:
        show_signed_in(person, lang, org_names)
    _as_of_notice(lang)
    written = to_params(filters, lang)
    st.query_params.from_dict(written)
    st.session_state[K_URL] = as_lists(written)
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
# - a card's label, value and change wrap instead of being cut ("Mål med aktivitet eller…",
#   "403.770 € · 14.260.000 SEK" drawn "403.770 € · 14…" at 1024 px: the label's rule alone
#   left the values cut, unseen by the walk, which measured the card and not its text);
# - a table's scrollbars are always drawn: Streamlit makes them thin and transparent until
#   the pointer is over the grid, so the columns to the right of a wide table (Activities
#   has twelve) were hidden with no sign that they were there.
PAGE_CSS = """
[data-testid="stElementToolbar"] button[aria-label="Download as CSV"]{display:none!important}
[data-testid="stCaptionContainer"]{opacity:1!important}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p{color:#5E5D5B!important}
[data-testid="stMain"] h2{font-size:1.5rem!important;padding-top:1rem!important}
:focus-visible{outline:3px solid #0072B2!important;outline-offset:2px!important}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
[data-testid="stMetricValue"], [data-testid="stMetricValue"] *,
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] *
{white-space:normal!important;overflow:visible!important;text-overflow:clip!important}
[data-testid="stDataFrame"] .dvn-scroller
{scrollbar-width:auto!important;scrollbar-color:#767676 #EDEDED!important}
"""


# Streamlit's own English names of its controls, as screen readers read them (aria-label)
# and as empty boxes show them (placeholder), each with its text in the catalogue; read
# on the Swedish pages on 2026-12-07 (`page_language` puts them in the language). "Help for
# LABEL" is `framework.help_for`.
FRAMEWORK_NAMES = {
    "Link to heading": "framework.link_to_heading",
    "Collapse sidebar": "framework.collapse_sidebar",
    "Expand sidebar": "framework.expand_sidebar",
    "Sidebar": "framework.sidebar",
    "App pages": "framework.app_pages",
    "Fullscreen": "framework.fullscreen",
    "Close fullscreen": "framework.close_fullscreen",
    "Search": "framework.search",
    "Show/hide columns": "framework.show_hide_columns",
    "Open": "framework.open",
    "Close": "framework.close",
    "Clear all": "framework.clear_all",
    "file upload": "framework.file_upload",
    "Choose an option": "framework.choose",
    "Running...": "framework.running",
    "Add files": "framework.add_files",
}
# the names made of Streamlit's English words and a label of ours: "Help for Mål" (a
# tooltip's button), "Remove gotland.xlsx" (an uploaded file's); each text has `{label}`
FRAMEWORK_PREFIXES = {"Help for ": "framework.help_for", "Remove ": "framework.remove"}


# Streamlit's own English texts (text, not names), each with its text in the catalogue:
# the uploader's button, what it says while a file is dragged over it, and its size limit
# ("20MB per file • XLSX, CSV, ZIP": the limit is Målbild's, `{mb}`; the types stay), and
# a select list's answer when nothing matches.
FRAMEWORK_TEXTS = {
    "Upload": "data.upload.button",
    "Drag and drop a file here": "data.upload.drop",
    "per file": "data.upload.per_file",
    "No results": "filter.no_results",
}


def _script_json(value: object) -> str:
    """*value* as a JavaScript literal inside a script: JSON, with no '<' (Streamlit's
    sanitiser would read "<all" as a tag, and no text may close the script)."""
    return json.dumps(value).replace("<", "\\u003c")


def page_language(lang: str) -> None:
    """Mark the document with the interface's language (`<html lang="sv">`), so a screen
    reader reads Swedish with Swedish pronunciation; Streamlit itself always says "en"
    (streamlit/streamlit#15726). A script in the main document (st.html runs it there) sets
    it and keeps it set if Streamlit writes it back. *lang* is one of LANGS, never text
    from a link.

    The same script names the year slider's two handles in the language: Streamlit names
    them "<label> — start" and "<label> — end" in English whatever the page's language, with
    no setting; they become "År, från" and "År, till" whenever Streamlit draws them. The
    words are the catalogue's, written as JSON strings.

    And Streamlit's other words of its own: the file uploader's button "Upload", "Drag and
    drop a file here" while a file is dragged over it and "20MB per file" beside the
    accepted types, and a select list's "No results", all in English whatever the language, with no
    setting (the accessibility statement listed them as a failure of WCAG 3.1.2); each is
    put in the language whenever Streamlit draws it."""
    if lang not in LANGS:
        return
    words = _script_json([t("filter.years.from", lang), t("filter.years.to", lang)])
    names = _script_json({english: t(key, lang) for english, key in FRAMEWORK_NAMES.items()})
    prefixes = _script_json(
        [
            [english, *t(key, lang, label="\0").split("\0", 1)]
            for english, key in FRAMEWORK_PREFIXES.items()
        ]
    )
    decimal = _script_json(language(lang).decimal)
    upload = _script_json(
        {
            english: t(key, lang, mb=changes.max_upload_mb())
            for english, key in FRAMEWORK_TEXTS.items()
        }
    )
    st.html(
        "<script>(function(){var l='" + lang + "',d=document.documentElement;"
        "function set(){if(d.lang!==l){d.lang=l;}}set();"
        "if(window.__malbildLang){window.__malbildLang.disconnect();}"
        "window.__malbildLang=new MutationObserver(set);"
        "window.__malbildLang.observe(d,{attributes:true,attributeFilter:['lang']});"
        "var w=" + words + ",ends=[' \u2014 start',' \u2014 end'];"
        # no '<' in the script: Streamlit's sanitiser reads "<all" as the start of a tag
        # the names screen readers read (aria-label) and the empty boxes' placeholders:
        # Streamlit's own in English ("Search", "Help for Mål", "Choose an option"), the
        # slider's handles, and an uploaded file's size ("96.4KB", last in its text or
        # name) as the language writes a number ("96,4 KB")
        "var names=" + names + ",pre=" + prefixes + ",dec=" + decimal + ";"
        "function size(v){return v.replace(/([0-9]+)(?:[.]([0-9]+))? ?([KMG]?B)$/,"
        "function(x,i,f,un){return i+(f?dec+f:'')+' '+un;});}"
        "var named='[aria-label],[placeholder]';"
        "function fix(el){['aria-label','placeholder'].forEach(function(at){"
        "var a=el.getAttribute(at);if(a===null){return;}var b=a,hit=false;"
        "if(Object.prototype.hasOwnProperty.call(names,a)){b=names[a];hit=true;}"
        "pre.forEach(function(p){if(!hit){if(a.indexOf(p[0])===0){"
        "b=p[1]+a.slice(p[0].length)+p[2];hit=true;}}});"
        "if(!hit){ends.forEach(function(e,i){"
        "if(a.slice(-e.length)===e){b=a.slice(0,-e.length)+', '+w[i];}});}"
        "if(el.closest('[data-testid=stFileUploader]')){b=size(b);}"
        "if(b!==a){el.setAttribute(at,b);}});}"
        "function fixIn(r){if(r.nodeType!==1){return;}if(r.matches(named)){fix(r);}"
        "r.querySelectorAll(named).forEach(fix);}"
        # Streamlit's own English words: a text node that is one of them, or "NMB per file •
        # TYPES"
        "var u=" + upload + ";"
        "var own='[data-testid=stFileUploader],[data-baseweb=popover],[role=listbox]';"
        "function say(n){var v=n.nodeValue.trim(),p=n.parentElement;"
        "if(!p){return;}if(!p.closest(own)){return;}"
        "if(v!=='per file'){if(Object.prototype.hasOwnProperty.call(u,v)){"
        "if(u[v]!==v){n.nodeValue=u[v];}return;}}"
        "var m=v.match(/^[0-9.]+ ?[KMG]?B per file(.*)$/);if(m){n.nodeValue=u['per file']+m[1];"
        "return;}if(/^[0-9.]+ ?[KMG]?B$/.test(v)){var z=size(v);if(z!==v){n.nodeValue=z;}}}"
        "function words(r){if(r.nodeType===3){say(r);return;}if(r.nodeType!==1){return;}"
        "var k=document.createTreeWalker(r,NodeFilter.SHOW_TEXT),n;"
        "while((n=k.nextNode())){say(n);}}"
        # each looked for in what a change added or altered, not in the whole page again
        # (the whole page the first time)
        "function all(rs){if(!rs){fixIn(document.body);words(document.body);return;}"
        "rs.forEach(function(r){if(r.type==='characterData'){say(r.target);}"
        "else if(r.type==='attributes'){fix(r.target);}"
        "else{r.addedNodes.forEach(function(n){fixIn(n);words(n);});}});}"
        "all();if(window.__malbildSlider){window.__malbildSlider.disconnect();}"
        "window.__malbildSlider=new MutationObserver(all);"
        "window.__malbildSlider.observe(document.body,{subtree:true,childList:true,"
        "characterData:true,attributes:true,attributeFilter:['aria-label','placeholder']});})();"
        "</script>",
        unsafe_allow_javascript=True,
    )


def _as_of_notice(lang: str) -> None:
    """While the session looks at an earlier version: say so on every page, and the way
    back. Nothing can be changed meanwhile (the editors show only on the live dataset)."""
    version = data.as_of()
    if version is None:
        return
    st.sidebar.warning(
        t("history.as_of", lang, version=safe.md(version)), icon=":material/history:"
    )
    st.sidebar.button(
        t("history.as_of.back", lang), on_click=data.show_version, args=(None,), key="as_of_back"
    )


def current_view() -> View:
    """The View `start()` made in this run, for page files run by st.navigation."""
    return st.session_state[K_VIEW]


def run_page(render: Callable[[View], None]) -> None:
    """Run a page module's `render` with the current view, guarded against errors."""
    from dashboard.app import editform

    view = current_view()
    # this run draws the page again after a step said busy (`flash` shows that, once)
    after_busy = isinstance(st.session_state.get(editform.FLASH), editform.Busy)
    editform.flash()
    try:
        guarded(render, view, reraise=(DatasetError, CommitConflict))()
    except DatasetError as exc:
        dataset_error(exc, view.lang)
    except CommitConflict:  # other writes kept coming first (a step, an undo, an import)
        if after_busy:  # the run drawn to say so met it again: said here, not drawn again
            st.warning(view.t("edit.busy_step"), icon=":material/sync_problem:")
            return
        # said above the page drawn again from what is stored (nothing of the step was
        # written), not under a page that shows the state the person acted on
        editform.say_next(editform.Busy(view.md("edit.busy_step")))
        st.rerun()


def page(spec: Page, view: View) -> st.Page:
    """A navigation entry for a page of the registry (`dashboard.app.pages.PAGES`)."""
    return st.Page(
        str(PAGES_DIR / f"{spec.name}.py"),
        title=view.t(spec.title_key),
        icon=spec.icon,
        url_path=spec.name,
        default=spec.default,
    )
