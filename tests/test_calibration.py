"""Calibration: targets files, recovery of known rates from synthetic data, the calibrated preset."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from experiments.calibrate import calibrate
from experiments.targets import load_case
from simulation import load_config
from simulation.config import ConfigError

TARGETS = Path(__file__).resolve().parent.parent / "experiments" / "targets"
TRUE_REPAIR_HOURS = 6.0  # far from the default (3.05 h), so that a fit must improve on the defaults


def tiny_case(**target_changes) -> dict:
    """A burst main in a small town, one rate to fit (the repair of the main), two targets."""
    return {
        "case": "tiny",
        "scenario": "leak",
        "settings": {
            "population.households": 200,
            "population.neighbourhoods": 8,
            "scenario.area_share": 1.0,
            "scenario.horizon_days": 1.0,
            "scenario.secondary_failure_share": 0.0,
        },
        "event_day": 0.5,
        "parameters": {"scenario.main_repair_hours": {"prior": [1, 8], "reason": "a test range"}},
        "targets": {
            "half_back": {
                "hours_until_below": "without_water_share",
                "share_of_peak": 0.5,
                "value": 1.0,
                "source": "synthetic",
                "confidence": "H",
                **target_changes,
            },
            "last_back": {  # M: the last household's time varies from seed to seed by more than a tenth
                "hours_until_below": "without_water_share",
                "share_of_peak": 0.0,
                "value": 1.0,
                "source": "synthetic",
                "confidence": "M",
                "held_out": True,
            },
        },
    }


def write(tmp_path: Path, spec: dict, name: str = "tiny.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path


@pytest.mark.parametrize("name", ["valkenburg2021", "zeist2024"])
def test_the_shipped_targets_files_load_with_a_held_out_target_each(name):
    case = load_case(TARGETS / f"{name}.yaml")
    assert case.held_out, f"{name}: expected at least one target held out of the fit"
    assert all(t.source and t.confidence in "HML" for t in case.targets), f"{name}: every target needs a source"


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"hours_until_below": "no_such_output"}, "targets.half_back.hours_until_below='no_such_output'"),
        ({"source": ""}, "targets.half_back.source=''"),
        ({"confidence": "X"}, "targets.half_back.confidence='X'"),
    ],
)
def test_bad_targets_give_one_line_errors_naming_the_key(tmp_path, change, named):
    with pytest.raises(ConfigError) as error:
        load_case(write(tmp_path, tiny_case(**change)))
    message = str(error.value)
    assert named in message and "\n" not in message, f"expected one line naming {named!r}, got {message!r}"


def test_a_day_past_the_horizon_is_refused(tmp_path):
    spec = tiny_case()
    spec["targets"]["late"] = {
        "output": "without_water_share",
        "day": 3,
        "denominator": "households of the town",
        "value": 0.0,
        "source": "s",
        "confidence": "M",
    }
    with pytest.raises(ConfigError, match=r"targets.late.day=3 is not allowed: expected a day within the run"):
        load_case(write(tmp_path, spec))


def test_a_share_or_count_without_a_denominator_is_refused(tmp_path):
    spec = tiny_case()
    spec["targets"]["dry"] = {
        "output": "without_water_share",
        "day": 0.2,
        "value": 0.1,
        "source": "s",
        "confidence": "M",
    }
    with pytest.raises(
        ConfigError, match=r"targets.dry.denominator=None is not allowed: expected what the real figure"
    ):
        load_case(write(tmp_path, spec))


def test_one_series_with_two_definitions_is_refused(tmp_path):
    spec = tiny_case()
    common = {"output": "without_water_share", "source": "s", "confidence": "M", "value": 0.1}
    spec["targets"]["as_count"] = {**common, "day": 0.1, "scale": "households", "denominator": "households (a count)"}
    spec["targets"]["as_share"] = {**common, "day": 0.2, "denominator": "households (a share)"}
    with pytest.raises(ConfigError, match=r"targets.as_share=.* one definition per series"):
        load_case(write(tmp_path, spec))


def test_a_held_out_target_is_met_only_when_the_median_lies_in_its_band():
    from experiments.calibrate import fit_table

    case = load_case(TARGETS / "valkenburg2021.yaml")
    target = next(t for t in case.held_out if t.name == "displaced_end_of_year")  # band [90, 140]
    runs = {t.name: [t.value] * 20 for t in case.targets}
    runs[target.name] = [60.0] * 15 + [100.0] * 5  # median 60, outside; the 90% interval [60, 100] overlaps the band
    frame = __import__("pandas").DataFrame(runs)
    row = fit_table(case, frame, frame).set_index("target").loc[target.name]
    assert row.calibrated_95 >= target.low, "the synthetic runs' interval should overlap the band"
    assert not row.calibrated_meets, f"expected a median of {row.calibrated_median} to miss the band [90, 140]"
    met = fit_table(case, frame.assign(**{target.name: 100.0}), frame).set_index("target").loc[target.name]
    assert met.calibrated_meets, "expected a median of 100 to meet the band [90, 140]"


def test_a_calibration_no_better_than_the_defaults_puts_no_rate_into_the_case():
    import numpy as np
    import pandas as pd

    from experiments.calibrate import case_text, distance_table

    case = load_case(TARGETS / "zeist2024.yaml")
    rng = np.random.default_rng(0)
    runs = pd.DataFrame({t.name: t.value * (1 + 0.3 * rng.standard_normal(40)) for t in case.targets})
    table = distance_table(case, runs, runs.sample(frac=1.0, random_state=1)).set_index("targets")
    assert not table.loc["fitted", "improves"], f"expected no improvement from the same runs, got {table.to_dict()}"
    rates = pd.DataFrame(
        [{"rate": p.key, "median": 2.5, "low_5": 2.0, "high_95": 3.0, "seen": True} for p in case.parameters]
    )
    text = case_text(case, rates, improves=False, posterior_path="p.csv", settings="test")
    sections = yaml.safe_load(text)
    assert all(value is not None for value in sections.values()), f"expected no empty section, got {sections}"
    assert "main_repair_hours: 2.5" not in text and "#   scenario.main_repair_hours (the calibration did not" in text, (
        f"expected every rate left at its default, got:\n{text}"
    )
    assert "households: 6600" in text, "expected the case's town in the preset all the same"
    improved = case_text(case, rates.assign(seen=[True, False]), improves=True, posterior_path="p.csv", settings="t")
    assert (
        "  main_repair_hours: 2.5" in improved and "#   scenario.secondary_repair_hours (the targets do not" in improved
    ), f"expected a seen rate set and an unseen one left at its default, got:\n{improved}"


@pytest.mark.slow  # subprocesses
def test_the_command_exits_2_with_one_line_on_a_bad_targets_file(tmp_path):
    path = write(tmp_path, tiny_case(source=""))
    done = subprocess.run(
        [sys.executable, "-m", "experiments.calibrate", str(path), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2, f"expected exit code 2, got {done.returncode}: {done.stderr}"
    assert done.stderr.count("\n") == 1 and "source" in done.stderr, f"expected one line about source: {done.stderr!r}"
    assert not (tmp_path / "out").exists(), "a failed calibration must leave no output folder"


@pytest.mark.slow
def test_abc_recovers_a_known_rate_from_data_the_model_made(tmp_path):
    spec = tiny_case()
    case = load_case(write(tmp_path, spec))
    truth = case.simulate({"scenario.main_repair_hours": TRUE_REPAIR_HOURS}, seed=12345)
    for name in ("half_back", "last_back"):
        spec["targets"][name]["value"] = round(truth[name], 3)
    tables = calibrate(
        write(tmp_path, spec),
        tmp_path / "out",
        population=40,
        generations=4,
        processes=1,
        draws=12,
        seed=1,
        points=3,
        seeds=3,
    )
    rates, fit = tables["rates"], tables["fit"]
    row = rates.iloc[0]
    assert row.low_5 <= TRUE_REPAIR_HOURS <= row.high_95, (
        f"expected the true {TRUE_REPAIR_HOURS} h within the 90% interval [{row.low_5:.2f}, {row.high_95:.2f}]"
    )
    assert row.high_95 - row.low_5 < 0.5 * (8 - 1), "expected the data to narrow the prior [1, 8] by at least half"
    assert bool(row.seen), "expected the targets to see the repair of the main"
    for name in (
        "posterior.csv",
        "predictive.csv",
        "defaults.csv",
        "fit.csv",
        "distance.csv",
        "rates.csv",
        "sensitivity.csv",
        "posterior_predictive.png",
        "case.yaml",
    ):
        assert (tmp_path / "out" / name).is_file(), f"expected {name} in the output folder"
    held_out = fit[fit.held_out]
    assert len(held_out) == 1 and bool(held_out.calibrated_meets.iloc[0]), (
        f"expected the held-out target predicted: {held_out}"
    )
    fitted = tables["distance"].set_index("targets").loc["fitted"]
    assert fitted.improves, f"expected the fit to improve on the defaults, far from the truth: {fitted.to_dict()}"


@pytest.mark.slow
def test_the_dask_sampler_path_runs_on_a_local_cluster(tmp_path):
    from distributed import LocalCluster

    spec = tiny_case()
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False) as cluster:
        tables = calibrate(
            write(tmp_path, spec),
            tmp_path / "out",
            population=10,
            generations=1,
            draws=4,
            dask=cluster.scheduler_address,
        )
    assert len(tables["rates"]) == 1 and (tmp_path / "out" / "posterior.csv").is_file(), (
        "expected a posterior from the dask path"
    )


@pytest.mark.parametrize("name", ["valkenburg2021", "zeist2024"])
def test_a_case_sets_the_town_of_its_targets_file(name):
    case = load_case(TARGETS / f"{name}.yaml")
    config = load_config(None, [f"+case={name}"])
    assert config.scenario.name == case.scenario and config.calibration.case == name, (
        f"expected +case={name} to run the {case.scenario} scenario and name its case"
    )
    for key, value in case.settings.items():
        section, field = key.split(".", 1)
        got = getattr(getattr(config, section), field)
        assert list(got) == value if isinstance(value, list) else got == value, (
            f"+case={name}: expected {key}={value} from the targets file, got {got}"
        )


def test_the_case_runs_and_draws_its_rates_from_the_posterior_by_seed():
    from simulation import run
    from simulation.calibration import with_drawn_rates

    drawn = [with_drawn_rates(load_config(None, [*DRAW, f"seed={seed}"])).housing for seed in (1, 1, 2)]
    assert drawn[0] == drawn[1], "expected the same seed to draw the same rates"
    assert drawn[0] != drawn[2], "expected another seed to draw other rates"
    results = run(load_config(None, [*DRAW, "seed=1", "scenario.horizon_days=60"]))
    assert results.config.housing == drawn[0], "expected a run of the config to use the rates its seed draws"
    assert results.summary["trust_end"] is not None, "expected the calibrated model to run to its horizon"


DRAW = [
    "+case=valkenburg2021",
    "population.households=300",
    "calibration.posterior=experiments/targets/posteriors/valkenburg2021.csv",
]


def test_the_report_compares_effects_with_and_without_calibration_paired_by_seed():
    from experiments.calibrated import effects

    rows = []
    for posterior, cohesion_effect in ((None, -10.0), ("posterior.csv", -20.0)):
        for seed in range(8):
            noise = seed % 3  # shared by the runs of one seed: pairing removes it
            for bonding, bridging, policy, effect in (
                (1, 0, "none", 0.0),
                (8, 4, "none", cohesion_effect),
                (1, 0, "co_design", -5.0),
                (8, 4, "co_design", cohesion_effect - 5.0),
            ):
                rows.append(
                    {
                        "status": "ok",
                        "seed": seed,
                        "policy": policy,
                        "calibration.posterior": posterior,
                        "network.bonding_degree": bonding,
                        "network.bridging_degree": bridging,
                        "days_home_median": 100.0 + noise + effect,
                    }
                )
    table = effects(__import__("pandas").DataFrame(rows)).set_index(["effect", "group"])
    cohesion = table.loc[("high vs low cohesion", "calibrated: posterior draws (posterior)")]
    assert cohesion["mean"] == pytest.approx(-20.0), (
        f"expected the calibrated cohesion effect -20, got {cohesion['mean']}"
    )
    assert table.loc[("high vs low cohesion", "defaults"), "mean"] == pytest.approx(-10.0), (
        "expected -10 with the defaults"
    )
    lever = table.loc[("co_design vs none", "defaults")]
    assert lever["mean"] == pytest.approx(-5.0) and lever["pairs"] == 16, (
        f"expected -5 over 16 pairs, got {lever.to_dict()}"
    )


def test_the_report_curves_read_only_the_runs_its_tables_compare():
    import pandas as pd

    from experiments.report import of_runs

    timeseries = pd.DataFrame({"job": [0, 0, 1, 1, 2], "seed": [0, 1, 0, 1, 0], "day": [0.0] * 5})
    runs = pd.DataFrame({"job": [0, 2], "seed": [1, 0]})  # say, the runs without levers and without a posterior
    kept = of_runs(timeseries, runs)
    assert list(zip(kept.job, kept.seed, strict=True)) == [(0, 1), (2, 0)], (
        f"expected runs (0, 1) and (2, 0), got {kept}"
    )
