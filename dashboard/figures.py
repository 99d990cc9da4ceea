"""Pure figure builders: a DataFrame and translated labels in, a Plotly figure out.

Colours are the Okabe-Ito palette, which stays distinguishable with the common kinds
of colour blindness; gaps are also drawn with a distinct marker, not by colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard import tables

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


def _light(colour: object) -> bool:
    return isinstance(colour, str) and (contrast(colour) or 21) < GRAPHIC_CONTRAST


def accessible_marks(fig: go.Figure) -> go.Figure:
    """Every mark visible against the white background (WCAG 1.4.11, 3:1): a light filled
    marker or bar gets a dark outline, a light line or open symbol is drawn in a darker
    shade of its hue, and text on a coloured tile is black or white, whichever reads (4.5:1).
    Applied to every chart by `ui.chart_with_table`, like `safe.figure`."""
    for tr in fig.data:
        kind = tr.type
        line = getattr(tr, "line", None)
        if kind == "scatter" and line is not None and _light(line.color):
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
            if any(_light(c) for c in colours):
                marker.color = (
                    [darker(c) if isinstance(c, str) else c for c in colours]
                    if isinstance(marker.color, (list, tuple))
                    else darker(str(marker.color))
                )
                if marker.line is not None and _light(marker.line.color):
                    marker.line.color = darker(str(marker.line.color))
            continue
        if any(_light(c) for c in colours):
            line = marker.line
            width = line.width if line is not None and line.width else 0
            if line is None or line.color is None or _light(line.color) or width < 1:
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


def _layout(fig: go.Figure, title: str, separators: str, height: int = 420) -> go.Figure:
    """The settings every chart shares: the title left, the legend above the plot (below
    it, it covered the axis title), no text under 11 px (a label that does not fit is
    hidden, its value stays in the hover and the table), numbers written out in the
    language's way ("5 000 000", never "5M" or "100k")."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "y": 0.98, "yanchor": "top"},
        separators=separators,
        height=height,
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
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


def coverage_bar(
    cov: pd.DataFrame,
    labels: Mapping[str, str],
    separators: str,
    names: Mapping[str, str] | None = None,
) -> go.Figure:
    """Activities per goal; goals with none are drawn as a marked gap at zero."""
    fig = go.Figure()
    if cov.empty:
        return _layout(fig, labels["title"], separators)
    many = cov["org_id"].nunique() > 1
    if many:
        return _coverage_by_org(cov, labels, separators, names or {})
    x = [goal_label(r, many, names) for _, r in cov.iterrows()]
    hover = [str(t)[:90] for t in cov["goal_title"]]
    served = cov["activities"] > 0
    fig.add_bar(
        x=[v for v, s in zip(x, served, strict=True) if s],
        y=cov.loc[served, "activities"],
        name=labels["served"],
        marker_color=SERVED,
        hovertext=[h for h, s in zip(hover, served, strict=True) if s],
        hovertemplate="%{x}: %{y}<br>%{hovertext}<extra></extra>",
    )
    fig.add_scatter(
        x=[v for v, s in zip(x, served, strict=True) if not s],
        y=[0] * int((~served).sum()),
        mode="markers",
        name=labels["gap"],
        marker={"symbol": "x-thin-open", "size": 14, "color": GAP, "line": {"width": 3}},
        hovertext=[h for h, s in zip(hover, served, strict=True) if not s],
        hovertemplate="%{x}: 0<br>%{hovertext}<extra></extra>",
    )
    fig.update_xaxes(title=labels["x"], type="category", categoryorder="array", categoryarray=x)
    fig.update_yaxes(title=labels["y"], **whole_counts(float(cov["activities"].max())))
    return _layout(fig, labels["title"], separators)


def _coverage_by_org(
    cov: pd.DataFrame, labels: Mapping[str, str], separators: str, names: Mapping[str, str]
) -> go.Figure:
    """Activities per goal over several organisations: horizontal bars grouped by
    organisation (its name once, beside its goals' numbers), as tall as the goals need, so
    no label is cut or written over another."""
    fig = go.Figure()
    orgs = [str(names.get(o, o)) for o in cov["org_id"]]
    codes: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for org, code in zip(orgs, cov["goal_code"], strict=True):
        n = seen[(org, str(code))] = seen.get((org, str(code)), 0) + 1
        codes.append(str(code) if n == 1 else f"{code} ({n})")  # two strategies, one number
    served = (cov["activities"] > 0).tolist()
    hover = [str(t)[:90] for t in cov["goal_title"]]
    # one bar a goal, in the table's order (a gap is a bar of 0): the axis keeps this order
    fig.add_bar(
        y=[orgs, codes],
        x=cov["activities"],
        orientation="h",
        name=labels["served"],
        marker_color=SERVED,
        hovertext=hover,
        hovertemplate="%{y}: %{x}<br>%{hovertext}<extra></extra>",
    )
    gaps = [i for i, s in enumerate(served) if not s]
    fig.add_scatter(
        y=[[orgs[i] for i in gaps], [codes[i] for i in gaps]],
        x=[0] * len(gaps),
        mode="markers",
        name=labels["gap"],
        marker={"symbol": "x-thin-open", "size": 12, "color": GAP, "line": {"width": 3}},
        cliponaxis=False,  # the whole mark at 0, not half of it
        hovertext=[hover[i] for i in gaps],
        hovertemplate="%{y}: 0<br>%{hovertext}<extra></extra>",
    )
    fig.update_yaxes(autorange="reversed", tickfont={"size": 11}, title=None)
    fig.update_xaxes(title=labels["y"], **whole_counts(float(cov["activities"].max())))
    fig = _layout(fig, labels["title"], separators, height=max(420, 17 * len(cov) + 160))
    # the legend below the axis title, in the figure's own margin
    fig.update_layout(
        legend={"orientation": "h", "yref": "container", "y": 0.0, "yanchor": "bottom"},
        margin={"b": 70},
    )
    return fig


