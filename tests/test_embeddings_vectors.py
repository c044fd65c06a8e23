"""Word2vec vectors: training, neighbours, analogies, projections and embedding drift."""

from __future__ import annotations

import numpy as np
import pytest

from udl_viz.embeddings.drift import cosine_distances, top_movers
from udl_viz.embeddings.explore import (
    UnknownWordError,
    analogy,
    analogy_plane,
    clean_words,
    embedding_rows,
    neighbours,
    word_counts,
)
from udl_viz.embeddings.projection import explained_variance, project, projection_words
from udl_viz.embeddings.vectors import (
    EXAMPLES,
    LEE_PARAMS,
    LEE_VECTORS,
    VectorsUnavailable,
    lee_sentences,
    load_vectors,
)
from udl_viz.text.word2vec import train_word2vec


@pytest.fixture(scope="module")
def toy_vectors():
    """Word2vec on a toy corpus where cat/dog and red/blue share their contexts."""
    rng = np.random.default_rng(0)
    templates = [["the", "{pet}", "chased", "a", "ball"], ["my", "{pet}", "sleeps", "all", "day"],
                 ["a", "{colour}", "car", "drove", "by"], ["she", "painted", "it", "{colour}", "today"]]
    sentences = []
    for _ in range(400):
        words = templates[rng.integers(len(templates))]
        fill = {"pet": rng.choice(["cat", "dog"]), "colour": rng.choice(["red", "blue"])}
        sentences.append([w.format(**fill) for w in words])
    return train_word2vec(sentences, 0, LEE_PARAMS, vector_size=16, window=2, min_count=1, epochs=30, sample=0)


@pytest.fixture(scope="module")
def lee():
    return load_vectors("lee")


def test_toy_training_puts_shared_contexts_together(toy_vectors):
    assert neighbours(toy_vectors, "cat", 1)[0][0] == "dog"
    assert neighbours(toy_vectors, "red", 1)[0][0] == "blue"
    assert word_counts(toy_vectors).sum() == 400 * 5


def test_lee_corpus_ships_with_gensim():
    sentences = lee_sentences()
    assert len(sentences) == 300 and sum(map(len, sentences)) > 50_000


def test_committed_lee_vectors(lee):
    assert LEE_VECTORS.stat().st_size < 5e6
    assert lee.vector_size == 50 and len(lee) > 2000
    assert lee.index_to_key[0] == "the"
    counts = word_counts(lee)
    assert (np.diff(counts) <= 0).all() and counts.min() >= 3
    assert analogy(lee, *EXAMPLES["lee"].analogy)[0][0] == "german"
    assert "palestinian" in [w for w, _ in neighbours(lee, "israeli", 5)]


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_examples_are_in_the_vocabulary(name):
    try:
        kv = load_vectors(name)
    except VectorsUnavailable as err:
        pytest.skip(str(err))
    example = EXAMPLES[name]
    for word in (example.word, *example.analogy, *example.highlight):
        assert word in kv.key_to_index


def test_unknown_vector_set():
    with pytest.raises(VectorsUnavailable, match="unknown vector set"):
        load_vectors("nope")


def test_neighbours_are_cosine_similarities(lee):
    found = neighbours(lee, "police", 5)
    unit = lee.vectors / np.linalg.norm(lee.vectors, axis=1, keepdims=True)
    sims = unit @ unit[lee.key_to_index["police"]]
    sims[lee.key_to_index["police"]] = -np.inf
    best = np.argsort(-sims)[:5]
    assert [w for w, _ in found] == [lee.index_to_key[i] for i in best]
    np.testing.assert_allclose([s for _, s in found], sims[best], rtol=1e-5)


def test_unknown_words_are_named(lee):
    with pytest.raises(UnknownWordError) as err:
        analogy(lee, "france", "qwertyuiop", "zxcvb")
    assert err.value.words == ["qwertyuiop", "zxcvb"]
    assert "qwertyuiop" in str(err.value)


