"""Word embeddings: skip-gram pairs, negative sampling, and GloVe and word2vec vectors to explore.

``skipgram`` and ``negative`` show what word2vec trains on, ``catalog`` names the vector sets and
whether each is installed, ``glove`` memory-maps GloVe 6B, ``vectors`` loads and trains gensim
vectors, ``explore`` asks them questions (neighbours, analogies, spelling suggestions),
``benchmark`` scores Mikolov's analogy questions in batches, ``projection`` maps them to 2D/3D,
and ``drift`` compares them with a sentiment RNN's embedding layer; ``udl_viz.figures.embeddings`` draws them.
"""
