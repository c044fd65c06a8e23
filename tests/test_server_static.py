"""`streamlit run app.py` serves streamlit's own code whole, in the larger reads app.py sets, and its pages
name the chunks a first page waits for, for the browser to fetch with the rest."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import streamlit

from tests.browser import streamlit_server

STATIC = Path(streamlit.__file__).parent / "static"


def test_the_largest_script_comes_whole_and_in_ranges():
    largest = max((STATIC / "static" / "js").glob("*.js"), key=lambda p: p.stat().st_size)
    expected = largest.read_bytes()
    assert len(expected) > 2 * (1 << 20)  # several of app.py's 1 MB reads
    with streamlit_server() as url:
        address = f"{url}/static/js/{largest.name}"
        with urllib.request.urlopen(address, timeout=30) as response:
            assert response.read() == expected
        start, end = (1 << 20) - 5, 3 * (1 << 20) + 7  # a range across read boundaries
        request = urllib.request.Request(address, headers={"Range": f"bytes={start}-{end}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 206
            assert response.read() == expected[start:end + 1]


def test_every_page_names_the_chunks_a_first_page_waits_for():
    """Plotly's chunk and the HTML element's (the page CSS), with what they import, each served as is."""
    with streamlit_server() as url:
        for path in ("/", "/Layer_Activations", "/Saliency_Maps?projector=true"):
            with urllib.request.urlopen(f"{url}{path}", timeout=30) as response:
                assert response.headers.get_content_type() == "text/html"
                index = response.read().decode()
                links = [part.strip() for part in (response.headers["Link"] or "").split(",")]
            assert links and all(link.endswith(">; rel=modulepreload") for link in links), (path, links)
            files = [link[1:link.index(">")] for link in links]
            names = [Path(f).name for f in files]
            assert any(n.startswith("PlotlyChart.") for n in names) and any(n.startswith("Html.") for n in names)
            assert any(n.startswith("purify.") for n in names)  # what the HTML element imports
            assert not any(n in index for n in names)  # nothing index.html already loads
            for file in files:
                assert file.startswith("/static/js/")
                with urllib.request.urlopen(f"{url}{file}", timeout=30) as response:
                    assert response.read() == (STATIC / file.lstrip("/")).read_bytes()
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=30) as response:
            assert response.headers["Link"] is None  # only pages carry it


def test_the_links_follow_the_servers_base_url_path(monkeypatch):
    from streamlit import config

    from udl_viz.ui import asset_preload

    files = asset_preload.preload_files()
    assert files and all((STATIC / "static" / "js" / name).is_file() for name in files)
    monkeypatch.setattr(config, "get_option", lambda name: "/class/" if name == "server.baseUrlPath" else None)
    assert asset_preload.preload_link().decode().split(", ") == [
        f"</class/static/js/{name}>; rel=modulepreload" for name in files]


def test_app_py_sets_the_larger_reads():
    from starlette.responses import FileResponse

    import app  # noqa: F401 (importing it is what sets them)

    assert FileResponse.chunk_size == 1 << 20
