"""Calibrate uncertain rates against a real case by approximate Bayesian computation.

    veerkracht-calibrate experiments/targets/valkenburg2021.yaml
    veerkracht-calibrate experiments/targets/valkenburg2021.yaml --dask tcp://scheduler:8786

ABC-SMC (pyabc, Klinger, Rickert & Hasenauer 2018): populations of particles drawn from the
priors of the targets file, then from perturbed earlier particles, each run of the case scored by
its distance to the real figures: the root of the summed squared errors over the fitted targets,
each error counted in tolerances that follow the source's confidence (``experiments/targets.py``);
the acceptance threshold falls from population to population (median epsilon). Each evaluation
runs the case once, with a seed that follows from the rates (the same rates give the same run).
The held-out targets stay out of the distance; the posterior predictive checks them.

Writes, to ``calibration/<case>`` (or ``--out``): ``posterior.csv`` (the last population: rates
and weights), ``generations.csv``, ``predictive.csv`` (runs at posterior draws), ``fit.csv``
(each target: real value or band, predictive median and 90% interval, held out or not),
``rates.csv`` (prior, posterior median and 90% interval, whether the data pin the rate down),
``posterior_predictive.png`` (also as PDF and SVG), ``preset.yaml`` (``+calibration=<case>``) and pyabc's ``abc.db``.
``--install`` puts the preset in ``simulation/conf/calibration/`` and the posterior in
``experiments/targets/posteriors/``, where sweeps and notebooks find them.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import math
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from experiments.targets import Case, Target, load_case
from simulation.calibration import PROJECT
from simulation.config import ConfigError
from simulation.style import save_for_print

PRESETS = PROJECT / "simulation" / "conf" / "calibration"
POSTERIORS = PROJECT / "experiments" / "targets" / "posteriors"
PINNED_BELOW = 0.5  # assumption: a rate counts as pinned down when its 90% interval spans under half its prior range


@dataclass(frozen=True)
class CaseModel:
    """A case as pyabc's model: rates in, every target's measure out (picklable for parallel samplers)."""

    case: Case

    def __call__(self, particle: dict[str, float]) -> dict[str, float]:
        rates = {key: float(particle[safe_name(key)]) for key in self.rate_keys}
        return self.case.simulate(rates, seed_of(rates))

    @property
    def rate_keys(self) -> list[str]:
        """The config keys of the rates to fit."""
        return [p.key for p in self.case.parameters]


def safe_name(key: str) -> str:
    """A config key as a pyabc parameter name (dots become double underscores)."""
    return key.replace(".", "__")


def seed_of(rates: dict[str, float]) -> int:
    """The seed of an evaluation: it follows from the rates, so the same rates give the same run."""
    return int.from_bytes(hashlib.blake2b(repr(sorted(rates.items())).encode(), digest_size=4).digest(), "little")


def fit(
    case: Case,
    out: Path,
    population: int,
    generations: int,
    processes: int,
    seed: int,
    dask: str | None,
    min_epsilon: float,
    max_minutes: float | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run ABC-SMC; return the last population (rates and weights) and the table of generations."""
    import pyabc

    prior = pyabc.Distribution(
        **{safe_name(p.key): pyabc.RV("uniform", p.low, p.high - p.low) for p in case.parameters}
    )
    client = None
    if dask:
        from distributed import Client

        client = Client(dask)
        sampler = pyabc.sampler.DaskDistributedSampler(dask_client=client)
    elif processes > 1:
        sampler = pyabc.sampler.MulticoreEvalParallelSampler(n_procs=processes)
    else:
        sampler = pyabc.sampler.SingleCoreSampler()
    sampler.show_progress = sys.stderr.isatty()
    abc = pyabc.ABCSMC(
        CaseModel(case),
        prior,
        lambda simulated, _observed: case.distance(simulated),
        population_size=population,
        sampler=sampler,
    )
    np.random.seed(seed)  # pyabc draws from numpy's global generator
    abc.new(f"sqlite:///{out / 'abc.db'}", {t.name: t.value for t in case.targets})
    try:
        history = abc.run(
            minimum_epsilon=min_epsilon,
            max_nr_populations=generations,
            max_walltime=timedelta(minutes=max_minutes) if max_minutes else None,
        )
    finally:
        if client is not None:
            client.close()
    frame, weights = history.get_distribution()
    posterior = pd.DataFrame({p.key: frame[safe_name(p.key)].to_numpy() for p in case.parameters})
    posterior["weight"] = weights / weights.sum()
    table = history.get_all_populations()
    table = table[table["t"] >= 0].rename(columns={"t": "generation", "samples": "evaluations"})
    return posterior, table[["generation", "epsilon", "particles", "evaluations"]]


