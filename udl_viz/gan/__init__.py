"""Generative models on 2-D points and 8×8 digits: a toy GAN, a DCGAN, a VAE, and the metrics that judge them."""