def per_year_bar(
    per_year: pd.DataFrame, labels: Mapping[str, str], separators: str, names: Mapping[str, str]
) -> go.Figure:
    """Activities per year, stacked by organisation."""
    fig = go.Figure()
    for org, part in per_year.groupby("org_id", sort=True):
        fig.add_bar(
            x=part["year"],
            y=part["activities"],
            name=names.get(str(org), str(org)),
            marker_color=org_colour(str(org), names),
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=labels["x"], dtick=1, tickformat="d")
    top = float(per_year.groupby("year")["activities"].sum().max()) if len(per_year) else 1.0
    fig.update_yaxes(title=labels["y"], **whole_counts(top))
    return _layout(fig, labels["title"], separators)


def hierarchy(
    cov: pd.DataFrame,
    links: pd.DataFrame,
    labels: Mapping[str, str],
    separators: str,
    names: Mapping[str, str],
) -> go.Figure:
    """Sunburst: organisation's strategy, then its goals, then the activities serving each.

    Every goal appears, served or not; a goal with no activity is a thin slice of size 1.
    """
    ids: list[str] = []
    parents: list[str] = []
    text: list[str] = []
    hover: list[str] = []
    values: list[float] = []
    colors: list[str] = []
    per_goal = links.dropna(subset=["goal_id"]).groupby("goal_id")
    org_total: dict[str, float] = {}
    goal_value: dict[str, float] = {}
    for _, g in cov.iterrows():
        n = float(max(int(g["activities"]), 0))
        goal_value[g["goal_id"]] = n if n > 0 else 1.0
        org_total[g["org_id"]] = org_total.get(g["org_id"], 0) + goal_value[g["goal_id"]]
    for org, total in org_total.items():
        ids.append(f"org:{org}")
        parents.append("")
        text.append(names.get(org, org))
        hover.append(names.get(org, org))
        values.append(total)
        colors.append("#FFFFFF")
    for _, g in cov.iterrows():
        gid = f"goal:{g['goal_id']}"
        ids.append(gid)
        parents.append(f"org:{g['org_id']}")
        # the ring shows the goal's number (it fits at 11 px); its wording is in the hover
        text.append(str(g["goal_code"]))
        hover.append(f"{g['goal_code']}. {str(g['goal_title'])[:90]}")
        values.append(goal_value[g["goal_id"]])
        colors.append(SERVED if g["activities"] > 0 else GAP)
        if g["goal_id"] in per_goal.groups:
            for _, a in per_goal.get_group(g["goal_id"]).iterrows():
                ids.append(f"{gid}/act:{a['activity_id']}")
                parents.append(gid)
                text.append(str(a["activity_title"])[:40])
                hover.append(str(a["activity_title"])[:90])
                values.append(1.0)
                colors.append(OKABE_ITO[5])
    fig = go.Figure(
        go.Sunburst(
            ids=ids,
            parents=parents,
            labels=text,
            values=values,
            branchvalues="total",
            marker={"colors": colors, "line": {"color": "#FFFFFF", "width": 1}},
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            insidetextorientation="horizontal",
            insidetextfont={"size": 14},
            # the activities show when a goal is clicked: all at once, their slices were
            # too thin for any label (about 5 px)
            maxdepth=2,
        )
    )
    return _layout(fig, labels["title"], separators, height=620)


# ---------------------------------------------------------------- annual evaluation

STATUS_ORDER = ("reached", "on_track", "at_risk", "off_track", "not_assessable")
STATUS_COLOR = {
    "reached": OKABE_ITO[2],  # bluish green
    "on_track": OKABE_ITO[5],  # sky blue
    "at_risk": OKABE_ITO[1],  # orange
    "off_track": OKABE_ITO[3],  # vermillion
    "not_assessable": "#999999",  # neutral grey: no judgement
}
# a second cue besides colour: each status has its own fill pattern
STATUS_PATTERN = {
    "reached": "",
    "on_track": "/",
    "at_risk": "x",
    "off_track": "\\",
    "not_assessable": ".",
}
TREND_LIMIT = 20
MEMBERSHIP_ROWS = 60  # organisation-network rows drawn in the memberships chart
TIMELINE_ROWS = 80  # projects drawn in the timeline


