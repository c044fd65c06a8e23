"""Sentiment scoring and the gate replay, each against a peer doing the same work in the same run.

    python benchmarks/bench_rnn.py [--texts 2000] [--repeats 3]

1. Scoring many texts (what ``python -m udl_viz sentiment -`` does): udl_viz sorts texts by length
   and runs batches of 256, against the peer that runs one text at a time, and a peer that
   batches in the given order (more padding). The scores must agree.
2. The page's word-by-word replay (``udl_viz.rnn.memory.unroll``, which exposes the gates), against
   one call of the fused ``torch.nn.LSTM`` on the same text: the price of seeing the gates.

Prints the best wall-clock time of the repeats and the ratios.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from udl_viz.models import get_spec, load_model  # noqa: E402
from udl_viz.rnn.memory import unroll  # noqa: E402
from udl_viz.rnn.predict import pad_batch, positive_probabilities  # noqa: E402
from udl_viz.text.tokenize import tokenize  # noqa: E402
from udl_viz.text.word2vec import load_vocabulary  # noqa: E402

TEXT = ("the film is a great joy but the ending is dull and far too long , "
        "though the cast is wonderful and i did n't mind it at all !")
WORDS = TEXT.split(" ")


def best(fn, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    rng = np.random.default_rng(0)
    vocab = load_vocabulary()
    texts = [" ".join(rng.choice(WORDS, size=int(rng.integers(3, 40)))) for _ in range(args.texts)]
    ids = [vocab.encode(tokenize(t)) for t in texts]
    model = load_model("lstm")

    def one_at_a_time():
        with torch.inference_mode():
            return np.array([torch.softmax(model(torch.tensor([i])), 1)[0, 1].item() for i in ids])

    def given_order():
        out = []
        with torch.inference_mode():
            for start in range(0, len(ids), 256):
                batch, lengths = pad_batch(ids[start:start + 256])
                out.append(torch.softmax(model(batch, lengths), 1)[:, 1].numpy())
        return np.concatenate(out)

    t_ours, ours = best(lambda: positive_probabilities(model, ids), args.repeats)
    t_single, single = best(one_at_a_time, args.repeats)
    t_order, ordered = best(given_order, args.repeats)
    assert np.allclose(ours, single, atol=1e-5) and np.allclose(ours, ordered, atol=1e-5)
    print(f"1. scoring {args.texts} texts with the LSTM (best of {args.repeats})")
    print(f"   udl_viz, length-sorted batches : {t_ours * 1e3:8.1f} ms")
    print(f"   peer, one text at a time       : {t_single * 1e3:8.1f} ms  ratio {t_single / t_ours:5.1f}x")
    print(f"   peer, batches in given order   : {t_order * 1e3:8.1f} ms  ratio {t_order / t_ours:5.1f}x")

    sentence = get_spec("lstm").preprocess(" ".join(WORDS)).ids
    t_replay, _ = best(lambda: unroll(model, sentence), args.repeats * 10)

    def fused():
        with torch.inference_mode():
            return model.states(torch.tensor([sentence]))

    t_fused, _ = best(fused, args.repeats * 10)
    print(f"2. one {len(sentence)}-word text, LSTM states (best of {args.repeats * 10})")
    print(f"   udl_viz replay with gates      : {t_replay * 1e3:8.2f} ms")
    print(f"   peer, fused torch.nn.LSTM      : {t_fused * 1e3:8.2f} ms  ratio {t_replay / t_fused:5.1f}x slower")


if __name__ == "__main__":
    main()
