"""The optimizers from the lecture, as torch.optim's own implementations with their knobs exposed."""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import torch

from udl_viz.settings import Setting, freeze, log_ticks

#: The learning rate every optimizer takes; pages offer it on a log-spaced slider.
LEARNING_RATE = Setting("lr", "learning rate", 0.01, minimum=0.0, ticks=log_ticks(1e-4, 500.0),
                        help="How far to move against the gradient each step. Too small: slow. "
                             "Too large: overshoot, zigzag or diverge.")

_EPS = "Added to the denominator so a tiny gradient history cannot blow the step up."
#: Documented range and help of every torch.optim hyperparameter, by its torch name; the default comes
#: from the class's signature. ``betas`` is a pair, offered as ``beta1`` and ``beta2``.
TORCH_KNOBS: dict[str, Setting] = {s.name: s for s in (
    Setting("momentum", "momentum", 0.0, minimum=0.0, maximum=0.999, step=0.001, format="%.3f",
            help="How much of the previous step to keep: 0 is plain gradient descent."),
    Setting("dampening", "dampening", 0.0, minimum=0.0, maximum=1.0, step=0.01,
            help="Shrinks each new gradient's share of the momentum buffer (0: full share)."),
    Setting("nesterov", "Nesterov look-ahead", False,
            help="Evaluate the momentum step ahead of time (needs momentum > 0 and no dampening)."),
    Setting("alpha", "alpha (squared-gradient averaging)", 0.99, minimum=0.0, maximum=0.9999, step=0.001,
            format="%.4f", help="How slowly the average of squared gradients forgets."),
    Setting("centered", "centered", False, help="Divide by the variance of the gradient instead of its mean square."),
    Setting("beta1", "beta1 (momentum)", 0.9, minimum=0.0, maximum=0.9999, step=0.001, format="%.4f",
            help="betas[0]: averaging of the gradient (first moment)."),
    Setting("beta2", "beta2 (squared gradients)", 0.999, minimum=0.0, maximum=0.99999, step=0.0001,
            format="%.5f", help="betas[1]: averaging of the squared gradient (second moment)."),
    Setting("amsgrad", "AMSGrad", False, help="Divide by the largest second moment seen so far, so steps never grow."),
    Setting("decoupled_weight_decay", "decoupled weight decay (AdamW)", False,
            help="Shrink the weights directly instead of adding the decay to the gradient."),
    Setting("lr_decay", "lr decay", 0.0, minimum=0.0, maximum=1.0, step=0.001, format="%.3f",
            help="Shrinks lr as 1 / (1 + steps · decay)."),
    Setting("initial_accumulator_value", "initial accumulator", 0.0, minimum=0.0, maximum=10.0, step=0.1,
            help="Starting value of the sum of squared gradients."),
    Setting("rho", "rho (averaging)", 0.9, minimum=0.0, maximum=0.9999, step=0.001, format="%.4f",
            help="How slowly the running averages forget."),
    Setting("eps", "eps", 1e-8, minimum=0.0, maximum=1.0, widget="number", format="%.1e", help=_EPS),
    Setting("weight_decay", "weight decay", 0.0, minimum=0.0, maximum=1.0, ticks=(0.0, *log_ticks(1e-4, 1.0)),
            help="Pulls the weights towards zero by adding weight_decay · w to the gradient."),
)}
#: torch.optim arguments that switch implementations or the direction, not hyperparameters of the lesson.
_NOT_KNOBS = {"params", "lr", "foreach", "fused", "capturable", "differentiable", "maximize"}


def torch_knobs(cls: type[torch.optim.Optimizer], fixed: Mapping[str, object] = (),
                defaults: Mapping[str, float] = ()) -> tuple[Setting, ...]:
    """The hyperparameters of ``cls`` as settings: torch's names and defaults, ``TORCH_KNOBS``'s ranges.

    ``fixed`` arguments are left out; ``defaults`` overrides torch's default (e.g. momentum 0.9).
    """
    knobs = []
    for name, parameter in inspect.signature(cls.__init__).parameters.items():
        if name in _NOT_KNOBS or name in dict(fixed) or parameter.default is inspect.Parameter.empty:
            continue
        if name == "betas":
            pairs = zip(("beta1", "beta2"), parameter.default, strict=True)
        else:
            pairs = [(name, parameter.default)]
        for knob, default in pairs:
            setting = TORCH_KNOBS[knob]  # a KeyError here: a torch.optim argument that needs a documented range
            default = dict(defaults).get(knob, default)
            knobs.append(replace(setting, default=type(setting.default)(default)))
    return tuple(knobs)


