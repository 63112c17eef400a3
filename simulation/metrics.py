"""Measurement: per-step indicators (overall and per class) and the per-run summary.

Recording only reads the model; it never changes state.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simulation.state import RECOVERY_CHANNELS

if TYPE_CHECKING:
    from simulation.model import CrisisModel

# Indicators recorded for every class as well as overall: name -> meaning.
PER_CLASS = {
    "functioning": "mean functioning of affected households (1 before anyone is hit)",
    "recovered_share": "share of affected households recovered (NaN before anyone is hit)",
    "stress": "mean stress",
    "trust": "mean trust in government",
    "fear_share": "share in fear of unavailable essentials",
    "restored_aid": "functioning restored by government aid in the step, summed",
}
OVERALL = {
    "functioning_start": "mean functioning of affected households at the start of the step, after the hazard",
    "affected_share": "share of households hit so far",
    "active_initiatives": "number of active citizen initiatives",
    "prepared_share": "share of households prepared (preparedness at least dynamics.prepared_from)",
    "events": "hazard events so far",
    "event_damage": "mean functioning lost by the households an event hit in this step (NaN without one)",
    "collective_protection": "mean over neighbourhoods of the damage share that collective measures avoid",
    **{
        f"restored_{c}": f"functioning restored through channel '{c}' in the step, summed"
        for c in RECOVERY_CHANNELS
        if c != "aid"  # restored_aid is recorded per class too
    },
}


def _ratio(sums: np.ndarray, counts: np.ndarray, empty: float) -> np.ndarray:
    return np.divide(sums, counts, out=np.full(sums.shape, empty), where=counts > 0)


class Recorder:
    """Preallocated arrays, one row per recorded step (row 0 is the state before the first step)."""

    def __init__(self, model: CrisisModel) -> None:
        rows = model.n_steps + 1
        self.class_names = model.households.class_names
        self.class_size = np.bincount(model.households.household_class, minlength=model.n_classes).astype(float)
        self.row = 0
        self.columns: dict[str, np.ndarray] = {"day": np.full(rows, np.nan)}
        for name in PER_CLASS:
            self.columns[name] = np.full(rows, np.nan)
            for class_name in self.class_names:
                self.columns[f"{name}__{class_name}"] = np.full(rows, np.nan)
        for name in (*OVERALL, *model.crisis.indicators(model)):
            self.columns[name] = np.full(rows, np.nan)

    def record_start(self, model: CrisisModel) -> None:
        """Record the mean functioning of affected households right after the hazard of this step."""
        h = model.households
        affected = ~np.isnan(h.shock_day)
        self.columns["functioning_start"][self.row] = h.functioning[affected].mean() if affected.any() else 1.0

    def record(self, model: CrisisModel) -> None:
        """Record the model's state at the end of a step, and what moved in it (``model.flows``; none before the first)."""
        h, d = model.households, model.cfg.dynamics
        flows = model.flows
        gains = flows.gains if flows else None
        classes, k = h.household_class, model.n_classes

        def by_class(values: np.ndarray, of: np.ndarray | None = None) -> np.ndarray:
            return np.bincount(classes if of is None else classes[of], weights=values, minlength=k)

        affected = ~np.isnan(h.shock_day)
        affected_count = by_class(affected)
        aid = by_class(gains["aid"], flows.needy) if gains else np.zeros(k)
        sums_and_counts = {
            "functioning": (by_class(np.where(affected, h.functioning, 0.0)), affected_count, 1.0),
            "recovered_share": (by_class(~np.isnan(h.recovered_day)), affected_count, np.nan),
            "stress": (by_class(h.stress), self.class_size, np.nan),
            "trust": (by_class(h.trust), self.class_size, np.nan),
            "fear_share": (by_class(h.fear >= d.fear_threshold), self.class_size, np.nan),
        }
        values: dict[str, float] = {"day": model.day}
        for name, (sums, counts, empty) in sums_and_counts.items():
            values[name] = float(_ratio(sums.sum(), counts.sum(), empty))
            for class_name, value in zip(self.class_names, _ratio(sums, counts, empty), strict=True):
                values[f"{name}__{class_name}"] = value
        values["restored_aid"] = aid.sum()
        for class_name, value in zip(self.class_names, aid, strict=True):
            values[f"restored_aid__{class_name}"] = value
        values["affected_share"] = affected_count.sum() / h.n
        values["active_initiatives"] = len(model.initiatives)
        values["prepared_share"] = np.count_nonzero(h.preparedness >= d.prepared_from) / h.n
        values["events"] = len(model.event_log)
        values["event_damage"] = model.event_log.damage_in_step(model.steps) if gains else np.nan
        values["collective_protection"] = float(model.collective_protection.mean())
        for name in OVERALL:
            if name.startswith("restored_"):
                values[name] = float(gains[name.removeprefix("restored_")].sum()) if gains else 0.0
        values.update(model.crisis.indicators(model))
        for name, value in values.items():
            self.columns[name][self.row] = value
        self.row += 1

    def frame(self) -> pd.DataFrame:
        """The recorded rows as a DataFrame with a ``day`` column."""
        return pd.DataFrame({name: column[: self.row] for name, column in self.columns.items()})