def test_embedding_rows_are_matrix_rows(lee):
    rows, matrix = embedding_rows(lee, ["police", "the"])
    assert rows == [lee.key_to_index["police"], 0]
    np.testing.assert_array_equal(matrix, lee.vectors[rows])
    one_hot = np.zeros(len(lee))
    one_hot[rows[0]] = 1
    np.testing.assert_allclose(one_hot @ lee.vectors, matrix[0])


def test_clean_words():
    assert clean_words(" Fire, police  fire,,ISRAEL ") == ["fire", "police", "israel"]
    assert clean_words(" , ") == []


def test_analogy_plane():
    rng = np.random.default_rng(0)
    base, offset = rng.normal(size=(2, 8)), rng.normal(size=8)
    a, c = base
    quad = np.stack([a, a + offset, c, c + offset])
    quad /= np.linalg.norm(quad, axis=1, keepdims=True)  # the plane uses unit vectors
    coords = analogy_plane(quad)
    np.testing.assert_allclose(coords[0], [0, 0], atol=1e-12)
    assert coords[2, 0] > 0 and abs(coords[2, 1]) < 1e-12  # c lies on the x axis
    # the plane keeps lengths of vectors that lie in it
    np.testing.assert_allclose(np.linalg.norm(coords[2]), np.linalg.norm(quad[2] - quad[0]))


@pytest.mark.parametrize("method", ["PCA", "t-SNE"])
@pytest.mark.parametrize("dims", [2, 3])
def test_projection_shapes(lee, method, dims):
    words = projection_words(lee, ["israeli", "zzzz"], 60)
    assert len(words) == 61 and words[-1] == "israeli"
    coords = project(lee.vectors[[lee.key_to_index[w] for w in words]], method, dims)
    assert coords.shape == (61, dims) and np.isfinite(coords).all()


def test_pca_keeps_variance_of_a_plane():
    rng = np.random.default_rng(0)
    points = rng.normal(size=(50, 2)) @ rng.normal(size=(2, 10))  # a plane through the origin
    assert explained_variance(points, 2) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        project(points[:2], "PCA", 2)
    with pytest.raises(ValueError):
        project(points, "umap", 2)


def test_drift_known_answers():
    initial = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
    trained = np.array([[3.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, 2.0]])
    np.testing.assert_allclose(cosine_distances(initial, trained), [0, 1, 2, 0], atol=1e-12)
    movers = top_movers(["same", "turned", "flipped", "kept"], initial, trained, k=2)
    assert [m.word for m in movers] == ["flipped", "turned"]
    assert movers[0].cosine_distance == pytest.approx(2.0)
    with pytest.raises(ValueError):
        top_movers(["a"], initial, trained)


SENTIMENT_WORDS = {"bad", "worst", "worse", "mess", "fails", "lacks", "lack", "dull", "boring", "bore", "awful",
                   "terrible", "failure", "stupid", "dumb", "waste", "unfunny", "tedious", "lame", "flat",
                   "good", "best", "great", "remarkable", "wonderful", "marvelous", "beautiful", "fun", "clever",
                   "brilliant", "excellent", "enjoyable", "moving", "intriguing", "delivers", "solid", "fine"}


def test_sentiment_drift_on_the_committed_checkpoints():
    from udl_viz.embeddings.drift import sentiment_drift
    from udl_viz.text.word2vec import load_word2vec
    from udl_viz.ui.embeddings import sentiment_models

    models = sentiment_models()
    if not models:
        pytest.skip("no sentiment RNN checkpoint with a trained embedding in assets/rnn/")
    kv = load_word2vec()
    for name in models:
        drift = sentiment_drift(name)
        assert "<pad>" not in drift.words and "<unk>" not in drift.words
        for i in (0, len(drift.words) // 2, len(drift.words) - 1):
            np.testing.assert_allclose(drift.initial[i], kv[drift.words[i]], rtol=1e-6)
            assert drift.counts[i] == kv.get_vecattr(drift.words[i], "count")
        keep = drift.counts >= 20
        words = [w for w, kept in zip(drift.words, keep, strict=True) if kept]
        movers = [m.word for m in top_movers(words, drift.initial[keep], drift.trained[keep], 20)]
        assert len(SENTIMENT_WORDS.intersection(movers)) >= 3, (name, movers)
