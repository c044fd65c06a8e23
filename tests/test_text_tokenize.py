"""The SST-2-style tokenizer and the vocabulary."""

from __future__ import annotations

import pytest

from udl_viz.datasets.sst2 import full_sentences, read_split
from udl_viz.text.tokenize import tokenize
from udl_viz.text.vocab import PAD, UNK, Vocabulary


@pytest.mark.parametrize(("text", "tokens"), [
    ("I didn't LOVE it!!", "i did n't love it ! !"),
    ("Can't believe it's SO good...", "ca n't believe it 's so good ..."),
    ("I won't lie: it was gonna be great.", "i wo n't lie : it was gon na be great ."),
    ('A "masterpiece" -- NOT!', "a `` masterpiece '' -- not !"),
    ("The actors' work was 'fine'. Cannot recommend?", "the actors ' work was ` fine ' . can not recommend ?"),
    ("Mr. Smith's best film (so far), 2,500 fans agree.", "mr. smith 's best film ( so far ) , 2,500 fans agree ."),
    ("It’s “great” — really", "it 's `` great '' -- really"),
    ("they'd've... we're, you'll, I'm", "they 'd 've ... we 're , you 'll , i 'm"),
    ("a well-made, often-funny r&b film***", "a well-made , often-funny r&b film ***"),
    ("loved it😀", "loved it 😀"),
    ("", ""),
])
def test_raw_text_is_tokenised_like_sst2(text, tokens):
    assert tokenize(text) == tokens.split()


def test_sst2_text_tokenises_to_itself(shared_data):
    """SST-2's own (already tokenised) sentences come back unchanged, bar a handful of rare forms."""
    sentences, _ = read_split("dev", shared_data / "sst2")
    same = sum(tokenize(" ".join(s)) == s for s in sentences)
    assert same / len(sentences) >= 0.995


def test_vocabulary_encodes_unknown_words():
    vocab = Vocabulary(["good", "bad"])
    assert vocab.words == [PAD, UNK, "good", "bad"]
    assert vocab.encode(["good", "meh", "bad"]) == [2, 1, 3]
    assert vocab.unknown(["good", "meh"]) == ["meh"]
    assert "meh" not in vocab and "good" in vocab and PAD not in vocab


def test_vocabulary_round_trips_through_a_file(tmp_path):
    vocab = Vocabulary(["n't", "'s", "good"])
    vocab.save(tmp_path / "vocab.txt")
    assert Vocabulary.load(tmp_path / "vocab.txt").words == vocab.words


def test_full_sentences_drop_sub_phrases():
    phrases = [["a", "fine", "film"], ["fine", "film"], ["film"], ["so", "bad"], ["a", "fine", "film"]]
    assert full_sentences(phrases) == [["a", "fine", "film"], ["so", "bad"]]