# ---- summary ----------------------------------------------------------------------------------


def _or_none(value: float) -> float | None:
    """A float, or None for a quantity that did not happen (NaN)."""
    return None if value is None or not math.isfinite(value) else float(value)


def _elapsed(day: float | None, start: float) -> float | None:
    """Days from ``start`` to ``day`` (None if ``day`` never came)."""
    return None if day is None else float(day - start)


def precariaat_gap(
    log, household_class: np.ndarray, class_names: tuple[str, ...], end_day: float
) -> tuple[float | None, float | None]:
    """Mean recovery days of the precariaat against those of everyone else: their ratio and their difference.

    The two can move in opposite directions (a change that saves the precariaat more days than the
    rest can still raise the ratio). Both are None unless households of both groups were hit.
    """
    if "precariaat" not in class_names:
        return None, None
    is_precariaat = (household_class == class_names.index("precariaat")).astype(np.int64)
    poor, rest = log.recovery_by_class(is_precariaat, 2, end_day)[::-1]
    if not (np.isfinite(poor) and np.isfinite(rest)):
        return None, None
    return (_or_none(poor / rest) if rest > 0 else None), float(poor - rest)


def resilience_loss(timeseries: pd.DataFrame) -> float:
    """Integral of 1 - Q over the run in days (Bruneau et al. 2003).

    Within each step Q goes from its value right after the hazard (``functioning_start``) to
    its value at the end (``functioning``); the integral takes the trapezoid between the two,
    so a shock at the start of a step counts in full.
    """
    days = timeseries["day"].to_numpy()
    start = timeseries["functioning_start"].to_numpy()[1:]
    end = timeseries["functioning"].to_numpy()[1:]
    return float(np.sum(np.diff(days) * ((1.0 - start) + (1.0 - end)) / 2.0))


def summarize(model: CrisisModel, timeseries: pd.DataFrame) -> dict[str, float | int | None]:
    """The per-run summary (README, "Outputs"); None where a quantity did not happen."""
    h, d = model.households, model.cfg.dynamics
    affected = ~np.isnan(h.shock_day)
    events = model.event_log.events
    first, last = (events[0], events[-1]) if events else (None, None)
    recovered_share = timeseries["recovered_share"].to_numpy()
    fear_share = timeseries["fear_share"].to_numpy()

    summary: dict[str, float | int | None] = {
        # t50 and t90 belong to the first event: days until 50% / 90% of the households it hit recovered.
        "t50_days": _elapsed(first.t50_day, first.day) if first else None,
        "t90_days": _elapsed(first.t90_day, first.day) if first else None,
        "t90_days_last_event": _elapsed(last.t90_day, last.day) if last else None,
        "resilience_loss_days": resilience_loss(timeseries),
        "unrecovered_share": _or_none(1.0 - recovered_share[-1]) if affected.any() else None,
        "peak_disruption_share": float(np.nanmax(fear_share)),
        "disruption_days": float(model.dt * np.count_nonzero(fear_share[1:] > d.disruption_threshold)),
        "affected_share": float(affected.mean()),
    }
    # Recovery per class over every event and household it hit (censored at the end of the run).
    by_class = model.event_log.recovery_by_class(h.household_class, model.n_classes, model.day)
    for class_name, days in zip(h.class_names, by_class, strict=True):
        summary[f"mean_recovery_days__{class_name}"] = _or_none(days)
    summary["precariaat_gap"], summary["precariaat_gap_days"] = precariaat_gap(
        model.event_log, h.household_class, h.class_names, model.day
    )
    summary["events"] = len(events)
    summary["damage_first_event"] = float(first.damage.mean()) if first else None
    summary["damage_last_event"] = float(last.damage.mean()) if last else None
    summary["prepared_share_end"] = float((h.preparedness >= d.prepared_from).mean())
    summary["initiatives_formed"] = model.initiatives_formed
    summary["days_to_first_initiative"] = _elapsed(model.first_initiative_day, first.day) if first else None
    restored_total = sum(float(getattr(h, f"gain_{c}").sum()) for c in RECOVERY_CHANNELS)
    for channel in RECOVERY_CHANNELS:
        summary[f"restored_share__{channel}"] = (
            float(getattr(h, f"gain_{channel}").sum()) / restored_total if restored_total > 0 else None
        )
    summary.update(model.crisis.summary(model))
    return summary
