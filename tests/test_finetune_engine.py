"""Fine-tuning: input checks, the training loop on separable data, and a base model left untouched."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from udl_viz.attribution import get_method
from udl_viz.figures.finetune import confusion_figure, training_curve_figure
from udl_viz.finetune import (
    TASKS,
    FineTuneError,
    TrainSettings,
    classifier_path,
    examples_from,
    extract_features,
    fine_tune,
    finetuned_spec,
    train_head,
    with_head,
)
from udl_viz.inference import predict
from udl_viz.models import get_spec, load_model


@pytest.fixture(scope="module")
def digits():
    return get_spec("digits_cnn"), load_model("digits_cnn").requires_grad_(False)


def blank(n: int) -> list[Image.Image]:
    return [Image.new("RGB", (8, 8))] * n


@pytest.mark.parametrize(("per_class", "message"), [
    ([("cats", blank(2))], "at least 2 classes to tell apart; you have 1"),
    ([], "you have 0"),
    ([("cats", blank(2)), ("dogs", [])], "Class 'dogs' has no images"),
    ([("cats", blank(2)), ("  ", blank(1))], "Class 2 has no name"),
    ([("Cats", blank(2)), ("cats ", blank(1))], "Two classes are called 'cats'"),
])
def test_bad_training_sets_get_a_plain_message(per_class, message):
    with pytest.raises(FineTuneError, match=message):
        examples_from(per_class)


def test_examples_keep_class_order_and_counts():
    examples = examples_from([("a", blank(3)), (" b ", blank(1))])
    assert examples.classes == ["a", "b"] and examples.labels == [0, 0, 0, 1] and examples.counts() == [3, 1]


def test_head_reaches_full_accuracy_on_a_separable_toy_task(digits):
    rng = np.random.default_rng(0)
    centres = rng.normal(0, 3, (3, 256))
    labels = np.repeat(np.arange(3), 10)
    features = (centres[labels] + rng.normal(0, 1, (30, 256))).astype(np.float32)
    test_labels = np.repeat(np.arange(3), 20)
    test_features = (centres[test_labels] + rng.normal(0, 1, (60, 256))).astype(np.float32)
    seen = []
    result = train_head(digits[1], features, labels, 3, TrainSettings(epochs=60),
                        test_features=test_features, test_labels=test_labels,
                        progress=lambda done, total: seen.append((done, total)))
    assert seen == [(e, 60) for e in range(1, 61)]
    assert len(result.losses) == 60 and result.losses[-1] < 0.1 * result.losses[0]
    assert result.losses[0] == pytest.approx(np.log(3), rel=1e-5)  # zero-initialised head: uniform guess
    assert result.train_accuracy[-1] == 1.0 and result.test_accuracy[-1] == 1.0
    assert np.array_equal(result.test_predictions, test_labels)
    again = train_head(digits[1], features, labels, 3, TrainSettings(epochs=60))
    assert again.losses == result.losses  # deterministic without touching the global seed


@pytest.mark.parametrize(("settings", "message"), [
    (TrainSettings(epochs=0), "Epochs"), (TrainSettings(learning_rate=0.0), "learning rate"),
    (TrainSettings(weight_decay=-1.0), "Weight decay"),
])
def test_out_of_range_training_settings_are_explained(digits, settings, message):
    with pytest.raises(ValueError, match=message):
        train_head(digits[1], np.zeros((2, 256), np.float32), np.array([0, 1]), 2, settings)


def test_builtin_digit_task_fine_tunes_digits_cnn_to_high_test_accuracy(digits):
    spec, model = digits
    before = {k: v.clone() for k, v in model.state_dict().items()}
    train, test = TASKS["Digits: 3, 5, 8"].make(8, 20)
    assert train.classes == ["3", "5", "8"] and train.counts() == [8, 8, 8] and test.counts() == [20, 20, 20]
    x = extract_features(model, spec, train.images)
    tx = extract_features(model, spec, test.images)
    assert x.shape == (24, 256) and tx.shape == (60, 256)
    result = train_head(model, x, np.array(train.labels), 3, test_features=tx, test_labels=np.array(test.labels))
    assert result.train_accuracy[-1] == 1.0 and result.test_accuracy[-1] >= 0.9

    tuned = with_head(model, result.head)
    tuned_spec = finetuned_spec(spec, tuned, train.classes)
    # The base model is untouched: same weights, same 10-way classifier, still frozen.
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert model.get_submodule(classifier_path(model)).out_features == 10
    assert not any(p.requires_grad for p in model.parameters())
    # The fine-tuned model shares the backbone tensors and answers with the new classes.
    assert tuned.conv1.weight.data_ptr() == model.conv1.weight.data_ptr()
    assert tuned_spec.name.startswith("finetuned-") and tuned_spec.name != finetuned_spec(spec, tuned, ["a"]).name
    assert tuned_spec.class_names() == ["3", "5", "8"] and tuned_spec.build() is tuned
    assert tuned_spec.title == "Fine-tuned Digits CNN: 3, 5, 8"
    assert finetuned_spec(tuned_spec, tuned, ["x", "y"]).title == "Fine-tuned Digits CNN: x, y"
    correct = sum(predict(tuned, tuned_spec, im, 1)[0].index == y
                  for im, y in zip(test.images, test.labels, strict=True))
    assert correct / len(test.images) == pytest.approx(result.test_accuracy[-1])
    # Other pages can explain it: Grad-CAM at the unchanged CAM layer path.
    cam = get_method("gradcam").attribute(tuned, tuned_spec.preprocess(test.images[0]).unsqueeze(0), 0,
                                          spec=tuned_spec)
    assert cam.map.shape == (8, 8)

    curve = training_curve_figure(result, "curves")
    assert [t.name for t in curve.data] == ["training loss", "training accuracy", "test accuracy (held-out images)"]
    assert curve.layout.xaxis.title.text.startswith("epoch")
    confusion = confusion_figure(test.labels, result.test_predictions, train.classes, "confusion")
    assert np.asarray(confusion.data[0].z).sum() == 60 and confusion.layout.yaxis.title.text == "true class"


def test_fine_tune_runs_features_in_chunks_then_trains_and_builds_the_model(digits):
    spec, model = digits
    train, test = TASKS["Digits: 3, 5, 8"].make(5, 4)  # 15 training and 12 test images
    chunks, seen = [], []

    def features(images):
        chunks.append(len(images))
        return extract_features(model, spec, images)

    run = fine_tune(model, spec, train, test, TrainSettings(epochs=20), features=features,
                    progress=lambda done, total: seen.append((done, total)))
    assert chunks == [8, 7, 8, 4]  # training images, then test images, at most CHUNK at a time
    assert seen == [(d, 47) for d in (8, 15, 23, 27, *range(28, 48))]
    assert run.train_counts == [5, 5, 5] and run.test_labels.tolist() == test.labels
    assert len(run.result.losses) == 20 and run.result.test_predictions.shape == (12,)
    assert run.spec.class_names() == ["3", "5", "8"] and run.spec.build() is run.model
    assert run.model.get_submodule(classifier_path(run.model)) is run.result.head
    assert model.get_submodule(classifier_path(model)).out_features == 10  # the backbone keeps its classifier
    assert run.seconds > 0

    alone = fine_tune(model, spec, train, settings=TrainSettings(epochs=20))  # no test images, no cache
    assert alone.test_labels is None and alone.result.test_accuracy is None
    assert alone.result.losses == pytest.approx(run.result.losses, rel=1e-5)  # same features, same head


def test_builtin_tasks_need_an_image_per_class_in_each_split():
    with pytest.raises(FineTuneError, match="at least 1 training and 1 test image"):
        TASKS["Digits: 3, 5, 8"].make(5, 0)


def test_texture_task_has_disjoint_train_and_test_crops():
    train, test = TASKS["Textures: brick, grass, gravel"].make(3, 2)
    assert train.classes == ["brick", "grass", "gravel"] and train.counts() == [3, 3, 3]
    assert all(im.size == (160, 160) and im.mode == "RGB" for im in train.images + test.images)
    train_bytes = {im.tobytes() for im in train.images}
    assert not any(im.tobytes() in train_bytes for im in test.images)
