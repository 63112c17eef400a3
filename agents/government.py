"""The government agent (the municipality): its stance on Leary's rose, when aid flows, and what it learns."""

from __future__ import annotations

import math

import mesa

from simulation.config import GovernmentConfig
from simulation.dynamics import closed_fraction


class Government(mesa.Agent):
    """The local government, the municipality (one per model): aid, temporary homes, outreach.

    Its stance has two axes in [-1, 1]: ``dominance`` (+1 above: directive, deciding alone; -1
    below: receptive, reaching out) and ``affiliation`` (-1 against: defensive; +1 together:
    cooperative). It holds a stance of its own (where it starts, moved only by learning) and
    its current stance answers, between that and what the households' stances invite (Leary's
    complementarity: households above invite it below, households together invite it together,
    households against invite it against), through an S-shaped response, so that a cooperative
    and a defensive relation can each hold itself.

    After each event it learns from what happened there (``learn``): the delay shrinks as far as
    people waited too long; a stance that served people well is kept; after criticism it reaches
    out and cooperates as far as it hears citizens (initiatives that work with it, co-design), and
    turns defensive and directive as far as it does not (the wrong lesson). Held accountable for
    outcomes (the ``outcome_accountability`` lever), it reads criticism as what to improve.

    Args:
        model: the model.
        cfg: the government config.
        receptivity, collaboration, delay_days: where it starts, if not from ``cfg`` (a policy
            lever may set them).
        accountable: whether it is judged on what people got (``outcome_accountability``).

    Attributes:
        delay_days: current bureaucratic delay from the start of an event until aid flows.
        learning: share of the way it moves after each event.
        aid_capacity: households it can serve at full intensity at the same time, as a share of all.
        bureaucracy: its procedural friction, 0..1.
        dominance, affiliation: its current stance.
        own_dominance, own_affiliation: the stance it holds itself.
        event_start_day: day the current event began (NaN before the first).
        events: number of events so far.
        verdicts: how each event went, for those who met it: their mean experience in [-1, 1].
    """

    def __init__(
        self,
        model: mesa.Model,
        cfg: GovernmentConfig,
        receptivity: float | None = None,
        collaboration: float | None = None,
        delay_days: float | None = None,
        accountable: bool = False,
    ) -> None:
        super().__init__(model)
        self.delay_days = cfg.delay_days if delay_days is None else delay_days
        self.learning = cfg.learning
        self.aid_capacity = cfg.aid_capacity
        self.bureaucracy = cfg.bureaucracy
        self.stance_rate, self.stance_anchor, self.stance_gain = cfg.stance_rate, cfg.stance_anchor, cfg.stance_gain
        self.own_dominance = 1.0 - 2.0 * (cfg.receptivity if receptivity is None else receptivity)
        self.own_affiliation = 2.0 * (cfg.collaboration if collaboration is None else collaboration) - 1.0
        self.dominance, self.affiliation = self.own_dominance, self.own_affiliation
        self.accountable = accountable
        self.event_start_day = math.nan
        self.events = 0
        self.verdicts: list[float] = []
        self._experience = self._met = self._waited = 0.0  # summed over the current event

    @property
    def receptivity(self) -> float:
        """How far it reaches out to households (0 = waits for applications): its stance below."""
        return (1.0 - self.dominance) / 2.0

    @property
    def collaboration(self) -> float:
        """How readily it works with initiatives and residents as equals: its stance together."""
        return (1.0 + self.affiliation) / 2.0

    def adopt(self, receptivity: float, collaboration: float | None = None) -> None:
        """Take a new stance of its own (a new council, a new policy); its current stance moves towards it as it answers.

        Args:
            receptivity: how far it will reach out, 0..1.
            collaboration: how readily it will work with citizens as equals, 0..1 (``None`` keeps its own).
        """
        self.own_dominance = 1.0 - 2.0 * receptivity
        if collaboration is not None:
            self.own_affiliation = 2.0 * collaboration - 1.0

    def hear(self, experience: float, met: int, waited: int) -> None:
        """What households in need told it in a step: their summed experience, how many, how many waited too long."""
        self._experience += experience
        self._met += met
        self._waited += waited

    def start_event(self, day: float, feedback: float) -> float | None:
        """A new event begins; after an earlier one, it first learns from how that went.

        Args:
            feedback: how far citizens reach it (the share of neighbourhoods whose initiative
                works with it; 1 with co-design).

        Returns:
            The verdict on the event before (None at the first).
        """
        verdict = None
        if self.events > 0:
            verdict = self._experience / self._met if self._met else 0.0
            self.learn(verdict, self._waited / self._met if self._met else 0.0, feedback)
            self.verdicts.append(verdict)
        self._experience = self._met = self._waited = 0.0
        self.event_start_day = day
        self.events += 1
        return verdict

    def learn(self, verdict: float, waited: float, feedback: float) -> None:
        """Learn from an event: what went well is kept, criticism is answered by reaching out or by defence.

        Args:
            verdict: mean experience of those who met it, in [-1, 1].
            waited: share of those meetings in which people had waited too long (the delay shrinks by it).
            feedback: how far it hears citizens, 0..1 (1 if it is held accountable for outcomes).
        """
        rate = self.learning
        self.delay_days *= 1.0 - rate * waited
        good, criticism = max(verdict, 0.0), max(-verdict, 0.0)
        heard = 1.0 if self.accountable else feedback
        # what served people well is kept: its own stance moves towards the one it has now
        self.own_dominance += rate * good * (self.dominance - self.own_dominance)
        self.own_affiliation += rate * good * (self.affiliation - self.own_affiliation)
        # criticism: heard, it reaches out (below) and cooperates (together); unheard, it defends (above, against)
        reach_out, defend = rate * criticism * heard, rate * criticism * (1.0 - heard)
        self.own_dominance += reach_out * (-1.0 - self.own_dominance) + defend * (1.0 - self.own_dominance)
        self.own_affiliation += reach_out * (1.0 - self.own_affiliation) + defend * (-1.0 - self.own_affiliation)

    def respond(self, household_dominance: float, household_affiliation: float, dt: float) -> None:
        """Move its stance towards its answer to the households' mean stance, anchored to its own.

        The answer is ``tanh(gain * x) / tanh(gain)`` of ``x`` = its own stance and the invited one,
        weighed by ``stance_anchor``: S-shaped, so a stance near either end reinforces itself.
        """
        keep, invited = self.stance_anchor, 1.0 - self.stance_anchor
        closed = float(closed_fraction(self.stance_rate, dt))
        answer_dominance = self.answer(keep * self.own_dominance - invited * household_dominance)
        answer_affiliation = self.answer(keep * self.own_affiliation + invited * household_affiliation)
        self.dominance += closed * (answer_dominance - self.dominance)
        self.affiliation += closed * (answer_affiliation - self.affiliation)

    def answer(self, invited: float) -> float:
        """The S-shaped answer to an invited stance in [-1, 1] (the identity as the gain goes to 0)."""
        if self.stance_gain == 0:
            return invited
        return math.tanh(self.stance_gain * invited) / math.tanh(self.stance_gain)

    def aid_flowing(self, day: float) -> bool:
        """Whether aid flows on ``day`` (the delay since the current event has passed)."""
        return self.events > 0 and day >= self.event_start_day + self.delay_days
