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

After the fit, a check runs each fitted rate across its prior (the others at their posterior
medians, a few shared seeds): a rate whose span of distances is within the seed noise is one
the targets cannot see, and it is reported as such and left at its default, not "calibrated".
After the fit, the defaults and the posterior draws are run alike and held against every
target: a target is met when the median of the runs lies in its band (for a point, within one
tolerance of it), and the distance over the fitted and over the held-out targets is compared.
A calibration that does not lower the fitted distance beyond seed noise is reported as such,
and its rates do not go into the case.

Writes, to ``calibration/<case>`` (or ``--out``): ``identifiability.csv`` (each rate across its
prior: distance and every target's measure), ``sensitivity.csv`` (per rate: span of the
distance, seed noise, seen or not, the targets it moves), ``posterior.csv`` (the last
population: rates and weights), ``generations.csv``, ``predictive.csv`` (runs at posterior
draws), ``defaults.csv`` (runs at the defaults), ``fit.csv`` (each target: real value or band,
median and 90% interval with the defaults and calibrated, met or not, held out or not),
``distance.csv`` (fitted and held-out distance, defaults against calibrated), ``rates.csv``
(prior, posterior median and 90% interval, pinned down or not, seen or not),
``posterior_predictive.png`` (also as PDF and SVG), ``case.yaml`` (``+case=<case>``: the town and
the calibrated rates) and pyabc's ``abc.db``. ``--install`` puts the case in
``simulation/conf/case/`` and the posterior in ``experiments/targets/posteriors/``, where sweeps
and notebooks find them.
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

from experiments.stats import welch_difference
from experiments.targets import Case, Target, load_case
from simulation.calibration import PROJECT
from simulation.config import ConfigError
from simulation.style import save_for_print

CASES = PROJECT / "simulation" / "conf" / "case"
POSTERIORS = PROJECT / "experiments" / "targets" / "posteriors"
PINNED_BELOW = 0.5  # assumption: a rate counts as pinned down when its 90% interval spans under half its prior range
SEEN_ABOVE = 4.0  # assumption: targets see a rate when its span of mean distances exceeds 4 standard errors of a mean
MOVES_FROM = 1.0  # a rate moves a target when its span of mean measures is at least one tolerance of the target


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


def simulate_all(case: Case, rates: list[dict[str, float]], seeds: list[int], processes: int) -> pd.DataFrame:
    """Run the case at each rates-and-seed pair: one row per run, the rates, the seed and every target's measure."""
    if processes > 1:
        with ProcessPoolExecutor(max_workers=processes) as pool:
            measured = list(pool.map(case.simulate, rates, seeds))
    else:
        measured = list(map(case.simulate, rates, seeds))
    return pd.DataFrame([{**r, "seed": s, **m} for r, s, m in zip(rates, seeds, measured, strict=True)])


def predictive_seeds(draws: int) -> list[int]:
    """Seeds of the predictive runs: apart from the fit's, which follow from the rates."""
    return [1_000_000 + index for index in range(draws)]


def predict(case: Case, posterior: pd.DataFrame, draws: int, processes: int, seed: int) -> pd.DataFrame:
    """Runs at ``draws`` rates drawn from the posterior by weight, each with a fresh seed."""
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(posterior), size=draws, p=posterior["weight"].to_numpy())
    keys = [p.key for p in case.parameters]
    rates = [{key: float(posterior[key].iloc[row]) for key in keys} for row in rows]
    return simulate_all(case, rates, predictive_seeds(draws), processes)


def identifiability(case: Case, centre: dict[str, float], points: int, seeds: int, processes: int) -> pd.DataFrame:
    """Each fitted rate at ``points`` values across its prior, the others at ``centre``, ``seeds`` seeds each.

    Every value runs with the same seeds (common random numbers), so the values compare
    within a seed. Rows: the rate varied, its value, the seed, the distance over the fitted
    targets and every target's measure.
    """
    grid = [(p.key, float(v)) for p in case.parameters for v in np.linspace(p.low, p.high, points)]
    rates = [{**centre, key: value} for key, value in grid for _ in range(seeds)]
    runs = simulate_all(case, rates, [2_000_000 + s for _ in grid for s in range(seeds)], processes)
    runs.insert(0, "rate", [key for key, _ in grid for _ in range(seeds)])
    runs.insert(1, "value", [value for _, value in grid for _ in range(seeds)])
    runs["distance"] = [case.distance(row) for row in runs.to_dict("records")]
    return runs


