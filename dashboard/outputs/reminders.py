"""The yearly round's weekly reminders: one digest e-mail per person, sent by a command.

`python -m dashboard remind`, run by a scheduler (deploy/malbild-remind.timer, or cron),
writes to every person the access file names by e-mail address:

- a reporter, for each open round of their organisation: each part they report that is
  not ready (open or returned), what it still lacks row by row (at most MISSING_LISTED),
  the coordinator's comment of a returned part, the deadline and a link to the Round page;
- a coordinator: the round's progress: each part's state and counts, what waits for
  their approval, the goals not yet assessed, the parts late.

Nothing is sent to whom nothing is asked, nor for a closed round. A grant by claim (an
Entra ID group) names no address: it gets no mail, and the command says how many such
grants it passed over. Each mail holds only the parts its reader may report or runs
(`model.rounds`): the same rule as the page. Plain text, in the organisation's language
(Sweden Swedish, Denmark Danish, else English; DASHBOARD_MAIL_LANGUAGE overrides), dates
as that language writes them. Sent through the municipality's SMTP server (the settings
in `Smtp.from_env`) with the standard library's smtplib.
"""

from __future__ import annotations

import os
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd

from dashboard import settings
from dashboard.i18n import LANGS, fmt_date, fmt_int, t
from dashboard.model import codes, rounds
from dashboard.model.access import Grant, Person, Policy
from dashboard.model.filters import Filters
from dashboard.sql.queries import params_for
from dashboard.storage import Database, stamp

MISSING_LISTED = 10  # rows listed per part; the rest are counted
LANG_OF_COUNTRY = {"SE": "sv", "DK": "da"}


@dataclass(frozen=True)
class Mail:
    """One digest: to whom, in which language, its subject and its text."""

    to: str
    lang: str
    subject: str
    body: str


@dataclass(frozen=True)
class Smtp:
    """How to reach the SMTP server: DASHBOARD_SMTP_HOST (required to send),
    DASHBOARD_SMTP_PORT (25), DASHBOARD_SMTP_USER with DASHBOARD_SMTP_PASSWORD_FILE (a
    file, so the password is never in the environment of every process) or
    DASHBOARD_SMTP_PASSWORD, DASHBOARD_SMTP_STARTTLS ("true": upgrade the connection),
    DASHBOARD_MAIL_FROM (the sender's address)."""

    host: str
    port: int = 25
    user: str = ""
    password: str = field(default="", repr=False)
    starttls: bool = False
    sender: str = "malbild@localhost"

    @classmethod
    def from_env(cls) -> Smtp | None:
        """The settings, or None when no SMTP host is set."""
        host = os.environ.get("DASHBOARD_SMTP_HOST", "").strip()
        if not host:
            return None
        secret = os.environ.get("DASHBOARD_SMTP_PASSWORD_FILE", "").strip()
        password = (
            Path(secret).read_text(encoding="utf-8").strip()
            if secret
            else os.environ.get("DASHBOARD_SMTP_PASSWORD", "")
        )
        return cls(
            host=host,
            port=settings.whole("DASHBOARD_SMTP_PORT", 25, most=65535),
            user=os.environ.get("DASHBOARD_SMTP_USER", "").strip(),
            password=password,
            starttls=settings.flag("DASHBOARD_SMTP_STARTTLS"),
            sender=os.environ.get("DASHBOARD_MAIL_FROM", "").strip() or cls.sender,
        )


def _one_line(text: object) -> str:
    """A header's text on one line (a name from the data never starts a header of its own)."""
    return " ".join(str(text).split())


def people(policy: Policy) -> list[Person]:
    """Every person the access file names by e-mail address, with all of their grants."""
    by_mail: dict[str, list[Grant]] = {}
    for g in policy.grants:
        if g.email:
            by_mail.setdefault(g.email.strip().lower(), []).append(g)
    return [Person("", mail, tuple(grants), False) for mail, grants in sorted(by_mail.items())]


def unaddressed(policy: Policy) -> int:
    """Grants by claim: they name no address, so nobody of them gets a reminder."""
    return sum(1 for g in policy.grants if not g.email)


