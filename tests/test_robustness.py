"""The robustness section: each headline claim under each condition, flagged where it does not hold."""

from __future__ import annotations

import pandas as pd
import pytest
from omegaconf import OmegaConf

from experiments import robustness


def synthetic_runs() -> pd.DataFrame:
    """Three conditions: cohesion helps in base, hurts in ``flipped`` and is lost in seed noise in ``noisy``."""
    effects = {"base": -10.0, "flipped": 8.0, "noisy": 0.0}
    rows = []
    for condition, effect in effects.items():
        for seed in range(6):
            noise = 5.0 * ((seed % 3) - 1)  # shared by the seed's runs: pairing removes it, except in "noisy"
            extra = 6.0 * (-1) ** seed if condition == "noisy" else 0.0
            for bonding, bridging, treated in ((1, 0, 0.0), (8, 4, 1.0)):
                rows.append(
                    {
                        "status": "ok",
                        "condition": condition,
                        "seed": seed,
                        "policy": "none",
                        "network.bonding_degree": bonding,
                        "network.bridging_degree": bridging,
                        "days_home_median": 100.0 + noise + treated * (effect + extra),
                        "recovery_gained_per_meur": None,
                    }
                )
            rows.append(
                {
                    "status": "ok",
                    "condition": condition,
                    "seed": seed,
                    "policy": "flood_defences",
                    "network.bonding_degree": 1,
                    "network.bridging_degree": 0,
                    "days_home_median": 90.0,
                    "recovery_gained_per_meur": 500.0 + seed,
                }
            )
    return pd.DataFrame(rows)


def test_a_sign_flip_and_an_interval_spanning_zero_are_flagged():
    table = robustness.claims_table(synthetic_runs()).set_index(["condition", "claim"])
    claim = robustness.COHESION_CLAIMS["days_home_median"]
    base, flipped, noisy = (table.loc[(c, claim)] for c in ("base", "flipped", "noisy"))
    assert base["mean"] == pytest.approx(-10.0) and not base.spans_zero and not base.flips, (
        f"expected base's effect -10, clear of 0 and not flagged, got {base.to_dict()}"
    )
    assert flipped["mean"] == pytest.approx(8.0) and flipped.flips, (
        f"expected +8 flagged as a flip, got {flipped.to_dict()}"
    )
    assert noisy.spans_zero, f"expected an effect lost in seed noise flagged as spanning 0, got {noisy.to_dict()}"
    lever = table.loc[("flipped", "flood_defences: household-days per EUR 1 M")]
    assert lever["mean"] == pytest.approx(502.5) and not lever.flips and not lever.spans_zero, (
        f"expected the lever's gain per euro 502.5 in every condition, unflagged, got {lever.to_dict()}"
    )
    lines, _ = robustness.section(synthetic_runs())
    text = "\n".join(lines)
    assert robustness.FLIPS in text and robustness.SPANS_ZERO in text, "expected both flags in the report section"
    where = robustness.holds(robustness.claims_table(synthetic_runs())).set_index("claim").loc[claim]
    assert where["holds in"] == "base" and where["does not hold in"] == "flipped, noisy", (
        f"expected the claim to hold in base only, got {where.to_dict()}"
    )


def test_the_conditions_of_a_sweep_are_read_from_its_jobs(tmp_path):
    OmegaConf.save(
        {
            "hydra": {
                "sweeper": {"params": {"robustness": "base,households_500", "cohesion": "low,high"}},
                "overrides": {"task": ["+experiment=robustness"]},
            }
        },
        tmp_path / "multirun.yaml",
    )
    conditions = robustness.conditions_of(tmp_path)
    assert conditions == {0: "base", 1: "base", 2: "households_500", 3: "households_500"}, (
        f"expected jobs 0-1 in base and 2-3 in households_500 (Hydra's order), got {conditions}"
    )
