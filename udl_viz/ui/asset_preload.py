"""The browser fetches the code a first page waits for together with streamlit's own, not one chunk at a time.

streamlit's browser code loads an element's code (a "chunk") only when that element arrives: plotly.js
(4.7 MB) with a page's first chart, the HTML element (which carries udl_viz's page CSS) with the page's
first line. Each is a trip to a server that is busy computing the page. Every HTML page ``app.py`` serves
carries ``Link: rel=modulepreload`` headers for those chunks and the modules they import, so the browser
fetches and compiles them while it loads the rest; the page CSS is then in place before the first chart
is drawn, and no chart is drawn again when it arrives. streamlit's own HTML and files are untouched.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit import config, file_util

#: streamlit's element chunks every udl_viz page uses: plotly charts, and ``st.html`` (the page CSS).
CHUNKS = ("PlotlyChart", "Html")


def _static_js() -> Path:
    return Path(file_util.get_static_dir(), "static", "js")


@cache
def preload_files() -> tuple[str, ...]:
    """File names (under ``static/js``) of the ``CHUNKS`` and every module they import.

    The imports are read from the map vite writes into streamlit's main bundle (``__vite__mapDeps``);
    without one, each chunk is preloaded alone (its imports then come when it runs, as before). Modules
    ``index.html`` already names are left out.
    """
    js = _static_js()
    index = (js.parent.parent / "index.html").read_text(encoding="utf-8")
    main = re.search(r'<script type="module"[^>]*src="\./static/js/([^"]+)"', index)
    bundle = (js / main.group(1)).read_text(encoding="utf-8") if main else ""
    files_list = re.search(r"m\.f=\[([^\]]*)\]", bundle)
    listed = re.findall(r'"([^"]+)"', files_list.group(1)) if files_list else []
    all_files = [name.removeprefix("./") for name in listed]
    wanted: list[str] = []
    for chunk in CHUNKS:
        found = sorted(js.glob(f"{chunk}.*.js"))
        if not found:
            continue
        wanted.append(found[0].name)
        deps = re.search(rf"import\(`\./{re.escape(found[0].name)}`\)[^;]*?__vite__mapDeps\(\[([\d,]+)\]", bundle)
        if deps and all_files:
            wanted += [all_files[int(i)] for i in deps.group(1).split(",") if int(i) < len(all_files)]
    named = set(re.findall(r'static/js/([^"]+\.js)"', index))  # index.html loads or preloads these itself
    return tuple(name for name in dict.fromkeys(wanted)
                 if name.endswith(".js") and name not in named and (js / name).is_file())


def preload_link() -> bytes | None:
    """The ``Link`` header value that preloads ``preload_files()`` under the server's base URL path."""
    files = preload_files()
    if not files:
        return None
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}" if base else ""
    return ", ".join(f"<{prefix}/static/js/{name}>; rel=modulepreload" for name in files).encode()


class ChunkPreload:
    """ASGI middleware: add the preload ``Link`` header to every ``text/html`` response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_link(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                html = any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers)
                if html and (link := preload_link()):
                    message = {**message, "headers": [*headers, (b"link", link)]}
            await send(message)

        await self.app(scope, receive, send_with_link)
