"""Flooding (adaptation) and sea-level rise (transformation): direction of effects over paired seeds.

Variants run with the same seeds share their populations and their hazards (common random
numbers), so each paired difference is the effect of the variant.
"""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np
import pytest

from simulation import ConfigError, load_config, run

SEEDS = tuple(range(6))
SIZE = "population.households=800"
FEW_TIES = ("network.bonding_degree=1", "network.bridging_degree=0")
MANY_TIES = ("network.bonding_degree=8", "network.bridging_degree=4")
# Six equal floods five years apart: damage can only fall through preparedness and collective measures.
EQUAL_FLOODS = (
    "scenario.schedule_days=[100,1926,3752,5579,7405,9231]",
    "scenario.schedule_severity=[0.5,0.5,0.5,0.5,0.5,0.5]",
)


@cache
def results(scenario: str, variant: tuple[str, ...], seeds: tuple[int, ...] = SEEDS):
    return [run(load_config(scenario=scenario, overrides=[SIZE, *variant, f"seed={s}"])) for s in seeds]


def summary_values(scenario: str, variant: tuple[str, ...], key: str) -> np.ndarray:
    return np.array([r.summary[key] if r.summary[key] is not None else np.nan for r in results(scenario, variant)])


# ---- flooding ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_more_ties_spread_preparedness_further():
    few = summary_values("flooding", FEW_TIES + EQUAL_FLOODS, "prepared_share_end")
    many = summary_values("flooding", MANY_TIES + EQUAL_FLOODS, "prepared_share_end")
    assert (many > few).all(), f"more ties should leave more households prepared in every seed: {few} vs {many}"


@pytest.mark.slow
def test_more_ties_cut_damage_from_first_to_last_flood_by_more():
    def ratio(variant):
        first = summary_values("flooding", variant + EQUAL_FLOODS, "damage_first_event")
        last = summary_values("flooding", variant + EQUAL_FLOODS, "damage_last_event")
        return last / first

    few, many = ratio(FEW_TIES), ratio(MANY_TIES)
    assert (few < 1).all(), f"damage should fall from the first to the last of equal floods: {few}"
    assert (many < few).all(), f"with more ties the last flood should do relatively less damage: {few} vs {many}"


@pytest.mark.slow
def test_a_learning_government_brings_aid_sooner_after_each_later_flood():
    from simulation import CrisisModel

    model = CrisisModel(load_config("flooding", [SIZE, "government.delay_days=28", "government.learning=0.5"]))
    delays, seen = [], 0
    while model.running:
        model.step()
        if model.government.events > seen:  # a new flood: the delay before aid flows after it
            seen = model.government.events
            delays.append(model.government.delay_days)
    assert len(delays) > 1, "the default flooding run should have several floods"
    assert all(later < earlier for earlier, later in itertools.pairwise(delays)), (
        f"a learning government should make aid flow sooner after each later flood, delays were {delays}"
    )


@pytest.mark.slow
def test_without_learning_the_government_stays_as_it_was():
    from simulation import CrisisModel

    model = CrisisModel(load_config(scenario="flooding", overrides=[SIZE, "government.learning=0"]))
    gov = model.government
    own = (gov.delay_days, gov.own_dominance, gov.own_affiliation)
    model.run()
    assert gov.events > 1, "the default flooding run should have several floods"
    assert (gov.delay_days, gov.own_dominance, gov.own_affiliation) == own, (
        "without learning, the delay and the stance the government holds itself should not change "
        "(its current stance still answers the households')"
    )


# ---- sea-level rise ----------------------------------------------------------------------------


def class_means(runs, prefix: str) -> dict[str, float]:
    """Mean over the runs of each ``<prefix><class>`` summary key, by class (null as NaN)."""
    keys = [k for k in runs[0].summary if k.startswith(prefix)]
    values = {k: [r.summary[k] if r.summary[k] is not None else np.nan for r in runs] for k in keys}
    return {k.removeprefix(prefix): float(np.nanmean(v)) for k, v in values.items()}


