"""Interval estimates and tables shared by the report, the tie analysis and the notebooks."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def mean_ci(values: np.ndarray) -> tuple[float, float, float]:
    """Mean and 95% confidence interval (t distribution); NaN bounds for fewer than two values."""
    values = values[~np.isnan(values)]
    if values.size == 0:
        return np.nan, np.nan, np.nan
    mean = float(values.mean())
    if values.size < 2:
        return mean, np.nan, np.nan
    half = stats.t.ppf(0.975, values.size - 1) * values.std(ddof=1) / np.sqrt(values.size)
    return mean, mean - half, mean + half


BONDING, BRIDGING = "network.bonding_degree", "network.bridging_degree"


def cohesion_ends(runs: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Masks of the runs with the fewest ties of the sweep (both kinds) and with the most."""
    low = (runs[BONDING] == runs[BONDING].min()) & (runs[BRIDGING] == runs[BRIDGING].min())
    high = (runs[BONDING] == runs[BONDING].max()) & (runs[BRIDGING] == runs[BRIDGING].max())
    return low, high


def welch_difference(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """Mean of ``a`` minus mean of ``b`` with a 95% Welch t interval (finite values only)."""
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    difference = float(a.mean() - b.mean())
    if va + vb == 0:
        return difference, difference, difference
    freedom = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    half = float(stats.t.ppf(0.975, freedom) * np.sqrt(va + vb))
    return difference, difference - half, difference + half


def paired(control: pd.DataFrame, treated: pd.DataFrame, key: str, on: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """``key`` of the control and the treated runs that match on ``on`` (say, the seed), aligned pair by pair (NaN kept)."""
    control, treated = control.set_index(on), treated.set_index(on)
    pairs = control.index.intersection(treated.index)
    return (
        pd.to_numeric(control.loc[pairs, key], errors="coerce").to_numpy(dtype=float),
        pd.to_numeric(treated.loc[pairs, key], errors="coerce").to_numpy(dtype=float),
    )


def written(value: float) -> str:
    """A number for a table: three significant digits, whole numbers from 1,000 (no exponents)."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def with_interval(table: pd.DataFrame, name: str) -> pd.Series:
    """``mean [low, high]`` text of a measure."""

    def text(row) -> str:
        mean, low, high = row[name], row[f"{name}_low"], row[f"{name}_high"]
        if np.isnan(mean):
            return "-"
        return f"{written(mean)} [{written(low)}, {written(high)}]" if np.isfinite(low) else written(mean)

    return table.apply(text, axis=1)


def markdown_table(frame: pd.DataFrame) -> str:
    """A DataFrame as a markdown table, numbers to three significant digits (whole numbers from 1,000)."""

    def cell(value) -> str:
        return written(value) if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(frame.columns) + " |", "|" + " --- |" * len(frame.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)
