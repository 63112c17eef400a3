"""Mesa agent classes of the model."""

from agents.government import Government
from agents.household import Household
from agents.initiative import CitizenInitiative
from agents.organisations import Collaboration, Organisation

__all__ = ["CitizenInitiative", "Collaboration", "Government", "Household", "Organisation"]
