"""udl_viz's server: ``streamlit run app.py`` serves the dashboard (``home.py`` and its ``app_pages/``).

It also starts the warm-up as the server starts, in the background, so the default model and the
first page's results are ready before the first visitor and the server answers at once meanwhile, and
its HTML pages tell the browser to fetch plotly.js and the page CSS's code with streamlit's own (``asset_preload``).
"""

import streamlit as st
from starlette.middleware import Middleware
from starlette.responses import FileResponse

from udl_viz.ui.asset_preload import ChunkPreload
from udl_viz.ui.warmup import lifespan

#: streamlit's own code (8 MB for a page with charts) goes out in 1 MB reads instead of starlette's 64 KB:
#: each read is a trip through a worker thread, slow while the warm-up holds the interpreter. First page
#: opened as the server answers, taking turns: faster in 7 of 9 runs (median 4.45 s against 4.88 s in six).
FileResponse.chunk_size = 1 << 20

app = st.App("home.py", lifespan=lifespan, middleware=[Middleware(ChunkPreload)])
