"""Capacities as real numbers: handlers work through their queue at the rate the town's capacity gives, at any size."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import load_config, run
from simulation.housing import first_in_line, work_through
from simulation.units import capacity

VALKENBURG_LIKE = [
    "scenario=flooding",
    "population.exposure_low=0.05",
    "population.exposure_high=0.57",
    "scenario.schedule_days=[10]",
    "scenario.schedule_severity=[0.35]",
    "scenario.step_days=1",
    "scenario.horizon_days=400",
    "output.figures=false",
    "output.households=false",
]


def test_two_and_a_half_handlers_do_two_and_a_half_days_of_work_a_day():
    work_left = np.array([1.0, 1.0, 1.0, 1.0])
    finished, day = work_through(np.arange(4), 2.5, work_left, day=10.0, dt=1.0)
    assert finished.tolist() == [0, 1], f"expected the first two jobs done at full pace, got {finished.tolist()}"
    assert day.tolist() == [11.0, 11.0], f"expected them done at the end of the step, got {day.tolist()}"
    assert work_left.tolist() == [0.0, 0.0, 0.5, 1.0], (
        f"expected the third job half done by the part-time handler and the fourth untouched, got {work_left.tolist()}"
    )


def test_a_job_that_needs_less_than_a_step_finishes_within_it():
    work_left = np.array([0.25, 3.0])
    finished, day = work_through(np.arange(2), 0.5, work_left, day=0.0, dt=1.0)
    assert finished.tolist() == [0] and day[0] == pytest.approx(0.5), (
        f"expected a quarter day of work at half pace done half a day in, got {finished.tolist()} at {day.tolist()}"
    )
    assert work_left[1] == 3.0, "expected the second job to wait: half a handler works on one job"


def test_the_line_is_taken_in_order_of_its_key_then_index():
    key = np.array([5.0, 1.0, 5.0, 0.0, 9.0])
    line = first_in_line(np.arange(5), key, 3)
    assert line.tolist() == [3, 1, 0], f"expected the three first by key (ties by index) in order, got {line.tolist()}"


def test_capacity_per_thousand_households_is_not_rounded():
    assert capacity(0.47, 1000) == pytest.approx(0.47), "expected 0.47 assessors in a town of 1,000 households"
    assert capacity(0.47, 8000) == pytest.approx(3.76), "expected 3.76 assessors in a town of 8,000 households"


def shares(households: int, seed: int) -> dict[str, float]:
    """Shares that follow from the town's capacities, in a Valkenburg-like flood on day 10."""
    series = run(load_config(None, [*VALKENBURG_LIKE, f"population.households={households}", f"seed={seed}"]))
    series = series.timeseries.set_index("day")
    out = {f"displaced_day_{d}": float(series["displaced_share"].loc[10 + d]) for d in (7, 60, 122, 200)}
    for d in (60, 122, 240):
        row = series.loc[10 + d]
        out[f"claims_settled_day_{d}"] = row["claims_settled"] / row["claims_filed"]
    # Not before the first decisions: a town of 1,000 has 0.47 assessors, one part-time assessor whose
    # first decisions come later than those of the 3.76 of a town of 8,000 (docs/ODD.md 7.8.3).
    for d in (240, 365):
        row = series.loc[10 + d]
        out[f"scheme_paid_day_{d}"] = row["scheme_paid"] / row["scheme_filed"] if row["scheme_filed"] else np.nan
    return out


@pytest.mark.slow
def test_the_same_rates_give_the_same_shares_at_1000_and_8000_households():
    small = [shares(1000, seed) for seed in range(8)]
    large = [shares(8000, seed) for seed in range(3)]
    for key in small[0]:
        a = np.array([s[key] for s in small])
        b = np.array([s[key] for s in large])
        a, b = a[~np.isnan(a)], b[~np.isnan(b)]
        noise = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
        assert abs(a.mean() - b.mean()) <= 3.0 * noise + 0.02, (
            f"{key}: expected the same share at 1,000 and 8,000 households within seed noise, "
            f"got {a.mean():.3f} and {b.mean():.3f} (standard error of the difference {noise:.3f})"
        )
