"""The log of hazard events: who each hit, how hard, and how fast they recovered from it.

Measurement only: the log reads the household state, it never changes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class Event:
    """One hazard event.

    Attributes:
        step: the step it struck in.
        day: day it struck (the start of that step: the hazard is the first phase of a step).
        severity: the event's own severity, before differences between households.
        hit: indices of the households it hit.
        damage: functioning each of them lost.
        recovered_day: for each of them, the first day back at the recovery threshold (NaN if not yet).
        t50_day, t90_day: when 50% and 90% of them had been back (None while not yet).
    """

    step: int
    day: float
    severity: float
    hit: np.ndarray
    damage: np.ndarray
    recovered_day: np.ndarray = field(init=False)
    pending: np.ndarray = field(init=False)  # positions (in ``hit``) of those not yet back
    t50_day: float | None = None
    t90_day: float | None = None

    def __post_init__(self) -> None:
        self.recovered_day = np.full(self.hit.size, np.nan)
        self.pending = np.arange(self.hit.size)


class EventLog:
    """Every event of a run, with per-event recovery."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def __len__(self) -> int:
        return len(self.events)

    def add(self, step: int, day: float, severity: float, hit: np.ndarray, damage: np.ndarray) -> None:
        """Log an event of ``step`` and ``severity`` that hit households ``hit`` (indices), which lost ``damage``."""
        self.events.append(Event(step=step, day=day, severity=severity, hit=hit, damage=damage))

    def update(self, functioning: np.ndarray, threshold: float, day: float) -> None:
        """At the end of a step: mark who is back at the threshold; note when 50% and 90% were."""
        for event in self.events:
            if event.pending.size == 0:
                continue
            back = functioning[event.hit[event.pending]] >= threshold
            event.recovered_day[event.pending[back]] = day
            event.pending = event.pending[~back]
            share = 1.0 - event.pending.size / event.hit.size
            if event.t50_day is None and share >= 0.5:
                event.t50_day = day
            if event.t90_day is None and share >= 0.9:
                event.t90_day = day

    def damage_in_step(self, step: int) -> float:
        """Mean damage of the event that struck in ``step`` (NaN if none did)."""
        return float(self.events[-1].damage.mean()) if self.events and self.events[-1].step == step else np.nan

    def recovery_by_class(self, household_class: np.ndarray, n_classes: int, end_day: float) -> np.ndarray:
        """Mean days to recover per class, over every (event, household hit) pair, censored at ``end_day``."""
        sums, counts = np.zeros(n_classes), np.zeros(n_classes)
        for event in self.events:
            recovery = np.where(np.isnan(event.recovered_day), end_day, event.recovered_day) - event.day
            sums += np.bincount(household_class[event.hit], weights=recovery, minlength=n_classes)
            counts += np.bincount(household_class[event.hit], minlength=n_classes)
        return np.divide(sums, counts, out=np.full(n_classes, np.nan), where=counts > 0)

    def frame(self, household_class: np.ndarray, class_names: tuple[str, ...], end_day: float) -> pd.DataFrame:
        """One row per event: day, severity, households hit, damage and recovery days (overall, per class), t50, t90.

        ``t50_days`` and ``t90_days`` count from the event until 50% / 90% of the households it hit
        had been back at the recovery threshold (NaN if that did not happen within the run).
        ``recovery_days`` is their mean time to get back, censored at ``end_day``.
        """
        k = len(class_names)

        def per_class(classes: np.ndarray, values: np.ndarray) -> np.ndarray:
            counts = np.bincount(classes, minlength=k)
            sums = np.bincount(classes, weights=values, minlength=k)
            return np.divide(sums, counts, out=np.full(k, np.nan), where=counts > 0)

        rows = []
        for number, event in enumerate(self.events, start=1):
            classes = household_class[event.hit]
            recovery = np.where(np.isnan(event.recovered_day), end_day, event.recovered_day) - event.day
            row = {
                "event": number,
                "day": event.day,
                "severity": event.severity,
                "households_hit": event.hit.size,
                "damage": float(event.damage.mean()),
                "recovery_days": float(recovery.mean()),
                "t50_days": np.nan if event.t50_day is None else event.t50_day - event.day,
                "t90_days": np.nan if event.t90_day is None else event.t90_day - event.day,
            }
            for kind, values in (("damage", event.damage), ("recovery_days", recovery)):
                row.update(zip([f"{kind}__{n}" for n in class_names], per_class(classes, values), strict=True))
            rows.append(row)
        columns = ["event", "day", "severity", "households_hit", "damage", "recovery_days", "t50_days", "t90_days"]
        columns += [f"{kind}__{n}" for kind in ("damage", "recovery_days") for n in class_names]
        return pd.DataFrame(rows, columns=columns)
