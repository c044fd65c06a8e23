"""udl_viz's server: ``streamlit run app.py`` serves the dashboard (``home.py`` and its ``app_pages/``).

It also starts the warm-up as the server starts, in the background, so the default model and the
first page's results are ready before the first visitor and the server answers at once meanwhile.
"""

import streamlit as st

from udl_viz.ui.warmup import lifespan

app = st.App("home.py", lifespan=lifespan)