@dataclass(frozen=True)
class _Round:
    org: str
    name: str
    country: str
    year: int
    due: date
    parts: pd.DataFrame
    missing: pd.DataFrame
    goals: int
    assessed: int
    unassessed: str


def _rounds(out: Path) -> list[_Round]:
    """Every open round with its parts, what they lack and its goals, from the newest
    snapshot (the server reads every organisation; each mail is narrowed to its reader)."""
    db = Database(out, snapshot=stamp(out))
    try:
        every = db.df("rounds", params_for("rounds", Filters()))
        orgs = db.df("organisations", {})
        names = {str(o): (str(n), str(c)) for o, n, c in orgs[["org_id", "name", "country"]].values}
        found = []
        for year in sorted({int(y) for y in every.loc[every["state"] == "open", "year"]}):
            p = params_for("round_parts", Filters(), year=year)
            parts = db.df("round_parts", p)
            missing = db.df("round_missing", params_for("round_missing", Filters(), year=year))
            goals = db.df("round_goals", params_for("round_goals", Filters(), year=year))
            for r in every.loc[(every["year"] == year) & (every["state"] == "open")].itertuples():
                g = goals.loc[goals["org_id"] == r.org_id]
                name, country = names.get(str(r.org_id), (str(r.org_id), ""))
                found.append(
                    _Round(
                        str(r.org_id),
                        name,
                        country,
                        year,
                        pd.Timestamp(r.due).date(),
                        parts.loc[parts["org_id"] == r.org_id].reset_index(drop=True),
                        missing.loc[missing["org_id"] == r.org_id].reset_index(drop=True),
                        int(g["goals"].iloc[0]) if not g.empty else 0,
                        int(g["assessed"].iloc[0]) if not g.empty else 0,
                        str(g["unassessed"].iloc[0] or "") if not g.empty else "",
                    )
                )
    finally:
        db.close()
    return found


def _lang(r: _Round) -> str:
    """The language of *r*'s mails: DASHBOARD_MAIL_LANGUAGE, else the organisation's."""
    forced = settings.choice("DASHBOARD_MAIL_LANGUAGE", tuple(LANGS))
    return forced or LANG_OF_COUNTRY.get(r.country, "en")


def _part(part: str, lang: str) -> str:
    return t("round.part.indicators", lang) if part == rounds.INDICATORS else part


def _link(base_url: str, org: str, year: int, lang: str) -> str:
    query = urlencode({"org": org, "round": year, "lang": lang})
    return f"{base_url.rstrip('/')}/round?{query}"


def _reporter_text(r: _Round, parts: pd.DataFrame, lang: str, today: date, url: str) -> str:
    lines = [
        t("mail.hello", lang),
        "",
        t(
            "mail.reporter.intro",
            lang,
            org=r.name,
            year=str(r.year),
            due=fmt_date(r.due, lang),
        ),
    ]
    if today > r.due:
        lines.append(t("mail.late", lang, due=fmt_date(r.due, lang)))
    for p in parts.itertuples():
        state = rounds.shown_state(str(p.state), int(p.filled), int(p.entered))
        lines += [
            "",
            t(
                "mail.part",
                lang,
                part=_part(str(p.part), lang),
                state=codes.label("round_state", state, lang),
                filled=fmt_int(int(p.filled), lang),
                expected=fmt_int(int(p.expected), lang),
            ),
        ]
        if p.state == "returned" and p.comment:
            lines.append("  " + t("mail.returned", lang, comment=_one_line(p.comment)))
        lacks = r.missing.loc[r.missing["part"] == p.part]
        if len(lacks):
            lines.append("  " + t("mail.missing", lang, n=fmt_int(len(lacks), lang)))
            for m in lacks.head(MISSING_LISTED).itertuples():
                lines.append(f"   - {_one_line(m.title)} ({t(f'round.missing.{m.kind}', lang)})")
            if len(lacks) > MISSING_LISTED:
                more = fmt_int(len(lacks) - MISSING_LISTED, lang)
                lines.append("   " + t("mail.more", lang, n=more))
    lines += [
        "",
        t("mail.link", lang, link=_link(url, r.org, r.year, lang)),
        "",
        t("mail.footer", lang),
    ]
    return "\n".join(lines)


