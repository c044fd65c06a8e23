"""The word-embeddings page's loaders and sections: one function per section, widgets in, figures out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st
from gensim.models import KeyedVectors

from udl_viz import style
from udl_viz.embeddings import benchmark, negative, projection
from udl_viz.embeddings.catalog import DEFAULT_VECTORS, VECTOR_SETS, unavailable_reason
from udl_viz.embeddings.drift import SETTINGS as DRIFT_SETTINGS
from udl_viz.embeddings.drift import (
    SentimentDrift,
    cosine_distances,
    matrix_neighbours,
    sentiment_drift,
    top_movers,
)
from udl_viz.embeddings.explore import (
    ROWS,
    TOPN,
    UnknownWordError,
    analogy,
    analogy_plane,
    clean_words,
    embedding_rows,
    neighbours,
    word_counts,
)
from udl_viz.embeddings.skipgram import (
    LECTURE_SENTENCE,
    WINDOW,
    SkipGramPair,
    simple_tokens,
    skipgram_pairs,
)
from udl_viz.embeddings.vectors import EXAMPLES, SCALE, VectorsUnavailable, load_vectors
from udl_viz.figures.embeddings import (
    analogy_figure,
    benchmark_figure,
    drift_figure,
    noise_distribution_figure,
    projection_figure,
    skipgram_grid_figure,
    weight_matrix_figure,
    word_bars_figure,
)
from udl_viz.progress import Progress
from udl_viz.ui.layout import show_figure
from udl_viz.ui.progress import progress_bar
from udl_viz.ui.settings import setting_widget, setting_widgets

MAX_WORDS = 60
NOISE_DRAWS = 200_000


@st.cache_resource(show_spinner="Loading word vectors…", max_entries=4)
def get_vectors(name: str) -> KeyedVectors:
    """The shared vector set ``name`` (raises ``VectorsUnavailable`` with a plain reason).

    GloVe's 80 MB matrix is memory-mapped inside, so this object is the only copy for every session.
    """
    return load_vectors(name)


def available_vector_sets() -> tuple[dict[str, str], dict[str, str]]:
    """Vector sets that can load here (name -> description) and why the others cannot."""
    available, missing = {}, {}
    for name, description in VECTOR_SETS.items():
        reason = unavailable_reason(name)
        if reason:
            missing[name] = reason
        else:
            available[name] = description
    return available, missing


def pick_vector_set() -> tuple[str, KeyedVectors]:
    """The sidebar's vector-set picker; stops the page with a message when nothing can load."""
    vector_sets, missing = available_vector_sets()
    if missing:
        st.sidebar.caption("Not available here: " + "; ".join(f"{VECTOR_SETS[n]}: {r}" for n, r in missing.items()))
    if not vector_sets:
        st.error("No word vectors can be loaded here: " + "; ".join(missing.values()))
        st.stop()
    names = list(vector_sets)
    name = st.sidebar.selectbox("Word vectors", names, format_func=vector_sets.get, key="vectors",
                                index=names.index(DEFAULT_VECTORS) if DEFAULT_VECTORS in names else 0,
                                help="Which word vectors the tabs explore: GloVe 6B (400,000 words from "
                                     "Wikipedia and Gigaword news), word2vec on the Lee news articles that ship "
                                     "with gensim, or word2vec on the SST-2 movie reviews (where the RNN pages' "
                                     "embeddings started).")
    try:
        kv = get_vectors(name)
    except VectorsUnavailable as err:
        st.error(f"{vector_sets[name]} cannot be loaded: {err}")
        st.stop()
    st.sidebar.caption(f"{len(kv):,} words × {kv.vector_size} dimensions.")
    return name, kv


