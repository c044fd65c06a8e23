"""Feature visualization: synthesize the image that excites a unit most, Lucid-style.

Gradient ascent from faint noise on the unit (its channel's mean, or the one unit at the centre
of the map), with the image held in a decorrelated Fourier basis (a 1/f spectrum, so the
optimizer prefers natural-looking low frequencies) and randomly shifted, scaled and rotated at
every step, so only patterns that survive small transformations grow. This follows Olah et al.,
"Feature Visualization" (Distill 2017). We implement it here rather than use torch-lucent, the
PyTorch port of Lucid, because that package pins kornia<=0.4.1 (unusable with current torch) and
hooks the model it is given instead of a private view; torch.optim and torchvision's affine
transform do the work.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torchvision.transforms.v2.functional as TF
from torch import nn

from udl_viz.fingerprint import model_fingerprint
from udl_viz.hooks import activations, private_view
from udl_viz.models.spec import ModelSpec
from udl_viz.progress import Progress, report
from udl_viz.result_cache import cache_dir
from udl_viz.settings import Setting
from udl_viz.units.index import atomic_write, unit_maxima
from udl_viz.units.receptive import OUTPUT, receptive_field, run_to

#: Lucid's colour decorrelation: the square root of ImageNet's RGB covariance.
COLOR_CORRELATION = torch.tensor([[0.26, 0.09, 0.02], [0.27, 0.00, -0.05], [0.27, -0.09, 0.03]])
COLOR_CORRELATION = COLOR_CORRELATION / COLOR_CORRELATION.norm(dim=0).max()
VERSION = 1


@dataclass(frozen=True)
class FeatureVis:
    """A synthesized image and how the objective rose while making it."""

    layer: str
    unit: int
    pixels: np.ndarray  # uint8 (H, W, 3)
    trace: np.ndarray  # the objective (the unit, or its channel mean) at each step
    start: float  # objective on the starting noise
    end: float  # objective on the final image (untransformed)
    peak: float  # the unit's largest activation on the final image, comparable with the index's
    box: tuple[int, int, int, int] | None = None  # the optimized unit's receptive field ("neuron")

    @property
    def patch(self) -> np.ndarray:
        """The part of the image the optimized unit sees (all of it for a channel or a class)."""
        if self.box is None:
            return self.pixels
        x0, y0, x1, y1 = self.box
        return self.pixels[y0:y1, x0:x1]


class FourierImage(nn.Module):
    """An image parameterised by its (colour-decorrelated) Fourier spectrum, scaled by 1/frequency."""

    def __init__(self, size: int, channels: int, generator: torch.Generator, decay: float = 1.0) -> None:
        super().__init__()
        fy = torch.fft.fftfreq(size)[:, None]
        fx = torch.fft.rfftfreq(size)[None, :]
        freqs = torch.sqrt(fx * fx + fy * fy)
        self.register_buffer("scale", 1.0 / torch.clamp(freqs, min=1.0 / size) ** decay)
        self.spectrum = nn.Parameter(0.01 * torch.randn(channels, *freqs.shape, 2, generator=generator))
        self.size = size

    def forward(self) -> torch.Tensor:
        """Pixels in [0, 1], shape (1, C, H, W)."""
        spectrum = torch.view_as_complex(self.spectrum) * self.scale
        image = torch.fft.irfft2(spectrum, s=(self.size, self.size), norm="ortho") / 4.0
        if image.shape[0] == 3:
            image = torch.einsum("chw,dc->dhw", image, COLOR_CORRELATION)
        return torch.sigmoid(image)[None]


def pixels_to_input(spec: ModelSpec, pixels: torch.Tensor) -> torch.Tensor:
    """Pixels in [0, 255] (N, C, H, W) to model input, differentiably.

    Inverts ``spec.preprocess.unscale``, which is affine per channel for every registry model.
    """
    c = pixels.shape[1]
    zero = spec.preprocess.unscale(torch.zeros(c, 1, 1))
    slope = spec.preprocess.unscale(torch.ones(c, 1, 1)) - zero
    return (pixels - zero) / slope


def _jitter(image: torch.Tensor, generator: torch.Generator, shift: int) -> torch.Tensor:
    """Random shift, scale and rotation (pad with gray, transform, crop back to the same size)."""
    if shift == 0:
        return image
    size = image.shape[-1]
    padded = torch.nn.functional.pad(image, [shift] * 4, value=0.5)
    r = torch.rand(4, generator=generator)
    out = TF.affine(padded, angle=float(10 * r[0] - 5), scale=float(0.95 + 0.1 * r[1]),
                    translate=[float((2 * r[2] - 1) * shift), float((2 * r[3] - 1) * shift)],
                    shear=[0.0, 0.0], interpolation=TF.InterpolationMode.BILINEAR)
    return out[..., shift: shift + size, shift: shift + size]


#: Activation modules whose input (the pre-activation) is optimized instead of their output:
#: a unit that is zero on the starting noise would otherwise get no gradient at all.
ACTIVATIONS = (nn.ReLU, nn.ReLU6, nn.Hardtanh, nn.LeakyReLU, nn.ELU, nn.GELU, nn.SiLU, nn.Hardswish)


#: What to maximize: the channel's mean (a texture) or one unit at the centre of the map (what a patch shows).
OBJECTIVES = ("channel", "neuron")


def _objective(view: nn.Module, x: torch.Tensor, layer: str, unit: int, objective: str) -> torch.Tensor:
    before = layer != OUTPUT and isinstance(view.get_submodule(layer), ACTIVATIONS)
    out = run_to(view, x, layer, before=before)
    if out.dim() != 4:
        return out[0, unit]
    if objective == "neuron":
        return out[0, unit, out.shape[2] // 2, out.shape[3] // 2]
    return out[0, unit].mean()


def visualize(model: nn.Module, spec: ModelSpec, layer: str, unit: int, *, objective: str = "channel",
              steps: int = 64, size: int | None = None, lr: float = 0.15, seed: int = 0,
              progress: Progress | None = None) -> FeatureVis:
    """Gradient ascent on ``unit`` of ``layer`` (or a class score for ``OUTPUT``).

    ``objective`` "neuron" maximizes the unit at the centre of the feature map, the same quantity
    the patches rank, and records its receptive field as ``box``; "channel" maximizes the mean
    over all positions, which paints the pattern as a texture. For an activation module (ReLU, ...)
    the objective is its input, the unit before clipping, so a unit dead on noise still moves.

    Runs on a private view; the model's weights and their gradients are never touched. The learning
    rate is three times Lucid's 0.05 because we take tens of steps, not its hundreds.
    """
    if steps < 1:
        raise ValueError("steps must be at least 1")
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}")
    size = size or spec.input_size
    generator = torch.Generator().manual_seed(seed)
    param = FourierImage(size, spec.channels, generator)
    view = private_view(model)
    optimizer = torch.optim.Adam(param.parameters(), lr=lr)
    shift = 0 if size < 32 else max(1, size // 28)  # Lucid jitters 8 px at 224
    # A unit outside the layer fails here with a plain IndexError rather than mid-way.
    with torch.no_grad():
        start = float(_objective(view, pixels_to_input(spec, 255 * param()), layer, unit, objective))
    trace = []
    for step in range(steps):
        image = _jitter(param(), generator, shift)
        value = _objective(view, pixels_to_input(spec, 255 * image), layer, unit, objective)
        (grad,) = torch.autograd.grad(-value, param.spectrum)
        param.spectrum.grad = grad
        optimizer.step()
        trace.append(float(value.detach()))
        report(progress, step + 1, steps)
    with torch.no_grad():
        final = param()
        x = pixels_to_input(spec, 255 * final)
        end = float(_objective(view, x, layer, unit, objective))
        logits, maps = activations(model, x, [] if layer == OUTPUT else [layer])
        peak = float(unit_maxima(logits if layer == OUTPUT else maps[layer])[0][0, unit])
    box = None
    if objective == "neuron" and layer != OUTPUT:
        rf = receptive_field(model, layer, size, spec.channels)
        box = None if rf.whole else rf.box(rf.feature_shape[0] // 2, rf.feature_shape[1] // 2)
    pixels = (255 * final[0]).round().to(torch.uint8).permute(1, 2, 0).numpy()
    if pixels.shape[2] == 1:
        pixels = np.repeat(pixels, 3, axis=2)
    return FeatureVis(layer, unit, pixels, np.array(trace, np.float32), start, end, peak, box)


def _path(spec: ModelSpec, fingerprint: str, settings: dict) -> Path:
    key = hashlib.sha1(json.dumps({"model": spec.name, "fingerprint": fingerprint, "version": VERSION,
                                   **settings}, sort_keys=True).encode()).hexdigest()[:20]
    return cache_dir() / "featurevis" / f"{key}.npz"


def _settings(spec: ModelSpec, layer: str, unit: int, objective: str, steps: int, size: int | None,
              seed: int) -> dict:
    return {"layer": layer, "unit": int(unit), "objective": objective, "steps": int(steps),
            "size": int(size or spec.input_size), "seed": int(seed)}


def load_visualization(model: nn.Module, spec: ModelSpec, layer: str, unit: int, *, objective: str = "channel",
                       steps: int = 64, size: int | None = None, seed: int = 0) -> FeatureVis | None:
    """The cached result of ``visualize`` with these settings, or None."""
    path = _path(spec, model_fingerprint(model), _settings(spec, layer, unit, objective, steps, size, seed))
    try:
        with np.load(path, allow_pickle=False) as data:
            box = tuple(int(v) for v in data["box"]) if len(data["box"]) else None
            return FeatureVis(layer, unit, data["pixels"], data["trace"], float(data["start"]),
                              float(data["end"]), float(data["peak"]), box)
    except (OSError, ValueError, KeyError):
        return None


def cached_visualize(model: nn.Module, spec: ModelSpec, layer: str, unit: int, *, objective: str = "channel",
                     steps: int = 64, size: int | None = None, seed: int = 0,
                     progress: Progress | None = None) -> FeatureVis:
    """``visualize`` through the on-disk cache, so a unit is synthesized once per model and setting."""
    found = load_visualization(model, spec, layer, unit, objective=objective, steps=steps, size=size, seed=seed)
    if found is not None:
        return found
    result = visualize(model, spec, layer, unit, objective=objective, steps=steps, size=size, seed=seed,
                       progress=progress)
    path = _path(spec, model_fingerprint(model), _settings(spec, layer, unit, objective, steps, size, seed))
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda f: np.savez(f, pixels=result.pixels, trace=result.trace, start=result.start,
                                           end=result.end, peak=result.peak,
                                           box=np.array(result.box or (), np.int64)))
    return result


def default_size(spec: ModelSpec) -> int:
    """A synthesis size that is quick on a laptop CPU yet shows the unit's pattern several times."""
    return min(spec.input_size, 128)


#: The page's knobs: what to maximize, how many ascent steps, and whether to start at once.
OBJECTIVE = Setting("objective", "Maximize", "channel", choices=("channel", "neuron"), widget="radio",
                    labels=("the whole channel: its pattern as a texture",
                            "one unit at the centre: its receptive field, like the patches"))
STEPS = Setting("steps", "Gradient-ascent steps", 64, minimum=32, maximum=256, ticks=(32, 64, 128, 256))
AUTO = Setting("auto", "Synthesize automatically", True,
               help="Synthesis runs the network forwards and backwards once per step.")
#: How many of the top patches to show (at most as many as the index keeps).
PATCHES = Setting("patches", "Patches to show", 8, minimum=1, maximum=64)


def default_objective(spec: ModelSpec) -> str:
    """A texture for photo models; a single unit for tiny inputs, where a texture has no room."""
    return "channel" if spec.input_size >= 32 else "neuron"
