"""The crisis scenarios, one module each, and their registry."""

from scenarios import flooding, leak, sea_level_rise
from scenarios.base import SCENARIOS, Scenario, make_scenario, register

__all__ = ["SCENARIOS", "Scenario", "flooding", "leak", "make_scenario", "register", "sea_level_rise"]