@st.cache_data(show_spinner=False, max_entries=8)
def cached_noise(name: str, draws: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unigram probabilities, the unigram^0.75 noise distribution and the share of ``draws`` samples."""
    counts = word_counts(get_vectors(name))
    noise = negative.noise_distribution(counts)
    drawn = np.bincount(negative.draw_negatives(noise, draws, np.random.default_rng(seed)), minlength=len(counts))
    return counts / counts.sum(), noise, drawn / draws


@st.cache_data(show_spinner=False, max_entries=32)
def cached_projection(name: str, words: tuple[str, ...], method: str, dims: int) -> np.ndarray:
    """``words``' vectors from vector set ``name`` projected to ``dims`` dimensions."""
    kv = get_vectors(name)
    return projection.project(kv.vectors[[kv.key_to_index[w] for w in words]], method, dims)


@st.cache_data(show_spinner=False, max_entries=8)
def cached_benchmark(name: str, restrict_vocab: int,
                     _progress: Progress | None = None) -> list[benchmark.SectionScore]:
    """Per-section analogy accuracy of vector set ``name``; computed once per process and setting."""
    return benchmark.analogy_accuracy(get_vectors(name), restrict_vocab=restrict_vocab, progress=_progress)


def sentiment_models() -> dict[str, str]:
    """Sentiment RNNs whose embedding was trained (not frozen) and whose checkpoint is here."""
    from udl_viz.models import SENTIMENT, select

    return {name: spec.title for name, spec in select(task=SENTIMENT).items()
            if not spec.meta["frozen"] and spec.unavailable_reason() is None}


@st.cache_data(show_spinner="Comparing the embedding with word2vec…", max_entries=4)
def cached_drift(model_name: str) -> SentimentDrift:
    """The sentiment model's trained embedding next to its word2vec start."""
    return sentiment_drift(model_name)


def _unknown_message(err: UnknownWordError, default: str) -> str:
    return f"{str(err)[0].upper()}{str(err)[1:]}. {default}"


def skipgram_section(name: str, kv: KeyedVectors) -> list[SkipGramPair]:
    """The (centre, context) pairs of a sentence, and what training on billions of them gives."""
    text = st.text_area("Sentence", LECTURE_SENTENCE, key="sentence",
                        help="Lower-cased, punctuation dropped: a simple view for teaching.")
    left, right = st.columns([1, 2])  # the settings and pairs beside the grid, so the grid starts high
    with left:
        window = setting_widget(WINDOW, key="window", bind="query-params")
    tokens = simple_tokens(text)
    if len(tokens) > MAX_WORDS:
        st.warning(f"The sentence has {len(tokens)} words; showing the first {MAX_WORDS}.")
        tokens = tokens[:MAX_WORDS]
    if len(tokens) < 2:
        st.warning("Type a sentence of at least two words to see skip-gram pairs.")
        return []
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
        show_figure(skipgram_grid_figure(tokens, window, f"Skip-gram with window {window}: {len(pairs)} "
                                         f"(centre, context) pairs from {len(tokens)} words", centre),
                    key="skipgram_grid")
        st.caption("**What am I looking at?** The training data skip-gram makes from one sentence. Each row "
                   "slides the window to the next centre word (orange); every blue cell is one (centre, context) "
                   "pair. A wider window gives more pairs and more topical neighbours.")
    _at_scale(name, kv, tokens[centre], len(pairs) / len(tokens))
    return chosen


def _at_scale(name: str, kv: KeyedVectors, word: str, pairs_per_word: float) -> None:
    """What training on the pairs of a whole corpus produces: the centre word's neighbours."""
    scale = SCALE[name]
    st.subheader("This is what training at scale produces")
    st.markdown(scale.how)
    left, right = st.columns([1, 2])
    pairs = scale.tokens * pairs_per_word
    left.metric("Pairs in the whole corpus", f"≈ {pairs / 1e9:,.0f} billion" if pairs >= 1e9 else f"≈ {pairs:,.0f}",
                help=f"This sentence's pairs per word, with this window, times the {scale.corpus}.")
    with right:
        try:
            found = neighbours(kv, word, 8)
        except UnknownWordError as err:
            st.info(_unknown_message(err, "Pick another centre word to see its neighbours."))
        else:
            show_figure(word_bars_figure([w for w, _ in found], [s for _, s in found],
                                         f"Closest to '{word}' after training", "cosine similarity"),
                        key="scale_neighbours")


def negative_sampling_section(name: str, kv: KeyedVectors, chosen: list[SkipGramPair]) -> None:
    """Negative examples for the chosen pairs, and the unigram^0.75 distribution they come from."""
    st.markdown(f"For each real pair word2vec also shows the model *k* random **negative** words and trains "
                f"it to tell them apart. They are drawn from the corpus frequencies raised to the power "
                f"{negative.NOISE_POWER}, over the {len(kv):,} words of the *{VECTOR_SETS[name]}*. "
                + SCALE[name].counts)
    values = setting_widgets(negative.SETTINGS, "negatives")
    k, seed = values["k"], values["seed"]
    unigram, noise, drawn = cached_noise(name, NOISE_DRAWS, seed)
    if chosen:
        table = negative.negative_examples(chosen, kv.index_to_key, noise, k, seed=seed)
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
                                          f"Negative samples follow unigram^{negative.NOISE_POWER:g}: frequent "
                                          "words are damped, rare ones boosted", drawn[ranks], negative.NOISE_POWER),
                key="noise")
    top = kv.index_to_key[0]
    c1, c2, c3 = st.columns(3)
    c1.metric(f"'{top}' in the corpus", f"{unigram[0]:.2%}")
    c2.metric(f"'{top}' as a negative sample", f"{noise[0]:.2%}", f"{noise[0] / unigram[0] - 1:+.0%}",
              delta_color="off")
    c3.metric(f"A rarest word, '{kv.index_to_key[-1]}', is drawn", f"×{noise[-1] / unigram[-1]:.1f} as often",
              help="Compared with its share of the corpus.")
    st.caption(f"Blue: how often a word occurs. Orange: how likely it is drawn as a negative after the 3/4 power. "
               f"Green: what {NOISE_DRAWS:,} actual draws gave. Frequent words are drawn less, rare words more.")


