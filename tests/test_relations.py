"""Vertical relations that can turn: trust that remembers, a government that learns from what
happened, organisations whose handovers depend on how well they collaborate, and the tool that
finds where an outcome turns."""

from __future__ import annotations

import numpy as np
import pytest

from agents.organisations import Collaboration
from experiments.thresholds import Spec, crossing, locate
from simulation import CrisisModel, load_config, run
from simulation.config import GovernmentConfig

from .conftest import flood_model

# Five yearly floods, then ten years without one.
FIVE_FLOODS_THEN_TEN_YEARS = [
    "population.households=1000",
    "scenario.schedule_days=[365,730,1096,1461,1826]",
    "scenario.schedule_severity=[0.35,0.35,0.35,0.35,0.35]",
    "scenario.horizon_days=5479",
]
COOPERATIVE = ["government.receptivity=0.9", "government.collaboration=0.9", "government.delay_days=1"]
DEFENSIVE = ["government.receptivity=0.1", "government.collaboration=0.1", "government.delay_days=28"]


@pytest.mark.slow
@pytest.mark.parametrize("seed", (0, 1))
def test_ten_years_after_five_floods_trust_stays_where_the_government_took_it(seed):
    for stance, name, higher in ((COOPERATIVE, "cooperative", True), (DEFENSIVE, "defensive", False)):
        trust = run(load_config("flooding", [*FIVE_FLOODS_THEN_TEN_YEARS, *stance, f"seed={seed}"])).timeseries.trust
        start, end = float(trust.iloc[0]), float(trust.iloc[-1])
        assert (end > start + 0.05) == higher and (end < start - 0.05) != higher, (
            f"seed {seed}: ten years after five floods handled by a {name} government, trust should stay "
            f"{'above' if higher else 'below'} where it started, went {start:.3f} -> {end:.3f}"
        )


def test_trust_remembers_the_baseline_follows_it_slowly():
    model = flood_model(*DEFENSIVE, seed=0)
    h = model.households
    baseline = h.trust_baseline.copy()
    model.run()
    moved = h.trust_baseline - baseline
    assert moved.mean() < -0.01, (
        f"after a badly handled flood the baseline should have fallen, moved {moved.mean():.4f}"
    )
    assert (np.abs(h.trust - h.trust_baseline) > 0).any(), "trust and its baseline are separate states"


def test_households_not_in_need_see_what_happened_around_them():
    without = flood_model(*DEFENSIVE, "dynamics.vicarious_weight=0", "dynamics.trust_spread_rate=0", seed=1)
    seeing = flood_model(*DEFENSIVE, "dynamics.trust_spread_rate=0", seed=1)
    for model in (without, seeing):
        model.run()
    never_needy = np.isnan(seeing.households.shock_day)
    lost = {
        name: float(m.households.trust[never_needy].mean()) for name, m in (("without", without), ("seeing", seeing))
    }
    assert lost["seeing"] < lost["without"] - 0.005, (
        f"households never hit should lose trust by seeing a badly handled flood around them: {lost}"
    )


def test_a_handover_between_organisations_that_collaborate_well_is_faster():
    well = Collaboration(
        GovernmentConfig(
            **{f"collaboration_{d}": 0.9 for d in ("governance", "administration", "autonomy", "mutuality", "norms")}
        )
    )
    badly = Collaboration(
        GovernmentConfig(
            **{f"collaboration_{d}": 0.1 for d in ("governance", "administration", "autonomy", "mutuality", "norms")}
        )
    )
    fast, slow = (c.handover("municipality", "scheme", base=14.0, bureaucracy=0.3) for c in (well, badly))
    assert fast < slow / 5, f"expected a far quicker referral between organisations that collaborate: {fast} vs {slow}"
    assert badly.handover("municipality", "scheme", 14.0, 0.6) > slow, "more bureaucracy should slow a handover"


@pytest.mark.parametrize("seed", (0, 1))
def test_scheme_payments_come_later_where_municipality_and_scheme_collaborate_badly(seed):
    dims = ("governance", "administration", "autonomy", "mutuality", "norms")

    def first_payment(level: float) -> float:
        series = flood_model(*(f"government.collaboration_{d}={level}" for d in dims), seed=seed).run().timeseries
        return float(series.day[series.scheme_paid > 0].iloc[0])

    assert first_payment(0.1) > first_payment(0.9) + 5, f"seed {seed}: a slow referral should delay the first payment"


def test_joint_experience_builds_or_wears_down_collaboration():
    joint = Collaboration(GovernmentConfig())
    before = joint.index("municipality", "scheme")
    joint.learn(verdict=0.8)
    after_good = joint.index("municipality", "scheme")
    joint.learn(verdict=-0.8)
    joint.learn(verdict=-0.8)
    assert after_good > before > joint.index("municipality", "scheme"), "a good event builds, bad ones wear down"


