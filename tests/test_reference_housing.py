"""ReferenceHousing against Housing: every per-step housing call of a run made by both, from the same state.

Small towns with early floods (severe enough to displace households, start claims, scheme
applications and repairs), the leak, a town with ``generous_compensation`` and sea-level rise.
Each call runs by ``ReferenceHousing`` on a copy of the model and by ``Housing`` on the model
(``simulation.reference.housing.run_twinned``); the household state, the step's money and the
``Housing`` object must then agree.

"""

from __future__ import annotations

import numpy as np
import pytest

from simulation import CrisisModel, load_config
from simulation.reference.housing import ATOL, PER_STEP, RTOL, Difference, largest_differences, run_twinned

FLOOD = [
    "scenario.schedule_days=[3,60]",
    "scenario.schedule_severity=[0.8,0.6]",
    "scenario.insured_share=0.6",  # uninsured owners enough to apply to the scheme
]
CASES = {
    # daily steps; a scheme that opens and decides within the run, outside contractors found in it
    "flood_daily": (
        "flooding",
        [
            *FLOOD,
            "population.households=230",  # capacities with a part-time handler
            "scenario.step_days=1",
            "scenario.horizon_days=120",
            "government.scheme_opening_days=14",
            "government.scheme_assessors=30",
            "housing.outside_contractor_rate=0.05",
        ],
    ),
    "flood_weekly_generous": (
        "flooding",
        [*FLOOD, "population.households=400", "scenario.horizon_days=730", "policy=[generous_compensation]"],
    ),
    "leak": ("leak", ["population.households=350"]),
    "sea_level_rise": (
        "sea_level_rise",
        [
            "population.households=300",
            "scenario.floods_per_year_now=2",
            "scenario.severity_now=0.6",
            "scenario.horizon_days=1826",
        ],
    ),
}


def twinned_run(case: str, steps: int | None = None) -> tuple[CrisisModel, list[Difference]]:
    """The model of ``case`` run ``steps`` steps (to its horizon by default) with every housing call made by both."""
    scenario, overrides = CASES[case]
    model = CrisisModel(load_config(scenario, overrides))
    return model, run_twinned(model, steps)


def assert_agree(differences: list[Difference]) -> None:
    """Every call left both sides within the tolerance; else name the first that did not."""
    for d in differences:
        if not d.within:
            np.testing.assert_allclose(
                d.reference,
                d.vectorised,
                rtol=RTOL,
                atol=ATOL,
                equal_nan=True,
                err_msg=f"{d.method} at step {d.step}: {d.field} differs most (by {d.largest:g}); ACTUAL ReferenceHousing, DESIRED Housing",
            )


def test_reference_and_housing_agree_call_by_call_after_a_flood():
    model, differences = twinned_run("flood_daily")
    assert_agree(differences)
    table = largest_differences(differences)
    assert list(table.index) == list(PER_STEP), f"expected every per-step method called, got {list(table.index)}"
    series = model.recorder.frame()
    done = {
        "hosted": series["displaced_hosted_share"].max() > 0,
        "housed temporarily": series["displaced_temporary_share"].max() > 0,
        "settled claims": series["money_insurance_eur"].sum() > 0,
        "paid by the scheme": series["money_scheme_eur"].sum() > 0,
        "came home": sum(spells.size for spells in model.housing.spell_days) > 0,
    }
    assert all(done.values()), f"expected the run to exercise every rule, got {done}"


@pytest.mark.slow
@pytest.mark.parametrize("case", ["flood_weekly_generous", "leak", "sea_level_rise"])
def test_reference_and_housing_agree_call_by_call(case):
    _, differences = twinned_run(case)
    assert_agree(differences)
