"""Who may read and change what: roles per organisation from an access file.

Sign-in itself is Streamlit's (`st.login`, OpenID Connect through Authlib, configured in
`.streamlit/secrets.toml`); this module only turns the signed-in user's claims into roles.
The access file (TOML) is named by the setting DASHBOARD_ACCESS_FILE:

    read = "all"              # everyone signed in reads every organisation (the default);
                              # "own": each user reads only the organisations granted below
    verified_claim = "email_verified"   # the claim that vouches for the e-mail (see below)

    [[grant]]                 # one grant per block; a user may match several
    email = "anna.andersson@gotland.se"
    org = "gotland"           # an organisation's id, or "*" for every organisation
    role = "coordinator"      # viewer | reporter | coordinator | admin

    [[grant]]                 # match a claim instead: Entra ID app roles or groups
    claim = "roles"
    value = "Malbild.Reporter.Gavle"
    org = "gavle"
    role = "reporter"
    department = "Kultur och fritid"   # optional: a reporter of one department only

An e-mail grant matches only an address the provider says it has verified: the claim
named by `verified_claim` (default "email_verified", as OpenID Connect names it) must be
true. Microsoft Entra ID sends no email_verified; give its optional claim "xms_edov"
(email domain owner verified) in the app registration's token configuration and write
`verified_claim = "xms_edov"`, or grant by claim (app roles, groups) instead.

Roles, each including the one before: viewer reads; reporter adds and corrects the
activities of the organisation (of the department, when one is named) and its yearly
indicator values; coordinator changes everything of the organisation (strategies, goals,
networks and memberships, projects, indicators, assessments) and restores earlier
versions; admin is a coordinator of every organisation ("*" is implied) and may replace
the whole dataset. A user no grant matches reads everything when read = "all", nothing
when read = "own", and changes nothing. Every write is checked against these rules on the
server at the moment of the write (`Person.may`), never only by hiding a button.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from dashboard.model.filters import Filters

ACCESS_SETTING = "DASHBOARD_ACCESS_FILE"
ROLES = ("viewer", "reporter", "coordinator", "admin")
ALL = "*"

# What each role may do, by action.
ACTIONS = {
    "read": "viewer",
    "edit_activities": "reporter",
    "edit_values": "reporter",
    "edit_organisation": "coordinator",
    "undo": "coordinator",  # undo one change of the organisation's rows
    "restore": "admin",  # the whole dataset back to an earlier version
    "replace_dataset": "admin",
}
VERIFIED_CLAIM = "email_verified"


class AccessFileError(ValueError):
    """The access file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Grant:
    org: str
    role: str
    department: str | None = None
    email: str | None = None
    claim: str | None = None
    value: str | None = None

    def matches(self, claims: Mapping[str, object], verified_claim: str = VERIFIED_CLAIM) -> bool:
        """Whether the signed-in user's *claims* are this grant's. An e-mail counts only
        when the provider vouches for it (*verified_claim* true): anyone can type an
        address into a provider that lets users register themselves."""
        if self.email is not None:
            if not _true(claims.get(verified_claim)):
                return False
            return str(claims.get("email", "")).strip().lower() == self.email.strip().lower()
        got = claims.get(self.claim or "")
        values = got if isinstance(got, list | tuple) else [got]
        return self.value in [str(v) for v in values if v is not None]


def _true(value: object) -> bool:
    """A claim's truth as providers send it: a JSON true, or the text "true"."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


@dataclass(frozen=True)
class Policy:
    read: str = "all"  # all | own
    grants: tuple[Grant, ...] = ()
    verified_claim: str = VERIFIED_CLAIM


def load(path: Path) -> Policy:
    """Read and check an access file; AccessFileError names the block and the problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AccessFileError(f"{path}: {exc}") from exc
    read = data.get("read", "all")
    if read not in ("all", "own"):
        raise AccessFileError(f"{path}: read must be 'all' or 'own', not {read!r}")
    grants = []
    for i, g in enumerate(data.get("grant", []), start=1):
        where = f"{path}: grant {i}"
        role = g.get("role")
        if role not in ROLES:
            raise AccessFileError(f"{where}: role must be one of {', '.join(ROLES)}")
        if not g.get("org"):
            raise AccessFileError(f"{where}: org is missing (an organisation id or '*')")
        if ("email" in g) == ("claim" in g):
            raise AccessFileError(f"{where}: give either email or claim and value")
        if "claim" in g and not g.get("value"):
            raise AccessFileError(f"{where}: a claim needs its value")
        grants.append(
            Grant(
                org=str(g["org"]),
                role=role,
                department=g.get("department"),
                email=g.get("email"),
                claim=g.get("claim"),
                value=None if g.get("value") is None else str(g["value"]),
            )
        )
    verified = data.get("verified_claim", VERIFIED_CLAIM)
    if not isinstance(verified, str) or not verified.strip():
        raise AccessFileError(f"{path}: verified_claim must name a claim (email_verified)")
    return Policy(read, tuple(grants), verified.strip())


def policy() -> Policy:
    """The policy of the access file the setting names (none: everyone a viewer of all)."""
    path = os.environ.get(ACCESS_SETTING, "").strip()
    return load(Path(path)) if path else Policy()


def _rank(role: str) -> int:
    return ROLES.index(role)


