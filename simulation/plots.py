"""Figures of one run."""

from __future__ import annotations

from matplotlib.figure import Figure

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
