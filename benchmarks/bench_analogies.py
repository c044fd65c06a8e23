"""The batched analogy benchmark against gensim's ``evaluate_word_analogies`` on the same questions.

    python benchmarks/bench_analogies.py [--vectors glove] [--per-section 20] [--restrict-vocab 300000]

gensim answers one question per ``most_similar`` call; udl_viz answers 512 at a time with one matrix
product per block of 16,384 words. Both score the same subset (the first N questions of every
section) and must agree section by section; then udl_viz scores the whole file. Prints wall-clock
seconds, the ratio on the subset, and gensim's whole-file time extrapolated from its per-question time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from udl_viz.embeddings.benchmark import analogy_accuracy, overall, read_questions  # noqa: E402
from udl_viz.embeddings.vectors import load_vectors  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", default="glove")
    parser.add_argument("--per-section", type=int, default=20)
    parser.add_argument("--restrict-vocab", type=int, default=300_000)
    args = parser.parse_args()
    kv = load_vectors(args.vectors)
    lines = []
    for section, questions in read_questions().items():
        lines += [f": {section}", *(" ".join(q) for q in questions[:args.per_section])]
    with tempfile.TemporaryDirectory() as folder:
        subset = Path(folder) / "subset.txt"
        subset.write_text("\n".join(lines) + "\n")
        start = time.perf_counter()
        _, reference = kv.evaluate_word_analogies(str(subset), restrict_vocab=args.restrict_vocab)
        gensim_seconds = time.perf_counter() - start
        start = time.perf_counter()
        ours = analogy_accuracy(kv, subset, restrict_vocab=args.restrict_vocab)
        ours_seconds = time.perf_counter() - start
    agree = [(s.correct, s.total) for s in ours] == [
        (len(r["correct"]), len(r["correct"]) + len(r["incorrect"])) for r in reference[:-1]]
    asked = overall(ours).total
    start = time.perf_counter()
    whole = overall(analogy_accuracy(kv, restrict_vocab=args.restrict_vocab))
    whole_seconds = time.perf_counter() - start
    print(f"{args.vectors}, answers from the {args.restrict_vocab:,} most frequent words")
    print(f"subset of {asked} questions: gensim {gensim_seconds:.1f} s, udl_viz {ours_seconds:.2f} s "
          f"({gensim_seconds / ours_seconds:.0f}x faster), same answers: {agree}")
    print(f"whole file, {whole.total:,} questions: udl_viz {whole_seconds:.1f} s, accuracy {whole.accuracy:.3f}; "
          f"gensim would take about {gensim_seconds / asked * whole.total:.0f} s "
          f"({gensim_seconds / asked * whole.total / whole_seconds:.0f}x longer)")


if __name__ == "__main__":
    main()
