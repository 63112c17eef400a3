"""The reference engine (``engine=reference``) against the vectorised engine, phase by phase.

Small towns of every scenario, with hazard events early: a vectorised and a reference model of
one config are advanced together (``simulation.agreement.side_by_side``) and after every phase
of every step their whole states must agree: every household field, what the step's work hands
on, money, good and bad days, the government, initiatives, the home pipeline, the scenario, and
the recorded row.

With the model's own ``Housing`` in both, the other phases agree to the last bit.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulation import load_config
from simulation.agreement import ATOL, RTOL, agreement, compare, side_by_side
from simulation.model import PHASES

FLOODS = ["scenario.schedule_days=[3,60]", "scenario.schedule_severity=[0.4,0.5]", "scenario.insured_share=0.6"]
# name: (scenario, overrides, steps, what the run must exercise)
CASES = {
    "flooding": (
        "flooding",
        [*FLOODS, "population.households=150", "scenario.horizon_days=140"],
        20,
        {"event", "needy", "aid rationed", "reached", "hosted", "temporary home", "claim settled", "came home"},
    ),
    "flooding_recovering": (
        "flooding",
        ["scenario.schedule_days=[3]", "scenario.schedule_severity=[0.3]", "population.households=300"],
        50,
        {"event", "initiative formed", "initiative dissolved", "claim settled", "came home"},
    ),
    "leak": (
        "leak",
        ["population.households=300", "scenario.onset_day=0.2", "scenario.horizon_days=2"],
        30,
        {"event", "needy", "relations moved"},
    ),
    "sea_level_rise": (
        "sea_level_rise",
        ["population.households=300", "scenario.floods_per_year_now=6", "scenario.horizon_days=800"],
        24,
        {"event", "aid rationed", "hosted", "scheme paid", "came home"},
    ),
    "flooding_levers": (
        "flooding",
        [*FLOODS, "population.households=300", "policy=[standing_initiatives,generous_compensation]"],
        30,
        {"event", "reached", "scheme paid", "came home"},
    ),
    "flooding_polarised": (
        "flooding",
        [*FLOODS, "population.households=300", "polarisation.media_exposure=0.6"],
        30,
        {"event", "aid rationed", "claim settled", "relations moved"},
    ),
}
FAST = "flooding"


def exercised(state: dict[str, np.ndarray]) -> set[str]:
    """The rules a model's state after a phase shows at work."""
    shown = {
        "event": state["events"] > 0,
        "needy": state.get("work.now.needy", np.zeros(0)).size > 0,
        "aid rationed": (state.get("work.help.injustice", np.zeros(0)) > 0).any(),
        "reached": (state.get("work.help.reach", np.zeros(0)) > 0).any(),
        "hosted": (state["households.displaced"] == 1).any(),
        "temporary home": (state["households.displaced"] == 2).any(),
        "claim settled": state["work.claims_settled"] > 0,
        "scheme paid": state.get("work.help.scheme_paid", np.zeros(0)).size > 0,
        "came home": state["housing.spell_days"].size > 0,
        "initiative formed": state["initiatives.formed"] > 0,
        "relations moved": state["model.relations_moved_step"] > 0,
    }
    return {rule for rule, shows in shown.items() if shows}


def assert_phases_agree(case: str, housing: str = "reference", rtol: float = RTOL, atol: float = ATOL) -> None:
    """Run ``case`` side by side; after every phase, every quantity of the reference model equals the vectorised one's."""
    scenario, overrides, steps, expected = CASES[case]
    seen, initiatives = set(), 0
    for step, phase, state, reference_state in side_by_side(load_config(scenario, overrides), steps, housing):
        assert reference_state.keys() == state.keys(), f"{case}, step {step}, {phase}: different quantities"
        differences = compare(reference_state, state, rtol, atol)
        # assert_allclose where compare finds a difference beyond the tolerance (the same test), for numpy's report
        for name in (name for name, (_, share) in differences.items() if share > 1.0):
            np.testing.assert_allclose(
                reference_state[name],
                state[name],
                rtol=rtol,
                atol=atol,
                equal_nan=True,
                err_msg=f"{case}, step {step}, phase {phase}, {name}: largest difference {differences[name][0]:g}",
            )
        seen |= exercised(state)
        if state["initiatives.sizes"].size < initiatives:
            seen.add("initiative dissolved")
        initiatives = state["initiatives.sizes"].size
    assert expected <= seen, f"{case}: the run did not exercise {sorted(expected - seen)}"


def test_a_flooded_town_agrees_phase_by_phase():
    assert_phases_agree(FAST)


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(set(CASES) - {FAST}))
def test_every_scenario_agrees_phase_by_phase(case):
    assert_phases_agree(case)


def test_with_the_models_housing_the_other_phases_agree_to_the_last_bit():
    assert_phases_agree(FAST, housing="vectorised", rtol=0.0, atol=0.0)


def test_agreement_gives_the_largest_difference_per_phase():
    scenario, overrides, _, _ = CASES[FAST]
    table = agreement(load_config(scenario, overrides), steps=6)
    assert list(table.index) == list(PHASES)
    assert list(table.columns) == ["largest_difference", "where", "step", "of_tolerance"]
    assert (table["of_tolerance"] <= 1.0).all(), table.to_string()
