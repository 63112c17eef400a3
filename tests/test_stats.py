"""The interval helpers the notebooks write their conclusions with (experiments.stats)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from experiments.stats import direction, finding, interval, paired_difference


def test_paired_difference_takes_means_and_difference_over_the_same_seeds():
    # Seed 0 has no value with few ties (say, no initiative formed): it is left out of both means.
    low = pd.Series([float("nan"), 10.0, 12.0], index=[0, 1, 2])
    high = pd.Series([4.0, 7.0, 8.0], index=[0, 1, 2])
    effect = paired_difference(low, high)
    assert effect["n"] == 2
    assert effect["control"] == pytest.approx(11.0) and effect["treated"] == pytest.approx(7.5)
    assert effect["difference"] == pytest.approx(effect["treated"] - effect["control"])
    assert effect["ci95_low"] < effect["difference"] < effect["ci95_high"]


@pytest.mark.parametrize("pairs", [0, 1])
def test_paired_difference_without_two_pairs_has_no_interval(pairs):
    low = pd.Series([1.0] * pairs + [float("nan")] * 2)
    high = pd.Series([2.0] * (pairs + 2))
    effect = paired_difference(low, high)
    assert effect["n"] == pairs
    assert math.isnan(effect["ci95_low"]) and math.isnan(effect["ci95_high"])
    assert direction(effect["ci95_low"], effect["ci95_high"]) == "cannot tell"
    assert "no interval" in interval(effect["ci95_low"], effect["ci95_high"], n=pairs)


@pytest.mark.parametrize(
    ("low", "high", "says"),
    [(0.1, 2.0, "up"), (-2.0, -0.1, "down"), (-8.3, 123.0, "cannot tell"), (0.0, 1.0, "cannot tell")],
)
def test_a_finding_says_what_its_interval_shows(low, high, says):
    words = {"up": "up", "down": "down", "cannot tell": "the run cannot tell"}
    found = finding(words, (low + high) / 2, low, high, n=10)
    assert found["says"] == says and found["text"] == words[says]
