"""The README's recipes for driving the model from other tools run as they are written."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def recipe(name: str) -> str:
    """The README's python block that starts with ``# recipe: NAME``."""
    blocks = re.findall(r"```python\n(# recipe: (\S+)\n.*?)```", README.read_text(), flags=re.DOTALL)
    found = [code for code, label in blocks if label == name]
    assert len(found) == 1, f"expected one README recipe named {name!r}, found {len(found)}"
    return found[0]


def test_scalars_are_floats_with_nan_for_what_did_not_happen():
    from simulation import load_config, run

    results = run(load_config(overrides=["population.households=300", "scenario.area_share=0"]))
    scalars = results.scalars()
    assert results.summary["t90_days"] is None, "nothing was hit: the summary keeps null"
    assert math.isnan(scalars["t90_days"]), "the float view has NaN where the summary has null"
    assert set(scalars) == set(results.summary)
    assert all(isinstance(value, float) for value in scalars.values())


@pytest.mark.slow
def test_the_ema_workbench_recipe_runs_its_experiments():
    pytest.importorskip("ema_workbench", reason="the ema extra is not installed")
    namespace: dict = {}
    exec(recipe("ema-workbench"), namespace)
    experiments, outcomes = namespace["experiments"], namespace["outcomes"]
    assert len(experiments) == 8, "eight sampled towns"
    for key in namespace["OUTCOMES"]:
        assert outcomes[key].shape == (8,) and outcomes[key].dtype.kind == "f", f"{key}: one float per experiment"
    assert np.isfinite(outcomes["resilience_loss_days"]).all(), "resilience loss is always defined"


@pytest.mark.slow
def test_the_salib_recipe_gives_indices():
    namespace: dict = {}
    exec(recipe("salib"), namespace)
    indices = namespace["indices"]
    assert np.isfinite(indices["ST"]).all(), "a total-order index for every parameter"
