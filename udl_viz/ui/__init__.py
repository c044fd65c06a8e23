"""The streamlit layer: shared widgets, the sidebar and cached loaders.

This is the only part of udl_viz that imports streamlit.
"""
