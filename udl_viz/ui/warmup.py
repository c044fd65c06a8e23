"""Warm start: the default model and the default sample's first-page results, ready before visitors.

``streamlit run app.py`` calls ``start_warmup()`` as the server starts (``lifespan``, the
``st.App`` start-up hook), before any visitor; ``home.py`` calls it too on its first run, for a
server started on ``home.py`` itself (it starts once per process either way). The work
runs in a background thread, so the server keeps answering meanwhile; a page that asks for the
same result while it runs waits for it instead of computing it again (single-flight).
``$UDL_VIZ_WARMUP=0`` turns it off; when ``$UDL_VIZ_READY_FILE`` is set, a JSON line is written
there once the warm-up is over (how ``serve`` knows a replica can take traffic).
"""

from __future__ import annotations

import json
import logging
import os
import runpy
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import streamlit as st

from udl_viz.ui.lecture import page_slug

READY_FILE_ENV = "UDL_VIZ_READY_FILE"
THREAD_NAME = "udl_viz-warmup"
#: The page a class opens first: running it once here does its one-time work (imports, figure
#: templates, the first layer's filters) before a visitor asks for it.
FIRST_PAGE = Path(__file__).resolve().parents[2] / "app_pages" / "01_Layer_Activations.py"
_VISITED = threading.Event()
#: The Layer activations page opens on this layer (the third named layer, or the last if fewer).
DEFAULT_LAYER_INDEX = 2


def default_layer(layers: list[str]) -> str:
    """The layer the Layer activations page shows first."""
    return layers[min(DEFAULT_LAYER_INDEX, len(layers) - 1)]


def warm() -> dict:
    """Load the default model and compute the default sample's predictions and layer activations."""
    from udl_viz.models import DEFAULT_MODEL, get_spec
    from udl_viz.samples import load_sample, sample_names
    from udl_viz.ui.loaders import (
        cached_layer_activations,
        cached_predictions,
        get_model,
        image_key,
    )

    started = time.perf_counter()
    spec = get_spec(DEFAULT_MODEL)
    get_model(DEFAULT_MODEL)
    sample = sample_names(digits=spec.preprocess.grayscale)[0]
    image = load_sample(sample)
    key = image_key(image)
    cached_predictions(spec.name, key, image, 5)
    cached_layer_activations(spec.name, key, default_layer([layer.path for layer in spec.layers]), image)
    # Outside a session streamlit draws nothing: only the page's one-time work remains. A visitor who opened
    # the page first does it on their own run; doing it here too would only take CPU from their page.
    page_run = FIRST_PAGE.exists() and not _VISITED.is_set()
    if page_run:
        runpy.run_path(str(FIRST_PAGE), run_name="__main__")
    return {"model": spec.name, "sample": sample, "page_run": page_run,
            "seconds": round(time.perf_counter() - started, 3)}


def page_opened(url_path: str) -> None:
    """A session is about to run the page at ``url_path`` (``home.py``): if that is the first page, the
    warm-up leaves the page's one-time work to it (``serve``'s run of ``home.py`` itself opens no page)."""
    if url_path == page_slug(FIRST_PAGE):
        _VISITED.set()


class _QuietWarmup(logging.Filter):
    """Drop streamlit's "missing ScriptRunContext" notes from the warm-up thread (it has no session, by design)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return threading.current_thread().name != THREAD_NAME


@contextmanager
def _one_intra_op_thread() -> Iterator[None]:
    """torch computes with one thread inside the block.

    The warm-up runs while the first browser loads streamlit's code on the same cores: torch's two
    intra-op threads then spin waiting for each other (the default predictions took 0.5-1.6 s instead
    of 0.07-0.4 s). A passive OpenMP wait for the whole server fixed it too, but made every one-image
    forward 1.7x slower afterwards. The setting is process-wide: a script run that starts its torch
    work meanwhile keeps one thread until it ends.
    """
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def _run() -> None:
    try:
        with _one_intra_op_thread():
            record = {"ready": True, **warm()}
    except Exception as exc:  # noqa: BLE001 (a failed warm-up must not stop the server: pages still work)
        record = {"ready": True, "error": f"{type(exc).__name__}: {exc}"}
    ready_file = os.environ.get(READY_FILE_ENV)
    if ready_file:
        path = Path(ready_file)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(record) + "\n")
        tmp.replace(path)


@st.cache_resource(show_spinner=False)
def start_warmup() -> threading.Thread | None:
    """Start the warm-up once per process, in the background; returns its thread (None if turned off)."""
    if os.environ.get("UDL_VIZ_WARMUP", "1") == "0":
        return None
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_QuietWarmup())
    thread = threading.Thread(target=_run, name=THREAD_NAME, daemon=True)
    thread.start()
    return thread


@asynccontextmanager
async def lifespan(_app: object) -> AsyncIterator[None]:
    """``st.App``'s start-up hook (``app.py``): start the warm-up in the background, then serve."""
    start_warmup()
    yield
