"""The report's tables for a paper: days saved per class, and damage and recovery per successive event.

Both compare the sweep's high with its low cohesion, paired by seed (runs with the same seed
share their population and hazard draws, so event k of one is event k of the other): per seed
the low-cohesion value minus the high-cohesion one, then the mean over seeds with a 95% t
interval (``stats.mean_ci``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from experiments.stats import mean_ci, paired
from simulation.style import CLASS_NAMES

HEADERS = {  # the tables' columns in words, with units
    "low_cohesion": "low cohesion (days)",
    "high_cohesion": "high cohesion (days)",
    "saved": "days saved (mean)",
    "saved_low": "days saved, 95% CI from",
    "saved_high": "days saved, 95% CI to",
    "damage_low_cohesion_pct": "damage, low cohesion (%)",
    "damage_high_cohesion_pct": "damage, high cohesion (%)",
}
CLASS_DAYS = "mean_recovery_days__"  # the summary's recovery days per class (every event, censored at the end)
INTERVAL_NOTE = (
    "Low minus high cohesion per seed (runs with the same seed share households and hazards), then the mean "
    "over seeds with a 95% confidence interval from the t distribution (n - 1 degrees of freedom, n = seed pairs)."
)


def saved(low: np.ndarray, high: np.ndarray) -> dict[str, float]:
    """Means of both settings over the complete pairs, and what high saves against low, with its interval."""
    both = ~np.isnan(low) & ~np.isnan(high)
    mean, lower, upper = mean_ci(low[both] - high[both])
    return {
        "low_cohesion": low[both].mean() if both.any() else np.nan,
        "high_cohesion": high[both].mean() if both.any() else np.nan,
        "saved": mean,
        "saved_low": lower,
        "saved_high": upper,
        "pairs": int(both.sum()),
    }


def class_days_saved(low: pd.DataFrame, high: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """Mean recovery days per class at low and high cohesion, and the days high cohesion saves."""
    rows = []
    for key in (c for c in low.columns if c.startswith(CLASS_DAYS)):
        name = key[len(CLASS_DAYS) :]
        rows.append(
            {
                "scenario": scenario,
                "class": CLASS_NAMES["en"].get(name, name),
                **saved(*paired(low, high, key, ["seed"])),
            }
        )
    return pd.DataFrame(rows)


def events_of(sweep_dir: Path, runs: pd.DataFrame) -> pd.DataFrame:
    """The events of these runs (each run's events.parquet), with the run's seed."""
    frames = []
    for seed, folder in zip(runs.seed, runs.folder, strict=True):
        path = sweep_dir / folder / "events.parquet"
        if path.exists():
            frames.append(pd.read_parquet(path, columns=["event", "damage", "recovery_days"]).assign(seed=seed))
    return (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["event", "damage", "recovery_days", "seed"])
    )


def per_event(sweep_dir: Path, low: pd.DataFrame, high: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """Per successive event: the damage (functioning lost by those hit, %) and the mean recovery days
    at low and high cohesion, and the days high cohesion saves; only where events recur."""
    low_events, high_events = events_of(sweep_dir, low), events_of(sweep_dir, high)
    if low_events.empty or low_events.event.max() < 2:
        return pd.DataFrame()
    rows = []
    for event in sorted(set(low_events.event) & set(high_events.event)):
        a, b = (e[e.event == event].set_index("seed") for e in (low_events, high_events))
        damage = {"damage_low_cohesion_pct": 100 * a.damage.mean(), "damage_high_cohesion_pct": 100 * b.damage.mean()}
        days = saved(*paired(a.reset_index(), b.reset_index(), "recovery_days", ["seed"]))
        rows.append({"scenario": scenario, "event": int(event), **damage, **days})
    return pd.DataFrame(rows)
