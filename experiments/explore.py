"""``veerkracht-explore``: open exploration and scenario discovery (Latin hypercube + PRIM).

Where, in the space of what we do not know, is the precariaat left furthest behind? This command
draws a Latin-hypercube sample over the model's uncertain inputs (``UNCERTAINTIES``, each with the
range stated beside it), runs every sample with a few seeds of one scenario, in parallel over
processes, and then searches with PRIM (the Patient Rule Induction Method, Friedman & Fisher 1999)
for the box of input ranges in which the precariaat falls furthest behind::

    veerkracht-explore                                 # flooding, 200 samples x 3 seeds, 500 households
    veerkracht-explore --samples 60 --seeds 2 --households 400 --jobs 2 --out explore/flood60
    veerkracht-explore --scenario leak --horizon-days 14 --set government.learning=0.5

The outcome: ``precariaat_gap_days`` (the precariaat's mean recovery days minus those of
everyone else; the summary's key), averaged over a sample's seeds. The cases of interest are the
samples in its top 20% (``--top``); ``--outcome left_behind_share__precariaat`` chooses the share of
the precariaat left behind instead (often 0 everywhere in short runs, so there may be no box to
find). Samples whose outcome is null (no flood hit the precariaat in that run) are left out of PRIM.

PRIM: ``ema_workbench.analysis.prim.Prim`` (the ``ema`` extra; lenient objective, peeling and
pasting) when it can be imported, else ``prim_peel`` below: Friedman & Fisher's peeling without
pasting. Either gives a peeling trajectory of ever smaller boxes; the chosen box (``choose_box``)
is, among the boxes that still hold at least ``--min-coverage`` (default 0.5) of the cases of
interest, the one of highest coverage whose density is within 0.02 of the densest. Coverage: the
share of all cases of interest that lie in the box; density: the share of the box's samples that
are cases of interest (the base rate is ``--top``).

Writes to ``--out`` (default ``explore/`` under the current folder):

- ``samples.csv``: one row per run (sample, seed, every input, the outcomes);
- ``prim_box.csv``: one row per input: the box's low and high, the sampled range, whether the box
  restricts it, and the box's coverage, density and mass;
- ``prim_trajectory.csv`` and ``prim_trajectory.png``: coverage against density of every box on
  the trajectory, the chosen one marked (the PNG also as PDF and SVG);
- ``explore.md``: a plain summary naming the input ranges of the box, with its coverage and
  density, and a warning below ``MIN_SAMPLES`` samples (PRIM's boxes are then noise as much as signal).

A box is a description of the sampled runs, not a causal claim: with few samples, rerun with
another ``--sample-seed`` and see whether the same inputs come back.
"""

from __future__ import annotations

import argparse
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy.stats import qmc

from experiments.progress import Progress
from simulation.config import ConfigError
from simulation.style import save_for_print

# The uncertain inputs and the ranges sampled. Every default is an assumption in
# simulation/config.py; the ranges run from "almost none" to about twice the default where the
# field is open-ended, and over the whole unit interval where it is a share or a 0..1 stance.
UNCERTAINTIES: dict[str, tuple[float, float]] = {
    "network.bonding_degree": (0.0, 10.0),  # default 5 strong ties a household; as experiments/sensitivity_leak.yaml
    "network.bridging_degree": (0.0, 5.0),  # default 2 weak ties across groups; as sensitivity_leak.yaml
    "network.homophily": (0.0, 1.0),  # default 0.6: 0 = ties ignore class, 1 = only within class
    "population.segregation": (0.0, 1.0),  # default 0.3: 0 = classes spread evenly, 1 = sorted into neighbourhoods
    "government.delay_days": (0.0, 30.0),  # default 7 days until aid flows; as sensitivity_leak.yaml
    "government.receptivity": (0.0, 1.0),  # default 0.3: 0 = waits for applications, 1 = reaches every household
    "housing.contractors": (10.0, 60.0),  # default 30 homes at once per 1,000 households (0 would never repair)
    "dynamics.support_rate": (0.03, 0.3),  # default 0.12 a day: the most that support along ties adds
}
OUTCOMES = (
    "precariaat_gap_days",
    "left_behind_share__precariaat",
    "mean_recovery_days__precariaat",
    "precariaat_gap",
)
DEFAULT_OUTCOME = "precariaat_gap_days"
MIN_SAMPLES = 50  # fewer samples than this: explore.md warns that the box is not to be trusted
DENSITY_SLACK = 0.02  # choose_box: boxes this close to the densest count as equally dense


