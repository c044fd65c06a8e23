"""``python -m udl_viz embeddings``: skip-gram pairs, negative samples, neighbours, analogies and the
analogy benchmark as JSON lines."""

from __future__ import annotations

import argparse

from udl_viz.cli.args import SEED, count, text, vector_set, word

VECTORS = ("glove", "lee", "sst2")
MAX_CHARS = 10_000
MAX_WORDS = 200  # with --window 10 and --k 50: at most 4,000 pairs and 204,000 lines
MAX_WINDOW = 10
MAX_K = 50
MAX_TOPN = 1_000


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "embeddings", help="word2vec and GloVe teaching views; one JSON line per result",
        description="Skip-gram pairs and negative samples for a sentence, or nearest neighbours, analogies and "
                    "the analogy benchmark in GloVe or word2vec vectors. Exit code 2 for bad input (empty text, "
                    "unknown words, vectors that are not installed).")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    for name, help_text in (("pairs", 'skip-gram pairs: {"centre", "context", "centre_index", "context_index"}'),
                            ("negatives", 'each pair then k negatives: {"centre", "word", "label"} (1 = real)')):
        sub = actions.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--text", type=text(MAX_CHARS), default=None,
                         help=f"the sentence, at most {MAX_WORDS} words (default: the lecture's)")
        sub.add_argument("--window", type=count(1, MAX_WINDOW), default=2,
                         help=f"context words on each side, 1 to {MAX_WINDOW} (default 2)")
        sub.add_argument("--centre", default=None, help="only pairs whose centre is this word")
        if name == "negatives":
            sub.add_argument("--k", type=count(0, MAX_K), default=5,
                             help=f"negative samples per pair, 0 to {MAX_K} (default 5)")
            sub.add_argument("--seed", type=SEED, default=0, help="random seed (default 0)")
            _vectors_argument(sub)
        sub.set_defaults(func=run)

    sub = actions.add_parser("neighbours", help='nearest words: {"word", "neighbour", "cosine"}')
    sub.add_argument("word", type=word)
    sub.add_argument("--topn", type=count(1, MAX_TOPN), default=10, help=f"how many, 1 to {MAX_TOPN} (default 10)")
    _vectors_argument(sub)
    sub.set_defaults(func=run)

    sub = actions.add_parser("analogy", help='a : b :: c : ? answers: {"a", "b", "c", "answer", "cosine"}')
    for letter in "abc":
        sub.add_argument(letter, type=word)
    sub.add_argument("--topn", type=count(1, MAX_TOPN), default=5, help=f"how many, 1 to {MAX_TOPN} (default 5)")
    _vectors_argument(sub)
    sub.set_defaults(func=run)

    help_text = ('accuracy per section of gensim\'s questions-words.txt (3CosAdd): '
                 '{"vectors", "section", "correct", "total", "skipped", "accuracy"}')
    sub = actions.add_parser("benchmark", help=help_text, description=help_text)
    sub.add_argument("--restrict-vocab", type=count(1, 10_000_000), default=300_000, metavar="N",
                     help="answers come from the N most frequent words (default 300000, as gensim)")
    _vectors_argument(sub)
    sub.set_defaults(func=run)


def _vectors_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--vectors", type=vector_set, default="glove", metavar="{" + ",".join(VECTORS) + "}",
                        help="vector set: glove (GloVe 6B, the default), lee (word2vec on gensim's news corpus) "
                             "or sst2 (word2vec on SST-2)")


def run(args: argparse.Namespace) -> int:
    from udl_viz.cli.args import Refused
    from udl_viz.cli.jsonl import emit
    from udl_viz.embeddings.benchmark import analogy_accuracy, overall
    from udl_viz.embeddings.explore import UnknownWordError, analogy, neighbours, word_counts
    from udl_viz.embeddings.negative import negative_examples, noise_distribution
    from udl_viz.embeddings.skipgram import LECTURE_SENTENCE, simple_tokens, skipgram_pairs
    from udl_viz.embeddings.vectors import VectorsUnavailable, load_vectors

    try:
        kv = load_vectors(args.vectors) if hasattr(args, "vectors") else None
        if args.action in ("pairs", "negatives"):
            tokens = simple_tokens(LECTURE_SENTENCE if args.text is None else args.text)
            if len(tokens) < 2:
                raise ValueError("argument --text: the text needs at least two words")
            if len(tokens) > MAX_WORDS:
                raise ValueError(f"argument --text: at most {MAX_WORDS} words, got {len(tokens)}")
            if args.centre is not None and args.centre.lower() not in tokens:
                raise ValueError(f"argument --centre: {args.centre!r} is not a word of the text")
            pairs = [p for p in skipgram_pairs(tokens, args.window)
                     if args.centre is None or p.centre == args.centre.lower()]
            if args.action == "pairs":
                for p in pairs:
                    emit({"centre": p.centre, "context": p.context, "centre_index": p.centre_position,
                          "context_index": p.context_position})
            else:
                noise = noise_distribution(word_counts(kv))
                for e in negative_examples(pairs, kv.index_to_key, noise, args.k, args.seed):
                    emit(e._asdict())
        elif args.action == "neighbours":
            for neighbour, cosine in neighbours(kv, args.word, args.topn):
                emit({"word": args.word, "neighbour": neighbour, "cosine": round(cosine, 6)})
        elif args.action == "analogy":
            for answer, cosine in analogy(kv, args.a, args.b, args.c, args.topn):
                emit({"a": args.a, "b": args.b, "c": args.c, "answer": answer, "cosine": round(cosine, 6)})
        else:
            scores = analogy_accuracy(kv, restrict_vocab=args.restrict_vocab)
            for s in [*scores, overall(scores, True), overall(scores, False), overall(scores)]:
                emit({"vectors": args.vectors, "section": s.section, "correct": s.correct, "total": s.total,
                      "skipped": s.skipped, "accuracy": round(s.accuracy, 6) if s.total else None})
    except (ValueError, UnknownWordError, VectorsUnavailable) as exc:
        raise Refused(str(exc)) from None
    return 0
