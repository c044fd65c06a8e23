"""AppTest for the loss-landscape page."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def test_landscape_page_opens_on_the_pca_slice_then_random():
    at = AppTest.from_file(str(ROOT / "app_pages/09_Loss_Landscape.py"), default_timeout=300).run()
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert float(metrics["Loss at the trained weights"]) < 0.1 < 2.0 < float(metrics["Loss at the random start"])
    assert int(metrics["Share of the training path in this slice"].rstrip("%")) > 50  # the path is visible
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert charts[0]["data"][0]["type"] == "contour" and charts[1]["data"][0]["type"] == "surface"
    assert not at.info and not at.get("progress")
    at.radio(key="land_directions").set_value("random").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Share of the training path in this slice"].rstrip("%")) < 10
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert "filter-normalised random directions" in charts[0]["layout"]["title"]["text"]
    assert at.info
