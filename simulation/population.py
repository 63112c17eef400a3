"""The households: their classes, capitals, neighbourhoods and exposure."""

from __future__ import annotations

import numpy as np

from simulation.config import PopulationConfig
from simulation.state import HouseholdState


def draw_classes(cfg: PopulationConfig, rng: np.random.Generator) -> np.ndarray:
    """Class index of each household, with counts matching the shares as closely as whole numbers allow."""
    shares = np.array([c.share for c in cfg.classes.values()])
    counts = np.floor(shares * cfg.households).astype(np.int64)
    remainder = shares * cfg.households - counts
    counts[np.argsort(-remainder, kind="stable")[: cfg.households - counts.sum()]] += 1
    classes = np.repeat(np.arange(len(shares), dtype=np.int16), counts)
    return rng.permutation(classes)


def standing_rank(cfg: PopulationConfig) -> np.ndarray:
    """Each class's rank by standing (the mean of its four capitals), from 0 (the most) to 1 (the least)."""
    standing = np.array([(p.economic + p.social + p.cultural + p.personal) / 4 for p in cfg.classes.values()])
    class_order = np.argsort(-standing, kind="stable")
    rank_of_class = np.empty(class_order.size)
    rank_of_class[class_order] = np.arange(class_order.size)
    return rank_of_class / max(class_order.size - 1, 1)


def place_in_neighbourhoods(
    cfg: PopulationConfig, household_class: np.ndarray, segregation: float, rng: np.random.Generator
) -> np.ndarray:
    """Neighbourhood of each household; with segregation, classes of low standing cluster in the last ones.

    Each household gets a sorting key ``segregation * rank + (1 - segregation) * noise`` where
    rank in [0, 1] orders the classes from the highest standing (mean capital) to the lowest;
    households are then cut into equal neighbourhoods in key order. Assumption: lower classes
    live in the more exposed neighbourhoods (cheaper, lower-lying ground), since neighbourhood
    exposure rises with its index.
    """
    n = household_class.size
    rank = standing_rank(cfg)[household_class]
    key = segregation * rank + (1.0 - segregation) * rng.random(n)
    order = np.argsort(key, kind="stable")
    neighbourhood = np.empty(n, dtype=np.int32)
    neighbourhood[order] = (np.arange(n) * cfg.neighbourhoods) // n
    return neighbourhood


def build_population(
    cfg: PopulationConfig, rng: np.random.Generator, segregation: float | None = None
) -> tuple[HouseholdState, np.ndarray]:
    """Draw the households.

    Capitals are the class mean plus normal noise with sd ``capital_spread``, clipped to [0, 1].
    The social capital drawn here is only a propensity to form ties: the realised social capital
    follows from the ties (``networks.social_capital``). Care dependence is drawn more often
    where personal capital (health) is low, room to host and owning one's home more often where
    economic capital is high, each with the configured mean share. ``segregation`` replaces the
    config's (a policy lever may lower it).

    Returns:
        The household state, and each household's tie propensity.
    """
    profiles = list(cfg.classes.values())
    state = HouseholdState(cfg.households, tuple(cfg.classes))
    state.household_class[:] = draw_classes(cfg, rng)

    def draw(attribute: str) -> np.ndarray:
        """Each household's value: its class's mean plus its own deviation (before clipping to [0, 1])."""
        means = np.array([getattr(p, attribute) for p in profiles])[state.household_class]
        return means + cfg.capital_spread * rng.standard_normal(cfg.households)

    state.economic[:] = np.clip(draw("economic"), 0.0, 1.0)
    propensity = np.clip(draw("social"), 0.0, 1.0)
    state.cultural[:] = np.clip(draw("cultural"), 0.0, 1.0)
    state.personal[:] = np.clip(draw("personal"), 0.0, 1.0)
    trust = draw("trust")
    # what its class holds elsewhere (what newcomers bring); the town may start above or below it
    state.trust_elsewhere[:] = np.clip(trust, 0.0, 1.0)
    state.trust[:] = np.clip(trust + cfg.trust_shift, 0.0, 1.0)
    state.trust_baseline[:] = state.trust

    segregation = cfg.segregation if segregation is None else segregation
    state.neighbourhood[:] = place_in_neighbourhoods(cfg, state.household_class, segregation, rng)
    neighbourhood_exposure = np.linspace(cfg.exposure_low, cfg.exposure_high, cfg.neighbourhoods)
    state.exposure[:] = np.clip(
        neighbourhood_exposure[state.neighbourhood] + cfg.exposure_spread * rng.standard_normal(cfg.households),
        0.0,
        1.0,
    )
    state.buffer[:] = 1.0
    state.preparedness[:] = cfg.initial_preparedness * state.economic
    state.care_dependent[:] = rng.random(cfg.households) < weighted_chance(
        cfg.care_dependent_share, 1.0 - state.personal
    )
    state.has_room[:] = rng.random(cfg.households) < weighted_chance(cfg.room_share, state.economic)
    state.owner[:] = rng.random(cfg.households) < weighted_chance(cfg.owner_share, state.economic)
    return state, propensity


def weighted_chance(share: float, weight: np.ndarray) -> np.ndarray:
    """Per household, a chance proportional to ``weight`` whose mean is ``share`` (as far as 1 allows)."""
    mean = weight.mean()
    return np.clip(share * weight / mean, 0.0, 1.0) if mean > 0 else np.full(weight.size, share)
