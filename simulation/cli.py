"""The ``veerkracht`` command: a Hydra app that runs the model and writes a run folder.

``veerkracht scenario=leak seed=3`` runs once; ``veerkracht -m ...`` sweeps. Bad input is
reported in one line on stderr with exit code 2, before anything is written.
``veerkracht demo`` serves the class demo instead (``simulation.demo.serve``).
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

import hydra
import yaml
from hydra._internal.utils import get_args_parser
from hydra.core.hydra_config import HydraConfig
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import ValueType
from hydra.errors import HydraException
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from experiments.aggregate import RememberSweep, aggregate
from experiments.runs import ERROR, RAN, TWINS, SharedTwins, replicate_configs, run_folder, run_into
from simulation.compose import compose_config, explain, register, to_config
from simulation.config import ConfigError
from simulation.memory import check_memory
from simulation.parallel import THREADS_VARIABLE
from simulation.style import duration, number, percent

SCALAR_KEYS = ("seed", "replicates")  # top-level keys that hold values, not config groups
# joblib's process pool (loky, under hydra/launcher=local_parallel) replaces a worker whose memory
# grew by more than 300 MB since its first job, after that job finished, and warns of "a memory
# leak". A worker that ran a small town and then a large one grows that much without leaking;
# no run is lost (each writes its folder itself). The README says so; the warning is not shown.
LOKY_WORKER_REPLACED = "A worker stopped while some jobs were given to the executor"


def override_variants(arguments: list[str]) -> list[tuple[list[str], list[str]]]:
    """Configs that together use every value of every sweep at least once.

    Each variant is a pair: overrides to compose with, and value overrides to apply to the
    composed config afterwards (cheap, so a sweep over a thousand seeds is checked quickly).
    The first variant takes the first value of each sweep; each further one changes one sweep
    to another of its values. Glob sweeps choose among existing options and are left out.
    """
    parser = OverridesParser.create()
    try:
        parsed = parser.parse_overrides(arguments)
    except HydraException as error:
        raise ConfigError(str(error).strip().splitlines()[0]) from None
    fixed, sweeps = [], []
    for override in parsed:
        if override.key_or_group.startswith("hydra"):
            continue
        if not override.is_sweep_override():
            fixed.append(override.input_line)
        elif override.value_type in (ValueType.SIMPLE_CHOICE_SWEEP, ValueType.CHOICE_SWEEP, ValueType.RANGE_SWEEP):
            key = override.get_key_element()
            sweeps.append((key, [f"{key}={value}" for value in override.sweep_string_iterator()]))
    first = [values[0] for _, values in sweeps]
    variants = [(fixed + first, [])]
    for position, (key, values) in enumerate(sweeps):
        for value in values[1:]:
            if "." in key or key in SCALAR_KEYS:  # a value: apply it to the first variant's config
                variants.append((fixed + first, [value]))
            else:  # a config group: compose anew
                variants.append((fixed + first[:position] + [value] + first[position + 1 :], []))
    return variants


def check_arguments(argv: list[str]) -> None:
    """Compose and validate the config the arguments ask for; raise ConfigError if it is not allowed."""
    args, _ = get_args_parser().parse_known_args(argv)
    if args.help or args.hydra_help or args.cfg or args.info or args.shell_completion:
        return
    composed: dict[tuple[str, ...], DictConfig] = {}
    for overrides, values in override_variants(args.overrides):
        key = tuple(overrides)
        if key not in composed:
            composed[key] = compose_config(overrides)
        cfg = composed[key].copy()
        for value in values:
            name, _, text = value.partition("=")
            try:
                OmegaConf.update(cfg, name, yaml.safe_load(text) if text else None, merge=True)
            except OmegaConfBaseException as error:
                raise ConfigError(explain(error)) from None
        check_memory(to_config(cfg))


@hydra.main(version_base="1.3", config_path="conf", config_name="config")
def run_job(cfg: DictConfig) -> None:
    """Run one job (one config, or ``replicates`` seeds of it) into its folder.

    A single run that fails on its config (say, ties the population cannot hold) ends with
    exit code 2 and one line. In a sweep a failed run leaves error.txt in its folder and fails
    its job only; Hydra goes on with the other jobs.
    """
    hydra_config = HydraConfig.get()
    job_folder = Path(hydra_config.runtime.output_dir)
    config = to_config(cfg)
    failures = []
    single = hydra_config.mode != RunMode.MULTIRUN  # a sweep shows its progress instead (experiments.progress)
    if not single and "joblib" in str(hydra_config.launcher.get("_target_", "")):
        os.environ.setdefault(THREADS_VARIABLE, "1")  # runs side by side share the cores: one thread each
    # the runs of a sweep share their lever-free twins (a single run computes its own)
    twins = None if single else SharedTwins(Path(hydra_config.sweep.dir) / TWINS)
    for replicate in replicate_configs(config):
        folder = run_folder(job_folder, replicate, config.replicates)
        outcome = run_into(replicate, folder, twins)
        if isinstance(outcome, Exception):
            failures.append((folder, outcome))
        elif single:
            print(
                f"veerkracht: results in {folder}"
                if outcome == RAN
                else f"veerkracht: already complete, kept: {folder}"
            )
            show_headline(folder)
            show_case_fit(folder)
    if not failures:
        return
    if single and len(failures) == 1:
        folder, error = failures[0]
        print(f"veerkracht: error: {error}", file=sys.stderr)
        sys.exit(2 if isinstance(error, ConfigError) else 1)
    raise RuntimeError(f"{len(failures)} of {config.replicates} runs failed; see {ERROR} in {failures[0][0]}")


def headline(summary: dict, households: int) -> list[str]:
    """Five lines of a run's headline results in words, each time in the unit that reads best (hours for a leak)."""

    def took(key: str) -> str:
        return "not by the horizon" if summary.get(key) is None else f"{duration(summary[key])} after the first shock"

    gap = summary.get("precariaat_gap_days")
    if gap is None:
        precariaat = "the precariaat: none of it was hit"
    else:
        sooner = "later" if gap > 0 else "sooner"
        precariaat = f"the precariaat recovered {duration(abs(gap))} {sooner} than everyone else, on average"
    return [
        f"hit: {percent(summary['affected_share'])} of {number(households)} households",
        f"half of them had recovered {took('t50_days')}, nine in ten {took('t90_days')}",
        f"functioning lost (resilience loss): {duration(summary['resilience_loss_days'])} of normal life, "
        "averaged over the affected",
        precariaat,
        f"not recovered at the horizon: {percent(summary['unrecovered_share'] or 0.0)} of the affected; "
        f"at the peak {percent(summary['peak_disruption_share'] or 0.0)} of households feared for essentials",
    ]


