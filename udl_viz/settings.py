"""One setting type for every knob in udl_viz: its default, its allowed values and its check.

The engine declares its knobs as ``Setting`` objects; pages draw them with
``udl_viz.ui.settings.setting_widgets`` and the CLI checks ``--set NAME=VALUE`` with ``resolve``,
so the engine's ranges are the only source of truth::

    SETTINGS = (Setting("steps", "Steps", 50, minimum=1, maximum=500, step=1),
                Setting("kernel", "Kernel", "rbf", choices=("rbf", "linear")))
    values = resolve(SETTINGS, {"steps": "80"})   # {"steps": 80, "kernel": "rbf"}
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    """One knob: its default and allowed values (``choices`` or a numeric range)."""

    name: str
    label: str
    default: Any
    choices: tuple = ()
    labels: tuple[str, ...] = ()  # how to show each choice, if not as itself
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    help: str = ""
    #: Values a slider offers (e.g. ``log_ticks``); any number in range still passes ``check``.
    ticks: tuple[float, ...] = ()
    #: How to draw it when the default is not what is wanted: "radio" for choices, "number" for a typed box.
    widget: str = ""
    #: printf-style format of a number on its slider or box, e.g. "%.1e".
    format: str | None = None

    @property
    def numeric(self) -> bool:
        return isinstance(self.default, int | float) and not isinstance(self.default, bool)

    def label_of(self, choice: Any) -> str:
        """How ``choice`` is shown to a student."""
        shown = dict(zip(self.choices, self.labels or self.choices, strict=True))
        return str(shown.get(choice, choice))

    def check(self, value: Any) -> Any:
        """``value`` converted to the default's type, or ``ValueError`` with a plain message."""
        if self.choices:
            if value not in self.choices:
                raise ValueError(f"{self.label} must be one of {', '.join(map(str, self.choices))}; got {value!r}.")
            return value
        if isinstance(self.default, bool):
            if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "yes", "no"):
                return value.lower() in ("true", "1", "yes")
            if isinstance(value, bool):
                return value
            raise ValueError(f"{self.label} must be true or false; got {value!r}.")
        if self.numeric:
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise ValueError(f"{self.label} must be a number; got {value!r}.") from None
            if not math.isfinite(number):
                raise ValueError(f"{self.label} must be a finite number; got {value!r}.")
            if isinstance(self.default, int):
                if number != int(number):
                    raise ValueError(f"{self.label} must be a whole number; got {value!r}.")
                value = int(number)
            else:
                value = number
            if self.minimum is not None and self.maximum is not None and not self.minimum <= value <= self.maximum:
                raise ValueError(f"{self.label} must be between {self.minimum:g} and {self.maximum:g}; got {value:g}.")
            if self.minimum is not None and value < self.minimum:
                raise ValueError(f"{self.label} must be at least {self.minimum:g}; got {value:g}.")
            if self.maximum is not None and value > self.maximum:
                raise ValueError(f"{self.label} must be at most {self.maximum:g}; got {value:g}.")
        return value


def log_ticks(low: float, high: float, mantissas: tuple[float, ...] = (1, 2, 5)) -> tuple[float, ...]:
    """Round values from ``low`` to ``high`` (both > 0) spaced evenly on a log scale: 0.001, 0.002, 0.005, …"""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    values = {round(m * 10.0**e, 12) for e in range(first, last + 1) for m in mantissas}
    return tuple(sorted(v for v in values if low <= v <= high))


def freeze(values: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    """Setting values as a hashable, order-independent key (for caches and frozen dataclasses)."""
    return tuple(sorted(values.items()))


def resolve(settings: Iterable[Setting], overrides: Mapping[str, Any] | None = None,
            owner: str = "This") -> dict[str, Any]:
    """Defaults updated with ``overrides``, each checked; ``ValueError`` names what is wrong."""
    known = {s.name: s for s in settings}
    unknown = set(overrides or {}) - set(known)
    if unknown:
        raise ValueError(f"{owner} has no setting {', '.join(sorted(unknown))}; "
                         f"it knows {', '.join(known) or 'none'}.")
    values = {name: s.default for name, s in known.items()}
    for name, value in (overrides or {}).items():
        values[name] = known[name].check(value)
    return values
