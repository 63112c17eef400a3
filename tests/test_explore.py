"""veerkracht-explore: the Latin hypercube, PRIM on a known box, and a tiny end-to-end run."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from experiments.explore import (
    UNCERTAINTIES,
    choose_box,
    discover,
    ema_available,
    explore,
    latin_hypercube,
    prim_peel,
)


def test_latin_hypercube_one_sample_per_stratum():
    n = 40
    design = latin_hypercube(UNCERTAINTIES, n, seed=3)
    assert list(design.columns) == list(UNCERTAINTIES), "one column per uncertain input, in order"
    assert len(design) == n, f"expected {n} samples, got {len(design)}"
    for name, (low, high) in UNCERTAINTIES.items():
        values = design[name].to_numpy()
        assert ((values >= low) & (values <= high)).all(), f"{name}: a sample lies outside [{low}, {high}]"
        strata = np.floor((values - low) / (high - low) * n).clip(0, n - 1).astype(int)
        assert sorted(strata) == list(range(n)), f"{name}: not one sample in each of the {n} strata"
    again = latin_hypercube(UNCERTAINTIES, n, seed=3)
    assert again.equals(design), "the same seed gives the same design"


def known_box(seed: int = 1, n: int = 1000) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.uniform(size=(n, 4)), columns=["x1", "x2", "x3", "x4"])
    return x, ((x.x1 > 0.7) & (x.x2 < 0.3)).to_numpy()


@pytest.mark.parametrize("backend", ["peel", pytest.param("ema", marks=pytest.mark.slow)])
def test_prim_recovers_a_known_box(backend):
    if backend == "ema" and not ema_available():
        pytest.skip("ema_workbench is not installed (the ema extra)")
    x, y = known_box()
    trajectory, _ = discover(x, y, backend)
    box = trajectory[choose_box(trajectory)]
    (x1_low, _), (_, x2_high) = box["limits"]["x1"], box["limits"]["x2"]
    assert abs(x1_low - 0.7) < 0.05, f"{backend}: x1's lower limit {x1_low:.3f}, expected about 0.7"
    assert abs(x2_high - 0.3) < 0.05, f"{backend}: x2's upper limit {x2_high:.3f}, expected about 0.3"
    for name in ("x3", "x4"):
        low, high = box["limits"][name]
        assert low < 0.05 and high > 0.95, f"{backend}: {name} should be unrestricted, box has [{low:.3f}, {high:.3f}]"
    assert box["density"] > 0.9, f"{backend}: density {box['density']:.2f}, expected > 0.9"
    assert box["coverage"] > 0.8, f"{backend}: coverage {box['coverage']:.2f}, expected > 0.8"


def test_prim_peel_trajectory_shrinks_and_keeps_mass_min():
    x, y = known_box(seed=2, n=400)
    trajectory = prim_peel(x, y, alpha=0.05, mass_min=0.05)
    masses = [b["mass"] for b in trajectory]
    assert masses[0] == 1.0, "the trajectory starts from the whole sample"
    assert all(a > b for a, b in itertools.pairwise(masses)), "every peel removes samples"
    assert masses[-1] >= 0.05, f"the last box holds {masses[-1]:.3f} of the samples, below mass_min 0.05"


@pytest.mark.slow  # about 10 s: eight model runs and (with ema) ema_workbench's import
def test_explore_writes_the_four_outputs(tmp_path):
    result = explore(tmp_path, scenario="leak", samples=8, seeds=1, households=150, progress=False)
    for name in ("samples.csv", "prim_box.csv", "prim_trajectory.png", "explore.md"):
        assert (tmp_path / name).is_file(), f"{name} was not written"
    runs = pd.read_csv(tmp_path / "samples.csv")
    assert len(runs) == 8, f"samples.csv has {len(runs)} runs, expected 8 samples x 1 seed"
    assert set(UNCERTAINTIES) <= set(runs.columns), "samples.csv lacks an input column"
    box = pd.read_csv(tmp_path / "prim_box.csv")
    assert list(box.input.sort_values()) == sorted(UNCERTAINTIES), "prim_box.csv has one row per input"
    text = (tmp_path / "explore.md").read_text()
    assert "WARNING" in text, "explore.md warns about a design of fewer than 50 samples"
    assert result["box"] is None or "coverage" in text, "explore.md states the box's coverage"
