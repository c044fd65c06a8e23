"""Reading SST-2 (``../shared/data/sst2``): lower-cased, PTB-tokenised sentences with 0/1 labels."""

from __future__ import annotations

import os
from pathlib import Path

#: Where the course data lives; ``UDL_VIZ_SHARED_DATA`` overrides it.
SHARED_DATA = Path(os.environ.get("UDL_VIZ_SHARED_DATA",
                                  Path(__file__).resolve().parents[3] / "shared" / "data"))
SST2_DIR = SHARED_DATA / "sst2"
CLASS_NAMES = ("negative", "positive")


def read_split(split: str, folder: Path = SST2_DIR) -> tuple[list[list[str]], list[int]]:
    """Tokens and labels of ``train`` or ``dev``; the text is already tokenised, so split on spaces."""
    path = Path(folder) / f"{split}.tsv"
    if not path.is_file():
        raise FileNotFoundError(f"SST-2 {split} split not found at {path}")
    sentences, labels = [], []
    with path.open(encoding="utf-8") as f:
        next(f)  # header: sentence<TAB>label
        for line in f:
            text, label = line.rstrip("\n").rsplit("\t", 1)
            sentences.append(text.split())
            labels.append(int(label))
    return sentences, labels


def full_sentences(phrases: list[list[str]]) -> list[list[str]]:
    """The phrases that are not part of a longer phrase, longest first.

    SST-2's training set holds every sentence together with many of its sub-phrases, so a
    word's contexts are repeated dozens of times; word2vec learns better from each sentence once.
    """
    seen: set[tuple[str, ...]] = set()
    kept = []
    for phrase in sorted({tuple(p) for p in phrases}, key=lambda p: (-len(p), p)):
        if phrase in seen:
            continue
        kept.append(list(phrase))
        n = len(phrase)
        seen.update(phrase[i:j] for i in range(n) for j in range(i + 1, n + 1))
    return kept


def read_reviews(path: Path) -> tuple[list[str], list[int]]:
    """Raw (untokenised) texts and 0/1 labels from a ``label<TAB>text`` file with a header."""
    texts, labels = [], []
    for line in Path(path).read_text(encoding="utf-8").splitlines()[1:]:
        label, text = line.split("\t", 1)
        texts.append(text)
        labels.append(int(label))
    return texts, labels
