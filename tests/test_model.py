"""The model as Mesa sees it, determinism, results round trip."""

from __future__ import annotations

import math

import mesa
import numpy as np
import pandas as pd
import pytest

from agents import CitizenInitiative, Government, Household
from simulation import CrisisModel, Results, run
from simulation.demo.classroom import ClassroomModel, ClassroomSettings

from .conftest import small_config


def test_household_agents_are_views_on_the_arrays():
    model = CrisisModel(small_config("population.households=300"))
    households = list(model.agents_by_type[Household])
    assert len(households) == 300, "one Household agent per household"
    first = households[0]
    assert first.functioning == model.households.functioning[first.index]
    first.functioning = 0.25
    assert model.households.functioning[first.index] == 0.25, "writing the agent writes the array"
    stress = model.agents_by_type[Household].get("stress")
    np.testing.assert_array_equal(stress, model.households.stress, err_msg="AgentSet.get reads the arrays")
    assert first.class_name in model.households.class_names
    assert len(model.agents_by_type[Government]) == 1


@pytest.mark.parametrize(
    "build",
    [
        lambda: CrisisModel(small_config("population.households=300")),
        lambda: ClassroomModel(ClassroomSettings(households=300)),
    ],
    ids=["CrisisModel", "ClassroomModel"],
)
def test_models_leave_mesas_own_attributes_alone(build):
    """Later Mesa versions add attributes (3.4 ``time``, 3.5 ``scenario``): none of ours may replace them."""
    model, plain = build(), mesa.Model(rng=1)
    public = [name for name in dir(plain) if not name.startswith("_") and not callable(getattr(plain, name))]
    replaced = {
        name: type(getattr(model, name)).__name__
        for name in public
        if type(getattr(model, name)) is not type(getattr(plain, name))
    }
    assert not replaced, f"expected Mesa's attributes to keep Mesa's types, these hold ours: {replaced}"


def test_initiatives_are_registered_agents_that_come_and_go():
    one_flood = ("scenario.schedule_days=[10]", "scenario.schedule_severity=[0.35]", "scenario.step_days=1")
    # Three assessors in this town of 1,500 (0.7 at the default rate would take most of the run over its 21
    # applications), so that every neighbourhood recovers within the run and its initiative can dissolve.
    assessors = "government.scheme_assessors=2"
    model = CrisisModel(
        small_config(
            "network.bonding_degree=10", *one_flood, assessors, "scenario.horizon_days=900", scenario="flooding"
        )
    )
    seen = 0
    while model.running:
        model.step()
        active = model.agents_by_type.get(CitizenInitiative)
        count = len(active) if active is not None else 0
        assert count == len(model.initiatives), "every active initiative is a Mesa agent"
        seen = max(seen, count)
    assert seen > 0, "a cohesive community hit by a flood should form at least one initiative"
    assert len(model.initiatives) == 0, "initiatives dissolve once their neighbourhood has recovered"
    assert (model.households.initiative == -1).all(), "dissolved initiatives release their members"


@pytest.mark.parametrize("scenario", [pytest.param("leak", marks=pytest.mark.slow), "flooding", "sea_level_rise"])
def test_same_seed_same_results_and_different_seeds_differ(scenario):
    short = "scenario.horizon_days=3000" if scenario != "leak" else "scenario.horizon_days=120"
    first = run(small_config("seed=5", short, "population.households=500", scenario=scenario))
    again = run(small_config("seed=5", short, "population.households=500", scenario=scenario))
    other = run(small_config("seed=6", short, "population.households=500", scenario=scenario))
    assert first.summary == again.summary, "the same seed should give the same summary"
    pd.testing.assert_frame_equal(first.timeseries, again.timeseries, check_exact=True)
    pd.testing.assert_frame_equal(first.households, again.households, check_exact=True)
    pd.testing.assert_frame_equal(first.events, again.events, check_exact=True)
    assert not first.households.equals(other.households), "different seeds should give different towns"


def test_summary_has_the_design_keys_and_null_for_what_did_not_happen():
    results = run(small_config())
    summary = results.summary
    classes = list(results.config.population.classes)
    keys = [
        "t50_days",
        "t90_days",
        "resilience_loss_days",
        "unrecovered_share",
        "peak_disruption_share",
        "disruption_days",
        "precariaat_gap",
        "affected_share",
        "events",
        "damage_first_event",
        "damage_last_event",
        "prepared_share_end",
        "transformed_neighbourhoods",
        "first_transformation_day",
        "unable_to_follow_share",
        "left_unrecovered_share",
        "left_behind_share",
        "left_behind_share_transformed",
        *[f"mean_recovery_days__{c}" for c in classes],
        *[f"unable_to_follow_share__{c}" for c in classes],
        *[f"left_unrecovered_share__{c}" for c in classes],
        *[f"left_behind_share__{c}" for c in classes],
    ]
    missing = [k for k in keys if k not in summary]
    assert not missing, f"summary should have every documented key; missing {missing}"
    assert summary["events"] == 1, "the leak is one event"
    assert summary["first_transformation_day"] is None, "nothing transforms in a leak: null, not a number"
    assert summary["unable_to_follow_share"] is None, (
        f"a leak has no transformation to follow: expected null, got {summary['unable_to_follow_share']}"
    )
    assert 0 < summary["affected_share"] < 1
    assert summary["t50_days"] <= summary["t90_days"]
    for value in summary.values():
        assert value is None or math.isfinite(value), "summary values are finite numbers or null"


def test_resilience_loss_is_the_integral_of_lost_functioning():
    results = run(small_config())
    ts = results.timeseries
    assert ts["day"].iloc[0] == 0 and ts["day"].iloc[-1] == results.config.scenario.horizon_days
    end_of_step_only = np.trapezoid(1 - ts["functioning"], ts["day"])
    loss = results.summary["resilience_loss_days"]
    assert loss > end_of_step_only, "the drop at the start of the shock's step should count in full"
    shock_row = int(np.argmax(ts["functioning_start"].to_numpy()[1:] < 1)) + 1
    drop = 1 - ts["functioning_start"].iloc[shock_row]
    dt = results.config.scenario.step_days
    assert loss == pytest.approx(end_of_step_only + drop * dt / 2), (
        "the missing triangle is half the drop over one step"
    )


def test_per_class_series_exist_for_every_class():
    results = run(small_config())
    for name in results.config.population.classes:
        for indicator in ("functioning", "recovered_share", "stress", "trust", "fear_share", "restored_aid"):
            assert f"{indicator}__{name}" in results.timeseries, f"missing {indicator}__{name}"


@pytest.mark.parametrize("scenario", ["leak", "flooding"])
def test_results_save_and_load_round_trip_exactly(tmp_path, scenario):
    results = run(small_config("seed=2", "population.households=500", scenario=scenario))
    results.save(tmp_path / "run")
    loaded = Results.load(tmp_path / "run")
    assert loaded.summary == results.summary
    assert loaded.config == results.config
    pd.testing.assert_frame_equal(loaded.timeseries, results.timeseries, check_exact=True)
    pd.testing.assert_frame_equal(loaded.households, results.households, check_exact=True)
    pd.testing.assert_frame_equal(loaded.events, results.events, check_exact=True)


def test_step_length_changes_little_when_rates_are_per_day():
    hourly = run(small_config("seed=1"))
    half_hourly = run(small_config("seed=1", f"scenario.step_days={1 / 48}"))
    assert half_hourly.summary["resilience_loss_days"] == pytest.approx(
        hourly.summary["resilience_loss_days"], rel=0.15
    ), "halving the step should not change resilience loss much: rates are per day"
