"""``veerkracht-threshold SPEC``: where an outcome changes regime along one parameter, seed by seed.

A spec (YAML) names a scenario and its overrides, one parameter and its range, an outcome (a
summary key) and the value that separates two regimes (``above``: the outcome is above it, or
not). For every seed the tool runs the two ends of the range; where they differ in regime it
bisects (``steps`` times) to the value at which the regime changes for that seed. All values of a
seed share its town and hazards (common random numbers), so the crossing is the seed's own. It
reports the crossing of each seed, their median and a 95% t interval of their mean, and how many
seeds crossed at all; and, where a spec has ``starts`` (named sets of extra overrides, such as a
town starting from high or from low trust), the same for each start, so that a difference
between starts (hysteresis) shows. A coarse grid (``grid`` values) gives a figure of the outcome
along the parameter for every seed.

Writes to ``--out`` (default ``thresholds/<spec name>``): ``crossings.csv``, ``grid.csv``,
``threshold.png`` (also PDF and SVG) and ``report.md``. Bisection assumes one change of regime per
seed in the range; the grid shows where that does not hold.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from matplotlib.figure import Figure

from experiments.stats import markdown_table, mean_ci
from simulation.config import ConfigError
from simulation.style import COMPARED_COLOURS, label, save_for_print


@dataclass
class Spec:
    """What to locate: see the module docstring."""

    name: str
    scenario: str
    parameter: str
    low: float
    high: float
    outcome: str
    above: float
    overrides: list[str] = field(default_factory=list)
    seeds: int = 5
    steps: int = 6
    grid: int = 6
    processes: int = 1
    starts: dict[str, list[str]] = field(default_factory=lambda: {"": []})

    @classmethod
    def read(cls, path: Path) -> Spec:
        """A spec from a YAML file; a bad one raises ConfigError naming the key, the value and what is allowed."""
        data = yaml.safe_load(path.read_text()) or {}
        required = ("scenario", "parameter", "range", "outcome", "above")
        for key in required:
            if key not in data:
                raise ConfigError(f"{key} is missing from {path}: expected {', '.join(required)}")
        bounds = data.pop("range")
        if not (
            isinstance(bounds, list)
            and len(bounds) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in bounds)
            and bounds[0] < bounds[1]
        ):
            raise ConfigError(f"range={bounds!r} is not allowed: expected [low, high] with low < high")
        low, high = bounds
        for key in ("seeds", "steps", "grid", "processes"):
            value = data.get(key, 1)
            if isinstance(value, bool) or not isinstance(value, int) or value < (2 if key == "grid" else 1):
                raise ConfigError(
                    f"{key}={value!r} is not allowed: expected a whole number >= {2 if key == 'grid' else 1}"
                )
        starts = data.pop("starts", None) or {"": []}
        known = {f for f in cls.__dataclass_fields__} - {"name", "low", "high", "starts"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(
                f"unknown key {unknown[0]!r} in {path}: allowed keys are range, starts, {', '.join(sorted(known))}"
            )
        return cls(name=path.stem, low=float(low), high=float(high), starts=starts, **data)


def regime(value: float | None, above: float) -> bool | None:
    """Whether an outcome is in the upper regime (None for a value that did not happen)."""
    return None if value is None or not np.isfinite(value) else bool(value > above)


def crossing(
    outcome: Callable[[float], float | None], low: float, high: float, above: float, steps: int
) -> tuple[float, int]:
    """The value at which ``outcome`` changes regime between ``low`` and ``high``, by bisection.

    Returns:
        The midpoint of the last bracket (NaN if both ends are in the same regime, or one ends
        undefined), and which way it crosses: +1 into the upper regime as the value rises, -1 out
        of it, 0 no crossing.
    """
    at_low, at_high = regime(outcome(low), above), regime(outcome(high), above)
    if at_low is None or at_high is None or at_low == at_high:
        return np.nan, 0
    for _ in range(steps):
        middle = (low + high) / 2.0
        at_middle = regime(outcome(middle), above)
        if at_middle is None:
            break
        if at_middle == at_low:
            low = middle
        else:
            high = middle
    return (low + high) / 2.0, (1 if at_high else -1)


def summary_at(spec: Spec, start: list[str], seed: int, value: float) -> float | None:
    """The outcome of one run of the spec's scenario with the parameter at ``value``."""
    from simulation import load_config, run

    overrides = [*spec.overrides, *start, f"{spec.parameter}={value!r}", f"seed={seed}"]
    found = run(load_config(spec.scenario, overrides)).summary.get(spec.outcome, "missing")
    if found == "missing":
        raise ConfigError(f"outcome={spec.outcome!r} is not allowed: expected a summary key of {spec.scenario}")
    return found


def locate_seed(spec: Spec, start_name: str, seed: int) -> dict:
    """One seed's crossing, and its outcome on the grid."""
    start = spec.starts[start_name]
    outcomes: dict[float, float | None] = {}  # a value the bisection and the grid share runs once

    def outcome(x: float) -> float | None:
        if x not in outcomes:
            outcomes[x] = summary_at(spec, start, seed, x)
        return outcomes[x]

    value, direction = crossing(outcome, spec.low, spec.high, spec.above, spec.steps)
    grid = np.linspace(spec.low, spec.high, spec.grid)
    return {
        "start": start_name,
        "seed": seed,
        "crossing": value,
        "direction": direction,
        "grid": [(float(x), outcome(float(x))) for x in grid],
    }


