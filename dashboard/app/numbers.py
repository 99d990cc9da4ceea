"""The one reader of the numbers people type: a text field per number, read with the
language's decimal mark, refused (with the field named) rather than guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard.i18n import t
from dashboard.model.safe import md


@dataclass
class NumberField:
    """A number a person types in a form, as their language writes it ("7,5" in Swedish),
    read by the one reader of typed numbers (`checks.read_typed`) when the form is sent.
    Streamlit's number_input is not used: a browser drops a decimal comma it does not
    expect (7,5 became 75)."""

    label: str
    text: str
    slot: Any  # where the field's problem is shown, right under it
    whole: bool = False

    def read(self, lang: str) -> tuple[float | int | None, str | None]:
        """(the value, None), or (None, the problem in *lang*) shown at the field."""
        from dashboard.imports.checks import CellError, read_typed
        from dashboard.model.problems import Problem

        try:
            return read_typed(self.text, decimal_mark(lang), self.whole), None
        except CellError as exc:
            problem = Problem.of("-", 0, self.label, exc.key, **exc.values).text(lang)
            # the label may be an indicator's name and the problem quotes what was typed:
            # both written as text, never as Markdown
            self.slot.error(f"{md(self.label)}: {md(problem)}", icon=":material/error:")
            return None, problem


def decimal_mark(lang: str) -> str:
    """The decimal mark of *lang* as Babel has it ("," in Swedish and Danish)."""
    from dashboard.i18n import decimal_symbol

    return decimal_symbol(lang)


def number_field(
    place: Any, label: str, value: object, lang: str, key: str | None = None, whole: bool = False
) -> NumberField:
    """A text field for a number, shown as *lang* writes it, with a place for its problem."""
    from dashboard.i18n import fmt_typed

    text = place.text_input(label, fmt_typed(value, lang), key=key)
    return NumberField(label, text, place.empty(), whole)


def read_numbers(fields: Mapping[str, NumberField], lang: str) -> dict[str, Any] | None:
    """Every field's value, or None (and each problem shown at its field) when any is
    not a number as *lang* writes numbers: then nothing is saved."""
    values, bad = {}, False
    for name, f in fields.items():
        values[name], problem = f.read(lang)
        bad = bad or problem is not None
    if bad:
        st.error(t("edit.fix_fields", lang), icon=":material/error:")
        return None
    return values
