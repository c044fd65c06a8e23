"""Serving a whole class: several app processes behind nginx (no torch, no streamlit imported here)."""
