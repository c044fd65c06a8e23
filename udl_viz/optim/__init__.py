"""Watch a network learn: loss surfaces, torch.optim stepping, animated paths, loss landscapes.

``surfaces`` holds the 1D curves and 2D surfaces with analytic gradients, ``optimizers`` the
torch.optim registry, ``descent`` the vectorised stepping, ``minibatch`` full-batch against
SGD and mini-batch, and ``landscape`` a trained network's loss slice; ``udl_viz.figures`` draws them.
"""
