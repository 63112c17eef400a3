"""The ``veerkracht`` command: a Hydra app that runs the model and writes a run folder.

``veerkracht scenario=leak seed=3`` runs once; ``veerkracht -m ...`` sweeps. Bad input is
reported in one line on stderr with exit code 2, before anything is written.
"""

from __future__ import annotations

import sys
from pathlib import Path

import hydra
from hydra._internal.utils import get_args_parser
from hydra.core.hydra_config import HydraConfig
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import ValueType
from hydra.errors import HydraException
from hydra.types import RunMode
from omegaconf import DictConfig

from simulation.compose import compose_config, register, to_config
from simulation.config import ConfigError
from simulation.model import CrisisModel
from simulation.plots import run_figures
from simulation.results import Results


def save_run(results: Results, folder: Path) -> None:
    """Write the figures, then the results (whose summary.json comes last)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, figure in run_figures(results).items():
        figure.savefig(folder / name, dpi=100)
    results.save(folder)


def override_variants(arguments: list[str]) -> list[list[str]]:
    """Override lists that together use every value of every sweep at least once.

    The first list takes the first value of each sweep; each further list changes one sweep
    to one of its other values. Glob sweeps choose among existing options and are left out.
    """
    parser = OverridesParser.create()
    try:
        parsed = parser.parse_overrides(arguments)
    except HydraException as error:
        raise ConfigError(str(error).strip().splitlines()[0]) from None
    fixed, sweeps = [], []
    for override in parsed:
        key = override.get_key_element()
        if override.key_or_group.startswith("hydra"):
            continue
        if not override.is_sweep_override():
            fixed.append(override.input_line)
        elif override.value_type in (ValueType.SIMPLE_CHOICE_SWEEP, ValueType.CHOICE_SWEEP, ValueType.RANGE_SWEEP):
            sweeps.append([f"{key}={value}" for value in override.sweep_string_iterator()])
    first = [values[0] for values in sweeps]
    variants = [fixed + first]
    for position, values in enumerate(sweeps):
        variants += [fixed + first[:position] + [value] + first[position + 1 :] for value in values[1:]]
    return variants


def check_arguments(argv: list[str]) -> None:
    """Compose and validate the config the arguments ask for; raise ConfigError if it is not allowed."""
    args, _ = get_args_parser().parse_known_args(argv)
    if args.help or args.hydra_help or args.cfg or args.info or args.shell_completion:
        return
    for overrides in override_variants(args.overrides):
        to_config(compose_config(overrides))


@hydra.main(version_base="1.3", config_path="conf", config_name="config")
def run_job(cfg: DictConfig) -> None:
    """Run one configured model and write its folder.

    A config that only shows itself impossible while the model is built (say, ties the
    population cannot hold) ends a single run with exit code 2 and one line; in a sweep it
    fails that job only, and Hydra goes on with the others.
    """
    hydra_config = HydraConfig.get()
    folder = Path(hydra_config.runtime.output_dir)
    try:
        model = CrisisModel(to_config(cfg))
    except ConfigError as error:
        if hydra_config.mode == RunMode.MULTIRUN:
            raise
        print(f"veerkracht: error: {error}", file=sys.stderr)
        sys.exit(2)
    save_run(model.run(), folder)
    print(f"veerkracht: results in {folder}")


def main() -> None:
    """Entry point of the ``veerkracht`` script."""
    register()
    try:
        check_arguments(sys.argv[1:])
    except ConfigError as error:
        print(f"veerkracht: error: {error}", file=sys.stderr)
        sys.exit(2)
    run_job()


if __name__ == "__main__":
    main()
