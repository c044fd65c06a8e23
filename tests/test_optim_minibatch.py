"""Full batch, mini-batch and SGD on the diabetes line."""

from __future__ import annotations

import numpy as np
import pytest

from udl_viz.optim.descent import race
from udl_viz.optim.minibatch import compare, train
from udl_viz.optim.optimizers import config
from udl_viz.optim.surfaces import SURFACES

START = (-1.5, -1.5)


def test_updates_and_examples_are_counted_per_epoch():
    full, mini, sgd = compare(32, 0.1, 3, START)
    assert [r.batch_size for r in (full, mini, sgd)] == [442, 32, 1]
    assert [r.updates_per_epoch for r in (full, mini, sgd)] == [1, 14, 442]
    assert [len(r.positions) - 1 for r in (full, mini, sgd)] == [3, 42, 1326]
    for r in (full, mini, sgd):
        assert r.seen[0] == 0 and r.seen[-1] == 3 * 442
        assert np.all(np.diff(r.seen) == np.minimum(r.batch_size, 442 - (r.seen[:-1] % 442)))
        assert len(r.epoch_losses()) == 4 and r.epochs[-1] == 3.0


def test_full_batch_is_plain_gradient_descent_on_the_diabetes_surface():
    full = train(442, 0.3, 6, START)
    (gd,) = race(SURFACES["diabetes"], [config("sgd", 0.3)], START, 6)
    np.testing.assert_allclose(full.positions, gd.positions, rtol=1e-9)
    np.testing.assert_allclose(full.losses, gd.losses, rtol=1e-9)
    assert np.all(np.diff(full.losses) < 0)


def test_sgd_is_noisy_but_gets_close_within_one_epoch():
    best = SURFACES["diabetes"].min_value
    full, _, sgd = compare(32, 0.05, 1, START)
    assert sgd.losses[-1] < 1.5 * best < full.losses[-1]
    assert np.sum(np.diff(sgd.losses) > 0) > 50  # single examples often push the line the wrong way
    again = train(1, 0.05, 1, START, seed=0)
    np.testing.assert_array_equal(again.positions, sgd.positions)
    assert not np.array_equal(train(1, 0.05, 1, START, seed=1).positions, sgd.positions)


def test_divergence_and_bad_batch_sizes():
    run = train(1, 5.0, 2, START)
    assert run.diverged_at is not None and run.last == run.diverged_at - 1
    assert np.isnan(run.epoch_losses()[-1])
    with pytest.raises(ValueError, match="batch size"):
        train(0, 0.1, 1, START)