def indicator_status_bar(
    rollup: pd.DataFrame,
    labels: Mapping[str, str],
    separators: str,
    names: Mapping[str, str] | None = None,
) -> go.Figure:
    """Indicators per goal, stacked by status; goals with no activity and no indicator
    are drawn as a marked gap at zero, like the coverage chart.

    *rollup* is the `evaluation_rollup` result; *labels* holds title, x, y, gap and one
    label per status in STATUS_ORDER.
    """
    fig = go.Figure()
    if rollup.empty:
        return _layout(fig, labels["title"], separators)
    many = rollup["org_id"].nunique() > 1
    y = [goal_label(r, many, names) for _, r in rollup.iterrows()]
    hover = [str(t)[:90] for t in rollup["goal_title"]]
    for status in STATUS_ORDER:
        fig.add_bar(
            y=y,
            x=rollup[status],
            orientation="h",
            name=labels[status],
            marker={
                "color": STATUS_COLOR[status],
                "pattern": {
                    "shape": STATUS_PATTERN[status],
                    "fgcolor": "#FFFFFF",
                    "fgopacity": 0.6,
                    # drawn over the status colour: the default ('replace') drew the
                    # pattern on white, and every patterned status became a white bar
                    "fillmode": "overlay",
                    "size": 6,
                },
                "line": {"color": "#FFFFFF", "width": 1},
            },
            hovertext=hover,
            hovertemplate="%{y}: %{x}<br>%{hovertext}<extra>" + labels[status] + "</extra>",
        )
    gap = rollup["verdict"] == "uncovered"
    fig.add_scatter(
        y=[v for v, g in zip(y, gap, strict=True) if g],
        x=[0] * int(gap.sum()),
        mode="markers",
        name=labels["gap"],
        marker={"symbol": "x-thin-open", "size": 14, "color": GAP, "line": {"width": 3}},
        hovertext=[h for h, g in zip(hover, gap, strict=True) if g],
        hovertemplate="%{y}<br>%{hovertext}<extra></extra>",
    )
    most = int(rollup[list(STATUS_ORDER)].sum(axis=1).max())
    fig.update_layout(barmode="stack")
    fig.update_yaxes(
        title=labels["y"], type="category", categoryorder="array", categoryarray=y[::-1]
    )
    # a little room left of zero, so the gap marker there is drawn whole
    fig.update_xaxes(title=labels["x"], range=[-0.25, max(most, 1) + 0.25], dtick=1)
    fig = _layout(fig, labels["title"], separators, height=max(320, 140 + 28 * len(y)))
    fig.update_layout(legend={"traceorder": "normal"})
    return fig


def indicator_trends(
    trend: pd.DataFrame,
    baselines: pd.DataFrame,
    labels: Mapping[str, str],
    separators: str,
    years: Mapping[str, int],
) -> go.Figure:
    """One small panel per indicator: actual as a solid line, the target as a dashed line
    with open markers, the baseline as a diamond and the year its organisation is evaluated
    in (*years*, by indicator id) as a dotted line.

    *trend* is the `indicator_status` result over all years, *baselines* one row per
    indicator with indicator_id, baseline_year and baseline. At most TREND_LIMIT panels.
    """
    from plotly.subplots import make_subplots

    ids = list(dict.fromkeys(trend["indicator_id"]))[:TREND_LIMIT]
    if not ids:
        return _layout(go.Figure(), labels["title"], separators)
    cols = 1 if len(ids) == 1 else 2
    rows = -(-len(ids) // cols)
    first = trend.drop_duplicates("indicator_id").set_index("indicator_id")
    titles = [
        f"{str(first.loc[i, 'name'])[:55]} ({first.loc[i, 'unit']})"
        + (f" · {first.loc[i, 'org_id']}" if trend["org_id"].nunique() > 1 else "")
        for i in ids
    ]
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=titles,
        vertical_spacing=min(0.12, 0.5 / rows),
        horizontal_spacing=0.08,
    )
    base = baselines.set_index("indicator_id") if len(baselines) else None
    baseline_legend = True
    for n, ind in enumerate(ids):
        r, c = n // cols + 1, n % cols + 1
        part = trend[trend["indicator_id"] == ind].sort_values("year")
        shown = n == 0
        act = part.dropna(subset=["actual"])
        fig.add_scatter(
            x=act["year"],
            y=act["actual"],
            mode="lines+markers",
            name=labels["actual"],
            legendgroup="actual",
            showlegend=shown,
            line={"color": SERVED, "width": 2.5},
            marker={"symbol": "circle", "size": 7},
            row=r,
            col=c,
        )
        tgt = part.dropna(subset=["target"])
        fig.add_scatter(
            x=tgt["year"],
            y=tgt["target"],
            mode="lines+markers",
            name=labels["target"],
            legendgroup="target",
            showlegend=shown,
            line={"color": OKABE_ITO[1], "width": 2, "dash": "dash"},
            marker={"symbol": "circle-open", "size": 9, "line": {"width": 2}},
            row=r,
            col=c,
        )
        if base is not None and ind in base.index:
            b = base.loc[ind]
            if pd.notna(b["baseline"]) and pd.notna(b["baseline_year"]):
                fig.add_scatter(
                    x=[int(b["baseline_year"])],
                    y=[float(b["baseline"])],
                    mode="markers",
                    name=labels["baseline"],
                    legendgroup="baseline",
                    showlegend=baseline_legend,
                    marker={"symbol": "diamond", "size": 10, "color": "#555555"},
                    row=r,
                    col=c,
                )
                baseline_legend = False
        if ind in years:
            fig.add_vline(
                x=years[ind], line={"color": "#777777", "width": 1, "dash": "dot"}, row=r, col=c
            )
        fig.update_xaxes(dtick=1, tickformat="d", row=r, col=c)
        fig.update_yaxes(rangemode="tozero", row=r, col=c)
    fig.add_scatter(
        x=[None],
        y=[None],
        mode="lines",
        name=labels["year"],
        line={"color": "#777777", "width": 1, "dash": "dot"},
        row=1,
        col=1,
    )
    fig.update_annotations(font={"size": 12})
    return _layout(fig, labels["title"], separators, height=160 + 260 * rows)


