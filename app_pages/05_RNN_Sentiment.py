"""RNN sentiment: watch the memory change word by word, the gates, and which words mattered."""

import streamlit as st

from udl_viz.attribution import get_method
from udl_viz.figures.rnn import (
    attribution_figure,
    gates_figure,
    hidden_state_figure,
    step_probability_figure,
)
from udl_viz.models import SENTIMENT, ModelUnavailable, select
from udl_viz.rnn.examples import EXAMPLES
from udl_viz.rnn.memory import GATES
from udl_viz.settings import freeze
from udl_viz.text.encode import MAX_TOKENS
from udl_viz.ui.layout import page_setup, show_figure
from udl_viz.ui.progress import progress_bar
from udl_viz.ui.rnn import (
    architectures_section,
    cached_trace,
    cached_word_attribution,
    embedding_comparison_section,
    get_sentiment_model,
    loop_section,
    model_metrics,
)
from udl_viz.ui.settings import setting_widget

page_setup("RNN sentiment: watch the memory",
           "An RNN is a dense layer in a for loop, with some memory: watch it read a review word by word.")

TEXT_KEY, EXAMPLE_KEY = "sentiment_text", "sentiment_example"
if TEXT_KEY not in st.session_state:
    st.session_state[TEXT_KEY] = next(iter(EXAMPLES))

REGISTRY = select(task=SENTIMENT)
name = st.sidebar.selectbox("Model", list(REGISTRY), format_func=lambda n: REGISTRY[n].title,
                            key="sentiment_model", bind="query-params", index=list(REGISTRY).index("lstm"),
                            help="Fine-tuned: the embedding started from word2vec and was trained for sentiment. "
                                 "Frozen word2vec: the embedding stays exactly the SST-2 word2vec vectors. "
                                 "Frozen GloVe: 400,000 words pre-trained on Wikipedia + Gigaword, never changed.")
spec = REGISTRY[name]
st.sidebar.caption(spec.description)

example = st.selectbox("Pick an example", list(EXAMPLES), key=EXAMPLE_KEY,  # full width: a value cannot wrap
                       on_change=lambda: st.session_state.update({TEXT_KEY: st.session_state[EXAMPLE_KEY]}))
type_in, why = st.columns([3, 2], vertical_alignment="center")
text = type_in.text_area("…or type a review", key=TEXT_KEY, height=68, label_visibility="collapsed",
                         help=f"Any English text. The model reads at most {MAX_TOKENS} tokens.")
why.caption(f"**…or type your own review** in the box. Why this example: {EXAMPLES[example]}")

try:
    model = get_sentiment_model(name)
    metrics = model_metrics(name)
    vocabulary_size = len(spec.preprocess.vocabulary()) - 2
except ModelUnavailable as exc:
    st.error(str(exc))
    st.stop()

encoded = spec.preprocess(text)
if not encoded.tokens:
    st.warning("Type a review (or pick an example) to see the RNN read it.")
    st.stop()
if encoded.all_unknown:
    st.error(f"None of these words is in the model's vocabulary of {vocabulary_size:,} words "
             f"({'GloVe' if spec.meta.get('vectors') == 'glove' else 'SST-2 movie reviews'}): "
             f"{', '.join(encoded.unknown_words)}. The model would only see "
             "'unknown word' tokens, so it has nothing to go on. Try an English review.")
    st.stop()
if encoded.truncated:
    st.warning(f"This text has {encoded.n_tokens} tokens; the model reads only the first {MAX_TOKENS} "
               "(everything after them is ignored below).")
if encoded.unknown_words:
    st.info(f"Unknown words, marked with ? in the figures (the model sees the same 'unknown word' vector "
            f"for each): {', '.join(dict.fromkeys(encoded.unknown_words))}")

ids = tuple(encoded.ids)
tokens, unknown = encoded.tokens, encoded.unknown
trace = cached_trace(name, ids)
final = float(trace.positive[-1])
tabs = st.tabs(["Memory, word by word", "Gates", "Which words mattered?", "Three architectures",
                "SimpleRNN as a for loop", "GloVe vs learned embeddings"])

