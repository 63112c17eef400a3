"""Figures of one run."""

from __future__ import annotations

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
    shares = {
        k.removeprefix("left_behind_share__"): v
        for k, v in results.summary.items()
        if k.startswith("left_behind_share__")
    }
    names = list(shares)
    behind.barh([n.replace("_", " ") for n in names], [shares[n] or 0.0 for n in names])
    behind.set(
        xlabel="share of the class left behind", title="at the horizon: unable to follow, or unrecovered", xlim=(0, 1)
    )
    figure.suptitle(
        f"{results.config.scenario.name}: sea level, exposure and transformation (seed {results.config.seed})"
    )
    return figure


def run_figures(results: Results) -> dict[str, Figure]:
    """The figures a run folder gets, by file name: recovery by class, and what the scenario adds."""
    figures = {"recovery_by_class.png": recovery_by_class(results)}
    if len(results.events) > 1:
        figures["floods_by_class.png"] = floods_by_class(results)
    if "sea_level_m" in results.timeseries:
        figures["sea_level_and_transformation.png"] = sea_level_and_transformation(results)
    return figures
