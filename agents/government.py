"""The government agent: its stance on Leary's rose, when aid flows, and what it learns."""

from __future__ import annotations

import math

import mesa

from simulation.config import GovernmentConfig
from simulation.dynamics import closed_fraction


class Government(mesa.Agent):
    """The local government (one per model).

    Its stance has two axes in [-1, 1]: ``dominance`` (+1 above: directive, deciding alone; -1
    below: receptive, reaching out) and ``affiliation`` (-1 against: defensive; +1 together:
    cooperative). It holds a stance of its own (where it starts, moved only by learning) and
    its current stance moves between that and what the households' stances invite (Leary's
    complementarity: households above invite it below, households together invite it together,
    households against invite it against).

    Args:
        model: the model.
        cfg: the government config.
        receptivity, collaboration, delay_days: where it starts, if not from ``cfg`` (a policy
            lever may set them).

    Attributes:
        delay_days: current bureaucratic delay from the start of an event until aid flows.
        learning: share of the remaining delay, and of the way to a receptive stance of its own,
            it closes after each event.
        aid_capacity: households it can serve at full intensity at the same time, as a share of all.
        dominance, affiliation: its current stance.
        own_dominance, own_affiliation: the stance it holds itself.
        event_start_day: day the current event began (NaN before the first).
        events: number of events so far.
    """

    def __init__(
        self,
        model: mesa.Model,
        cfg: GovernmentConfig,
        receptivity: float | None = None,
        collaboration: float | None = None,
        delay_days: float | None = None,
    ) -> None:
        super().__init__(model)
        self.delay_days = cfg.delay_days if delay_days is None else delay_days
        self.learning = cfg.learning
        self.aid_capacity = cfg.aid_capacity
        self.stance_rate, self.stance_anchor = cfg.stance_rate, cfg.stance_anchor
        self.own_dominance = 1.0 - 2.0 * (cfg.receptivity if receptivity is None else receptivity)
        self.own_affiliation = 2.0 * (cfg.collaboration if collaboration is None else collaboration) - 1.0
        self.dominance, self.affiliation = self.own_dominance, self.own_affiliation
        self.event_start_day = math.nan
        self.events = 0

    @property
    def receptivity(self) -> float:
        """How far it reaches out to households (0 = waits for applications): its stance below."""
        return (1.0 - self.dominance) / 2.0

    @property
    def collaboration(self) -> float:
        """How readily it works with initiatives and residents as equals: its stance together."""
        return (1.0 + self.affiliation) / 2.0

    def start_event(self, day: float) -> None:
        """A new event begins; after an earlier one, the government first learns from it."""
        if self.events > 0:
            self.learn()
        self.event_start_day = day
        self.events += 1

    def learn(self) -> None:
        """Shorten the delay, and move its own stance towards receptive, by the share ``learning``."""
        self.delay_days *= 1.0 - self.learning
        self.own_dominance += self.learning * (-1.0 - self.own_dominance)

    def respond(self, household_dominance: float, household_affiliation: float, dt: float) -> None:
        """Move its stance towards what the households' mean stance invites, anchored to its own."""
        keep, invited = self.stance_anchor, 1.0 - self.stance_anchor
        closed = float(closed_fraction(self.stance_rate, dt))
        self.dominance += closed * (keep * self.own_dominance - invited * household_dominance - self.dominance)
        self.affiliation += closed * (keep * self.own_affiliation + invited * household_affiliation - self.affiliation)

    def aid_flowing(self, day: float) -> bool:
        """Whether aid flows on ``day`` (the delay since the current event has passed)."""
        return self.events > 0 and day >= self.event_start_day + self.delay_days
