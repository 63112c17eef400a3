"""The benchmark's comparison of two checkouts (what it measures, not how fast anything is)."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulation.bench import compare_chunked, main

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow  # subprocesses
def test_a_comparison_runs_the_same_steps_in_both_checkouts_and_times_each():
    result = compare_chunked(str(ROOT), "flooding", ("population.households=300",), 40, runs=1)
    assert result["steps"] == 40, "both checkouts should take ten chunks of a tenth of the 40 steps"
    assert result["this"] > 0 and result["other"] > 0, "both checkouts should have run and been timed"


def test_a_comparison_with_a_directory_that_is_not_a_checkout_exits_2_and_says_so(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--against", str(tmp_path)])
    assert exit_.value.code == 2, "a directory without the project should end the command with exit status 2"
    assert "not a checkout" in capsys.readouterr().err, "the error should say why the directory was refused"


@pytest.mark.slow  # subprocesses
def test_a_comparison_with_a_checkout_that_cannot_build_the_model_exits_1_and_says_so(tmp_path, capsys):
    (tmp_path / "simulation").mkdir()
    with pytest.raises(SystemExit) as exit_:
        main(["--quick", "--sizes", "300", "--steps", "10", "--against", str(tmp_path)])
    assert exit_.value.code == 1, "a checkout whose model cannot be built should end the command with exit status 1"
    assert "could not build the model" in capsys.readouterr().err, "the error should say which checkout failed"


def test_the_reference_timing_steps_both_engines_through_a_flood_and_prints_the_speed_up(capsys):
    from simulation.bench import print_reference_speedup

    print_reference_speedup(200, 1)
    line = capsys.readouterr().out
    assert "vectorised" in line and "reference" in line and line.rstrip().endswith("x"), (
        f"expected one line with both engines' times and the speed-up, got {line!r}"
    )


def test_the_national_rows_run_a_year_of_flooding_up_to_every_dutch_household_and_give_medians():
    from simulation.bench import median_of, rows_of

    rows = rows_of([10_000], 60, quick=False, national=True)
    assert [overrides for _, _, overrides, _ in rows][-1] == ("population.households=8000000",), "up to 8M households"
    assert {(scenario, steps) for _, scenario, _, steps in rows} == {("flooding", 52)}, "a year of weekly floods"
    runs = [
        {"scenario": "flooding", "setup_s": s, "run_s": 2 * s, "household_steps_per_s": 1 / s, "peak_gib": 1.0}
        for s in (3.0, 1.0, 2.0)
    ]
    assert median_of(runs) == runs[0] | {"setup_s": 2.0, "run_s": 4.0, "household_steps_per_s": 0.5}, (
        "each timing should be the median of the runs"
    )