# --------------------------------------------------------------------------------------------
# Sampling and running
# --------------------------------------------------------------------------------------------


def latin_hypercube(ranges: dict[str, tuple[float, float]], n: int, seed: int) -> pd.DataFrame:
    """``n`` Latin-hypercube samples over ``ranges``: each input's range cut into ``n`` equal strata,
    one sample in each (scipy's ``qmc.LatinHypercube``, seeded)."""
    if n < 1:
        raise ConfigError(f"samples={n!r} is not allowed: expected a whole number >= 1")
    for name, (low, high) in ranges.items():
        if not low < high:
            raise ConfigError(f"{name}: range ({low}, {high}) is not allowed: expected low < high")
    unit = qmc.LatinHypercube(d=len(ranges), rng=np.random.default_rng(seed)).random(n)
    lows, highs = (np.array([r[i] for r in ranges.values()], dtype=float) for i in (0, 1))
    return pd.DataFrame(qmc.scale(unit, lows, highs), columns=list(ranges))


def run_one(scenario: str, overrides: list[str], sample: int, seed: int, inputs: dict[str, float]) -> dict:
    """One run: the sample's inputs as overrides, with one seed; its row of ``samples.csv``."""
    from simulation import load_config, run

    settings = [*overrides, f"seed={seed}", *(f"{name}={value!r}" for name, value in inputs.items())]
    summary = run(load_config(scenario=scenario, overrides=settings)).summary
    outcomes = {key: summary.get(key) for key in OUTCOMES}
    return {"sample": sample, "seed": seed, **inputs, **{k: np.nan if v is None else v for k, v in outcomes.items()}}


def run_samples(
    scenario: str, samples: pd.DataFrame, seeds: int, overrides: list[str], jobs: int = 1, progress: bool = True
) -> pd.DataFrame:
    """Every sample with seeds 0 .. ``seeds`` - 1 (common random numbers across samples), over
    ``jobs`` processes (spawned; 1 runs in this process). One row per run."""
    tasks = [
        (scenario, overrides, index, seed, {k: float(v) for k, v in row.items()})
        for index, row in enumerate(samples.to_dict("records"))
        for seed in range(seeds)
    ]
    shown = Progress(len(tasks), "veerkracht-explore: model runs") if progress else None
    rows = []
    if jobs <= 1:
        results = (run_one(*task) for task in tasks)
        for row in results:
            rows.append(row)
            if shown:
                shown.add(done=1)
    else:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
            for row in pool.map(run_one, *zip(*tasks, strict=True), chunksize=2):
                rows.append(row)
                if shown:
                    shown.add(done=1)
    if shown:
        shown.close()
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# PRIM
# --------------------------------------------------------------------------------------------


