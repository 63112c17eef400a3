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
from simulation.style import CLASS_NAMES, key_unit

HEADERS = {  # the tables' columns in words, with units (durations in the row's ``unit``)
    "low_cohesion": "low cohesion",
    "high_cohesion": "high cohesion",
    "saved": "time saved (mean)",
    "saved_low": "time saved, 95% CI from",
    "saved_high": "time saved, 95% CI to",
    "damage_low_cohesion_pct": "damage, low cohesion (%)",
    "damage_high_cohesion_pct": "damage, high cohesion (%)",
    "summary_key": "outcome",
    "low_cohesion_mean": "low cohesion",
    "high_cohesion_mean": "high cohesion",
    "difference": "difference (high minus low)",
    "ci95_low": "95% CI from",
    "ci95_high": "95% CI to",
    "pairs": "seed pairs",
}
DURATIONS = ("low_cohesion", "high_cohesion", "saved", "saved_low", "saved_high")  # in days in the CSVs
EVENT_ROWS = 30  # the most rows the per-event table shows in report.md and LaTeX (the CSV has every event)
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


def event_blocks(events: list[int], rows: int | None) -> list[list[int]]:
    """The events one per row where they fit in ``rows`` (or ``rows`` is None); else the first third of
    the rows one event each, then the rest in equal blocks of successive events."""
    if rows is None or len(events) <= rows:
        return [[event] for event in events]
    first = max(rows // 3, 1)
    size = -(-(len(events) - first) // max(rows - first, 1))  # ceiling: the blocks fit in the rows left
    rest = events[first:]
    return [[event] for event in events[:first]] + [rest[i : i + size] for i in range(0, len(rest), size)]


def per_event(
    sweep_dir: Path, low: pd.DataFrame, high: pd.DataFrame, scenario: str, rows: int | None = None
) -> pd.DataFrame:
    """Per successive event: the damage (functioning lost by those hit, %) and the mean recovery days
    at low and high cohesion, and the days high cohesion saves; only where events recur.

    With ``rows``, at most that many rows: the first events one by one, then blocks of successive
    events (``event`` then reads '6-15'), each seed's mean over its block paired by seed."""
    low_events, high_events = events_of(sweep_dir, low), events_of(sweep_dir, high)
    if low_events.empty or low_events.event.max() < 2:
        return pd.DataFrame()
    table = []
    for block in event_blocks(sorted(set(low_events.event) & set(high_events.event)), rows):
        a, b = (
            e[e.event.isin(block)].groupby("seed")[["damage", "recovery_days"]].mean()
            for e in (low_events, high_events)
        )
        damage = {"damage_low_cohesion_pct": 100 * a.damage.mean(), "damage_high_cohesion_pct": 100 * b.damage.mean()}
        days = saved(*paired(a.reset_index(), b.reset_index(), "recovery_days", ["seed"]))
        name = int(block[0]) if rows is None else (f"{block[0]}" if len(block) == 1 else f"{block[0]}-{block[-1]}")
        table.append({"scenario": scenario, "event": name, **damage, **days})
    return pd.DataFrame(table)


def in_time_units(table: pd.DataFrame, columns=DURATIONS, keys: str | None = None) -> pd.DataFrame:
    """A table whose durations (days) are shown in each row's scenario unit (``style.time_unit``, sized to the
    largest value of the scenario's rows), with that unit in a ``unit`` column; with ``keys``, only the rows
    whose key in that column is a duration, each key sized on its own."""
    present = [c for c in columns if c in table]
    named = table[keys] if keys else pd.Series("days", index=table.index)  # without keys every row is in days
    spans = table[present].astype(float).abs().max(axis=1).groupby([table.scenario, named]).transform("max")
    rows = zip(named, table.scenario, spans, strict=True)
    units = pd.DataFrame([key_unit(k, s or None, span) for k, s, span in rows], columns=["unit", "length"])
    shown = table.copy()
    for column in present:
        shown[column] = shown[column] / units.length.to_numpy()
    shown.insert(min(2, len(shown.columns)), "unit", units.unit.to_numpy())
    return shown


def households_hit(sweep_dir: Path, runs: pd.DataFrame) -> float:
    """Mean households hit per event over these runs' events (NaN where the events do not record it)."""
    counts = []
    for folder in runs.folder:
        path = sweep_dir / folder / "events.parquet"
        if path.exists():
            events = pd.read_parquet(path)
            if "households_hit" in events:
                counts.extend(events.households_hit.tolist())
    return float(np.mean(counts)) if counts else np.nan


def against_expectation(
    sweep_dir: Path, timeseries: pd.DataFrame, low: pd.DataFrame, high: pd.DataFrame, table: pd.DataFrame
) -> str | None:
    """Where high cohesion's events did more damage per household hit than low cohesion's (a per-event
    table of one scenario), a sentence with what the runs record that bears on it; else None.

    It names only what the runs show: the households hit, neighbourhoods transformed, and the
    state (displaced, functioning, prepared) when each event struck; a reason is given only where
    these point one way, else it says the runs cannot tell."""
    high_damage, low_damage = table.damage_high_cohesion_pct.mean(), table.damage_low_cohesion_pct.mean()
    if table.empty or not high_damage > low_damage:
        return None
    worse = int((table.damage_high_cohesion_pct > table.damage_low_cohesion_pct).sum())
    said = [
        f"against expectation, high cohesion's events did more damage per household hit in {worse} of "
        f"{len(table)} events ({high_damage:.1f}% against {low_damage:.1f}% of functioning on average)."
    ]
    hit = households_hit(sweep_dir, high), households_hit(sweep_dir, low)
    if np.isfinite(hit).all():
        said.append(f"The events hit {hit[0]:.0f} households each under high cohesion against {hit[1]:.0f} under low.")
    if "transformed_neighbourhoods" in high:
        said.append(
            f"Neighbourhoods transformed: {high.transformed_neighbourhoods.mean():g} under high cohesion against "
            f"{low.transformed_neighbourhoods.mean():g} under low."
        )
    a, b = struck_state(timeseries, low), struck_state(timeseries, high)
    if not set(STRUCK_STATE) <= a.keys() & b.keys():
        return " ".join([*said, "The runs record nothing more that could say why."])
    said.append(
        f"When an event struck, {100 * b['displaced_share']:.1f}% of households were displaced under high cohesion "
        f"against {100 * a['displaced_share']:.1f}% under low, the affected households' mean functioning was "
        f"{b['functioning']:.3f} against {a['functioning']:.3f}, and {100 * b['prepared_share']:.1f}% against "
        f"{100 * a['prepared_share']:.1f}% were prepared."
    )
    further = b["functioning"] > a["functioning"] and b["displaced_share"] <= a["displaced_share"]
    if further and b["prepared_share"] >= a["prepared_share"]:
        said.append(
            "Damage is the functioning an event takes, so households back home and functioning when struck have "
            "more to lose: the data are consistent with high cohesion's households being further recovered when "
            "the next event struck, not with fewer being prepared; the runs do not record each household's state "
            "at the strike, so they cannot rule out other causes."
        )
    else:
        said.append("These do not point one way: the runs cannot say why.")
    return " ".join(said)


STRUCK_STATE = ("functioning", "displaced_share", "prepared_share")


def struck_state(timeseries: pd.DataFrame, runs: pd.DataFrame) -> dict[str, float]:
    """The state of these runs when each event struck, per seed averaged over its events, then over seeds:
    mean functioning of affected households, and the shares of households displaced and prepared."""
    kept = timeseries.merge(runs[["job", "seed"]], on=["job", "seed"])
    state = []
    for _, run in kept.sort_values("day").groupby(["job", "seed"]):
        struck = np.flatnonzero(np.diff(run.events.to_numpy(), prepend=0) > 0)
        recorded = [c for c in STRUCK_STATE if c in run]
        state.append(run.iloc[np.maximum(struck - 1, 0)][recorded].mean())
    return pd.concat(state, axis=1).mean(axis=1).to_dict() if state else {}