def quantiles(values: np.ndarray, weights: np.ndarray | None = None, q=(0.05, 0.5, 0.95)) -> np.ndarray:
    """Weighted quantiles (linear in the cumulative weight)."""
    order = np.argsort(values)
    values = np.asarray(values, dtype=float)[order]
    weights = np.ones(values.size) if weights is None else np.asarray(weights, dtype=float)[order]
    cumulative = (np.cumsum(weights) - 0.5 * weights) / weights.sum()
    return np.interp(q, cumulative, values)


def predict(case: Case, posterior: pd.DataFrame, draws: int, processes: int, seed: int) -> pd.DataFrame:
    """Runs at ``draws`` rates drawn from the posterior by weight, each with a fresh seed."""
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(posterior), size=draws, p=posterior["weight"].to_numpy())
    keys = [p.key for p in case.parameters]
    rates = [{key: float(posterior[key].iloc[row]) for key in keys} for row in rows]
    seeds = [1_000_000 + index for index in range(draws)]  # apart from the fit's seeds, which follow from the rates
    if processes > 1:
        with ProcessPoolExecutor(max_workers=processes) as pool:
            measured = list(pool.map(case.simulate, rates, seeds))
    else:
        measured = list(map(case.simulate, rates, seeds))
    return pd.DataFrame([{**r, "seed": s, **m} for r, s, m in zip(rates, seeds, measured, strict=True)])


def fit_table(case: Case, predictive: pd.DataFrame) -> pd.DataFrame:
    """Per target: the real value or band, the predictive median and 90% interval, and whether they meet."""
    rows = []
    for t in case.targets:
        low, median, high = quantiles(predictive[t.name].dropna().to_numpy())
        rows.append(
            {
                "target": t.name,
                "held_out": t.held_out,
                "real_low": t.low,
                "real_high": t.high,
                "source": t.source,
                "confidence": t.confidence,
                "predicted_median": median,
                "predicted_5": low,
                "predicted_95": high,
                "meets": bool(high >= t.low and low <= t.high),
                "distance_of_median": t.error(median),
            }
        )
    return pd.DataFrame(rows)


def rates_table(case: Case, posterior: pd.DataFrame) -> pd.DataFrame:
    """Per rate: the prior, the posterior median and 90% interval, and whether the data pin it down."""
    rows = []
    for p in case.parameters:
        low, median, high = quantiles(posterior[p.key].to_numpy(), posterior["weight"].to_numpy())
        rows.append(
            {
                "rate": p.key,
                "prior_low": p.low,
                "prior_high": p.high,
                "median": median,
                "low_5": low,
                "high_95": high,
                "pinned": bool(high - low < PINNED_BELOW * (p.high - p.low)),
                "reason": p.reason,
            }
        )
    return pd.DataFrame(rows)


def unit_of(target: Target) -> str:
    """The unit of a target's measure, for an axis label."""
    if target.kind == "first_day_above":
        return "days after the event"
    if target.kind == "hours_until_below":
        return "hours after the event"
    if target.scale == "households":
        return "households"
    return f"{target.column} / {target.per}" if target.per else target.column


def predictive_figure(case: Case, predictive: pd.DataFrame, path: Path) -> None:
    """One panel per target: the runs at posterior draws (points, 90% interval) against the real value or band."""
    n = len(case.targets)
    columns = min(n, 4)
    rows = math.ceil(n / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, 2.6 * rows), squeeze=False)
    for ax, t in zip(axes.flat, case.targets, strict=False):
        values = predictive[t.name].dropna().to_numpy()
        low, median, high = quantiles(values) if values.size else (np.nan,) * 3
        jitter = np.random.default_rng(0).uniform(-0.15, 0.15, values.size)
        ax.scatter(jitter, values, s=8, alpha=0.5, color="tab:blue", label="model (posterior draws)")
        ax.errorbar([0.45], [median], yerr=[[median - low], [high - median]], fmt="o", color="tab:blue", capsize=4)
        ax.axhspan(t.low - 1e-9 * abs(t.low), t.high + 1e-9 * abs(t.high), color="tab:red", alpha=0.25)
        ax.axhline(t.value, color="tab:red", lw=1.5, label="real")
        ax.set_xlim(-0.5, 0.8)
        ax.set_xticks([])
        ax.set_title(f"{t.name}{' (held out)' if t.held_out else ''}", fontsize=9)
        ax.set_ylabel(unit_of(t), fontsize=8)
        ax.tick_params(labelsize=8)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncols=2, fontsize=8)
    fig.suptitle(
        f"{case.title}\nthe model at posterior draws (blue: runs, 90% interval) against the real figures (red)",
        fontsize=10,
    )
    fig.tight_layout(rect=(0, 0.3 / (2.6 * rows), 1, 1))  # room for the legend below
    save_for_print(fig, path.with_suffix(""))
    plt.close(fig)


