"""Veerkracht: how communities recover from crises, and how cohesion speeds recovery.

Python use::

    from simulation import CrisisModel, load_config, run
    cfg = load_config(scenario="leak", overrides=["network.bridging_degree=4", "seed=3"])
    results = run(cfg)

The names are imported on first use, so that ``agents`` and ``scenarios``, which build on
``simulation.config``, can be imported first (as a worker process unpickling a config does).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulation.compose import load_config
    from simulation.config import Config, ConfigError
    from simulation.model import CrisisModel
    from simulation.results import Results
    from simulation.running import Twins

_WHERE = {
    "Config": "simulation.config",
    "ConfigError": "simulation.config",
    "CrisisModel": "simulation.model",
    "Results": "simulation.results",
    "load_config": "simulation.compose",
}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'simulation' has no attribute {name!r}")


def run(cfg: Config | None = None, twins: Twins | None = None) -> Results:
    """Run one config to its horizon and return its results (``simulation.running.run``).

    ``twins`` (say, one ``simulation.running.ComputeTwins()`` for several levers) shares the
    lever-free twins that runs with levers are compared with; by default each run makes its own.
    """
    from simulation.running import run

    return run(cfg, twins)


__all__ = ["Config", "ConfigError", "CrisisModel", "Results", "load_config", "run"]