# ---------------------------------------------------------------- networks and projects

NETWORK_KIND_COLOR = {
    "network": OKABE_ITO[0],  # blue
    "organisation": OKABE_ITO[1],  # orange
    "twin_town": OKABE_ITO[2],  # bluish green
    "partner": OKABE_ITO[4],  # reddish purple
    "office": OKABE_ITO[5],  # sky blue
}
# Each kind has its own shape as well as its colour, so the kind never rests on colour alone
# (WCAG 1.4.1); the legend shows both.
NETWORK_KIND_SYMBOL = {
    "network": "circle",
    "organisation": "square",
    "twin_town": "diamond",
    "partner": "triangle-up",
    "office": "pentagon",
}
SELECTED_ORG_COLOR = OKABE_ITO[7]  # black, drawn as a star
NOT_A_MEMBER_COLOR = "#E8E8E8"  # light grey: in the structure only as a parent
PROJECT_STATUS_ORDER = ("idea", "applied", "granted", "running", "closed", "rejected")
PROJECT_STATUS_COLOR = {
    "idea": OKABE_ITO[5],  # sky blue
    "applied": OKABE_ITO[1],  # orange
    "granted": OKABE_ITO[2],  # bluish green
    "running": OKABE_ITO[0],  # blue
    "closed": OKABE_ITO[4],  # reddish purple
    "rejected": OKABE_ITO[3],  # vermillion
}


def _kind_color(kind: object) -> str:
    return NETWORK_KIND_COLOR.get(str(kind), OKABE_ITO[7])


def _short(text: object, n: int = 40) -> str:
    s = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    return s if len(s) <= n else s[: n - 1] + "…"


def _network_label(row: pd.Series, many_orgs: bool) -> str:
    """A network's short axis label: acronym, else name; prefixed by the organisation."""
    name = row["acronym"] if isinstance(row["acronym"], str) and row["acronym"] else row["network"]
    return f"{row['org_id']} · {_short(name, 34)}" if many_orgs else _short(name, 40)


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value))


def _amount(value: object, currency: object, lang: str) -> str:
    """A whole amount as the language writes money (`i18n.fmt_money`: 14 260 000 kr)."""
    from dashboard.i18n import fmt_money

    return fmt_money(value, str(currency) if _present(currency) else None, lang)


def membership_years(
    rows: pd.DataFrame,
    labels: Mapping[str, str],
    separators: str,
    kinds: Mapping[str, str],
    lang: str = "en",
) -> go.Figure:
    """Memberships by year: one row per organisation and network, one square per member year.

    Colour is the network's kind; a filled square marks a year with an activity through the
    network, an open square a year of membership only (shape, not colour alone).
    """
    fig = go.Figure()
    if rows.empty:
        return _layout(fig, labels["title"], separators)
    many = rows["org_id"].nunique() > 1
    keys = list(zip(rows["org_id"], rows["network_id"], strict=True))
    kept = set(list(dict.fromkeys(keys))[:MEMBERSHIP_ROWS])  # a readable chart; table has all
    rows = rows[[k in kept for k in keys]]
    ys = [_network_label(r, many) for _, r in rows.iterrows()]
    shown = rows.assign(_y=ys)
    order = list(dict.fromkeys(ys))
    for kind in NETWORK_KIND_COLOR:
        part = shown[shown["kind"] == kind]
        if part.empty:
            continue
        fee = [_amount(r["annual_fee"], r["currency"], lang) for _, r in part.iterrows()]
        fig.add_scatter(
            x=part["year"],
            y=part["_y"],
            mode="markers",
            name=kinds.get(kind, kind),
            marker={
                "symbol": ["square" if a > 0 else "square-open" for a in part["activities"]],
                "size": 11,
                "color": _kind_color(kind),
                "line": {"width": 2, "color": _kind_color(kind)},
            },
            customdata=list(
                zip(
                    part["network"],
                    part["role"].fillna("–"),
                    fee,
                    part["activities"],
                    part["org_id"],
                    strict=True,
                )
            ),
            hovertemplate=(
                "%{customdata[0]} (%{customdata[4]})<br>%{x}<br>"
                + labels["role"]
                + ": %{customdata[1]}<br>"
                + labels["fee"]
                + ": %{customdata[2]}<br>"
                + labels["activities"]
                + ": %{customdata[3]}<extra></extra>"
            ),
        )
    fig.update_xaxes(
        title=labels["x"], tickformat="d", dtick=1 if rows["year"].nunique() <= 16 else 5
    )
    fig.update_yaxes(
        type="category", categoryorder="array", categoryarray=order, autorange="reversed"
    )
    return _layout(fig, labels["title"], separators, height=160 + 24 * len(order))


