"""Property-based: for random valid configs every state stays within its bounds and nothing is NaN."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulation import CrisisModel, load_config

unit = st.floats(0.0, 1.0)


SCENARIO_OVERRIDES = {
    "leak": lambda draw: [f"scenario.severity={draw(unit)}", f"scenario.area_share={draw(unit)}"],
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
        f"seed={draw(st.integers(0, 2**31))}",
    ]


@settings(max_examples=45, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_overrides())
def test_states_stay_in_bounds_and_finite(overrides):
    model = CrisisModel(load_config(overrides=overrides))
    while model.running:
        model.step()
        bad = model.households.invalid()
        assert not bad, f"fields out of bounds or NaN after step {model.steps}: {bad}"
    ts = model.results.timeseries
    finite_always = ["functioning", "stress", "trust", "fear_share", "affected_share", "prepared_share"]
    assert np.isfinite(ts[finite_always].to_numpy()).all(), "overall indicators should never be NaN"
    assert (ts["recovered_share"].dropna().between(0, 1)).all()
