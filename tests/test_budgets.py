"""Help from budgets, shares rather than doses, scarce things that run out, and aid with content.

Each test checks the direction of one mechanism, in a town hit by one flood (or facing the sea),
over paired seeds where variants are compared.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulation import CrisisModel, load_config
from simulation.networks import row_entries

from .conftest import flood_model

SEEDS = (0, 1)


def step_to(model: CrisisModel, day: float) -> CrisisModel:
    while model.day < day:
        model.step()
    return model


@pytest.mark.parametrize("seed", SEEDS)
def test_a_helper_with_more_needy_ties_gives_each_of_them_less(seed):
    model = step_to(flood_model("network.bonding_degree=8", seed=seed), 20)  # ten days after the flood
    now = model.read_state()
    position, helper, weight = row_entries(model.networks.bonding, now.needy)  # each (needy tie, helper) pair
    needy_ties = np.bincount(helper, minlength=model.households.n)[helper]
    able = now.offer[helper] > 0
    position, helper, weight, needy_ties = position[able], helper[able], weight[able], needy_ties[able]
    given = weight * now.need_of_needy[position] * now.offer_per_need[helper]  # what the helper gives that tie a day
    share = given / now.offer[helper]  # as a share of all the helper could give
    one, many = share[needy_ties == 1], share[needy_ties >= 4]
    assert one.size > 10 and many.size > 10, "expected helpers with one needy tie and helpers with four or more"
    assert many.mean() < one.mean() / 2, (
        f"seed {seed}: a helper with four or more needy ties should give each a smaller share of its offer "
        f"({many.mean():.3f}) than one with a single needy tie ({one.mean():.3f})"
    )
    assert (now.offer_per_need * now.claimed <= now.offer + 1e-12).all(), "no helper gives more than its offer"


def test_helping_spends_time_that_rest_brings_back():
    # A burst main: help is asked for hours, then hardly at all.
    model = CrisisModel(load_config("leak", ["population.households=1000", "network.bonding_degree=8", "seed=0"]))
    h = model.households
    step_to(model, 0.75)  # six hours after the burst at noon
    helped = h.help_given > 0
    assert h.time_left[helped].mean() < 0.99, "those who helped should have spent some of their time"
    given = step_to(model, 3.0).households.help_given.copy()
    step_to(model, 6.0)
    resting = helped & (h.help_given == given)  # helped during the outage, then not for three days
    assert resting.sum() > 10, "expected helpers who stopped helping"
    assert h.time_left[resting].min() > 0.99, "three days of rest should bring a helper's time back"


@pytest.mark.parametrize("seed", SEEDS)
def test_hosting_long_enough_lowers_the_hosts_functioning_and_ends(seed):
    model = flood_model("network.bonding_degree=8", seed=seed)
    h, limit = model.households, model.cfg.dynamics.hosting_limit
    ended_strained, host_functioning = 0, []
    while model.running:
        guests = np.flatnonzero(h.host >= 0)
        hosts = h.host[guests]
        model.step()
        gone = h.host[guests] != hosts
        ended_strained += int(np.count_nonzero(gone & (h.strain[hosts] >= limit)))
        unhit_hosts = hosts[np.isnan(h.shock_day[hosts]) & (h.host[guests] == hosts)]
        host_functioning.extend(h.functioning[unhit_hosts].tolist())
    assert ended_strained > 0, f"seed {seed}: some hosting should end when the host's strain reaches the limit"
    assert min(host_functioning) < 1.0 - 0.1 * model.cfg.dynamics.strain_weight, (
        f"seed {seed}: hosting should cost hosts the flood did not hit some of their functioning, "
        f"lowest {min(host_functioning):.3f}"
    )


def test_outside_contractors_run_out_when_more_households_ask_than_the_pool_holds():
    # A small outside pool that is found at once: more households find an outside contractor than it holds.
    model = flood_model("housing.outside_contractors=3", "housing.outside_contractor_rate=5", seed=0)
    h, crews = model.households, model.housing.outside_contractors
    places = math.ceil(crews)  # the whole crews and a part-time one
    busiest, turned_away = 0, 0
    while model.running:
        model.step()
        at_work = int(np.count_nonzero(h.outside_contractor & (h.repair_work_left > 0)))
        busiest = max(busiest, at_work)
        found_but_waiting = (h.search_progress >= 1.0) & np.isnan(h.repair_work_left) & (h.repair_cost > 0)
        turned_away += int(at_work == places and found_but_waiting.any())
    assert busiest == places, f"the outside pool should fill up ({busiest} of {places} places for {crews:g} crews)"
    assert turned_away > 0, "households that found an outside contractor should wait while the pool is full"


@pytest.mark.parametrize("seed", (0, 1, 2, 3))
def test_aid_that_arrives_thirty_days_later_leaves_a_town_recovering_later(seed):
    soon = flood_model("government.delay_days=0", seed=seed).run().summary
    late = flood_model("government.delay_days=30", seed=seed).run().summary
    for key in ("resilience_loss_days", "functioning_loss_days"):
        assert late[key] > soon[key], f"seed {seed}: {key} should be higher when aid comes 30 days later"


def test_transformation_support_weighs_ties_views_as_a_share_that_can_pull_it_down():
    model = CrisisModel(load_config("sea_level_rise", ["population.households=400", "seed=2"]))
    h, crisis, learning = model.households, model.crisis, model.cfg.dynamics.social_learning
    h.risk_memory[:] = 1.0
    h.trust[:] = 0.5
    alike = crisis.support(model)
    np.testing.assert_allclose(alike, alike[0], err_msg="ties of the same view leave one's own support as it is")
    sceptics = np.arange(0, h.n, 2)
    h.trust[sceptics] = 0.0  # every other household loses its trust, and with it its support
    keeping = np.setdiff1d(np.flatnonzero((model.ties @ (h.trust == 0.0)) > 0), sceptics)
    pulled = crisis.support(model)
    assert keeping.size > 50, "expected many households that keep their trust with a sceptical tie"
    assert (pulled[keeping] < alike[keeping]).all(), "sceptical ties should pull one's support down"
    assert (pulled[keeping] >= (1.0 - learning) * alike[keeping] - 1e-12).all(), (
        "however many sceptical ties, they weigh as a share: at most social_learning of one's support"
    )


def test_a_lender_pays_what_it_lends_out_of_its_savings():
    model = CrisisModel(
        load_config("sea_level_rise", ["population.households=600", "network.bonding_degree=8", "seed=3"])
    )
    h = model.households
    neighbourhood = 0
    buffer, lent = h.buffer.copy(), h.lent.copy()
    model.crisis.complete(model, neighbourhood)
    lenders = np.flatnonzero((h.lent > lent) & (h.neighbourhood != neighbourhood))
    assert lenders.size > 0, "ties outside the neighbourhood should lend to residents short of their share"
    np.testing.assert_allclose(
        buffer[lenders] - h.buffer[lenders],
        (h.lent[lenders] - lent[lenders]) / h.economic[lenders],
        err_msg="a lender's savings should fall by what it lent",
    )
    residents = model.neighbourhood_members[neighbourhood]
    own = h.economic[residents] * (1.0 + buffer[residents]) / 2.0
    helped = (h.transformation[residents] == 1) & (own < model.crisis.cfg.cost)
    assert helped.any(), "some residents should follow only with what their ties lent them"
