"""Train the SimpleRNN, LSTM and GRU sentiment classifiers on SST-2 and save their checkpoints.

    python scripts/train_sentiment.py --seed 0 [--models lstm gru ...] [--epochs N]

Needs ``assets/text/`` from ``python scripts/train_word2vec.py --seed 0``. Each model is
embedding -> RNN -> dense softmax; the embedding starts from the SST-2 word2vec vectors and is
fine-tuned, or stays frozen for the ``*_frozen`` variants. The best epoch on held-out training
sentences (taken out of training with all their sub-phrases) is kept. Writes
``assets/rnn/NAME.pt`` with the metrics: SST-2 dev accuracy and accuracy on the hand-written
reviews in ``tests/data/ood_reviews.tsv``. Same seed, same checkpoints (one torch thread).
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from udl_viz.models import SENTIMENT, select  # noqa: E402
from udl_viz.models.sentiment import ASSETS, SentimentRNN, checkpoint_path  # noqa: E402
from udl_viz.rnn.predict import accuracy, pad_batch  # noqa: E402
from udl_viz.text.encode import encode  # noqa: E402
from udl_viz.text.sst2 import full_sentences, read_reviews, read_split  # noqa: E402
from udl_viz.text.word2vec import load_vocabulary, word2vec_matrix  # noqa: E402

REGISTRY = select(task=SENTIMENT)
OOD_REVIEWS = ROOT / "tests" / "data" / "ood_reviews.tsv"
#: Per architecture: hidden units, learning rate, epochs. SimpleRNN learns more slowly.
SETTINGS = {"simple_rnn": (128, 1e-3, 10), "lstm": (128, 2e-3, 8), "gru": (128, 2e-3, 8)}
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


def train_one(name: str, seed: int, epochs: int | None, data: dict) -> dict:
    spec = REGISTRY[name]
    frozen = spec.meta["frozen"]
    hidden, lr, default_epochs = SETTINGS[spec.kind]
    epochs = epochs or default_epochs
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    init = torch.from_numpy(data["word2vec"])
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
        print(f"  {name} epoch {epoch}: held-out accuracy {held_out:.4f} "
              f"({time.perf_counter() - start:.0f} s)", flush=True)
        if held_out > best[0]:
            best = (held_out, copy.deepcopy(model.state_dict()), epoch)
    model.load_state_dict(best[1])
    model.eval()
    metrics = {
        "dev_accuracy": accuracy(model, data["dev_ids"], data["dev_y"]),
        "ood_accuracy": accuracy(model, data["ood_ids"], data["ood_y"]),
        "held_out_accuracy": best[0], "best_epoch": best[2], "epochs": epochs, "seed": seed,
        "n_dev": len(data["dev_y"]), "n_ood": len(data["ood_y"]), "hidden_size": hidden,
        "train_seconds": round(time.perf_counter() - start, 1),
    }
    state = model.state_dict()
    if frozen:  # the embedding is the word2vec matrix: the loader rebuilds it
        del state["embedding.weight"]
    torch.save({"kind": spec.kind, "frozen": frozen, "vocab_size": init.shape[0],
                "embedding_dim": init.shape[1], "hidden_size": hidden, "state_dict": state,
                "metrics": metrics}, checkpoint_path(name))
    return metrics


def load_data(seed: int) -> dict:
    """Ids and labels of the training phrases, held-out sentences, SST-2 dev and the reviews."""
    vocab = load_vocabulary()
    train_x, train_y = read_split("train")
    dev_x, dev_y = read_split("dev")
    ood_texts, ood_y = read_reviews(OOD_REVIEWS)
    label = {tuple(x): y for x, y in zip(train_x, train_y, strict=True)}
    sentences = full_sentences(train_x)
    held = [sentences[i] for i in np.random.default_rng(seed).choice(len(sentences), HELD_OUT, replace=False)]
    # Every sub-phrase of a held-out sentence leaves training, so the sentence is really unseen.
    unseen = {tuple(s[i:j]) for s in held for i in range(len(s)) for j in range(i + 1, len(s) + 1)}
    kept = [i for i, x in enumerate(train_x) if tuple(x) not in unseen]
    return {
        "word2vec": word2vec_matrix(vocab),
        "train_ids": [vocab.encode(train_x[i]) for i in kept], "train_y": np.array(train_y)[kept],
        "held_ids": [vocab.encode(s) for s in held], "held_y": [label[tuple(s)] for s in held],
        "dev_ids": [vocab.encode(x) for x in dev_x], "dev_y": dev_y,
        "ood_ids": [encode(t, vocab).ids for t in ood_texts], "ood_y": ood_y,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--models", nargs="+", choices=list(REGISTRY), default=list(REGISTRY))
    parser.add_argument("--epochs", type=int, default=None, help="override every model's epochs")
    args = parser.parse_args()
    # One thread: on a shared 2-core machine, two threads were ten times slower per batch.
    torch.set_num_threads(1)

    data = load_data(args.seed)
    ASSETS.mkdir(parents=True, exist_ok=True)
    results = {}
    for name in args.models:
        print(f"training {name} on {len(data['train_ids'])} SST-2 phrases (seed {args.seed})", flush=True)
        results[name] = train_one(name, args.seed, args.epochs, data)
    print(f"\n{'model':20s} {'dev acc':>8s} {'OOD acc':>8s} {'epoch':>6s} {'seconds':>8s}")
    for name, m in results.items():
        print(f"{name:20s} {m['dev_accuracy']:8.4f} {m['ood_accuracy']:8.4f} {m['best_epoch']:6d} "
              f"{m['train_seconds']:8.0f}")


if __name__ == "__main__":
    main()
