"""A streamlit session without a browser: opens a page over the app's WebSocket and times its run.

What a classroom server does per student is run the page script and send its elements; drawing them
is each student's own laptop's work. Browsers on the server's own 2 cores would bill that drawing to
the server, so the load benchmarks also open sessions this way: the protocol the browser speaks
(``/_stcore/stream``, protobuf ``BackMsg``/``ForwardMsg``), with no rendering.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect


@dataclass
class Run:
    """One page run seen from the client: seconds to the first chart and to the end, and what came."""

    seconds: float = 0.0
    first_chart: float | None = None
    charts: int = 0
    elements: int = 0
    exception: str = ""
    finished: bool = False
    texts: list[str] = field(default_factory=list)


def page_of(link: str) -> tuple[str, str]:
    """A demo link such as ``Layer_Activations?sample=Rocket`` as (page, query) for ``open_page``."""
    page, _, query = link.partition("?")
    return page, query


async def open_page(base_url: str, page: str, query: str = "", timeout: float = 300.0) -> Run:
    """Open ``page`` (its URL path, "" for home) in a new session and wait until its script finished."""
    ws_url = base_url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
    run = Run()
    start = time.perf_counter()
    async with connect(ws_url, subprotocols=["streamlit"], max_size=None) as conn:
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        await conn.send(msg.SerializeToString())
        while time.perf_counter() - start < timeout:
            data = await asyncio.wait_for(conn.recv(), timeout)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                run.elements += 1
                which = element.WhichOneof("type")
                if which == "plotly_chart":
                    run.charts += 1
                    run.first_chart = run.first_chart or time.perf_counter() - start
                elif which == "exception":
                    run.exception = element.exception.message
                elif which in ("markdown", "heading"):
                    run.texts.append(getattr(element, which).body)
            elif kind == "script_finished" and fwd.script_finished in (ForwardMsg.FINISHED_SUCCESSFULLY,
                                                                         ForwardMsg.FINISHED_EARLY_FOR_RERUN):
                run.finished = fwd.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
                if run.finished:
                    break
    run.seconds = time.perf_counter() - start
    return run


async def open_many(base_url: str, pages: list[tuple[str, str]]) -> list[Run]:
    """Open every (page, query) at once, each in its own session."""
    return list(await asyncio.gather(*(open_page(base_url, page, query) for page, query in pages)))


def open_all(base_url: str, pages: list[tuple[str, str]]) -> list[Run]:
    """``open_many`` from synchronous code (in a thread of its own: Playwright's sync API holds this one's loop)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(open_many(base_url, pages))).result()
