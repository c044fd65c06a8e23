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
    pio.templates[TEMPLATE] = base

    big = go.layout.Template(base)
    big.layout.font = {"size": 24, "color": "#000000"}
    big.layout.title = {"font": {"size": 30}, "x": 0.02, "xanchor": "left"}
    big.layout.margin = {"l": 80, "r": 30, "t": 90, "b": 80}
    for axis in ("xaxis", "yaxis"):
        big.layout[axis] = {"linewidth": 3, "linecolor": "#000000", "gridcolor": "#BBBBBB",
                            "tickfont": {"size": 22}, "title": {"font": {"size": 24}}}
    big.data.scatter = [go.Scatter(line={"width": 5}, marker={"size": 12})]
    big.data.bar = [go.Bar(textfont={"size": 22})]
    pio.templates[PROJECTOR_TEMPLATE] = big
    pio.templates.default = TEMPLATE


_register_templates()