def network_tree(
    tree: pd.DataFrame, labels: Mapping[str, str], separators: str, kinds: Mapping[str, str]
) -> go.Figure:
    """Treemap of the networks' structure (parent_network_id): CPMR holding the Islands
    Commission and the Baltic Sea Commission. Colour is the kind; a network the selection is
    no member of (a parent only, or used through activities) is drawn light grey."""
    root = "__all__"
    ids, parents, names, colors, hover = [root], [""], [labels["root"]], ["#FFFFFF"], [""]
    for _, r in tree.iterrows():
        ids.append(str(r["network_id"]))
        parent = r["parent_network_id"]
        parents.append(str(parent) if _present(parent) else root)
        names.append(_short(r["network"], 42))
        member = _present(r["members"])
        colors.append(_kind_color(r["kind"]) if member else NOT_A_MEMBER_COLOR)
        hover.append(
            f"{kinds.get(str(r['kind']), r['kind'])}\n"
            + (f"{labels['members']}: {r['members']}" if member else labels["not_member"])
            + f"\n{labels['activities']}: {int(r['activities'])}"
        )
    fig = go.Figure(
        go.Treemap(
            ids=ids,
            parents=parents,
            labels=names,
            values=[0] + [1] * len(tree),
            branchvalues="remainder",
            marker={"colors": colors, "line": {"color": "#FFFFFF", "width": 2}},
            hovertext=hover,
            hovertemplate="<b>%{label}</b><br>%{hovertext}<extra></extra>",
            textinfo="label",
            pathbar={"visible": True},
            tiling={"pad": 4},
        )
    )
    fig.update_layout(margin={"l": 10, "r": 10, "t": 60, "b": 10})
    return _layout(fig, labels["title"], separators, height=max(360, 120 + 28 * len(tree)))


def declutter(
    xs: list[float],
    ys: list[float],
    texts: list[str],
    x_span: tuple[float, float] | None,
    y_span: tuple[float, float],
    width_px: float = 500.0,
    height_px: float = 330.0,
) -> list[tuple[str, str]]:
    """(text, textposition) per point so that no two labels overlap: the points with most
    activities (then the dearest) are labelled first, above or else below their marker; a
    label that would write over one already placed is left out (the point keeps its hover
    text, and the table beside the chart names every network). Positions are compared on
    the panel's scale (log fees already logged by the caller) in approximate pixels."""
    if not xs:
        return []
    lo, hi = x_span if x_span else (min(xs), max(xs))
    pad = (hi - lo) * 0.08 or 1.0
    lo, hi = (lo, hi) if x_span else (lo - pad, hi + pad)
    ylo, yhi = y_span
    px = [(x - lo) / ((hi - lo) or 1.0) * width_px for x in xs]
    py = [(y - ylo) / ((yhi - ylo) or 1.0) * height_px for y in ys]
    boxes: list[tuple[float, float, float, float]] = []
    out = [("", "top center")] * len(xs)
    order = sorted(range(len(xs)), key=lambda i: (-ys[i], -xs[i]))
    for i in order:
        w = 6.5 * len(texts[i]) + 4
        for pos, dy in (("top center", 14.0), ("bottom center", -14.0)):
            box = (px[i] - w / 2, py[i] + dy - 7, px[i] + w / 2, py[i] + dy + 7)
            inside = box[0] >= 0 and box[2] <= width_px
            clear = all(
                box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in boxes
            )
            if inside and clear:
                boxes.append(box)
                out[i] = (texts[i], pos)
                break
    return out


