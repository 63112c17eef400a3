"""Config loading and validation: bad input gives one line naming key, value and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulation import Config, ConfigError, load_config
from simulation.config import SCP_2023_CLASSES


def test_defaults_load_with_design_keys():
    cfg = load_config()
    assert isinstance(cfg, Config)
    assert cfg.scenario.name == "leak", "the default scenario should be the leak"
    assert cfg.population.name == "netherlands", "the default population should be the SCP 2023 classes"
    for value in (
        cfg.scenario.horizon_days,
        cfg.scenario.step_days,
        cfg.population.households,
        cfg.network.bonding_degree,
        cfg.network.bridging_degree,
        cfg.network.homophily,
        cfg.government.delay_days,
        cfg.government.receptivity,
        cfg.government.learning,
        cfg.seed,
    ):
        assert value is not None


def test_scp_shares_sum_to_one_and_precariaat_is_about_six_percent():
    assert sum(c.share for c in SCP_2023_CLASSES.values()) == pytest.approx(1.0)
    assert SCP_2023_CLASSES["precariaat"].share == pytest.approx(0.063), "SCP 2023: precariaat 6.3%"


def test_overrides_and_scenario_argument_apply():
    cfg = load_config(scenario="leak", overrides=["network.bridging_degree=4", "seed=3", "population=equal"])
    assert cfg.network.bridging_degree == 4.0
    assert cfg.seed == 3
    assert list(cfg.population.classes) == ["everyone"], "the equal preset has one class"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (["scenario=earthquake"], ["scenario", "earthquake", "leak"]),
        (["network.colour=1"], ["network.colour", "bonding_degree"]),
        (["population.households=0"], ["population.households", "0", ">= 2"]),
        (["population.households=-10"], ["population.households", "-10", ">= 2"]),
        (["network.bonding_degree=-1"], ["network.bonding_degree", "-1", ">= 0"]),
        (["network.bridging_degree=-2"], ["network.bridging_degree", "-2", ">= 0"]),
        (["population.households=100", "network.bonding_degree=50"], ["network.bonding_degree", "50", "at most 12.86"]),
        (["network.homophily=1.5"], ["network.homophily", "1.5", "[0, 1]"]),
        (["government.receptivity=-0.1"], ["government.receptivity", "-0.1", "[0, 1]"]),
        (["scenario.area_share=2"], ["scenario.area_share", "2", "[0, 1]"]),
        (["population.classes.precariaat.share=0.5"], ["population.classes", "sum", "expected 1"]),
        (["population.classes.precariaat.share=-0.1"], ["population.classes.precariaat.share", "-0.1"]),
        (["seed=abc"], ["seed", "abc", "Integer"]),
        (["seed=1.5"], ["seed", "1.5", "Integer"]),
        (["seed=-1"], ["seed", "-1", ">= 0"]),
        (["scenario.step_days=500"], ["scenario.step_days", "500", "at most"]),
        (["policy.households_per_neighbourhood=0"], ["policy.households_per_neighbourhood", "0", "> 0"]),
        (["policy.flood_defences.km_per_1000_households=-1"], ["policy.flood_defences.km_per_1000_households", ">= 0"]),
        (["policy.co_design.eur_per_household=-5"], ["policy.co_design.eur_per_household", "-5", ">= 0"]),
    ],
)
def test_bad_input_gives_one_clear_line(overrides, expected):
    with pytest.raises(ConfigError) as raised:
        load_config(overrides=overrides)
    message = str(raised.value)
    assert "\n" not in message, f"expected one line, got {message!r}"
    for part in expected:
        assert part in message, f"expected {part!r} in the error {message!r}"


def test_a_degree_the_population_cannot_hold_is_an_error_not_a_clip():
    from simulation import CrisisModel

    # One neighbourhood and full homophily: a bridging tie would have to join two households of the
    # same class and neighbourhood, which is a bonding pair, so no bridging tie can be placed.
    cfg = load_config(
        overrides=[
            "population.households=200",
            "population.neighbourhoods=1",
            "network.bridging_degree=2",
            "network.homophily=1",
        ]
    )
    with pytest.raises(ConfigError, match=r"network.bridging_degree=2\.0 is not allowed"):
        CrisisModel(cfg)


def test_a_run_of_a_population_too_large_for_memory_is_refused_before_allocating():
    from simulation import run

    cfg = load_config(overrides=["population.households=10000000000"])
    with pytest.raises(ConfigError) as raised:
        run(cfg)
    message = str(raised.value)
    assert "population.households=10000000000" in message and "available" in message and "\n" not in message, (
        f"expected one line naming the key, its value and the memory available, got {message!r}"
    )


def test_appending_an_unknown_key_is_refused():
    with pytest.raises(ConfigError, match=r"unknown key 'network.no_such_key'"):
        load_config(overrides=["+network.no_such_key=1"])


def test_no_area_on_the_failed_main_means_nobody_is_hit():
    from simulation import run

    summary = run(load_config(overrides=["population.households=300", "scenario.area_share=0"])).summary
    assert summary["events"] == 0 and summary["affected_share"] == 0, "area_share 0: no neighbourhood is hit"
    assert summary["t90_days"] is None, "nothing to recover from: null, not a number"


def test_an_error_inside_a_scenario_is_reported_as_itself(monkeypatch):
    from scenarios import SCENARIOS, make_scenario

    class Broken(SCENARIOS["leak"]):
        def __init__(self, cfg):
            raise ValueError("a real error in the scenario's constructor")

    monkeypatch.setitem(SCENARIOS, "leak", Broken)
    with pytest.raises(ValueError, match="a real error"):
        make_scenario(load_config().scenario)


@pytest.mark.parametrize(
    "preset", sorted(p.stem for p in (Path(__file__).parents[1] / "simulation" / "conf" / "experiment").glob("*.yaml"))
)
def test_every_experiment_preset_composes_into_a_valid_config(preset):
    cfg = load_config(overrides=[f"+experiment={preset}"])
    assert cfg.population.households >= 2, f"{preset}: expected a valid town"


@pytest.mark.parametrize("switched", [[], ["hosting"], ["bonding_support", "aid"]])
def test_channels_switched_off_are_read_and_a_bad_one_is_named(switched):
    cfg = load_config(overrides=[f"channels.off=[{','.join(switched)}]"])
    assert all(not cfg.channels.on(name) for name in switched), f"expected {switched} off"
    with pytest.raises(
        ConfigError, match=r"channels\.off\[1\]='hosts' is not allowed: expected one of bonding_support"
    ):
        load_config(overrides=["channels.off=[aid,hosts]"])
