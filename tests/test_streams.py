"""Common random numbers: variants run with the same seed share every draw of every random decision."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from simulation import CrisisModel, load_config, run
from simulation.streams import PROCESSES, Streams

LOW = ("network.bonding_degree=1", "network.bridging_degree=0")
HIGH = ("network.bonding_degree=8", "network.bridging_degree=4")


class DrawLog:
    """Records every number each stream hands out, by process and key (step, neighbourhood)."""

    def __init__(self) -> None:
        self.draws: dict[str, dict[tuple, list[np.ndarray]]] = defaultdict(lambda: defaultdict(list))

    def spy(self, monkeypatch) -> None:
        original = Streams.get
        log = self

        class Recording:
            def __init__(self, generator, process, key) -> None:
                self.generator, self.process, self.key = generator, process, key

            def __getattr__(self, name):
                method = getattr(self.generator, name)

                def call(*args, **kwargs):
                    out = method(*args, **kwargs)
                    log.draws[self.process][self.key].append(np.array(out, copy=True))
                    return out

                return call

        def get(streams, process, *key):
            return Recording(original(streams, process, *key), process, key)

        monkeypatch.setattr(Streams, "get", get)


def run_logged(monkeypatch, scenario: str, overrides: tuple[str, ...]) -> tuple[DrawLog, CrisisModel]:
    log = DrawLog()
    with monkeypatch.context() as patch:
        log.spy(patch)
        model = CrisisModel(load_config(scenario=scenario, overrides=list(overrides)))
        model.run()
    return log, model


def assert_same_draws(a: DrawLog, b: DrawLog, process: str) -> int:
    """Every key both variants drew for ``process`` got the same numbers; returns how many keys were compared."""
    shared = set(a.draws[process]) & set(b.draws[process])
    for key in shared:
        for x, y in zip(a.draws[process][key], b.draws[process][key], strict=True):
            np.testing.assert_array_equal(x, y, err_msg=f"{process} draws for key {key} should be equal in both")
    return len(shared)


def test_every_process_is_declared_and_streams_are_independent_of_order():
    streams = Streams(np.random.SeedSequence(3))
    first = streams.get("formation", 7).random(4)
    streams.get("hazard", 7).random(100)  # another stream used in between changes nothing
    np.testing.assert_array_equal(first, streams.get("formation", 7).random(4))
    assert not np.array_equal(first, streams.get("formation", 8).random(4)), "each step has its own draws"
    assert not np.array_equal(first, streams.get("collaboration", 7).random(4)), "each process has its own draws"
    with pytest.raises(KeyError, match="unknown random process"):
        streams.get("no_such_process")
    assert {"hazard", "formation", "membership", "collaboration", "projects", "bonding", "bridging"} <= set(PROCESSES)


@pytest.mark.slow
def test_low_and_high_cohesion_share_the_initiative_draws_of_every_step_both_draw(monkeypatch):
    """Formation, collaboration and membership draws are keyed by step (membership also by
    neighbourhood); a variant draws them only where an initiative may form, and wherever both
    variants draw, they draw the same numbers."""
    size = ("population.households=600", "seed=4")
    low, low_model = run_logged(monkeypatch, "flooding", size + LOW)
    high, high_model = run_logged(monkeypatch, "flooding", size + HIGH)
    steps = {(s,) for s in range(1, low_model.n_steps + 1)}
    for log in (low, high):
        assert set(log.draws["formation"]) < steps, (
            "formation should be drawn by step, and not where no need meets cohesion"
        )
        for draws in log.draws["formation"].values():
            assert draws[0].shape == (low_model.n_neighbourhoods,), "one formation draw per neighbourhood per step"
    for process in ("formation", "collaboration", "membership"):
        assert assert_same_draws(low, high, process) >= 10, f"the variants should share many steps' {process} draws"
    low_loss, high_loss = (m.results.summary["resilience_loss_days"] for m in (low_model, high_model))
    assert high_loss != low_loss, "the variants should differ in outcome, so that the test shows pairing despite it"


@pytest.mark.slow
def test_flooding_low_and_high_cohesion_share_every_flood_day_and_severity():
    size = ["population.households=600", "seed=2"]
    low = run(load_config(scenario="flooding", overrides=[*size, *LOW]))
    high = run(load_config(scenario="flooding", overrides=[*size, *HIGH]))
    assert len(low.events) >= 3, "the default flooding run should bring several floods"
    np.testing.assert_array_equal(low.events.day, high.events.day, err_msg="the same flood days in both")
    np.testing.assert_array_equal(low.events.severity, high.events.severity, err_msg="the same flood severities")
    np.testing.assert_array_equal(
        low.events.households_hit, high.events.households_hit, err_msg="the same households hit"
    )


@pytest.mark.slow
def test_sea_level_rise_low_and_high_cohesion_share_every_project_start_draw(monkeypatch):
    # A lower support threshold than the default, so that projects start and the variants can differ in them.
    size = ("population.households=600", "seed=4", "scenario.support_threshold=0.15")
    low, low_model = run_logged(monkeypatch, "sea_level_rise", size + LOW)
    high, high_model = run_logged(monkeypatch, "sea_level_rise", size + HIGH)
    assert assert_same_draws(low, high, "projects") == low_model.n_steps, "a project draw in every step of both"
    assert assert_same_draws(low, high, "hazard") == low_model.n_steps
    low_done = low_model.results.summary["transformed_neighbourhoods"]
    high_done = high_model.results.summary["transformed_neighbourhoods"]
    assert high_done > low_done, f"the variants should differ in what transforms: {low_done} vs {high_done}"


def tie_sets(bonding: float, *overrides: str) -> tuple[set, set]:
    model = CrisisModel(load_config(overrides=[*overrides, f"network.bonding_degree={bonding}", "seed=9"]))
    return tuple(set(zip(*getattr(model.networks, kind).nonzero(), strict=True)) for kind in ("bonding", "bridging"))


def test_more_bonding_ties_leave_the_bridging_ties_unchanged():
    # One class and bonding ties within neighbourhoods only: a bridging tie must then cross
    # neighbourhoods, so no bridging candidate can be a bonding pair.
    local = ("population=equal", "population.households=2000", "network.bonding_outside=0")
    _, bridging_a = tie_sets(2, *local)
    _, bridging_b = tie_sets(6, *local)
    assert bridging_a == bridging_b, "no bridging candidate is a bonding pair here: the same bridging ties"


def test_where_bridging_meets_bonding_only_the_colliding_ties_change():
    # Two neighbourhoods and no homophily: many bridging candidates join two classes of one
    # neighbourhood, which bonding ties can join too.
    dense = ("population.households=400", "population.neighbourhoods=2", "network.homophily=0")
    bonding_a, bridging_a = tie_sets(2, *dense, "network.bridging_degree=4")
    bonding_b, bridging_b = tie_sets(12, *dense, "network.bridging_degree=4")
    assert len(bridging_a) == len(bridging_b), "the bridging degree is the same in both"
    # A bridging candidate that is a bonding pair in one variant is passed over there and replaced by
    # the next candidate: only such collisions and their replacements may differ.
    collisions = (bridging_a | bridging_b) & (bonding_a | bonding_b)
    changed = bridging_a ^ bridging_b
    assert collisions, "this setting should make some bridging candidates bonding pairs"
    assert len(changed) <= 2 * len(collisions), f"{len(changed)} bridging ties changed for {len(collisions)} collisions"
