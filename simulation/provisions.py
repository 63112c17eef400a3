"""Essential provisions (tap water, a home, care) and a household's functioning from them.

A provision is state: a scenario breaks it (a burst main sets the day the water returns; a flood
damages homes), its own process restores it (crews, drying and repair), and others can stand in
for part of what is missing (bottled water, a host, care by family). Functioning is the product
of what each missing provision costs, the household's harm beyond them and what the strain of
helping others costs it::

    F = (1 - w_water * water_deficit) * (1 - w_home * (1 - home)) * (1 - w_care * care_deficit)
        * (1 - harm) * (1 - w_strain * strain^2)

Equations and defaults are in docs/ODD.md (7.2).
"""

from __future__ import annotations

import numpy as np

from simulation.config import DynamicsConfig
from simulation.state import HouseholdState

AT_HOME, HOSTED, TEMPORARY, EMERGENCY = 0, 1, 2, 3


def without_water(h: HouseholdState, day: float, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
    """Households (of ``rows``) whose tap is off on ``day``."""
    return h.water_back_day[rows] > day


def under_boil_advice(h: HouseholdState, day: float, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
    """Households (of ``rows``) whose tap is back but whose water must be boiled on ``day``."""
    return ~without_water(h, day, rows) & (h.boil_until_day[rows] > day)


def without_care(h: HouseholdState, day: float, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
    """Care-dependent households (of ``rows``) whose care is interrupted on ``day``: their water, or their lodging, is gone."""
    return h.care_dependent[rows] & ((h.care_back_day[rows] > day) | (h.displaced[rows] == EMERGENCY))


def home_quality(h: HouseholdState, d: DynamicsConfig, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
    """How much of a normal home each household (of ``rows``) has: its own, less the damage in it, or a shelter's."""
    shelter = np.array([0.0, d.hosted_home, d.temporary_home, d.emergency_home])
    displaced = h.displaced[rows]
    return np.where(displaced == AT_HOME, 1.0 - h.home_damage[rows], shelter[displaced])


def lacks_provision(h: HouseholdState, day: float, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
    """Households (of ``rows``) that lack at least one essential provision on ``day`` (whatever stands in)."""
    return without_water(h, day, rows) | (h.displaced[rows] != AT_HOME) | without_care(h, day, rows)


def functioning(h: HouseholdState, d: DynamicsConfig, day: float, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
    """Functioning on ``day`` of the households of ``rows``, from their provisions, what stands in, and their harm."""
    water_deficit = without_water(h, day, rows) * (1.0 - h.water_cover[rows])
    water_deficit += under_boil_advice(h, day, rows) * d.boil_water_deficit
    care_deficit = without_care(h, day, rows) * (1.0 - h.care_cover[rows])
    return (
        (1.0 - d.water_weight * water_deficit)
        * (1.0 - d.home_weight * (1.0 - home_quality(h, d, rows)))
        * (1.0 - d.care_weight * care_deficit)
        * (1.0 - h.harm[rows])
        * strain_cost(h, d, rows)
    )


def strain_cost(h: HouseholdState, d: DynamicsConfig, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
    """The factor on functioning that strain leaves: ``1 - strain_weight * strain**2`` (sustained help costs, brief help hardly)."""
    return 1.0 - d.strain_weight * h.strain[rows] ** 2


def crisis_functioning(h: HouseholdState, d: DynamicsConfig, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
    """Functioning of the households of ``rows`` as the crisis left it: without what strain costs.

    Need, help and recovery are about the crisis (strain is the cost of helping, which help
    from others does not take away); functioning itself counts both.
    """
    return h.functioning[rows] / strain_cost(h, d, rows)


def update_functioning(h: HouseholdState, d: DynamicsConfig, day: float) -> np.ndarray:
    """Set every household's functioning on ``day``; return the households with a provision at stake.

    Only households with a provision at stake (a damaged home, a cut tap or boil-water advice,
    interrupted care) need the whole product; for the others it is ``(1 - harm)(1 - w_strain
    strain^2)``. Every household that lacks a provision is among them.
    """
    at_stake = np.flatnonzero(
        (h.home_damage > 0) | (h.water_back_day > day) | (h.boil_until_day > day) | (h.care_back_day > day)
    )
    np.subtract(1.0, h.harm, out=h.functioning)
    strained = np.flatnonzero(h.strain > 0)
    h.functioning[strained] *= strain_cost(h, d, strained)
    h.functioning[at_stake] = functioning(h, d, day, at_stake)
    return at_stake
