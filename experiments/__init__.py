"""Experiments: sweeps, aggregation and analysis built on the model."""
