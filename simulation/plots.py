"""Figures of one run."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from simulation.config import DAYS_PER_YEAR
from simulation.results import Results
from simulation.style import CLASS_COLOURS, CLASS_NAMES, SCENARIO_TIME_UNITS, label, time_unit


def recovery_window(ts) -> tuple[float, float]:
    """The days from just before the first household is hit until the share recovered of every class stops moving.

    A tenth more after that, the horizon at most; the whole run when nobody is hit.
    """
    hit = np.flatnonzero(ts["affected_share"].to_numpy() > 0)
    day = ts["day"].to_numpy()
    if not hit.size:
        return float(day[0]), float(day[-1])
    start = float(day[max(hit[0] - 1, 0)])
    recovered = ts.filter(like="recovered_share__").fillna(0.0).to_numpy()
    moved = np.flatnonzero((np.diff(recovered, axis=0) != 0).any(axis=1))
    end = float(day[moved[-1] + 1]) if moved.size else float(day[-1])
    return start, min(end + 0.1 * (end - start), float(day[-1]))


def axis_unit(span_days: float) -> tuple[str, float]:
    """The unit's name and its days for an axis spanning ``span_days``: hours, days or years."""
    if span_days < 2:
        return "hours", 1 / 24
    if span_days < 2 * DAYS_PER_YEAR:
        return "days", 1.0
    return "years", DAYS_PER_YEAR


def recovery_by_class(results: Results) -> Figure:
    """Mean functioning and share recovered of affected households, one line per class, over the recovery.

    The axes span the recovery (from just before the first household is hit until every class
    is back) in the scenario's unit where it has one (hours for the leak, years for sea-level rise
    or months under two years: ``style.time_unit``), else in hours, days or years, whichever reads best.
    """
    ts = results.timeseries
    classes = [c.removeprefix("functioning__") for c in ts.columns if c.startswith("functioning__")]
    start, end = recovery_window(ts)
    scenario = results.config.scenario.name
    span = end - start
    unit, per_unit = time_unit(scenario, span) if scenario in SCENARIO_TIME_UNITS else axis_unit(span)
    shown = ts[(ts["day"] >= start) & (ts["day"] <= end)]
    time = shown["day"] / per_unit
    figure = Figure(figsize=(12, 4), layout="constrained")
    functioning, recovered = figure.subplots(1, 2, sharex=True)
    for name in classes:
        style = {"label": CLASS_NAMES["en"].get(name, name), "color": CLASS_COLOURS.get(name)}
        functioning.plot(time, shown[f"functioning__{name}"], **style)
        recovered.plot(time, shown[f"recovered_share__{name}"], **style)
    xlabel = f"{unit} since the start of the run"
    functioning.set(xlabel=xlabel, ylabel="mean functioning of affected households", ylim=(0, 1.02))
    recovered.set(xlabel=xlabel, ylabel="share of affected households recovered", ylim=(0, 1.02))
    figure.legend(*functioning.get_legend_handles_labels(), fontsize="small", loc="outside right center")
    cfg = results.config
    figure.suptitle(f"{label(cfg.scenario.name)}: recovery by class (seed {cfg.seed})")
    return figure


def floods_by_class(results: Results) -> Figure:
    """Damage and recovery days of each successive flood, one line per class."""
    events = results.events
    classes = [c.removeprefix("damage__") for c in events.columns if c.startswith("damage__")]
    figure = Figure(figsize=(10, 4), layout="constrained")
    damage, recovery = figure.subplots(1, 2, sharex=True)
    marker = "o" if len(events) <= 30 else None
    for name in classes:
        style = {"marker": marker, "label": CLASS_NAMES["en"].get(name, name), "color": CLASS_COLOURS.get(name)}
        damage.plot(events["event"], events[f"damage__{name}"], **style)
        recovery.plot(events["event"], events[f"recovery_days__{name}"], **style)
    damage.set(xlabel="flood", ylabel="mean functioning lost by households hit", ylim=(0, None))
    recovery.set(xlabel="flood", ylabel="mean days to recover", ylim=(0, None))
    recovery.xaxis.set_major_locator(MaxNLocator(integer=True))  # floods are counted: 1, 2, 3, not 1.5 (shared x)
    recovery.legend(fontsize="small")
    cfg = results.config
    figure.suptitle(f"{label(cfg.scenario.name)}: damage and recovery per flood (seed {cfg.seed})")
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
    cfg = results.config
    figure.suptitle(f"{label(cfg.scenario.name)}: sea level, exposure and transformation (seed {cfg.seed})")
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
    labels = [(names or CLASS_NAMES["en"]).get(c, c.replace("_", " ")) for c in classes]
    left = np.zeros(len(classes))
    for key, part in LEFT_BEHIND_PARTS.items():
        shares = np.array([summary.get(f"{key}__{c}") for c in classes], dtype=float)
        shares = np.nan_to_num(shares)  # null (nothing to follow, or nobody hit) as 0
        ax.barh(labels, shares, left=left, label=part)
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
