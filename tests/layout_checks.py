"""Layout checks run inside a rendered page: text cut off, overlapping or running past its figure.

``LAYOUT_PROBLEMS`` is a JavaScript function for Playwright's ``page.evaluate``; it returns one
line per problem found (an empty list for a clean page).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

LAYOUT_PROBLEMS = r"""
() => {
  const problems = [];
  const box = e => e.getBoundingClientRect();
  const visible = r => r.width > 0.5 && r.height > 0.5;
  const hidden = e => e.closest('[data-testid="stSidebar"][data-collapsed="true"]') !== null;  // collapsed
  const overlap = (a, b) => Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left))
                          * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
  const label = e => (e.textContent || '').trim().slice(0, 60);
  const SLACK = 2;  // px of anti-aliasing and rounding
  document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot').forEach((plot, n) => {
    const svg = plot.querySelector('.main-svg');
    if (!svg) return;
    const frame = box(svg);
    if (!visible(frame)) return;  // in a closed tab or expander
    const name = `figure ${n + 1}`;
    const inside = (e, what) => {
      const r = box(e);
      if (!visible(r)) return;
      if (r.left < frame.left - SLACK || r.right > frame.right + SLACK
          || r.top < frame.top - SLACK || r.bottom > frame.bottom + SLACK) {
        problems.push(`${name}: ${what} '${label(e)}' runs past the figure`);
      }
    };
    plot.querySelectorAll('.gtitle').forEach(e => inside(e, 'title'));
    plot.querySelectorAll('.xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .g-y2title text')
        .forEach(e => inside(e, 'axis label'));
    const legends = [...plot.querySelectorAll('.legend')].map(box).filter(visible);
    const controls = [...plot.querySelectorAll('.slider-container, .updatemenu-container')]
        .map(e => [...e.querySelectorAll('rect, text')].map(box).filter(visible)).flat();
    legends.forEach(l => controls.forEach(c => {
      if (overlap(l, c) > 4) problems.push(`${name}: legend over a slider or menu`);
    }));
    const notes = [...plot.querySelectorAll('.annotation-text-g text, .annotation text')]
        .filter(e => visible(box(e)) && label(e));
    for (let i = 0; i < notes.length; i++) {
      for (let j = i + 1; j < notes.length; j++) {
        if (overlap(box(notes[i]), box(notes[j])) > 4) {
          problems.push(`${name}: '${label(notes[i])}' overlaps '${label(notes[j])}'`);
        }
      }
    }
  });
  const cut = '[data-testid="stMetricLabel"] *, [data-testid="stMetricValue"] *, [data-testid="stSidebarNavLink"] *,'
            + ' [data-testid="stSelectbox"] *, [data-testid="stMetricLabel"], [data-testid="stMetricValue"]';
  document.querySelectorAll(cut).forEach(e => {
    const cutOff = e.scrollWidth > e.clientWidth + 1 && visible(box(e)) && !hidden(e);
    if (getComputedStyle(e).textOverflow === 'ellipsis' && cutOff) {
      problems.push(`text cut with an ellipsis: '${label(e)}'`);
    }
  });
  // A select box shows its value in an <input>, which cannot wrap: the value must fit.
  document.querySelectorAll('[data-testid="stSelectbox"] input').forEach(e => {
    if (e.scrollWidth > e.clientWidth + 1 && visible(box(e)) && !hidden(e)) {
      problems.push(`select value cut: '${e.value.slice(0, 60)}'`);
    }
  });
  return [...new Set(problems)];
}
"""


#: Where the page's main figure starts: the first figure that is not the input's prediction bars
#: (``udl_viz.ui.widgets.input_panel``). Returns {"key": its widget key, "top": px from the top of the screen}.
MAIN_FIGURE_TOP = r"""
() => {
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .filter(chart => chart.getBoundingClientRect().height > 0)  // not in a closed tab
    .map(chart => {
    const keyed = chart.closest('[class*="st-key-"]');
    const key = keyed ? [...keyed.classList].find(c => c.startsWith('st-key-')).slice(7) : '';
    return {key, top: Math.round(chart.getBoundingClientRect().top)};
  });
  return charts.find(c => !c.key.endsWith('predictions')) || {key: 'none', top: Infinity};
}
"""


def tour_pages(app: Path = ROOT / "home.py") -> list[tuple[str, str]]:
    """(URL path, label) of every page in home.py's ``TOUR`` whose file exists, in tour order."""
    tree = ast.parse(app.read_text())
    tour = next(node.value for node in tree.body if isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "TOUR" for t in node.targets))
    pages = []
    for _topic, _idea, entries in ast.literal_eval(tour):
        for path, label, _blurb in entries:
            if (ROOT / path).exists():
                pages.append((Path(path).stem.split("_", 1)[1], label))
    return pages
