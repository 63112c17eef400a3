"""Sweeps: launchers, nothing lost, resuming, aggregation, report and sensitivity analysis (tiny sweeps)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.text import Text

from experiments.aggregate import IDENTIFYING
from experiments.report import cohesion_section

TINY = ["population.households=200", "scenario.horizon_days=2", "output.figures=false"]

pytestmark = pytest.mark.slow  # the fast tier leaves these out


def command(module: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    code = f"from {module} import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


def sweep(tmp_path: Path, name: str, *args: str) -> tuple[subprocess.CompletedProcess, Path]:
    folder = tmp_path / name
    result = command("simulation.cli", "-m", *TINY, *args, f"hydra.sweep.dir={folder}", cwd=tmp_path)
    return result, folder


def summaries(folder: Path) -> dict[str, dict]:
    return {str(p.parent.relative_to(folder)): json.loads(p.read_text()) for p in folder.rglob("summary.json")}


def test_serial_and_local_parallel_give_identical_runs(tmp_path):
    serial, a = sweep(tmp_path, "serial", "seed=1,2", "network.bridging_degree=0,3")
    parallel, b = sweep(
        tmp_path, "parallel", "seed=1,2", "network.bridging_degree=0,3", "hydra/launcher=local_parallel"
    )
    assert serial.returncode == 0 and parallel.returncode == 0, serial.stderr + parallel.stderr
    assert len(summaries(a)) == 4
    assert summaries(a) == summaries(b), "the launcher must not change any result"


def test_aggregate_has_one_row_per_run_with_the_right_columns(tmp_path):
    result, folder = sweep(tmp_path, "agg", "seed=4", "replicates=3", "network.homophily=0,0.9")
    assert result.returncode == 0, result.stderr
    runs = pd.read_parquet(folder / "runs.parquet")
    assert len(runs) == 6, "2 jobs x 3 replicates"
    assert set(runs.seed) == {4, 5, 6}
    assert (runs.status == "ok").all()
    for column in ("job", "seed", "status", "network.homophily", "t90_days", "resilience_loss_days"):
        assert column in runs, f"missing column {column}"
    assert "network.bonding_degree" not in runs, "only parameters that vary are columns"
    assert pd.read_csv(folder / "runs.csv").shape == runs.shape
    series = pd.read_parquet(folder / "timeseries.parquet")
    assert len(series) == 6 * (2 * 24 + 1) and {"seed", "network.homophily", "day", "functioning"} <= set(
        series.columns
    )


def test_a_failing_combination_is_marked_and_the_others_kept(tmp_path):
    # One neighbourhood with full homophily leaves no room for bridging ties: that job fails.
    result, folder = sweep(tmp_path, "fail", "population.neighbourhoods=1", "network.homophily=0.5,1", "seed=0,1")
    assert result.returncode != 0, "a sweep with a failed job exits non-zero"
    runs = pd.read_parquet(folder / "runs.parquet")
    assert sorted(runs.status) == ["failed", "failed", "ok", "ok"]
    failed = runs[runs.status == "failed"]
    assert (failed["network.homophily"] == 1).all()
    assert failed.error.str.contains("bridging_degree").all(), "the error message is kept"
    for folder_name in failed.folder:
        assert (folder / folder_name / "error.txt").exists() and not (folder / folder_name / "COMPLETE").exists()


def test_rerunning_a_sweep_skips_completed_runs_and_fills_in_missing_ones(tmp_path):
    first, folder = sweep(tmp_path, "resume", "seed=0,1,2")
    assert first.returncode == 0, first.stderr
    done = folder / "0" / "COMPLETE"
    stamp = done.stat().st_mtime_ns
    for path in (folder / "2").iterdir():  # as if the sweep had been interrupted before job 2 finished
        if path.is_file():
            path.unlink()
    runs = command("experiments.aggregate", str(folder), "--quiet", cwd=tmp_path)
    assert runs.returncode == 0, runs.stderr
    assert list(pd.read_parquet(folder / "runs.parquet").status) == ["ok", "ok", "missing"]
    again, _ = sweep(tmp_path, "resume", "seed=0,1,2")
    assert again.returncode == 0, again.stderr
    assert done.stat().st_mtime_ns == stamp, "a completed run is not run again"
    progress = [line for line in again.stderr.splitlines() if line.startswith("veerkracht: sweep: ")]
    assert progress and progress[-1].startswith("veerkracht: sweep: 3/3 runs (2 skipped as complete)"), (
        f"expected the sweep's progress to reach 3/3 and tell the two skipped runs apart, got {progress}"
    )
    assert list(pd.read_parquet(folder / "runs.parquet").status) == ["ok", "ok", "ok"]


def test_submitit_local_completes_a_two_run_sweep(tmp_path):
    result, folder = sweep(tmp_path, "submitit", "seed=0,1", "hydra/launcher=submitit_local")
    assert result.returncode == 0, result.stderr
    assert len(summaries(folder)) == 2


def test_report_writes_its_figures_and_effect_table(tmp_path):
    result, folder = sweep(
        tmp_path, "cohesion", "replicates=3", "network.bonding_degree=1,6", "network.bridging_degree=0,3"
    )
    assert result.returncode == 0, result.stderr
    report = command("experiments.report", str(folder), cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    out = folder / "report"
    for name in ("recovery_curves", "heatmap_resilience_loss", "precariaat_gap"):
        for suffix in ("png", "pdf", "svg"):
            assert (out / f"{name}.{suffix}").stat().st_size > 0, f"missing {name}.{suffix}"
    for table in ("effects", "class_days_saved"):
        assert "\\toprule" in (out / f"{table}.tex").read_text(), f"expected {table} as a LaTeX (booktabs) table"
        assert (out / f"{table}.csv").stat().st_size > 0, f"expected {table}.csv"
    text = (out / "report.md").read_text()
    assert "## Methods" in text and "200 households" in text and "Seeds 0-2 (3 per setting)" in text, (
        "expected a methods paragraph naming households and seeds"
    )
    assert "commit " in text and "SHA-256" in text, "expected the model's commit and the sweep's config hash"
    runs, timeseries = pd.read_parquet(folder / "runs.parquet"), pd.read_parquet(folder / "timeseries.parquet")
    _, figures = cohesion_section(runs, timeseries, folder, tmp_path)
    for name, figure in figures.items():
        for shown in figure.findobj(Text):
            words = shown.get_text()
            assert not re.search(r"\w\.\w+_|network\.|[a-z]_[a-z]", words), f"{name} shows a raw key: {words!r}"
    effects = pd.read_csv(out / "effects.csv")
    loss = effects[effects.summary_key == "resilience_loss_days"].iloc[0]
    assert loss.pairs == 3, "three seeds paired"
    assert loss.ci95_low <= loss.difference <= loss.ci95_high
    assert loss.difference < 0, "more ties should lower resilience loss in the leak"


def test_report_of_a_policy_sweep_gives_the_policy_table_and_figure(tmp_path):
    result, folder = sweep(
        tmp_path,
        "policy",
        "replicates=3",
        "scenario=flooding,leak",
        "scenario.horizon_days=400",
        "scenario.step_days=7",  # flooding's own step; the leak in weeks: dikes do nothing there at any step
        "policy=choice([flood_defences],[caring_neighbourhood,flood_defences])",
    )
    assert result.returncode == 0, result.stderr
    report = command("experiments.report", str(folder), cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    out = folder / "report"
    assert (out / "policy.png").stat().st_size > 0, "missing the policy figure"
    assert "## Policy levers" in (out / "report.md").read_text(), "expected the policy section in the report"
    table = pd.read_csv(out / "policy.csv")
    assert set(table.policy) == {"flood_defences", "caring_neighbourhood + flood_defences"}
    assert (table.seeds == 3).all(), "three seeds per scenario and set of levers"
    dikes = table[(table.scenario == "flooding") & (table.policy == "flood_defences")].iloc[0]
    assert dikes.cost_meur > 0 and dikes.gain_days_low <= dikes.gain_days <= dikes.gain_days_high
    in_leak = table[(table.scenario == "leak") & (table.policy == "flood_defences")].iloc[0]
    assert in_leak.gain_days == 0 and in_leak.cost_meur == 0, "dikes do nothing in a leak and cost nothing there"


def test_sobol_gives_indices_for_every_parameter(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "method: sobol\nscenario: leak\noverrides: [population.households=200, scenario.horizon_days=30]\n"
        "samples: 4\nprocesses: 2\noutputs: [resilience_loss_days]\n"
        "parameters:\n  network.bonding_degree: [0, 6]\n  government.delay_days: [0, 20]\n"
    )
    result = command("experiments.sensitivity", str(spec), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    indices = pd.read_csv(tmp_path / "out" / "indices.csv")
    assert set(indices.parameter) == {"network.bonding_degree", "government.delay_days"}
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(indices.columns)
    assert indices[["S1", "ST"]].notna().all().all()
    assert (tmp_path / "out" / "indices.png").exists()


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            "method: anova\nscenario: leak\nsamples: 4\noutputs: [t90_days]\nparameters: {seed: [0, 1]}\n",
            "method='anova'",
        ),
        (
            "method: sobol\nscenario: leak\nsamples: 4\noutputs: [t90_days]\nparameters: {seed: [3, 1]}\n",
            "parameters.seed",
        ),
    ],
)
def test_a_bad_sensitivity_spec_exits_2_with_one_line(tmp_path, spec, expected):
    path = tmp_path / "spec.yaml"
    path.write_text(spec)
    result = command("experiments.sensitivity", str(path), cwd=tmp_path)
    assert result.returncode == 2 and expected in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_aggregate_files_every_scenarios_own_keys_as_config_columns(tmp_path):
    # A reduced cohesion preset over the three scenarios.
    result = command(
        "simulation.cli",
        "-m",
        "+experiment=cohesion",
        "network.bonding_degree=1",
        "network.bridging_degree=0,4",
        "replicates=1",
        "population.households=200",
        f"hydra.sweep.dir={tmp_path / 'cohesion'}",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "cohesion"
    runs = pd.read_parquet(folder / "runs.parquet")
    assert sorted(runs["scenario.name"].unique()) == ["flooding", "leak", "sea_level_rise"]
    summary_keys = set().union(*(summaries(folder).values()))
    columns = list(runs.columns)
    first_summary = min(columns.index(key) for key in summary_keys)
    config_columns = columns[len(IDENTIFYING) : first_summary]
    for key in ("scenario.floods_per_year", "scenario.sea_level_path", "scenario.onset_day"):
        assert key in config_columns, f"{key} is a config key of one scenario: a config column, not a summary one"
    assert set(columns[first_summary:]) <= summary_keys, "only summary keys follow the config columns"
    leak = runs[runs["scenario.name"] == "leak"]
    assert leak["scenario.floods_per_year"].isna().all(), "a key of another scenario is empty for the leak"


def test_the_channels_preset_reports_cohesions_effect_with_each_channel_switched_off(tmp_path):
    from simulation.config import CHANNELS

    folder = tmp_path / "channels"
    result = command(
        "simulation.cli",
        "-m",
        "+experiment=channels",
        "population.households=200",
        "replicates=2",
        "scenario.schedule_days=[30]",  # one flood on day 30, so that every run has one
        "scenario.schedule_severity=[0.5]",
        "scenario.horizon_days=365",
        f"hydra.sweep.dir={folder}",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    report = command("experiments.report", str(folder), cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    text = (folder / "report" / "report.md").read_text()
    section = text[text.index("## Which channel carries cohesion's effect") :]
    missing = [channel for channel in CHANNELS if channel not in section]
    assert not missing, f"expected the channels section to name every channel, missing {missing}"
    table = pd.read_csv(folder / "report" / "channels.csv")
    assert set(table.switched_off) == {"(none: every channel on)", *CHANNELS}, "one row per channel and outcome"
    assert (table.pairs == 2).all(), "two seeds paired in every row"
    all_on = table[table.switched_off == "(none: every channel on)"]
    assert (all_on.carried_effect == 0).all(), "with every channel on, nothing is switched off to carry anything"


def test_a_complete_run_made_by_another_model_runs_again(tmp_path):
    from experiments.runs import PROVENANCE, RAN, SKIPPED, run_into
    from simulation import load_config

    cfg = load_config("leak", ["population.households=100", "scenario.horizon_days=0.75", "output.figures=false"])
    assert run_into(cfg, tmp_path) == RAN, "a fresh folder should run"
    assert run_into(cfg, tmp_path) == SKIPPED, "the same config by the same model should be skipped"
    made_by = json.loads((tmp_path / PROVENANCE).read_text())
    (tmp_path / PROVENANCE).write_text(json.dumps({**made_by, "commit": "0123456789ab"}) + "\n")
    assert run_into(cfg, tmp_path) == RAN, "a run made by another commit should run again, not be mixed in"


def test_runs_of_a_sweep_share_their_lever_free_twin(tmp_path, monkeypatch):
    from experiments import runs
    from simulation import load_config, run, running

    base = ["population.households=200", "scenario.horizon_days=1", "output.figures=false", "seed=3"]
    # the sweep's lever-free run first, as its job comes first; a lever run that comes first runs the twin itself
    levers = ("none", "[co_design]", "[receptive_government]")
    configs = {name: load_config("leak", [*base, f"policy={name}"]) for name in levers}
    built = []
    real = running.run_model
    monkeypatch.setattr(running, "run_model", lambda cfg: built.append(cfg.policy.enabled()) or real(cfg))
    monkeypatch.setattr(runs, "run_model", running.run_model)
    twins = runs.SharedTwins(tmp_path / runs.TWINS)
    for name, cfg in configs.items():
        assert runs.run_into(cfg, tmp_path / name, twins) == runs.RAN, f"expected the {name} run to run"
    assert sorted(map(tuple, built)) == [(), ("co_design",), ("receptive_government",)], (
        f"expected each lever run and one shared lever-free twin to be built once, got {built}"
    )
    alone = run(configs["[receptive_government]"]).summary
    shared = json.loads((tmp_path / "[receptive_government]" / "summary.json").read_text())
    assert shared["recovery_gained_days"] == alone["recovery_gained_days"], (
        "expected the gain against a shared twin to equal the gain against a twin run alone"
    )
