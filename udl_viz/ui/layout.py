"""Page scaffolding shared by every page: config, title, projector mode, figures."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from udl_viz import style

#: Session-state key and URL query parameter of the projector toggle (``?projector=true``).
PROJECTOR_KEY = "projector"


def projector_mode() -> bool:
    """Whether the large-font, high-contrast classroom view is on."""
    return bool(st.session_state.get(PROJECTOR_KEY, False))


def page_setup(title: str, caption: str, icon: str = "🔬") -> None:
    """Configure the page, draw its title and one-line caption, and the common sidebar."""
    st.set_page_config(page_title=f"{title} · udl_viz", page_icon=icon, layout="wide")
    st.sidebar.toggle("Projector mode", key=PROJECTOR_KEY, bind="query-params", persist_state="session",
                      help="Large fonts, high contrast and thick lines for a lecture hall. "
                           "Add ?projector=true to a link to open it this way.")
    if projector_mode():
        st.markdown(
            "<style>html, body, [class*='st-'] {font-size: 1.35rem !important;}"
            " h1 {font-size: 3rem !important;}</style>",
            unsafe_allow_html=True,
        )
    st.title(title)
    st.caption(caption)


def show_figure(fig: go.Figure, key: str | None = None, **kwargs) -> None:
    """Render a plotly figure with the udl_viz template (projector-sized when that is on)."""
    template = style.PROJECTOR_TEMPLATE if projector_mode() else style.TEMPLATE
    fig.update_layout(template=template)
    st.plotly_chart(fig, key=key, theme=None, width="stretch", **kwargs)
