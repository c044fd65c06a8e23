"""Word embeddings: skip-gram pairs, negative sampling and word2vec vectors to explore."""

import pandas as pd
import streamlit as st

from udl_viz import style
from udl_viz.embeddings.drift import cosine_distances, matrix_neighbours, top_movers
from udl_viz.embeddings.explore import (
    UnknownWordError,
    analogy,
    analogy_plane,
    clean_words,
    embedding_rows,
    neighbours,
)
from udl_viz.embeddings.figures import (
    analogy_figure,
    drift_figure,
    noise_distribution_figure,
    projection_figure,
    skipgram_grid_figure,
    weight_matrix_figure,
    word_bars_figure,
)
from udl_viz.embeddings.negative import NOISE_POWER, negative_examples
from udl_viz.embeddings.projection import METHODS, explained_variance, projection_words
from udl_viz.embeddings.skipgram import LECTURE_SENTENCE, simple_tokens, skipgram_pairs
from udl_viz.embeddings.vectors import EXAMPLES
from udl_viz.ui.embeddings import (
    available_vector_sets,
    cached_drift,
    cached_noise,
    cached_projection,
    get_vectors,
    sentiment_models,
)
from udl_viz.ui.layout import page_setup, show_figure

MAX_WORDS = 60

page_setup("Word embeddings", "Self-supervised learning: word2vec learns one vector per word by predicting "
           "the words around it, so words used in similar places end up with similar vectors.")

vector_sets, missing = available_vector_sets()
if not vector_sets:
    st.error("No word vectors can be loaded here: " + "; ".join(missing.values()))
    st.stop()
name = st.sidebar.selectbox("Word vectors", list(vector_sets), format_func=vector_sets.get,
                            help="Which gensim word2vec vectors the other tabs explore: trained on the Lee news "
                                 "articles that ship with gensim, or on the SST-2 movie reviews (where the RNN "
                                 "pages' embeddings started).")
kv = get_vectors(name)
examples = EXAMPLES[name]
st.sidebar.caption(f"{len(kv):,} words × {kv.vector_size} dimensions.")

tabs = st.tabs(["Skip-gram pairs", "Negative sampling", "Weight matrix", "Explore the vectors",
                "Trained for sentiment"])

with tabs[0]:
    text = st.text_area("Sentence", LECTURE_SENTENCE, key="sentence",
                        help="Lower-cased, punctuation dropped: a simple view for teaching.")
    left, right = st.columns([1, 2])  # the settings and pairs beside the grid
    window = left.slider("Window: context words on each side", 1, 5, 2, key="window", bind="query-params")
    tokens = simple_tokens(text)
    if len(tokens) > MAX_WORDS:
        st.warning(f"The sentence has {len(tokens)} words; showing the first {MAX_WORDS}.")
        tokens = tokens[:MAX_WORDS]
    centre, chosen = 0, []
    if len(tokens) < 2:
        st.warning("Type a sentence of at least two words to see skip-gram pairs.")
    else:
        default = tokens.index("epidemic") if "epidemic" in tokens else 0
        centre = left.selectbox("Centre word", range(len(tokens)), index=default, key="centre@" + " ".join(tokens),
                                format_func=lambda i: f"{i + 1}: {tokens[i]}")
        pairs = skipgram_pairs(tokens, window)
        chosen = [p for p in pairs if p.centre_position == centre]
        with left:
            st.metric("Training pairs in this sentence", len(pairs))
            st.markdown(" ".join(f":orange-background[**{w}**]" if i == centre
                                 else f":blue-background[{w}]" if abs(i - centre) <= window else w
                                 for i, w in enumerate(tokens)))
            st.dataframe(pd.DataFrame({"centre word (input)": [p.centre for p in chosen],
                                       "context word (target)": [p.context for p in chosen],
                                       "offset": [f"{p.context_position - centre:+d}" for p in chosen]}),
                         hide_index=True, key="pairs_table")
            st.caption(f"Skip-gram reads **{tokens[centre]}** and is trained to predict each of these "
                       f"{len(chosen)} words. No labels are needed: the text supervises itself.")
        with right:
            show_figure(skipgram_grid_figure(tokens, window, centre), key="skipgram_grid")
            st.caption("**What am I looking at?** The training data skip-gram makes from one sentence. Each row "
                       "slides the window to the next centre word (orange); every blue cell is one "
                       "(centre, context) pair. A wider window gives more pairs and more topical neighbours.")

