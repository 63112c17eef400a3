"""Extending the model: the phases of a step as data, and rules added to a phase."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from agents.examples import AWAY_AFTER_DAYS, StaysWithFamily
from simulation import CrisisModel
from simulation.model import PHASES
from simulation.state import HOUSEHOLD_FIELDS

from .conftest import small_config

ODD = Path(__file__).resolve().parents[1] / "docs" / "ODD.md"


def odd_phases() -> list[str]:
    """The phase column of the table in ODD section 3."""
    section = ODD.read_text().split("## 3. Process overview and scheduling")[1].split("\n## 4.")[0]
    return re.findall(r"^\| [-\d]+ \| `(\w+)` \|", section, flags=re.MULTILINE)


def test_the_phases_of_a_step_are_those_of_the_odd_table_in_its_order():
    assert odd_phases() == list(PHASES), f"expected ODD section 3 to list {PHASES} in order, found {odd_phases()}"
    model = CrisisModel(small_config())
    assert list(model.phases) == list(PHASES), "expected the model to run the phases of PHASES in order"


def test_a_rule_runs_after_its_phase_in_every_step():
    model = CrisisModel(small_config())
    seen = []
    model.rules.add("support", lambda m: seen.append(("support", m.steps)), vectorised=True)
    model.rules.add("hazard", lambda m: seen.append(("hazard", m.steps)), vectorised=True)
    model.step()
    model.step()
    assert seen == [("hazard", 1), ("support", 1), ("hazard", 2), ("support", 2)], (
        f"expected each rule once per step, after its phase in the order of PHASES, got {seen}"
    )


def test_a_rule_for_a_phase_that_does_not_exist_is_refused_with_the_phases_allowed():
    model = CrisisModel(small_config())
    with pytest.raises(ValueError, match="phase='supprt' is not allowed: expected one of hazard, snapshot"):
        model.rules.add("supprt", "stay_with_family")


def run_leak(rule: bool, seed: int):
    model = CrisisModel(small_config(f"seed={seed}", "population.households=600"), household_class=StaysWithFamily)
    if rule:
        model.rules.add("stand_ins", "stay_with_family")
    return model, model.run()


@pytest.mark.parametrize("seed", [1, 2])
def test_a_per_agent_rule_changes_what_it_targets_and_nothing_before_it(seed):
    without_model, without = run_leak(False, seed)
    with_model, with_rule = run_leak(True, seed)
    hit_without, hit_with = without.households.shock_day, with_rule.households.shock_day
    np.testing.assert_array_equal(hit_with, hit_without, err_msg="expected the same households hit on the same day")
    np.testing.assert_array_equal(
        with_rule.households.water_back_day,
        without.households.water_back_day,
        err_msg="expected the rule to leave the outage itself alone",
    )
    functioning_with = with_rule.timeseries.set_index("day").functioning
    functioning_without = without.timeseries.set_index("day").functioning
    assert (functioning_with > functioning_without + 1e-6).any(), (
        "expected water at family's to raise the functioning of the affected in some step"
    )
    assert with_rule.summary["resilience_loss_days"] < without.summary["resilience_loss_days"], (
        "expected less functioning lost over the run when households stay with family"
    )
    before_outage = without.timeseries.day <= np.nanmin(without.households.shock_day) + AWAY_AFTER_DAYS
    first_rows = without.timeseries[before_outage].drop(columns="day")
    np.testing.assert_array_equal(
        with_rule.timeseries[before_outage].drop(columns="day").to_numpy(),
        first_rows.to_numpy(),
        err_msg="expected every indicator unchanged until the rule can first act (two hours into the outage)",
    )
    untouched = [f.name for f in HOUSEHOLD_FIELDS if f.name in ("exposure", "insured", "economic", "cultural")]
    for name in untouched:
        np.testing.assert_array_equal(
            getattr(with_model.households, name),
            getattr(without_model.households, name),
            err_msg=f"expected the rule to leave {name} alone",
        )


def test_the_rule_recipe_gives_the_numbers_it_states():
    from .test_recipes import recipe

    namespace: dict = {}
    exec(recipe("rule").replace("print(", "stated = ("), namespace)
    with_rule = namespace["stated"]
    without = CrisisModel(small_config("seed=1", "population.households=600")).run().summary["resilience_loss_days"]
    assert round(with_rule, 4) == 0.1094 and round(without, 4) == 0.1138, (
        f"expected docs/python.md's 0.1094 with the rule and 0.1138 without, got {with_rule:.4f} and {without:.4f}"
    )


def test_the_engine_imports_without_hydra():
    import subprocess
    import sys

    code = "import sys, simulation.model; print(sorted(m for m in sys.modules if m.split('.')[0] in ('hydra', 'omegaconf')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]", f"expected the engine to import neither Hydra nor omegaconf, it imported {loaded}"
