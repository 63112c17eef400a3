"""Measurement: per-step indicators (overall and per class) and the per-run summary.

Recording only reads the model; it never changes state.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from scenarios.base import Scenario
from simulation.policy import GAIN_KEYS
from simulation.provisions import AT_HOME, lacks_provision, without_water
from simulation.relations import polarisation
from simulation.state import MONEY_SOURCES, RECOVERY_CHANNELS, SHELTERS

if TYPE_CHECKING:
    from simulation.model import CrisisModel

# Indicators recorded for every class as well as overall: name -> meaning.
PER_CLASS = {
    "functioning": "mean functioning of affected households (1 before anyone is hit)",
    "recovered_share": "share of affected households recovered (NaN before anyone is hit)",
    "stress": "mean stress",
    "trust": "mean trust in government",
    "fear_share": "share in fear of unavailable essentials",
    "displaced_share": "share not living in their own home",
    "restored_aid": "harm taken away by government aid in the step, summed",
}
OVERALL = {
    "functioning_start": "mean functioning of affected households at the start of the step, after the hazard",
    "affected_share": "share of households hit so far",
    "provision_lost_share": "share of households lacking at least one essential provision (tap water, a home, care)",
    "without_water_share": "share of households whose tap is off",
    **{f"displaced_{kind}_share": f"share of households displaced and staying: {kind}" for kind in SHELTERS.values()},
    "strain": "mean strain of helpers and hosts",
    "polarisation": "affective polarisation: twice the sd of attitudes towards other groups",
    "government_dominance": "the government's stance, above (+1, directive) to below (-1, receptive)",
    "government_affiliation": "the government's stance, against (-1, defensive) to together (+1, cooperative)",
    "active_initiatives": "number of active citizen initiatives",
    "prepared_share": "share of households prepared (preparedness at least dynamics.prepared_from)",
    "events": "hazard events so far",
    "event_damage": "mean functioning lost by the households an event hit in this step (NaN without one)",
    "collective_protection": "mean over neighbourhoods of the damage share that collective measures avoid",
    "claims_filed": "insurance claims filed so far",
    "claims_settled": "insurance claims settled so far",
    "scheme_filed": "applications to the compensation scheme filed so far",
    "scheme_decided": "applications the compensation scheme decided so far",
    "scheme_paid": "applications the compensation scheme paid so far",
    **{f"money_{source}_eur": f"euros paid towards repairs so far by: {source}" for source in MONEY_SOURCES},
    "lodging_eur": "euros emergency lodging cost so far (paid by insurers for the insured, by aid as far as it serves the others, from savings by the rest as far as these go)",
    "aid_eur": "euros government aid paid so far: emergency grants, and emergency lodging of the uninsured it served",
    "temporary_homes_eur": "euros the government paid for temporary homes so far",
    **{
        f"restored_{c}": f"harm taken away through channel '{c}' in the step, summed"
        for c in RECOVERY_CHANNELS
        if c != "aid"  # restored_aid is recorded per class too
    },
}
# Running totals over steps: indicator -> what of the step's flows adds to it.
CUMULATIVE = {
    "claims_filed": lambda flows: flows.claims_filed,
    "claims_settled": lambda flows: flows.claims_settled,
    "scheme_filed": lambda flows: flows.scheme_filed,
    "scheme_decided": lambda flows: flows.scheme_decided,
    "scheme_paid": lambda flows: flows.scheme_paid,
    **{f"money_{s}_eur": (lambda flows, s=s: getattr(flows.money, s)) for s in MONEY_SOURCES},
    "lodging_eur": lambda flows: flows.money.lodging,
    "aid_eur": lambda flows: flows.money.aid,
    "temporary_homes_eur": lambda flows: flows.money.temporary_homes,
}


RATIOS = ("functioning", "recovered_share", "stress", "trust", "fear_share", "displaced_share")  # of PER_CLASS
EMPTY_RATIO = (1.0, np.nan, np.nan, np.nan, np.nan, np.nan)  # each ratio's value for an empty class


def _ratio(sums: np.ndarray, counts: np.ndarray, empty: np.ndarray) -> np.ndarray:
    return np.divide(sums, counts, out=np.broadcast_to(empty, sums.shape).copy(), where=counts > 0)


class Recorder:
    """Preallocated arrays, one row per recorded step (row 0 is the state before the first step).

    Attributes:
        columns: every column by name; ``NAME__<class>`` columns are views on ``per_class[NAME]``.
        per_class: for each indicator of ``PER_CLASS``, an array of rows x classes.
        row: the number of rows recorded.
        functioning_lost: per class, the household-days of functioning lost so far (the
            integral of 1 - functioning over all the class's households, hit or not: helpers and
            hosts lose functioning to strain; trapezoid within each step).
    """

    def __init__(self, model: CrisisModel) -> None:
        rows, k = model.n_steps + 1, model.n_classes
        self.class_names = model.households.class_names
        self.class_size = np.bincount(model.households.household_class, minlength=k).astype(float)
        self.row = 0
        self.functioning_lost = np.zeros(k)
        self._lost_at_start = np.zeros(k)
        self.empty_ratio = np.repeat(np.array(EMPTY_RATIO)[:, None], k, axis=1)
        self.columns: dict[str, np.ndarray] = {"day": np.full(rows, np.nan)}
        self.per_class: dict[str, np.ndarray] = {}
        for name in PER_CLASS:
            self.columns[name] = np.full(rows, np.nan)
            self.per_class[name] = np.full((rows, k), np.nan)
            for index, class_name in enumerate(self.class_names):
                self.columns[f"{name}__{class_name}"] = self.per_class[name][:, index]
        for name in (*OVERALL, *model.crisis.indicators(model)):
            self.columns[name] = np.full(rows, np.nan)

    def record_start(self, model: CrisisModel) -> None:
        """Record the mean functioning of affected households right after the hazard of this step."""
        affected, h = model.affected, model.households
        self.columns["functioning_start"][self.row] = h.functioning[affected].mean() if affected.size else 1.0
        self._lost_at_start = self.class_size - np.bincount(h.household_class, h.functioning, self.class_size.size)

    def record(self, model: CrisisModel) -> None:
        """Record the model's state at the end of a step, and what moved in it (``model.flows``; none before the first)."""
        h, d = model.households, model.cfg.dynamics
        flows, row, n = model.flows, self.row, h.n
        gains = flows.gains if flows else None
        classes, k = h.household_class, model.n_classes

        def count_by_class(rows: np.ndarray) -> np.ndarray:
            return np.bincount(classes[rows], minlength=k).astype(float)

        affected = model.affected
        affected_count = count_by_class(affected)
        aid = np.bincount(classes[flows.needy], weights=gains["aid"], minlength=k) if gains else np.zeros(k)
        # The ratios of PER_CLASS (restored_aid, a sum, apart), all at once: sums over counts by class.
        sums = np.vstack(
            (
                np.bincount(classes[affected], h.functioning[affected], k),
                count_by_class(np.flatnonzero(~np.isnan(h.recovered_day))),
                np.bincount(classes, h.stress, k),
                np.bincount(classes, h.trust, k),
                count_by_class(np.flatnonzero(h.fear >= d.fear_threshold)),
                count_by_class(np.flatnonzero(h.displaced != AT_HOME)),
            )
        )
        counts = np.vstack((affected_count, affected_count, *[self.class_size] * 4))
        by_class = _ratio(sums, counts, self.empty_ratio)
        if row > 0:
            lost_at_end = self.class_size - np.bincount(classes, h.functioning, k)
            self.functioning_lost += model.dt * (self._lost_at_start + lost_at_end) / 2.0
        overall = _ratio(sums.sum(axis=1), counts.sum(axis=1), self.empty_ratio[:, 0])
        columns = self.columns
        columns["day"][row] = model.day
        for index, name in enumerate(RATIOS):
            columns[name][row] = overall[index]
            self.per_class[name][row] = by_class[index]
        columns["restored_aid"][row] = aid.sum()
        self.per_class["restored_aid"][row] = aid
        columns["affected_share"][row] = affected.size / n
        at_stake = model.at_stake  # every household lacking a provision is among them
        columns["provision_lost_share"][row] = np.count_nonzero(lacks_provision(h, model.day, at_stake)) / n
        columns["without_water_share"][row] = np.count_nonzero(without_water(h, model.day, at_stake)) / n
        shelters = np.bincount(h.displaced, minlength=len(SHELTERS) + 1) / n
        for code, kind in SHELTERS.items():
            columns[f"displaced_{kind}_share"][row] = shelters[code]
        columns["strain"][row] = h.strain.mean()
        columns["polarisation"][row] = polarisation(h.attitude)
        columns["government_dominance"][row] = model.government.dominance
        columns["government_affiliation"][row] = model.government.affiliation
        columns["active_initiatives"][row] = len(model.initiatives)
        columns["prepared_share"][row] = np.count_nonzero(h.preparedness >= d.prepared_from) / n
        columns["events"][row] = len(model.event_log)
        columns["event_damage"][row] = model.event_log.damage_in_step(model.steps) if gains else np.nan
        columns["collective_protection"][row] = model.initiatives.protection.mean()
        for name, added in CUMULATIVE.items():
            columns[name][row] = (columns[name][row - 1] + added(flows)) if flows else 0.0
        for channel in RECOVERY_CHANNELS:
            if channel != "aid":
                columns[f"restored_{channel}"][row] = float(gains[channel].sum()) if gains else 0.0
        for name, value in model.crisis.indicators(model).items():
            columns[name][row] = value
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
    model.event_log.resolve()
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
    summary["initiatives_formed"] = model.initiatives.formed
    summary["days_to_first_initiative"] = _elapsed(model.initiatives.first_day, first.day) if first else None
    # math.fsum, not sum: Python 3.12 changed how sum() adds floats, and results must not depend on the Python
    restored_total = math.fsum(float(getattr(h, f"gain_{c}").sum()) for c in RECOVERY_CHANNELS)
    for channel in RECOVERY_CHANNELS:
        summary[f"restored_share__{channel}"] = (
            float(getattr(h, f"gain_{channel}").sum()) / restored_total if restored_total > 0 else None
        )
    summary.update(displacement_summary(model, timeseries))
    summary.update(model.crisis.summary(model))
    summary.update(left_behind(model))
    summary.update(functioning_loss(model))
    summary.update(relations_summary(model, timeseries))
    summary.update(dict.fromkeys(GAIN_KEYS))  # CrisisModel.run fills them in when levers are on
    return summary


