"""Running one config: the rates drawn from a posterior, memory checked and kept, and what the levers gained.

``CrisisModel`` builds exactly the config it is given. A run of a config (``simulation.run``,
the command line, sweeps) also draws its calibrated rates from ``calibration.posterior`` (the
seed picks the draw), refuses a town that does not fit in memory, keeps freed memory for the
step's temporaries, and, with policy levers on, compares the run with its twin: the same town
and seed without the levers.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from simulation.calibration import with_drawn_rates
from simulation.config import Config
from simulation.memory import check_memory
from simulation.model import CrisisModel
from simulation.policy import OUTSIDERS, recovery_gained, without_levers
from simulation.results import Results


class Twins(Protocol):
    """Where a run with levers finds the summary of its lever-free twin."""

    def summary(self, cfg: Config) -> dict:
        """The summary of the lever-free run ``cfg`` (computing it with ``run_model`` if need be)."""
        ...


class ComputeTwins:
    """Twins computed in this process, each once."""

    def __init__(self) -> None:
        self.known: dict[str, dict] = {}

    def summary(self, cfg: Config) -> dict:
        """The summary of the lever-free run ``cfg``."""
        key = repr(cfg)
        if key not in self.known:
            self.known[key] = run_model(cfg).summary
        return self.known[key]


def run_model(cfg: Config) -> Results:
    """Run ``cfg`` to its horizon, its rates drawn from its posterior, with memory checked (no twin)."""
    drawn = with_drawn_rates(cfg)
    check_memory(drawn)
    return CrisisModel(drawn).run()


def run(cfg: Config | None = None, twins: Twins | None = None) -> Results:
    """Run one config to its horizon; with levers on, add what they gained against its twin.

    Args:
        cfg: the config (None: the defaults).
        twins: where the lever-free twin's summary comes from (a sweep shares them between runs,
            ``experiments.runs.SharedTwins``); by default it is run here.

    Returns:
        The results, whose summary gains ``policy.GAIN_KEYS`` when levers are on.
    """
    if cfg is None:
        from simulation.compose import load_config

        cfg = load_config()
    results = run_model(cfg)
    if cfg.policy.enabled():
        without = (twins or ComputeTwins()).summary(without_levers(cfg))
        classes = results.households.class_name
        precariaat = int(np.count_nonzero(classes == OUTSIDERS))
        results.summary.update(recovery_gained(results.summary, without, len(classes), precariaat))
    return results