with tabs[0]:
    show_figure(step_probability_figure(tokens, trace.positive, f"{spec.title}: P(positive) after each word",
                                        unknown), key="steps")
    st.caption("**What am I looking at?** The model's belief that the review is positive, after each word it "
               "reads: after every word the RNN updates its hidden state, and a dense softmax reads it. Orange = "
               "leaning positive, blue = leaning negative, × = unknown word. Try 'good', then 'not good': the "
               "memory of 'not' changes how the same word is read.")
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Prediction", "positive" if final >= 0.5 else "negative")
    c2.metric("P(positive)", f"{final:.2f}")
    c3.metric("Tokens read (unknown)", f"{len(tokens)} ({sum(unknown)})")
    c4.metric("SST-2 dev accuracy", f"{metrics['dev_accuracy']:.1%}", help=f"On the {metrics['n_dev']} SST-2 dev "
              f"sentences; {metrics['ood_accuracy']:.0%} on {metrics['n_ood']} hand-written reviews of other things.")
    st.caption("Tokens as the model reads them (lower-cased, split like SST-2): " + " · ".join(
        f"**{t}?**" if u else t for t, u in zip(tokens, unknown, strict=True)))
    show_figure(hidden_state_figure(tokens, trace.hidden, f"{spec.title}: hidden state, {trace.hidden.shape[1]} "
                                    "units by words", unknown, value_name="activation"), key="hidden")
    st.caption("Each column is the memory after reading that word; each row is one unit. Units that change colour "
               "at a word reacted to it; units that keep their colour carry information forward.")

with tabs[1]:
    if spec.kind == "simple_rnn":
        st.info("A SimpleRNN has no gates: it overwrites its whole state at every word, "
                "state = tanh(W·x + U·state + b). Pick the LSTM or GRU in the sidebar to see gates.")
    else:
        st.markdown("  \n".join(f"- **{gate} gate**: {what}." for gate, what in GATES[spec.kind].items()))
        show_figure(gates_figure(tokens, trace.gates, f"{spec.title}: gate values by unit and word", unknown),
                    key="gates")
        st.caption("Each gate is a sigmoid, between 0 (closed, dark) and 1 (open, light), one value per unit and "
                    "word. The gates decide what the memory keeps, writes and shows.")
        if trace.cell is not None:
            show_figure(hidden_state_figure(tokens, trace.cell, "LSTM cell state by unit and word", unknown,
                                            value_name="cell value"), key="cell")
            st.caption("The cell state is the LSTM's long-term memory: it changes only where the forget gate "
                       "drops something or the input gate writes something.")

with tabs[2]:
    samples = setting_widget(get_method("text_lime").settings(spec)[0], "rnn_lime_samples")
    bar = progress_bar("Integrated Gradients…")
    ig = cached_word_attribution(name, ids, "text_ig")
    bar.label = f"LIME: scoring {samples} texts with words masked…"
    bar(1, 2)
    lime = cached_word_attribution(name, ids, "text_lime", freeze({"samples": samples}))
    bar.done()
    show_figure(attribution_figure(tokens, {"Integrated Gradients (captum)": ig.map, "LIME": lime.map},
                                   f"{spec.title}: which words pushed towards positive?", unknown), key="attributions")
    st.caption("Both methods ask what happens when a word is replaced by the 'unknown word' token: Integrated "
               "Gradients follows the gradient along the way there, LIME masks words at random and fits a linear "
               "model. Orange bars push towards positive, blue towards negative. The Integrated Gradients scores "
               f"add up to the change in P(positive) up to {ig.extras['convergence_delta']:.3f}.")

with tabs[3]:
    architectures_section(name, ids, tokens, unknown)

with tabs[4]:
    loop_section(name, ids, tokens, unknown)

with tabs[5]:
    embedding_comparison_section()