with tabs[1]:
    st.markdown(f"For each real pair word2vec also shows the model *k* random **negative** words and trains "
                f"it to tell them apart. They are drawn from the corpus frequencies raised to the power "
                f"{NOISE_POWER}, over the {len(kv):,} words of the *{vector_sets[name]}*.")
    c1, c2 = st.columns(2)
    k = c1.slider("Negative samples per pair (k)", 1, 15, 5, key="k")
    seed = c2.number_input("Random seed", 0, 10_000, 0, step=1, key="seed",
                           help="Change it to draw other negatives.")
    unigram, noise, drawn = cached_noise(name, 200_000, int(seed))
    if chosen:
        table = negative_examples(chosen, kv.index_to_key, noise, k, seed=int(seed))
        st.dataframe(pd.DataFrame({"centre word": [e.centre for e in table], "word": [e.word for e in table],
                                   "label": ["1: real context" if e.label else "0: negative sample"
                                             for e in table]}),
                     hide_index=True, key="negatives_table", height=300)
        st.caption(f"The centre word **{chosen[0].centre}** with its {len(chosen)} real context words (label 1) "
                   f"and {k} negatives each (label 0): the training data of a yes/no classifier.")
    else:
        st.info("Type a sentence in the first tab to see negative samples for its pairs.")
    ranks = list(range(10)) + [r for r in (50, 200, 800, 2000, 8000) if r < len(kv)]
    show_figure(noise_distribution_figure([kv.index_to_key[r] for r in ranks], unigram[ranks], noise[ranks],
                                          drawn[ranks], NOISE_POWER), key="noise")
    top = kv.index_to_key[0]
    c1, c2, c3 = st.columns(3)
    c1.metric(f"'{top}' in the corpus", f"{unigram[0]:.2%}")
    c2.metric(f"'{top}' as a negative sample", f"{noise[0]:.2%}", f"{noise[0] / unigram[0] - 1:+.0%}",
              delta_color="off")
    c3.metric(f"A rarest word, '{kv.index_to_key[-1]}', is drawn", f"×{noise[-1] / unigram[-1]:.1f} as often",
              help="Compared with its share of the corpus.")
    st.caption("Blue: how often a word occurs. Orange: how likely it is drawn as a negative after the 3/4 power. "
               "Green: what 200,000 actual draws gave. Frequent words are drawn less, rare words more.")

with tabs[2]:
    c1, c2 = st.columns([1, 2])
    n_rows = c1.slider("First rows (most frequent words)", 0, 40, 12, key="matrix_rows")
    extra = clean_words(c2.text_input("Also show these words", ", ".join(examples.highlight[:4]),
                                      key=f"matrix_words_{name}"))
    words = list(dict.fromkeys(kv.index_to_key[:n_rows] + [w for w in extra if w in kv.key_to_index]))
    unknown = [w for w in extra if w not in kv.key_to_index]
    if unknown:
        st.warning(f"Not in the vocabulary, so they have no row: {', '.join(unknown)}")
    if words:
        rows, matrix = embedding_rows(kv, words)
        show_figure(weight_matrix_figure(words, rows, matrix), key="matrix")
        st.metric("Embedding matrix shape (words × dimensions)", f"{len(kv):,} × {kv.vector_size}")
        st.caption("Row i is word i's vector. Multiplying word i's one-hot vector by this matrix picks out "
                   "row i: that is all an embedding layer does. Single numbers mean little; whole rows do.")
    else:
        st.warning("Choose at least one row or type a word from the vocabulary.")

