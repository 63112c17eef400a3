"""Policy levers: what each changes in the mechanisms, when, and what it costs.

Each lever acts through a mechanism of the model, never as a multiplier on recovery:

- ``caring_neighbourhood`` (before the crisis): neighbourhood workers and facilities give the
  households with the least capital bridging ties to households with more;
- ``diverse_housing`` (years before the crisis): lower segregation of classes over neighbourhoods;
- ``receptive_government`` (before and during): the government starts receptive and cooperative
  on Leary's rose, and acts sooner;
- ``co_design`` (during a transformation, sea-level rise): residents and initiatives at the design
  table: a plan whose cost falls with a household's means, tenants follow with their landlord,
  a supported project starts at the full rate whatever the government's stance, and the design
  takes longer;
- ``standing_initiatives`` (before and during): an initiative in every neighbourhood from the
  start, supported so that it lasts between crises and recruits afresh when an event begins;
- ``generous_compensation`` (during): the compensation scheme opens sooner, has more assessors
  and pays what was promised;
- ``flood_defences`` (before and during floods): higher dikes stop most floods (flooding) or must
  be overtopped by the rising sea first (sea-level rise);
- ``government_collaboration`` (before and during): joint decision rules, shared procedures and a
  start of mutual trust between the government organisations, so handovers between them go faster;
- ``outcome_accountability`` (before and during): organisations judged on what people got: the
  government reads criticism as what to improve, and procedures that serve no outcome are dropped.

Costs are in euros over the years the lever runs (before the crisis and over the run); every
price is an assumption, named in ``simulation/config.py``. Each is per household, per home, per
km of dike (in proportion to the households) or per ``policy.households_per_neighbourhood``
households, so that a lever costs the same per household in a town of any size. What the levers
gain is measured against the same town, with the same seed, without them (``recovery_gained``).
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

import numpy as np

from simulation.config import DAYS_PER_YEAR, POLICY_LEVERS, Config, GovernmentConfig, PolicyConfig
from simulation.housing import capacity
from simulation.networks import Networks, add_bridging_ties

if TYPE_CHECKING:
    from simulation.model import CrisisModel


OUTSIDERS = "precariaat"
GAIN_KEYS = (
    "recovery_gained_days",
    f"recovery_gained_days__{OUTSIDERS}",
    "recovery_gained_per_meur",
    f"recovery_gained_per_meur__{OUTSIDERS}",
)


def without_levers(cfg: Config) -> Config:
    """The same run (same seed, same town) with every lever off."""
    return dataclasses.replace(cfg, policy=PolicyConfig())


def recovery_gained(with_levers: dict, without: dict, households: int, precariaat: int) -> dict[str, float | None]:
    """What the levers gained against the same run without them.

    ``recovery_gained_days``: days of functioning per household regained (``functioning_loss_days``
    without the levers minus with them; negative if the levers made it worse);
    ``recovery_gained_per_meur``: household-days regained per million euros of ``policy_cost_eur``
    (null if the levers cost nothing). The same for the precariaat (null without that class).

    Args:
        with_levers: the summary of the run with its levers; without: the same run without them.
        households: households in the town; precariaat: of them, in the precariaat.
    """
    key = f"functioning_loss_days__{OUTSIDERS}"
    overall = without["functioning_loss_days"] - with_levers["functioning_loss_days"]
    poor = without[key] - with_levers[key] if with_levers.get(key) is not None else None
    meur = with_levers["policy_cost_eur"] / 1e6
    return dict(
        zip(
            GAIN_KEYS,
            (
                overall,
                poor,
                overall * households / meur if meur > 0 else None,
                poor * precariaat / meur if meur > 0 and poor is not None else None,
            ),
            strict=True,
        )
    )


def segregation(cfg: Config) -> float:
    """The segregation the population is placed with: lowered by ``diverse_housing``."""
    housing = cfg.policy.diverse_housing
    return cfg.population.segregation * (1.0 - housing.mixing) if housing.enabled else cfg.population.segregation


def government(cfg: Config) -> tuple[GovernmentConfig, dict[str, float]]:
    """The government's config as the levers change it, and its starting stance and delay if a lever sets them."""
    gov = cfg.government
    compensation = cfg.policy.generous_compensation
    if compensation.enabled:
        gov = dataclasses.replace(
            gov,
            scheme_opening_days=compensation.opening_days,
            scheme_assessors=gov.scheme_assessors * compensation.assessors_factor,
            scheme_coverage=compensation.coverage,
            promised_coverage=compensation.coverage,  # it pays what it promises
        )
    joint = cfg.policy.government_collaboration
    if joint.enabled:
        gov = dataclasses.replace(
            gov,
            collaboration_governance=joint.governance,
            collaboration_administration=joint.administration,
            collaboration_norms=joint.norms,
        )
    accountability = cfg.policy.outcome_accountability
    if accountability.enabled:
        gov = dataclasses.replace(gov, bureaucracy=gov.bureaucracy * (1.0 - accountability.bureaucracy_cut))
    receptive = cfg.policy.receptive_government
    start: dict = {"accountable": accountability.enabled}
    if receptive.enabled:
        start |= {
            "receptivity": receptive.receptivity,
            "collaboration": receptive.collaboration,
            "delay_days": gov.delay_days * receptive.delay_factor,
        }
    return gov, start