def _coordinator_text(r: _Round, lang: str, today: date, url: str) -> str:
    lines = [
        t("mail.hello", lang),
        "",
        t("mail.coordinator.intro", lang, org=r.name, year=str(r.year), due=fmt_date(r.due, lang)),
        "",
    ]
    waiting = 0
    late = []
    for p in r.parts.itertuples():
        state = rounds.shown_state(str(p.state), int(p.filled), int(p.entered))
        waiting += state == "ready"
        if state not in ("ready", "approved") and today > r.due:
            late.append(_part(str(p.part), lang))
        lines.append(
            "- "
            + t(
                "mail.part",
                lang,
                part=_part(str(p.part), lang),
                state=codes.label("round_state", state, lang),
                filled=fmt_int(int(p.filled), lang),
                expected=fmt_int(int(p.expected), lang),
            )
        )
    lines += ["", t("mail.coordinator.waiting", lang, n=fmt_int(waiting, lang))]
    lines.append(
        t(
            "mail.coordinator.goals",
            lang,
            assessed=fmt_int(r.assessed, lang),
            goals=fmt_int(r.goals, lang),
        )
        + (f" ({r.unassessed})" if r.unassessed else "")
    )
    if late:
        lines.append(t("mail.coordinator.late", lang, parts=", ".join(late)))
    lines += [
        "",
        t("mail.link", lang, link=_link(url, r.org, r.year, lang)),
        "",
        t("mail.footer", lang),
    ]
    return "\n".join(lines)


def digests(out: Path, policy: Policy, today: date, base_url: str) -> list[Mail]:
    """The reminders due: one mail per person and open round that asks something of them
    (a reporter's parts not ready) or that they run (a coordinator's progress)."""
    found = _rounds(out)
    mails = []
    for person in people(policy):
        for r in found:
            lang = _lang(r)
            if rounds.may_run(person, r.org):
                subject = t("mail.coordinator.subject", lang, org=r.name, year=str(r.year))
                body = _coordinator_text(r, lang, today, base_url)
                mails.append(Mail(person.email, lang, _one_line(subject), body))
                continue
            mine = r.parts.loc[
                [
                    rounds.may_report(person, r.org, str(p)) and s in ("open", "returned")
                    for p, s in zip(r.parts["part"], r.parts["state"], strict=True)
                ]
            ]
            if mine.empty:
                continue
            subject = t(
                "mail.reporter.subject",
                lang,
                org=r.name,
                year=str(r.year),
                due=fmt_date(r.due, lang),
            )
            body = _reporter_text(r, mine, lang, today, base_url)
            mails.append(Mail(person.email, lang, _one_line(subject), body))
    return mails


class SendFailed(Exception):
    """The SMTP server could not be reached or refused a mail: how many went before."""

    def __init__(self, sent: int, cause: BaseException) -> None:
        super().__init__(str(cause) or cause.__class__.__name__)
        self.sent = sent


def send(mails: Iterable[Mail], smtp: Smtp) -> int:
    """Send *mails* over one connection to the SMTP server; how many were sent. An error
    of the server stops the run (the scheduler runs it again next week, or now by hand)
    and is raised as `SendFailed`, saying how many were sent before it."""
    sent = 0
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as server:
            if smtp.starttls:
                server.starttls()
            if smtp.user:
                server.login(smtp.user, smtp.password)
            for mail in mails:
                msg = EmailMessage()
                msg["From"] = smtp.sender
                msg["To"] = mail.to
                msg["Subject"] = mail.subject
                msg["Content-Language"] = mail.lang
                msg.set_content(mail.body)
                server.send_message(msg)
                sent += 1
    except (OSError, smtplib.SMTPException) as exc:  # SMTPException is an OSError too
        raise SendFailed(sent, exc) from exc
    return sent