def show_headline(folder: Path) -> None:
    """Print a run's headline results (``headline``) from its folder."""
    import json

    summary = json.loads((folder / "summary.json").read_text())
    households = yaml.safe_load((folder / "config.yaml").read_text())["population"]["households"]
    print("\n".join(f"  {line}" for line in headline(summary, households)))


def show_case_fit(folder: Path) -> None:
    """Print a case's run against the case's real figures (``case_fit.csv``), where the run is of a case."""
    path = folder / "case_fit.csv"
    if path.exists():
        import pandas as pd

        fit = pd.read_csv(path).drop(columns="source")
        with pd.option_context("display.width", 200, "display.max_columns", 10):
            print("against the real figures (held-out targets were not fitted):")
            print(fit.to_string(index=False, float_format=lambda v: f"{v:.4g}"))


def main() -> None:
    """Entry point of the ``veerkracht`` script."""
    if sys.argv[1:2] == ["demo"]:
        from simulation.demo.serve import main as serve_demo

        serve_demo(sys.argv[2:])
        return
    register()
    warnings.filterwarnings("ignore", message=LOKY_WORKER_REPLACED, category=UserWarning)
    try:
        check_arguments(sys.argv[1:])
    except ConfigError as error:
        print(f"veerkracht: error: {error}", file=sys.stderr)
        sys.exit(2)
    try:
        run_job()
    finally:
        if RememberSweep.progress is not None:
            RememberSweep.progress.stop()
        if RememberSweep.sweep_dir is not None and (RememberSweep.sweep_dir / "multirun.yaml").exists():
            aggregate(RememberSweep.sweep_dir)


if __name__ == "__main__":
    main()
