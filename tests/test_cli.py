"""The `veerkracht` command: run folders, multirun, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SMALL = ["population.households=300", "scenario.horizon_days=20"]
RUN_FILES = {
    "config.yaml",
    "summary.json",
    "timeseries.parquet",
    "households.parquet",
    "events.parquet",
    "recovery_by_class.png",
}


def veerkracht(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", "from simulation.cli import main; main()", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_one_run_writes_every_file(tmp_path):
    result = veerkracht(*SMALL, "seed=3", "network.bridging_degree=4", f"hydra.run.dir={tmp_path}/run", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    files = {p.name for p in (tmp_path / "run").iterdir()}
    assert files >= RUN_FILES, f"missing {RUN_FILES - files}"
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["events"] == 1
    assert "seed: 3" in (tmp_path / "run" / "config.yaml").read_text()
    said = result.stdout.splitlines()
    headline = said[said.index(f"veerkracht: results in {tmp_path}/run") + 1 :][:5]
    assert len(headline) == 5 and all(line.startswith("  ") for line in headline), (
        f"expected five indented lines of headline results after the folder, got {said}"
    )
    assert "hours after the first shock" in headline[1] and "days" not in headline[1], (
        f"expected the leak's recovery times in hours, got {headline[1]!r}"
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("scenario", "figure"),
    [("flooding", "floods_by_class.png"), ("sea_level_rise", "sea_level_and_transformation.png")],
)
def test_long_scenarios_run_from_the_command_line_with_their_figures(tmp_path, scenario, figure):
    result = veerkracht(
        f"scenario={scenario}", "population.households=300", f"hydra.run.dir={tmp_path}/run", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    files = {p.name for p in (tmp_path / "run").iterdir()}
    assert files >= RUN_FILES | {"events.parquet", figure}, f"missing {RUN_FILES | {figure} - files}"


@pytest.mark.slow
def test_two_job_multirun(tmp_path):
    result = veerkracht("-m", *SMALL, "seed=1,2", f"hydra.sweep.dir={tmp_path}/sweep", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    summaries = [json.loads((tmp_path / "sweep" / job / "summary.json").read_text()) for job in ("0", "1")]
    assert summaries[0] != summaries[1], "the two seeds should give different runs"


@pytest.mark.parametrize(
    ("args", "key"),
    [  # three in the fast tier, the rest (a subprocess each) in the slow one
        (["scenario=earthquake"], "scenario"),
        pytest.param(["network.colour=1"], "network.colour", marks=pytest.mark.slow),
        (["+network.no_such_key=1"], "network.no_such_key"),
        pytest.param(["policy=[co_design,no_such_lever]"], "no_such_lever", marks=pytest.mark.slow),
        pytest.param(
            ["policy=[co_design]", "policy.co_design.cost_relief=2"],
            "policy.co_design.cost_relief",
            marks=pytest.mark.slow,
        ),
        pytest.param(["+policy.co_design.colour=1"], "policy.co_design.colour", marks=pytest.mark.slow),
        pytest.param(["polarisation.media_exposure=2"], "polarisation.media_exposure", marks=pytest.mark.slow),
        (["population.households=10000000000"], "GiB available"),
        pytest.param(["population.households=0"], "population.households", marks=pytest.mark.slow),
        pytest.param(["network.bonding_degree=-1"], "network.bonding_degree", marks=pytest.mark.slow),
        pytest.param(["seed=abc"], "seed", marks=pytest.mark.slow),
        pytest.param(["-m", "seed=1,2", "network.homophily=0.5,7"], "network.homophily", marks=pytest.mark.slow),
        pytest.param(
            ["population.households=200", "population.neighbourhoods=1", "network.homophily=1"],
            "bridging_degree",
            marks=pytest.mark.slow,
        ),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, args, key):
    result = veerkracht(*args, f"hydra.run.dir={tmp_path}/run", f"hydra.sweep.dir={tmp_path}/sweep", cwd=tmp_path)
    assert result.returncode == 2, f"expected exit code 2, got {result.returncode}: {result.stderr}"
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {lines}"
    assert key in lines[0] and "Traceback" not in result.stderr
    assert not list(tmp_path.rglob("summary.json")), "bad input should write no summary.json"


@pytest.mark.slow
def test_a_failing_job_leaves_the_other_runs_of_a_sweep_intact(tmp_path):
    # With one neighbourhood and full homophily no bridging tie can be placed: that job fails.
    result = veerkracht(
        "-m",
        *SMALL,
        "population.neighbourhoods=1",
        "network.homophily=0.5,1",
        f"hydra.sweep.dir={tmp_path}/sweep",
        cwd=tmp_path,
    )
    assert result.returncode != 0, "a sweep with a failed job should exit non-zero"
    assert (tmp_path / "sweep" / "0" / "summary.json").exists(), "the good job should have written its results"
    assert not (tmp_path / "sweep" / "1" / "summary.json").exists(), "the failed job should write no summary"


@pytest.mark.slow
def test_the_readme_shows_what_make_run_prints(tmp_path):
    result = veerkracht(f"hydra.run.dir={tmp_path}/default", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    printed = result.stdout.replace(f"{tmp_path}/default", "outputs/default").strip().splitlines()
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    shown = readme.split("veerkracht: results in outputs/default\n", 1)[1].split("```", 1)[0].rstrip().splitlines()
    assert printed[-6:] == ["veerkracht: results in outputs/default", *shown], (
        f"expected the README's example of make run's output to be what the default run prints: {printed[-6:]}"
    )