def prim_peel(x: pd.DataFrame, y: np.ndarray, alpha: float = 0.05, mass_min: float = 0.05) -> list[dict]:
    """PRIM's peeling (Friedman & Fisher 1999, Statistics and Computing 9: 123-143), without pasting.

    Start from the box that holds every sample. At each step, try for every input cutting off the
    ``alpha`` share of the box's samples with its lowest values and, separately, with its highest
    values (at least one sample); keep the cut after which the box's mean of ``y`` (its density of
    cases of interest, for a 0/1 ``y``) is highest. Stop when the next box would hold fewer than
    ``mass_min`` of all samples, or no cut is possible. Returns the trajectory: one dict per box
    with ``limits`` ({input: (low, high)}), ``coverage``, ``density``, ``mass`` and ``res_dim``
    (the number of inputs it restricts), from the whole space to the smallest box.
    """
    values = x.to_numpy(dtype=float)
    y = np.asarray(y, dtype=float)
    n, total = len(y), float(y.sum())
    lows, highs = values.min(axis=0), values.max(axis=0)
    inside = np.ones(n, dtype=bool)

    def entry(box_low: np.ndarray, box_high: np.ndarray, members: np.ndarray) -> dict:
        restricted = (box_low > lows) | (box_high < highs)
        return {
            "limits": {c: (float(box_low[i]), float(box_high[i])) for i, c in enumerate(x.columns)},
            "coverage": float(y[members].sum() / total) if total else float("nan"),
            "density": float(y[members].mean()),
            "mass": float(members.mean()),
            "res_dim": int(restricted.sum()),
        }

    box_low, box_high = lows.copy(), highs.copy()
    trajectory = [entry(box_low, box_high, inside)]
    while True:
        count = int(inside.sum())
        k = max(1, int(np.floor(alpha * count)))
        if (count - k) / n < mass_min:
            break
        best = None  # (mean, column, side, cut value, members)
        for column in range(values.shape[1]):
            here = np.sort(values[inside, column])
            for side in ("low", "high"):
                cut = here[k] if side == "low" else here[count - 1 - k]
                keep = values[:, column] >= cut if side == "low" else values[:, column] <= cut
                members = inside & keep
                removed = count - int(members.sum())
                if removed == 0 or members.sum() / n < mass_min:  # ties: nothing to cut, or too much
                    continue
                mean = float(y[members].mean())
                if best is None or mean > best[0]:
                    best = (mean, column, side, float(cut), members)
        if best is None:
            break
        _, column, side, cut, inside = best
        if side == "low":
            box_low[column] = cut
        else:
            box_high[column] = cut
        trajectory.append(entry(box_low, box_high, inside))
    return trajectory


def prim_ema(x: pd.DataFrame, y: np.ndarray, alpha: float = 0.05, mass_min: float = 0.05) -> list[dict]:
    """The same trajectory from ema_workbench's ``Prim`` (lenient objective, peeling and pasting)."""
    import logging

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ema_workbench warns on import that ipyparallel is missing
        from ema_workbench.analysis import prim

        logging.getLogger("EMA").setLevel(logging.ERROR)
        finder = prim.Prim(
            x.astype(float).reset_index(drop=True),
            np.asarray(y, dtype=bool),
            threshold=0.8,
            peel_alpha=alpha,
            paste_alpha=alpha,
            mass_min=mass_min,
        )
        box = finder.find_box()
    trajectory = []
    for i, row in box.peeling_trajectory.reset_index(drop=True).iterrows():
        lims = box.box_lims[i]
        trajectory.append(
            {
                "limits": {c: (float(lims[c].iloc[0]), float(lims[c].iloc[1])) for c in x.columns},
                "coverage": float(row["coverage"]),
                "density": float(row["density"]),
                "mass": float(row["mass"]),
                "res_dim": int(row["res_dim"]),
            }
        )
    return trajectory


