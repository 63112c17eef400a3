"""The government agent: when aid flows, how far it reaches out, and what it learns."""

from __future__ import annotations

import math

import mesa

from simulation.config import GovernmentConfig


class Government(mesa.Agent):
    """The local government (one per model).

    Attributes:
        delay_days: current bureaucratic delay from the start of an event until aid flows.
        receptivity: current reach towards households (0 = waits for applications).
        learning: share of the remaining delay and receptivity gap it closes after each event.
        collaboration: probability that it works with a new initiative as an equal.
        aid_capacity: households it can serve at full intensity at the same time, as a share of all.
        event_start_day: day the current event began (NaN before the first).
        events: number of events so far.
    """

    def __init__(self, model: mesa.Model, cfg: GovernmentConfig) -> None:
        super().__init__(model)
        self.delay_days = cfg.delay_days
        self.receptivity = cfg.receptivity
        self.learning = cfg.learning
        self.collaboration = cfg.collaboration
        self.aid_capacity = cfg.aid_capacity
        self.event_start_day = math.nan
        self.events = 0

    def start_event(self, day: float) -> None:
        """A new event begins; after an earlier one, the government first learns from it."""
        if self.events > 0:
            self.learn()
        self.event_start_day = day
        self.events += 1

    def learn(self) -> None:
        """Shorten the delay and grow the receptivity by the share ``learning``."""
        self.delay_days *= 1.0 - self.learning
        self.receptivity += self.learning * (1.0 - self.receptivity)

    def aid_flowing(self, day: float) -> bool:
        """Whether aid flows on ``day`` (the delay since the current event has passed)."""
        return self.events > 0 and day >= self.event_start_day + self.delay_days
