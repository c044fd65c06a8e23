"""The optimizers from the lecture, as torch.optim's own implementations with their knobs exposed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import torch


@dataclass(frozen=True)
class Hyper:
    """One tunable hyperparameter besides the learning rate."""

    name: str
    label: str
    default: float
    low: float
    high: float
    help: str


@dataclass(frozen=True)
class OptimizerSpec:
    """A torch.optim class, the fixed arguments that make it this variant, and its knobs."""

    name: str
    label: str
    cls: type[torch.optim.Optimizer]
    blurb: str
    hypers: tuple[Hyper, ...] = ()
    fixed: dict[str, object] = field(default_factory=dict)

    def defaults(self) -> dict[str, float]:
        return {h.name: h.default for h in self.hypers}

    def build(self, params: Iterable[torch.Tensor], lr: float, **hyper: float) -> torch.optim.Optimizer:
        """The torch.optim optimizer over ``params``; unknown hyperparameter names raise ``KeyError``."""
        unknown = set(hyper) - {h.name for h in self.hypers}
        if unknown:
            raise KeyError(f"{self.name} has no hyperparameter {', '.join(sorted(unknown))}; "
                           f"it takes {', '.join(h.name for h in self.hypers) or 'only lr'}")
        kwargs = {**self.defaults(), **hyper}
        if "beta1" in kwargs:  # torch.optim.Adam takes the two betas as one tuple
            kwargs["betas"] = (kwargs.pop("beta1"), kwargs.pop("beta2"))
        # foreach=False picks torch's per-tensor loop: with one small tensor per optimizer there is nothing
        # for the multi-tensor path to batch, and skipping its dispatch checks makes each step ~30% cheaper.
        return self.cls(params, lr=lr, foreach=False, **self.fixed, **kwargs)


_MOMENTUM = Hyper("momentum", "momentum", 0.9, 0.0, 0.999,
                  "How much of the previous step to keep: 0 is plain gradient descent.")
_EPS = "Added to the denominator so a tiny gradient history cannot blow the step up."

OPTIMIZERS: dict[str, OptimizerSpec] = {s.name: s for s in (
    OptimizerSpec("sgd", "SGD", torch.optim.SGD,
                  "Plain gradient descent: step = −lr · gradient."),
    OptimizerSpec("momentum", "Momentum", torch.optim.SGD,
                  "A heavy ball: keeps a running sum of past gradients and rolls through small bumps.",
                  (_MOMENTUM,)),
    OptimizerSpec("nesterov", "Nesterov", torch.optim.SGD,
                  "Momentum that looks ahead: corrects the step before overshooting.",
                  (_MOMENTUM,), {"nesterov": True}),
    OptimizerSpec("rmsprop", "RMSprop", torch.optim.RMSprop,
                  "Divides each weight's step by a running average of its squared gradients.",
                  (Hyper("alpha", "alpha (squared-gradient averaging)", 0.99, 0.0, 0.9999,
                         "How slowly the average of squared gradients forgets."),
                   Hyper("momentum", "momentum", 0.0, 0.0, 0.999, _MOMENTUM.help),
                   Hyper("eps", "eps", 1e-8, 0.0, 1.0, _EPS))),
    OptimizerSpec("adam", "Adam", torch.optim.Adam,
                  "Momentum plus RMSprop's per-weight scaling, with start-up bias correction.",
                  (Hyper("beta1", "beta1 (momentum)", 0.9, 0.0, 0.9999,
                         "Averaging of the gradient (first moment)."),
                   Hyper("beta2", "beta2 (squared gradients)", 0.999, 0.0, 0.99999,
                         "Averaging of the squared gradient (second moment)."),
                   Hyper("eps", "eps", 1e-8, 0.0, 1.0, _EPS))),
    OptimizerSpec("adagrad", "AdaGrad", torch.optim.Adagrad,
                  "Divides each step by the root of the sum of all squared gradients so far: steps only shrink.",
                  (Hyper("lr_decay", "lr decay", 0.0, 0.0, 1.0, "Shrinks lr as 1 / (1 + steps · decay)."),
                   Hyper("initial_accumulator_value", "initial accumulator", 0.0, 0.0, 10.0,
                         "Starting value of the sum of squared gradients."),
                   Hyper("eps", "eps", 1e-10, 0.0, 1.0, _EPS))),
    OptimizerSpec("adadelta", "AdaDelta", torch.optim.Adadelta,
                  "Scales steps by the ratio of recent update sizes to recent gradient sizes; lr multiplies that.",
                  (Hyper("rho", "rho (averaging)", 0.9, 0.0, 0.9999,
                         "How slowly the running averages forget."),
                   Hyper("eps", "eps", 1e-6, 0.0, 1.0,
                         "Sets the size of the very first steps, and keeps them from stalling."))),
)}

#: Readable names for the optimizer state tensors that torch.optim keeps per weight.
STATE_LABELS = {
    "momentum_buffer": "momentum buffer",
    "exp_avg": "1st moment m",
    "exp_avg_sq": "2nd moment v",
    "max_exp_avg_sq": "max 2nd moment",
    "square_avg": "mean squared gradient",
    "grad_avg": "mean gradient",
    "sum": "sum of squared gradients",
    "acc_delta": "mean squared update",
}


@dataclass(frozen=True)
class Config:
    """One optimizer run's settings: registry name, learning rate, other hyperparameters."""

    optimizer: str
    lr: float
    hyper: tuple[tuple[str, float], ...] = ()

    @property
    def spec(self) -> OptimizerSpec:
        try:
            return OPTIMIZERS[self.optimizer]
        except KeyError:
            raise KeyError(f"unknown optimizer {self.optimizer!r}; choose from {', '.join(OPTIMIZERS)}") from None

    @property
    def label(self) -> str:
        return f"{self.spec.label} · lr {self.lr:g}"

    def build(self, params: Iterable[torch.Tensor]) -> torch.optim.Optimizer:
        return self.spec.build(params, self.lr, **dict(self.hyper))


def config(optimizer: str, lr: float, **hyper: float) -> Config:
    """A :class:`Config` from keyword hyperparameters, e.g. ``config("momentum", 0.01, momentum=0.8)``."""
    return Config(optimizer, float(lr), tuple(sorted((k, float(v)) for k, v in hyper.items())))
