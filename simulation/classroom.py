"""The class demo's model: one community, or the same community twice, compared.

``ClassroomModel`` is a Mesa model that holds one or two ``CrisisModel`` communities built from
the same seed, so in side-by-side mode both have the same households and the same hazard
draws: the only difference is their ties (low and high cohesion) or one policy lever (without
and with it, for example a receptive government against the default one). It steps them together, in page
steps that suit the scenario (a day of a leak, four weeks of floods, a year of sea-level rise).
The browser page (``simulation.demo``) draws it; nothing here knows about the page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import mesa
import numpy as np
import scipy.sparse as sp

from simulation.compose import load_config
from simulation.config import POLICY_LEVERS, Config, ConfigError, GovernmentConfig, PopulationConfig
from simulation.model import CrisisModel

SCENARIOS = ("leak", "flooding", "sea_level_rise")

# Days of model time one press of Step advances, per scenario (chosen so that a class sees a
# whole run in a minute or two of play; the model itself keeps its own step length).
PAGE_STEP_DAYS = {"leak": 1.0 / 24, "flooding": 28.0, "sea_level_rise": 365.25}

# The one "cohesion" control, from 0 (low) to 1 (high), sets three network keys at once
# (assumption, a teaching mapping): bonding ties 1..8 and bridging ties 0..4 (the low and high
# settings of the direction tests), homophily 0.9..0.3. At 0.5 it gives 4.5 bonding, 2 bridging
# ties and homophily 0.6, close to the model's defaults (5, 2, 0.6).
COHESION_SCALE = {
    "bonding_degree": (1.0, 8.0),
    "bridging_degree": (0.0, 4.0),
    "homophily": (0.9, 0.3),
}
LOW_COHESION, HIGH_COHESION = 0.0, 1.0
# What side by side compares: low against high cohesion, or the town without and with a lever.
COMPARISONS = ("cohesion", *POLICY_LEVERS)

# Households drawn in the network view; a larger population is shown by a random sample.
VIEW_SIZE = 400


def ties_for_cohesion(cohesion: float) -> dict[str, float]:
    """The network keys that one cohesion level in [0, 1] stands for."""
    if not 0.0 <= cohesion <= 1.0:
        raise ConfigError(f"cohesion={cohesion!r} is not allowed: expected a number in [0, 1]")
    return {key: round(low + cohesion * (high - low), 2) for key, (low, high) in COHESION_SCALE.items()}


@dataclass(frozen=True)
class ClassroomSettings:
    """What the page lets a class choose.

    Attributes:
        scenario: ``leak``, ``flooding`` or ``sea_level_rise``.
        side_by_side: run the community twice; otherwise run it once with the settings below.
        compare: what side by side compares: ``cohesion`` (the low and the high end of the
            cohesion scale) or a policy lever (the community with the ties below, without and
            with the lever).
        cohesion: the position of the cohesion control (0..1) that set the three tie keys.
        bonding_degree, bridging_degree, homophily: the network keys of a single community.
        delay_days, receptivity, learning: the government.
        households: number of households.
        seed: the seed of both communities.
    """

    scenario: str = "leak"
    side_by_side: bool = True
    compare: str = "cohesion"
    cohesion: float = 0.5
    bonding_degree: float = ties_for_cohesion(0.5)["bonding_degree"]
    bridging_degree: float = ties_for_cohesion(0.5)["bridging_degree"]
    homophily: float = ties_for_cohesion(0.5)["homophily"]
    delay_days: float = GovernmentConfig.delay_days
    receptivity: float = GovernmentConfig.receptivity
    learning: float = GovernmentConfig.learning
    households: int = PopulationConfig.households
    seed: int = 1

    def with_cohesion(self, cohesion: float) -> ClassroomSettings:
        """These settings with the cohesion control moved, and the tie keys it sets."""
        return replace(self, cohesion=cohesion, **ties_for_cohesion(cohesion))

    @property
    def compares_cohesion(self) -> bool:
        """Whether the two communities differ by their ties (not by a lever)."""
        return self.side_by_side and self.compare == "cohesion"

    def ties(self) -> dict[str, dict[str, float]]:
        """The tie keys of each community, by its name (``low`` and ``high``, ``without`` and ``with``, or ``chosen``)."""
        if self.compares_cohesion:
            return {"low": ties_for_cohesion(LOW_COHESION), "high": ties_for_cohesion(HIGH_COHESION)}
        chosen = {key: getattr(self, key) for key in ("bonding_degree", "bridging_degree", "homophily")}
        return {"without": chosen, "with": chosen} if self.side_by_side else {"chosen": chosen}

    def levers(self, name: str) -> list[str]:
        """The policy levers of a community: the compared lever in ``with``, none elsewhere."""
        return [self.compare] if name == "with" else []

    def configs(self) -> dict[str, Config]:
        """The validated config of each community; raises ``ConfigError`` naming a bad value."""
        if self.scenario not in SCENARIOS:
            raise ConfigError(f"scenario={self.scenario!r} is not allowed: expected one of {', '.join(SCENARIOS)}")
        if self.compare not in COMPARISONS:
            raise ConfigError(f"compare={self.compare!r} is not allowed: expected one of {', '.join(COMPARISONS)}")
        shared = [
            f"government.delay_days={self.delay_days}",
            f"government.receptivity={self.receptivity}",
            f"government.learning={self.learning}",
            f"population.households={self.households}",
            f"seed={self.seed}",
        ]
        return {
            name: load_config(
                scenario=self.scenario,
                overrides=[
                    *shared,
                    *(f"network.{key}={value}" for key, value in ties.items()),
                    f"policy=[{','.join(self.levers(name))}]",
                ],
            )
            for name, ties in self.ties().items()
        }


@dataclass(frozen=True)
class NetworkView:
    """A fixed sample of households and where to draw them (the same in every community).

    Attributes:
        households: indices of the households drawn.
        xy: their positions, one cluster per neighbourhood.
        of_total: the population size they were drawn from.
    """

    households: np.ndarray
    xy: np.ndarray
    of_total: int

    @classmethod
    def of(cls, model: CrisisModel, size: int, seed: int) -> NetworkView:
        """Sample ``size`` households and place them around their neighbourhood's centre."""
        rng = np.random.default_rng(seed)  # its own generator: the view never changes the run
        n = model.households.n
        sample = np.sort(rng.choice(n, size=min(size, n), replace=False))
        k = model.n_neighbourhoods
        angle = 2 * np.pi * np.arange(k) / k
        centres = np.column_stack([np.cos(angle), np.sin(angle)])
        radius = 0.9 * np.sin(np.pi / k) if k > 1 else 1.0
        r = radius * np.sqrt(rng.uniform(size=sample.size))
        theta = rng.uniform(0, 2 * np.pi, size=sample.size)
        xy = centres[model.households.neighbourhood[sample]] + np.column_stack([r * np.cos(theta), r * np.sin(theta)])
        return cls(households=sample, xy=xy, of_total=n)

    def ties(self, matrix: sp.csr_array) -> np.ndarray:
        """Pairs (i, j), i < j, of positions in the sample that a tie joins."""
        within = sp.triu(matrix[self.households][:, self.households], k=1).tocoo()
        return np.column_stack([within.row, within.col])