@pytest.mark.slow
def test_precariaat_is_left_behind_unrecovered_most():
    means = class_means(results("sea_level_rise", ()), "left_unrecovered_share__")
    assert max(means, key=means.get) == "precariaat", (
        f"expected the precariaat to have the largest share hit and still unrecovered at the horizon: {means}"
    )


@pytest.mark.slow
def test_precariaat_is_left_behind_unable_to_follow_most():
    # A support threshold low enough that neighbourhoods transform (as in the exposure test below).
    means = class_means(results("sea_level_rise", ("scenario.support_threshold=0.15",)), "unable_to_follow_share__")
    assert max(means, key=means.get) == "precariaat" and means["precariaat"] > 0, (
        f"expected the precariaat to have the largest share unable to follow a transformation: {means}"
    )


@pytest.mark.slow
def test_high_sea_level_brings_more_events_and_damage_than_low():
    # three seed pairs (a century of sea-level rise per run); the high path is the default one
    low = results("sea_level_rise", ("scenario.sea_level_path=knmi23_low",), SEEDS[:3])
    high = results("sea_level_rise", ())[:3]
    assert high[0].config.scenario.sea_level_path == "knmi23_high", "expected the default path to be the high one"
    for a, b in zip(low, high, strict=True):
        assert b.summary["events"] > a.summary["events"], "the high path should bring more floods"
        total = [(r.events.households_hit * r.events.damage).sum() for r in (a, b)]
        assert total[1] > total[0], f"the high path should do more damage in all: {total}"


@pytest.mark.slow
def test_transformation_lowers_exposure_of_those_who_follow():
    result = results("sea_level_rise", ("scenario.support_threshold=0.15",))[0]  # low enough that projects start
    households = result.households
    followed, behind = households[households.transformation == 1], households[households.transformation == 2]
    assert len(followed) > 0 and len(behind) > 0
    assert followed.exposure.mean() < behind.exposure.mean() / 2, "followers should be far less exposed"
    assert result.summary["transformed_neighbourhoods"] >= 1


# ---- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "overrides", "expected"),
    [
        ("flooding", ["scenario.severity_mean=-0.2"], "scenario.severity_mean=-0.2"),
        ("flooding", ["scenario.schedule_days=[10,20]", "scenario.schedule_severity=[0.5,-1]"], "schedule_severity[1]"),
        ("flooding", ["scenario.schedule_days=[10]", "scenario.schedule_severity=[]"], "one per day"),
        ("flooding", ["scenario.step_days=20000"], "scenario.step_days=20000"),
        ("sea_level_rise", ["scenario.step_days=40000"], "scenario.step_days=40000"),
        (
            "sea_level_rise",
            ["scenario.sea_level_path=custom", "scenario.path_years=[0,50,100]", "scenario.path_metres=[0,0.5,0.3]"],
            "path_metres[2]=0.3",
        ),
        (
            "sea_level_rise",
            ["scenario.sea_level_path=custom", "scenario.path_years=[0,50,40]", "scenario.path_metres=[0,0.5,0.6]"],
            "path_years[2]=40",
        ),
        ("sea_level_rise", ["scenario.sea_level_path=knmi99"], "knmi23_low"),
    ],
)
def test_bad_scenario_input_gives_one_clear_line(scenario, overrides, expected):
    with pytest.raises(ConfigError) as raised:
        load_config(scenario=scenario, overrides=overrides)
    assert expected in str(raised.value) and "\n" not in str(raised.value)


def test_a_custom_sea_level_path_is_followed():
    cfg = load_config(
        scenario="sea_level_rise",
        overrides=[
            SIZE,
            "scenario.sea_level_path=custom",
            "scenario.path_years=[0,100]",
            "scenario.path_metres=[0,1]",
            "scenario.horizon_days=3652.5",
        ],
    )
    ts = run(cfg).timeseries
    assert ts["sea_level_m"].iloc[-1] == pytest.approx(0.1, abs=0.01), "a straight path to 1 m in 100 years"
