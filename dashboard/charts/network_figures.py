"""Figures of the networks: memberships over the years, the structure, cost against
contribution, and the members on a map. Pure builders."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.style import OKABE_ITO, amount, layout, present, short

MEMBERSHIP_ROWS = 60  # organisation-network rows drawn in the memberships chart
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


def _kind_color(kind: object) -> str:
    return NETWORK_KIND_COLOR.get(str(kind), OKABE_ITO[7])


def _network_label(row: pd.Series, many_orgs: bool) -> str:
    """A network's short axis label: acronym, else name; prefixed by the organisation."""
    name = row["acronym"] if isinstance(row["acronym"], str) and row["acronym"] else row["network"]
    return f"{row['org_id']} · {short(name, 34)}" if many_orgs else short(name, 40)


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
        return layout(fig, labels["title"], separators)
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
        fee = [amount(r["annual_fee"], r["currency"], lang) for _, r in part.iterrows()]
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
    return layout(fig, labels["title"], separators, height=160 + 24 * len(order))


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
        parents.append(str(parent) if present(parent) else root)
        names.append(short(r["network"], 42))
        member = present(r["members"])
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
    return layout(fig, labels["title"], separators, height=max(360, 120 + 28 * len(tree)))


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
        return layout(go.Figure(), labels["title"], separators)
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
            short(a if isinstance(a, str) and a else n, 16)
            for a, n in zip(df["acronym"], df["network"], strict=True)
        ]

    def hover_of(df: pd.DataFrame, cur: str | None) -> list[list[object]]:
        out = []
        for _, r in df.iterrows():
            fee = amount(r["fees"], cur, lang) if cur else "–"
            other = amount(r["other_costs"], r["currency"], lang)
            out.append(
                [
                    r["network"],
                    fee,
                    other,
                    r["goal_codes"] if present(r["goal_codes"]) else "–",
                    r["members"] if present(r["members"]) else "–",
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
    fig = layout(fig, labels["title"], separators, height=480)
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
            if not org and present(r["members"]):
                text += f"\n{labels['members']}: {r['members']}"
            text += f"\n{labels['activities']}: {int(r['activities'])}"
            if others:
                text += f"\n{labels['also_here']}: " + ", ".join(short(o, 30) for o in others)
            out.append(text)
        return out

    pos = {r["id"]: (r["lat"], r["lon"]) for _, r in orgs.iterrows()}
    lat: list[float | None] = []
    lon: list[float | None] = []
    for _, r in nets.iterrows():
        for org in str(r["members"] or "").split(", ") if present(r["members"]) else []:
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
            text=[short(n, 24) for n in orgs["name"]],
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
    fig = layout(fig, labels["title"], separators, height=560)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 90, "b": 0})
    return fig
