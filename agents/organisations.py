"""Government organisations besides the municipality, and how well they collaborate.

The municipality is the ``Government`` agent (aid, temporary homes, outreach, and the stance
households meet). Beside it: the water authority (water supply, dikes) and the national
compensation scheme, each with its own procedures. A handover from one to another (a referral, a
warning) takes time that depends on how well the two collaborate, on the five dimensions of
Thomson, Perry & Miller (2007; JPART 19(1), in print 2009): governance,
administration, organisational autonomy, mutuality, and norms of trust and reciprocity. The two
that rest on joint experience, mutuality and norms, grow after an event that went well and wear
down after one that went badly. Equations are in docs/ODD.md (7.21).
"""

from __future__ import annotations

import mesa

from simulation.config import GovernmentConfig

DIMENSIONS = ("governance", "administration", "autonomy", "mutuality", "norms")
LEARNT = ("mutuality", "norms")  # the dimensions joint experience moves
PAIRS = (("municipality", "scheme"), ("water_authority", "municipality"))


class Organisation(mesa.Agent):
    """A government organisation with its own procedures.

    Attributes:
        name: ``water_authority`` or ``scheme``.
        bureaucracy: procedural friction, 0..1 (forms, checks, referrals).
    """

    def __init__(self, model: mesa.Model, name: str, bureaucracy: float) -> None:
        super().__init__(model)
        self.name = name
        self.bureaucracy = bureaucracy


class Collaboration:
    """How well each pair of organisations collaborates, and what that does to handovers between them.

    Args:
        cfg: the government config (the starting value of each dimension, the learning share).

    Attributes:
        dimensions: per pair (``PAIRS``), each dimension's value in [0, 1].
    """

    def __init__(self, cfg: GovernmentConfig) -> None:
        self.learning = cfg.collaboration_learning
        self.dimensions = {pair: {d: getattr(cfg, f"collaboration_{d}") for d in DIMENSIONS} for pair in PAIRS}

    def index(self, sender: str, receiver: str) -> float:
        """How well ``sender`` and ``receiver`` collaborate: the mean of the five dimensions, 0..1."""
        values = self.dimensions[(sender, receiver)]
        return sum(values[d] for d in DIMENSIONS) / len(DIMENSIONS)

    def handover(self, sender: str, receiver: str, base: float, bureaucracy: float) -> float:
        """How long a handover from ``sender`` to ``receiver`` takes: ``base * (1 - index) * (1 + bureaucracy)``."""
        return base * (1.0 - self.index(sender, receiver)) * (1.0 + bureaucracy)

    def learn(self, verdict: float) -> None:
        """After an event: mutuality and norms move towards how it went, ``(1 + verdict) / 2``.

        ``verdict`` in [-1, 1] is the mean experience of the households that met the government in it.
        """
        target = (1.0 + verdict) / 2.0
        for values in self.dimensions.values():
            for d in LEARNT:
                values[d] += self.learning * (target - values[d])
