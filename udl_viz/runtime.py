"""Forward-only inference through ONNX Runtime when it gives torch's outputs, else plain torch.

Gradients stay in torch; work that only runs the model forward (``predict``, the unit index)
can use whichever engine is fastest for the same outputs. Measured on a 2-core machine with
EfficientNet-Lite0 at 224²: torch fp32 10 ms per image at batch 1 (no faster in larger batches),
ONNX Runtime fp32 3.3 ms at batch 1 with logits equal to torch's within 1.4e-5 (its graph
optimiser fuses BatchNorm and activations into the convolutions, which torch's eager mode cannot).
bfloat16 would be as fast but moves probabilities enough to change a borderline top-1.

The ONNX file is exported with ``torch.onnx.export`` at first use into the udl_viz cache folder,
keyed by the weights' hash and the requested outputs; if export or the check against torch
fails, the runner falls back to torch and says why in ``Forward.reason``.

Forward-only attribution work (occlusion, the deletion/insertion curves) runs a private view
of the model; ``accelerate(view, x, cap)`` routes that view's forward through ONNX Runtime when its
weights are a registry's published ones (``fingerprint.publish``, done by ``models.load_model``): the view's
own hooks (the pass counter) still see every call. Other weights (a session's fine-tuned model,
a sanity check's randomised copy) stay in torch, so nothing is exported for weights seen once.
"""

from __future__ import annotations

import hashlib
import os
import threading
import warnings
from collections.abc import Iterator, Sequence
from queue import Empty, Queue
from typing import TypeVar

import numpy as np
import torch
from torch import nn

from udl_viz.batching import heap_batch, probing
from udl_viz.fingerprint import published_fingerprint
from udl_viz.hooks import capture, private_view
from udl_viz.models.spec import ModelSpec

T = TypeVar("T")

#: Images per ONNX Runtime call: batch 1 was fastest per image (3.3 ms vs 4.0 ms at batch 8).
ONNX_BATCH = 1
#: Images per torch call in the fallback: larger batches were slower per image on these CPUs.
TORCH_BATCH = 1
#: Largest gap to torch's logits accepted from an exported model, relative to the logits' scale.
TOLERANCE = 1e-4

#: Images per call through an accelerated view (``accelerate``): batches of 2 to 6 were equally fast
#: for occlusion on EfficientNet-Lite0, 1 slower.
ACCELERATED_BATCH = 4
#: ONNX Runtime sessions of published weights by (fingerprint, input shape); None where torch must stay.
_SESSIONS: dict[tuple[str, tuple[int, ...]], object] = {}
_SESSIONS_LOCK = threading.Lock()


class Forward:
    """``forward(x)`` -> ``[logits, *layer outputs]`` as float32 numpy arrays, for a (N, C, H, W) batch.

    ``engine`` is "onnxruntime" or "torch"; ``batch_size`` the batch that is fastest per image;
    ``reason`` says why torch is used. ``fingerprint`` (``udl_viz.fingerprint.model_fingerprint``)
    keys the exported file; without it the runner uses torch.
    """

    def __init__(self, model: nn.Module, spec: ModelSpec, layers: Sequence[str] = (), *,
                 fingerprint: str = "") -> None:
        self.model, self.spec, self.layers = private_view(model).eval(), spec, list(layers)
        self.session = None
        self.reason = "" if fingerprint else "no weights fingerprint to key the exported model by"
        if fingerprint:
            try:
                self.session = _session(self.model, spec.name, (spec.channels, spec.input_size, spec.input_size),
                                        self.layers, fingerprint)
            except Exception as exc:  # noqa: BLE001 - any export/runtime failure means: use torch
                self.reason = f"{type(exc).__name__}: {exc}"
        self.engine = "onnxruntime" if self.session is not None else "torch"
        self.batch_size = ONNX_BATCH if self.session is not None else TORCH_BATCH

    def __call__(self, x: torch.Tensor | np.ndarray) -> list[np.ndarray]:
        if self.session is not None:
            return self.session.run(None, {"x": np.ascontiguousarray(np.asarray(x, dtype=np.float32))})
        return [t.numpy() for t in _torch_forward(self.model, self.layers, torch.as_tensor(x))]


