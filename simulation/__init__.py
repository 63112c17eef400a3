"""Veerkracht: how communities recover from crises, and how cohesion speeds recovery.

Python use::

    from simulation import CrisisModel, load_config, run
    cfg = load_config(scenario="leak", overrides=["network.bridging_degree=4", "seed=3"])
    results = run(cfg)
"""

from simulation.compose import load_config
from simulation.config import Config, ConfigError
from simulation.model import CrisisModel
from simulation.results import Results


def run(cfg: Config | None = None) -> Results:
    """Run one model to its horizon and return its results."""
    return CrisisModel(cfg).run()


__all__ = ["Config", "ConfigError", "CrisisModel", "Results", "load_config", "run"]
