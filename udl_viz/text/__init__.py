"""Text for the RNN and embedding pages: SST-2-style tokenizer, vocabulary, encoding and word2vec."""

from udl_viz.text.tokenize import tokenize
from udl_viz.text.vocab import PAD, UNK, Vocabulary

__all__ = ["PAD", "UNK", "Vocabulary", "tokenize"]