def caring_ties(networks: Networks, capital: np.ndarray, cfg: Config, rng: np.random.Generator) -> Networks:
    """The networks with the bridging ties that neighbourhood workers make.

    Each of the households with the least capital (``reach_share`` of all) gets up to
    ``ties_added`` ties to households drawn from those with more capital than the median (a
    pair already tied keeps its one tie).
    """
    lever = cfg.policy.caring_neighbourhood
    reached = np.argsort(capital, kind="stable")[: round(lever.reach_share * capital.size)]
    above = np.flatnonzero(capital > np.median(capital))
    if reached.size == 0 or above.size == 0:
        return networks
    partners = above[rng.integers(0, above.size, size=reached.size * lever.ties_added)]
    return add_bridging_ties(networks, np.repeat(reached, lever.ties_added), partners, cfg.network.bridging_weight)


def costs(model: CrisisModel) -> dict[str, float]:
    """Euros each lever cost in this run (0 for levers that are off or did nothing here)."""
    cfg = model.cfg
    policy = cfg.policy
    years = model.day / DAYS_PER_YEAR
    households = model.households.n
    # Per-neighbourhood prices are paid per policy.households_per_neighbourhood households of the town,
    # whatever the model's count of neighbourhoods, so that a lever costs the same per household at any size.
    neighbourhoods = households / policy.households_per_neighbourhood
    out = dict.fromkeys(POLICY_LEVERS, 0.0)
    if policy.caring_neighbourhood.enabled:
        lever = policy.caring_neighbourhood
        per_year = lever.workers_per_neighbourhood * lever.worker_eur_per_year + lever.facility_eur_per_year
        out["caring_neighbourhood"] = neighbourhoods * per_year * (lever.years_before + years)
    if policy.diverse_housing.enabled:
        lever = policy.diverse_housing
        out["diverse_housing"] = lever.homes_changed_share * households * lever.eur_per_home
    if policy.receptive_government.enabled:
        lever = policy.receptive_government
        out["receptive_government"] = (
            lever.eur_per_1000_households_per_year * households / 1000 * (lever.years_before + years)
        )
    if policy.co_design.enabled:
        out["co_design"] = policy.co_design.eur_per_household * model.crisis.project_households(model)
    if policy.standing_initiatives.enabled:
        lever = policy.standing_initiatives
        out["standing_initiatives"] = lever.eur_per_initiative_per_year * neighbourhoods * (lever.years_before + years)
    if policy.generous_compensation.enabled:
        lever = policy.generous_compensation
        standard = cfg.government.scheme_coverage / lever.coverage  # what the standard scheme would have paid
        extra_payments = model.recorder.columns["money_scheme_eur"][model.recorder.row - 1] * (1.0 - standard)
        extra_assessors = model.housing.assessors - capacity(cfg.government.scheme_assessors, households)
        assessor_days = extra_assessors * model.housing.scheme_open_days
        out["generous_compensation"] = extra_payments + assessor_days * lever.eur_per_assessor_day
    if policy.flood_defences.enabled:
        out["flood_defences"] = model.crisis.defence_cost(policy.flood_defences, years, households)
    for name in ("government_collaboration", "outcome_accountability"):
        lever = getattr(policy, name)
        if lever.enabled:
            out[name] = lever.eur_per_1000_households_per_year * households / 1000 * (lever.years_before + years)
    return out
