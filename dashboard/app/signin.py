"""Sign-in: Streamlit's own `st.login` (OpenID Connect), the signed-in person's roles from
the access file (`model.access`), and who is signed in, shown in the sidebar.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard.app import data
from dashboard.app.sidebar import K_LANG
from dashboard.app.ui import log
from dashboard.i18n import LANGS, pick_language, t
from dashboard.model import access, safe
from dashboard.model.access import Person, Scope


def sign_in_configured() -> bool:
    """Whether `.streamlit/secrets.toml` configures sign-in (an [auth] section)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def user_claims() -> dict[str, Any] | None:
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


def show_signed_in(person: Person, lang: str, names: dict[str, str]) -> None:
    """Who is signed in, with which roles, and the way out."""
    roles = ", ".join(
        t("auth.role." + g.role, lang)
        + f" ({t('auth.every_org', lang) if g.org == access.ALL else names.get(g.org, g.org)})"
        for g in person.grants
    ) or t("auth.role.viewer", lang)
    st.sidebar.caption(t("auth.signed_in", lang, who=safe.md(person.label), roles=safe.md(roles)))
    st.sidebar.button(t("auth.logout", lang), on_click=st.logout, key="logout")
