"""``python -m udl_viz sentiment``: P(positive) of many texts with an RNN, one JSON line per text."""

from __future__ import annotations

import argparse

CHUNK = 1024  # texts scored per batch when reading stdin, so output streams


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sentiment", help="score the sentiment of texts with an RNN; one JSON line per text",
        description='Print {"text", "positive": P, "tokens": [...], "unknown": [...], "truncated"} '
                    'per text (texts with no words get "positive": null and an "error"). '
                    '"-" reads one text per line from stdin. Exit code 1 if any text had no words.')
    parser.add_argument("--model", default="lstm", metavar="NAME",
                        help="simple_rnn, lstm or gru (fine-tuned embedding), or the same with "
                             "_frozen (frozen word2vec embedding); default lstm")
    parser.add_argument("--max-tokens", type=int, default=None, metavar="N",
                        help="cut longer texts to N tokens (default: the page's limit, 80)")
    parser.add_argument("texts", nargs="+", metavar="TEXT", help='texts to score, or "-" for stdin')
    parser.set_defaults(func=run)


def _texts(args: argparse.Namespace):
    import sys

    for text in args.texts:
        if text == "-":
            for line in sys.stdin:
                yield line.rstrip("\n")
        else:
            yield text


def run(args: argparse.Namespace) -> int:
    import itertools
    import sys

    import torch

    from udl_viz.cli.jsonl import emit
    from udl_viz.models import SENTIMENT, ModelUnavailable, get_spec, load_model
    from udl_viz.rnn.predict import positive_probabilities
    from udl_viz.text.encode import MAX_TOKENS

    max_tokens = MAX_TOKENS if args.max_tokens is None else args.max_tokens
    if max_tokens < 1:
        print("--max-tokens must be at least 1", file=sys.stderr)
        return 2
    try:
        spec = get_spec(args.model, task=SENTIMENT)
        model = load_model(spec.name)
    except (KeyError, ModelUnavailable) as exc:
        print(str(exc).strip("'\""), file=sys.stderr)
        return 2
    torch.set_num_threads(1)  # small batches of short sequences: one thread is fastest

    failed = False
    texts = _texts(args)
    while chunk := list(itertools.islice(texts, CHUNK)):
        encoded = [spec.preprocess(text, max_tokens) for text in chunk]
        scored = [e for e in encoded if e.tokens]
        probs = iter(positive_probabilities(model, [e.ids for e in scored]) if scored else [])
        for e in encoded:
            record = {"text": e.text, "positive": None, "tokens": e.tokens,
                      "unknown": e.unknown_words, "truncated": e.truncated}
            if e.tokens:
                record["positive"] = round(float(next(probs)), 6)
            else:
                failed = True
                record["error"] = "the text has no words"
            emit(record)
    return 1 if failed else 0
