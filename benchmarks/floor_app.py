"""The floor of benchmarks/floor.py: a bare Streamlit app that draws, from constants, what
each dashboard page drew (the same number and kind of Plotly traces with the same number
of points, tables of the same size, metrics), with nothing else: no queries, no sidebar
filters, no translation, no formatting. A page of the dashboard can only be as quick as
Streamlit and Plotly make this.

    MALBILD_FLOOR_SPEC=spec.json streamlit run benchmarks/floor_app.py

The spec is {"page name": {"charts": [[[type, points], ...], ...], "tables": [[rows,
cols], ...], "metrics": n}}, written by benchmarks/floor.py from what Chromium found on
each page. Each page is reached from the sidebar, as the dashboard's are.
"""

from __future__ import annotations

import json
import os

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

SPEC = json.loads(open(os.environ["MALBILD_FLOOR_SPEC"], encoding="utf-8").read())  # noqa: SIM115


def trace(kind: str, n: int) -> go.BaseTraceType:
    """A trace of *kind* with *n* points of constant data."""
    xs = list(range(n))
    if kind in ("sunburst", "treemap", "icicle"):
        labels = ["root", *[f"item {i}" for i in range(max(n - 1, 0))]]
        parents = ["", *["root"] * max(n - 1, 0)]
        cls = {"sunburst": go.Sunburst, "treemap": go.Treemap, "icicle": go.Icicle}[kind]
        return cls(labels=labels, parents=parents)
    if kind == "scattergeo":
        return go.Scattergeo(lat=[55 + i % 10 for i in xs], lon=[10 + i % 15 for i in xs])
    if kind == "bar":
        return go.Bar(x=[f"c{i}" for i in xs], y=[i % 7 + 1 for i in xs])
    if kind == "pie":
        return go.Pie(labels=[f"p{i}" for i in xs], values=[i + 1 for i in xs])
    if kind == "heatmap":
        return go.Heatmap(z=[[i % 5 for i in xs]])
    return go.Scatter(x=xs, y=[i % 9 for i in xs], mode="markers")


def draw(spec: dict) -> None:
    st.title("Floor")
    for _ in range(int(spec.get("metrics", 0))):
        st.metric("Metric", "123")
    for traces in spec.get("charts", []):
        fig = go.Figure([trace(kind, int(n)) for kind, n in traces])
        if any(kind == "scattergeo" for kind, _ in traces):
            fig.update_geos(fitbounds="locations", resolution=50)
        st.plotly_chart(fig, config={"topojsonURL": "app/static/topojson/"})
    for rows, cols in spec.get("tables", []):
        st.dataframe(
            pd.DataFrame({f"col {c}": [f"cell {r}" for r in range(rows)] for c in range(cols)}),
            hide_index=True,
        )


pages = [st.Page(lambda: st.title("Start"), title="Start", url_path="start", default=True)]
for name, spec in SPEC.items():
    pages.append(
        st.Page(lambda spec=spec: draw(spec), title=f"floor {name}", url_path=f"floor-{name}")
    )
st.navigation(pages).run()