@dataclass(frozen=True)
class OptimizerSpec:
    """A torch.optim class, the fixed arguments that make it this variant, and the lesson's own defaults."""

    name: str
    label: str
    cls: type[torch.optim.Optimizer]
    blurb: str
    fixed: dict[str, object] = field(default_factory=dict)
    #: Defaults that differ from torch's, e.g. momentum 0.9 for the momentum variant; shown first on pages.
    lesson: dict[str, float] = field(default_factory=dict)

    @cached_property
    def hypers(self) -> tuple[Setting, ...]:
        """Every hyperparameter besides lr, the lesson's first."""
        knobs = torch_knobs(self.cls, self.fixed, self.lesson)
        return tuple(sorted(knobs, key=lambda s: s.name not in self.lesson))

    def defaults(self) -> dict[str, Any]:
        return {h.name: h.default for h in self.hypers}

    def check(self, hyper: Mapping[str, Any]) -> dict[str, Any]:
        """``hyper`` checked against the documented ranges; ``KeyError`` for a name ``cls`` does not take."""
        hyper = dict(hyper)
        if "betas" in hyper:  # torch's own name for the pair: "0.5,0.9" or (0.5, 0.9)
            betas = hyper.pop("betas")
            betas = betas.split(",") if isinstance(betas, str) else betas
            if len(betas) != 2:
                raise ValueError(f"betas takes two numbers, e.g. 0.9,0.999; got {betas!r}")
            hyper["beta1"], hyper["beta2"] = betas
        knobs = self.hypers
        unknown = set(hyper) - {h.name for h in knobs}
        if unknown:
            raise KeyError(f"{self.name} has no hyperparameter {', '.join(sorted(unknown))}; "
                           f"it takes {', '.join(h.name for h in knobs) or 'only lr'}")
        known = {h.name: h for h in knobs}
        return {name: known[name].check(value) for name, value in hyper.items()}

    def build(self, params: Iterable[torch.Tensor], lr: float, **hyper: Any) -> torch.optim.Optimizer:
        """The torch.optim optimizer over ``params``; unknown hyperparameter names raise ``KeyError``."""
        kwargs = {**self.defaults(), **self.check(hyper)}
        if "beta1" in kwargs:  # torch.optim.Adam takes the two betas as one tuple
            kwargs["betas"] = (kwargs.pop("beta1"), kwargs.pop("beta2"))
        # foreach=False picks torch's per-tensor loop: with one small tensor per optimizer there is nothing
        # for the multi-tensor path to batch, and skipping its dispatch checks makes each step ~30% cheaper.
        return self.cls(params, lr=lr, foreach=False, **self.fixed, **kwargs)


OPTIMIZERS: dict[str, OptimizerSpec] = {s.name: s for s in (
    OptimizerSpec("sgd", "SGD", torch.optim.SGD,
                  "Plain gradient descent: step = −lr · gradient."),
    OptimizerSpec("momentum", "Momentum", torch.optim.SGD,
                  "A heavy ball: keeps a running sum of past gradients and rolls through small bumps.",
                  lesson={"momentum": 0.9}),
    OptimizerSpec("nesterov", "Nesterov", torch.optim.SGD,
                  "Momentum that looks ahead: corrects the step before overshooting.",
                  {"nesterov": True}, {"momentum": 0.9}),
    OptimizerSpec("rmsprop", "RMSprop", torch.optim.RMSprop,
                  "Divides each weight's step by a running average of its squared gradients.",
                  lesson={"alpha": 0.99, "momentum": 0.0, "eps": 1e-8}),
    OptimizerSpec("adam", "Adam", torch.optim.Adam,
                  "Momentum plus RMSprop's per-weight scaling, with start-up bias correction.",
                  lesson={"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}),
    OptimizerSpec("adagrad", "AdaGrad", torch.optim.Adagrad,
                  "Divides each step by the root of the sum of all squared gradients so far: steps only shrink.",
                  lesson={"lr_decay": 0.0, "initial_accumulator_value": 0.0, "eps": 1e-10}),
    OptimizerSpec("adadelta", "AdaDelta", torch.optim.Adadelta,
                  "Scales steps by the ratio of recent update sizes to recent gradient sizes; lr multiplies that.",
                  lesson={"rho": 0.9, "eps": 1e-6}),
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
    hyper: tuple[tuple[str, Any], ...] = ()

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


def config(optimizer: str, lr: float, **hyper: Any) -> Config:
    """A checked :class:`Config` from torch.optim's keyword names, e.g. ``config("sgd", 0.01, momentum=0.8)``.

    Raises ``KeyError`` for an unknown optimizer or hyperparameter, ``ValueError`` for a value out of range.
    """
    cfg = Config(optimizer, LEARNING_RATE.check(lr))
    return replace(cfg, hyper=freeze(cfg.spec.check(hyper)))