def cost_contribution(
    value: pd.DataFrame,
    labels: Mapping[str, str],
    separators: str,
    kinds: Mapping[str, str],
    lang: str = "en",
) -> go.Figure:
    """Cost against contribution: x = fees in the selection (one panel per currency, never
    summed across), y = activities through the network, marker size = goals served, colour =
    kind. Networks with no fee (none recorded, or 0) get their own panel, drawn as open
    diamonds, so a free network is never mistaken for a cheap one."""
    from plotly.subplots import make_subplots

    has_fee = value["fees"].fillna(0) > 0
    paid = value[has_fee]
    currencies = sorted(paid["currency"].dropna().unique())
    free_ids = [n for n in dict.fromkeys(value["network_id"]) if n not in set(paid["network_id"])]
    free = value.drop_duplicates("network_id").set_index("network_id").loc[free_ids].reset_index()
    panels = [f"{labels['fees']} ({c})" for c in currencies]
    if len(free):
        panels.append(labels["no_fee"])
    if not panels:
        return _layout(go.Figure(), labels["title"], separators)
    free_width = min(max(0.45, 0.11 * len(free)), 1.4) if currencies else 1.0
    widths = [1.0] * len(currencies) + ([free_width] if len(free) else [])
    fig = make_subplots(
        rows=1,
        cols=len(panels),
        shared_yaxes=True,
        subplot_titles=panels,
        column_widths=widths,
        horizontal_spacing=0.06,
    )
    seen: set[str] = set()

    def text_of(df: pd.DataFrame) -> list[str]:
        return [
            _short(a if isinstance(a, str) and a else n, 16)
            for a, n in zip(df["acronym"], df["network"], strict=True)
        ]

    def hover_of(df: pd.DataFrame, cur: str | None) -> list[list[object]]:
        out = []
        for _, r in df.iterrows():
            fee = _amount(r["fees"], cur, lang) if cur else "–"
            other = _amount(r["other_costs"], r["currency"], lang)
            out.append(
                [
                    r["network"],
                    fee,
                    other,
                    r["goal_codes"] if _present(r["goal_codes"]) else "–",
                    r["members"] if _present(r["members"]) else "–",
                    int(r["goals_served"]),
                ]
            )
        return out

    template = (
        "<b>%{customdata[0]}</b><br>"
        + labels["fees"]
        + ": %{customdata[1]}<br>"
        + labels["other_costs"]
        + ": %{customdata[2]}<br>"
        + labels["y"]
        + ": %{y}<br>"
        + labels["goals"]
        + ": %{customdata[5]} (%{customdata[3]})<br>"
        + labels["members"]
        + ": %{customdata[4]}<extra></extra>"
    )

    def size_of(df: pd.DataFrame) -> list[float]:
        return [8.0 + 4.0 * float(g) for g in df["goals_served"]]

    top = float(value["activities"].max()) if len(value) else 1.0
    panel_px = 1000 * (1.0 / sum(widths)) if widths else 1000.0
    for col, cur in enumerate(currencies, start=1):
        part = paid[paid["currency"] == cur]
        fees = part["fees"]
        log = len(fees) > 1 and fees.max() / max(fees.min(), 1e-9) > 50
        placed = declutter(
            [math.log10(max(float(v), 1.0)) if log else float(v) for v in fees],
            [float(v) for v in part["activities"]],
            text_of(part),
            x_span=None if log else (0.0, float(fees.max()) * 1.2),
            y_span=(-0.1 * top - 0.4, 1.12 * top + 0.6),
            width_px=panel_px,
        )
        shown_text = dict(zip(part.index, (t for t, _ in placed), strict=True))
        shown_pos = dict(zip(part.index, (p for _, p in placed), strict=True))
        for kind in NETWORK_KIND_COLOR:
            k = part[part["kind"] == kind]
            if k.empty:
                continue
            fig.add_scatter(
                x=k["fees"],
                y=k["activities"],
                mode="markers+text",
                text=[shown_text[i] for i in k.index],
                textposition=[shown_pos[i] for i in k.index],
                textfont={"size": 11},
                name=kinds.get(kind, kind),
                legendgroup=kind,
                showlegend=kind not in seen,
                marker={
                    "size": size_of(k),
                    "symbol": NETWORK_KIND_SYMBOL.get(kind, "circle"),
                    "color": _kind_color(kind),
                    "opacity": 0.85,
                    "line": {"width": 1, "color": "#FFFFFF"},
                },
                customdata=hover_of(k, cur),
                hovertemplate=template,
                row=1,
                col=col,
            )
            seen.add(kind)
        fig.update_xaxes(
            type="log" if log else "linear",
            title=labels["x"] + f" ({cur})" + (f" · {labels['log']}" if log else ""),
            # room on the right for the last point's label
            range=None if log else [0, float(fees.max()) * 1.2],
            # whole amounts with the language's thousands mark (100 000), not 100k or 1M;
            # on a log scale only the powers of ten are marked
            tickformat=",.0f",
            exponentformat="none",
            dtick=1 if log else None,
            row=1,
            col=col,
        )
    if len(free):
        col = len(panels)
        for kind in NETWORK_KIND_COLOR:
            k = free[free["kind"] == kind]
            if k.empty:
                continue
            fig.add_scatter(
                x=text_of(k),
                y=k["activities"],
                mode="markers",
                name=kinds.get(kind, kind),
                legendgroup=kind,
                showlegend=kind not in seen,
                marker={
                    "size": size_of(k),
                    "symbol": NETWORK_KIND_SYMBOL.get(kind, "circle") + "-open",
                    "color": _kind_color(kind),
                    "line": {"width": 2.5, "color": _kind_color(kind)},
                },
                customdata=hover_of(k, None),
                hovertemplate=template,
                row=1,
                col=col,
            )
            seen.add(kind)
        ticks = text_of(free)
        fig.update_xaxes(
            type="category",
            tickangle=-45,
            tickmode="array",
            tickvals=ticks,
            ticktext=ticks,
            tickfont={"size": 10},
            row=1,
            col=col,
        )
    fig.update_yaxes(range=[-0.1 * top - 0.4, 1.12 * top + 0.6], zeroline=True)
    if top <= 12:  # whole activities only, no tick below zero
        fig.update_yaxes(tickmode="array", tickvals=list(range(int(top) + 1)))
    fig.update_yaxes(title=labels["y"], row=1, col=1)
    fig.update_annotations(font={"size": 12})
    fig = _layout(fig, labels["title"], separators, height=480)
    fig.update_layout(legend={"itemsizing": "constant"})
    return fig


