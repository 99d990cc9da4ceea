"""The charts' one look: the Okabe-Ito palette (distinguishable with the common kinds of
colour blindness), contrast to WCAG 1.4.3 and 1.4.11, the template, the layout every
figure shares, and small helpers the figure builders share."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.model import safe, tables

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
SERVED = OKABE_ITO[0]
GAP = OKABE_ITO[3]


# ------------------------------------------------------------ contrast (WCAG 1.4.3, 1.4.11)

OUTLINE = "#333333"  # 12.6:1 on white: the edge that makes a light mark visible
GRAPHIC_CONTRAST = 3.0  # WCAG 1.4.11, non-text contrast
TEXT_CONTRAST = 4.5  # WCAG 1.4.3


def _rgb(colour: str) -> tuple[float, float, float] | None:
    c = colour.strip().lstrip("#")
    if len(c) == 3:
        c = "".join(ch * 2 for ch in c)
    if len(c) != 6 or not all(ch in "0123456789abcdefABCDEF" for ch in c):
        return None
    return tuple(int(c[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def luminance(colour: str) -> float | None:
    """Relative luminance of a #RRGGBB colour, as WCAG defines it (None: not such a colour)."""
    rgb = _rgb(colour)
    if rgb is None:
        return None
    lin = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str = "#FFFFFF") -> float | None:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = luminance(a), luminance(b)
    if la is None or lb is None:
        return None
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def darker(colour: str, ratio: float = GRAPHIC_CONTRAST) -> str:
    """The same hue darkened until it has *ratio* against white (a light colour drawn as a
    line or an open symbol, which no outline can help)."""
    rgb = _rgb(colour)
    if rgb is None or (contrast(colour) or 21) >= ratio:
        return colour
    for step in range(1, 21):
        f = 1 - step * 0.05
        out = "#" + "".join(f"{round(v * f * 255):02X}" for v in rgb)
        if (contrast(out) or 0) >= ratio:
            return out
    return OUTLINE


def light(colour: object) -> bool:
    return isinstance(colour, str) and (contrast(colour) or 21) < GRAPHIC_CONTRAST


def accessible_marks(fig: go.Figure) -> go.Figure:
    """Every mark visible against the white background (WCAG 1.4.11, 3:1): a light filled
    marker or bar gets a dark outline, a light line or open symbol is drawn in a darker
    shade of its hue, and text on a coloured tile is black or white, whichever reads (4.5:1).
    Applied to every chart by `chart_panel.chart_with_table`, like `safe.figure`."""
    for tr in fig.data:
        kind = tr.type
        line = getattr(tr, "line", None)
        if kind == "scatter" and line is not None and light(line.color):
            tr.line.color = darker(str(line.color))
        marker = getattr(tr, "marker", None)
        if marker is None:
            continue
        if kind in ("treemap", "sunburst"):
            tiles = list(marker.colors) if marker.colors is not None else []
            if tiles and all(isinstance(c, str) for c in tiles):
                tr.insidetextfont = {
                    "color": [
                        "#000000" if (contrast(c, "#000000") or 0) >= TEXT_CONTRAST else "#FFFFFF"
                        for c in tiles
                    ]
                }
                tr.marker.line = {"color": OUTLINE, "width": 1}
            continue
        colours = marker.color if isinstance(marker.color, (list, tuple)) else [marker.color]
        symbol = str(getattr(marker, "symbol", None) or "")
        if "open" in symbol or (kind == "scatter" and tr.mode == "lines"):
            if any(light(c) for c in colours):
                marker.color = (
                    [darker(c) if isinstance(c, str) else c for c in colours]
                    if isinstance(marker.color, (list, tuple))
                    else darker(str(marker.color))
                )
                if marker.line is not None and light(marker.line.color):
                    marker.line.color = darker(str(marker.line.color))
            continue
        if any(light(c) for c in colours):
            line = marker.line
            width = line.width if line is not None and line.width else 0
            if line is None or line.color is None or light(line.color) or width < 1:
                marker.line = {"color": OUTLINE, "width": max(float(width or 0), 1.0)}
    return fig


# The look of Plotly's "plotly_white" that the charts use (white ground, light grid, its
# text colour, its bar outlines), as a template of its own, registered once. Plotly copies
# and validates a figure's template whenever it is set: the whole plotly_white (defaults for
# some 30 kinds of trace) cost 10 ms a figure and 6.5 KB sent with every chart; this one
# costs 1 ms and 0.4 KB (benchmarks/RESULTS.md, "Cost per click").
_AXIS = {
    "gridcolor": "#EBF0F8",
    "linecolor": "#EBF0F8",
    "zerolinecolor": "#EBF0F8",
    "zerolinewidth": 2,
    "ticks": "",
    "automargin": True,
    "title": {"standoff": 15},
}
TEMPLATE = "malbild"
pio.templates[TEMPLATE] = go.layout.Template(
    layout={
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {"color": "#2a3f5f"},
        "hovermode": "closest",
        "hoverlabel": {"align": "left"},
        "xaxis": _AXIS,
        "yaxis": _AXIS,
        "geo": {
            "bgcolor": "white",
            "landcolor": "white",
            "lakecolor": "white",
            "subunitcolor": "#C8D4E3",
            "showland": True,
            "showlakes": True,
        },
    },
    data={"bar": [{"marker": {"line": {"color": "white", "width": 0.5}}}]},
)


