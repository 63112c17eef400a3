"""The household agent: a Mesa view on one row of the model's household arrays."""

from __future__ import annotations

import mesa

from simulation.state import HOUSEHOLD_FIELDS


class _Field:
    """Reads and writes one field of the agent's row in ``model.households``."""

    def __init__(self, name: str, doc: str) -> None:
        self.name = name
        self.__doc__ = doc

    def __get__(self, agent, owner=None):
        if agent is None:
            return self
        return getattr(agent.model.households, self.name)[agent.index].item()

    def __set__(self, agent, value) -> None:
        getattr(agent.model.households, self.name)[agent.index] = value


class Household(mesa.Agent):
    """One household. Every field of ``simulation.state.HOUSEHOLD_FIELDS`` is an attribute.

    Reading ``household.functioning`` reads the model's array; assigning to it writes there,
    so Mesa idioms (``model.agents``, ``AgentSet.get``, portrayal functions) see the same state
    the vectorised dynamics use.

    Attributes:
        index: the household's row in the model's arrays.
    """

    def __init__(self, model: mesa.Model, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def class_name(self) -> str:
        """Name of the household's class."""
        return self.model.households.class_names[self.household_class]


for _f in HOUSEHOLD_FIELDS:
    setattr(Household, _f.name, _Field(_f.name, _f.doc))
