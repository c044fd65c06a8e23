"""The one progress widget: redrawn on a new label, else at most every ``interval`` seconds."""

from __future__ import annotations

from udl_viz.ui import progress


class FakeBar:
    def __init__(self) -> None:
        self.draws: list[tuple[float, str]] = []

    def progress(self, fraction: float, text: str) -> None:
        self.draws.append((fraction, text))


def test_bar_is_redrawn_at_most_every_interval_and_on_a_new_label(monkeypatch):
    clock = [100.0]
    fake = FakeBar()
    monkeypatch.setattr(progress.time, "perf_counter", lambda: clock[0])
    monkeypatch.setattr(progress.st, "progress", lambda fraction, text: fake)
    bar = progress.ProgressBar("Evaluating")
    for done in range(1, 101):  # a hundred quick steps in 0.1 s: no redraw is due yet
        clock[0] += 0.001
        bar(done, 1000)
    assert fake.draws == []
    bar.label = "Next stage"
    bar(101, 1000)
    assert len(fake.draws) == 1 and fake.draws[0][1].startswith("Next stage")
    clock[0] += progress.ProgressBar.interval / 2
    bar(102, 1000)
    assert len(fake.draws) == 1
    clock[0] += 2.0  # a slow step: drawn, with the time left
    bar(500, 1000)
    assert fake.draws[-1] == (0.5, "Next stage 500/1000, about 2 s left")