TITLE_CHARS = 56  # a chart title's line at most (Plotly never wraps a title)
TITLE_SHORT = 32  # a longer title puts its explanation in brackets on a line of its own
TITLE_LINE_PX = 24  # the room above the plot a title's further line takes


def title_lines(title: str) -> list[str]:
    """*title* in lines that fit its chart: a chart half the page wide at 1024 px ran
    "Aktiviteter per mål (luckor = mål utan aktivitet)" off its edge. Past TITLE_SHORT
    characters an explanation in brackets gets a line of its own; any line is wrapped at
    TITLE_CHARS (a word longer than a line is never broken)."""
    if len(title) <= TITLE_SHORT:
        return [title]
    head, sep, rest = title.partition(" (")
    parts = [head, "(" + rest] if sep and head else [title]
    return [
        line
        for part in parts
        for line in textwrap.wrap(part, TITLE_CHARS, break_long_words=False, break_on_hyphens=False)
    ]


def layout(fig: go.Figure, title: str, separators: str, height: int = 420) -> go.Figure:
    """The settings every chart shares: the title left, in lines that fit a chart half the
    page wide (`title_lines`, written as literal text), the legend above the plot (below
    it, it covered the axis title), no text under 11 px (a label that does not fit is
    hidden, its value stays in the hover and the table), numbers written out in the
    language's way ("5 000 000", never "5M" or "100k")."""
    lines = title_lines(title)
    fig.update_layout(
        title={
            "text": safe.html("\n".join(lines)),
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 10},  # from the chart's top edge, every line of it
        },
        separators=separators,
        height=height + TITLE_LINE_PX * (len(lines) - 1),
        margin={"l": 10, "r": 10, "t": 90 + TITLE_LINE_PX * (len(lines) - 1), "b": 10},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"},
        uniformtext={"minsize": MIN_TEXT, "mode": "hide"},
        template=TEMPLATE,
        colorway=list(OKABE_ITO),
    )
    fig.update_xaxes(exponentformat="none", separatethousands=True)
    fig.update_yaxes(exponentformat="none", separatethousands=True)
    if fig.layout.annotations:  # panels' titles stand above the plot: the legend goes below
        fig.update_layout(
            legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom"},
            margin={"b": 80},
        )
    return fig


MIN_TEXT = 11  # px: the smallest text a chart draws


def org_colour(org: str, names: Mapping[str, str]) -> str:
    """An organisation's colour: by its place among every organisation the reader can
    see (*names*), never among those selected, so Slagelse keeps its colour whatever else
    is chosen."""
    known = sorted(set(names) | {org})
    return OKABE_ITO[known.index(org) % len(OKABE_ITO)]


def whole_counts(top: float) -> dict[str, object]:
    """Axis settings for a count: whole-number ticks only (never "0,5 aktiviteter"),
    one a step while the counts are small."""
    return {"rangemode": "tozero", "tickformat": ",d", **({"dtick": 1} if top <= 10 else {})}


def goal_label(row: pd.Series, many_orgs: bool, names: Mapping[str, str] | None = None) -> str:
    """Short axis label of a goal: its code, after the organisation's name when several."""
    org = (names or {}).get(row["org_id"], row["org_id"]) if many_orgs else None
    return tables.goal_label(row["goal_code"], org)


def short(text: object, n: int = 40) -> str:
    s = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    return s if len(s) <= n else s[: n - 1] + "…"


def present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value))


def amount(value: object, currency: object, lang: str) -> str:
    """A whole amount as the language writes money (`i18n.fmt_money`: 14 260 000 kr)."""
    from dashboard.i18n import fmt_money

    return fmt_money(value, str(currency) if present(currency) else None, lang)


def patterned(colour: str, shape: str) -> dict[str, object]:
    """A bar's marker in *colour* with a white *shape* pattern over it: a second cue besides
    colour (WCAG 1.4.1), one per status or state."""
    return {
        "color": colour,
        "pattern": {
            "shape": shape,
            "fgcolor": "#FFFFFF",
            "fgopacity": 0.6,
            # drawn over the colour: the default ('replace') drew the pattern on white, and
            # every patterned status became a white bar
            "fillmode": "overlay",
            "size": 6,
        },
        "line": {"color": "#FFFFFF", "width": 1},
    }
