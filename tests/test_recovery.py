"""Damaged homes, displacement, repair, and what each kind of tie does, after one flood (paired seeds).

Variants share their seeds, so they share the town and the flood: a difference is the effect of
the variant. One flood of a Valkenburg-like severity on day 10, daily steps.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest

from simulation import CrisisModel, load_config, run

SEEDS = tuple(range(5))
ONE_FLOOD = (
    "population.households=1200",
    "scenario.schedule_days=[10]",
    "scenario.schedule_severity=[0.35]",
    "scenario.step_days=1",
    "scenario.horizon_days=600",
)
FEW_BONDING = ("network.bonding_degree=1",)
MANY_BONDING = ("network.bonding_degree=8",)

pytestmark = pytest.mark.slow  # each variant is five runs over 600 days


@cache
def results(variant: tuple[str, ...]) -> list:
    return [run(load_config(scenario="flooding", overrides=[*ONE_FLOOD, *variant, f"seed={s}"])) for s in SEEDS]


def summary(variant: tuple[str, ...], key: str) -> np.ndarray:
    return np.array([r.scalars()[key] for r in results(variant)])


def displacement_days(result) -> pd.Series:
    """Days each household that had to leave was away (censored at the horizon), by household."""
    h = result.households
    away = h[h.displaced_day.notna()]
    return away.home_day.fillna(result.config.scenario.horizon_days) - away.displaced_day


def test_more_contractors_shorten_displacement():
    few = summary(("housing.contractors=15",), "days_home_median")
    many = summary(("housing.contractors=45",), "days_home_median")
    assert (many < few).all(), f"more contractors should bring the displaced home sooner in every seed: {few} vs {many}"


def test_a_later_compensation_scheme_keeps_those_without_savings_or_insurance_away_longest():
    early, late = results(("government.scheme_opening_days=56",)), results(("government.scheme_opening_days=240",))
    extra_exposed, extra_others = [], []
    for a, b in zip(early, late, strict=True):
        h = a.households
        savings = a.config.housing.savings_eur * h.economic**2
        exposed = h.owner & ~h.insured & (savings < 0.3 * a.config.housing.repair_cost_eur)
        extra = displacement_days(b) - displacement_days(a)
        extra_exposed.append(extra[exposed.reindex(extra.index)])
        extra_others.append(extra[~exposed.reindex(extra.index)])
    exposed_days, other_days = pd.concat(extra_exposed), pd.concat(extra_others)
    assert len(exposed_days) > 0, "some displaced owners should have neither insurance nor savings"
    assert exposed_days.mean() > 30 and exposed_days.mean() > 5 * max(other_days.mean(), 1.0), (
        f"a scheme that opens six months later should keep uninsured owners without savings away far longer "
        f"({exposed_days.mean():.0f} more days) than the others ({other_days.mean():.0f} more days)"
    )


def test_hosting_by_bonding_ties_shortens_time_in_temporary_and_emergency_housing():
    def sheltered_by_government_or_self(variant):
        return summary(variant, "days_temporary_mean") + summary(variant, "days_emergency_mean")

    few, many = sheltered_by_government_or_self(FEW_BONDING), sheltered_by_government_or_self(MANY_BONDING)
    hosted_few, hosted_many = summary(FEW_BONDING, "days_hosted_mean"), summary(MANY_BONDING, "days_hosted_mean")
    assert (hosted_many > hosted_few).all(), (
        f"more bonding ties should host displaced households longer: {hosted_few} vs {hosted_many}"
    )
    assert (many < few).all(), (
        f"with more bonding ties, displaced households should spend fewer days in temporary homes and emergency "
        f"lodging in every seed: {few} vs {many}"
    )


def test_helpers_strain_rises_with_the_help_they_give():
    model = CrisisModel(load_config(scenario="flooding", overrides=[*ONE_FLOOD, "seed=0"]))
    h = model.households
    for _ in range(60):  # two months after the flood
        model.step()
    at_home = h.displaced == 0
    helped = at_home & (h.help_given > 0) & (h.days_hosting == 0)
    heavy = helped & (h.help_given >= np.quantile(h.help_given[helped], 0.8))
    light = helped & (h.help_given <= np.quantile(h.help_given[helped], 0.2))
    assert h.strain[heavy].mean() > 2 * h.strain[light].mean(), (
        f"those who gave the most help should be far more strained ({h.strain[heavy].mean():.3f}) than those "
        f"who gave the least ({h.strain[light].mean():.3f})"
    )
    hosts = at_home & (h.days_hosting > 0)
    assert h.strain[hosts].mean() > h.strain[helped].mean(), "hosting a household strains more than helping alone"


def test_in_closed_groups_initiatives_reach_members_and_their_ties_before_outsiders():
    closed = ("network.homophily=0.9", "population.segregation=0.9", "network.bonding_degree=8", "seed=3")
    model = CrisisModel(load_config(scenario="flooding", overrides=[*ONE_FLOOD, *closed]))
    known_reach, outsider_reach = [], []
    while model.running and model.day < 200:
        model.step()
        flows = model.flows
        if model.initiatives and flows.reach.size:
            known_reach.append(flows.reach[flows.known])
            outsider_reach.append(flows.reach[~flows.known])
    known, outsiders = np.concatenate(known_reach), np.concatenate(outsider_reach)
    assert known.size and outsiders.size, "initiatives should meet both known and unknown needy households"
    assert known.mean() > 2 * outsiders.mean(), (
        f"an initiative should reach the needy it knows (members and their ties, {known.mean():.3f}) well before "
        f"outsiders ({outsiders.mean():.3f})"
    )