def sensitivity_table(case: Case, runs: pd.DataFrame) -> pd.DataFrame:
    """Per rate: how far the distance moves across its prior against the seed noise, and which targets it moves.

    ``span``: the largest minus the smallest mean distance over the rate's values; ``noise``: the
    standard error of a difference between two such means, from what is left of each run's
    distance once the value's and the seed's means are taken out (the seeds are shared);
    ``seen``: the span exceeds ``SEEN_ABOVE`` times the noise; ``moves``: the targets whose mean
    measure spans at least one of their tolerances.
    """
    rows = []
    for p in case.parameters:
        mine = runs[runs.rate == p.key]
        table = mine.pivot_table(index="value", columns="seed", values="distance", aggfunc="mean")
        means = table.mean(axis=1)
        residual = table.to_numpy() - means.to_numpy()[:, None] - table.mean(axis=0).to_numpy() + means.mean()
        freedom = max((table.shape[0] - 1) * (table.shape[1] - 1), 1)
        noise = float(np.sqrt(2.0 * np.nansum(residual**2) / freedom / table.shape[1]))
        span = float(means.max() - means.min())
        moved = [
            t.name
            for t in case.targets
            if np.ptp(mine.groupby("value")[t.name].mean().to_numpy()) >= MOVES_FROM * t.tolerance
        ]
        rows.append(
            {
                "rate": p.key,
                "prior_low": p.low,
                "prior_high": p.high,
                "distance_lowest": float(means.min()),
                "distance_highest": float(means.max()),
                "span": span,
                "noise": noise,
                "seen": bool(span > SEEN_ABOVE * noise),
                "moves": ", ".join(moved) or "-",
            }
        )
    return pd.DataFrame(rows)


def fit_table(case: Case, predictive: pd.DataFrame, defaults: pd.DataFrame) -> pd.DataFrame:
    """Per target: the real value or band; median and 90% interval with the defaults and calibrated; met or not."""
    rows = []
    for t in case.targets:
        row = {
            "target": t.name,
            "held_out": t.held_out,
            "real_low": t.low,
            "real_high": t.high,
            "denominator": t.denominator or "",
            "source": t.source,
            "confidence": t.confidence,
        }
        for label, runs in (("defaults", defaults), ("calibrated", predictive)):
            low, median, high = quantiles(runs[t.name].dropna().to_numpy())
            row |= {
                f"{label}_median": median,
                f"{label}_5": low,
                f"{label}_95": high,
                f"{label}_meets": t.met_by(median),
                f"{label}_error": t.error(median),
            }
        rows.append(row)
    return pd.DataFrame(rows)


def distance_table(case: Case, predictive: pd.DataFrame, defaults: pd.DataFrame) -> pd.DataFrame:
    """The distance over the fitted and over the held-out targets, per run: median and 90% interval, defaults and calibrated.

    ``improves``: the calibrated runs' mean distance lies below the defaults' with a 95% Welch
    interval of the difference wholly below 0.
    """
    rows = []
    for part, targets in (("fitted", case.fitted), ("held out", case.held_out)):
        if not targets:
            continue
        values = {
            label: np.array([case.distance(run, targets) for run in runs.to_dict("records")])
            for label, runs in (("defaults", defaults), ("calibrated", predictive))
        }
        row = {"targets": part}
        for label, distances in values.items():
            low, median, high = quantiles(distances[np.isfinite(distances)])
            row |= {f"{label}_median": median, f"{label}_5": low, f"{label}_95": high}
        difference, low, high = welch_difference(values["calibrated"], values["defaults"])
        row |= {"difference": difference, "difference_low": low, "difference_high": high, "improves": bool(high < 0)}
        rows.append(row)
    return pd.DataFrame(rows)


def rates_table(case: Case, posterior: pd.DataFrame, sensitivity: pd.DataFrame) -> pd.DataFrame:
    """Per rate: the prior, the posterior median and 90% interval, pinned down or not, seen by the targets or not."""
    seen = sensitivity.set_index("rate")["seen"]
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
                "seen": bool(seen[p.key]),
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