def locate(spec: Spec) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every seed's crossing (per start), and the grid of outcomes."""
    jobs = [(spec, start, seed) for start in spec.starts for seed in range(spec.seeds)]
    if spec.processes > 1:
        with ProcessPoolExecutor(max_workers=spec.processes, mp_context=get_context("spawn")) as pool:
            found = list(pool.map(locate_seed, *zip(*jobs, strict=True)))
    else:
        found = [locate_seed(*job) for job in jobs]
    crossings = pd.DataFrame([{k: v for k, v in f.items() if k != "grid"} for f in found])
    grid = pd.DataFrame(
        [{"start": f["start"], "seed": f["seed"], "value": x, "outcome": y} for f in found for x, y in f["grid"]]
    )
    return crossings, grid


def summarise(crossings: pd.DataFrame) -> pd.DataFrame:
    """Per start: how many seeds crossed, their median crossing and a 95% t interval of the mean."""
    rows = []
    for start, group in crossings.groupby("start", sort=False):
        values = group.crossing.to_numpy(dtype=float)
        mean, low, high = mean_ci(values)
        rows.append(
            {
                "start": start or "(as configured)",
                "seeds": len(group),
                "crossed": int(np.isfinite(values).sum()),
                "median": float(np.nanmedian(values)) if np.isfinite(values).any() else np.nan,
                "mean": mean,
                "ci95_low": low,
                "ci95_high": high,
            }
        )
    return pd.DataFrame(rows)


def figure(spec: Spec, grid: pd.DataFrame, table: pd.DataFrame) -> Figure:
    """The outcome along the parameter, one line per seed, a colour per start; the crossings' interval shaded."""
    fig = Figure(figsize=(6.5, 4.0), layout="constrained")
    ax = fig.subplots()
    for (start, group), colour in zip(grid.groupby("start", sort=False), COMPARED_COLOURS * 4, strict=False):
        for i, (_, seed) in enumerate(group.groupby("seed")):
            name = f"{start or 'runs'} (one line per seed)" if i == 0 else None
            ax.plot(seed.value, pd.to_numeric(seed.outcome), color=colour, alpha=0.6, marker="o", label=name)
        row = table[table.start == (start or "(as configured)")].iloc[0]
        if np.isfinite(row.ci95_low):
            ax.axvspan(row.ci95_low, row.ci95_high, color=colour, alpha=0.15, linewidth=0)
    ax.axhline(spec.above, color="grey", linewidth=0.8, linestyle="--", label=f"regime boundary ({spec.above:g})")
    ax.set(xlabel=label(spec.parameter), ylabel=label(spec.outcome), title=f"{label(spec.scenario)}: {spec.name}")
    ax.legend(fontsize="small")
    return fig


def report(spec: Spec, out: Path) -> pd.DataFrame:
    """Locate, and write crossings.csv, grid.csv, the figure and report.md to ``out``; return the summary."""
    crossings, grid = locate(spec)
    table = summarise(crossings)
    out.mkdir(parents=True, exist_ok=True)
    crossings.to_csv(out / "crossings.csv", index=False)
    grid.to_csv(out / "grid.csv", index=False)
    save_for_print(figure(spec, grid, table), out / "threshold")
    lines = [
        f"# Threshold: {spec.name}",
        "",
        f"Where {label(spec.outcome)} (`{spec.outcome}`) passes {spec.above:g} along {label(spec.parameter)} "
        f"(`{spec.parameter}`, {spec.low:g} to {spec.high:g}), in {label(spec.scenario)} with "
        f"{', '.join(f'`{o}`' for o in spec.overrides) or 'the defaults'}. For each of seeds 0-{spec.seeds - 1} the ends "
        f"of the range are run and, where their regimes differ, the crossing is bisected {spec.steps} times (to within "
        f"{(spec.high - spec.low) / 2**spec.steps:.3g}); the same seed shares its town and hazards at every value. The "
        "interval is a 95% t interval of the mean crossing over the seeds that crossed.",
        "",
        markdown_table(table),
        "",
        "Per seed (direction +1: into the upper regime as the value rises; -1: out of it; 0: no crossing in the range):",
        "",
        markdown_table(crossings),
        "",
        "![threshold](threshold.png)",
        "",
    ]
    (out / "report.md").write_text("\n".join(lines))
    return table


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``veerkracht-threshold``."""
    parser = argparse.ArgumentParser(prog="veerkracht-threshold", description=__doc__.splitlines()[0])
    parser.add_argument("spec", type=Path, help="a threshold spec (YAML), e.g. experiments/thresholds/trust_turns.yaml")
    parser.add_argument("--out", type=Path, help="output folder (default: thresholds/<spec name>)")
    args = parser.parse_args(argv)
    try:
        spec = Spec.read(args.spec)
        table = report(spec, args.out or Path("thresholds") / spec.name)
    except (ConfigError, FileNotFoundError) as error:
        print(f"veerkracht-threshold: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    print(markdown_table(table))
    print(f"veerkracht-threshold: {(args.out or Path('thresholds') / spec.name) / 'report.md'}")


if __name__ == "__main__":
    main()
