"""AppTest for the generative-models page: the 2-D playground, live GAN training, the measured numbers, the VAE."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from udl_viz.gan import toy2d
from udl_viz.gan.checkpoints import GAN_CHECKPOINT, VAE_CHECKPOINT

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not (GAN_CHECKPOINT.exists() and VAE_CHECKPOINT.exists()),
                                reason="run scripts/train_gan.py and scripts/train_vae.py")


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "app_pages/12_Generative_Models.py"), default_timeout=300)


def metrics(at: AppTest) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for m in at.metric:
        found.setdefault(m.label, []).append((m.value, m.delta))
    return found


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_default_view_shows_every_section_and_the_shipped_numbers():
    at = app().run()
    assert not at.exception and not at.error
    values = metrics(at)
    assert values["Step"] == [("0", "")]
    # the shipped GAN and the VAE, each measured against the four thresholds
    assert len(values["Recognised (p ≥ 0.9)"]) == 2
    gan = {label: rows[0] for label, rows in values.items() if len(rows) == 2}
    assert all(delta.startswith("meets") for _value, delta in gan.values()), gan
    titles = [c.proto.spec for c in at.get("plotly_chart")]
    assert len(titles) == 11  # plane, shipped replay ×2, real, fake, nearest, walk, shares ×2, VAE map ×2


def test_one_step_then_the_collapse_preset_then_a_new_target():
    at = app().run()
    button(at, "One step").click().run()
    assert metrics(at)["Step"] == [("1", "")]
    assert len(at.get("plotly_chart")) == 12  # now with the losses
    button(at, "Show mode collapse").click().run()
    assert not at.exception
    assert at.session_state["gan_toy_lr_g"] == toy2d.COLLAPSE["lr_g"]
    assert metrics(at)["Step"] == [(str(25), "")]  # a new run, advanced one tick because it is playing
    button(at, "Pause").click().run()
    assert metrics(at)["Step"] == [(str(25), "")]
    at.selectbox(key="gan_toy_target").set_value("spiral").run()
    assert metrics(at)["Step"] == [("0", "")]  # the data changed: a new game
    assert "Modes reached" not in metrics(at)


def test_live_training_from_scratch_then_measured():
    at = app().run()
    at.slider(key="gan_live_epochs").set_value(2).run()
    button(at, "Train a GAN from scratch").click().run()  # trains the first epoch
    assert not at.exception
    run = at.session_state["gan_live"]
    assert run.trainer.epoch == 1 and run.running and len(run.grids) == 1
    assert "Recognised (p ≥ 0.9)" in metrics(at)  # the VAE's numbers stay
    at.run()  # the next tick: the second and last epoch, then the page measures this GAN
    run = at.session_state["gan_live"]
    assert run.trainer.epoch == 2 and not run.running
    assert not at.exception and not at.error
    assert 2 in run.measured and len(metrics(at)["Recognised (p ≥ 0.9)"]) == 2
    button(at, "Discard it").click().run()
    assert "gan_live" not in at.session_state
