"""Page scaffolding shared by every page: config, title, projector mode, figures."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from udl_viz import style
from udl_viz.ui import lecture

#: Session-state key and URL query parameter of the projector toggle (``?projector=true``).
PROJECTOR_KEY = "projector"
#: Key (and CSS class ``st-key-…``) of the hidden container ``plotly_preloaded`` sends first.
PRELOAD_KEY = "udl_plotly_preload"


def projector_mode() -> bool:
    """Whether the large-font, high-contrast classroom view is on (toggle, or ``?projector=true`` on arrival)."""
    if PROJECTOR_KEY in st.session_state:
        return bool(st.session_state[PROJECTOR_KEY])
    return st.query_params.get(PROJECTOR_KEY, "").lower() == "true"


@contextmanager
def plotly_preloaded() -> Iterator[None]:
    """Run a session's first run (``home.py``'s navigation and the page) inside the block, with an empty
    chart hidden at its top, removed at the end.

    streamlit's browser code runs plotly.js (4.7 MB; about 0.5 s of the browser's time) only once a chart
    arrives; the empty chart, sent before the page's work, has the browser run it meanwhile. Sent first in
    ``home.py``, before the navigation, the first page on ``streamlit run app.py`` opened as it starts took a
    median 4.03 s against 4.16 s with it sent just before the page (five runs each, taking turns).
    Later runs of the session already have plotly.js.
    A page that calls ``st.stop()`` cannot send the removal: the hidden chart then goes at the next run.
    """
    if st.session_state.get(PRELOAD_KEY):
        yield
        return
    st.session_state[PRELOAD_KEY] = True
    slot = st.empty()
    with slot.container(key=PRELOAD_KEY):
        st.html(f"<style>.st-key-{PRELOAD_KEY} {{display: none}}</style>")
        st.plotly_chart(go.Figure())
    try:
        yield
    finally:
        slot.empty()


def page_config(**options: str) -> None:
    """The page config every page shares (wide; the sidebar collapsed in projector mode, else
    ``style.SIDEBAR_WIDTH_PX`` wide), with ``options`` such as the title added.

    streamlit sizes the sidebar once, when it first draws it: ``home.py`` sends this before the
    navigation that draws it, or a page's sidebar keeps streamlit's default width.
    """
    st.set_page_config(layout="wide", initial_sidebar_state="collapsed" if projector_mode() else style.SIDEBAR_WIDTH_PX,
                       **options)


def page_setup(title: str, caption: str, icon: str = "🔬") -> None:
    """Configure the page, draw its title, one-line caption and the common sidebar.

    In projector mode the sidebar starts collapsed, type is large and the lecture's
    previous/next links sit next to the title.
    """
    page_config(page_title=f"{title} · udl_viz", page_icon=icon)
    st.sidebar.toggle("Projector mode", key=PROJECTOR_KEY, bind="query-params",
                      persist_state="session",
                      help="Large fonts, high contrast and thick lines for a lecture hall. "
                           "Add ?projector=true to a link to open it this way.")
    st.html(f"<style>{style.PAGE_CSS}{style.PROJECTOR_CSS if projector_mode() else ''}</style>")
    if projector_mode() and lecture.current_step() is not None:
        # A narrow column of arrow links leaves the title the width to stay on one line.
        head, nav = st.columns([10, 1], vertical_alignment="center")
        with nav:
            lecture.step_links()
        with head:
            st.title(title)
    else:
        st.title(title)
    st.caption(caption)


def _readable(fig: go.Figure, minimum: int) -> None:
    """Raise every explicitly set font in ``fig`` (annotations, legend, trace text) to ``minimum`` px."""
    for annotation in fig.layout.annotations:
        if annotation.font.size is not None and annotation.font.size < minimum:
            annotation.font.size = minimum
    if fig.layout.legend.font.size is not None and fig.layout.legend.font.size < minimum:
        fig.layout.legend.font.size = minimum
    for trace in fig.data:
        font = getattr(trace, "textfont", None)
        if font is not None and font.size is not None and not isinstance(font.size, tuple) and font.size < minimum:
            font.size = minimum


#: Trace types plotly leaves out of the legend unless asked.
_NO_LEGEND_BY_DEFAULT = {"heatmap", "contour", "surface", "histogram2d", "histogram2dcontour", "image"}


def _has_legend(fig: go.Figure) -> bool:
    """Whether plotly draws a legend: asked for, or by default with more than one trace to name."""
    if fig.layout.showlegend is not None:
        return bool(fig.layout.showlegend)
    named = [getattr(t, "showlegend", False) for t in fig.data if t.type not in _NO_LEGEND_BY_DEFAULT]
    return any(named) or sum(shown is not False for shown in named) > 1


def figure_title(text: str) -> None:
    """A figure's title as a line of page text above it: it wraps, so it never runs past the figure."""
    st.html(f"<div class='udl-figure-title'>{_plotly_text(text)}</div>")


