"""RNN sentiment: watch the memory change word by word, the gates, and which words mattered."""

import numpy as np
import pandas as pd
import streamlit as st

from udl_viz.rnn.examples import EXAMPLES
from udl_viz.rnn.figures import (
    attribution_figure,
    comparison_figure,
    gates_figure,
    loop_agreement_figure,
    state_heatmap,
    step_probability_figure,
)
from udl_viz.rnn.memory import GATES
from udl_viz.rnn.registry import ARCHITECTURES, MAX_TOKENS, REGISTRY, TITLES, ModelUnavailable
from udl_viz.text.word2vec import load_vocabulary
from udl_viz.ui.layout import page_setup, show_figure
from udl_viz.ui.rnn import (
    cached_integrated_gradients,
    cached_lime,
    cached_loop_check,
    cached_trace,
    get_sentiment_model,
    model_metrics,
)

page_setup("RNN sentiment: watch the memory",
           "An RNN is a dense layer in a for loop, with some memory: watch it read a review word by word.")

TEXT_KEY, EXAMPLE_KEY = "sentiment_text", "sentiment_example"
if TEXT_KEY not in st.session_state:
    st.session_state[TEXT_KEY] = next(iter(EXAMPLES))

name = st.sidebar.selectbox("Model", list(REGISTRY), format_func=lambda n: REGISTRY[n].title,
                            key="sentiment_model", bind="query-params", index=list(REGISTRY).index("lstm"),
                            help="Fine-tuned: the embedding started from word2vec and was trained for sentiment. "
                                 "Frozen: the embedding stays exactly the word2vec vectors.")
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
except ModelUnavailable as exc:
    st.error(str(exc))
    st.stop()

encoded = spec.preprocess(text)
if not encoded.tokens:
    st.warning("Type a review (or pick an example) to see the RNN read it.")
    st.stop()
if encoded.all_unknown:
    st.error(f"None of these words is in the model's vocabulary of {len(load_vocabulary()) - 2:,} words from "
             f"SST-2 movie reviews: {', '.join(encoded.unknown_words)}. The model would only see "
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
                "SimpleRNN as a for loop"])

with tabs[0]:
    show_figure(step_probability_figure(tokens, trace.positive, unknown,
                                        f"{spec.title}: P(positive) after each word"), key="steps")
    st.caption("**What am I looking at?** The model's belief that the review is positive, after each word it "
               "reads: after every word the RNN updates its hidden state, and a dense softmax reads it. Orange = leaning positive, "
               "blue = leaning negative, × = unknown word. Try 'good', then 'not good': the memory of 'not' "
               "changes how the same word is read.")
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Prediction", "positive" if final >= 0.5 else "negative")
    c2.metric("P(positive)", f"{final:.2f}")
    c3.metric("Tokens read (unknown)", f"{len(tokens)} ({sum(unknown)})")
    c4.metric("SST-2 dev accuracy", f"{metrics['dev_accuracy']:.1%}", help=f"On the {metrics['n_dev']} SST-2 dev "
              f"sentences; {metrics['ood_accuracy']:.0%} on {metrics['n_ood']} hand-written reviews of other things.")
    st.caption("Tokens as the model reads them (lower-cased, split like SST-2): " + " · ".join(
        f"**{t}?**" if u else t for t, u in zip(tokens, unknown, strict=True)))
    show_figure(state_heatmap(tokens, trace.hidden, f"{spec.title}: hidden state, {trace.hidden.shape[1]} units "
                              "by words", unknown, value_name="activation"), key="hidden")
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
            show_figure(state_heatmap(tokens, trace.cell, "LSTM cell state by unit and word", unknown,
                                      value_name="cell value"), key="cell")
            st.caption("The cell state is the LSTM's long-term memory: it changes only where the forget gate "
                       "drops something or the input gate writes something.")

with tabs[2]:
    samples = st.select_slider("LIME samples", [200, 500, 1000, 2000], 500, key="rnn_lime_samples",
                               help="How many perturbed texts LIME scores; more is steadier and slower.")
    bar = st.progress(0.0, text="Integrated Gradients…")
    ig = cached_integrated_gradients(name, ids)
    bar.progress(0.5, text=f"LIME: scoring {samples} texts with words masked…")
    lime = cached_lime(name, tuple(tokens), samples)
    bar.empty()
    show_figure(attribution_figure(tokens, {"Integrated Gradients (captum)": ig.scores, "LIME": lime.scores},
                                   f"{spec.title}: which words pushed towards positive?", unknown), key="attributions")
    st.caption("Both methods ask what happens when a word is replaced by the 'unknown word' token: Integrated "
               "Gradients follows the gradient along the way there, LIME masks words at random and fits a linear "
               "model. Orange bars push towards positive, blue towards negative. "
               f"The Integrated Gradients scores add up to the change in P(positive) up to {ig.convergence_delta:.3f}.")

