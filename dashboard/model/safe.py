"""Text from a link or from the data, made inert where Streamlit or Plotly would read markup.

Streamlit reads Markdown in `st.markdown`, captions, alerts, metric labels and widget labels
(links, images, `:red[...]` colours, `$...$` formulas, headings); Plotly reads a little HTML
in every label and hover text (`<a href>`, `<span style>`, `<b>`). A goal code, a name or a
value from the URL must show as the characters it is, so:

- `md(text)` puts a backslash before every character Markdown, Streamlit's directives or
  LaTeX give a meaning to (CommonMark lets any ASCII punctuation be escaped so), and an
  invisible word joiner into `https:`, `www.` and `@`, which GFM would otherwise turn
  into links even when escaped;
- `html(text)` writes `&`, `<` and `>` as entities, which Plotly shows as the characters;
  a newline becomes Plotly's line break, so builders write line breaks as "\\n", never as
  markup, and data can never add any;
- `figure(fig)` applies `html` to every text a figure shows from its data (axis
  categories, labels, ids, hover texts, custom data, legend names, tick texts, the
  annotations that title a figure's panels: an indicator's name, an organisation's): the one
  guard every chart passes through (`chart_panel.chart_with_table`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import plotly.graph_objects as go

_MD = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:=^&\"'@%])")
_TRACE_TEXT = ("x", "y", "text", "hovertext", "labels", "parents", "ids", "customdata", "name")


_WORD_JOINER = "\u2060"  # invisible; keeps GFM from turning "https://..." into a link


class Markdown(str):
    """Markdown the app wrote itself from escaped parts (the fault-report address as a
    link, a translation by `View.md` with its values escaped): `md` leaves it as it is, so
    `View.md` can take it beside values from the data."""

    __slots__ = ()


def md(value: object) -> str:
    """*value* as literal text inside Markdown (no link, image, colour, formula, heading,
    and no bare address turned into a link); `Markdown` the app wrote stays as it is."""
    if isinstance(value, Markdown):
        return str(value)
    text = str(value).replace("\r", " ").replace("\n", " ")
    text = re.sub(r"(?i)(https?|ftp|mailto)(:)", r"\1" + _WORD_JOINER + r"\2", text)
    text = re.sub(r"(?i)\b(www)(\.)", r"\1" + _WORD_JOINER + r"\2", text)
    text = re.sub(r"@", _WORD_JOINER + "@", text)  # e-mail addresses are autolinked too
    return _MD.sub(r"\\\1", text)


def html(value: object) -> object:
    """A string as literal text in a Plotly label; other values as they are."""
    if not isinstance(value, str):
        return value
    text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\n", "<br>")


def _deep(value: object) -> object:
    if isinstance(value, str):
        return html(value)
    if isinstance(value, list | tuple):
        return type(value)(_deep(v) for v in value)
    if hasattr(value, "tolist") and not isinstance(value, str):  # numpy arrays
        return _deep(value.tolist())
    return value


def figure(fig: go.Figure) -> go.Figure:
    """*fig* with every data text escaped for Plotly (in place; returned for chaining)."""
    for trace in fig.data:
        for attr in _TRACE_TEXT:
            if attr not in trace:
                continue
            value = trace[attr]
            if value is None or (attr in ("x", "y") and not _has_text(value)):
                continue
            trace[attr] = _deep(value)
    for note in fig.layout.annotations:  # the panels' titles of a figure of subplots
        if isinstance(note.text, str):
            note.text = html(note.text)
    for axis in _axes(fig):
        if axis.ticktext is not None:
            axis.ticktext = _deep(axis.ticktext)
        if axis.categoryarray is not None:
            axis.categoryarray = _deep(axis.categoryarray)
    return fig


def _has_text(values: Any) -> bool:
    """Whether *values* hold a string, at any depth: a multicategory axis's values are a
    list of lists (organisation, goal), whose labels were once drawn as markup."""
    if isinstance(values, str):
        return True
    if hasattr(values, "tolist"):
        values = values.tolist()
    try:
        return any(_has_text(v) for v in values if isinstance(v, str | list | tuple))
    except TypeError:
        return False


def _axes(fig: go.Figure) -> Iterable:
    layout = fig.layout
    for name in dir(layout):
        if re.fullmatch(r"[xy]axis\d*", name):
            axis = getattr(layout, name, None)
            if axis is not None:
                yield axis
