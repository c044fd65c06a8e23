"""Word embeddings: skip-gram pairs, negative sampling, and word2vec vectors to explore.

``skipgram`` and ``negative`` show what word2vec trains on, ``vectors`` loads and trains
gensim vectors, ``explore`` asks them questions (neighbours, analogies), ``projection``
maps them to 2D/3D, ``drift`` compares them with a sentiment RNN's embedding layer, and
``figures`` draws all of it.
"""
