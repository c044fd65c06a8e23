"""udl_viz: see inside neural networks.

The engine (everything outside ``udl_viz.ui``) is plain Python, torch, numpy and
plotly, usable from a notebook, the CLI or a test. Only ``udl_viz.ui`` imports
streamlit.
"""

__version__ = "0.1.0"