class ClassroomModel(mesa.Model):
    """One community, or the same community at low and high cohesion, stepping together.

    Args:
        settings: what the class chose; ``None`` means the defaults.

    Attributes:
        settings: the settings the communities were built from.
        communities: the ``CrisisModel`` of each community by name (``low`` and ``high``,
            ``without`` and ``with``, or ``chosen``).
        reference: the first community, whose clock, step length and households the others share.
        steps_per_page_step: model steps taken by one ``step()``.
        view: the households drawn in the network view.
    """

    def __init__(self, settings: ClassroomSettings | None = None) -> None:
        settings = settings or ClassroomSettings()
        super().__init__(rng=settings.seed)
        self.settings = settings
        self.communities = {name: CrisisModel(cfg) for name, cfg in settings.configs().items()}
        self.reference = next(iter(self.communities.values()))
        self.steps_per_page_step = max(1, round(PAGE_STEP_DAYS[settings.scenario] / self.reference.dt))
        self.view = NetworkView.of(self.reference, VIEW_SIZE, settings.seed)

    @property
    def day(self) -> float:
        """Days since the start (the same in every community)."""
        return self.reference.day

    @property
    def horizon_days(self) -> float:
        """The scenario's horizon in days."""
        return self.reference.cfg.scenario.horizon_days

    def step(self) -> None:
        """Advance every community by one page step (or to its horizon)."""
        for community in self.communities.values():
            for _ in range(self.steps_per_page_step):
                if not community.running:
                    break
                community.step()
        self.running = any(community.running for community in self.communities.values())