def _spot(row: pd.Series) -> tuple[float, float]:
    """Where a point really is (before `spread`), to about 100 m."""
    return (round(row.get("lat0", row["lat"]), 3), round(row.get("lon0", row["lon"]), 3))


def spread(points: pd.DataFrame) -> pd.DataFrame:
    """Points that share a place (a seat and the networks there, several offices in one
    city) moved apart on a small ring around it, so each marker can be seen and pointed at;
    the ring's size follows the map's extent (1.5 % of it, at least 0.05 degrees). Their
    true place is kept as lat0/lon0, and the hover text names the others there."""
    out = points.copy()
    if out.empty:
        return out
    out["lat0"], out["lon0"] = out["lat"], out["lon"]
    extent = max(
        float(out["lat"].max() - out["lat"].min()), float(out["lon"].max() - out["lon"].min())
    )
    radius = max(extent * 0.015, 0.05)
    spots = [(round(a, 3), round(b, 3)) for a, b in zip(out["lat"], out["lon"], strict=True)]
    groups: dict[tuple[float, float], list[int]] = {}
    for i, spot in enumerate(spots):
        groups.setdefault(spot, []).append(i)
    lat, lon = out["lat"].tolist(), out["lon"].tolist()
    for members in groups.values():
        if len(members) < 2:
            continue
        for k, i in enumerate(members):
            angle = 2 * math.pi * k / len(members)
            lat[i] += radius * math.sin(angle)
            lon[i] += radius * math.cos(angle) / max(math.cos(math.radians(lat[i])), 0.2)
    out["lat"], out["lon"] = lat, lon
    return out


def network_map(
    points: pd.DataFrame, labels: Mapping[str, str], separators: str, kinds: Mapping[str, str]
) -> go.Figure:
    """Map of the selection's networks, twin towns and partner municipalities, coloured by
    kind, with the selected organisations as black stars and a thin line from each to the
    places it is linked with. Points without coordinates are not drawn (the page lists them).
    The view fits the points, so Kibaha and Jhansi outside Europe stay in view."""
    fig = go.Figure()
    placed = spread(points[points["lat"].notna() & points["lon"].notna()])
    orgs = placed[placed["item"] == "organisation"]
    nets = placed[placed["item"] == "network"]
    here: dict[tuple[float, float], list[str]] = {}
    for _, r in placed.iterrows():
        here.setdefault(_spot(r), []).append(str(r["name"]))

    def hover(df: pd.DataFrame, org: bool) -> list[str]:
        out = []
        for _, r in df.iterrows():
            others = [n for n in here[_spot(r)] if n != r["name"]]
            kind = labels["selected"] if org else kinds.get(str(r["kind"]), str(r["kind"]))
            text = f"{r['name']}\n{kind}"
            if not org and _present(r["members"]):
                text += f"\n{labels['members']}: {r['members']}"
            text += f"\n{labels['activities']}: {int(r['activities'])}"
            if others:
                text += f"\n{labels['also_here']}: " + ", ".join(_short(o, 30) for o in others)
            out.append(text)
        return out

    pos = {r["id"]: (r["lat"], r["lon"]) for _, r in orgs.iterrows()}
    lat: list[float | None] = []
    lon: list[float | None] = []
    for _, r in nets.iterrows():
        for org in str(r["members"] or "").split(", ") if _present(r["members"]) else []:
            if org in pos:
                lat += [pos[org][0], r["lat"], None]
                lon += [pos[org][1], r["lon"], None]
    if lat:
        fig.add_scattergeo(
            lat=lat,
            lon=lon,
            mode="lines",
            line={"width": 1, "color": "#9A9A9A"},
            name=labels["links"],
            hoverinfo="skip",
            opacity=0.6,
        )
    for kind in NETWORK_KIND_COLOR:
        part = nets[nets["kind"] == kind]
        if part.empty:
            continue
        fig.add_scattergeo(
            lat=part["lat"],
            lon=part["lon"],
            mode="markers",
            name=kinds.get(kind, kind),
            marker={
                "size": 11,
                "symbol": NETWORK_KIND_SYMBOL.get(kind, "circle"),
                "color": _kind_color(kind),
                "line": {"width": 1, "color": "#FFFFFF"},
            },
            hovertext=hover(part, False),
            hovertemplate="%{hovertext}<extra></extra>",
        )
    if len(orgs):
        fig.add_scattergeo(
            lat=orgs["lat"],
            lon=orgs["lon"],
            # names beside the stars only while few: several Swedish seats lie close together
            mode="markers+text" if len(orgs) <= 3 else "markers",
            text=[_short(n, 24) for n in orgs["name"]],
            textposition="middle right",
            textfont={"size": 11, "color": SELECTED_ORG_COLOR},
            name=labels["selected"],
            marker={
                "size": 16,
                "symbol": "star",
                "color": SELECTED_ORG_COLOR,
                "line": {"width": 1, "color": "#FFFFFF"},
            },
            hovertext=hover(orgs, True),
            hovertemplate="%{hovertext}<extra></extra>",
        )
    fig.update_geos(
        projection_type="natural earth",
        fitbounds="locations" if len(placed) else False,
        showcountries=True,
        countrycolor="#BBBBBB",
        showland=True,
        landcolor="#F4F4F4",
        showocean=True,
        oceancolor="#FBFDFF",
        showframe=False,
        resolution=50,
    )
    fig = _layout(fig, labels["title"], separators, height=560)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 90, "b": 0})
    return fig


