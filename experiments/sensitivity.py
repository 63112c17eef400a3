"""``veerkracht-sensitivity SPEC.yaml``: Sobol or Morris sensitivity of summary keys to named parameters.

The spec (YAML) names the method, the scenario, fixed overrides, the parameters with their
ranges, the summary keys to analyse, the sample size and the number of processes::

    method: sobol            # or morris (a cheaper screen)
    scenario: leak
    overrides: [population.households=1000]
    seed: 0                  # every sample runs with this seed (common random numbers)
    samples: 64              # Sobol: base sample N (N * (k + 2) runs, no second order); Morris: trajectories (r * (k + 1) runs)
    processes: 2
    outputs: [resilience_loss_days, precariaat_gap]
    parameters:
      network.bonding_degree: [0, 10]
      network.bridging_degree: [0, 5]

Writes ``OUT/indices.csv`` (one row per output and parameter: S1, S1_conf, ST, ST_conf for
Sobol; mu_star, mu_star_conf, sigma for Morris), ``OUT/samples.csv`` (every sample and its
outputs) and ``OUT/indices.png`` (bar charts with 95% confidence intervals; also as PDF and SVG).
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from matplotlib.figure import Figure

from experiments.progress import Progress
from simulation.config import ConfigError
from simulation.style import save_for_print

METHODS = ("sobol", "morris")


def read_spec(path: Path) -> dict:
    """Load and check a sensitivity spec; ConfigError names the bad key."""
    spec = yaml.safe_load(path.read_text()) or {}
    spec.setdefault("method", "sobol")
    spec.setdefault("overrides", [])
    spec.setdefault("seed", 0)
    spec.setdefault("processes", 1)
    if spec["method"] not in METHODS:
        raise ConfigError(f"method={spec['method']!r} is not allowed: expected one of {', '.join(METHODS)}")
    for key in ("scenario", "samples", "outputs", "parameters"):
        if key not in spec:
            raise ConfigError(f"{key} is missing from {path}: see `veerkracht-sensitivity --help`")
    for name, bounds in spec["parameters"].items():
        if not (isinstance(bounds, list) and len(bounds) == 2 and bounds[0] < bounds[1]):
            raise ConfigError(f"parameters.{name}={bounds!r} is not allowed: expected [low, high] with low < high")
    return spec


def problem(spec: dict) -> dict:
    """The SALib problem of a spec."""
    names = list(spec["parameters"])
    return {"num_vars": len(names), "names": names, "bounds": [spec["parameters"][n] for n in names]}


def sample(spec: dict) -> np.ndarray:
    """The parameter samples of the spec's method."""
    if spec["method"] == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem(spec), spec["samples"], calc_second_order=False, seed=spec["seed"])
    from SALib.sample import morris

    return morris.sample(problem(spec), spec["samples"], seed=spec["seed"])


def evaluate(spec: dict, values: np.ndarray) -> list[float]:
    """Run one sample and return its outputs (NaN where a summary key is null)."""
    from simulation import load_config, run

    overrides = [*spec["overrides"], f"seed={spec['seed']}"]
    overrides += [f"{name}={value!r}" for name, value in zip(spec["parameters"], values.tolist(), strict=True)]
    scalars = run(load_config(scenario=spec["scenario"], overrides=overrides)).scalars()
    return [scalars[key] for key in spec["outputs"]]


def analyse(spec: dict, samples: np.ndarray, outputs: np.ndarray) -> pd.DataFrame:
    """Sensitivity indices per output and parameter."""
    rows = []
    for column, key in enumerate(spec["outputs"]):
        y = outputs[:, column]
        if np.isnan(y).any():
            raise ConfigError(
                f"outputs: {key!r} is null in {int(np.isnan(y).sum())} of {y.size} runs; "
                "choose summary keys that are always defined (such as resilience_loss_days)"
            )
        if spec["method"] == "sobol":
            from SALib.analyze import sobol

            result = sobol.analyze(problem(spec), y, calc_second_order=False, seed=spec["seed"])
            fields = ("S1", "S1_conf", "ST", "ST_conf")
        else:
            from SALib.analyze import morris

            result = morris.analyze(problem(spec), samples, y, seed=spec["seed"])
            fields = ("mu_star", "mu_star_conf", "sigma")
        for index, name in enumerate(spec["parameters"]):
            rows.append({"output": key, "parameter": name, **{f: float(result[f][index]) for f in fields}})
    return pd.DataFrame(rows)


def bar_chart(spec: dict, indices: pd.DataFrame) -> Figure:
    """One panel per output: the indices of each parameter with their 95% confidence intervals."""
    outputs = spec["outputs"]
    figure = Figure(figsize=(5 * len(outputs), 0.6 * len(spec["parameters"]) + 2), layout="constrained")
    axes = np.atleast_1d(figure.subplots(1, len(outputs)))
    measures = (("S1", "first order"), ("ST", "total")) if spec["method"] == "sobol" else (("mu_star", "mu*"),)
    for ax, key in zip(axes, outputs, strict=True):
        here = indices[indices.output == key]
        y = np.arange(len(here))
        height = 0.8 / len(measures)
        for offset, (field, label) in enumerate(measures):
            ax.barh(y + offset * height, here[field], height, xerr=here[f"{field}_conf"], capsize=3, label=label)
        ax.set(yticks=y + height * (len(measures) - 1) / 2, yticklabels=here.parameter, title=key)
        ax.legend(fontsize="small")
    figure.suptitle(f"{spec['method']} sensitivity, {spec['scenario']} scenario")
    return figure


def run_analysis(spec_path: Path, out: Path) -> pd.DataFrame:
    """Sample, run every sample (in parallel), analyse, and write the outputs to ``out``."""
    spec = read_spec(spec_path)
    samples = sample(spec)
    with ProcessPoolExecutor(max_workers=spec["processes"], mp_context=get_context("spawn")) as pool:
        shown = Progress(len(samples), "veerkracht-sensitivity: model runs")
        outputs = []
        for output in pool.map(evaluate, [spec] * len(samples), samples, chunksize=4):
            outputs.append(output)
            shown.add(done=1)
        shown.close()
        outputs = np.array(outputs)
    out.mkdir(parents=True, exist_ok=True)
    table = pd.DataFrame(samples, columns=list(spec["parameters"]))
    table[spec["outputs"]] = outputs
    table.to_csv(out / "samples.csv", index=False)
    indices = analyse(spec, samples, outputs)
    indices.to_csv(out / "indices.csv", index=False)
    save_for_print(bar_chart(spec, indices), out / "indices")
    return indices


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``veerkracht-sensitivity``."""
    parser = argparse.ArgumentParser(
        prog="veerkracht-sensitivity", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("spec", type=Path, help="the sensitivity spec (YAML)")
    parser.add_argument("--out", type=Path, help="output folder (default: sensitivity/<spec name>)")
    args = parser.parse_args(argv)
    out = args.out or Path("sensitivity") / args.spec.stem
    try:
        indices = run_analysis(args.spec, out)
    except ConfigError as error:
        parser.exit(2, f"veerkracht-sensitivity: error: {error}\n")
    print(indices.to_string(index=False))
    print(f"veerkracht-sensitivity: {out / 'indices.csv'}, {out / 'indices.png'}")


if __name__ == "__main__":
    main()
