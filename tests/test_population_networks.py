"""Population and networks: class shares, degrees, homophily, ties that cross groups, social capital."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import CrisisModel
from simulation.dynamics import closed_fraction

from .conftest import small_config


def _within_class_share(matrix, household_class):
    rows, cols = matrix.nonzero()
    return float(np.mean(household_class[rows] == household_class[cols]))


def test_class_counts_follow_the_shares():
    model = CrisisModel(small_config())
    h = model.households
    counts = np.bincount(h.household_class, minlength=len(h.class_names)) / h.n
    shares = [c.share for c in model.cfg.population.classes.values()]
    np.testing.assert_allclose(counts, shares, atol=1 / h.n, err_msg="class counts should match SCP shares")


def test_mean_degrees_match_the_config():
    model = CrisisModel(small_config("network.bonding_degree=6", "network.bridging_degree=3"))
    net = model.networks
    n = model.households.n
    assert net.bonding.nnz / n == pytest.approx(6, abs=0.01), "mean bonding degree should be as configured"
    assert net.bridging.nnz / n == pytest.approx(3, abs=0.01), "mean bridging degree should be as configured"
    assert (net.bonding != net.bonding.T).nnz == 0, "ties are undirected"
    assert net.bonding.multiply(net.bridging).nnz == 0, "a pair holds at most one tie"


def test_ties_take_the_bytes_the_memory_check_counts():
    from simulation.memory import TIE_BYTES

    model = CrisisModel(small_config("policy=[caring_neighbourhood]"))
    matrices = (model.networks.bonding, model.networks.bridging, model.ties)
    stored = sum(m.data.nbytes + m.indices.nbytes for m in matrices)
    ties = (model.networks.bonding.nnz + model.networks.bridging.nnz) / 2
    assert stored == TIE_BYTES * ties, (
        f"a tie should take the {TIE_BYTES} bytes check_memory counts (4-byte indices), not {stored / ties:g}"
    )


def test_bonding_mostly_stays_in_the_neighbourhood_and_bridging_crosses_groups():
    model = CrisisModel(small_config())
    h, net = model.households, model.networks
    rows, cols = net.bonding.nonzero()
    outside = np.mean(h.neighbourhood[rows] != h.neighbourhood[cols])
    assert outside == pytest.approx(model.cfg.network.bonding_outside, abs=0.01), (
        "the configured share of bonding ties joins households of different neighbourhoods, the rest stay"
    )
    rows, cols = net.bridging.nonzero()
    same_group = (h.neighbourhood[rows] == h.neighbourhood[cols]) & (h.household_class[rows] == h.household_class[cols])
    assert not same_group.any(), "bridging ties cross neighbourhood or class"


def test_homophily_concentrates_ties_within_class():
    low = CrisisModel(small_config("network.homophily=0"))
    high = CrisisModel(small_config("network.homophily=1"))
    for kind in ("bonding", "bridging"):
        share_low = _within_class_share(getattr(low.networks, kind), low.households.household_class)
        share_high = _within_class_share(getattr(high.networks, kind), high.households.household_class)
        assert share_high > share_low + 0.3, f"{kind}: homophily 1 should give far more within-class ties"
        assert share_high == pytest.approx(1.0), f"{kind}: homophily 1 means ties only within class"


def test_social_capital_follows_ties_and_is_lowest_for_the_precariaat():
    model = CrisisModel(small_config())
    h = model.households
    strength = model.networks.bonding_strength + model.networks.bridging_strength
    by_strength = h.social[np.argsort(strength, kind="stable")]
    assert np.all(np.diff(by_strength) >= -1e-12), "social capital should rise with tie strength"
    assert h.social[strength == 0].sum() == 0, "no ties, no social capital"
    precariaat = h.class_names.index("precariaat")
    means = [h.social[h.household_class == c].mean() for c in range(len(h.class_names))]
    assert np.argmin(means) == precariaat, "the precariaat should have the least social capital"


def test_segregation_puts_the_precariaat_in_exposed_neighbourhoods():
    mixed = CrisisModel(small_config("population.segregation=0"))
    sorted_ = CrisisModel(small_config("population.segregation=1"))

    def precariaat_exposure(model):
        h = model.households
        return h.exposure[h.household_class == h.class_names.index("precariaat")].mean()

    assert precariaat_exposure(sorted_) > precariaat_exposure(mixed) + 0.1


def test_networkx_view_has_both_kinds_of_tie():
    model = CrisisModel(small_config("population.households=200"))
    graph = model.networks.to_networkx()
    kinds = {data["kind"] for _, _, data in graph.edges(data=True)}
    assert kinds == {"bonding", "bridging"}
    assert graph.number_of_edges() == (model.networks.bonding.nnz + model.networks.bridging.nnz) // 2


def test_rates_convert_exactly_between_step_lengths():
    rate = np.array([0.0, 0.05, 0.3])
    one_day = closed_fraction(rate, 1.0)
    two_half_days = 1 - (1 - closed_fraction(rate, 0.5)) ** 2
    np.testing.assert_allclose(one_day, two_half_days, rtol=1e-12, err_msg="two half days should equal one day")


def test_the_fast_tie_helpers_keep_the_plain_numpy_meaning():
    from simulation.networks import _BlockSampler, _first_new

    rng = np.random.default_rng(7)
    values = rng.integers(0, 50, 400)
    taken = np.sort(rng.choice(50, 10, replace=False))
    _, first = np.unique(values, return_index=True)
    plain = values[np.sort(first)]
    plain = plain[~np.isin(plain, taken)]
    assert np.array_equal(_first_new(values, taken), plain), "first occurrences in order, none of those taken"
    assert np.array_equal(_first_new(values, taken[:0]), values[np.sort(first)]), "with nothing taken: np.unique"
    key, weight = rng.integers(0, 4, 300), rng.random(300)
    sampler = _BlockSampler(key, weight)
    blocks = rng.integers(0, 4, 1000)
    drawn = sampler.draw(blocks, np.random.default_rng(3))
    target_rng = np.random.default_rng(3)
    target = sampler.low[blocks] + target_rng.random(blocks.size) * (sampler.high[blocks] - sampler.low[blocks])
    position = np.clip(
        np.searchsorted(sampler.cumulative, target, side="right"), sampler.start[blocks], sampler.end[blocks] - 1
    )
    assert np.array_equal(drawn, sampler.order[position]), "looking targets up in order should draw the same households"
    assert np.all(key[drawn] == blocks), "each household drawn from its block"


def test_household_agents_are_made_only_when_asked_for():
    import mesa

    from agents import Household

    model = CrisisModel(small_config())
    registered = mesa.Model.agents.fget(model)
    assert not any(isinstance(agent, Household) for agent in registered), "building the model makes no household agents"
    model.step()
    households = model.agents_by_type[Household]
    assert len(households) == model.households.n, "asking for them makes one agent per household"
    assert [agent.index for agent in households] == list(range(model.households.n)), "in the order of the arrays"
    assert model.household_agents is households and len(model.agents) >= model.households.n
