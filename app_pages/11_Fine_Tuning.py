"""Fine-tuning, live: a new k-class head on a frozen pretrained CNN, trained in seconds."""

import streamlit as st

from udl_viz.figures.cnn import top_k_figure
from udl_viz.figures.finetune import confusion_figure, training_curve_figure
from udl_viz.finetune import TASKS, FineTuneError, classifier_path, examples_from
from udl_viz.finetune.data import PER_CLASS, TEST_PER_CLASS
from udl_viz.inference import predict
from udl_viz.ui.finetune import (
    backbone,
    cached_task,
    last_run,
    session_fine_tune,
    settings_panel,
    uploaded_classes,
)
from udl_viz.ui.layout import page_setup, show_figure
from udl_viz.ui.settings import setting_widget
from udl_viz.ui.sidebar import MODEL_KEY, cnn_sidebar

page_setup("Fine-tuning, live", "A network trained on a million photos already knows edges, textures and parts. "
           "Keep all of that frozen, replace only its last layer with a new one for your classes, and a few "
           "images per class are enough.")
ctx = cnn_sidebar()
base, backbone_model = backbone(ctx)
old_head = backbone_model.get_submodule(classifier_path(backbone_model))

c1, c2, c3 = st.columns(3)
source = c1.radio("Training images", ["Built-in task", "My own images"], horizontal=True)
if source == "Built-in task":
    name = c2.selectbox("Task", list(TASKS))
    with c3:
        per_class = setting_widget(PER_CLASS, "ft_per_class")
main = st.container()  # the learning curves first; the images and settings below
test = None
if source == "Built-in task":
    st.caption(TASKS[name].description)
    train, test = cached_task(name, per_class, TEST_PER_CLASS)
    for column, cls in zip(st.columns(len(train.classes)), range(len(train.classes)), strict=True):
        with column:
            shown = [im for im, label in zip(train.images, train.labels, strict=True) if label == cls][:4]
            st.image(shown, width=70, caption=[train.classes[cls]] * len(shown))
else:
    st.caption("Upload a few photos of each class, e.g. your mugs against your plants. They stay in this "
               "browser session.")
    try:
        train = examples_from(uploaded_classes())
    except FineTuneError as exc:
        st.error(str(exc))
        st.stop()

settings = settings_panel()
st.markdown(f"**Backbone:** {base.title}, frozen. Its last layer (`{classifier_path(backbone_model)}`, "
            f"{old_head.in_features} features → {old_head.out_features} classes) is replaced by a new head "
            f"with one output per class of yours; only that head is trained.")
with main:
    if source == "Built-in task" or st.button("Train the new head", type="primary"):
        run = session_fine_tune(base, backbone_model, train, test, settings, source)
    else:
        run = last_run(source)
        if run is None:
            st.info("Press **Train the new head** when every class has its images.")
            st.stop()

    result = run.result
    classes = run.spec.class_names()
    curve, confusion = st.columns(2)
    with curve:
        show_figure(training_curve_figure(result, f"{run.spec.title}: learning curves"), key="curve")
        st.caption("**What am I looking at?** How the new head learns, epoch by epoch: the loss falls as it "
                   "learns which of the backbone's features tell your classes apart. Test accuracy is measured "
                   "on images the head never saw.")
    if result.test_predictions is not None:
        with confusion:
            show_figure(confusion_figure(run.test_labels, result.test_predictions, classes,
                                         "Held-out test images: true class against predicted class"),
                        key="confusion")
            st.caption("The diagonal counts correct answers; anything off it is a mistake.")
    m1, m2, m3, m4 = st.columns(4)
    m1.metric("Training images", f"{sum(run.train_counts)} in {len(classes)} classes")
    m2.metric("Training accuracy", f"{result.train_accuracy[-1]:.0%}")
    if result.test_accuracy is not None:
        m3.metric("Test accuracy (held-out images)", f"{result.test_accuracy[-1]:.0%}")
    m4.metric("Time to fine-tune", f"{run.seconds:.1f} s")

st.subheader("Try it on the current image")
model = run.spec.build()
predictions = predict(model, run.spec, ctx.image, k=min(5, len(classes)))
show_figure(top_k_figure(predictions, f"{run.spec.title} on '{ctx.image_label}'"), key="try")
st.caption("Pick another image in the sidebar to test the fine-tuned model; it can only answer with your classes.")

st.subheader("Explain it on the other pages")
st.markdown(f"**{run.spec.title}** is now in the sidebar's *Model* menu on every CNN page (Layer activations, "
            "Saliency maps, LIME, Data augmentation), for this browser session only: other people using this "
            "dashboard never see it.")
if st.session_state.get(MODEL_KEY) != run.spec.name:
    st.button("Select it in the sidebar", on_click=st.session_state.__setitem__, args=(MODEL_KEY, run.spec.name))
