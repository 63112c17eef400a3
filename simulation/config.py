"""Parameters of the model: one dataclass per config group, with units, defaults and sources.

Every empirically sourced default names its source in the comment beside it; every other
number is marked as an assumption. Rates are per day and are converted exactly to the
scenario's step length by the dynamics. Range checks run in ``__post_init__``, so they apply
whenever a config is turned into these objects (``load_config`` does that).

The dataclasses are registered with Hydra's ConfigStore by ``register_configs``; the YAML in
``simulation/conf`` only chooses the defaults of each group.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from omegaconf import MISSING

DAYS_PER_YEAR = 365.25  # days in a (Julian) year: per-year inputs are converted with it


class ConfigError(ValueError):
    """A config value is not allowed. The message names the key, the value and what is allowed."""


def check_range(key: str, value: float, low: float, high: float = math.inf) -> None:
    """Raise ConfigError unless ``low <= value <= high`` (and value is a finite number)."""
    if not (isinstance(value, int | float) and math.isfinite(value) and low <= value <= high):
        allowed = f"a number >= {low:g}" if high == math.inf else f"a number in [{low:g}, {high:g}]"
        raise ConfigError(f"{key}={value!r} is not allowed: expected {allowed}")


def check_positive(key: str, value: float) -> None:
    """Raise ConfigError unless value is a finite number > 0."""
    if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
        raise ConfigError(f"{key}={value!r} is not allowed: expected a number > 0")


def check_before_horizon(key: str, day: float, horizon_days: float) -> None:
    """Raise ConfigError unless ``0 <= day < horizon_days`` (a day at the horizon would never come)."""
    check_range(key, day, 0.0, horizon_days)
    if day >= horizon_days:
        raise ConfigError(f"{key}={day!r} is not allowed: expected a day before scenario.horizon_days={horizon_days!r}")


def check_unit_fields(group: str, obj: Any, names: tuple[str, ...]) -> None:
    """Check that each named field of ``obj`` lies in [0, 1]."""
    for name in names:
        check_range(f"{group}.{name}", getattr(obj, name), 0.0, 1.0)


# --------------------------------------------------------------------------------------------
# Population
# --------------------------------------------------------------------------------------------


@dataclass
class ClassProfile:
    """One resource class: its share of households and the mean of each capital in [0, 1]."""

    share: float = 1.0
    economic: float = 0.5  # income and wealth
    social: float = 0.5  # propensity to form ties; realised social capital follows from the ties
    cultural: float = 0.5  # education, digital skills, knowing one's way through rules
    personal: float = 0.5  # health, self-confidence
    trust: float = 0.5  # initial trust in government


# SCP, "Eigentijdse ongelijkheid" (2023): the seven classes and their shares of the adult
# population (werkende bovenlaag 19.9% ... precariaat 6.3%). SCP describes each class by which
# capitals it has much or little of; the capital levels below follow that ordering, but the
# numbers themselves are assumptions (SCP publishes no 0..1 scale). Trust: SCP reports lower
# trust in politics and government in the classes with fewer capitals; the levels are assumptions.
SCP_2023_CLASSES: dict[str, ClassProfile] = {
    # all four capitals high
    "werkende_bovenlaag": ClassProfile(0.199, economic=0.80, social=0.75, cultural=0.85, personal=0.80, trust=0.65),
    # young; high cultural, social and personal capital, little wealth yet
    "jongere_kansrijken": ClassProfile(0.086, economic=0.50, social=0.80, cultural=0.80, personal=0.80, trust=0.60),
    # older; much wealth and cultural capital, health declining
    "rentenierende_bovenlaag": ClassProfile(
        0.122, economic=0.85, social=0.65, cultural=0.70, personal=0.55, trust=0.60
    ),
    # around the middle on every capital
    "werkende_middengroep": ClassProfile(0.249, economic=0.55, social=0.55, cultural=0.50, personal=0.60, trust=0.50),
    # low education and digital skills, modest pension and own home, poorer health
    "laagopgeleide_gepensioneerden": ClassProfile(
        0.181, economic=0.45, social=0.50, cultural=0.25, personal=0.40, trust=0.45
    ),
    # insecure income and work, otherwise below the middle
    "onzekere_werkenden": ClassProfile(0.100, economic=0.25, social=0.45, cultural=0.40, personal=0.45, trust=0.35),
    # lacks all four capitals: the most vulnerable group
    "precariaat": ClassProfile(0.063, economic=0.10, social=0.20, cultural=0.15, personal=0.15, trust=0.25),
}

# Everyone alike, so that network effects can be shown on their own (teaching preset).
EQUAL_CLASSES: dict[str, ClassProfile] = {"everyone": ClassProfile(1.0)}


def copy_classes(classes: dict[str, ClassProfile]) -> dict[str, ClassProfile]:
    """A fresh copy of a class table (dataclass defaults must not share one dict)."""
    return {name: ClassProfile(**vars(c)) for name, c in classes.items()}


@dataclass
class PopulationConfig:
    """The households: how many, their classes and capitals, where they live."""

    name: str = "netherlands"
    households: int = 5000  # assumption: a small town; runs in well under a second
    neighbourhoods: int = 10  # assumption
    capital_spread: float = 0.12  # assumption: sd of a household's capital around its class mean
    segregation: float = 0.3  # assumption: 0 = classes spread evenly, 1 = sorted by class into neighbourhoods
    exposure_low: float = 0.2  # assumption: exposure of the safest neighbourhood
    exposure_high: float = 0.8  # assumption: exposure of the most exposed neighbourhood
    exposure_spread: float = 0.1  # assumption: sd of household exposure within a neighbourhood
    initial_preparedness: float = 0.1  # assumption: preparedness at start, scaled by economic capital
    classes: dict[str, ClassProfile] = field(default_factory=lambda: copy_classes(SCP_2023_CLASSES))

    def __post_init__(self) -> None:
        if not isinstance(self.households, int) or self.households < 2:
            raise ConfigError(f"population.households={self.households!r} is not allowed: expected a whole number >= 2")
        if not isinstance(self.neighbourhoods, int) or not 1 <= self.neighbourhoods <= self.households:
            raise ConfigError(
                f"population.neighbourhoods={self.neighbourhoods!r} is not allowed: "
                f"expected a whole number in [1, population.households={self.households}]"
            )
        check_unit_fields(
            "population",
            self,
            (
                "capital_spread",
                "segregation",
                "exposure_low",
                "exposure_high",
                "exposure_spread",
                "initial_preparedness",
            ),
        )
        if self.exposure_low > self.exposure_high:
            raise ConfigError(
                f"population.exposure_low={self.exposure_low!r} is not allowed: expected <= "
                f"population.exposure_high={self.exposure_high!r}"
            )
        if not self.classes:
            raise ConfigError("population.classes={} is not allowed: expected at least one class")
        for name, profile in self.classes.items():
            check_unit_fields(f"population.classes.{name}", profile, tuple(vars(profile)))
        total = sum(c.share for c in self.classes.values())
        if abs(total - 1.0) > 1e-6:
            raise ConfigError(
                f"population.classes shares sum to {total:.6g}: expected 1 "
                "(change the other shares too when you change one)"
            )

    @property
    def households_per_neighbourhood(self) -> int:
        """Size of the smallest neighbourhood."""
        return self.households // self.neighbourhoods


# --------------------------------------------------------------------------------------------
# Networks
# --------------------------------------------------------------------------------------------


@dataclass
class NetworkConfig:
    """Bonding (strong, within neighbourhood and class) and bridging (weak, across) ties."""

    bonding_degree: float = 5.0  # assumption: mean strong ties per household
    bridging_degree: float = 2.0  # assumption: mean weak ties across groups per household
    homophily: float = 0.6  # assumption: 0 = ties ignore class, 1 = ties only within class
    bridging_weight: float = (
        0.5  # assumption: a weak tie counts half a strong one (Granovetter 1973's idea, our number)
    )
    social_capital_scale: float = 4.0  # assumption: tie strength at which social capital is 1 - 1/e

    def __post_init__(self) -> None:
        check_range("network.bonding_degree", self.bonding_degree, 0.0)
        check_range("network.bridging_degree", self.bridging_degree, 0.0)
        check_unit_fields("network", self, ("homophily", "bridging_weight"))
        check_positive("network.social_capital_scale", self.social_capital_scale)


# --------------------------------------------------------------------------------------------
# Government
# --------------------------------------------------------------------------------------------


@dataclass
class GovernmentConfig:
    """The local government: how fast, how far it reaches out, how much it learns."""

    name: str = "default"
    delay_days: float = 7.0  # assumption: bureaucratic delay from the start of an event until aid flows
    receptivity: float = 0.3  # assumption: 0 = waits for applications, 1 = reaches every household itself
    learning: float = (
        0.3  # assumption: share of the remaining delay (and of the receptivity gap) removed after each event
    )
    collaboration: float = 0.5  # assumption: probability that a new initiative works with the government as an equal
    aid_capacity: float = 0.15  # assumption: households served at full intensity at the same time, as a share of all households (each at aid_rate per day)

    def __post_init__(self) -> None:
        check_range("government.delay_days", self.delay_days, 0.0)
        check_unit_fields("government", self, ("receptivity", "learning", "collaboration", "aid_capacity"))


# --------------------------------------------------------------------------------------------
# Dynamics
# --------------------------------------------------------------------------------------------


@dataclass
class DynamicsConfig:
    """Rates (per day) and weights of the mechanisms. All numbers are assumptions unless a source is named."""

    recovery_threshold: float = 0.95  # assumption: functioning at which a household counts as recovered
    self_recovery_rate: float = (
        0.05  # assumption: per day, for a household with full economic and personal capital and buffer
    )
    stress_slowdown: float = 0.5  # assumption: share of self-recovery lost at full stress
    spare_from: float = 0.6  # assumption: functioning above which a household has capacity to spare
    support_rate: float = (
        0.12  # assumption: per day, the most that support along ties (both networks together) adds to recovery
    )
    initiative_commitment: float = 1.0  # assumption: weight of its initiative among a member's claims on its capacity (1 = like one bonding tie in the neighbourhood's mean need)
    initiative_rate: float = 0.12  # assumption: per day, the most that an initiative adds to recovery
    formation_rate: float = (
        1.0  # assumption: per day, initiative formation hazard at full cohesion, spare capacity and need
    )
    dissolve_below: float = (
        0.02  # assumption: an initiative dissolves when its neighbourhood's needy share falls below this
    )
    creativity: float = 0.5  # assumption: extra effectiveness of an initiative whose members span all classes evenly
    aid_rate: float = 0.10  # assumption: per day, what full government aid adds to recovery
    rumour_weight: float = 0.5  # assumption: weight of ties' reported deficits in perceived scarcity
    trust_reassurance: float = 0.5  # assumption: share of fear taken away by full trust in government
    fear_rate: float = 1.0  # assumption: per day, how fast fear follows perceived scarcity
    fear_threshold: float = 0.4  # assumption: fear at which a household counts as in fear
    disruption_threshold: float = (
        0.1  # assumption: share in fear above which there is societal disruption (NIPV's "relatively large group")
    )
    stress_rate: float = 0.2  # assumption: per day, how fast stress follows need and fear
    stress_relief_rate: float = 0.3  # assumption: per day, the most that bonding support received adds to stress decay
    personal_buffering: float = 0.5  # assumption: share of stress that full personal capital takes away
    trust_rate: float = (
        0.02  # assumption: per day, how fast a needy household's trust follows the share of government aid it obtains
    )
    damage_cost: float = 0.5  # assumption: share of damage paid from the economic buffer
    saving_rate: float = 0.01  # assumption: per day, how fast the buffer refills towards economic capital
    memory_fade_rate: float = 0.002  # assumption: per day, fading of the memory of damage (half-life about a year)
    social_learning: float = 0.5  # assumption: weight of what ties do in perceived risk, and in support for transformation (Haer et al. 2016: measures diffuse through networks)
    preparedness_rate: float = 0.002  # assumption: per day, uptake at full perceived risk and economic capital
    preparedness_efficacy: float = 0.5  # assumption: damage avoided at full preparedness (Haer et al. 2017 find ignoring behaviour overestimates risk about twofold)
    prepared_from: float = 0.5  # assumption: preparedness at which a household counts as prepared
    collective_measures_rate: float = 0.002  # assumption: per day, growth of collective protection under an initiative

    def __post_init__(self) -> None:
        unbounded = (*(n for n in vars(self) if n.endswith("_rate")), "initiative_commitment")
        for name in unbounded:
            check_range(f"dynamics.{name}", getattr(self, name), 0.0)
        check_unit_fields("dynamics", self, tuple(n for n in vars(self) if n not in unbounded))
        # spare capacity is measured from spare_from up to full functioning, so the gap must exist
        check_range("dynamics.spare_from", self.spare_from, 0.0, 0.99)


# --------------------------------------------------------------------------------------------
# Scenario (base; each scenario module defines its own subclass)
# --------------------------------------------------------------------------------------------


@dataclass
class ScenarioConfig:
    """Fields every scenario has. Scenario modules subclass this."""

    name: str = MISSING
    horizon_days: float = 120.0  # each scenario sets its own (assumption)
    step_days: float = 1.0  # each scenario sets its own (assumption)

    def __post_init__(self) -> None:
        check_positive("scenario.step_days", self.step_days)
        check_positive("scenario.horizon_days", self.horizon_days)
        if self.step_days > self.horizon_days:
            raise ConfigError(
                f"scenario.step_days={self.step_days!r} is not allowed: expected at most "
                f"scenario.horizon_days={self.horizon_days!r}"
            )

    @property
    def n_steps(self) -> int:
        """Number of steps in a run (the last step may end past the horizon by less than a step)."""
        return math.ceil(self.horizon_days / self.step_days - 1e-9)


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


@dataclass
class OutputConfig:
    """What a run folder gets beside the summary, config, time series and events."""

    figures: bool = True  # the run's figures (PNG); large sweeps turn them off and use the report instead
    households: bool = True  # the household table (one row per household)


# --------------------------------------------------------------------------------------------
# The whole config
# --------------------------------------------------------------------------------------------


@dataclass
class Config:
    """One run: a scenario, a population, its networks, a government, the dynamics and a seed."""

    scenario: Any = MISSING
    population: Any = MISSING  # Any: a preset replaces the class table rather than merging into the default one
    network: NetworkConfig = MISSING
    government: GovernmentConfig = MISSING
    dynamics: DynamicsConfig = MISSING
    output: OutputConfig = field(default_factory=OutputConfig)
    seed: int = 0
    replicates: int = 1  # runs of one command-line job: seeds seed, seed+1, ..., in one process (for large sweeps)

    def __post_init__(self) -> None:
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ConfigError(f"seed={self.seed!r} is not allowed: expected a whole number >= 0")
        if isinstance(self.replicates, bool) or not isinstance(self.replicates, int) or self.replicates < 1:
            raise ConfigError(f"replicates={self.replicates!r} is not allowed: expected a whole number >= 1")
        if isinstance(self.network, NetworkConfig) and isinstance(self.population, PopulationConfig):
            check_degrees(self.network, self.population)


def check_degrees(network: NetworkConfig, population: PopulationConfig) -> None:
    """Reject mean degrees that a simple graph on this population cannot hold."""
    bonding_max = population.households_per_neighbourhood - 1
    if network.bonding_degree > bonding_max:
        raise ConfigError(
            f"network.bonding_degree={network.bonding_degree!r} is not allowed: bonding ties stay within "
            f"a neighbourhood of {bonding_max + 1} households, so expected at most {bonding_max}"
        )
    total_max = population.households - 1
    if network.bonding_degree + network.bridging_degree > total_max:
        raise ConfigError(
            f"network.bridging_degree={network.bridging_degree!r} is not allowed: with "
            f"network.bonding_degree={network.bonding_degree!r}, expected at most "
            f"{total_max - network.bonding_degree:g} for {population.households} households"
        )


def register_configs() -> None:
    """Store the schemas and presets of every group except ``scenario`` in Hydra's ConfigStore."""
    from hydra.core.config_store import ConfigStore

    store = ConfigStore.instance()
    store.store(name="schema", node=Config)
    store.store(group="population", name="netherlands", node=PopulationConfig())
    store.store(
        group="population",
        name="equal",
        node=PopulationConfig(name="equal", classes=copy_classes(EQUAL_CLASSES)),
    )
    store.store(group="network", name="default", node=NetworkConfig)
    store.store(group="dynamics", name="default", node=DynamicsConfig)
    store.store(group="government", name="default", node=GovernmentConfig)
    # A government entangled in rules, and one that reaches out and learns (assumptions).
    store.store(
        group="government",
        name="bureaucratic",
        node=GovernmentConfig(name="bureaucratic", delay_days=21.0, receptivity=0.1, learning=0.1, collaboration=0.2),
    )
    store.store(
        group="government",
        name="receptive",
        node=GovernmentConfig(name="receptive", delay_days=2.0, receptivity=0.7, learning=0.5, collaboration=0.9),
    )
