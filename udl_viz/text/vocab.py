"""A word <-> id vocabulary with padding and unknown-word ids, saved as one word per line."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

PAD = "<pad>"
UNK = "<unk>"


class Vocabulary:
    """Words in a fixed order: id 0 is ``<pad>``, id 1 is ``<unk>``, then the known words."""

    def __init__(self, words: Iterable[str]):
        words = [w for w in words if w not in (PAD, UNK)]
        self.words: list[str] = [PAD, UNK, *words]
        self.index: dict[str, int] = {w: i for i, w in enumerate(self.words)}
        if len(self.index) != len(self.words):
            raise ValueError("vocabulary words must be unique")

    pad_id = 0
    unk_id = 1

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self.index and word not in (PAD, UNK)

    def encode(self, tokens: Sequence[str]) -> list[int]:
        """Ids of ``tokens``; words outside the vocabulary get ``unk_id``."""
        return [self.index.get(t, self.unk_id) for t in tokens]

    def decode(self, ids: Iterable[int]) -> list[str]:
        return [self.words[i] for i in ids]

    def unknown(self, tokens: Sequence[str]) -> list[str]:
        """The tokens this vocabulary does not know, in order."""
        return [t for t in tokens if t not in self]

    def save(self, path: str | Path) -> None:
        Path(path).write_text("\n".join(self.words) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> Vocabulary:
        return cls(Path(path).read_text(encoding="utf-8").splitlines())