with tabs[3]:
    suffix = "_frozen" if spec.frozen else ""
    curves, rows = {}, []
    for kind in ARCHITECTURES:
        other = f"{kind}{suffix}"
        try:
            curves[TITLES[kind]] = cached_trace(other, ids).positive
        except ModelUnavailable as exc:
            st.warning(str(exc))
    for other, other_spec in REGISTRY.items():
        try:
            m = model_metrics(other)
        except ModelUnavailable:
            continue
        rows.append({"model": other_spec.title, "SST-2 dev accuracy": m["dev_accuracy"],
                     "hand-written reviews accuracy": m["ood_accuracy"],
                     "P(positive) for this text": float(cached_trace(other, ids).positive[-1])})
    show_figure(comparison_figure(tokens, curves, unknown, "SimpleRNN, LSTM and GRU read the same text"
                                  + (" (frozen word2vec)" if spec.frozen else "")), key="compare")
    st.caption("Same embedding start, same data, three memories. The SimpleRNN rewrites its whole state at "
               "every word; the gated LSTM and GRU choose what to keep, which shows most on sentences that turn.")
    st.dataframe(pd.DataFrame(rows), hide_index=True, column_config={
        c: st.column_config.NumberColumn(format="%.3f") for c in rows[0] if c != "model"} if rows else None)
    st.caption("Accuracy on the 872 SST-2 dev sentences, and on 40 reviews of films, food, products and games "
               "written the way people type (capitals, '!!', contractions).")

with tabs[4]:
    loop_name = "simple_rnn_frozen" if spec.frozen else "simple_rnn"
    st.markdown(f"The lecture's SimpleRNN, written as a plain numpy loop on the trained weights of "
                f"**{REGISTRY[loop_name].title}** (whichever model the sidebar shows):")
    st.code("state = np.zeros(units)\nfor x in inputs:            # x: the word's embedding vector\n"
            "    state = np.tanh(W @ x + U @ state + b)", language="python")
    try:
        check = cached_loop_check(loop_name, ids)
    except ModelUnavailable as exc:
        st.error(str(exc))
        st.stop()
    loop = check.loop
    step = st.slider("Step through the loop: word", 1, len(tokens), 1, key="loop_step") - 1 \
        if len(tokens) > 1 else 0
    units = min(8, loop.states.shape[1])
    before = loop.states[step - 1] if step else np.zeros_like(loop.states[0])
    st.markdown(f"Step {step + 1}: reading **{tokens[step]}**{' (unknown)' if unknown[step] else ''}. "
                f"The first {units} of {loop.states.shape[1]} units:")
    st.dataframe(pd.DataFrame({
        "unit": range(units), "state before": before[:units], "W·x": loop.wx[step, :units],
        "U·state": loop.us[step, :units], "b": loop.b[:units],
        "sum": loop.wx[step, :units] + loop.us[step, :units] + loop.b[:units],
        "tanh(sum) = new state": loop.states[step, :units],
        "torch.nn.RNN": check.torch_states[step, :units]}).round(4), hide_index=True)
    c1, c2 = st.columns([1, 2])
    diff = check.max_abs_difference
    c1.metric("Largest difference, numpy vs torch", f"{diff:.1e}")
    if diff < 1e-5:
        c1.success("The for loop and torch.nn.RNN agree to 1e-5: the RNN layer *is* this loop.")
    else:
        c1.error(f"The loop and torch.nn.RNN differ by {diff:.1e}, more than 1e-5.")
    c1.caption(f"W is {loop.wx.shape[1]}×{loop.inputs.shape[1]} (units × embedding), U is "
               f"{loop.wx.shape[1]}×{loop.wx.shape[1]}; torch stores b as two biases, b_ih + b_hh.")
    with c2:
        show_figure(loop_agreement_figure(loop.states, check.torch_states), key="loop")
    st.caption("Every hidden value for every word: the numpy loop (up) against torch.nn.RNN (across). All points "
               "lie on the diagonal.")
