"""Small tables drawn as page text: headers, number alignment and formatting, and markdown kept literal."""

from __future__ import annotations

from udl_viz.ui.layout import table_markdown


def test_a_table_has_its_headers_right_aligned_numbers_and_three_figures():
    rows = [{"layer": "conv1", "channels": 16, "mean": 0.123456, "extra": "not shown"},
            {"layer": "conv2", "channels": 32, "mean": 12.0}]
    assert table_markdown(rows, {"layer": "layer", "channels": "channels", "mean": "mean activation"}) == (
        "| layer | channels | mean activation |\n"
        "| --- | ---: | ---: |\n"
        "| conv1 | 16 | 0.123 |\n"
        "| conv2 | 32 | 12 |")


def test_markdown_in_a_cell_stays_literal():
    rows = [{"name": "_blocks.1|*x*\n$5", "n": 1}]
    line = table_markdown(rows, {"name": "name", "n": "n"}).splitlines()[2]
    assert line == r"| \_blocks.1\|\*x\* \$5 | 1 |"
