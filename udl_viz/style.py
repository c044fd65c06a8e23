"""Colours and plotly templates shared by every figure.

All palettes are colour-blind safe: categorical colours are Okabe-Ito, signed maps
use a blue/white/orange diverging scale, and magnitudes use Cividis. No meaning is
ever carried by red against green alone.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

#: Okabe-Ito categorical palette (colour-blind safe).
PALETTE = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
]
POSITIVE = "#E69F00"  # orange: evidence for the target
NEGATIVE = "#0072B2"  # blue: evidence against the target

#: Signed values: blue (negative) - white (zero) - orange (positive).
DIVERGING = [
    [0.0, "#08306B"],
    [0.25, "#4A90C2"],
    [0.5, "#F7F7F7"],
    [0.75, "#F5A040"],
    [1.0, "#7F3B08"],
]
#: Signed values drawn over a photo: zero is see-through, so the photo stays visible.
DIVERGING_OVERLAY = [
    [0.0, "rgba(8,48,107,0.95)"],
    [0.3, "rgba(74,144,194,0.6)"],
    [0.5, "rgba(247,247,247,0)"],
    [0.7, "rgba(245,160,64,0.6)"],
    [1.0, "rgba(127,59,8,0.95)"],
]
#: Magnitudes drawn over a photo: low values see-through, high ones bright (Inferno's colours).
HEAT_OVERLAY = [
    [0.0, "rgba(0,0,4,0)"],
    [0.25, "rgba(87,16,110,0.25)"],
    [0.5, "rgba(188,55,84,0.55)"],
    [0.75, "rgba(249,142,9,0.8)"],
    [1.0, "rgba(252,255,164,0.95)"],
]
#: Magnitudes (>= 0).
SEQUENTIAL = "Cividis"
#: Heatmaps drawn over photos.
HEAT = "Inferno"

TEMPLATE = "udl_viz"
PROJECTOR_TEMPLATE = "udl_viz_projector"


def _register_templates() -> None:
    base = go.layout.Template(pio.templates["plotly_white"])
    base.layout.colorway = PALETTE
    base.layout.font = {"size": 14}
    base.layout.title = {"x": 0.02, "xanchor": "left"}
    base.layout.margin = {"l": 50, "r": 20, "t": 60, "b": 50}
    for axis in ("xaxis", "yaxis"):  # tick labels and axis titles push the margin instead of being clipped
        base.layout[axis] = {"automargin": True}
    pio.templates[TEMPLATE] = base

    big = go.layout.Template(base)
    big.layout.font = {"size": 24, "color": "#000000"}
    big.layout.title = {"font": {"size": 30}, "x": 0.02, "xanchor": "left"}
    big.layout.margin = {"l": 80, "r": 30, "t": 90, "b": 80}
    for axis in ("xaxis", "yaxis"):
        big.layout[axis] = {"automargin": True, "linewidth": 3, "linecolor": "#000000", "gridcolor": "#BBBBBB",
                            "tickfont": {"size": 22}, "title": {"font": {"size": 24}}}
    big.data.scatter = [go.Scatter(line={"width": 5}, marker={"size": 12})]
    big.data.bar = [go.Bar(textfont={"size": 22})]
    pio.templates[PROJECTOR_TEMPLATE] = big
    pio.templates.default = TEMPLATE


_register_templates()


#: Smallest font (px) of any text in a figure in projector mode.
PROJECTOR_MIN_FONT = 18

#: Width of the expanded sidebar (px), room for the model and sample names: set with the page config, so it is
#: the width from the first frame on (as CSS it came with the page's first line, and every chart drawn by then
#: was drawn again narrower).
SIDEBAR_WIDTH_PX = 352

#: Page CSS in every mode: labels wrap instead of ending in "…", figure titles drawn above figures.
PAGE_CSS = """
[data-testid='stSidebarNavLink'] span, [data-testid='stSidebarNavSeparator'] span,
[data-testid='stNavSectionHeader'], [data-testid='stNavSectionHeader'] *,
[data-testid='stMetricLabel'], [data-testid='stMetricLabel'] *, [data-testid='stMetricValue'],
[data-testid='stMetricValue'] *, [data-baseweb='select'] div, [data-baseweb='tab'] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere;
}
[data-testid='stMetricValue'] {font-size: 1.6rem;}
.js-plotly-plot .gtitle {display: none;}
.udl-figure-title {font-weight: 600; font-size: 1.05rem; line-height: 1.3; margin: 0.2rem 0 -0.6rem 0;}
"""

#: Extra page CSS in projector mode: large type, the title clearly the largest, little chrome.
PROJECTOR_CSS = (f"[data-testid='stSidebar'][data-collapsed='false'] {{min-width: {SIDEBAR_WIDTH_PX}px !important; "
                 f"max-width: {SIDEBAR_WIDTH_PX}px !important;}}") + """
html, body, [data-testid='stMain'] p, [data-testid='stMain'] li, [data-testid='stMain'] label,
[data-testid='stSidebar'] span, [data-testid='stWidgetLabel'] p, [data-baseweb='select'] div,
[data-testid='stMain'] input, [data-testid='stMain'] textarea {font-size: 1.3rem !important;}
[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] p {font-size: 1.2rem !important;}
[data-testid='stSelectbox'] input {font-size: 1.1rem !important;}
[data-testid='stMain'] h1, [data-testid='stMain'] h1 span {font-size: 3rem !important; line-height: 1.15 !important;}
[data-testid='stMain'] h1 {padding-top: 0.4rem !important; padding-bottom: 0.2rem !important;}
[data-testid='stMain'] h2, [data-testid='stMain'] h2 span {font-size: 2.2rem !important;}
[data-testid='stMain'] h3, [data-testid='stMain'] h3 span {font-size: 1.8rem !important;}
[data-testid='stMetricValue'], [data-testid='stMetricValue'] div {font-size: 2rem !important;}
.udl-figure-title {font-size: 1.6rem !important;}
[data-testid='stMainBlockContainer'] {padding-top: 3rem !important; padding-left: 2rem !important;
  padding-right: 2rem !important; max-width: 100% !important;}
"""
