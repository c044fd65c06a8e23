"""Data sets the models are trained and shown on: scikit-learn's digits, statsmodels' sunspots, SST-2."""