def functioning_loss(model: CrisisModel) -> dict[str, float | None]:
    """Days of functioning lost per household, over all households and by class.

    Unlike ``resilience_loss_days`` (per affected household) this counts everyone, so that a
    lever that spares households from being hit at all shows its gain.
    """
    lost, size = model.recorder.functioning_lost, model.recorder.class_size
    keys: dict[str, float | None] = {"functioning_loss_days": float(lost.sum() / size.sum())}
    for name, class_lost, class_size in zip(model.households.class_names, lost, size, strict=True):
        keys[f"functioning_loss_days__{name}"] = float(class_lost / class_size) if class_size > 0 else None
    return keys


class LeftBehind(NamedTuple):
    """Per household, the two ways of being left behind at the horizon (disjoint boolean arrays).

    Attributes:
        unable_to_follow: its neighbourhood transformed and it could not follow (``transformation == 2``).
        unrecovered: hit, not recovered from its current spell (``shock_day`` set, ``recovered_day``
            NaN), and its neighbourhood did not transform (``transformation == 0``): it stayed, exposed
            and unrecovered. A household that could not follow counts under ``unable_to_follow`` only,
            recovered or not; one that followed is in neither.
    """

    unable_to_follow: np.ndarray
    unrecovered: np.ndarray

    @property
    def either(self) -> np.ndarray:
        """Left behind in either way."""
        return self.unable_to_follow | self.unrecovered


