"""What each kind of tie does: two patterns from the literature, measured over paired seeds.

Neither pattern is built into the model; these functions only measure whether it appears.

1. **Bonding early, bridging later** (Hawkins & Maurer 2010): the paired effect of more bonding
   ties, and of more bridging ties, on the mean functioning of affected households, averaged
   over an early window (the first month after the event) and a late window (months 3 to 12).
   The pattern appears where bonding's effect is larger early than late and bridging's larger
   late than early, each difference with a 95% interval that excludes 0.
2. **Closed groups and outsiders** (Aldrich 2012): the paired effect of more bonding ties on the
   recovery days of outsiders, in a closed town (high homophily and segregation) and an open one.
   Outsiders are the precariaat (SCP's class without capitals, whose lifeworld is separated from
   the others'). The pattern appears where more bonding makes outsiders worse off (more days)
   in the closed town, with an interval above 0.

Intervals are t intervals over the per-seed differences (``experiments.report.mean_ci``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.stats import markdown_table, mean_ci

EARLY_DAYS = (0.0, 30.0)  # days after the event
LATE_DAYS = (90.0, 365.0)
OUTSIDERS = "precariaat"


def window_mean(curve: pd.Series, event_day: float, window: tuple[float, float]) -> float:
    """Mean of a time series (indexed by day) over ``window`` days after ``event_day``."""
    days = curve.index.to_numpy() - event_day
    return float(curve[(days >= window[0]) & (days <= window[1])].mean())


def interval(values: list[float] | np.ndarray) -> dict[str, float]:
    """Mean and 95% interval of paired differences."""
    mean, low, high = mean_ci(np.asarray(values, dtype=float))
    return {"effect": mean, "ci95_low": low, "ci95_high": high, "pairs": int(np.isfinite(values).sum())}


def tie_timing(curves: dict[str, list[pd.Series]], event_day: float) -> pd.DataFrame:
    """The early and late effect of more bonding and of more bridging ties, and early minus late.

    Args:
        curves: mean functioning of affected households by day, one series per seed (the same
            seeds, in the same order) for ``base``, ``bonding`` (more bonding ties) and
            ``bridging`` (more bridging ties).
        event_day: the day of the event.
    """
    rows = []
    for kind in ("bonding", "bridging"):
        pairs = list(zip(curves["base"], curves[kind], strict=True))
        early = [window_mean(b - a, event_day, EARLY_DAYS) for a, b in pairs]
        late = [window_mean(b - a, event_day, LATE_DAYS) for a, b in pairs]
        for window, values in (("early", early), ("late", late), ("early minus late", np.subtract(early, late))):
            rows.append({"ties": f"more {kind}", "window": window, **interval(values)})
    return pd.DataFrame(rows)


def timing_verdict(table: pd.DataFrame) -> str:
    """Whether the table shows bonding helping early and bridging later, in words."""

    def row(kind: str) -> pd.Series:
        return table[(table.ties == f"more {kind}") & (table.window == "early minus late")].iloc[0]

    bonding_early = row("bonding").ci95_low > 0
    bridging_late = row("bridging").ci95_high < 0
    if bonding_early and bridging_late:
        return "appears: bonding helps more early than late, bridging more late than early"
    parts = [
        "bonding helps more early than late" if bonding_early else "bonding does not help more early than late",
        "bridging helps more late than early" if bridging_late else "bridging does not help more late than early",
    ]
    return "does not appear in full: " + ", ".join(parts)


def recovery_days(households: pd.DataFrame, horizon_days: float) -> pd.Series:
    """Days each hit household took to recover from its current spell (censored at the horizon)."""
    hit = households[households.shock_day.notna()]
    return hit.recovered_day.fillna(horizon_days) - hit.shock_day


def outsider_effect(tables: dict[str, dict[str, list[pd.DataFrame]]], horizon_days: float) -> pd.DataFrame:
    """The paired effect of more bonding on the recovery days of outsiders and of everyone else, per town.

    Args:
        tables: household tables by town (``closed``, ``open``) and bonding level (``low``,
            ``high``), one per seed (the same seeds, in the same order).
        horizon_days: the horizon, where unrecovered households are censored.
    """
    rows = []
    for town, levels in tables.items():
        effects: dict[str, list[float]] = {"outsiders": [], "everyone else": []}
        for low, high in zip(levels["low"], levels["high"], strict=True):
            days_low = recovery_days(low, horizon_days)
            days_high = recovery_days(high, horizon_days).reindex(days_low.index)
            outsider = low.class_name.reindex(days_low.index) == OUTSIDERS
            for group, mask in (("outsiders", outsider), ("everyone else", ~outsider)):
                effects[group].append(float((days_high[mask] - days_low[mask]).mean()))
        for group, values in effects.items():
            rows.append({"town": town, "households": group, **interval(values)})
    return pd.DataFrame(rows)


def outsider_verdict(table: pd.DataFrame) -> str:
    """Whether more bonding leaves outsiders worse off in the closed town, in words."""
    closed = table[(table.town == "closed") & (table.households == "outsiders")].iloc[0]
    if closed.ci95_low > 0:
        return "appears: in the closed town more bonding ties lengthen the outsiders' recovery"
    if closed.ci95_high < 0:
        return "does not appear: in the closed town more bonding ties shorten the outsiders' recovery too"
    return "does not appear: in the closed town more bonding ties leave the outsiders' recovery unchanged (interval spans 0)"


# ---- from a sweep (the ``ties`` experiment) ---------------------------------------------------

BONDING, BRIDGING = "network.bonding_degree", "network.bridging_degree"
HOMOPHILY, SEGREGATION = "network.homophily", "population.segregation"
LEVELS = (BONDING, BRIDGING, HOMOPHILY, SEGREGATION)


def towns(runs: pd.DataFrame) -> dict[str, dict[str, float]]:
    """The open town (least homophily and segregation of the sweep) and the closed one (most)."""
    return {
        "open": {HOMOPHILY: runs[HOMOPHILY].min(), SEGREGATION: runs[SEGREGATION].min()},
        "closed": {HOMOPHILY: runs[HOMOPHILY].max(), SEGREGATION: runs[SEGREGATION].max()},
    }


def settings(runs: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Base, more bonding and more bridging ties: the fewest and the most of each in the sweep."""
    few_bonding, many_bonding = runs[BONDING].min(), runs[BONDING].max()
    few_bridging, many_bridging = runs[BRIDGING].min(), runs[BRIDGING].max()
    return {
        "base": {BONDING: few_bonding, BRIDGING: few_bridging},
        "bonding": {BONDING: many_bonding, BRIDGING: few_bridging},
        "bridging": {BONDING: few_bonding, BRIDGING: many_bridging},
    }