def weight_matrix_section(name: str, kv: KeyedVectors) -> None:
    """Rows of the embedding matrix: an embedding layer is a table lookup."""
    c1, c2 = st.columns([1, 2])
    with c1:
        n_rows = setting_widget(ROWS, key="matrix_rows")
    extra = clean_words(c2.text_input("Also show these words", ", ".join(EXAMPLES[name].highlight[:4]),
                                      key=f"matrix_words_{name}"))
    words = list(dict.fromkeys(kv.index_to_key[:n_rows] + [w for w in extra if w in kv.key_to_index]))
    unknown = [w for w in extra if w not in kv.key_to_index]
    if unknown:
        try:
            embedding_rows(kv, unknown)
        except UnknownWordError as err:
            st.warning(_unknown_message(err, "Words not in the vocabulary have no row."))
    if not words:
        st.warning("Choose at least one row or type a word from the vocabulary.")
        return
    rows, matrix = embedding_rows(kv, words)
    show_figure(weight_matrix_figure(words, rows, matrix, f"Embedding weight matrix: {len(words)} of its rows, "
                                     f"each a {matrix.shape[1]}-number word vector"), key="matrix")
    st.metric("Embedding matrix shape (words × dimensions)", f"{len(kv):,} × {kv.vector_size}")
    st.caption("Row i is word i's vector. Multiplying word i's one-hot vector by this matrix picks out "
               "row i: that is all an embedding layer does. Single numbers mean little; whole rows do.")


def neighbours_section(name: str, kv: KeyedVectors) -> None:
    """The nearest words of a typed word."""
    st.subheader("Nearest neighbours")
    c1, c2 = st.columns([2, 1])
    word = c1.text_input("Word", EXAMPLES[name].word, key=f"nn_word_{name}").strip().lower()
    with c2:
        topn = setting_widget(TOPN, key="topn")
    if not word:
        st.warning("Type a word to see its nearest neighbours.")
        return
    try:
        found = neighbours(kv, word, topn)
    except UnknownWordError as err:
        st.warning(_unknown_message(err, f"Try a more common word, e.g. {EXAMPLES[name].word!r}."))
        return
    show_figure(word_bars_figure([w for w, _ in found], [s for _, s in found],
                                 f"The {topn} words closest to '{word}'", "cosine similarity"), key="neighbours")
    st.caption("Cosine similarity compares directions: 1 = same direction, 0 = unrelated. "
               "Neighbours are words that appear in similar contexts.")