def left_behind_households(h) -> LeftBehind:
    """Per household: unable to follow a transformation, or hit and unrecovered where nothing transformed.

    ``h`` is the household state or its frame (``Results.households``): anything with the fields
    ``transformation``, ``shock_day`` and ``recovered_day``. The summary's left-behind keys and the
    figures count these arrays.
    """
    transformation = np.asarray(h.transformation)
    hit = ~np.isnan(np.asarray(h.shock_day, dtype=float))
    unrecovered = hit & np.isnan(np.asarray(h.recovered_day, dtype=float))
    return LeftBehind(unable_to_follow=transformation == 2, unrecovered=unrecovered & (transformation == 0))


def can_transform(scenario: Scenario) -> bool:
    """Whether the scenario has collective change at all: it overrides ``Scenario.transform``."""
    return type(scenario).transform is not Scenario.transform


def left_behind(model: CrisisModel) -> dict[str, float | None]:
    """Who is left behind at the horizon, overall and by class (``__<class>``: among the class's households).

    Two disjoint parts, each a share of all households (``LeftBehind``):

    - ``unable_to_follow_share``: in a transformed neighbourhood and unable to follow. 0 in a
      scenario that can transform where nothing did; null in a scenario without transformation
      (the leak, flooding), where there was nothing to follow.
    - ``left_unrecovered_share``: hit, not recovered, and in a neighbourhood that did not transform;
      null if nobody was hit. (Not ``unrecovered_share``, which is of the affected households only.)

    ``left_behind_share`` is their sum, a null part counting as 0 (null only if both are).
    ``left_behind_share_transformed``: of the households of transformed neighbourhoods, those that
    could not follow; null if none transformed. A class without households is null throughout.
    """
    h = model.households
    parts = left_behind_households(h)
    transforms, hit = can_transform(model.crisis), bool((~np.isnan(h.shock_day)).any())
    groups = {"": np.ones(h.n, dtype=bool)}
    groups |= {f"__{name}": h.household_class == index for index, name in enumerate(h.class_names)}
    unable = {
        suffix: float(parts.unable_to_follow[members].mean()) if transforms and members.any() else None
        for suffix, members in groups.items()
    }
    unrecovered = {
        suffix: float(parts.unrecovered[members].mean()) if hit and members.any() else None
        for suffix, members in groups.items()
    }
    keys: dict[str, float | None] = {f"unable_to_follow_share{suffix}": unable[suffix] for suffix in groups}
    keys |= {f"left_unrecovered_share{suffix}": unrecovered[suffix] for suffix in groups}
    # The sum of the two, counted at once (the parts are disjoint; a null part has no households in it).
    either = parts.either
    for suffix, members in groups.items():
        defined = unable[suffix] is not None or unrecovered[suffix] is not None
        keys[f"left_behind_share{suffix}"] = float(either[members].mean()) if defined else None
    in_transformed = h.transformation > 0
    keys["left_behind_share_transformed"] = (
        float(np.count_nonzero(h.transformation == 2) / np.count_nonzero(in_transformed))
        if in_transformed.any()
        else None
    )
    return keys


