"""Accessibility statement (tillgänglighetsredogörelse), following DIGG's model: how
accessible the service is, the known gaps and why, how to report a fault, and who enforces
the law. The body that runs the dashboard and its address for faults are settings."""

from __future__ import annotations

import os
import re

import streamlit as st

from dashboard.model import safe
from dashboard.model.view import View

ORG_SETTING = "DASHBOARD_A11Y_ORG"  # the body that publishes the service
CONTACT_SETTING = "DASHBOARD_A11Y_CONTACT"  # an e-mail address or an https address
STATEMENT_DATE = "2026-12-01"  # when the service was last checked (README: Accessibility)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_URL = re.compile(r"https://[A-Za-z0-9._~:/?#@!$&'*+,;=%-]+")


def contact_link(value: str) -> str | None:
    """The fault-report address as a Markdown link, or None when the setting is no e-mail
    address and no https address (then the page says none is set)."""
    value = value.strip()
    if _EMAIL.fullmatch(value):
        return safe.Markdown(f"[{safe.md(value)}](mailto:{value})")
    if _URL.fullmatch(value):
        return safe.Markdown(f"[{safe.md(value)}]({value})")
    return None


def render(view: View) -> None:
    """Draw the accessibility statement in the interface language."""
    org = os.environ.get(ORG_SETTING, "").strip() or view.t("a11y.org.default")
    st.title(view.t("a11y.title"))
    st.markdown(view.md("a11y.intro", org=org))
    for section in ("how", "gaps", "report", "enforcement", "technical", "method"):
        st.header(view.t(f"a11y.{section}"))
        if section == "report":
            link = contact_link(os.environ.get(CONTACT_SETTING, ""))
            st.markdown(
                view.md("a11y.report.text", contact=link) if link else view.t("a11y.report.unset")
            )
        else:
            st.markdown(view.md(f"a11y.{section}.text", date=STATEMENT_DATE))


if __name__ == "__main__":  # run as a page by st.navigation
    from dashboard.app.shell import run_page

    run_page(render)
