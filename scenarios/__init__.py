"""The crisis scenarios, one module each, and their registry."""

from scenarios import leak
from scenarios.base import SCENARIOS, Scenario, make_scenario, register

__all__ = ["SCENARIOS", "Scenario", "leak", "make_scenario", "register"]
