"""Running configs into run folders: atomically, with a completion marker, skipping what is done.

A run folder is complete when it holds ``COMPLETE``, written after everything else. A run
that fails leaves ``error.txt`` (the error and its traceback) and no ``COMPLETE``. Running a
config into a folder that is already complete with the same config, made by the same model
version and commit, does nothing.
"""

from __future__ import annotations

import dataclasses
import fcntl
import functools
import hashlib
import json
import subprocess
import traceback
from importlib.metadata import version
from pathlib import Path

import yaml

from simulation.compose import config_to_dict
from simulation.config import Config
from simulation.plots import run_figures
from simulation.results import Results, write_atomically
from simulation.running import Twins, run, run_model

COMPLETE = "COMPLETE"
ERROR = "error.txt"
PROVENANCE = "provenance.json"
TWINS = ".twins"  # the folder of a sweep that keeps its runs' lever-free twins (SharedTwins)
SKIPPED, RAN = "skipped", "ran"  # what run_into did with a run that did not fail
PROJECT = Path(__file__).resolve().parents[1]


@functools.cache
def provenance() -> dict[str, str]:
    """The model's version and, in a git checkout, its commit (``+changes`` when the tree has uncommitted changes)."""

    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", "-C", str(PROJECT), *args], capture_output=True, text=True, timeout=30)
        except OSError:
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short=12", "HEAD")
    if commit and git("status", "--porcelain", "--untracked-files=no"):
        commit += "+changes"
    return {"version": version("veerkracht"), "commit": commit or "unknown (not a git checkout)"}


def save_run(results: Results, folder: Path) -> None:
    """Write the figures (if the config asks for them), the results, the run against its case's real figures
    (``case_fit.csv``, a run of ``+case=NAME``), then the completion marker."""
    folder.mkdir(parents=True, exist_ok=True)
    if results.config.output.figures:
        for name, figure in run_figures(results).items():
            write_atomically(folder / name, lambda p, figure=figure: figure.savefig(p, dpi=100, format="png"))
    results.save(folder)
    if results.config.calibration.case:  # a real case: the run against its real figures
        from experiments.targets import CASE_FIT, case_fit

        fit = case_fit(results.timeseries, results.config.population.households, results.config.calibration.case)
        write_atomically(folder / CASE_FIT, lambda p: fit.to_csv(p, index=False))
    write_atomically(folder / PROVENANCE, lambda p: p.write_text(json.dumps(provenance()) + "\n"))
    write_atomically(folder / COMPLETE, lambda p: p.write_text("complete\n"))


def is_complete(folder: Path, cfg: Config) -> bool:
    """Whether ``folder`` holds a complete run of exactly this config, made by this version of the model.

    A run made by another commit (or another state of uncommitted changes on top of one) is run
    again, so that a resumed sweep never mixes the results of two models.
    """
    if not (folder / COMPLETE).exists():
        return False
    saved = yaml.safe_load((folder / "config.yaml").read_text())
    made_by = json.loads((folder / PROVENANCE).read_text())
    return saved == config_to_dict(cfg) and made_by == provenance()


def replicate_configs(cfg: Config) -> list[Config]:
    """One config per replicate: seeds ``seed`` .. ``seed + replicates - 1``, each with replicates 1."""
    return [dataclasses.replace(cfg, seed=cfg.seed + k, replicates=1) for k in range(cfg.replicates)]


def run_folder(job_folder: Path, cfg: Config, replicates: int) -> Path:
    """Where a replicate of a job goes: the job folder itself, or ``seed=S`` inside it."""
    return job_folder if replicates == 1 else job_folder / f"seed={cfg.seed}"


class SharedTwins:
    """Lever-free twins shared by the runs of a sweep: each is run once, by whichever run needs it first.

    A run with levers is compared with the same town and seed without them. In a sweep over
    levers, every lever run of a seed has the same twin, and the sweep's own lever-free run of
    that seed is it. Their summaries are kept as JSON in ``directory``, one per twin config and
    model version, each behind a lock file, so that two processes (or cluster jobs on a shared
    file system) never run the same twin twice and no run waits for a twin another is not running.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _locked(self, cfg: Config):
        key = json.dumps([config_to_dict(cfg), provenance()], sort_keys=True, default=str)
        name = hashlib.sha256(key.encode()).hexdigest()[:24]
        self.directory.mkdir(parents=True, exist_ok=True)
        lock = open(self.directory / f"{name}.lock", "w")  # noqa: SIM115 (held until the caller closes it)
        fcntl.flock(lock, fcntl.LOCK_EX)
        return lock, self.directory / f"{name}.json"

    def summary(self, cfg: Config) -> dict:
        """The summary of the lever-free run ``cfg``: read if a run of the sweep made it, else run here and kept."""
        lock, path = self._locked(cfg)
        with lock:
            if path.exists():
                return json.loads(path.read_text())
            summary = run_model(cfg).summary
            write_atomically(path, lambda p: p.write_text(json.dumps(summary)))
            return summary

    def run(self, cfg: Config) -> Results:
        """Run the lever-free ``cfg`` in full and keep its summary for the runs whose twin it is."""
        lock, path = self._locked(cfg)
        with lock:
            results = run_model(cfg)
            write_atomically(path, lambda p: p.write_text(json.dumps(results.summary)))
            return results


def run_into(cfg: Config, folder: Path, twins: Twins | None = None) -> Exception | str:
    """Run ``cfg`` into ``folder`` unless it is complete already; return ``SKIPPED``, ``RAN`` or the error of a failed run.

    A failed run leaves ``error.txt`` in its folder and never raises, so that the other runs
    of a job or sweep go on. ``twins`` (a sweep's ``SharedTwins``) lets runs with levers share
    their lever-free twins.
    """
    if is_complete(folder, cfg):
        return SKIPPED
    folder.mkdir(parents=True, exist_ok=True)
    for marker in (COMPLETE, ERROR):
        (folder / marker).unlink(missing_ok=True)
    try:
        lever_free_of_a_sweep = isinstance(twins, SharedTwins) and not cfg.policy.enabled()
        save_run(twins.run(cfg) if lever_free_of_a_sweep else run(cfg, twins), folder)
    except Exception as error:
        message = f"{type(error).__name__}: {error}\n\n{traceback.format_exc()}"
        write_atomically(folder / ERROR, lambda p: p.write_text(message))
        return error
    return RAN
