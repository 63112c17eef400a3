"""Figures of one run."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simulation.config import DAYS_PER_YEAR
from simulation.results import Results


def recovery_by_class(results: Results) -> Figure:
    """Mean functioning and share recovered of affected households, one line per class."""
    ts = results.timeseries
    classes = [c.removeprefix("functioning__") for c in ts.columns if c.startswith("functioning__")]
    figure = Figure(figsize=(10, 4), layout="constrained")
    functioning, recovered = figure.subplots(1, 2, sharex=True)
    for name in classes:
        label = name.replace("_", " ")
        functioning.plot(ts["day"], ts[f"functioning__{name}"], label=label)
        recovered.plot(ts["day"], ts[f"recovered_share__{name}"], label=label)
    functioning.set(xlabel="day", ylabel="mean functioning of affected households", ylim=(0, 1.02))
    recovered.set(xlabel="day", ylabel="share of affected households recovered", ylim=(0, 1.02))
    recovered.legend(fontsize="small", loc="lower right")
    cfg = results.config
    figure.suptitle(f"{cfg.scenario.name}: recovery by class (seed {cfg.seed})")
    return figure


def floods_by_class(results: Results) -> Figure:
    """Damage and recovery days of each successive flood, one line per class."""
    events = results.events
    classes = [c.removeprefix("damage__") for c in events.columns if c.startswith("damage__")]
    figure = Figure(figsize=(10, 4), layout="constrained")
    damage, recovery = figure.subplots(1, 2, sharex=True)
    marker = "o" if len(events) <= 30 else None
    for name in classes:
        label = name.replace("_", " ")
        damage.plot(events["event"], events[f"damage__{name}"], marker=marker, label=label)
        recovery.plot(events["event"], events[f"recovery_days__{name}"], marker=marker, label=label)
    damage.set(xlabel="flood", ylabel="mean functioning lost by households hit", ylim=(0, None))
    recovery.set(xlabel="flood", ylabel="mean days to recover", ylim=(0, None))
    recovery.legend(fontsize="small")
    figure.suptitle(f"{results.config.scenario.name}: damage and recovery per flood (seed {results.config.seed})")
    return figure


def sea_level_and_transformation(results: Results) -> Figure:
    """Sea level, mean exposure and transformed neighbourhoods over time; who was left behind."""
    ts = results.timeseries
    years = ts["day"] / DAYS_PER_YEAR
    figure = Figure(figsize=(12, 4), layout="constrained")
    sea, exposure, behind = figure.subplots(1, 3)
    sea.plot(years, ts["sea_level_m"])
    sea.set(xlabel="year", ylabel="sea level above the start (m)")
    exposure.plot(years, ts["mean_exposure"], label="mean exposure")
    exposure.set(xlabel="year", ylabel="mean exposure", ylim=(0, 1))
    transformed = exposure.twinx()
    transformed.step(years, ts["transformed_neighbourhoods"], color="tab:green", where="post")
    transformed.set_ylabel("neighbourhoods transformed", color="tab:green")
    left_behind_by_class(results.summary, behind)
    figure.suptitle(
        f"{results.config.scenario.name}: sea level, exposure and transformation (seed {results.config.seed})"
    )
    return figure


# The two parts of left_behind_share (simulation.metrics.left_behind), in the order they are stacked.
LEFT_BEHIND_PARTS = {
    "unable_to_follow_share": "unable to follow a transformation",
    "left_unrecovered_share": "hit, not recovered (not transformed)",
}


def left_behind_by_class(summary: dict, ax: Axes, names: dict[str, str] | None = None, legend: bool = True) -> None:
    """Stacked bars per class on ``ax``: the two parts of ``left_behind_share__<class>`` (null drawn as 0).

    ``summary`` is a run's summary, or any mapping of the same keys (means over runs, say); the
    whole bar is ``left_behind_share__<class>``. ``names`` labels the classes (default: the class
    name with spaces); ``legend`` puts the legend above the bars.
    """
    classes = [k.removeprefix("left_behind_share__") for k in summary if k.startswith("left_behind_share__")]
    labels = [(names or {}).get(c, c.replace("_", " ")) for c in classes]
    left = np.zeros(len(classes))
    for key, label in LEFT_BEHIND_PARTS.items():
        shares = np.array([summary.get(f"{key}__{c}") for c in classes], dtype=float)
        shares = np.nan_to_num(shares)  # null (nothing to follow, or nobody hit) as 0
        ax.barh(labels, shares, left=left, label=label)
        left += shares
    ax.set(xlabel="share of the class's households\nleft behind at the horizon", xlim=(0, 1))
    if legend:
        ax.legend(fontsize="small", loc="lower right", bbox_to_anchor=(1.0, 1.0), frameon=False)


def run_figures(results: Results) -> dict[str, Figure]:
    """The figures a run folder gets, by file name: recovery by class, and what the scenario adds."""
    figures = {"recovery_by_class.png": recovery_by_class(results)}
    if len(results.events) > 1:
        figures["floods_by_class.png"] = floods_by_class(results)
    if "sea_level_m" in results.timeseries:
        figures["sea_level_and_transformation.png"] = sea_level_and_transformation(results)
    return figures
