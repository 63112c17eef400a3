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


FEW_PAIRS = 5  # below this many seed pairs a t interval is too unstable to read


def few_pairs_warning(pairs, what: str = "these intervals", noun: str = "seed pair") -> str | None:
    """A visible warning line where fewer than ``FEW_PAIRS`` seed pairs (or seeds: ``noun``) stand behind
    ``what``; else None. ``pairs`` holds the number of pairs behind each interval (the smallest is named)."""
    counts = [int(n) for n in pairs if n > 0]
    if not counts or min(counts) >= FEW_PAIRS:
        return None
    fewest = min(counts)
    why = (
        f"one {noun} gives no interval at all"
        if fewest == 1
        else f"a t interval with {fewest - 1} degree{'s' * (fewest != 2)} of freedom is too wide and unstable to read"
    )
    stand = f"{noun} stands" if fewest == 1 else f"{noun}s stand"
    return f"> **Warning:** only {fewest} {stand} behind {what} ({why}); run at least {FEW_PAIRS} seeds before reading them."


ZERO = 1e-12  # values this near 0 are floating-point noise (a difference of equal means, say): written as 0


def written(value: float) -> str:
    """A number for a table: three significant digits, whole numbers from 1,000 (no exponents), 0 within ``ZERO``."""
    if abs(value) < ZERO:
        return "0"
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


def paired_difference(control: pd.Series, treated: pd.Series) -> dict[str, float]:
    """Treated minus control over the pairs (same index, say the seed) where both are defined.

    Both means are over those pairs too, so the difference is the difference of the means shown;
    ``n`` is the number of pairs. The interval is NaN with fewer than two pairs, the difference too
    with none.
    """
    control, treated = (pd.to_numeric(s, errors="coerce").astype(float) for s in (control, treated))
    both = control.notna() & treated.notna()
    control, treated = control[both], treated[both]
    difference, low, high = mean_ci((treated - control).to_numpy())
    return {
        "control": float(control.mean()) if both.any() else np.nan,
        "treated": float(treated.mean()) if both.any() else np.nan,
        "difference": difference,
        "ci95_low": low,
        "ci95_high": high,
        "n": int(both.sum()),
    }


def direction(low: float, high: float) -> str:
    """What a 95% interval says about the sign: "up" (above 0), "down" (below 0) or "cannot tell"
    (it spans 0, or is undefined: NaN with fewer than two values)."""
    if low > 0:  # False for NaN
        return "up"
    if high < 0:
        return "down"
    return "cannot tell"


def finding(words: dict[str, str], estimate: float, low: float, high: float, n: int | None = None) -> dict:
    """A conclusion chosen by the sign of its interval: ``words[direction(low, high)]``, with its numbers.

    ``words`` has a sentence for "up", "down" and "cannot tell" (which should say that the run
    cannot tell). Notebooks collect these in ``FINDINGS``; the test suite checks each against its
    interval.
    """
    says = direction(low, high)
    return {"text": words[says], "says": says, "estimate": estimate, "low": low, "high": high, "n": n}


def interval(low: float, high: float, digits: int = 2, n: int | None = None) -> str:
    """``low to high`` with a sign, or why there is no interval (fewer than two pairs)."""
    if np.isnan(low) or np.isnan(high):
        return "no interval: fewer than two pairs" if n is None else f"no interval: {n} pair{'s' * (n != 1)}"
    return f"{low:+,.{digits}f} to {high:+,.{digits}f}"
