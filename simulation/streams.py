"""Random streams: one generator per random process, all derived from the run's one seed.

Every stochastic decision draws from a stream of its own, so that two variants run with the
same seed see the same draws for the same decision (common random numbers), whatever else
differs between them. A process that decides something every step draws from a fresh stream
for each step (and, where it decides per neighbourhood, for each neighbourhood), in a block
whose size does not depend on the state: variants then stay paired even when one of them
forms an initiative that the other does not.

Streams are counter-based: ``get(process, *key)`` builds the generator from the seed, the
process's name and the key, so it does not matter which streams were used before or how many
numbers they drew.
"""

from __future__ import annotations

import zlib

import numpy as np

# Every random process of the model and what it drives (docs/ODD.md, "Stochasticity", lists the same).
PROCESSES: dict[str, str] = {
    "population": "classes, capitals, trust, placement in neighbourhoods, exposure, care dependence, room to host, home ownership (once, at the start)",
    "bonding": "which pairs hold a bonding tie (once, at the start)",
    "bridging": "which pairs hold a bridging tie (once, at the start)",
    "insurance": "which households' homes are insured against the scenario's hazard (once, at the start)",
    "attitudes": "each household's starting attitude towards other groups (once, at the start)",
    "caring_ties": "the bridging ties neighbourhood workers make (caring_neighbourhood lever; once, at the start)",
    "encounters": "whenever the relations move, from one stream for the run (draws whose number depends on the population and the days since alone): who meets whom, through ties or media, moving attitudes towards other groups",
    "capacities": "whether the town's temporary homes, a real number per 1,000 households, round up or down to whole homes (once, at the start)",
    "posterior_draw": "once, before the start: which sample of a calibration's posterior gives the run its calibrated rates (calibration.posterior)",
    "hazard": "per step: whether an event comes, where, whom it hits and how hard",
    "formation": "per step: one uniform per neighbourhood, for whether an initiative forms there",
    "membership": "per step and neighbourhood: one uniform per resident, for who joins a new initiative",
    "collaboration": "per step: one uniform per neighbourhood, for whether a new initiative works with the government",
    "projects": "per step: one uniform per neighbourhood, for whether a transformation project starts (sea-level rise)",
}


class Streams:
    """The random streams of one run.

    Args:
        seed_sequence: the run's root seed sequence (``model.rng``'s).
    """

    def __init__(self, seed_sequence: np.random.SeedSequence) -> None:
        self.root = seed_sequence

    def get(self, process: str, *key: int) -> np.random.Generator:
        """A generator for ``process`` (a name in ``PROCESSES``), and for a step or neighbourhood in ``key``.

        The same process and key give the same draws in every run with the same seed.
        """
        if process not in PROCESSES:
            raise KeyError(f"unknown random process {process!r}: declare it in simulation.streams.PROCESSES")
        spawn_key = (*self.root.spawn_key, zlib.crc32(process.encode()), *(int(k) for k in key))
        return np.random.default_rng(np.random.SeedSequence(self.root.entropy, spawn_key=spawn_key))
