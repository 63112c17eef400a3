"""The report's section on a sweep run with and without calibration (the ``calibrated_flood`` experiment).

Runs with ``calibration.posterior`` set draw their calibrated rates from the posterior, the seed
picking the draw; runs without it use the defaults. Within each group, effects are paired by
seed (and by the other swept settings), so the intervals of the calibrated group carry both the
seed noise and the parameter uncertainty that the calibration left. The section gives, per
group, the effect of high versus low cohesion and of each lever against no lever on time home,
on the precariaat's gap (days and ratio) and on resilience loss, with 95% t intervals.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from experiments.aggregate import POSTERIOR
from experiments.stats import BONDING, BRIDGING, cohesion_ends, markdown_table, mean_ci, paired, with_interval
from simulation.calibration import posterior_path, read_posterior

OUTCOMES = {
    "days_home_median": "time home (median days)",
    "precariaat_gap_days": "precariaat gap (days)",
    "precariaat_gap": "precariaat gap (ratio)",
    "resilience_loss_days": "resilience loss (days)",
}


def is_calibration_sweep(runs: pd.DataFrame) -> bool:
    """Whether the sweep ran with and without a posterior."""
    return POSTERIOR in runs and runs[POSTERIOR].isna().any() and runs[POSTERIOR].notna().any()


def drawn_keys(runs: pd.DataFrame) -> set[str]:
    """The config keys the runs drew from a posterior (they vary by seed, not by design)."""
    if POSTERIOR not in runs:
        return set()
    paths = runs[POSTERIOR].dropna().unique()
    return {key for path in paths for key in read_posterior(posterior_path(path)).columns if key != "weight"}


def paired_effects(group: pd.DataFrame, treated: pd.Series, control: pd.Series, pair_on: list[str]) -> dict:
    """Per outcome: mean and 95% interval of treated minus control, paired on ``pair_on``."""
    effects = {}
    for key in OUTCOMES:
        if key not in group:
            continue
        a, b = paired(group[control], group[treated], key, pair_on)
        diff = b - a
        effects[key] = (*mean_ci(diff), int(np.count_nonzero(~np.isnan(diff))))
    return effects


def effects(runs: pd.DataFrame) -> pd.DataFrame:
    """Rows: effect (cohesion, each lever), outcome, calibration group; mean, 95% interval, pairs."""
    ok = runs[runs.status == "ok"]
    rows = []
    for posterior, group in ok.groupby(ok[POSTERIOR].fillna(""), sort=True):
        label = f"calibrated: posterior draws ({Path(posterior).stem})" if posterior else "defaults"
        comparisons = []
        if BONDING in group and BRIDGING in group:
            low, high = cohesion_ends(group)
            comparisons.append(("high vs low cohesion", high, low, ["seed", "policy"]))
        cohesion = [c for c in (BONDING, BRIDGING) if c in group]
        for lever in sorted(set(group.policy) - {"none"}):
            comparisons.append((f"{lever} vs none", group.policy == lever, group.policy == "none", ["seed", *cohesion]))
        for name, treated, control, pair_on in comparisons:
            for key, (mean, low_ci, high_ci, pairs) in paired_effects(group, treated, control, pair_on).items():
                rows.append(
                    {
                        "effect": name,
                        "outcome": key,
                        "group": label,
                        "mean": mean,
                        "mean_low": low_ci,
                        "mean_high": high_ci,
                        "pairs": pairs,
                    }
                )
    return pd.DataFrame(rows)


def section(runs: pd.DataFrame) -> tuple[list[str], pd.DataFrame]:
    """The report section: effects with and without calibration, side by side."""
    table = effects(runs)
    shown = table.assign(
        value=with_interval(table, "mean"),
        outcome=table.outcome.map(OUTCOMES),
    ).pivot_table(index=["effect", "outcome"], columns="group", values="value", aggfunc="first", sort=False)
    lines = [
        "## Calibrated against the defaults",
        "",
        "Effects (treated minus control, paired by seed and the other swept settings; mean and 95% t interval "
        "over the pairs). The calibrated runs draw their rates from the posterior, the seed picking the draw, so "
        "their intervals carry the parameter uncertainty along with the seed noise.",
        "",
        markdown_table(shown.reset_index()),
        "",
    ]
    return lines, table