def relations_summary(model: CrisisModel, timeseries: pd.DataFrame) -> dict[str, float]:
    """Trust and polarisation at the horizon, the government's stance, and what the policy levers cost."""
    gov = model.government
    costs = model.levers.costs(model)
    keys: dict[str, float] = {
        "trust_end": float(timeseries["trust"].iloc[-1]),
        "trust_change": float(timeseries["trust"].iloc[-1] - timeseries["trust"].iloc[0]),
        "polarisation_end": float(timeseries["polarisation"].iloc[-1]),
        "government_dominance_end": float(gov.dominance),
        "government_affiliation_end": float(gov.affiliation),
        "policy_cost_eur": math.fsum(costs.values()),  # fsum: the same on every Python (see restored_total)
    }
    keys.update({f"policy_cost_eur__{lever}": float(cost) for lever, cost in costs.items()})
    return keys


# Four months after the first event: when Valkenburg counted the families still away (NOS Nieuwsuur, Nov 2021).
FOUR_MONTHS_DAYS = 122.0


def displaced_after(model: CrisisModel, timeseries: pd.DataFrame, days: float) -> float | None:
    """Share of all households displaced ``days`` after the first event (the first step ending then or later).

    None without an event, or if the run ends before then.
    """
    events = model.event_log.events
    if not events:
        return None
    day = timeseries["day"].to_numpy()
    after = np.flatnonzero(day >= events[0].day + days)
    return float(timeseries["displaced_share"].to_numpy()[after[0]]) if after.size else None


def displacement_summary(model: CrisisModel, timeseries: pd.DataFrame) -> dict[str, float | int | None]:
    """Displacement and what the repairs cost, by who paid.

    ``days_home_median`` is the median length of every displacement spell of the run, those
    still open at the horizon counted up to it (censored); null if nobody was displaced.
    """
    h = model.households
    still_away = h.displaced != AT_HOME
    spells = np.concatenate([*model.housing.spell_days, model.day - h.displaced_day[still_away]])
    ever = ~np.isnan(h.displaced_day)
    keys: dict[str, float | int | None] = {
        "displaced_peak_share": float(timeseries["displaced_share"].max()),
        "displaced_households": int(np.count_nonzero(~np.isnan(h.displaced_day))),
        "days_home_median": float(np.median(spells)) if spells.size else None,
        "displaced_share_end": float(still_away.mean()),
        "displaced_share_4_months": displaced_after(model, timeseries, FOUR_MONTHS_DAYS),
    }
    # Where displaced households stayed: days there, summed over the run, per household ever displaced.
    step_days = np.diff(timeseries["day"].to_numpy())
    for kind in SHELTERS.values():
        household_days = h.n * float(np.sum(step_days * timeseries[f"displaced_{kind}_share"].to_numpy()[1:]))
        keys[f"days_{kind}_mean"] = float(household_days / np.count_nonzero(ever)) if ever.any() else None
    last = timeseries.iloc[-1]
    for source in MONEY_SOURCES:
        keys[f"money_eur__{source}"] = float(last[f"money_{source}_eur"])
    keys["lodging_eur"] = float(last["lodging_eur"])
    keys["aid_eur"] = float(last["aid_eur"])
    keys["temporary_homes_eur"] = float(last["temporary_homes_eur"])
    return keys
