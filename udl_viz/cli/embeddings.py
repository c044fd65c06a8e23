"""``python -m udl_viz embeddings``: skip-gram pairs, negative samples, neighbours and analogies as JSON lines."""

from __future__ import annotations

import argparse

from udl_viz.cli.args import SEED, count, text

MAX_CHARS = 10_000
MAX_WORDS = 200  # with --window 10 and --k 50: at most 4,000 pairs and 204,000 lines
MAX_WINDOW = 10
MAX_K = 50
MAX_TOPN = 1_000

def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "embeddings", help="word2vec teaching views; one JSON line per result",
        description="Skip-gram pairs and negative samples for a sentence, or nearest neighbours and analogies "
                    "in word2vec vectors. Exit code 2 for bad input (empty text, unknown words or vectors).")
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
    sub.add_argument("word", type=text(100))
    sub.add_argument("--topn", type=count(1, MAX_TOPN), default=10, help=f"how many, 1 to {MAX_TOPN} (default 10)")
    _vectors_argument(sub)
    sub.set_defaults(func=run)

    sub = actions.add_parser("analogy", help='a : b :: c : ? answers: {"a", "b", "c", "answer", "cosine"}')
    for word in "abc":
        sub.add_argument(word, type=text(100))
    sub.add_argument("--topn", type=count(1, MAX_TOPN), default=5, help=f"how many, 1 to {MAX_TOPN} (default 5)")
    _vectors_argument(sub)
    sub.set_defaults(func=run)


def _vectors_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--vectors", default="lee", choices=("lee", "sst2"), help="vector set: lee (gensim's news corpus) or sst2")


def run(args: argparse.Namespace) -> int:
    from udl_viz.cli.args import Refused
    from udl_viz.cli.jsonl import emit
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
            for word, cosine in neighbours(kv, args.word.lower(), args.topn):
                emit({"word": args.word.lower(), "neighbour": word, "cosine": round(cosine, 6)})
        else:
            a, b, c = args.a.lower(), args.b.lower(), args.c.lower()
            for word, cosine in analogy(kv, a, b, c, args.topn):
                emit({"a": a, "b": b, "c": c, "answer": word, "cosine": round(cosine, 6)})
    except (ValueError, UnknownWordError, VectorsUnavailable) as exc:
        raise Refused(str(exc)) from None
    return 0
