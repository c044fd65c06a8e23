"""``python -m udl_viz descend``: the path equals a plain torch.optim loop, exactly."""

from __future__ import annotations

import json

import pytest
import torch

from udl_viz.cli import main
from udl_viz.optim.optimizers import OPTIMIZERS
from udl_viz.optim.surfaces import ALL


def descend(capsys, *args: str) -> tuple[int, dict | None, str]:
    code = main(["descend", *args])
    captured = capsys.readouterr()
    out = captured.out.strip()
    return code, json.loads(out) if out else None, captured.err


def direct_loop(surface, optimizer: torch.optim.Optimizer, p: torch.Tensor, steps: int) -> list[list[float]]:
    path = [[*p.tolist(), surface.value(p).item()]]
    for _ in range(steps):
        optimizer.zero_grad()
        surface.value(p).backward()
        optimizer.step()
        path.append([*p.tolist(), surface.value(p).item()])
    return path


CASES = [
    ("rosenbrock", "sgd", 0.001, "-1.5,2", {}, lambda p: torch.optim.SGD([p], lr=0.001)),
    ("rosenbrock", "momentum", 0.001, "-1.5,2", {"momentum": 0.8},
     lambda p: torch.optim.SGD([p], lr=0.001, momentum=0.8)),
    ("camel", "nesterov", 0.01, "-1.6,0.9", {"momentum": 0.9},
     lambda p: torch.optim.SGD([p], lr=0.01, momentum=0.9, nesterov=True)),
    ("camel", "rmsprop", 0.02, "-1.6,0.9", {}, lambda p: torch.optim.RMSprop([p], lr=0.02)),
    ("beale", "adam", 0.1, "0.7,1.4", {}, lambda p: torch.optim.Adam([p], lr=0.1)),
    ("himmelblau", "adagrad", 1.0, "-0.3,-0.9", {}, lambda p: torch.optim.Adagrad([p], lr=1.0)),
    ("beale", "adadelta", 10.0, "0.7,1.4", {}, lambda p: torch.optim.Adadelta([p], lr=10.0)),
    ("diabetes", "sgd", 0.3, "-1.5,-1.5", {}, lambda p: torch.optim.SGD([p], lr=0.3)),
    ("two-valleys", "momentum", 0.03, "2", {"momentum": 0.9},
     lambda p: torch.optim.SGD([p], lr=0.03, momentum=0.9)),
    ("bumpy", "adam", 0.2, "3", {}, lambda p: torch.optim.Adam([p], lr=0.2)),
]


@pytest.mark.parametrize(("surface", "optimizer", "lr", "start", "extra", "make"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_cli_path_equals_a_direct_torch_optim_loop(capsys, surface, optimizer, lr, start, extra, make):
    args = ["--surface", surface, "--optimizer", optimizer, "--lr", str(lr), "--steps", "150", f"--start={start}"]
    if "momentum" in extra:
        args += ["--momentum", str(extra["momentum"])]
    code, out, _ = descend(capsys, *args)
    assert code == 0 and out["diverged_at"] is None
    p = torch.tensor([float(v) for v in start.split(",")], dtype=torch.float64, requires_grad=True)
    assert out["path"] == direct_loop(ALL[surface], make(p), p, 150)
    assert len(out["path"]) == 151 and len(out["path"][0]) == ALL[surface].dim + 1


def test_extra_hyperparameters_with_set(capsys):
    code, out, _ = descend(capsys, "--surface", "quadratic", "--optimizer", "adam", "--lr", "0.2", "--steps", "40",
                           "--start=-4.5,2", "--set", "beta1=0.5", "--set", "beta2=0.9")
    assert code == 0 and out["hyperparameters"]["beta1"] == 0.5
    p = torch.tensor([-4.5, 2.0], dtype=torch.float64, requires_grad=True)
    assert out["path"] == direct_loop(ALL["quadratic"], torch.optim.Adam([p], lr=0.2, betas=(0.5, 0.9)), p, 40)


def test_sgd_takes_momentum_and_any_torch_optim_hyperparameter(capsys):
    code, out, err = descend(capsys, "--surface", "rosenbrock", "--optimizer", "sgd", "--lr", "0.001", "--steps", "50",
                             "--start=-1.5,2", "--momentum", "0.9", "--set", "weight_decay=0.01")
    assert code == 0, err
    assert out["hyperparameters"] == {"momentum": 0.9, "dampening": 0.0, "weight_decay": 0.01, "nesterov": False}
    p = torch.tensor([-1.5, 2.0], dtype=torch.float64, requires_grad=True)
    loop = direct_loop(ALL["rosenbrock"], torch.optim.SGD([p], lr=0.001, momentum=0.9, weight_decay=0.01), p, 50)
    assert out["path"] == loop


def test_divergence_is_reported_in_the_json_not_raised(capsys):
    code, out, _ = descend(capsys, "--surface", "quadratic", "--optimizer", "sgd", "--lr", "1", "--steps", "200",
                           "--start", "1,1")
    assert code == 0
    assert out["diverged_at"] == 4 and len(out["path"]) == 4
    assert out["path"][-1] == [0.0, -6859.0, 10 * 6859.0**2]


def test_bad_arguments_are_usage_errors(capsys):
    code, out, err = descend(capsys, "--surface", "quadratic", "--optimizer", "sgd", "--lr", "1", "--steps", "2",
                             "--start", "1")
    assert code == 2 and out is None and "takes 2 number(s)" in err
    code, _, err = descend(capsys, "--surface", "quadratic", "--optimizer", "adam", "--lr", "1", "--steps", "2",
                           "--start", "1,1", "--set", "foo=1")
    assert code == 2 and "no hyperparameter 'foo'" in err and len(err.splitlines()) == 1
    code, _, err = descend(capsys, "--surface", "quadratic", "--optimizer", "adam", "--lr", "-1", "--steps", "2",
                           "--start", "1,1")
    assert code == 2 and "--lr" in err
    code, _, err = descend(capsys, "--surface", "bumpy", "--optimizer", "sgd", "--lr", "1", "--steps", "2",
                           "--start", "one")
    assert code == 2 and "--start" in err and "must be a number" in err
    code, _, err = descend(capsys, "--surface", "quadratic", "--optimizer", "sgd", "--lr", "1", "--steps", "2",
                           "--start", "1,1", "--set", "momentum=fast")
    assert code == 2 and "momentum must be a number" in err


def test_help_lists_every_surface_and_optimizer(capsys):
    with pytest.raises(SystemExit) as done:
        main(["descend", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for name in [*ALL, *OPTIMIZERS]:
        assert name in out
    assert "--momentum" in out and "X[,Y]" in out
