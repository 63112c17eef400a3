"""Property-based: for random valid configs every state stays within its bounds and nothing is NaN."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulation import CrisisModel, load_config

unit = st.floats(0.0, 1.0)


SCENARIO_OVERRIDES = {
    "leak": lambda draw: [
        f"scenario.area_share={draw(unit)}",
        f"scenario.home_damage_share={draw(unit)}",
        f"scenario.home_damage_mean={draw(unit)}",
        f"scenario.secondary_failure_share={draw(unit)}",
        f"scenario.crews={draw(st.integers(1, 3))}",
        f"scenario.boil_water_days={draw(st.floats(0.0, 5.0))}",
        "scenario.onset_day=0.1",
    ],
    # Frequent floods and quick projects, so that 30 days exercise every mechanism.
    "flooding": lambda draw: [
        f"scenario.floods_per_year={draw(st.floats(0.0, 30.0))}",
        f"scenario.severity_mean={draw(unit)}",
    ],
    "sea_level_rise": lambda draw: [
        f"scenario.floods_per_year_now={draw(st.floats(0.0, 30.0))}",
        f"scenario.support_threshold={draw(unit)}",
        "scenario.start_rate_per_year=200",
        "scenario.duration_years=0.02",
    ],
}


@st.composite
def valid_overrides(draw):
    scenario = draw(st.sampled_from(sorted(SCENARIO_OVERRIDES)))
    households = draw(st.integers(60, 400))
    neighbourhoods = draw(st.integers(2, 4))  # one neighbourhood of one class leaves no group to bridge to
    bonding = draw(st.floats(0.0, 4.0))
    return [
        f"scenario={scenario}",
        *SCENARIO_OVERRIDES[scenario](draw),
        f"population={draw(st.sampled_from(['netherlands', 'equal']))}",
        f"government={draw(st.sampled_from(['default', 'bureaucratic', 'receptive']))}",
        f"population.households={households}",
        f"population.neighbourhoods={neighbourhoods}",
        f"population.segregation={draw(unit)}",
        f"network.bonding_degree={bonding}",
        f"network.bridging_degree={draw(st.floats(0.0, 3.0))}",
        f"network.homophily={draw(st.floats(0.0, 0.9))}",
        f"government.delay_days={draw(st.floats(0.0, 40.0))}",
        f"government.receptivity={draw(unit)}",
        f"government.aid_capacity={draw(unit)}",
        f"scenario.step_days={draw(st.sampled_from([0.5, 1.0, 3.0]))}",
        "scenario.horizon_days=30",
        f"dynamics.support_rate={draw(st.floats(0.0, 2.0))}",
        f"dynamics.stress_relief_rate={draw(st.floats(0.0, 5.0))}",
        f"dynamics.fear_rate={draw(st.floats(0.0, 20.0))}",
        f"dynamics.helping_strain_rate={draw(st.floats(0.0, 5.0))}",
        f"dynamics.hosting_strain_rate={draw(st.floats(0.0, 1.0))}",
        f"dynamics.initiative_openness={draw(unit)}",
        f"network.bonding_outside={draw(unit)}",
        f"housing.uninhabitable_from={draw(st.floats(0.05, 1.0))}",
        f"housing.drying_days={draw(st.floats(0.0, 20.0))}",
        f"housing.repair_days={draw(st.floats(0.5, 20.0))}",
        f"housing.contractors={draw(st.floats(0.0, 100.0))}",
        f"housing.adjusters={draw(st.floats(0.0, 100.0))}",
        f"housing.deposit_share={draw(unit)}",
        f"government.temporary_homes={draw(st.floats(0.0, 100.0))}",
        f"government.scheme_opening_days={draw(st.floats(0.0, 20.0))}",
        f"government.scheme_assessment_days={draw(st.floats(0.5, 20.0))}",
        f"seed={draw(st.integers(0, 2**31))}",
    ]


@pytest.mark.slow
@settings(max_examples=45, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_overrides())
def test_states_stay_in_bounds_and_finite(overrides):
    model = CrisisModel(load_config(overrides=overrides))
    h = model.households
    while model.running:
        model.step()
        bad = h.invalid()
        assert not bad, f"fields out of bounds or NaN after step {model.steps}: {bad}"
        hosted = h.displaced == 1
        assert np.array_equal(h.host >= 0, hosted), "a household has a host exactly when it is hosted"
        hosts = h.host[hosted]
        assert np.unique(hosts).size == hosts.size, "a host takes in one household at a time"
        assert (h.displaced[hosts] == 0).all(), "hosts live in their own homes"
        away = h.displaced != 0
        assert (h.home_damage[away] >= model.cfg.housing.uninhabitable_from).all(), (
            "only a household whose home cannot be lived in is displaced"
        )
    ts = model.results.timeseries
    finite_always = [
        "functioning",
        "stress",
        "trust",
        "fear_share",
        "affected_share",
        "prepared_share",
        "displaced_share",
        "provision_lost_share",
        "money_own_eur",
    ]
    assert np.isfinite(ts[finite_always].to_numpy()).all(), "overall indicators should never be NaN"
    assert (ts["recovered_share"].dropna().between(0, 1)).all()
