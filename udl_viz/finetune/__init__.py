"""Live fine-tuning: a new k-class head trained on a frozen pretrained backbone in seconds."""

from udl_viz.finetune.data import TASKS, Examples, FineTuneError, Task, examples_from
from udl_viz.finetune.head import (
    classifier_path,
    extract_features,
    finetuned_spec,
    new_head,
    with_head,
)
from udl_viz.finetune.run import FineTuneRun, fine_tune
from udl_viz.finetune.train import TrainResult, TrainSettings, train_head

__all__ = ["TASKS", "Examples", "FineTuneError", "FineTuneRun", "Task", "TrainResult", "TrainSettings",
           "classifier_path", "examples_from", "extract_features", "fine_tune", "finetuned_spec", "new_head",
           "train_head", "with_head"]
