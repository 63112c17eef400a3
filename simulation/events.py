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
        step: the step it struck in (steps count from 1; it struck at the start of this step).
        day: day it struck (the start of that step: the hazard is the first phase of a step).
        severity: the event's own severity, before differences between households.
        hit: indices of the households it hit.
        damage: functioning each of them lost.
        recovered_day: for each of them, the first day back at the recovery threshold after it
            (NaN if not yet), as of the last ``EventLog.resolve``.
        t50_day, t90_day: when 50% and 90% of them had been back (None while not yet).
    """

    step: int
    day: float
    severity: float
    hit: np.ndarray
    damage: np.ndarray
    recovered_day: np.ndarray = field(init=False)
    t50_day: float | None = None
    t90_day: float | None = None

    def __post_init__(self) -> None:
        self.recovered_day = np.full(self.hit.size, np.nan)


class EventLog:
    """Every event of a run, and every return of a household to the recovery threshold.

    A household that comes back is back from every event that hit it since it last came back,
    so the log keeps the returns (household, step) and finds each event's recovery days from
    them when asked (``resolve``): a household's recovery from an event is its first return in
    or after the event's step.
    """

    def __init__(self, n_steps: int) -> None:
        self.events: list[Event] = []
        self.key_base = n_steps + 2  # returns are kept sorted by household * key_base + step
        self.return_keys: list[np.ndarray] = []
        self.step_days = 0.0
        self.resolved = True

    def __len__(self) -> int:
        return len(self.events)

    def add(self, step: int, day: float, severity: float, hit: np.ndarray, damage: np.ndarray) -> None:
        """Log an event of ``step`` and ``severity`` that hit households ``hit`` (indices), which lost ``damage``."""
        self.events.append(Event(step=step, day=day, severity=severity, hit=hit, damage=damage))
        self.resolved = False

    def add_returns(self, households: np.ndarray, step: int, dt: float) -> None:
        """The households that came back to the recovery threshold at the end of ``step`` (of ``dt`` days)."""
        if households.size:
            self.return_keys.append(households.astype(np.int64) * self.key_base + step)
            self.step_days = dt
            self.resolved = False

    def resolve(self) -> None:
        """Fill in each event's recovery days, t50 and t90 from the returns logged so far."""
        if self.resolved:
            return
        # Sorted returns, closed by a key above every household's, so that every search lands on one.
        keys = np.sort(np.concatenate([*self.return_keys, [np.iinfo(np.int64).max]]))
        for event in self.events:
            # The first return of each household hit at or after the event's step, if any.
            found = np.searchsorted(keys, event.hit * self.key_base + event.step)
            same = keys[found] // self.key_base == event.hit
            event.recovered_day = np.where(same, (keys[found] % self.key_base) * self.step_days, np.nan)
            back = np.sort(event.recovered_day[same])
            event.t50_day, event.t90_day = (
                float(back[needed - 1]) if back.size >= needed else None
                for needed in (_needed(0.5, event.hit.size), _needed(0.9, event.hit.size))
            )
        self.resolved = True

    def damage_in_step(self, step: int) -> float:
        """Mean damage of the event that struck in ``step`` (NaN if none did)."""
        return float(self.events[-1].damage.mean()) if self.events and self.events[-1].step == step else np.nan

    def recovery_by_class(self, household_class: np.ndarray, n_classes: int, end_day: float) -> np.ndarray:
        """Mean days to recover per class, over every (event, household hit) pair, censored at ``end_day``."""
        self.resolve()
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
        self.resolve()
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


def _needed(share: float, hit: int) -> int:
    """How many of ``hit`` households make ``share`` of them (at least one)."""
    return max(1, int(np.ceil(share * hit - 1e-9)))