def predictive_figure(case: Case, predictive: pd.DataFrame, defaults: pd.DataFrame, path: Path) -> None:
    """One panel per target: runs at the defaults and at posterior draws (points, median and 90% interval) against the real value or band."""
    n = len(case.targets)
    columns = min(n, 4)
    rows = math.ceil(n / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, 2.6 * rows), squeeze=False)
    for ax, t in zip(axes.flat, case.targets, strict=False):
        for x, runs, color, label in (
            (0.0, defaults, "tab:gray", "defaults"),
            (1.0, predictive, "tab:blue", "calibrated"),
        ):
            values = runs[t.name].dropna().to_numpy()
            low, median, high = quantiles(values) if values.size else (np.nan,) * 3
            jitter = np.random.default_rng(0).uniform(-0.15, 0.15, values.size)
            ax.scatter(x + jitter, values, s=8, alpha=0.4, color=color, label=f"runs: {label}")
            ax.errorbar([x + 0.35], [median], yerr=[[median - low], [high - median]], fmt="o", color=color, capsize=4)
        ax.axhspan(t.low - 1e-9 * abs(t.low), t.high + 1e-9 * abs(t.high), color="tab:red", alpha=0.25)
        ax.axhline(t.value, color="tab:red", lw=1.5, label="real")
        ax.set_xlim(-0.5, 1.6)
        ax.set_xticks([0.15, 1.15], ["defaults", "calibrated"], fontsize=8)
        ax.set_title(f"{t.name}{' (held out)' if t.held_out else ''}", fontsize=9)
        ax.set_ylabel(unit_of(t), fontsize=8)
        ax.tick_params(labelsize=8)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncols=3, fontsize=8)
    fig.suptitle(
        f"{case.title}\nthe model with the defaults (grey) and at posterior draws (blue):\n"
        "runs, median and 90% interval, against the real figures (red)",
        fontsize=10,
    )
    fig.tight_layout(rect=(0, 0.3 / (2.6 * rows), 1, 1))  # room for the legend below
    save_for_print(fig, path.with_suffix(""))
    plt.close(fig)


def case_text(case: Case, rates: pd.DataFrame, improves: bool, posterior_path: str, settings: str) -> str:
    """The case as a Hydra preset (``+case=<case>``): its town, and its calibrated rates where the calibration earned them.

    A rate goes in at its posterior median only if the targets see it and the calibration
    improved on the defaults; otherwise it stays at its default and a comment says why.
    """
    lines = [
        "# @package _global_",
        f"# {case.title}: the town of experiments/targets/{case.name}.yaml and the rates calibrated to it",
        f"# by veerkracht-calibrate ({settings}). With calibration.posterior set (to the path below) each",
        "# run draws the calibrated rates from the posterior instead, the seed picking the draw.",
        "defaults:",
        f"  - override /scenario: {case.scenario}",
    ]
    if not improves:
        lines.append(
            "# The calibration did not improve on the defaults (distance.csv): every rate stays at its default."
        )
    sections: dict[str, list[str]] = {}
    for key, value in case.settings.items():
        section, name = key.split(".", 1)
        sections.setdefault(section, []).append(f"  {name}: {_yaml_value(value)}")
    left = []
    for row in rates.itertuples():
        section, name = row.rate.split(".", 1)
        interval = f"posterior median {row.median:.4g}, 90% interval [{row.low_5:.3g}, {row.high_95:.3g}]"
        if improves and row.seen:
            sections.setdefault(section, []).append(f"  {name}: {row.median:.4g}  # {interval}")
        else:
            why = "the targets do not see it" if not row.seen else "the calibration did not improve on the defaults"
            left.append(f"#   {row.rate} ({why}; {interval})")
    for section, entries in sections.items():
        lines += [f"{section}:", *entries]
    if left:
        lines += ["# Left at their defaults:", *left]
    lines += ["calibration:", f"  case: {case.name}", f"  posterior: null  # {posterior_path}"]
    return "\n".join(lines) + "\n"


