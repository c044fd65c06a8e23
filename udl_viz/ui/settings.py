"""The one widget renderer for ``udl_viz.settings.Setting``: every knob on every page is drawn here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from udl_viz.settings import Setting


def setting_widget(setting: Setting, key: str, value: Any = None) -> Any:
    """Draw one setting (select box, toggle, slider or text) with the engine's range; return its value."""
    value = setting.default if value is None else value
    help_text = setting.help or None
    if setting.choices:
        options = list(setting.choices)
        return st.selectbox(setting.label, options, index=options.index(value), key=key, help=help_text,
                            format_func=setting.label_of)
    if isinstance(setting.default, bool):
        return bool(st.toggle(setting.label, bool(value), key=key, help=help_text))
    if isinstance(setting.default, int):
        return int(st.slider(setting.label, int(setting.minimum), int(setting.maximum), int(value),
                             int(setting.step or 1), key=key, help=help_text))
    if isinstance(setting.default, float):
        return float(st.slider(setting.label, float(setting.minimum), float(setting.maximum), float(value),
                               float(setting.step or 0.01), key=key, help=help_text))
    return st.text_input(setting.label, str(value), key=key, help=help_text)


def setting_widgets(settings: Sequence[Setting], key_prefix: str, values: Mapping[str, Any] | None = None,
                    columns: int | None = None) -> dict[str, Any]:
    """Draw several settings side by side (``columns`` per row, default all); return name -> value."""
    values = values or {}
    chosen: dict[str, Any] = {}
    per_row = max(1, columns or len(settings) or 1)
    for start in range(0, len(settings), per_row):
        row = settings[start:start + per_row]
        for column, setting in zip(st.columns(per_row), row, strict=False):
            with column:
                chosen[setting.name] = setting_widget(setting, f"{key_prefix}_{setting.name}",
                                                      values.get(setting.name))
    return chosen