def analogy_section(name: str, kv: KeyedVectors) -> None:
    """a : b :: c : ? by 3CosAdd, with the four words in the plane of the analogy."""
    st.subheader("Analogies: a is to b as c is to ?")
    example = EXAMPLES[name].analogy
    cols = st.columns(3)
    a, b, c = (col.text_input(label, value, key=f"analogy_{label}_{name}").strip().lower()
               for col, label, value in zip(cols, "abc", example, strict=True))
    empty = [label for label, word in zip("abc", (a, b, c), strict=True) if not word]
    if empty:
        st.warning(f"Fill in all three words (empty: {', '.join(empty)}), e.g. {' : '.join(example)} : ?")
        return
    try:
        answers = analogy(kv, a, b, c)
    except UnknownWordError as err:
        st.warning(_unknown_message(err, f"The default {' : '.join(example)} : ? works with these vectors."))
        return
    st.metric(f"{a} : {b} :: {c} : ?", answers[0][0],
              help="The vocabulary word most similar to the vector b − a + c, leaving out a, b and c.")
    left, right = st.columns(2)
    with left:
        show_figure(word_bars_figure([w for w, _ in answers], [s for _, s in answers],
                                     f"Words closest to {b} − {a} + {c}", "cosine similarity",
                                     color=style.PALETTE[1]), key="analogy_bars")
    with right:
        quad = [a, b, c, answers[0][0]]
        show_figure(analogy_figure(quad, analogy_plane(embedding_rows(kv, quad)[1]),
                                   "Analogy as arrows: parallel means it holds"), key="analogy_arrows")
    st.caption(f"The answer is the word nearest to vector({b}) − vector({a}) + vector({c}). Right: the four "
               f"words in the plane of {a} → {c} and the two offsets; parallel arrows of equal length mean "
               "the offset from a to b means the same as from c to the answer.")


def projection_section(name: str, kv: KeyedVectors) -> None:
    """The most frequent words and highlighted ones, mapped to 2D or 3D."""
    st.subheader("The vector space in 2D or 3D")
    values = setting_widgets(projection.SETTINGS, "projection")
    method, dims = values["method"], values["dims"]
    highlight = clean_words(st.text_input("Highlight these words", ", ".join(EXAMPLES[name].highlight),
                                          key=f"highlight_{name}"))
    unknown = [w for w in highlight if w not in kv.key_to_index]
    if unknown:
        st.warning(f"Not in the vocabulary, so not plotted: {', '.join(unknown)}")
    shown = projection.projection_words(kv, highlight, values["n_frequent"])
    with st.spinner(f"Projecting {len(shown)} vectors with {method}…"):
        coords = cached_projection(name, tuple(shown), method, dims)
    show_figure(projection_figure(shown, coords, highlight, method,
                                  f"{len(shown)} word vectors projected to {dims}D with {method}"), key="projection")
    if method == "PCA":
        share = projection.explained_variance(embedding_rows(kv, shown)[1], dims)
        st.caption(f"Each dot is a word; hover to read it. The {dims} axes keep {share:.0%} of the spread of the "
                   f"{kv.vector_size}-dimensional vectors, so some neighbours look further apart than they are.")
    else:
        st.caption("Each dot is a word; hover to read it. t-SNE keeps near neighbours together but distorts "
                   "distances between clusters: read the groups, not the gaps.")


