"""Every chart on every page as WCAG 2.1 AA asks (1.1.1, 1.4.1, 1.4.3, 1.4.11): a title and
a text beside it, its table one click away, and every mark visible against the white
background (3:1; 4.5:1 for text on a coloured tile). Checked on the figures as sent to the
browser, on the sample, in Swedish, with several selections."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app.pages import PAGES as REGISTERED
from dashboard.charts import style
from dashboard.charts.style import GRAPHIC_CONTRAST, TEXT_CONTRAST, contrast
from tests.conftest import ROOT

APP = str(ROOT / "streamlit_app.py")
PAGES = tuple(p.name for p in REGISTERED if p.charts)  # every page that draws charts


def test_contrast_is_wcags() -> None:
    assert contrast("#000000") == pytest.approx(21)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)  # the known AA grey
    assert contrast("#F0E442") < 1.4  # Okabe-Ito yellow on white: needs an outline
    assert contrast(style.darker("#F0E442")) >= GRAPHIC_CONTRAST
    assert contrast(style.OUTLINE) >= 12


def problems_of(spec: dict) -> list[str]:
    out = []
    title = (spec.get("layout", {}).get("title") or {}).get("text")
    if not title:
        out.append("no title")
    for tr in spec.get("data", []):
        marker = tr.get("marker") or {}
        kind = tr.get("type", "scatter")
        if kind in ("treemap", "sunburst"):
            tiles = marker.get("colors") or []
            text = (tr.get("insidetextfont") or {}).get("color") or []
            for tile, ink in zip(tiles, text, strict=False):
                if (contrast(tile, ink) or 21) < TEXT_CONTRAST:
                    out.append(f"{kind}: text {ink} on {tile}")
            if tiles and not text:
                out.append(f"{kind}: no text colour chosen for its tiles")
            continue
        colours = marker.get("color")
        colours = colours if isinstance(colours, list) else [colours]
        colours = [c for c in colours if isinstance(c, str) and c.startswith("#")]
        open_mark = "open" in str(marker.get("symbol", "")) or tr.get("mode") == "lines"
        line = marker.get("line") or {}
        for c in colours:
            if (contrast(c) or 21) >= GRAPHIC_CONTRAST:
                continue
            if open_mark:
                out.append(f"{kind} {tr.get('name')}: open mark {c} on white")
            elif not (
                isinstance(line.get("color"), str)
                and (contrast(line["color"]) or 0) >= GRAPHIC_CONTRAST
                and float(line.get("width") or 0) >= 1
            ):
                out.append(f"{kind} {tr.get('name')}: light mark {c} without an outline")
        lc = (tr.get("line") or {}).get("color")
        if kind == "scatter" and isinstance(lc, str) and (contrast(lc) or 21) < GRAPHIC_CONTRAST:
            out.append(f"{kind} {tr.get('name')}: light line {lc}")
    return out


@pytest.mark.parametrize(
    "params",
    [{}, {"org": "gotland", "year": "2009"}, {"org": "slagelse,vkl", "from": "2011", "to": "2014"}],
)
def test_every_chart_has_a_title_a_table_and_visible_marks(
    sample_dir: Path, monkeypatch, params: dict[str, str]
) -> None:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(sample_dir))
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in {"lang": "sv", **params}.items():
        at.query_params[k] = v
    at.run()
    found, charts = [], 0
    for page in PAGES:
        at.switch_page(f"dashboard/app/pages/{page}.py").run()
        assert not at.exception
        specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
        charts += len(specs)
        found += [(page, p) for spec in specs for p in problems_of(spec)]
        # each chart sits in a Diagram tab beside a Tabell tab: its table one click away
        tables = [t for t in at.tabs if t.label == "Tabell"]
        assert len(tables) >= len(specs), page
    assert charts >= 8
    assert found == []


def test_every_text_a_figure_shows_from_the_data_is_escaped_for_plotly() -> None:
    """`safe.figure`, the guard every chart passes (`chart_panel.chart_with_table`): a
    multicategory axis's labels (a list of lists: the Overview's organisations and goals)
    and the annotations that title subplots (the Evaluation's indicators and organisations)
    were drawn as markup, a link and all (2026-12-07); trace texts and ticks as well."""
    from plotly.subplots import make_subplots

    from dashboard.model import safe

    bad = '<a href="https://example.invalid/h">a</a>'
    fig = make_subplots(rows=1, cols=2, subplot_titles=[bad, "plain & simple"])
    fig.add_bar(y=[[bad, bad], ["1", "2"]], x=[1, 2], orientation="h", row=1, col=1)
    fig.add_bar(x=[bad], y=[1], name=bad, hovertext=[bad], row=1, col=2)
    fig.update_xaxes(tickmode="array", tickvals=[0], ticktext=[bad], row=1, col=1)
    out = safe.figure(fig).to_plotly_json()
    shown = json.dumps(out["data"]) + json.dumps(out["layout"])
    assert "<a " not in shown and "</a>" not in shown
    assert [a["text"] for a in out["layout"]["annotations"]] == [
        '&lt;a href="https://example.invalid/h"&gt;a&lt;/a&gt;',
        "plain &amp; simple",
    ]
    assert out["data"][0]["y"][0] == ['&lt;a href="https://example.invalid/h"&gt;a&lt;/a&gt;'] * 2
    assert out["data"][0]["y"][1] == ["1", "2"] and list(out["data"][0]["x"]) == [1, 2]
