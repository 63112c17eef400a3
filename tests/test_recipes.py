"""The documentation's recipes (README.md and the pages of docs/) run as they are written."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


def documentation() -> list[Path]:
    """README.md and the pages under docs/ (not the generated reports)."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def recipe(name: str) -> str:
    """The python block, in README.md or a page of docs/, that starts with ``# recipe: NAME``."""
    found = [
        code
        for page in documentation()
        for code, label in re.findall(r"```python\n(# recipe: (\S+)\n.*?)```", page.read_text(), flags=re.DOTALL)
        if label == name
    ]
    assert len(found) == 1, f"expected one recipe named {name!r} in README.md and docs/*.md, found {len(found)}"
    return found[0]


def test_the_readme_quickstart_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)  # it saves "my_run" where it runs
    namespace: dict = {}
    exec(recipe("quickstart"), namespace)
    assert (tmp_path / "my_run").exists(), "the quickstart saves its run"
    printed = capsys.readouterr().out.split()
    assert len(printed) == 2, f"the quickstart prints t90 and the resilience loss: {printed}"


def test_every_recipe_name_is_unique():
    names = [
        label for page in documentation() for label in re.findall(r"```python\n# recipe: (\S+)\n", page.read_text())
    ]
    assert sorted(names) == sorted(set(names)), f"a recipe name is used twice: {names}"


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
