"""Stances, trust, polarisation and policy levers: the directions of their effects, paired by seed."""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from functools import cache

import numpy as np
import pytest

from experiments.stats import mean_ci
from scenarios.base import make_scenario
from simulation import ConfigError, CrisisModel, load_config, run
from simulation.config import DAYS_PER_YEAR, POLICY_LEVERS
from simulation.levers.base import HazardTerms, Lever
from simulation.running import ComputeTwins

from .conftest import flood_model

SEEDS = (0, 1)
COOPERATIVE = ["government.receptivity=0.9", "government.collaboration=0.9", "government.delay_days=1"]
DEFENSIVE = ["government.receptivity=0.1", "government.collaboration=0.1", "government.delay_days=28"]
TWINS = ComputeTwins()  # each lever-free twin run once for the module, as a sweep shares them


@cache
def summary(scenario: str, overrides: tuple[str, ...], seed: int) -> dict:
    return run(load_config(scenario, ["population.households=1000", *overrides, f"seed={seed}"]), TWINS).summary


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
    result = run(load_config("leak", ["population.households=300", "policy=[flood_defences]"])).summary
    assert result["recovery_gained_days"] == 0.0, f"expected exactly no gain, got {result['recovery_gained_days']}"
    assert result["policy_cost_eur"] == 0.0, "expected dikes to cost nothing where there are no floods"
    assert result["recovery_gained_per_meur"] is None, "per million euros is undefined without a cost"


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
    assert result["left_behind_share_transformed"] is None, (
        f"expected null among transformed neighbourhoods when none transformed, got {result['left_behind_share_transformed']}"
    )
    assert result["unable_to_follow_share"] == 0.0, (
        f"expected nobody unable to follow where nothing transformed (0, not null), got {result['unable_to_follow_share']}"
    )
    assert result["left_unrecovered_share"] is not None and result["left_unrecovered_share"] > 0, (
        f"expected households hit and still unrecovered to count, got {result['left_unrecovered_share']}"
    )
    assert result["left_behind_share"] == result["left_unrecovered_share"], (
        f"expected left behind to be the unrecovered part alone, got {result['left_behind_share']} "
        f"vs {result['left_unrecovered_share']}"
    )


def test_left_behind_parts_count_the_households_unable_to_follow_and_those_left_unrecovered():
    # Many ties, a low support threshold and a dear share: neighbourhoods transform and some cannot follow.
    overrides = ["population.households=300", "network.bonding_degree=8", "network.bridging_degree=4"]
    overrides += ["scenario.support_threshold=0.1", "scenario.cost=0.9", "seed=2"]
    model = CrisisModel(load_config("sea_level_rise", overrides))
    result = model.run().summary
    h = model.households
    unable = h.transformation == 2
    unrecovered = ~np.isnan(h.shock_day) & np.isnan(h.recovered_day) & (h.transformation == 0)
    assert result["transformed_neighbourhoods"] > 0 and unable.any(), (
        f"expected neighbourhoods to transform and some households unable to follow, got "
        f"{result['transformed_neighbourhoods']} transformed and {np.count_nonzero(unable)} unable"
    )
    groups = {"": np.ones(h.n, dtype=bool)}
    groups |= {f"__{name}": h.household_class == index for index, name in enumerate(h.class_names)}
    for suffix, members in groups.items():
        expected = np.count_nonzero(unable & members) / np.count_nonzero(members)
        assert result[f"unable_to_follow_share{suffix}"] == pytest.approx(expected), (
            f"expected unable_to_follow_share{suffix} to be the households with transformation == 2 over all "
            f"{np.count_nonzero(members)}: {expected}, got {result[f'unable_to_follow_share{suffix}']}"
        )
        expected = np.count_nonzero(unrecovered & members) / np.count_nonzero(members)
        assert result[f"left_unrecovered_share{suffix}"] == pytest.approx(expected), (
            f"expected left_unrecovered_share{suffix} to be the households hit, unrecovered and not transformed: "
            f"{expected}, got {result[f'left_unrecovered_share{suffix}']}"
        )
        total = result[f"unable_to_follow_share{suffix}"] + result[f"left_unrecovered_share{suffix}"]
        assert result[f"left_behind_share{suffix}"] == pytest.approx(total), (
            f"expected left_behind_share{suffix} to be the sum of its two parts, {total}, "
            f"got {result[f'left_behind_share{suffix}']}"
        )
    assert result["left_behind_share_transformed"] == pytest.approx(
        np.count_nonzero(unable) / np.count_nonzero(h.transformation > 0)
    ), "expected left_behind_share_transformed to count those unable to follow among transformed neighbourhoods"