def _yaml_value(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


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
    points: int = 5,
    seeds: int = 3,
) -> dict[str, pd.DataFrame]:
    """Check what the targets see, fit a case's rates, compare with the defaults and write the output folder.

    Writes to a temporary folder next to ``out`` first, so a failed run leaves no half-written folder.

    Returns:
        The tables by name: sensitivity, rates, fit and distance.
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
        centre = {p.key: float(quantiles(posterior[p.key], posterior["weight"], (0.5,))[0]) for p in case.parameters}
        identified = identifiability(case, centre, points, seeds, processes)
        identified.to_csv(work / "identifiability.csv", index=False)
        sensitivity = sensitivity_table(case, identified)
        sensitivity.to_csv(work / "sensitivity.csv", index=False)
        predictive = predict(case, posterior, draws, processes, seed)
        predictive.to_csv(work / "predictive.csv", index=False)
        defaults = simulate_all(case, [{}] * draws, predictive_seeds(draws), processes)
        defaults.to_csv(work / "defaults.csv", index=False)
        tables = {
            "sensitivity": sensitivity,
            "rates": rates_table(case, posterior, sensitivity),
            "fit": fit_table(case, predictive, defaults),
            "distance": distance_table(case, predictive, defaults),
        }
        for name in ("rates", "fit", "distance"):
            tables[name].to_csv(work / f"{name}.csv", index=False)
        predictive_figure(case, predictive, defaults, work / "posterior_predictive.png")
        improves = bool(tables["distance"].set_index("targets").loc["fitted", "improves"])
        settings = f"population {population}, at most {generations} generations, seed {seed}"
        posterior_path = (
            str((POSTERIORS / f"{case.name}.csv").relative_to(PROJECT))
            if install
            else str(out.resolve() / "posterior.csv")
        )
        (work / "case.yaml").write_text(case_text(case, tables["rates"], improves, posterior_path, settings))
        if out.exists():
            shutil.rmtree(out)
        work.rename(out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if install:
        CASES.mkdir(parents=True, exist_ok=True)
        POSTERIORS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out / "case.yaml", CASES / f"{case.name}.yaml")
        shutil.copyfile(out / "posterior.csv", POSTERIORS / f"{case.name}.csv")
    return tables


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
        "--points",
        type=int,
        default=5,
        help="values across each rate's prior in the check of what the targets see (default 5)",
    )
    parser.add_argument("--seeds", type=int, default=3, help="seeds per value in that check (default 3)")
    parser.add_argument("--install", action="store_true", help="install the case and posterior for +case=<case>")
    args = parser.parse_args(argv)
    for name in ("population", "generations", "processes", "draws", "points", "seeds"):
        if getattr(args, name) < 1:
            parser.exit(
                2,
                f"veerkracht-calibrate: error: --{name}={getattr(args, name)} is not allowed: expected a whole number >= 1\n",
            )
    logging.getLogger("ABC").setLevel(logging.INFO)  # pyabc's progress: a few lines per generation
    out = args.out or Path("calibration") / args.targets.stem
    try:
        tables = calibrate(
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
            args.points,
            args.seeds,
        )
    except ConfigError as error:
        parser.exit(2, f"veerkracht-calibrate: error: {error}\n")
    print(verdict(tables))
    print(f"veerkracht-calibrate: {out}")


def verdict(tables: dict[str, pd.DataFrame]) -> str:
    """What the check and the fit found, as text for the terminal."""
    fit_shown = tables["fit"].drop(columns=["source", "denominator"])
    distance = tables["distance"].set_index("targets")
    improves = bool(distance.loc["fitted", "improves"])
    unseen = tables["sensitivity"].query("not seen").rate.tolist()
    lines = []
    with pd.option_context("display.width", 220, "display.max_columns", 30):
        lines += [
            "what the targets see (each rate across its prior, the others at their posterior medians):",
            tables["sensitivity"].to_string(index=False),
        ]
        lines += ["", "rates:", tables["rates"].drop(columns="reason").to_string(index=False)]
        lines += ["", "fit (median of the runs; met: in the band, or within one tolerance of a point):"]
        lines += [fit_shown.to_string(index=False), "", "distance:", tables["distance"].to_string(index=False), ""]
    if unseen:
        lines.append("not seen by the targets, left at their defaults: " + ", ".join(unseen))
    lines.append(
        "the calibration improves on the defaults"
        if improves
        else "the calibration does NOT improve on the defaults: its rates stay out of the case"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
