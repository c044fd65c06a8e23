"""Train skip-gram word2vec on SST-2's training sentences and save the vectors and vocabulary.

SST-2's training set repeats each sentence's sub-phrases, so word2vec trains on the full
sentences only (each once); the sentiment labels are never used: it is self-supervised.

    python scripts/train_word2vec.py [--seed 0]

Writes ``assets/text/word2vec_sst2.kv`` (gensim KeyedVectors with word counts) and
``assets/text/vocab.txt`` (the sentiment models' vocabulary: ``<pad>``, ``<unk>``, then
every word2vec word), and prints nearest neighbours as a sanity check.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from udl_viz.datasets.sst2 import full_sentences, read_split  # noqa: E402
from udl_viz.text.vocab import Vocabulary  # noqa: E402
from udl_viz.text.word2vec import VOCAB_PATH, WORD2VEC_PARAMS, WORD2VEC_PATH, train_word2vec  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    phrases, _ = read_split("train")
    sentences = full_sentences(phrases)
    start = time.perf_counter()
    kv = train_word2vec(sentences, seed=args.seed)
    seconds = time.perf_counter() - start
    print(f"{len(phrases)} phrases -> {len(sentences)} sentences, {sum(map(len, sentences))} tokens -> "
          f"{len(kv)} vectors of {kv.vector_size} dims in {seconds:.1f} s with seed {args.seed} and {WORD2VEC_PARAMS}")
    for word in ("good", "bad", "funny", "boring", "great"):
        print(f"  {word}: " + ", ".join(w for w, _ in kv.most_similar(word, topn=6)))
    WORD2VEC_PATH.parent.mkdir(parents=True, exist_ok=True)
    kv.save(str(WORD2VEC_PATH))
    Vocabulary(kv.index_to_key).save(VOCAB_PATH)
    print(f"saved {WORD2VEC_PATH} ({WORD2VEC_PATH.stat().st_size / 1e6:.2f} MB) and {VOCAB_PATH}")


if __name__ == "__main__":
    main()
