"""``python -m udl_viz sentiment``: P(positive) of many texts with an RNN, one JSON line per text."""

from __future__ import annotations

import argparse

from udl_viz.cli.args import count

CHUNK = 1024  # texts scored per batch when reading stdin, so output streams
#: The sentiment registry's names, spelt out so that argument errors never import torch.
MODELS = tuple(f"{kind}{variant}" for kind in ("simple_rnn", "lstm", "gru") for variant in ("", "_frozen", "_glove"))
MAX_TOKENS = 10_000


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sentiment", help="score the sentiment of texts with an RNN; one JSON line per text",
        description='Print {"text", "positive": P, "tokens": [...], "unknown": [...], "truncated"} '
                    'per text (texts with no words get "positive": null and an "error"). '
                    '"-" reads one text per line from stdin. Exit code 1 if any text had no words.')
    parser.add_argument("--model", default="lstm", choices=MODELS, metavar="NAME",
                        help="simple_rnn, lstm or gru (fine-tuned embedding), or the same with _frozen (frozen "
                             "word2vec embedding) or _glove (frozen GloVe embedding, 400,000 words); default lstm")
    parser.add_argument("--max-tokens", type=count(1, MAX_TOKENS), default=None, metavar="N",
                        help=f"cut longer texts to N tokens, 1 to {MAX_TOKENS:,} (default: the page's limit, 80)")
    parser.add_argument("texts", nargs="+", metavar="TEXT", help='texts to score, or "-" for stdin')
    parser.set_defaults(func=run)


def _texts(args: argparse.Namespace):
    import io
    import sys

    for text in args.texts:
        if text == "-":
            # bytes that are not UTF-8 become U+FFFD instead of stopping the stream
            stdin = (io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
                     if hasattr(sys.stdin, "buffer") else sys.stdin)
            for line in stdin:
                yield line.rstrip("\n")
        else:
            yield text


def run(args: argparse.Namespace) -> int:
    import itertools

    import torch

    from udl_viz.cli.args import Refused
    from udl_viz.cli.jsonl import emit
    from udl_viz.models import SENTIMENT, ModelUnavailable, get_spec, load_model
    from udl_viz.rnn.predict import positive_probabilities
    from udl_viz.text.encode import MAX_TOKENS as PAGE_TOKENS

    max_tokens = PAGE_TOKENS if args.max_tokens is None else args.max_tokens
    try:
        spec = get_spec(args.model, task=SENTIMENT)
        model = load_model(spec.name)
    except (KeyError, ModelUnavailable) as exc:
        raise Refused(f"argument --model: {exc.args[0] if exc.args else exc}") from None
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
