"""``veerkracht-aggregate SWEEP_DIR``: one tidy table from any sweep, complete or not.

Writes ``SWEEP_DIR/runs.parquet`` and ``runs.csv`` (one row per run: its status ``ok``,
``failed`` or ``missing``, the error of a failed run, the seed, its policy levers (``policy``:
``co_design + flood_defences``, or ``none``), every config key that varies across the sweep,
and every summary key) and ``SWEEP_DIR/timeseries.parquet`` (the per-step
series of every completed run, with the same identifying columns).

The expected runs come from the sweep itself (``multirun.yaml``: the command-line overrides
and ``hydra.sweeper.params``), expanded as Hydra's basic sweeper does, in the same order, so
job ``N`` is folder ``SWEEP_DIR/N``; a job with ``replicates`` > 1 holds one ``seed=S`` folder
per run. Runs that never started count as missing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd
from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

from experiments.progress import Progress, SweepProgress
from experiments.runs import COMPLETE, ERROR, replicate_configs, run_folder
from simulation.calibration import with_drawn_rates
from simulation.compose import compose_config, config_from_dict, config_to_dict, to_config
from simulation.config import ConfigError
from simulation.results import SUMMARY_FILE, write_atomically

POSTERIOR = "calibration.posterior"
IDENTIFYING = ("job", "seed", "status", "error", "folder", "policy")


def expected_jobs(sweep_dir: Path) -> list[list[str]]:
    """The override list of every job of the sweep, in job-number order."""
    multirun = OmegaConf.load(sweep_dir / "multirun.yaml")
    params = multirun.hydra.sweeper.get("params")
    params = OmegaConf.to_container(params) if params else {}
    arguments = [f"{key}={value}" for key, value in params.items()] + list(multirun.hydra.overrides.task)
    parser = OverridesParser.create()
    jobs = BasicSweeper.split_arguments(parser.parse_overrides(arguments), max_batch_size=None)[0]
    return [[o for o in job if not o.lstrip("+~").startswith("hydra")] for job in jobs]


def expected_run_count(sweep_dir: Path) -> int:
    """How many runs the sweep holds: its jobs, each with its ``replicates`` (the config's unless a job sets it)."""
    jobs = expected_jobs(sweep_dir)
    default = (
        to_config(compose_config([o for o in jobs[0] if not o.startswith("replicates=")])).replicates if jobs else 1
    )
    counts = [int(next((o.split("=", 1)[1] for o in job if o.startswith("replicates=")), default)) for job in jobs]
    return sum(counts)


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dicts as ``a.b.c`` keys; lists as JSON text."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = json.dumps(value) if isinstance(value, list) else value
    return flat


def job_runs(sweep_dir: Path, number: int, overrides: list[str]) -> tuple[list[dict[str, Any]], set[str]]:
    """The rows of one job's runs (status, config flattened, summary), and the names of its config keys."""
    job_folder = sweep_dir / str(number)
    saved = job_folder / ".hydra" / "config.yaml"
    try:
        if saved.exists():
            config = config_from_dict(OmegaConf.to_container(OmegaConf.load(saved)))
        else:
            config = to_config(compose_config(overrides))
    except ConfigError as error:
        return [
            {
                "job": number,
                "seed": None,
                "status": "failed",
                "error": str(error),
                "folder": str(job_folder),
                "policy": None,
            }
        ], set()
    rows = []
    replicates = replicate_configs(config)
    flat_config = flatten(config_to_dict(replicates[0]))  # the same for every replicate but the seed
    levers = " + ".join(config.policy.enabled()) or "none"
    for replicate in replicates:
        folder = run_folder(job_folder, replicate, config.replicates)
        row: dict[str, Any] = {"job": number, "folder": str(folder.relative_to(sweep_dir)), "policy": levers}
        # a run that draws from a posterior records the rates it drew
        drawn = replicate.calibration.posterior and flatten(config_to_dict(with_drawn_rates(replicate)))
        row.update(drawn or flat_config, seed=replicate.seed)
        if (folder / COMPLETE).exists():
            row.update(status="ok", error=None, **json.loads((folder / SUMMARY_FILE).read_text()))
        elif (folder / ERROR).exists():
            row.update(status="failed", error=(folder / ERROR).read_text().splitlines()[0])
        else:
            row.update(status="missing", error=None)
        rows.append(row)
    return rows, set(flat_config)


def varying(runs: pd.DataFrame, config_columns: list[str]) -> list[str]:
    """The config columns whose value differs between runs."""
    return [c for c in config_columns if runs[c].astype(str).nunique(dropna=False) > 1]


def aggregate(sweep_dir: str | Path, progress: bool = True) -> pd.DataFrame:
    """Collect a sweep into runs.parquet, runs.csv and timeseries.parquet; return the runs table."""
    sweep_dir = Path(sweep_dir)
    jobs = expected_jobs(sweep_dir)
    rows: list[dict[str, Any]] = []
    config_keys: set[str] = set()  # the union over every scenario schema in the sweep
    shown = Progress(len(jobs), "veerkracht-aggregate: reading", unit="jobs") if progress else None
    for number, overrides in enumerate(jobs):
        job_rows, job_keys = job_runs(sweep_dir, number, overrides)
        rows += job_rows
        config_keys |= job_keys
        if shown:
            shown.add(done=1)
    if shown:
        shown.close()
    table = pd.DataFrame(rows)
    config_columns = [c for c in table.columns if c in config_keys]
    keep_config = [c for c in varying(table, config_columns) if c != "seed"]
    if POSTERIOR not in keep_config and POSTERIOR in table and table[POSTERIOR].notna().any():
        keep_config.append(POSTERIOR)  # names the rates drawn per run (experiments.calibrated.drawn_keys)
    summary_columns = [c for c in table.columns if c not in config_columns and c not in IDENTIFYING]
    runs = table[[*IDENTIFYING, *keep_config, *summary_columns]]

    series = []
    for _, run in runs[runs.status == "ok"].iterrows():
        frame = pd.read_parquet(sweep_dir / run["folder"] / "timeseries.parquet")
        for column in ("job", "seed", "policy", *keep_config):
            frame.insert(0, column, run[column])
        series.append(frame)
    timeseries = pd.concat(series, ignore_index=True) if series else pd.DataFrame()

    write_atomically(sweep_dir / "runs.parquet", lambda p: runs.to_parquet(p, index=False))
    write_atomically(sweep_dir / "runs.csv", lambda p: runs.to_csv(p, index=False))
    write_atomically(sweep_dir / "timeseries.parquet", lambda p: timeseries.to_parquet(p, index=False))
    if progress:
        counts = runs.status.value_counts().to_dict()
        print(f"veerkracht-aggregate: {len(runs)} runs ({counts}) -> {sweep_dir / 'runs.parquet'}", file=sys.stderr)
    return runs


class RememberSweep(Callback):
    """Hydra callback: note the sweep folder, so the command can aggregate it when the sweep ends,
    and show the sweep's progress meanwhile (``experiments.progress``).

    Hydra skips ``on_multirun_end`` when a job failed, so ``simulation.cli.main`` aggregates
    after the sweep, failed or not.
    """

    sweep_dir: Path | None = None
    progress: SweepProgress | None = None

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        RememberSweep.sweep_dir = Path(config.hydra.sweep.dir)
        RememberSweep.progress = SweepProgress(RememberSweep.sweep_dir, expected_run_count)


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``veerkracht-aggregate``."""
    parser = argparse.ArgumentParser(prog="veerkracht-aggregate", description=__doc__.splitlines()[0])
    parser.add_argument("sweep_dir", type=Path, help="a sweep folder (holding multirun.yaml)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)
    if not (args.sweep_dir / "multirun.yaml").exists():
        parser.error(f"{args.sweep_dir} is not a sweep folder: it has no multirun.yaml")
    aggregate(args.sweep_dir, progress=not args.quiet)


if __name__ == "__main__":
    main()
