"""The streamlit layer: shared widgets, the sidebar and cached loaders.

This is the only part of udl_viz that imports streamlit.
"""

# pandas (and the pyarrow it loads) fully imported before sessions run side by side: plotly and
# streamlit import them lazily, from different places, and two sessions doing that at once in a
# fresh process can cross (a concurrent circular import), leaving one with a half-initialised
# pandas ("partially initialized module 'pandas' has no attribute 'Series"). Every session's first
# run passes through here first, one at a time.
import pandas  # noqa: F401

from udl_viz.allocator import keep_freed_memory

keep_freed_memory()  # the server runs forward passes all day: keep their freed buffers for the next ones