def preset_text(case: Case, rates: pd.DataFrame, posterior_path: str, settings: str) -> str:
    """The calibrated preset: every fitted rate at its posterior median; the posterior for runs that draw."""
    lines = [
        "# @package _global_",
        f"# Calibrated to {case.title} by veerkracht-calibrate ({settings}).",
        "# Every fitted rate at its posterior median. With calibration.posterior set (to the path in the",
        "# comment below) each run draws its rates from the posterior instead, the seed picking the draw.",
    ]
    sections: dict[str, list[str]] = {}
    for row in rates.itertuples():
        section, name = row.rate.split(".", 1)
        sections.setdefault(section, []).append(
            f"  {name}: {row.median:.4g}  # posterior median, 90% interval [{row.low_5:.3g}, {row.high_95:.3g}]"
            f"{'' if row.pinned else ' (not pinned down by the data)'}"
        )
    for section, entries in sections.items():
        lines += [f"{section}:", *entries]
    lines += ["calibration:", f"  case: {case.name}", f"  posterior: null  # {posterior_path}"]
    return "\n".join(lines) + "\n"


def calibrate(
    targets: Path,
    out: Path,
    population: int = 100,
    generations: int = 6,
    processes: int = 2,
    draws: int = 40,
    seed: int = 0,
    dask: str | None = None,
    min_epsilon: float = 1.0,
    install: bool = False,
    max_minutes: float | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit a case's rates and write the output folder; return the rates and fit tables.

    Writes to a temporary folder next to ``out`` first, so a failed run leaves no half-written folder.
    """
    case = load_case(targets)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        posterior, generations_table = fit(
            case, work, population, generations, processes, seed, dask, min_epsilon, max_minutes
        )
        posterior.to_csv(work / "posterior.csv", index=False)
        generations_table.to_csv(work / "generations.csv", index=False)
        predictive = predict(case, posterior, draws, processes, seed)
        predictive.to_csv(work / "predictive.csv", index=False)
        fit_frame, rates = fit_table(case, predictive), rates_table(case, posterior)
        fit_frame.to_csv(work / "fit.csv", index=False)
        rates.to_csv(work / "rates.csv", index=False)
        predictive_figure(case, predictive, work / "posterior_predictive.png")
        settings = f"population {population}, at most {generations} generations, seed {seed}"
        posterior_path = (
            str((POSTERIORS / f"{case.name}.csv").relative_to(PROJECT))
            if install
            else str(out.resolve() / "posterior.csv")
        )
        (work / "preset.yaml").write_text(preset_text(case, rates, posterior_path, settings))
        if out.exists():
            shutil.rmtree(out)
        work.rename(out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if install:
        PRESETS.mkdir(parents=True, exist_ok=True)
        POSTERIORS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out / "preset.yaml", PRESETS / f"{case.name}.yaml")
        shutil.copyfile(out / "posterior.csv", POSTERIORS / f"{case.name}.csv")
    return rates, fit_frame


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``veerkracht-calibrate``."""
    parser = argparse.ArgumentParser(
        prog="veerkracht-calibrate", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "targets", type=Path, help="the case's targets file (YAML), e.g. experiments/targets/valkenburg2021.yaml"
    )
    parser.add_argument("--out", type=Path, help="output folder (default: calibration/<targets file name>)")
    parser.add_argument("--population", type=int, default=100, help="particles per generation (default 100)")
    parser.add_argument("--generations", type=int, default=6, help="at most this many generations (default 6)")
    parser.add_argument(
        "--min-epsilon", type=float, default=1.0, help="stop once the threshold is this low, in tolerances (default 1)"
    )
    parser.add_argument(
        "--max-minutes", type=float, help="start no new generation after this many minutes (the last one finishes)"
    )
    parser.add_argument("--processes", type=int, default=2, help="local worker processes (default 2)")
    parser.add_argument("--draws", type=int, default=40, help="posterior draws for the predictive check (default 40)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sampler (default 0)")
    parser.add_argument("--dask", metavar="ADDRESS", help="a dask scheduler (tcp://host:8786): evaluate on its workers")
    parser.add_argument(
        "--install", action="store_true", help="install the preset and posterior for +calibration=<case>"
    )
    args = parser.parse_args(argv)
    for name in ("population", "generations", "processes", "draws"):
        if getattr(args, name) < 1:
            parser.exit(
                2,
                f"veerkracht-calibrate: error: --{name}={getattr(args, name)} is not allowed: expected a whole number >= 1\n",
            )
    logging.getLogger("ABC").setLevel(logging.INFO)  # pyabc's progress: a few lines per generation
    out = args.out or Path("calibration") / args.targets.stem
    try:
        rates, fit_frame = calibrate(
            args.targets,
            out,
            args.population,
            args.generations,
            args.processes,
            args.draws,
            args.seed,
            args.dask,
            args.min_epsilon,
            args.install,
            args.max_minutes,
        )
    except ConfigError as error:
        parser.exit(2, f"veerkracht-calibrate: error: {error}\n")
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(rates.drop(columns="reason").to_string(index=False))
        print(fit_frame.drop(columns="source").to_string(index=False))
    print(f"veerkracht-calibrate: {out}")


if __name__ == "__main__":
    main()
