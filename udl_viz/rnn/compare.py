"""Frozen GloVe against learned embeddings: every sentiment model's accuracy, in domain (SST-2 dev)
and out of domain (hand-written reviews of other things), and what each embedding puts near a word."""

from __future__ import annotations

import json
from typing import NamedTuple

from udl_viz.embeddings.drift import matrix_neighbours
from udl_viz.models import SENTIMENT, ModelUnavailable, load_model, select
from udl_viz.models.sentiment import ASSETS, embedding_matrix

#: Written by ``scripts/train_sentiment.py --evaluate``: the bag-of-words logistic regression.
BASELINES = ASSETS / "baselines.json"
BASELINE_TITLE = "Bag-of-words logistic regression"
#: The fine-tuned model whose embedding the page compares with GloVe and word2vec.
FINE_TUNED = "lstm"


class Scores(NamedTuple):
    """One model's accuracy as measured by the training script."""

    name: str
    title: str
    embedding: str
    dev: float
    ood: float


def embedding_kind(name: str) -> str:
    """How sentiment model ``name``'s embedding came about, in a few words."""
    meta = select(task=SENTIMENT)[name].meta
    if meta.get("vectors") == "glove":
        return "frozen GloVe"
    return "frozen word2vec" if meta["frozen"] else "learned (fine-tuned)"


def model_scores() -> list[Scores]:
    """SST-2 dev and out-of-domain accuracy of every model whose checkpoint is here, then the baseline."""
    rows = []
    for name, spec in select(task=SENTIMENT).items():
        if spec.unavailable_reason() is not None:
            continue
        metrics = spec.metrics()
        rows.append(Scores(name, spec.title, embedding_kind(name), metrics["dev_accuracy"], metrics["ood_accuracy"]))
    if BASELINES.is_file():
        baseline = json.loads(BASELINES.read_text())["bag_of_words_logistic_regression"]
        rows.append(Scores("bag_of_words", BASELINE_TITLE, "word counts", baseline["dev_accuracy"],
                           baseline["ood_accuracy"]))
    return rows


def embedding_neighbours(word: str, topn: int = 8) -> dict[str, list[tuple[str, float]] | str]:
    """The ``topn`` nearest words to ``word`` in GloVe, SST-2 word2vec and a fine-tuned embedding.

    Each value is the neighbour list, or why there is none (word unknown, vectors missing).
    """
    from udl_viz.embeddings.explore import UnknownWordError, neighbours
    from udl_viz.embeddings.vectors import VectorsUnavailable, load_vectors

    found: dict[str, list[tuple[str, float]] | str] = {}
    for label, vectors in (("GloVe (frozen)", "glove"), ("SST-2 word2vec (frozen)", "sst2")):
        try:
            found[label] = neighbours(load_vectors(vectors), word, topn)
        except (UnknownWordError, VectorsUnavailable) as err:
            found[label] = str(err)
    label = f"{select(task=SENTIMENT)[FINE_TUNED].title}, fine-tuned"
    try:
        words, matrix = embedding_matrix(load_model(FINE_TUNED, task=SENTIMENT))
        found[label] = matrix_neighbours(words[2:], matrix[2:], word, topn)  # rows 0, 1: <pad>, <unk>
    except ModelUnavailable as err:
        found[label] = str(err)
    except KeyError:
        found[label] = f"not in the vocabulary: {word!r}"
    return found
