"""Mesa agent classes of the model."""

from agents.government import Government
from agents.household import Household
from agents.initiative import CitizenInitiative

__all__ = ["CitizenInitiative", "Government", "Household"]
