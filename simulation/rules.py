"""Rules added to a named phase of the step: per household as a Mesa user writes them, or vectorised.

A rule runs after its phase in every step and reads and writes the same state the phases use:
a household's attributes are its row of ``model.households``. Example, per household::

    class Household(agents.Household):
        def move_in_with_family(self):
            if self.displaced == EMERGENCY and self.has_room ...

    model = CrisisModel(scenario="flooding", households=500, household_class=Household)
    model.rules.add("support", "move_in_with_family")

A per-household rule runs through ``AgentSet.do`` over the households in index order, so it is
sequential: a household sees what the rule did to the households before it in the same step. A
rule that draws random numbers takes its own stream (``model.streams.get("my rule", model.steps)``),
so that the other draws of the run stay as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mesa import Model as CrisisModel  # the CrisisModel (simulation.model imports this module)


class Rules:
    """The rules of a model, by the phase after which they run."""

    def __init__(self, model: CrisisModel) -> None:
        self.model = model
        self.after: dict[str, list[Callable[[], None]]] = {}

    def add(self, phase: str, rule: str | Callable, vectorised: bool = False) -> None:
        """Run ``rule`` after ``phase`` in every step (after the rules added to that phase before it).

        Args:
            phase: one of ``simulation.model.PHASES``.
            rule: the name of a method of the model's household class, or a function of one
                household; each runs for every household through ``AgentSet.do``. With
                ``vectorised=True``, a function of the model that updates the arrays at once.
            vectorised: whether ``rule`` takes the model rather than one household.

        Raises:
            ValueError: for a phase that does not exist.
        """
        phases = self.model.phases
        if phase not in phases:
            raise ValueError(f"phase={phase!r} is not allowed: expected one of {', '.join(phases)}")
        if vectorised:
            self.after.setdefault(phase, []).append(lambda: rule(self.model))
        else:
            self.after.setdefault(phase, []).append(lambda: self.model.household_agents.do(rule))

    def run(self, phase: str) -> None:
        """Run the rules added to ``phase``."""
        for rule in self.after.get(phase, ()):
            rule()