@dataclass(frozen=True)
class Person:
    """A signed-in user and what the access file grants them."""

    name: str
    email: str
    grants: tuple[Grant, ...]
    read_all: bool

    def role(self, org: str) -> str | None:
        """The highest role on *org* (an admin's on every organisation)."""
        roles = [g.role for g in self.grants if g.org in (org, ALL) or g.role == "admin"]
        if not roles:
            return "viewer" if self.read_all else None
        return max(roles, key=_rank)

    def readable(self, orgs: Iterable[str]) -> tuple[str, ...]:
        """The organisations of *orgs* this person may read."""
        return tuple(o for o in orgs if self.role(o) is not None)

    def may(self, action: str, org: str, department: str | None = None) -> bool:
        """Whether this person may do *action* on *org* (and, for a reporter limited to a
        department, on a row of *department*). Checked at the moment of every write."""
        need = ACTIONS[action]
        for g in self.grants:
            if not (g.org in (org, ALL) or g.role == "admin"):
                continue
            if _rank(g.role) < _rank(need):
                continue
            if g.role == "reporter" and g.department and department != g.department:
                continue
            return True
        return need == "viewer" and self.read_all

    @property
    def label(self) -> str:
        return self.name or self.email

    @property
    def author(self) -> str:
        """How a change records this person: "Name <address>", as e-mail and git write an
        author. The address identifies them (the access file grants to it; two people may
        share a name) and the name is what the History and Round pages show (names, not
        ids). Angle brackets and line breaks in the provider's name are dropped, so the
        record reads back as written."""
        name = " ".join(re.sub(r"[<>]", " ", self.name).split())
        if name and self.email:
            return f"{name} <{self.email}>"
        return self.email or self.name

    def wrote(self, who: str) -> bool:
        """Whether the record's *who* names this person: their address (before names were
        recorded with it, only the address was) or, without one, their name."""
        if self.email:
            return author_email(who).lower() == self.email.strip().lower()
        return bool(who) and who == self.author


_AUTHOR = re.compile(r"^(?P<name>[^<>]*?)\s*<(?P<email>[^<>]*)>$")


def author_name(who: str) -> str:
    """The name a record's *who* shows ("Karin Samordnare" of "Karin Samordnare
    <ka@exempelby.se>"); *who* itself when it holds no name (an address, the command
    line's user)."""
    found = _AUTHOR.match(who.strip())
    return (found["name"] or found["email"]) if found else who


def author_key(who: str) -> str:
    """Who a record's *who* is, as one key for the same person written either way (an
    address alone, as before names were recorded, or a name and an address)."""
    return author_email(who).lower() or who


def author_email(who: str) -> str:
    """The address in a record's *who* ("" when it holds none)."""
    found = _AUTHOR.match(who.strip())
    if found:
        return found["email"]
    return who.strip() if "@" in who else ""


def person(policy: Policy, claims: Mapping[str, object]) -> Person:
    """The person the identity provider's *claims* describe, with their grants."""
    grants = tuple(g for g in policy.grants if g.matches(claims, policy.verified_claim))
    return Person(
        name=str(claims.get("name") or ""),
        email=str(claims.get("email") or ""),
        grants=grants,
        read_all=policy.read == "all",
    )


class ScopeMissing(RuntimeError):
    """A read of the dataset that was not handed the reader's scope. Reads never default
    to "everything": code that forgets the scope fails here, loudly, instead of leaking."""


@dataclass(frozen=True)
class Scope:
    """The organisations a reader may read: `Scope.everything()` or `Scope.only(...)`.

    Every read of the dataset takes one (`dashboard.app.data`, the History, the workbook
    export, the upload check); there is no default, and no `None` that means "all". Small
    and hashable: it is part of every cache key."""

    orgs: frozenset[str] | None  # None: every organisation

    @classmethod
    def everything(cls) -> Scope:
        """Every organisation: no sign-in configured, an administrator, `read = "all"`,
        or the server's own command line."""
        return cls(None)

    @classmethod
    def only(cls, orgs: Iterable[str]) -> Scope:
        """Just these organisations (none: a scope that reads nothing)."""
        return cls(frozenset(orgs))

    @property
    def limited(self) -> bool:
        return self.orgs is not None

    def allows(self, org: object) -> bool:
        """Whether rows of *org* may be read."""
        return self.orgs is None or org in self.orgs

    def narrow(self, orgs: Iterable[str]) -> tuple[str, ...]:
        """The organisations of *orgs* that may be read, in their order."""
        return tuple(o for o in orgs if self.allows(o))

    def covering(self, filters: Filters) -> Filters:
        """*filters* narrowed to what may be read: no organisation chosen means every
        readable one, and an organisation outside the scope (a crafted link) reads nothing
        (`NOTHING`). The one rule for what a read, and so a file's name, covers: a Gävle
        reporter's "all organisations" is Gävle."""
        if self.orgs is None:
            return filters
        orgs = self.narrow(filters.orgs) if filters.orgs else tuple(sorted(self.orgs))
        return Filters(orgs or (NOTHING,), filters.year_from, filters.year_to, filters.goals)


NOTHING = "\x00"  # an organisation id no dataset has: a selection that reads no row


def scope_of(person: Person, orgs: Iterable[str]) -> Scope:
    """What *person* may read of the dataset's organisations *orgs*."""
    orgs = list(orgs)
    readable = person.readable(orgs)
    return Scope.everything() if len(readable) == len(orgs) else Scope.only(readable)
