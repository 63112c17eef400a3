"""Shared helpers (small configs that run in a fraction of a second), and the suite's rule that
tests write only under temporary folders: Hypothesis keeps its examples in the system's temporary
folder, and a session that leaves new files in the checkout fails, naming them."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from simulation import CrisisModel, load_config

# Before Hypothesis first stores anything (it would make .hypothesis/ in the working directory).
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "veerkracht-hypothesis"))

SMALL = ["population.households=1500"]
# One flood of a tenth of the town's homes on day 10, in daily steps, followed for half a year.
ONE_FLOOD = [
    "population.households=1000",
    "scenario.schedule_days=[10]",
    "scenario.schedule_severity=[0.35]",
    "scenario.step_days=1",
    "scenario.horizon_days=200",
]
ROOT = Path(__file__).resolve().parents[1]
BEFORE = pytest.StashKey[set | None]()  # what was outside git when the session began
TOOLS = (".venv*", ".pytest_cache", ".ruff_cache", "**/__pycache__", "*.egg-info")  # the tools' own, not the tests'


def small_config(*overrides: str, scenario: str = "leak"):
    """A validated config of a small population, with extra overrides."""
    return load_config(scenario=scenario, overrides=[*SMALL, *overrides])


def flood_model(*overrides: str, seed: int) -> CrisisModel:
    """A model of ``ONE_FLOOD`` with extra overrides and a seed."""
    return CrisisModel(load_config("flooding", [*ONE_FLOOD, *overrides, f"seed={seed}"]))


@pytest.fixture
def small():
    return small_config


def files_outside_git() -> set[str] | None:
    """Untracked and ignored paths of the checkout, tools' caches left out (None outside a git checkout)."""
    try:
        listed = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--ignored", "--untracked-files=all", "--", "."]
            + [f":(exclude){tool}" for tool in TOOLS],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return {line[3:] for line in listed.stdout.splitlines() if line[:2] in ("??", "!!")}


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):  # the controller (or a run without xdist), not a worker
        session.config.stash[BEFORE] = files_outside_git()


def pytest_sessionfinish(session, exitstatus):
    before = session.config.stash.get(BEFORE, None)
    after = files_outside_git() if before is not None else None
    if after is None or not (new := sorted(after - before)):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    reporter.write_line(
        f"\nFAILED: the test session wrote into the checkout ({', '.join(new)}); tests write under tmp_path"
    )
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
