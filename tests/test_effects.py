"""Direction of effects in the leak scenario, over paired seeds on a small population.

Each comparison runs both variants with the same seeds (common random numbers: the same
population draws and the same burst), so the difference is the effect of the variant. In the
leak the crews decide when the water comes back; ties and the government change how households
get through the hours without it.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from simulation import run

from .conftest import small_config

SEEDS = tuple(range(8))
LOW_COHESION = ("network.bonding_degree=1", "network.bridging_degree=0")
HIGH_COHESION = ("network.bonding_degree=8", "network.bridging_degree=4")


@cache
def results(variant: tuple[str, ...]) -> list:
    return [run(small_config(*variant, f"seed={seed}")) for seed in SEEDS]


def paired(key: str, low: tuple[str, ...], high: tuple[str, ...]) -> np.ndarray:
    """Per-seed difference high - low of a summary key."""
    return np.array([b.summary[key] - a.summary[key] for a, b in zip(results(low), results(high), strict=True)])


@pytest.mark.slow
def test_more_ties_lower_resilience_loss():
    diff = paired("resilience_loss_days", LOW_COHESION, HIGH_COHESION)
    assert (diff < 0).all(), f"bottled water and care from ties should lower resilience loss in every seed: {diff}"


@pytest.mark.slow  # shares its runs with the test above
def test_ties_do_not_bring_the_water_back_sooner():
    diff = paired("t50_days", LOW_COHESION, HIGH_COHESION)
    assert (diff == 0).all(), f"half the households are back when the crews restore their water, ties or not: {diff}"


@pytest.mark.slow
def test_longer_government_delay_raises_resilience_loss():
    diff = paired("resilience_loss_days", ("government.delay_days=0",), ("government.delay_days=30",))
    assert (diff > 0).all(), f"a longer delay should raise resilience loss in every seed: {diff}"


def test_water_is_back_within_hours_while_damaged_and_dependent_households_take_longer():
    hours, groups = [], {"home damaged": [], "care-dependent": [], "others": []}
    for result in results(()):
        h = result.households
        cut = h[h.water_back_day.notna()]
        hours.append(24 * (cut.water_back_day - cut.shock_day))
        recovery = (cut.recovered_day.fillna(result.config.scenario.horizon_days) - cut.shock_day).to_numpy()
        damaged = (cut.paid_own + cut.paid_insurance + cut.paid_landlord + cut.repair_cost > 0).to_numpy()
        dependent = cut.care_dependent.to_numpy() & ~damaged
        groups["home damaged"].append(recovery[damaged])
        groups["care-dependent"].append(recovery[dependent])
        groups["others"].append(recovery[~damaged & ~dependent])
    hours = np.concatenate(hours)
    assert np.median(hours) <= 6 and hours.max() <= 24, (
        f"the tap should be back within hours (median {np.median(hours):.1f} h) and within a day (max {hours.max():.1f} h)"
    )
    mean = {name: float(np.concatenate(days).mean()) for name, days in groups.items()}
    assert mean["home damaged"] > mean["care-dependent"] > mean["others"], (
        f"households whose home took water, then those whose care depended on it, should take longest: {mean}"
    )