with tabs[3]:
    st.subheader("Nearest neighbours")
    c1, c2 = st.columns([2, 1])
    word = c1.text_input("Word", examples.word, key=f"nn_word_{name}").strip().lower()
    topn = c2.slider("How many neighbours", 3, 25, 10, key="topn")
    if not word:
        st.warning("Type a word to see its nearest neighbours.")
    else:
        try:
            found = neighbours(kv, word, topn)
        except UnknownWordError as err:
            st.warning(f"{err}. Try a more common word, e.g. {examples.word!r}.")
        else:
            show_figure(word_bars_figure([w for w, _ in found], [s for _, s in found],
                                         f"The {topn} words closest to '{word}'", "cosine similarity"),
                        key="neighbours")
            st.caption("Cosine similarity compares directions: 1 = same direction, 0 = unrelated. "
                       "Neighbours are words that appear in similar contexts.")

    st.subheader("Analogies: a is to b as c is to ?")
    cols = st.columns(3)
    a, b, c = (col.text_input(label, value, key=f"analogy_{label}_{name}").strip().lower()
               for col, label, value in zip(cols, "abc", examples.analogy, strict=True))
    if not (a and b and c):
        st.warning("Fill in all three words.")
    else:
        try:
            answers = analogy(kv, a, b, c)
        except UnknownWordError as err:
            st.warning(f"{err}. The default {' : '.join(examples.analogy)} : ? works with these vectors.")
        else:
            st.metric(f"{a} : {b} :: {c} : ?", answers[0][0],
                      help="The vocabulary word most similar to the vector b − a + c, leaving out a, b and c.")
            left, right = st.columns(2)
            with left:
                show_figure(word_bars_figure([w for w, _ in answers], [s for _, s in answers],
                                             f"Words closest to {b} − {a} + {c}", "cosine similarity",
                                             color=style.PALETTE[1]), key="analogy_bars")
            with right:
                quad = [a, b, c, answers[0][0]]
                show_figure(analogy_figure(quad, analogy_plane(embedding_rows(kv, quad)[1])),
                            key="analogy_arrows")
            st.caption(f"The answer is the word nearest to vector({b}) − vector({a}) + vector({c}). Right: the four "
                       f"words in the plane of {a} → {c} and the two offsets; parallel arrows of equal length mean "
                       "the offset from a to b means the same as from c to the answer.")

    st.subheader("The vector space in 2D or 3D")
    c1, c2, c3 = st.columns(3)
    method = c1.radio("Projection", METHODS, horizontal=True, key="method",
                      help="PCA keeps the directions of largest spread; t-SNE keeps near neighbours near.")
    dims = c2.radio("Dimensions", (2, 3), horizontal=True, key="dims", format_func=lambda d: f"{d}D")
    n_frequent = c3.slider("Most frequent words to plot", 50, 1500, 300, step=50, key="n_frequent")
    highlight = clean_words(st.text_input("Highlight these words", ", ".join(examples.highlight),
                                          key=f"highlight_{name}"))
    unknown = [w for w in highlight if w not in kv.key_to_index]
    if unknown:
        st.warning(f"Not in the vocabulary, so not plotted: {', '.join(unknown)}")
    shown = projection_words(kv, highlight, n_frequent)
    with st.spinner(f"Projecting {len(shown)} vectors with {method}…"):
        coords = cached_projection(name, tuple(shown), method, dims)
    show_figure(projection_figure(shown, coords, highlight, method), key="projection")
    if method == "PCA":
        share = explained_variance(embedding_rows(kv, shown)[1], dims)
        st.caption(f"Each dot is a word; hover to read it. The {dims} axes keep {share:.0%} of the spread of the "
                   f"{kv.vector_size}-dimensional vectors, so some neighbours look further apart than they are.")
    else:
        st.caption("Each dot is a word; hover to read it. t-SNE keeps near neighbours together but distorts "
                   "distances between clusters: read the groups, not the gaps.")

with tabs[4]:
    models = sentiment_models()
    if not models:
        st.info("No sentiment RNN with a trained embedding is here yet: its checkpoint comes from "
                "`python scripts/train_sentiment.py`.")
    else:
        st.markdown("The sentiment RNNs start their embedding layer from the SST-2 word2vec vectors, then train "
                    "it to tell positive from negative reviews. Which words had to change their meaning most?")
        c1, c2, c3 = st.columns(3)
        model_name = c1.selectbox("Sentiment model", list(models), format_func=models.get, key="rnn_model")
        k_movers = c2.slider("Words to list", 5, 40, 20, key="k_movers")
        min_count = c3.select_slider("Only words seen at least", [1, 2, 5, 10, 20, 50, 100], 20, key="min_count",
                                     help="Rare words get few updates; raise this to compare common words.")
        drift = cached_drift(model_name)
        keep = drift.counts >= min_count
        words = [w for w, kept in zip(drift.words, keep, strict=True) if kept]
        movers = top_movers(words, drift.initial[keep], drift.trained[keep], k_movers)
        left, right = st.columns(2)
        with left:
            show_figure(word_bars_figure([m.word for m in movers], [m.cosine_distance for m in movers],
                                         f"{models[model_name]}: the {len(movers)} words that moved most",
                                         "cosine distance from the word2vec start", color=style.PALETTE[1]),
                        key="movers")
        with right:
            show_figure(drift_figure(words, drift.counts[keep], cosine_distances(drift.initial[keep],
                                                                                 drift.trained[keep]),
                                     [m.word for m in movers]), key="drift")
        st.caption(f"Cosine distance 0 = the vector kept its direction, 1 = it turned by 90°. Of {len(words):,} "
                   f"words seen at least {min_count} times, these turned furthest. word2vec only knew where words "
                   "appear; training for sentiment moves the words that decide whether a review is liked.")

        st.subheader("Neighbours before and after sentiment training")
        probe = st.text_input("Word", "worst", key="probe").strip().lower()
        if probe not in drift.words:
            st.warning(f"{probe!r} has no word2vec vector in this model's vocabulary." if probe
                       else "Type a word to compare its neighbours.")
        else:
            left, right = st.columns(2)
            for column, matrix, label, color, key in (
                    (left, drift.initial, "word2vec (self-supervised)", style.PALETTE[0], "before"),
                    (right, drift.trained, f"after sentiment training ({models[model_name]})", style.PALETTE[1],
                     "after")):
                found = matrix_neighbours(drift.words, matrix, probe)
                with column:
                    show_figure(word_bars_figure([w for w, _ in found], [v for _, v in found],
                                                 f"Closest to '{probe}': {label}", "cosine similarity", color=color),
                                key=f"neighbours_{key}")
            st.caption("word2vec groups words that appear in similar places, even opposites such as 'worst' and "
                       "'greatest'. Training for sentiment regroups them by the feeling they carry.")