def accelerate(view: nn.Module, x: torch.Tensor, cap: int) -> tuple[str, int]:
    """Run the private ``view``'s forward in ONNX Runtime for inputs shaped like ``x``, if it may and matches.

    Only for forward-only work on published weights (``fingerprint.publish``): every tensor of ``view`` must be
    one of theirs (a fine-tuned copy sharing the backbone is not). Returns the engine now used,
    "onnxruntime" or "torch", and the batch to call it with: ``ACCELERATED_BATCH``, or in torch
    ``batching.heap_batch`` with at most ``cap``. ``view`` must be a private view (``hooks.private_view``):
    its ``forward`` is replaced; its hooks stay and see every call.
    """
    fingerprint = published_fingerprint(view)
    if fingerprint is None:
        return "torch", heap_batch(view, x, cap)
    key = (fingerprint, tuple(x.shape[1:]))
    with _SESSIONS_LOCK:  # sessions asking at once wait for one export
        if key not in _SESSIONS:
            try:
                with probing():  # export and check are udl_viz's own forwards, not the caller's work
                    _SESSIONS[key] = _session(view, type(view).__name__, key[1], [], key[0])
            except Exception:  # noqa: BLE001 - any export/runtime failure means: stay in torch
                _SESSIONS[key] = None
    session = _SESSIONS[key]
    if session is None:
        return "torch", heap_batch(view, x, cap)

    def forward(batch: torch.Tensor) -> torch.Tensor:
        inputs = np.ascontiguousarray(batch.detach().numpy(), dtype=np.float32)
        return torch.from_numpy(session.run(["logits"], {"x": inputs})[0])

    view.forward = forward
    return "onnxruntime", ACCELERATED_BATCH


def prefetched(items: Iterator[T], ahead: int = 2) -> Iterator[T]:
    """``items`` produced in a background thread, up to ``ahead`` in advance (exceptions re-raised here).

    For decoding images while the model runs: PIL and numpy release the GIL for most of the work.
    """
    queue: Queue = Queue(maxsize=ahead)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                queue.put((True, item))
            queue.put((False, None))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer
            queue.put((False, exc))

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    try:
        while True:
            more, item = queue.get()
            if not more:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # unblock a producer waiting on a full queue
            try:
                queue.get_nowait()
            except Empty:
                thread.join(0.01)


class _Outputs(nn.Module):
    """The model returning its logits and the outputs of ``layers``, for export."""

    def __init__(self, model: nn.Module, layers: list[str]) -> None:
        super().__init__()
        self.model, self.layers = model, layers

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        return _torch_forward(self.model, self.layers, x)


def _torch_forward(model: nn.Module, layers: list[str], x: torch.Tensor) -> tuple[torch.Tensor, ...]:
    with torch.no_grad(), capture(model, layers) as store:
        logits = model(x)
        return (logits, *(store[layer] for layer in layers))


def _session(model: nn.Module, name: str, shape: tuple[int, ...], layers: list[str], fingerprint: str):
    """An ONNX Runtime session of ``model`` for inputs (N, *shape), exported once; raises if it differs from torch."""
    import onnxruntime

    from udl_viz.result_cache import cache_dir

    key = hashlib.sha1(f"{name}|{fingerprint}|{shape}|{','.join(layers)}|{torch.__version__}".encode())
    path = cache_dir() / "onnx" / f"{name}-{key.hexdigest()[:20]}.onnx"
    probe = torch.randn(2, *shape, generator=torch.Generator().manual_seed(0))
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        names = [f"layer{i}" for i in range(len(layers))]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes about shape arithmetic: the input size is fixed
            # eval(): the exporter restores the wrapper's mode afterwards, recursively
            torch.onnx.export(_Outputs(model, layers).eval(), (probe,), str(partial), dynamo=False, input_names=["x"],
                              output_names=["logits", *names],
                              dynamic_axes={n: {0: "batch"} for n in ["x", "logits", *names]})
        partial.replace(path)  # atomic: a concurrent run never sees half a file
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # warnings and chatter off; errors still raise
    # Its threads would spin between calls, taking the cores from the threads decoding the next photos
    # (predict on 896 photos: 7.9 s instead of 8.5 s).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    expected = _torch_forward(model, layers, probe)
    got = session.run(None, {"x": probe.numpy()})
    for want, have in zip(expected, got, strict=True):
        scale = float(want.abs().max()) or 1.0
        if want.shape != have.shape or not np.allclose(have, want.numpy(), rtol=0, atol=TOLERANCE * scale):
            raise ValueError("the exported model's outputs differ from torch's")
    return session
