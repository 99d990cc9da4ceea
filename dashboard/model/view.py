"""The one value every page receives: the reader's language, filters, names and scope."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from dashboard.i18n import fmt_int, t, tn
from dashboard.model import safe
from dashboard.model.access import Person, Scope, ScopeMissing
from dashboard.model.filters import Filters


@dataclass(frozen=True)
class View:
    """What every page receives: the interface language and the filters."""

    lang: str
    filters: Filters
    orgs: Mapping[str, str] = field(default_factory=dict, compare=False)  # id -> name
    person: Person | None = field(default=None, compare=False)  # None: no sign-in configured
    # what the reader may read: handed to every read made outside the run (a download's
    # callable); None (never set) makes such a read fail with ScopeMissing
    scope: Scope | None = field(default=None, compare=False)

    @property
    def reader(self) -> Scope:
        """What the reader may read, for reads made outside the run (a download's callable
        runs on its own thread). ScopeMissing when the shell did not set it."""
        if not isinstance(self.scope, Scope):
            raise ScopeMissing("this view carries no reader's scope")
        return self.scope

    def t(self, key: str, **values: object) -> str:
        """Translate *key* into the view's language."""
        return t(key, self.lang, **values)

    def tn(self, key: str, count: int, **values: object) -> str:
        """*key* for *count* things in the view's language (`i18n.tn`: "1 varning"), its
        `{n}` the count as the language writes it ("1 250") unless given."""
        values.setdefault("n", fmt_int(count, self.lang))
        return tn(key, count, self.lang, **values)

    def md(self, key: str, **values: object) -> safe.Markdown:
        """Translate *key* for a Markdown context (markdown, captions, alerts, metric
        labels): the values, which may come from the data or a link, are escaped. The
        result is `safe.Markdown`: what keeps a text for later (a warning waiting for its
        confirmation) asks for that type, so mypy refuses one made with `t`."""
        return safe.Markdown(t(key, self.lang, **{k: safe.md(v) for k, v in values.items()}))

    def mdn(self, key: str, count: int, **values: object) -> safe.Markdown:
        """`md` for *count* things (`tn`: "for goal 3", "for goals 3; 5")."""
        return safe.Markdown(
            tn(key, count, self.lang, **{k: safe.md(v) for k, v in values.items()})
        )
