"""The report's section on the robustness sweep (``+experiment=robustness``): where each headline claim holds.

The sweep runs every condition of ``simulation/conf/robustness/`` (the town's size, calibrated
rates, the main assumptions one at a time) at low and high cohesion, without levers and with
each lever alone. Per condition and claim: cohesion's effect (high minus low cohesion, paired by
seed, runs without levers) on days until home, displacement at four months, resilience loss and
the precariaat's gap; and each lever's household-days gained per EUR 1 M (each run against its
lever-free twin, over seeds and both cohesion levels). Each cell is a mean with a 95% t
interval; a cell whose interval spans 0 is flagged, and so is a mean whose sign is the opposite
of the base condition's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from experiments.aggregate import expected_jobs
from experiments.stats import cohesion_ends, markdown_table, mean_ci, paired, written
from simulation.style import label

GROUP = "robustness"  # the config group the sweep varies
CONDITION = "condition"
BASE = "base"
COHESION_CLAIMS = {
    "days_home_median": "cohesion: days until home (median)",
    "displaced_share_4_months": "cohesion: share displaced at four months",
    "resilience_loss_days": "cohesion: resilience loss (days)",
    "precariaat_gap_days": "cohesion: the precariaat's gap (days)",
}
PER_EURO = "recovery_gained_per_meur"
SPANS_ZERO, FLIPS = "spans 0", "opposite sign to base"


def conditions_of(sweep_dir: Path) -> dict[int, str] | None:
    """The condition of each job of the sweep (by job number), or None unless the sweep varies ``robustness``."""
    names = [
        next((o.split("=", 1)[1] for o in job if o.split("=", 1)[0].lstrip("+") == GROUP), None)
        for job in expected_jobs(sweep_dir)
    ]
    if all(name is None for name in names):
        return None
    return {number: name or BASE for number, name in enumerate(names)}


def claims_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Per condition and claim: mean, 95% interval, pairs or runs, and the flags.

    Args:
        runs: the sweep's runs with a ``condition`` column.
    """
    ok = runs[runs.status == "ok"]
    rows = []
    for condition, group in ok.groupby(CONDITION, sort=False):
        none = group[group.policy == "none"]
        low, high = (none[mask] for mask in cohesion_ends(none))
        for key, claim in COHESION_CLAIMS.items():
            if key in group:
                control, treated = paired(low, high, key, ["seed"])
                rows.append((condition, claim, treated - control))
        for lever in sorted(set(group.policy) - {"none"}):
            gained = pd.to_numeric(group.loc[group.policy == lever, PER_EURO], errors="coerce").to_numpy(dtype=float)
            rows.append((condition, f"{lever}: household-days per EUR 1 M", gained))
    table = pd.DataFrame(
        [
            {"condition": c, "claim": claim, **dict(zip(("mean", "low", "high"), mean_ci(v), strict=True)), "n": n}
            for c, claim, v in rows
            for n in [int(np.count_nonzero(~np.isnan(v)))]
        ]
    )
    base = table[table.condition == BASE].set_index("claim")["mean"]
    base_sign = np.sign(table.claim.map(base).to_numpy(dtype=float))
    table["spans_zero"] = ~((table["low"] > 0) | (table["high"] < 0))
    table["flips"] = (table.condition != BASE) & (np.sign(table["mean"]) * base_sign < 0)
    return table


def cell(row) -> str:
    """``mean [low, high]`` with the flags."""
    if np.isnan(row["mean"]):
        return "-"
    text = (
        f"{written(row['mean'])} [{written(row['low'])}, {written(row['high'])}]"
        if np.isfinite(row["low"])
        else written(row["mean"])
    )
    flags = [flag for flag, on in ((SPANS_ZERO, row["spans_zero"]), (FLIPS, row["flips"])) if on]
    return f"{text} ({'; '.join(flags)})" if flags else text


def holds(table: pd.DataFrame) -> pd.DataFrame:
    """Per claim: the base condition's sign and the conditions where the claim holds (same sign, interval clear of 0) and where not."""
    rows = []
    for claim, group in table.groupby("claim", sort=False):
        clear = group[~group.spans_zero & ~group.flips]
        rows.append(
            {
                "claim": claim,
                "holds in": ", ".join(clear.condition) or "-",
                "does not hold in": ", ".join(group.condition[group.spans_zero | group.flips]) or "-",
            }
        )
    return pd.DataFrame(rows)


def section(runs: pd.DataFrame) -> tuple[list[str], pd.DataFrame]:
    """The report section: each claim under each condition, and where it holds."""
    table = claims_table(runs)
    order = list(dict.fromkeys(table.condition))
    shown = table.assign(value=table.apply(cell, axis=1)).pivot(index="claim", columns="condition", values="value")
    shown = shown.reindex(index=list(dict.fromkeys(table.claim)), columns=order).reset_index()
    shown.columns = [label(column) for column in shown.columns]  # conditions in words: "households 500"
    where = holds(table.assign(condition=table.condition.map(label)))
    lines = [
        "## Robustness of the headline claims",
        "",
        "Each claim under each condition (columns: `base` is the preset's town with every default; the others "
        "change one thing). Cohesion: high minus low cohesion, paired by seed, runs without levers (days, or a share "
        "of households; negative means cohesion lowers it). Levers: household-days gained per EUR 1 M against the "
        "same run without the lever, over seeds and both cohesion levels. Mean and 95% t interval; flagged where "
        f"the interval spans 0 ({SPANS_ZERO}) and where the mean has the opposite sign to base's ({FLIPS}).",
        "",
        markdown_table(shown),
        "",
        "Where each claim holds (same sign as base, interval clear of 0) and where it does not:",
        "",
        markdown_table(where),
        "",
    ]
    return lines, table
