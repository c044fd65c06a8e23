"""udl_viz: the home page (a tour keyed to the course topics) and the navigation to every page."""

from pathlib import Path

import streamlit as st

from udl_viz.ui import lecture
from udl_viz.ui.layout import page_config, page_setup, plotly_preloaded
from udl_viz.ui.replica import moved_notice
from udl_viz.ui.warmup import page_opened, start_warmup

ROOT = Path(__file__).parent

#: (course topic, one-line idea, [(page file, link label, what you do there)]).
TOUR = [
    ("What a CNN sees", "Every layer turns the image into feature maps; early ones find edges, later ones parts.", [
        ("app_pages/01_Layer_Activations.py", "Layer activations",
         "feature maps of any layer for your photo, and the first layer's filters"),
        ("app_pages/02_Unit_Patches.py", "What a unit has learned",
         "the image patches that excite one channel most, and the image it dreams up"),
    ]),
    ("Explaining predictions", "Which pixels made the network say *husky*? Is it the dog, or the snow?", [
        ("app_pages/03_Saliency_Maps.py", "Saliency maps",
         "gradients, SmoothGrad, Integrated Gradients, Grad-CAM, occlusion, side by side and scored"),
        ("app_pages/04_LIME.py", "LIME", "which superpixels drive the prediction: the husky-vs-wolf lesson"),
    ]),
    ("Inside RNNs", "An RNN is a dense layer in a for loop, with some memory.", [
        ("app_pages/05_RNN_Sentiment.py", "RNN sentiment",
         "watch the memory change word by word: SimpleRNN, LSTM and GRU"),
        ("app_pages/06_RNN_Time_Series.py", "RNN time series",
         "forecast a real series and compare with a feed-forward baseline"),
    ]),
    ("Word embeddings", "Self-supervised learning: predict a word's neighbours and meaning emerges.", [
        ("app_pages/07_Word_Embeddings.py", "Word embeddings",
         "skip-gram pairs, negative sampling and an embedding space to explore"),
    ]),
    ("How networks learn", "Gradient descent is a skier who only feels the slope under their feet.", [
        ("app_pages/08_Gradient_Descent.py", "Gradient descent",
         "optimizers racing on 1D and 2D loss surfaces, SGD against mini-batch"),
        ("app_pages/09_Loss_Landscape.py", "Loss landscape", "a real network's loss surface and its training path"),
    ]),
    ("Learning from little data", "Augment what you have, and reuse what a big network already knows.", [
        ("app_pages/10_Data_Augmentation.py", "Data augmentation",
         "which transformations keep the label, and which turn a 6 into a 9"),
        ("app_pages/11_Fine_Tuning.py", "Fine-tuning", "train a new head on a few images of your own, in seconds"),
    ]),
    ("Generative models", "A counterfeiter and a cop: the generator learns to make data the discriminator "
     "cannot tell from real.", [
        ("app_pages/12_Generative_Models.py", "Generative models", "a 2-D GAN playground, a GAN learning digits live, "
         "and a VAE's latent map"),
    ]),
    ("The deepest problem", "A confident network can be fooled by a change you cannot see, or by turning the photo.", [
        ("app_pages/13_Fooling_the_Network.py", "Fooling the network",
         "adversarial examples: an invisible change flips the answer, and the trick carries over to another network"),
    ]),
]

#: Query settings that open a lecture step on its lesson (the page's defaults otherwise).
LECTURE_SETTINGS = {
    "app_pages/03_Saliency_Maps.py": {"saliency_section": "One method", "saliency_method": "gradcam"},
    "app_pages/10_Data_Augmentation.py": {"sample": "Coffee cup"},
}


def home() -> None:
    """The tour: one short section per course topic, linking its pages."""
    page_setup(
        "udl_viz: see inside neural networks",
        "Pick a model and an image in the sidebar of any CNN page; they follow you from page to page.",
    )
    st.markdown(
        "This dashboard opens up neural networks so you can see what they compute. "
        "Everything runs on your computer: no internet needed. Start anywhere below."
    )
    with st.expander("**Teaching with it: the lecture, step by step**", expanded=False):
        st.markdown("Each link opens a page in projector mode with the settings that show its lesson; "
                    "the **◀** and **▶** arrows next to the page title walk through the lecture. "
                    "Copy any link onto a slide.")
        lecture.lecture_list()
    for topic, idea, pages in TOUR:
        st.subheader(topic)
        st.markdown(idea)
        for path, label, blurb in pages:
            if (ROOT / path).exists():
                st.page_link(path, label=f"**{label}**: {blurb}")


page_config()  # before the navigation draws the sidebar: its width is set only then
with plotly_preloaded():  # sent first: the browser runs plotly.js while this run builds the navigation and the page
    start_warmup()  # started with the server under app.py; here for a server run on home.py itself (once per process)
    moved_notice()  # behind `python -m udl_viz serve`: this session came over from a process that stopped
    lecture.set_steps([
        lecture.Step(path, lecture.page_slug(path), label, LECTURE_SETTINGS.get(path, {}))
        for _topic, _idea, pages in TOUR for path, label, _blurb in pages if (ROOT / path).exists()
    ])
    navigation = {"Start": [st.Page(home, title="Home", icon="🏠", default=True)]}
    for topic, _idea, pages in TOUR:
        present = [st.Page(path, title=label, url_path=lecture.page_slug(path))
                   for path, label, _blurb in pages if (ROOT / path).exists()]
        if present:
            navigation[topic] = present
    current = st.navigation(navigation, expanded=True)
    lecture.set_current(current.url_path)
    page_opened(current.url_path)  # the warm-up, if still running, leaves this page's one-time work to it
    current.run()
