"""Hydra config files of the command line (the schemas live in ``simulation.config``)."""