def benchmark_section(name: str, kv: KeyedVectors) -> None:
    """Mikolov's 19,544 analogy questions, scored per section on demand."""
    st.markdown("Mikolov's benchmark asks 19,544 analogies in 14 sections (capitals, currencies, family, then "
                "grammar: plurals, past tense, comparatives…) and counts how often 3CosAdd gives the expected word.")
    restrict = setting_widget(benchmark.RESTRICT, key="restrict_vocab")
    flag = f"benchmark_{name}_{restrict}"
    if st.button("Answer all 19,544 questions", key="run_benchmark"):
        st.session_state[flag] = True
    if not st.session_state.get(flag):
        st.info("Press the button to ask every question (seconds for 30,000 words; longer for 300,000).")
        return
    bar = progress_bar("Answering the analogy questions…")
    scores = cached_benchmark(name, restrict, bar)
    bar.done()
    all_, semantic, syntactic = (benchmark.overall(scores, part) for part in (None, True, False))
    c1, c2, c3, c4 = st.columns(4)
    for column, label, score in ((c1, "All questions", all_), (c2, "Semantic", semantic), (c3, "Syntactic", syntactic)):
        column.metric(label, f"{score.accuracy:.1%}" if score.total else "–", help=f"{score.correct:,} of "
                      f"{score.total:,} questions asked right.")
    c4.metric("Skipped (a word not in the vocabulary)", f"{all_.skipped:,}")
    show_figure(benchmark_figure([s.section for s in scores], [s.accuracy if s.total else 0.0 for s in scores],
                                 [s.total for s in scores],
                                 f"{VECTOR_SETS[name]}: analogies answered right, by section"), key="benchmark")
    st.caption("Blue: semantic sections; orange: syntactic ones. The same answers as gensim's "
               "evaluate_word_analogies, computed in batches. Small corpora know few of the words and get "
               "almost nothing right: analogies need training at scale.")


def drift_section() -> None:
    """Which words a sentiment RNN's fine-tuning moved furthest from their word2vec start."""
    models = sentiment_models()
    if not models:
        st.info("No sentiment RNN with a trained embedding is here yet: its checkpoint comes from "
                "`python scripts/train_sentiment.py`.")
        return
    st.markdown("The sentiment RNNs start their embedding layer from the SST-2 word2vec vectors, then train "
                "it to tell positive from negative reviews. Which words had to change their meaning most?")
    c1, c2, c3 = st.columns(3)
    model_name = c1.selectbox("Sentiment model", list(models), format_func=models.get, key="rnn_model")
    with c2:
        k_movers = setting_widget(DRIFT_SETTINGS[0], key="k_movers")
    with c3:
        min_count = setting_widget(DRIFT_SETTINGS[1], key="min_count")
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
                                 [m.word for m in movers], "How far each word moved, against how often it occurs"),
                    key="drift")
    st.caption(f"Cosine distance 0 = the vector kept its direction, 1 = it turned by 90°. Of {len(words):,} "
               f"words seen at least {min_count} times, these turned furthest. word2vec only knew where words "
               "appear; training for sentiment moves the words that decide whether a review is liked.")

    st.subheader("Neighbours before and after sentiment training")
    probe = st.text_input("Word", "worst", key="probe").strip().lower()
    if probe not in drift.words:
        st.warning(f"{probe!r} has no word2vec vector in this model's vocabulary." if probe
                   else "Type a word to compare its neighbours.")
        return
    left, right = st.columns(2)
    for column, matrix, label, color, key in (
            (left, drift.initial, "word2vec (self-supervised)", style.PALETTE[0], "before"),
            (right, drift.trained, f"after sentiment training ({models[model_name]})", style.PALETTE[1], "after")):
        found = matrix_neighbours(drift.words, matrix, probe)
        with column:
            show_figure(word_bars_figure([w for w, _ in found], [v for _, v in found],
                                         f"Closest to '{probe}': {label}", "cosine similarity", color=color),
                        key=f"neighbours_{key}")
    st.caption("word2vec groups words that appear in similar places, even opposites such as 'worst' and "
               "'greatest'. Training for sentiment regroups them by the feeling they carry.")
