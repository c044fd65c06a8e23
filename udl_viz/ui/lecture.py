"""The instructor's path: the lecture's pages in tour order, each a link with its demo settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

#: Session-state key of the URL path of the page being shown (set by home.py's navigation).
CURRENT_KEY = "lecture_current"


@dataclass(frozen=True)
class Step:
    """One stop of the lecture: a page, its label and the query settings that show its lesson."""

    page: str  # the page file, e.g. "app_pages/03_Saliency_Maps.py"
    url_path: str  # e.g. "Saliency_Maps"
    label: str
    query: dict[str, str] = field(default_factory=dict)

    def link_params(self) -> dict[str, str]:
        """The step's query parameters, in projector mode."""
        return {**self.query, "projector": "true"}


def page_slug(path: str | Path) -> str:
    """URL path of a page file: ``app_pages/01_Layer_Activations.py`` -> ``Layer_Activations``."""
    return Path(path).stem.split("_", 1)[1]


_STEPS: list[Step] = []


def set_steps(steps: list[Step]) -> None:
    """Declare the lecture's steps (home.py builds them from its tour, in tour order)."""
    _STEPS[:] = steps


def steps() -> list[Step]:
    """The lecture's steps, first to last."""
    return list(_STEPS)


def set_current(url_path: str) -> None:
    """Record which page this session is showing (home.py calls this before running the page)."""
    st.session_state[CURRENT_KEY] = url_path


def current_step() -> int | None:
    """Position of the page being shown in the lecture, or ``None`` when it is not a step."""
    current = st.session_state.get(CURRENT_KEY)
    return next((i for i, step in enumerate(_STEPS) if step.url_path == current), None)


def step_links() -> None:
    """Previous / next links of the lecture, carrying each step's settings and projector mode."""
    i = current_step()
    if i is None:
        return
    back, forward = st.columns(2)  # arrows only: the tooltip names the step, the title keeps the width
    if i > 0:
        previous = _STEPS[i - 1]
        back.page_link(previous.page, label="◀", query_params=previous.link_params(),
                       help=f"Previous: step {i} of {len(_STEPS)}, {previous.label}")
    if i + 1 < len(_STEPS):
        following = _STEPS[i + 1]
        forward.page_link(following.page, label="▶", query_params=following.link_params(),
                          help=f"Next: step {i + 2} of {len(_STEPS)}, {following.label}")


def lecture_list() -> None:
    """The whole lecture as numbered links (for the home page)."""
    for n, step in enumerate(_STEPS, 1):
        st.page_link(step.page, label=f"{n}. {step.label}", query_params=step.link_params())