def test_criticism_unheard_makes_the_government_defensive_and_heard_makes_it_reach_out():
    def after_criticism(accountable: bool, feedback: float) -> tuple[float, float]:
        model = CrisisModel(load_config("flooding", ["population.households=200"]))
        gov = model.government
        gov.accountable = accountable
        gov.learn(verdict=-0.8, waited=0.5, feedback=feedback)
        return gov.own_affiliation, gov.own_dominance

    start = CrisisModel(load_config("flooding", ["population.households=200"])).government
    unheard, heard, accountable = after_criticism(False, 0.0), after_criticism(False, 1.0), after_criticism(True, 0.0)
    assert unheard[0] < start.own_affiliation and unheard[1] > start.own_dominance, (
        "criticism without a channel to citizens should make it more defensive and directive (the wrong lesson)"
    )
    assert heard[0] > start.own_affiliation and heard[1] < start.own_dominance, "heard, it should reach out"
    assert accountable == heard, "held accountable for outcomes, it reads criticism as what to improve"


def test_a_steep_answer_carries_the_government_further_towards_what_households_invite():
    """With a linear answer the government stays between its own stance and the households'; with a
    steep (S-shaped) one it goes towards the end they invite, so a relation can reinforce itself."""
    ends = {}
    for gain in (0.0, 3.0):
        gov = CrisisModel(load_config("flooding", ["population.households=200"])).government
        gov.stance_gain = gain
        ends[gain] = []
        for households in (-0.6, 0.6):  # households against, or together, holding still
            gov.affiliation = 0.0
            for _ in range(400):
                gov.respond(0.0, households, 30.0)
            ends[gain].append(gov.affiliation)
    assert ends[0.0] == pytest.approx([-0.3, 0.3], abs=0.01), f"linear: halfway to what they invite, {ends[0.0]}"
    assert ends[3.0][0] < -0.5 < 0.5 < ends[3.0][1], f"steep: towards the end they invite, {ends[3.0]}"


@pytest.mark.parametrize("lever", ["government_collaboration", "outcome_accountability"])
def test_each_new_lever_acts_through_its_mechanism_and_costs(lever):
    cfg = load_config("flooding", ["population.households=300", f"policy=[{lever}]", "scenario.horizon_days=730"])
    model = CrisisModel(cfg)
    base = CrisisModel(load_config("flooding", ["population.households=300", "scenario.horizon_days=730"]))
    if lever == "government_collaboration":
        assert model.collaboration.index("municipality", "scheme") > base.collaboration.index("municipality", "scheme")
    else:
        assert model.government.accountable and model.scheme.bureaucracy < base.scheme.bureaucracy
    summary = model.run().summary
    assert summary[f"policy_cost_eur__{lever}"] > 0, f"expected {lever} to cost something"


def test_the_threshold_tool_finds_a_known_threshold():
    seeds = range(8)
    found = [crossing(lambda x, s=s: x - (0.37 + 0.01 * s), 0.0, 1.0, above=0.0, steps=12)[0] for s in seeds]
    expected = [0.37 + 0.01 * s for s in seeds]
    np.testing.assert_allclose(found, expected, atol=1.0 / 2**12, err_msg="bisection should find each seed's step")
    assert np.isnan(crossing(lambda x: 1.0, 0.0, 1.0, above=0.0, steps=5)[0]), "no change of regime: no crossing"


@pytest.mark.slow
def test_the_threshold_tool_locates_where_sea_level_rise_starts_to_transform(tmp_path):
    spec = Spec(
        name="small",
        scenario="sea_level_rise",
        overrides=["population.households=200"],
        parameter="scenario.support_threshold",
        low=0.0,
        high=0.5,
        outcome="transformed_neighbourhoods",
        above=0.5,
        seeds=3,
        steps=3,
        grid=3,
    )
    crossings, grid = locate(spec)
    crossed = crossings.dropna(subset=["crossing"])
    assert len(crossed) >= 2, f"expected most seeds to stop transforming within the range: {crossings}"
    resolution = (spec.high - spec.low) / 2**spec.steps
    for row in crossed.itertuples():
        points = grid[grid.seed == row.seed]
        for value, outcome in zip(points.value, points.outcome, strict=True):
            if abs(value - row.crossing) > resolution:
                upper = (value > row.crossing) == (row.direction > 0)
                assert (outcome > spec.above) == upper, (
                    f"seed {row.seed}: at {value} the outcome {outcome} should be on the "
                    f"{'upper' if upper else 'lower'} side of the crossing found at {row.crossing:.3f}"
                )
