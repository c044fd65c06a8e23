"""The one widget renderer for ``udl_viz.settings.Setting``: every knob on every page is drawn here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from udl_viz.settings import Setting


def setting_widget(setting: Setting, key: str, value: Any = None, *, bind: str | None = None,
                   label: str | None = None, disabled: bool = False) -> Any:
    """Draw one setting with the engine's range and return its value.

    A select box (or ``widget="radio"``) for choices, a toggle for a bool, a select slider over
    ``ticks``, a typed box for ``widget="number"``, a slider for other numbers, else a text box.
    ``bind="query-params"`` keeps the value in the page's URL; ``label`` replaces the setting's own.
    ``disabled`` greys it out (e.g. a knob that does not matter for the current choice).
    """
    value = setting.default if value is None else value
    common = {"key": key, "help": setting.help or None, "bind": bind, "disabled": disabled}
    label = setting.label if label is None else label
    if setting.choices:
        options = list(setting.choices)
        if setting.widget == "radio":
            short = max(len(setting.label_of(o)) for o in options) <= 12  # side by side only if they fit
            return st.radio(label, options, index=options.index(value), format_func=setting.label_of,
                            horizontal=short, **common)
        return st.selectbox(label, options, index=options.index(value), format_func=setting.label_of, **common)
    if isinstance(setting.default, bool):
        return bool(st.toggle(label, bool(value), **common))
    kind = int if isinstance(setting.default, int) else float
    if setting.ticks:
        options = sorted({*map(kind, setting.ticks), kind(value)})
        fmt = setting.format or "%g"
        return kind(st.select_slider(label, options, value=kind(value), format_func=lambda v: fmt % v, **common))
    if setting.numeric:
        low, high = kind(setting.minimum), kind(setting.maximum)
        typed = setting.widget == "number"
        step = kind(setting.step or (setting.default if typed and setting.default else 1 if kind is int else 0.01))
        draw = st.number_input if typed else st.slider
        return kind(draw(label, low, high, kind(value), step, format=setting.format, **common))
    return st.text_input(label, str(value), **common)


def setting_widgets(settings: Sequence[Setting], key_prefix: str, values: Mapping[str, Any] | None = None,
                    columns: int | None = None, bind: Sequence[str] = ()) -> dict[str, Any]:
    """Draw several settings side by side (``columns`` per row, default all); return name -> value.

    Each widget's key is ``f"{key_prefix}_{name}"``; the settings named in ``bind`` keep their value in the URL.
    """
    values = values or {}
    chosen: dict[str, Any] = {}
    per_row = max(1, columns or len(settings) or 1)
    for start in range(0, len(settings), per_row):
        row = settings[start:start + per_row]
        for column, setting in zip(st.columns(per_row), row, strict=False):
            with column:
                chosen[setting.name] = setting_widget(
                    setting, f"{key_prefix}_{setting.name}", values.get(setting.name),
                    bind="query-params" if setting.name in bind else None)
    return chosen