def project_timeline(
    projects: pd.DataFrame, labels: Mapping[str, str], separators: str, statuses: Mapping[str, str]
) -> go.Figure:
    """Gantt chart of the projects with both dates, one bar from start to end (inclusive),
    coloured by status. Projects lacking a date are not drawn: the page lists them."""
    fig = go.Figure()
    dated = projects[projects["start_date"].notna() & projects["end_date"].notna()]
    dated = dated.head(TIMELINE_ROWS)  # a readable chart; the table has them all
    if dated.empty:
        return _layout(fig, labels["title"], separators, height=200)
    many = dated["org_id"].nunique() > 1

    def label(r: pd.Series) -> str:
        name = r["acronym"] if _present(r["acronym"]) and r["acronym"] else r["title"]
        return f"{r['org_id']} · {_short(name, 34)}" if many else _short(name, 44)

    ys = [label(r) for _, r in dated.iterrows()]
    shown = dated.assign(_y=ys)
    for status in PROJECT_STATUS_ORDER:
        part = shown[shown["status"] == status]
        if part.empty:
            continue
        start = pd.to_datetime(part["start_date"])
        end = pd.to_datetime(part["end_date"]) + pd.Timedelta(days=1)
        fig.add_bar(
            y=part["_y"],
            base=[s.strftime("%Y-%m-%d") for s in start],
            x=[(e - s).total_seconds() * 1000 for s, e in zip(start, end, strict=True)],
            orientation="h",
            name=statuses.get(status, status),
            marker={"color": PROJECT_STATUS_COLOR[status], "line": {"width": 0}},
            customdata=list(
                zip(
                    part["title"],
                    [s.strftime("%Y-%m-%d") for s in start],
                    pd.to_datetime(part["end_date"]).dt.strftime("%Y-%m-%d"),
                    part["programme"].fillna("–"),
                    part["role"].fillna("–"),
                    strict=True,
                )
            ),
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>%{customdata[1]} – %{customdata[2]}<br>"
                + labels["programme"]
                + ": %{customdata[3]}<br>"
                + labels["role"]
                + ": %{customdata[4]}<extra>"
                + statuses.get(status, status)
                + "</extra>"
            ),
        )
    fig.update_xaxes(type="date", title=labels["x"])
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=list(dict.fromkeys(ys)),
        autorange="reversed",
    )
    fig.update_layout(barmode="overlay", bargap=0.35)
    return _layout(fig, labels["title"], separators, height=160 + 30 * len(set(ys)))


def funding_bars(
    funding: pd.DataFrame,
    measure: str,
    labels: Mapping[str, str],
    separators: str,
    statuses: Mapping[str, str],
) -> go.Figure:
    """Funding (*measure*: total_budget, eu_funding or own_funding) by programme, stacked by
    status, one panel per currency: amounts in different currencies are never added."""
    from plotly.subplots import make_subplots

    rows = funding[funding["currency"].notna() & funding[measure].notna()]
    currencies = sorted(rows["currency"].unique())
    if not currencies:
        return _layout(go.Figure(), labels["title"], separators, height=200)
    progs = {
        c: list(dict.fromkeys(rows.loc[rows["currency"] == c, "programme"].fillna(labels["none"])))
        for c in currencies
    }
    fig = make_subplots(
        rows=len(currencies),
        cols=1,
        subplot_titles=[f"{labels['x']} ({c})" for c in currencies],
        row_heights=[max(len(progs[c]), 1) + 1 for c in currencies],
        vertical_spacing=min(0.3, 0.5 / len(currencies)) if len(currencies) > 1 else 0.0,
    )
    seen: set[str] = set()
    for i, cur in enumerate(currencies, start=1):
        part = rows[rows["currency"] == cur]
        for status in PROJECT_STATUS_ORDER:
            s = part[part["status"] == status]
            if s.empty:
                continue
            fig.add_bar(
                y=s["programme"].fillna(labels["none"]),
                x=s[measure],
                orientation="h",
                name=statuses.get(status, status),
                legendgroup=status,
                legendrank=PROJECT_STATUS_ORDER.index(status),
                showlegend=status not in seen,
                marker={"color": PROJECT_STATUS_COLOR[status]},
                customdata=s["projects"],
                hovertemplate=(
                    "%{y}<br>%{x:,.0f} "
                    + cur
                    + "<br>"
                    + labels["projects"]
                    + ": %{customdata}<extra>"
                    + statuses.get(status, status)
                    + "</extra>"
                ),
                row=i,
                col=1,
            )
            seen.add(status)
        fig.update_xaxes(rangemode="tozero", row=i, col=1)
        fig.update_yaxes(
            type="category",
            categoryorder="array",
            categoryarray=progs[cur],
            autorange="reversed",
            row=i,
            col=1,
        )
    fig.update_layout(barmode="stack")
    fig.update_annotations(font={"size": 12})
    n = sum(len(p) for p in progs.values())
    return _layout(fig, labels["title"], separators, height=160 + 40 * n + 110 * len(currencies))