def test_left_behind_without_transformation_has_no_part_unable_to_follow():
    one_flood = ["scenario.schedule_days=[10]", "scenario.schedule_severity=[0.7]", "scenario.horizon_days=100"]
    result = run(load_config("flooding", ["population.households=300", *one_flood])).summary
    assert result["unable_to_follow_share"] is None, (
        f"expected null: flooding has no transformation to follow, got {result['unable_to_follow_share']}"
    )
    assert result["left_unrecovered_share"] is not None and result["left_unrecovered_share"] > 0, (
        f"expected households still unrecovered 90 days after a heavy flood, got {result['left_unrecovered_share']}"
    )
    assert result["left_behind_share"] == result["left_unrecovered_share"], (
        f"expected left behind to be the unrecovered part alone without transformation, got "
        f"{result['left_behind_share']} vs {result['left_unrecovered_share']}"
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
    assert model.initiatives.formed == model.n_neighbourhoods, "renewing an initiative is not forming a new one"
    assert any(members[150][n] != members[300][n] for n in members[150]), (
        "at the second flood the standing initiatives should recruit afresh"
    )


@dataclass
class SandbagsConfig:
    """Settings of a lever that lives in this test file alone."""

    enabled: bool = False
    through_share: float = 0.25  # share of the floods that get past the sandbags
    eur_per_household_per_year: float = 50.0


class Sandbags(Lever):
    """Sandbags at every door: most floods stay out, at a price per household and year."""

    name = "sandbags"
    settings_class = SandbagsConfig

    def hazard(self, terms: HazardTerms) -> HazardTerms:
        return dataclasses.replace(terms, through_share=terms.through_share * self.settings.through_share)

    def cost(self, model) -> float:
        return self.settings.eur_per_household_per_year * model.households.n * model.day / DAYS_PER_YEAR


@pytest.mark.parametrize("seed", SEEDS)
def test_a_lever_written_outside_the_model_keeps_floods_out_and_is_costed(seed):
    cfg = load_config(
        "flooding",
        ["population.households=300", "scenario.floods_per_year=1", "scenario.horizon_days=3650", f"seed={seed}"],
    )
    without = CrisisModel(cfg).run().summary
    model = CrisisModel(cfg, levers=[Sandbags(SandbagsConfig(enabled=True))])
    sandbagged = model.run().summary
    assert model.levers.names == ["sandbags"], f"expected the sandbags alone to act, got {model.levers.names}"
    assert sandbagged["events"] < without["events"], (
        f"seed {seed}: expected fewer floods behind sandbags, got {sandbagged['events']} vs {without['events']}"
    )
    assert sandbagged["functioning_loss_days"] < without["functioning_loss_days"], (
        f"seed {seed}: expected less functioning lost behind sandbags, got "
        f"{sandbagged['functioning_loss_days']:.2f} vs {without['functioning_loss_days']:.2f} days"
    )
    price = 50.0 * 300 * model.day / DAYS_PER_YEAR
    assert sandbagged["policy_cost_eur__sandbags"] == pytest.approx(price), (
        f"expected the sandbags to cost EUR {price:,.0f} in the summary, got {sandbagged.get('policy_cost_eur__sandbags')}"
    )
    assert sandbagged["policy_cost_eur"] == pytest.approx(price), "expected the sandbags to be the whole policy cost"
    assert "policy_cost_eur__sandbags" not in without, "expected no sandbags in a run without them"


# Levers whose price does not depend on what happens in the run: per household, per home, per km of dike
# (in proportion to the households) or per policy.households_per_neighbourhood households.
FIXED_PRICE = (
    "caring_neighbourhood",
    "diverse_housing",
    "receptive_government",
    "standing_initiatives",
    "flood_defences",
    "government_collaboration",
    "outcome_accountability",
)


@cache
def cost_per_household(households: int, *overrides: str) -> dict[str, float]:
    """Euros per household of each lever, all of FIXED_PRICE on, after four weeks of a flooding town."""
    model = CrisisModel(
        load_config(
            "flooding",
            [f"population.households={households}", f"policy=[{','.join(FIXED_PRICE)}]", "seed=0", *overrides],
        )
    )
    for _ in range(4):
        model.step()
    return {lever: cost / households for lever, cost in model.levers.costs(model).items()}


@pytest.mark.parametrize("lever", FIXED_PRICE)
def test_a_lever_costs_the_same_per_household_in_a_town_of_500_and_of_5000(lever):
    small, large = cost_per_household(500)[lever], cost_per_household(5000)[lever]
    assert small > 0, f"expected {lever} to cost something in a town of 500 households"
    assert large == pytest.approx(small, rel=1e-9), (
        f"expected {lever} to cost the same per household at 500 and 5,000 households, got EUR {small:,.2f} "
        f"and EUR {large:,.2f}"
    )


@pytest.mark.parametrize("lever", ["caring_neighbourhood", "standing_initiatives"])
def test_a_neighbourhood_price_is_paid_per_households_served_not_per_neighbourhood_of_the_model(lever):
    ten, fifty = cost_per_household(5000)[lever], cost_per_household(5000, "population.neighbourhoods=50")[lever]
    assert fifty == pytest.approx(ten, rel=1e-9), (
        f"expected {lever} to cost the same in a town of 5,000 households cut into 10 or 50 neighbourhoods, got "
        f"EUR {ten:,.2f} and EUR {fifty:,.2f} per household"
    )


@pytest.mark.parametrize(
    ("scenario", "years", "expected"),
    [("flooding", 30.0, 60e6 + 30 * 1e6), ("sea_level_rise", 100.0, 40e6 * 0.5 + 100 * 1e6)],
)
def test_dikes_cost_a_town_of_7500_households_what_its_ring_of_3_km_costs(scenario, years, expected):
    # a river town of about 7,500 households behind about 3 km: EUR 60 M to reinforce (flooding) or EUR 40 M a
    # metre to raise by 0.5 m (sea-level rise), and EUR 1 M a year of upkeep
    cfg = load_config(scenario, ["population.households=300"])
    cost = make_scenario(cfg.scenario).defence_cost(cfg.policy.flood_defences, years, 7500)
    assert cost == pytest.approx(expected), (
        f"{scenario}: expected the defaults to price a town of 7,500 households at EUR {expected / 1e6:.0f} M over "
        f"{years:.0f} years, got EUR {cost / 1e6:.2f} M"
    )


@pytest.mark.parametrize("households", [500, 5000])
def test_co_design_costs_its_price_per_household_once_every_neighbourhood_has_a_project(households):
    cfg = load_config(
        "sea_level_rise",
        [f"population.households={households}", "policy=[co_design]", "scenario.support_threshold=0", "seed=0"],
    )
    model = CrisisModel(cfg)
    while np.isnan(model.crisis.project_start).any() and model.steps < model.n_steps:
        model.step()
    assert not np.isnan(model.crisis.project_start).any(), "expected every neighbourhood to start a project"
    per_household = model.levers.costs(model)["co_design"] / households
    assert per_household == pytest.approx(cfg.policy.co_design.eur_per_household), (
        f"expected co-design to cost EUR {cfg.policy.co_design.eur_per_household:,.0f} per household of a town of "
        f"{households} whose every neighbourhood co-designs, got EUR {per_household:,.2f}"
    )


# A small flooding town over three years with two floods, five seeds: the levers ranked per euro.
RANKED = ("caring_neighbourhood", "receptive_government", "standing_initiatives", "flood_defences")
TWO_FLOODS = [
    "scenario.horizon_days=1096",
    "scenario.schedule_days=[150,650]",
    "scenario.schedule_severity=[0.35,0.35]",
]


def gained_per_meur(households: int, lever: str) -> tuple[float, float, float]:
    """Household-days gained per EUR 1 M by ``lever`` alone, over seeds 0-4: mean and 95% interval."""
    gains = []
    for seed in range(5):
        cfg = load_config(
            "flooding", [f"population.households={households}", f"policy=[{lever}]", *TWO_FLOODS, f"seed={seed}"]
        )
        gains.append(run(cfg, TWINS).summary["recovery_gained_per_meur"])
    return mean_ci(np.array(gains, dtype=float))


@pytest.mark.slow
def test_the_ranking_of_levers_per_euro_agrees_between_a_town_of_500_and_of_5000():
    interval = {(n, lever): gained_per_meur(n, lever) for n, lever in itertools.product((500, 5000), RANKED)}
    shown = ", ".join(
        f"{lever} at {n}: {mean:,.0f} [{low:,.0f}, {high:,.0f}]" for (n, lever), (mean, low, high) in interval.items()
    )
    for size, other in ((500, 5000), (5000, 500)):
        apart = [(a, b) for a, b in itertools.permutations(RANKED, 2) if interval[size, a][1] > interval[size, b][2]]
        assert apart, f"expected the intervals to tell at least one pair of levers apart at {size} households: {shown}"
        for ahead, behind in apart:  # ahead at this size, with intervals apart
            assert not interval[other, ahead][2] < interval[other, behind][1], (
                f"expected {ahead} not to be behind {behind} per EUR 1 M at {other} households (intervals "
                f"apart), as it is ahead at {size}; household-days per EUR 1 M, mean [95% interval]: {shown}"
            )
