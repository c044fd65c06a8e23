"""Open a registry model for a command, refusing (never downloading) one whose weights are not here."""

from __future__ import annotations

from typing import Any


def registry_spec(name: str) -> Any:
    """The image classifier ``--model NAME`` if its weights are here; else ``Refused`` says why.

    The reason of a model whose weights are not on this computer names the command that fetches
    them online: the command line never starts a download by itself.
    """
    from udl_viz.cli.args import Refused
    from udl_viz.models import IMAGE_CLASSIFICATION, get_spec

    try:
        spec = get_spec(name, task=IMAGE_CLASSIFICATION)
    except KeyError as exc:
        raise Refused(f"argument --model: {exc.args[0]}") from None
    reason = spec.unavailable_reason()
    if reason is not None:
        raise Refused(f"argument --model: {spec.title} is not available: {reason}")
    return spec


def registry_model(name: str) -> tuple[Any, Any]:
    """``(spec, model)`` for ``--model NAME``, the model in eval mode; see ``registry_spec``."""
    from udl_viz.cli.args import Refused
    from udl_viz.models import ModelUnavailable, load_model

    spec = registry_spec(name)
    try:
        return spec, load_model(name)
    except ModelUnavailable as exc:
        raise Refused(f"argument --model: {exc}") from None
