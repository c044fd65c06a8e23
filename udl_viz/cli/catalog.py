"""Names the parsers offer as choices, without importing the engine (which imports torch).

``tests/test_cli_fast.py`` checks every table against the engine registry it mirrors:
``udl_viz.optim.surfaces.ALL``, ``udl_viz.optim.optimizers.OPTIMIZERS`` and
``udl_viz.attribution.METHODS``. Add a surface, optimizer or method there and here.
"""

from __future__ import annotations

#: name -> (dimensions, title), as in ``udl_viz.optim.surfaces.ALL``.
SURFACES: dict[str, tuple[int, str]] = {
    "two-valleys": (1, "Two valleys (polynomial)"),
    "bumpy": (1, "Bumpy"),
    "narrow-valley": (1, "Narrow deep valley"),
    "quadratic": (2, "Ill-conditioned quadratic"),
    "rosenbrock": (2, "Rosenbrock"),
    "himmelblau": (2, "Himmelblau"),
    "beale": (2, "Beale"),
    "saddle": (2, "Saddle point"),
    "camel": (2, "Six-hump camel"),
    "diabetes": (2, "Diabetes: fit a line"),
}

#: name -> (label, blurb, hyperparameters --set takes), as in ``udl_viz.optim.optimizers.OPTIMIZERS``
#: (their ranges are checked by the engine's settings).
OPTIMIZERS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "sgd": ("SGD", "Plain gradient descent: step = −lr · gradient.",
            ("momentum", "dampening", "weight_decay", "nesterov")),
    "momentum": ("Momentum", "A heavy ball: keeps a running sum of past gradients and rolls through small bumps.",
                 ("momentum", "dampening", "weight_decay", "nesterov")),
    "nesterov": ("Nesterov", "Momentum that looks ahead: corrects the step before overshooting.",
                 ("momentum", "dampening", "weight_decay")),
    "rmsprop": ("RMSprop", "Divides each weight's step by a running average of its squared gradients.",
                ("alpha", "eps", "momentum", "weight_decay", "centered")),
    "adam": ("Adam", "Momentum plus RMSprop's per-weight scaling, with start-up bias correction.",
             ("beta1", "beta2", "eps", "weight_decay", "amsgrad", "decoupled_weight_decay")),
    "adagrad": ("AdaGrad", "Divides each step by the root of the sum of all squared gradients so far: "
                "steps only shrink.",
                ("lr_decay", "initial_accumulator_value", "eps", "weight_decay")),
    "adadelta": ("AdaDelta", "Scales steps by the ratio of recent update sizes to recent gradient sizes; "
                 "lr multiplies that.",
                 ("rho", "eps", "weight_decay")),
}

#: name -> label, as in ``udl_viz.attribution.METHODS`` (their settings are checked by the engine).
METHODS: dict[str, str] = {
    "saliency": "Vanilla gradient",
    "smoothgrad": "SmoothGrad",
    "ig": "Integrated Gradients",
    "gradcam": "Grad-CAM",
    "guided_backprop": "Guided backprop",
    "occlusion": "Occlusion",
    "lime": "LIME",
}
