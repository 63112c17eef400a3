"""Invariants of a step and of a run's life cycle, checked step by step."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import CrisisModel, load_config
from simulation.state import HOUSEHOLD_FIELDS, RECOVERY_CHANNELS

SCENARIOS = {
    "leak": ["population.households=800"],
    "flooding": ["population.households=800", "scenario.floods_per_year=3", "scenario.horizon_days=1500"],
    "sea_level_rise": ["population.households=800", "scenario.floods_per_year_now=2", "scenario.horizon_days=3000"],
}


def snapshot(model: CrisisModel) -> dict:
    return {
        **{f.name: getattr(model.households, f.name).copy() for f in HOUSEHOLD_FIELDS},
        "day": model.day,
        "steps": model.steps,
        "row": model.recorder.row,
    }


def test_a_step_past_the_horizon_raises_before_anything_changes():
    model = CrisisModel(load_config(overrides=["population.households=300", "scenario.horizon_days=5"]))
    model.run()
    before = snapshot(model)
    with pytest.raises(RuntimeError, match="reached its horizon"):
        model.step()
    after = snapshot(model)
    for key, value in before.items():
        assert np.array_equal(value, after[key], equal_nan=True), f"{key} changed although the step was refused"
    assert not model.running, "a run at its horizon is not running"


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_step_invariants(scenario):
    model = CrisisModel(load_config(scenario=scenario, overrides=SCENARIOS[scenario]))
    h = model.households
    checked_help = checked_aid = 0
    while model.running:
        harm_before = h.harm.sum()
        model.step()
        flows = model.flows
        restored = sum(float(flows.gains[channel].sum()) for channel in RECOVERY_CHANNELS)
        assert h.harm.sum() == pytest.approx(harm_before + flows.harm_added - restored, abs=1e-9), (
            f"step {model.steps}: the change in harm should be what the hazard added less what the channels took away"
        )
        assert np.all(flows.given <= flows.offer * (1 + 1e-12) + 1e-15), (
            f"step {model.steps}: no helper should give more than its offer"
        )
        assert flows.aid_obtained.sum() <= flows.aid_capacity * (1 + 1e-12), (
            f"step {model.steps}: aid delivered should not exceed the government's capacity"
        )
        checked_help += int(np.count_nonzero(flows.given))
        checked_aid += int(flows.aid_obtained.sum() > 0)
        assert not h.invalid(), f"step {model.steps}: fields out of bounds or NaN: {h.invalid()}"
    assert checked_help > 0 and checked_aid > 0, "the run should have had help and aid to check"


def test_a_household_hit_again_while_recovering_continues_its_spell_and_counts_in_both_events():
    # Two floods a week apart: many households are still recovering from the first when the second comes.
    model = CrisisModel(
        load_config(
            scenario="flooding",
            overrides=[
                "population.households=600",
                "scenario.schedule_days=[70,77]",
                "scenario.schedule_severity=[0.6,0.6]",
                "scenario.horizon_days=700",
            ],
        )
    )
    model.run()
    model.event_log.resolve()
    first, second = model.event_log.events
    twice = np.intersect1d(first.hit, second.hit)
    assert twice.size > 0, "some households should be hit by both floods"
    h = model.households
    assert np.all(h.shock_day[twice] == first.day), "a household still recovering keeps the day its spell began"
    back_first = first.recovered_day[np.searchsorted(first.hit, twice)]
    back_second = second.recovered_day[np.searchsorted(second.hit, twice)]
    np.testing.assert_array_equal(
        back_first, back_second, err_msg="it is back from both events on the same day: when it is back at all"
    )
    back = ~np.isnan(back_first)
    assert back.any(), "some of them should be back within the run"
    assert (back_first[back] - first.day > back_second[back] - second.day).all(), (
        "its recovery counts from each event's own day, so from the first it takes longer"
    )


def test_every_day_output_is_the_end_of_the_step_it_happened_in():
    model = CrisisModel(load_config(overrides=["population.households=800", "network.bonding_degree=8"]))
    h = model.households
    while model.running:
        recovered_before = ~np.isnan(h.recovered_day)
        formed_before = model.initiatives.formed
        model.step()
        newly = ~np.isnan(h.recovered_day) & ~recovered_before
        assert np.all(h.recovered_day[newly] == model.day), "a recovery is dated at the end of its step"
        if formed_before == 0 and model.initiatives.formed > 0:
            assert model.initiatives.first_day == model.day, "an initiative's formation is dated at the end of its step"
    assert model.initiatives.first_day is not None, "a cohesive town hit by the leak forms an initiative"
    shocked = h.shock_day[~np.isnan(h.shock_day)]
    assert np.all(shocked == model.cfg.scenario.onset_day), "the hazard strikes at the start of its step"


def test_a_transformation_is_dated_at_the_end_of_the_step_that_completed_it():
    model = CrisisModel(
        load_config(
            scenario="sea_level_rise",
            overrides=[
                "population.households=600",
                "network.bonding_degree=8",
                "network.bridging_degree=4",
                "scenario.support_threshold=0.15",  # lower than the default, so that neighbourhoods transform
            ],
        )
    )
    while model.running:
        done_before = np.count_nonzero(~np.isnan(model.crisis.transformed_day))
        model.step()
        new = ~np.isnan(model.crisis.transformed_day)
        if np.count_nonzero(new) > done_before:
            assert model.day in model.crisis.transformed_day, "transformed on the day its step ended"
            steps = model.crisis.project_start[new] / model.dt
            assert np.allclose(steps, np.round(steps)) and (steps >= 1).all(), "projects start at the end of a step"
    assert model.results.summary["transformed_neighbourhoods"] >= 1