def ema_available() -> bool:
    """Whether ema_workbench's PRIM can be imported (the ``ema`` extra)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from ema_workbench.analysis import prim  # noqa: F401
    except ImportError:
        return False
    return True


def discover(
    x: pd.DataFrame, y: np.ndarray, backend: str = "auto", alpha: float = 0.05, mass_min: float = 0.05
) -> tuple[list[dict], str]:
    """PRIM's trajectory for the cases of interest ``y`` (0/1) and the backend that found it:
    ``ema`` (ema_workbench), ``peel`` (``prim_peel``) or ``auto`` (ema if importable)."""
    if backend not in ("auto", "ema", "peel"):
        raise ConfigError(f"prim backend={backend!r} is not allowed: expected auto, ema or peel")
    if backend == "ema" or (backend == "auto" and ema_available()):
        return prim_ema(x, y, alpha, mass_min), "ema_workbench"
    return prim_peel(x, y, alpha, mass_min), "prim_peel (this module; peeling only)"


def choose_box(trajectory: list[dict], min_coverage: float = 0.5) -> int:
    """The index of the chosen box: among those with coverage >= ``min_coverage``, the one of
    highest coverage whose density is within ``DENSITY_SLACK`` of the densest."""
    candidates = [i for i, b in enumerate(trajectory) if b["coverage"] >= min_coverage] or [0]
    densest = max(trajectory[i]["density"] for i in candidates)
    close = [i for i in candidates if trajectory[i]["density"] >= densest - DENSITY_SLACK]
    return max(close, key=lambda i: (trajectory[i]["coverage"], -i))


def box_table(box: dict, ranges: dict[str, tuple[float, float]], whole: dict | None = None) -> pd.DataFrame:
    """``prim_box.csv``: per input, the box's limits, the sampled range and whether it is restricted.

    A side counts as restricted where the box's limit lies inside the first box of the trajectory
    (``whole``: the samples' own minimum and maximum); an unrestricted side shows the sampled range.
    """
    whole_limits = (whole or box)["limits"]
    rows = []
    for name, (low, high) in box["limits"].items():
        full_low, full_high = ranges[name]
        first_low, first_high = whole_limits[name]
        cut_low, cut_high = low > first_low, high < first_high
        rows.append(
            {
                "input": name,
                "box_low": low if cut_low else full_low,
                "box_high": high if cut_high else full_high,
                "range_low": full_low,
                "range_high": full_high,
                "restricted": bool(cut_low or cut_high),
                "coverage": box["coverage"],
                "density": box["density"],
                "mass": box["mass"],
            }
        )
    return pd.DataFrame(rows).sort_values("restricted", ascending=False, kind="stable").reset_index(drop=True)


def trajectory_plot(trajectory: list[dict], chosen: int, title: str) -> Figure:
    """Coverage against density of every box on the trajectory, the chosen one marked."""
    figure = Figure(figsize=(6, 4.5), layout="constrained")
    ax = figure.subplots()
    coverage = [b["coverage"] for b in trajectory]
    density = [b["density"] for b in trajectory]
    points = ax.scatter(coverage, density, c=[b["res_dim"] for b in trajectory], cmap="viridis", s=25)
    figure.colorbar(points, ax=ax, label="inputs restricted")
    ax.plot(coverage, density, color="0.7", lw=0.8, zorder=0)
    ax.scatter(
        [coverage[chosen]], [density[chosen]], s=160, facecolors="none", edgecolors="C3", lw=2, label="chosen box"
    )
    ax.annotate(
        f"box {chosen}: coverage {coverage[chosen]:.2f}, density {density[chosen]:.2f}",
        (coverage[chosen], density[chosen]),
        textcoords="offset points",
        xytext=(-10, 10),
        ha="right",
        fontsize="small",
    )
    ax.set(xlabel="coverage", ylabel="density", xlim=(0, 1.05), ylim=(0, 1.05), title=title)
    ax.legend(loc="lower left", fontsize="small")
    return figure


# --------------------------------------------------------------------------------------------
# The whole exploration
# --------------------------------------------------------------------------------------------


def explore(
    out: Path,
    scenario: str = "flooding",
    samples: int = 200,
    seeds: int = 3,
    households: int = 500,
    jobs: int = 1,
    sample_seed: int = 0,
    outcome: str = DEFAULT_OUTCOME,
    top: float = 0.2,
    min_coverage: float = 0.5,
    backend: str = "auto",
    horizon_days: float | None = None,
    overrides: list[str] | None = None,
    ranges: dict[str, tuple[float, float]] | None = None,
    progress: bool = True,
) -> dict:
    """Sample, run, find the box and write the outputs to ``out``; returns what explore.md says."""
    if outcome not in OUTCOMES:
        raise ConfigError(f"outcome={outcome!r} is not allowed: expected one of {', '.join(OUTCOMES)}")
    if not 0 < top < 1:
        raise ConfigError(f"top={top!r} is not allowed: expected a share in (0, 1)")
    if seeds < 1:
        raise ConfigError(f"seeds={seeds!r} is not allowed: expected a whole number >= 1")
    ranges = dict(ranges or UNCERTAINTIES)
    fixed = [f"population.households={households}", *(overrides or [])]
    if horizon_days is not None:
        fixed.append(f"scenario.horizon_days={horizon_days!r}")
    started = time.perf_counter()
    design = latin_hypercube(ranges, samples, sample_seed)
    runs = run_samples(scenario, design, seeds, fixed, jobs, progress)
    seconds = time.perf_counter() - started
    out.mkdir(parents=True, exist_ok=True)
    runs.to_csv(out / "samples.csv", index=False)

    per_sample = runs.groupby("sample")[outcome].mean()  # NaN seeds are skipped; all-NaN samples stay NaN
    defined = per_sample.dropna()
    x = design.loc[defined.index]
    threshold = float(defined.quantile(1 - top)) if len(defined) else float("nan")
    interest = (defined >= threshold).to_numpy() if len(defined) else np.array([], dtype=bool)
    result = {
        "scenario": scenario,
        "samples": samples,
        "seeds": seeds,
        "households": households,
        "outcome": outcome,
        "top": top,
        "threshold": threshold,
        "defined": len(defined),
        "interest": int(interest.sum()),
        "seconds": seconds,
        "box": None,
    }
    title = f"PRIM, {scenario}: top {top:.0%} of {outcome}"
    if 0 < interest.sum() < len(interest):
        trajectory, used = discover(x, interest, backend)
        chosen = choose_box(trajectory, min_coverage)
        table = box_table(trajectory[chosen], ranges, trajectory[0])
        result.update(backend=used, chosen=chosen, box=table, steps=len(trajectory), **_stats(trajectory[chosen]))
    else:
        trajectory, chosen, used = [], 0, "none"
        table = box_table({"limits": dict(ranges), "coverage": np.nan, "density": np.nan, "mass": np.nan}, ranges)
        result.update(backend=used)
    table.to_csv(out / "prim_box.csv", index=False)
    trajectory_table(trajectory).to_csv(out / "prim_trajectory.csv", index=False)
    if trajectory:
        figure = trajectory_plot(trajectory, chosen, title)
    else:
        figure = Figure(figsize=(6, 4.5), layout="constrained")
        ax = figure.subplots()
        ax.text(0.5, 0.5, "no box: the cases of interest are none or all", ha="center", va="center")
        ax.set(xlabel="coverage", ylabel="density", title=title)
    save_for_print(figure, out / "prim_trajectory")
    (out / "explore.md").write_text(summary_text(result))
    return result


def trajectory_table(trajectory: list[dict]) -> pd.DataFrame:
    """``prim_trajectory.csv``: per box, its coverage, density, mass, restricted inputs and limits."""
    rows = []
    for box in trajectory:
        row = {k: v for k, v in box.items() if k != "limits"}
        for name, (low, high) in box["limits"].items():
            row[f"{name}_low"], row[f"{name}_high"] = low, high
        rows.append(row)
    return pd.DataFrame(rows)


def _stats(box: dict) -> dict:
    return {"coverage": box["coverage"], "density": box["density"], "mass": box["mass"]}


def summary_text(result: dict) -> str:
    """The plain text of ``explore.md``."""
    lines = [
        f"# Scenario discovery: where the precariaat is left furthest behind ({result['scenario']})",
        "",
        f"{result['samples']} Latin-hypercube samples x {result['seeds']} seed(s), "
        f"{result['households']} households; {result['seconds']:.0f} s of model runs.",
        f"Outcome: {result['outcome']}, averaged over seeds; cases of interest: the top {result['top']:.0%} "
        f"(>= {result['threshold']:.3g}), {result['interest']} of the {result['defined']} samples "
        f"where it is defined.",
        "",
    ]
    if result["samples"] < MIN_SAMPLES:
        lines += [
            f"WARNING: only {result['samples']} samples (fewer than {MIN_SAMPLES}): the box below is as much "
            "noise as signal; run more samples before reading anything into it.",
            "",
        ]
    if result["box"] is None:
        lines.append("No box: the cases of interest are none or all of the samples, so PRIM has nothing to separate.")
        return "\n".join(lines) + "\n"
    box = result["box"]
    restricted = box[box.restricted]
    lines.append(
        f"PRIM ({result['backend']}) chose box {result['chosen']} of {result['steps']} on its peeling "
        f"trajectory: coverage {result['coverage']:.2f} (share of the cases of interest inside it), "
        f"density {result['density']:.2f} (share of its samples that are cases of interest; "
        f"{result['top']:.2f} by chance), mass {result['mass']:.2f} (share of all samples)."
    )
    lines.append("")
    if restricted.empty:
        lines.append("The box restricts no input: no region of the inputs stands out.")
    else:
        lines.append("The precariaat is left furthest behind where:")
        lines.append("")
        lines += [
            f"- {r.input} in [{r.box_low:.3g}, {r.box_high:.3g}] (sampled [{r.range_low:.3g}, {r.range_high:.3g}])"
            for r in restricted.itertuples()
        ]
        unrestricted = ", ".join(box[~box.restricted].input)
        if unrestricted:
            lines += ["", f"Not restricted (any value in its sampled range): {unrestricted}."]
    lines += [
        "",
        "A box describes the sampled runs; it is not a causal claim. Rerun with another --sample-seed "
        "to see whether the same inputs come back.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``veerkracht-explore``."""
    parser = argparse.ArgumentParser(
        prog="veerkracht-explore", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scenario", default="flooding", help="the scenario (default: flooding)")
    parser.add_argument("--samples", type=int, default=200, help="Latin-hypercube samples (default: 200)")
    parser.add_argument("--seeds", type=int, default=3, help="seeds per sample, 0 .. SEEDS-1 (default: 3)")
    parser.add_argument("--households", type=int, default=500, help="households of the town (default: 500)")
    parser.add_argument("--jobs", type=int, default=1, help="processes (default: 1)")
    parser.add_argument("--sample-seed", type=int, default=0, help="seed of the Latin hypercube (default: 0)")
    parser.add_argument("--outcome", default=DEFAULT_OUTCOME, choices=OUTCOMES, help=f"default: {DEFAULT_OUTCOME}")
    parser.add_argument("--top", type=float, default=0.2, help="share of samples of interest (default: 0.2)")
    parser.add_argument("--min-coverage", type=float, default=0.5, help="least coverage of the box (default: 0.5)")
    parser.add_argument("--prim", default="auto", choices=("auto", "ema", "peel"), help="PRIM backend")
    parser.add_argument("--horizon-days", type=float, help="shorten the scenario's horizon (days)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="a fixed override")
    parser.add_argument("--out", type=Path, default=Path("explore"), help="output folder (default: ./explore)")
    args = parser.parse_args(argv)
    try:
        result = explore(
            args.out,
            scenario=args.scenario,
            samples=args.samples,
            seeds=args.seeds,
            households=args.households,
            jobs=args.jobs,
            sample_seed=args.sample_seed,
            outcome=args.outcome,
            top=args.top,
            min_coverage=args.min_coverage,
            backend=args.prim,
            horizon_days=args.horizon_days,
            overrides=args.set,
        )
    except ConfigError as error:
        parser.exit(2, f"veerkracht-explore: error: {error}\n")
    print(summary_text(result), end="")
    print(f"veerkracht-explore: {args.out}/explore.md, samples.csv, prim_box.csv, prim_trajectory.png")


if __name__ == "__main__":
    main()
