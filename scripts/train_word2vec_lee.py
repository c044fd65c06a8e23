"""Train word2vec on gensim's bundled Lee news corpus and save the vectors for the embeddings page.

    python scripts/train_word2vec_lee.py

Writes ``assets/embeddings/word2vec_lee.kv`` (gensim KeyedVectors with word counts), and
prints the analogy accuracy on gensim's questions-words.txt as a sanity check.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from gensim.test.utils import datapath

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from udl_viz.embeddings.vectors import LEE_PARAMS, LEE_VECTORS, lee_sentences  # noqa: E402
from udl_viz.text.word2vec import train_word2vec  # noqa: E402


def main() -> None:
    sentences = lee_sentences()
    start = time.perf_counter()
    kv = train_word2vec(sentences, seed=0, params=LEE_PARAMS)
    seconds = time.perf_counter() - start
    print(f"{len(sentences)} articles, {sum(map(len, sentences))} words -> {len(kv)} vectors of "
          f"{kv.vector_size} dims in {seconds:.1f} s with {LEE_PARAMS}")
    score, _ = kv.evaluate_word_analogies(datapath("questions-words.txt"))
    print(f"analogy accuracy on questions-words.txt (in-vocabulary questions): {score:.1%}")
    LEE_VECTORS.parent.mkdir(parents=True, exist_ok=True)
    kv.save(str(LEE_VECTORS))
    print(f"saved {LEE_VECTORS} ({LEE_VECTORS.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