def matching(frame: pd.DataFrame, values: dict) -> pd.DataFrame:
    """Rows whose columns hold these values."""
    mask = np.ones(len(frame), dtype=bool)
    for column, value in values.items():
        mask &= (frame[column] == value).to_numpy()
    return frame[mask]


def sweep_section(sweep_dir, runs: pd.DataFrame, timeseries: pd.DataFrame) -> list[str] | None:
    """The report's section on what each kind of tie does, or None if the sweep cannot answer it.

    It needs a sweep over bonding and bridging ties, homophily and segregation, with household
    tables (the ``ties`` experiment), and one event per run.
    """
    ok = runs[runs.status == "ok"]
    if not all(column in ok and ok[column].nunique() > 1 for column in LEVELS) or ok.events.max() != 1:
        return None
    horizon = float(timeseries.day.max())
    lines = ["## What each kind of tie does", ""]
    timing_tables, outsider_tables = [], {}
    for town, town_values in towns(ok).items():
        curves, households = {}, {}
        for name, tie_values in settings(ok).items():
            chosen = matching(ok, town_values | tie_values).sort_values("seed")
            series = matching(timeseries, town_values | tie_values)
            curves[name] = [series[series.seed == seed].set_index("day")["functioning"] for seed in chosen.seed]
            households[name] = [pd.read_parquet(sweep_dir / folder / "households.parquet") for folder in chosen.folder]
        first = curves["base"][0]
        event_day = float(first.index[np.argmax(first.to_numpy() < 1.0)] - np.diff(first.index[:2])[0])
        timing = tie_timing(curves, event_day).assign(town=town)
        timing_tables.append(timing)
        outsider_tables[town] = {"low": households["base"], "high": households["bonding"]}
        lines += [f"Bonding early, bridging later ({town} town): {timing_verdict(timing)}."]
    outsiders = outsider_effect(outsider_tables, horizon)
    lines += [f"Closed groups and outsiders: {outsider_verdict(outsiders)}.", ""]
    described = {name: ", ".join(f"{k}={v:g}" for k, v in values.items()) for name, values in towns(ok).items()}
    ties_described = {name: ", ".join(f"{k}={v:g}" for k, v in values.items()) for name, values in settings(ok).items()}
    lines += [
        f"Towns: open ({described['open']}), closed ({described['closed']}). Ties: base ({ties_described['base']}), "
        f"more bonding ({ties_described['bonding']}), more bridging ({ties_described['bridging']}).",
        f"Effects on the mean functioning of affected households, averaged {EARLY_DAYS[0]:g}-{EARLY_DAYS[1]:g} days "
        f"(early) and {LATE_DAYS[0]:g}-{LATE_DAYS[1]:g} days (late) after the event; paired by seed, 95% t intervals:",
        "",
        markdown_table(
            pd.concat(timing_tables)[["town", "ties", "window", "effect", "ci95_low", "ci95_high", "pairs"]]
        ),
        "",
        f"Effect of more bonding ties on recovery days (censored at day {horizon:g}); outsiders are the {OUTSIDERS}:",
        "",
        markdown_table(outsiders),
        "",
    ]
    return lines
