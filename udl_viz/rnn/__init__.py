"""Recurrent networks at work: memory word by word, the numpy loop, word attributions, forecasting.

The sentiment RNNs and the sunspot forecasters themselves are registry models in ``udl_viz.models``.
"""
