"""Shared helpers: small configs that run in a fraction of a second."""

from __future__ import annotations

import pytest

from simulation import load_config

SMALL = ["population.households=1500"]


def small_config(*overrides: str, scenario: str = "leak"):
    """A validated config of a small population, with extra overrides."""
    return load_config(scenario=scenario, overrides=[*SMALL, *overrides])


@pytest.fixture
def small():
    return small_config