def table_markdown(rows: Sequence[Mapping[str, object]], columns: Mapping[str, str]) -> str:
    """``rows`` as a markdown table of ``columns`` (key: header); numbers right-aligned, floats to 3 figures."""
    def cell(value: object) -> str:
        text = f"{value:.3g}" if isinstance(value, float) else str(value)
        return re.sub(r"([\\`*_\[\]<>|~$])", r"\\\1", text.replace("\n", " "))

    numeric = [all(isinstance(row[key], int | float) for row in rows) for key in columns]
    lines = ["| " + " | ".join(cell(h) for h in columns.values()) + " |",
             "| " + " | ".join("---:" if n else "---" for n in numeric) + " |"]
    lines += ["| " + " | ".join(cell(row[key]) for key in columns) + " |" for row in rows]
    return "\n".join(lines)


def show_table(rows: Sequence[Mapping[str, object]], columns: Mapping[str, str]) -> None:
    """A small table as page text: it takes projector mode's type size, and loads no data-grid code in the
    browser (``st.dataframe`` cost a warm server's Layer activations page 0.4 s of browser time here)."""
    st.markdown(table_markdown(rows, columns))


def _plotly_text(text: str) -> str:
    """Plotly title markup (<br>, <b>, <i>, <sup>, <sub>) kept; anything else escaped."""
    kept = ("br", "b", "i", "sup", "sub")
    escaped = html.escape(text, quote=False)
    for tag in kept:
        for form in (f"<{tag}>", f"</{tag}>", f"<{tag} />", f"<{tag}/>"):
            escaped = escaped.replace(html.escape(form, quote=False), form)
    return escaped


def _set_template(fig: go.Figure, name: str) -> None:
    """Give ``fig`` a registered template, unvalidated as plotly gives every new figure the default one.

    Registered templates were validated when registered; validating one again per figure cost
    about a third of a page's server time, paid by every session.
    """
    validate, fig.layout._validate = fig.layout._validate, False
    try:
        fig.layout.template = pio.templates[name]
    finally:
        fig.layout._validate = validate


def show_figure(fig: go.Figure, key: str | None = None, title_above: bool = True, **kwargs) -> None:
    """Render a plotly figure with the udl_viz template (projector-sized when that is on).

    The title is drawn above the figure as page text (it wraps where plotly's would run past a
    narrow figure; plotly's own copy is hidden by ``style.PAGE_CSS`` and kept in exports), legends sit
    in one row above the plot (never on a slider, menu or axis title), and in projector mode no text is under
    ``style.PROJECTOR_MIN_FONT`` px. ``title_above=False`` leaves the title to exports only, for a small
    figure whose caption right below says what it shows.
    """
    projector = projector_mode()
    _set_template(fig, style.PROJECTOR_TEMPLATE if projector else style.TEMPLATE)
    title = fig.layout.title.text
    if title:
        if title_above:
            figure_title(title)  # the figure keeps its title for exports; the page hides plotly's copy
        top = 50 if projector else 40
        if not (_has_legend(fig) or fig.layout.annotations or fig.layout.updatemenus):
            top = 12  # nothing above the plot: no blank band between the page title and the figure
        if fig.layout.margin.t is None or fig.layout.margin.t > top:
            fig.update_layout(margin_t=top)
    if fig.layout.showlegend is not False:
        # Plotly gives every entry of a wrapped horizontal legend the width of the longest: keep names short.
        fig.update_layout(legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom",
                                  "yref": "paper", "xref": "paper", "traceorder": "normal"})
    if projector:
        _readable(fig, style.PROJECTOR_MIN_FONT)
    st.plotly_chart(fig, key=key, theme=None, width="stretch", **kwargs)
