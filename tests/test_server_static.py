"""`streamlit run app.py` serves streamlit's own code whole, in the larger reads app.py sets."""

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


def test_app_py_sets_the_larger_reads():
    from starlette.responses import FileResponse

    import app  # noqa: F401 (importing it is what sets them)

    assert FileResponse.chunk_size == 1 << 20
