"""torchvision's ImageNet CNNs through the weights API.

They load when the weights are in the torch hub cache, or download there when online.
Offline and uncached, the registry still lists them with the reason they are unavailable.
"""

from __future__ import annotations

import os
from functools import partial

import torch
from torch import nn

from udl_viz.models.imagenet import imagenet_classes
from udl_viz.models.spec import Layer, ModelSpec, Preprocess, mean_std

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
#: The file name of each architecture's DEFAULT weights (``get_model_weights(arch).DEFAULT.url``; a test
#: checks them against torchvision). Written out because importing torchvision takes over a second, which
#: every CNN page's model picker paid just to say whether these models are on this computer.
WEIGHT_FILES = {"resnet18": "resnet18-f37072fd.pth", "vgg16": "vgg16-397923af.pth",
                "alexnet": "alexnet-owt-7be5be79.pth", "mobilenet_v3_large": "mobilenet_v3_large-5c1a4163.pth"}


def cached_weights_path(arch: str) -> str:
    """Where torch hub keeps the default weights file of a torchvision architecture."""
    return os.path.join(torch.hub.get_dir(), "checkpoints", WEIGHT_FILES[arch])


def availability(arch: str) -> str | None:
    """``None`` when the weights are cached here; otherwise the plain reason."""
    path = cached_weights_path(arch)
    if os.path.exists(path):
        return None
    return (f"weights not on this computer ({os.path.basename(path)} is not in the torch hub cache); "
            f"to fetch them, run once online: {fetch_command(arch)}")


def fetch_command(arch: str) -> str:
    """The shell command that downloads ``arch``'s default weights into the torch hub cache."""
    return f"python -c \"import torchvision; torchvision.models.get_model('{arch}', weights='DEFAULT')\""


def build(arch: str) -> nn.Module:
    """The architecture with its default ImageNet weights (downloads if online and uncached)."""
    import torchvision

    weights = torchvision.models.get_model_weights(arch).DEFAULT
    return torchvision.models.get_model(arch, weights=weights).eval()


def _spec(arch: str, title: str, description: str, layers: list[tuple[str, str]],
          first_conv: str, cam_layer: str) -> ModelSpec:
    scale, unscale = mean_std(IMAGENET_MEAN, IMAGENET_STD)
    return ModelSpec(
        name=arch,
        title=title,
        description=description,
        weights_source=f"torchvision weights API ({arch}, DEFAULT ImageNet weights)",
        builder=partial(build, arch),
        preprocess=Preprocess(resize=256 if arch != "mobilenet_v3_large" else 232, crop=224,
                              scale=scale, unscale=unscale, elementwise=True),
        class_names=imagenet_classes,
        layers=tuple(Layer(p, label) for p, label in layers),
        first_conv=first_conv,
        cam_layer=cam_layer,
        availability=partial(availability, arch),
    )


RESNET18 = _spec(
    "resnet18", "ResNet-18 (ImageNet)", "An 18-layer residual network, 11.7M parameters.",
    [("relu", "stem: conv 7×7 + ReLU, 64 channels"), ("layer1", "layer1: 64 channels, 56×56"),
     ("layer2", "layer2: 128 channels, 28×28"), ("layer3", "layer3: 256 channels, 14×14"),
     ("layer4", "layer4: 512 channels, 7×7")],
    first_conv="conv1", cam_layer="layer4",
)
VGG16 = _spec(
    "vgg16", "VGG-16 (ImageNet)", "Thirteen 3×3 conv layers and three dense layers, 138M parameters.",
    [(f"features.{i}", f"conv block ReLU {n}")
     for n, i in enumerate([1, 3, 6, 8, 11, 13, 15, 18, 20, 22, 25, 27, 29], 1)],
    first_conv="features.0", cam_layer="features.29",
)
ALEXNET = _spec(
    "alexnet", "AlexNet (ImageNet)", "The 2012 network that started it all: 5 conv layers, 61M parameters.",
    [(f"features.{i}", f"conv{n} + ReLU") for n, i in enumerate([1, 4, 7, 9, 11], 1)],
    first_conv="features.0", cam_layer="features.11",
)
MOBILENET_V3_LARGE = _spec(
    "mobilenet_v3_large", "MobileNetV3-Large (ImageNet)",
    "A mobile network found by architecture search, 5.5M parameters.",
    [(f"features.{i}", f"features.{i}") for i in range(17)],
    first_conv="features.0.0", cam_layer="features.16",
)
