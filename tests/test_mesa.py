"""Mesa's conventions on CrisisModel: keyword parameters, ``model.datacollector``, ``batch_run`` and SolaraViz."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from pathlib import Path

import mesa
import numpy as np
import pandas as pd
import pytest

from agents.household import Household
from simulation import CrisisModel, load_config
from simulation.collector import MAX_AGENT_RECORDS
from simulation.config import ConfigError
from simulation.demo import mesa_viz
from simulation.demo.browser import CHROMIUM, CHROMIUM_FLAGS, WAIT_MS, free_port
from simulation.demo.serve import is_ready
from simulation.params import SHORT_NAMES, config_from_params
from tests.test_recipes import recipe

SMALL_LEAK = {"scenario": "leak", "households": 200}


def as_data(cfg) -> dict:
    return dataclasses.asdict(cfg)


def test_no_keyword_parameters_give_the_hydra_composed_defaults():
    assert as_data(config_from_params()) == as_data(load_config()), (
        "expected the defaults built from the dataclasses to equal load_config()'s"
    )


def test_keyword_parameters_give_the_hydra_composed_config():
    params = config_from_params(scenario="flooding", households=500, bonding_degree=8, seed=1)
    composed = load_config(
        scenario="flooding", overrides=["population.households=500", "network.bonding_degree=8", "seed=1"]
    )
    assert as_data(params) == as_data(composed), "expected the keyword parameters to give load_config's config"


def test_keys_with_double_underscores_and_strings_from_a_web_form():
    params = config_from_params(
        scenario="flooding",
        seed="3",
        network__bridging_weight="0.3",
        scenario__horizon_days=60,
        scenario__schedule_days="[10, 20]",
        scenario__schedule_severity=["0.4", 0.5],
        policy="co_design,flood_defences",
        policy__flood_defences__enabled="true",
    )
    composed = load_config(
        scenario="flooding",
        overrides=[
            "seed=3",
            "network.bridging_weight=0.3",
            "scenario.horizon_days=60",
            "scenario.schedule_days=[10,20]",
            "scenario.schedule_severity=[0.4,0.5]",
            "policy=[co_design,flood_defences]",
        ],
    )
    assert as_data(params) == as_data(composed), "expected strings and __ keys to give load_config's config"


def test_keyword_parameters_override_a_given_config():
    base = load_config("flooding", ["seed=4", "network.homophily=0.9"])
    model = CrisisModel(base, households=300, horizon_days=30)
    expected = load_config(
        "flooding", ["seed=4", "network.homophily=0.9", "population.households=300", "scenario.horizon_days=30"]
    )
    assert as_data(model.cfg) == as_data(expected), "expected the keyword parameters to change only their keys"


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"hosueholds": 500}, ["hosueholds=500", "households", "bonding_degree", "network__bridging_weight"]),
        ({"households": "many"}, ["households='many'", "population.households", "a whole number"]),
        ({"network__no_such_key": 1}, ["network__no_such_key=1", "network has no key 'no_such_key'", "homophily"]),
        ({"scenario": "tsunami"}, ["scenario='tsunami'", "flooding, leak, sea_level_rise"]),
        ({"households": 1}, ["population.households=1", "a whole number >= 2"]),
        ({"policy": ["no_such_lever"]}, ["policy=['no_such_lever']", "caring_neighbourhood"]),
        ({"policy__flood_defences__enabled": "maybe"}, ["'maybe'", "true or false"]),
    ],
)
def test_a_bad_keyword_parameter_names_the_key_the_value_and_what_is_allowed(params, named):
    with pytest.raises(ConfigError) as raised:
        CrisisModel(**params)
    missing = [text for text in named if text not in str(raised.value)]
    assert not missing, f"expected the error to name {missing}, it said: {raised.value}"


def test_the_datacollector_reads_the_recorder_in_place():
    model = CrisisModel(**SMALL_LEAK, seed=1)
    for _ in range(20):
        model.step()
    collector, recorder = model.datacollector, model.recorder
    assert isinstance(collector, mesa.DataCollector), "expected model.datacollector to be a mesa.DataCollector"
    pd.testing.assert_frame_equal(collector.get_model_vars_dataframe(), recorder.frame())
    functioning = collector.model_vars["functioning"]
    assert len(functioning) == model.steps + 1, "expected one row per step and one before the first"
    assert np.shares_memory(functioning, recorder.columns["functioning"]), (
        "expected model_vars to be views on the recorder's columns, not copies"
    )


def test_agent_reporters_for_a_small_town():
    reporters = {"functioning": "functioning", "stress": "stress"}
    model = CrisisModel(**SMALL_LEAK, seed=1, agent_reporters=reporters)
    for _ in range(14):
        model.step()
    table = model.datacollector.get_agent_vars_dataframe()
    assert list(table.columns) == list(reporters), f"expected the columns {list(reporters)}, got {list(table.columns)}"
    steps = sorted(set(table.index.get_level_values("Step")))
    assert steps == list(range(15)), f"expected the steps 0..14 (0 before the first step), got {steps}"
    households = [agent for agent in model.agents if isinstance(agent, Household)]
    reported = table.loc[[(14, agent.unique_id) for agent in households]]
    for name in reporters:
        expected = getattr(model.households, name)[[agent.index for agent in households]]
        assert np.array_equal(reported[name].to_numpy(), expected), f"expected {name} at step 14 as the model has it"


def test_agent_reporters_are_refused_above_the_limit():
    rows = load_config("leak").scenario.n_steps + 1
    allowed = MAX_AGENT_RECORDS // rows
    with pytest.raises(ConfigError) as raised:
        CrisisModel(scenario="leak", households=allowed + 1, agent_reporters={"stress": "stress"})
    expected = [f"population.households={allowed + 1}", f"at most {allowed:,} households", "agent_reporters"]
    missing = [text for text in expected if text not in str(raised.value)]
    assert not missing, f"expected the error to name {missing}, it said: {raised.value}"


def batch(parameters: dict, iterations: int, max_steps: int) -> pd.DataFrame:
    rows = mesa.batch_run(
        CrisisModel, parameters, iterations=iterations, max_steps=max_steps, number_processes=1, display_progress=False
    )
    return pd.DataFrame(rows)


def test_batch_run_over_two_bonding_degrees_and_two_iterations():
    parameters = {**SMALL_LEAK, "bonding_degree": [1, 8], "seed": [1, 2]}
    table = batch(parameters, iterations=2, max_steps=14)
    assert len(table) == 8, f"expected 2 bonding degrees x 2 seeds x 2 iterations = 8 rows, got {len(table)}"
    columns = {"RunId", "iteration", "Step", *parameters, *CrisisModel(**SMALL_LEAK).recorder.columns}
    assert columns <= set(table.columns), f"expected the columns {sorted(columns - set(table.columns))} too"
    assert (table["Step"] == 14).all(), "expected Mesa 3.3 to report step 14 of the 15 that max_steps=14 takes"
    by_degree = table.set_index(["iteration", "seed", "bonding_degree"])["functioning"].unstack()
    assert (by_degree[1] != by_degree[8]).all(), f"expected the bonding degrees to give different rows:\n{by_degree}"
    by_iteration = table.set_index(["seed", "bonding_degree", "iteration"])["functioning"].unstack()
    assert by_iteration[0].equals(by_iteration[1]), "expected the same seed to give the same run in each iteration"


def test_batch_run_stops_at_the_horizon():
    table = batch({**SMALL_LEAK, "horizon_days": 1, "seed": [1]}, iterations=1, max_steps=1000)
    # Mesa 3.3's batch_run reports the step before the last of a run that stops itself; later ones the last
    last = 24 if tuple(int(part) for part in mesa.__version__.split(".")[:2]) >= (3, 4) else 23
    assert table["Step"].tolist() == [last], (
        f"expected the 24 hourly steps of a day, reported at step {last} by Mesa {mesa.__version__}, got {table['Step']}"
    )


def test_the_mesa_recipe_runs():
    namespace: dict = {}
    exec(recipe("mesa"), namespace)
    table, model = namespace["table"], namespace["model"]
    assert len(table) == 4 and (table["Step"] == 24).all(), f"expected four runs reported at step 24, got {table}"
    assert table["functioning"].nunique() > 1, "expected the runs of the recipe to differ"
    pd.testing.assert_frame_equal(model.datacollector.get_model_vars_dataframe(), model.results.timeseries)


def test_solaraviz_accepts_the_model_params():
    from mesa.visualization.solara_viz import _check_model_params

    _check_model_params(CrisisModel.__init__, mesa_viz.MODEL_PARAMS)  # raises for a parameter it cannot pass
    model = CrisisModel(**mesa_viz.FIRST_PARAMS)
    assert model.cfg.population.households == mesa_viz.FIRST_PARAMS["households"], "expected the sliders' households"
    assert set(mesa_viz.FIRST_PARAMS) <= set(SHORT_NAMES), "expected the page's parameters to be short names"


@pytest.fixture(scope="module")
def viz_url():
    """``solara run`` on the Mesa example page, on a free port."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    page = Path(mesa_viz.__file__)
    command = [sys.executable, "-m", "solara", "run", str(page), "--port", str(port), "--no-open", "--production"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not is_ready(url):
            assert server.poll() is None and time.monotonic() < deadline, f"expected the page to be served at {url}"
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def press_right(page, label: str, times: int) -> None:
    """Move the slider labelled ``label`` by ``times`` of its steps."""
    page.locator(".v-input").filter(has_text=label).locator(".v-slider__thumb-container").focus()
    for _ in range(times):
        page.keyboard.press("ArrowRight")


@pytest.mark.slow
def test_reset_rebuilds_the_model_from_the_sliders(viz_url):
    from playwright.sync_api import expect, sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"no chromium at {CHROMIUM}: `make test` installs Debian's package, or set VEERKRACHT_CHROMIUM")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(viz_url)
        town = page.get_by_text("households,")
        expect(town).to_have_text(
            "leak: 1,000 households, 5 bonding and 2 bridging ties each, seed 0; day 0.00 of 14", timeout=WAIT_MS
        )
        page.get_by_role("button", name="Step").click()
        expect(town).to_contain_text("day 0.04", timeout=WAIT_MS)
        press_right(page, "Households", 5)
        press_right(page, "Bonding ties", 3)
        press_right(page, "Seed", 2)
        page.get_by_role("button", name="Reset").click()
        expect(town).to_have_text(
            "leak: 1,500 households, 8 bonding and 2 bridging ties each, seed 2; day 0.00 of 14", timeout=WAIT_MS
        )
        page.get_by_role("button", name="Step").click()
        expect(town).to_contain_text("day 0.04", timeout=WAIT_MS)
        browser.close()
