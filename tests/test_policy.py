"""Stances, trust, polarisation and policy levers: the directions of their effects, paired by seed."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from simulation import ConfigError, CrisisModel, load_config, run
from simulation.config import POLICY_LEVERS

from .conftest import flood_model

SEEDS = (0, 1)
COOPERATIVE = ["government.receptivity=0.9", "government.collaboration=0.9", "government.delay_days=1"]
DEFENSIVE = ["government.receptivity=0.1", "government.collaboration=0.1", "government.delay_days=28"]


@cache
def summary(scenario: str, overrides: tuple[str, ...], seed: int) -> dict:
    return run(load_config(scenario, ["population.households=1000", *overrides, f"seed={seed}"])).summary


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_a_cooperative_government_raises_trust_after_a_flood_where_a_defensive_one_lowers_it(seed):
    for stance, rises in ((COOPERATIVE, True), (DEFENSIVE, False)):
        model = flood_model(*stance, seed=seed)
        before = model.households.trust.mean()
        trust = model.run().timeseries.set_index("day").trust
        after = trust.loc[130]  # four months after the flood
        name = "cooperative" if rises else "defensive"
        assert (after > before) == rises, (
            f"seed {seed}: expected trust four months after the flood to {'rise' if rises else 'fall'} under a "
            f"{name} government, went {before:.3f} -> {after:.3f}"
        )


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_trust_spreads_along_ties_to_households_never_treated_themselves(seed):
    def drop_of_untouched(*overrides: str) -> float:
        model = flood_model(*DEFENSIVE, "dynamics.vicarious_weight=0", *overrides, seed=seed)  # ties only
        before = model.households.trust.copy()
        model.run()
        h = model.households
        never_hit = np.isnan(h.shock_day)
        tied_to_hit = (model.ties @ (~never_hit).astype(float)) > 0
        chosen = never_hit & tied_to_hit
        assert chosen.sum() > 50, "expected many unhit households with ties to hit ones"
        return float((before[chosen] - h.trust[chosen]).mean())

    spreading, isolated = drop_of_untouched(), drop_of_untouched("dynamics.trust_spread_rate=0")
    assert spreading > 0.005, (
        f"seed {seed}: unhit households tied to badly treated ones should lose trust, lost {spreading:.4f}"
    )
    assert abs(isolated) < 1e-3, (
        f"seed {seed}: without spreading along ties unhit households should keep their trust, moved {isolated:.4f}"
    )


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_more_media_exposure_raises_polarisation_and_lowers_help_along_bridging_ties(seed):
    late_flood = ["scenario.schedule_days=[400]", "scenario.horizon_days=700"]
    calm = flood_model(*late_flood, "polarisation.media_exposure=0", seed=seed).run()
    loud = flood_model(*late_flood, "polarisation.media_exposure=0.6", seed=seed).run()
    assert loud.summary["polarisation_end"] > calm.summary["polarisation_end"], (
        f"seed {seed}: expected more polarisation with media exposure 0.6 than 0, got "
        f"{loud.summary['polarisation_end']:.3f} vs {calm.summary['polarisation_end']:.3f}"
    )
    help_loud, help_calm = loud.households.gain_bridging.sum(), calm.households.gain_bridging.sum()
    assert help_loud < help_calm, (
        f"seed {seed}: expected less help along bridging ties with more media exposure, got {help_loud:.3f} "
        f"vs {help_calm:.3f}"
    )


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_co_design_leaves_fewer_behind_than_the_same_government_without_it(seed):
    projects = "scenario.support_threshold=0.15"  # lower than the default, so that projects start
    without = summary("sea_level_rise", (projects,), seed)
    with_co_design = summary("sea_level_rise", (projects, "policy=[co_design]"), seed)
    assert with_co_design["transformed_neighbourhoods"] > 0, "expected transformations with co-design"
    assert with_co_design["left_behind_share"] < without["left_behind_share"], (
        f"seed {seed}: expected fewer left behind with co-design, got {with_co_design['left_behind_share']:.3f} "
        f"vs {without['left_behind_share']:.3f}"
    )


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["flooding", "sea_level_rise"])
def test_flood_defences_lower_flood_damage_at_a_cost(scenario):
    for seed in SEEDS:
        without = summary(scenario, (), seed)
        defended = summary(scenario, ("policy=[flood_defences]",), seed)
        assert defended["functioning_loss_days"] < without["functioning_loss_days"], (
            f"{scenario}, seed {seed}: expected less functioning lost behind higher dikes, got "
            f"{defended['functioning_loss_days']:.2f} vs {without['functioning_loss_days']:.2f} days"
        )
        assert defended["events"] <= without["events"], f"{scenario}, seed {seed}: dikes should not bring more floods"
        assert defended["policy_cost_eur__flood_defences"] > 0, f"{scenario}: the dikes should cost something"
        assert defended["recovery_gained_days"] == pytest.approx(
            without["functioning_loss_days"] - defended["functioning_loss_days"]
        ), "recovery gained should be measured against the same run without the lever"


@pytest.mark.parametrize("lever", POLICY_LEVERS)
def test_every_lever_has_its_cost_in_the_summary(lever):
    scenario = {"co_design": "sea_level_rise", "flood_defences": "flooding"}.get(lever, "flooding")
    # co-design costs per project: any support starts one here
    projects = ["scenario.support_threshold=0"] if lever == "co_design" else []
    cfg = load_config(
        scenario,
        ["population.households=300", f"policy=[{lever}]", "scenario.horizon_days=3650", "seed=1", *projects],
    )
    result = run(cfg).summary
    assert result[f"policy_cost_eur__{lever}"] > 0, f"expected {lever} to cost something in {scenario}"
    parts = sum(result[f"policy_cost_eur__{name}"] for name in POLICY_LEVERS)
    assert result["policy_cost_eur"] == pytest.approx(parts), "the total cost should be the sum over the levers"
    assert result["recovery_gained_days"] is not None, "a run with a lever should say what it gained"


def test_levers_compose_and_their_costs_add_up():
    cfg = load_config("flooding", ["population.households=300", "policy=[caring_neighbourhood,flood_defences]"])
    assert cfg.policy.enabled() == ["caring_neighbourhood", "flood_defences"]
    result = run(cfg).summary
    both = result["policy_cost_eur__caring_neighbourhood"] + result["policy_cost_eur__flood_defences"]
    assert both > 0 and result["policy_cost_eur"] == pytest.approx(both), "expected the two levers' costs, summed"


def test_a_lever_that_acts_on_nothing_here_gains_nothing_and_costs_nothing():
    # There are no floods in a leak: higher dikes change nothing, so the paired run is identical.
    model = CrisisModel(load_config("leak", ["population.households=300", "policy=[flood_defences]"]))
    result = model.run().summary
    assert result["recovery_gained_days"] == 0.0, f"expected exactly no gain, got {result['recovery_gained_days']}"
    assert result["policy_cost_eur"] == 0.0
    assert result["recovery_gained_per_meur"] is None, "per million euros is undefined without a cost"
    assert model.results.summary["recovery_gained_days"] == 0.0, "the results read after run() keep the gain"


def test_a_promise_of_nothing_is_refused():
    with pytest.raises(ConfigError, match=r"government\.promised_coverage=0\.0 is not allowed: expected a number > 0"):
        load_config("flooding", ["government.promised_coverage=0"])


def test_without_levers_there_is_nothing_to_compare():
    result = run(load_config("leak", ["population.households=300"])).summary
    assert result["policy_cost_eur"] == 0.0
    assert result["recovery_gained_days"] is None and result["recovery_gained_per_meur"] is None


def test_left_behind_is_defined_when_nothing_transformed():
    # Low cohesion under sea-level rise: households stay exposed and unrecovered, nothing transforms.
    cfg = load_config(
        "sea_level_rise",
        [
            "population.households=300",
            "network.bonding_degree=1",
            "network.bridging_degree=0",
            "scenario.horizon_days=7300",
        ],
    )
    result = run(cfg).summary
    assert result["transformed_neighbourhoods"] == 0, "expected no transformation at low cohesion in 20 years"
    assert result["left_behind_share_transformed"] is None, "the narrow meaning has no neighbourhood to count"
    assert result["left_behind_share"] is not None and result["left_behind_share"] > 0, (
        f"expected households left exposed and unrecovered to count as left behind, got {result['left_behind_share']}"
    )


def test_standing_initiatives_last_between_floods_and_recruit_afresh_when_one_begins():
    cfg = load_config(
        "flooding",
        [
            "population.households=400",
            "policy=[standing_initiatives]",
            "scenario.schedule_days=[10,200]",
            "scenario.schedule_severity=[0.35,0.35]",
            "scenario.step_days=1",
            "scenario.horizon_days=300",
        ],
    )
    model = CrisisModel(cfg)
    members = {}
    for day in (150, 300):  # long after the first flood; after the second
        while model.day < day:
            model.step()
        assert len(model.initiatives) == model.n_neighbourhoods, f"day {day}: every neighbourhood keeps its initiative"
        members[day] = {n: set(i.members.tolist()) for n, i in model.initiatives.items()}
    assert model.initiatives_formed == model.n_neighbourhoods, "renewing an initiative is not forming a new one"
    assert any(members[150][n] != members[300][n] for n in members[150]), (
        "at the second flood the standing initiatives should recruit afresh"
    )
