"""Mikolov's analogy benchmark (``questions-words.txt``, shipped with gensim), scored in batches.

gensim's ``KeyedVectors.evaluate_word_analogies`` is the reference: 3CosAdd over the
``restrict_vocab`` most frequent words, inputs excluded, questions with an unknown word skipped,
case ignored. It calls ``most_similar`` once per question, which takes minutes for 19,544
questions over 300,000 GloVe words; here the questions go in batches through one matrix product
per block of words, with the same answers, in seconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
from gensim.models import KeyedVectors
from gensim.test.utils import datapath

from udl_viz.progress import Progress, report
from udl_viz.settings import Setting

QUESTIONS = Path(datapath("questions-words.txt"))
RESTRICT_VOCAB = 300_000  # gensim's default: answers come from the 300,000 most frequent words
#: The page's choice: Mikolov's 30,000 words answer in a second, gensim's 300,000 take ten times as long.
RESTRICT = Setting("restrict_vocab", "Answers come from the most frequent", 30_000,
                   choices=(30_000, 100_000, 300_000), labels=("30,000 words", "100,000 words", "300,000 words"),
                   help="Questions with a word outside this list are skipped, as in gensim.")
QUESTION_BATCH = 512
WORD_BLOCK = 16_384  # words per matrix product: a 512 x 16,384 block of scores is 32 MB


class SectionScore(NamedTuple):
    """One section of the benchmark: questions answered right, asked, and skipped (unknown words)."""

    section: str
    correct: int
    total: int
    skipped: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else float("nan")

    @property
    def semantic(self) -> bool:
        """Mikolov's split: the ``gram*`` sections test syntax, the others meaning."""
        return not self.section.startswith("gram")


def read_questions(path: str | Path = QUESTIONS) -> dict[str, list[tuple[str, str, str, str]]]:
    """Section name -> its questions ``(a, b, c, expected)``, lower-cased."""
    sections: dict[str, list[tuple[str, str, str, str]]] = {}
    current = None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith(": "):
            current = sections.setdefault(line[2:].strip(), [])
        elif current is not None and len(words := line.lower().split()) == 4:
            current.append(tuple(words))
    return sections


def _answers(kv: KeyedVectors, questions: np.ndarray, limit: int, progress: Progress | None,
             done: int, total: int) -> np.ndarray:
    """Row index of the 3CosAdd answer to each question (rows of word indices a, b, c)."""
    norms = kv.norms if kv.norms is not None else np.linalg.norm(kv.vectors, axis=1)
    best_score = np.full(len(questions), -np.inf, dtype=np.float32)
    best_row = np.zeros(len(questions), dtype=np.int64)
    for start in range(0, len(questions), QUESTION_BATCH):
        batch = questions[start:start + QUESTION_BATCH]
        unit = [kv.vectors[batch[:, i]] / norms[batch[:, i], None] for i in range(3)]
        query = unit[1] + unit[2] - unit[0]  # b - a + c of unit vectors, as gensim
        best, where = best_score[start:start + len(batch)], best_row[start:start + len(batch)]
        for first in range(0, limit, WORD_BLOCK):
            last = min(first + WORD_BLOCK, limit)
            # (questions, words): each question's scores are contiguous, so argmax is cheap
            scores = query @ (kv.vectors[first:last] / norms[first:last, None]).T
            for column in range(3):  # never answer with a question's own words
                inside = np.flatnonzero((batch[:, column] >= first) & (batch[:, column] < last))
                scores[inside, batch[inside, column] - first] = -np.inf
            top = scores.argmax(axis=1)
            value = scores[np.arange(len(batch)), top]
            better = value > best
            best[better] = value[better]
            where[better] = top[better] + first
        report(progress, done + start + len(batch), total)
    return best_row


def analogy_accuracy(kv: KeyedVectors, path: str | Path = QUESTIONS, restrict_vocab: int = RESTRICT_VOCAB,
                     progress: Progress | None = None) -> list[SectionScore]:
    """Per-section accuracy of 3CosAdd, as ``evaluate_word_analogies`` would give (without its total)."""
    limit = min(restrict_vocab, len(kv))
    index = {}
    for i in range(limit - 1, -1, -1):  # the most frequent spelling wins, as in gensim
        index[kv.index_to_key[i].lower()] = i
    sections = read_questions(path)
    known = {name: np.array([[index[w] for w in q] for q in questions if all(w in index for w in q)],
                            dtype=np.int64).reshape(-1, 4)
             for name, questions in sections.items()}
    total = sum(len(q) for q in known.values())
    scores, done = [], 0
    for name, questions in sections.items():
        asked = known[name]
        right = 0
        if len(asked):
            right = int((_answers(kv, asked[:, :3], limit, progress, done, total) == asked[:, 3]).sum())
        done += len(asked)
        scores.append(SectionScore(name, right, len(asked), len(questions) - len(asked)))
    return scores


def overall(scores: list[SectionScore], semantic: bool | None = None) -> SectionScore:
    """All sections (or only the semantic / syntactic ones) added up."""
    kept = [s for s in scores if semantic is None or s.semantic == semantic]
    label = {None: "all", True: "semantic", False: "syntactic"}[semantic]
    return SectionScore(label, sum(s.correct for s in kept), sum(s.total for s in kept),
                        sum(s.skipped for s in kept))
