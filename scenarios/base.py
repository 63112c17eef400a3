"""What every scenario provides, and the registry that maps names to scenarios."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, ClassVar

from simulation.config import ConfigError, ScenarioConfig

if TYPE_CHECKING:
    from simulation.levers.flood_defences import FloodDefencesConfig
    from simulation.model import CrisisModel


class Scenario:
    """A crisis: it decides who is hit when and how hard (phase 1 of a step).

    Subclasses set ``name`` and ``config_class`` and implement ``hazard``; they may set up state
    in ``start``, cap preparedness with ``preparedness_ceiling``, record ``indicators`` and add
    ``summary`` keys; a scenario with collective change overrides ``transform`` (phase 7).
    Register a subclass with ``@register``; its config is then an option of Hydra's ``scenario``
    group (``simulation.compose.register`` stores it, so that importing scenarios needs no Hydra).
    """

    name: ClassVar[str]
    config_class: ClassVar[type[ScenarioConfig]]
    preparedness_ceiling: float = 1.0
    water_points_day: float = math.nan  # when bottled-water points open (a water outage only)

    def __init__(self, cfg: ScenarioConfig) -> None:
        self.cfg = cfg

    def start(self, model: CrisisModel) -> None:
        """Set up state that depends on the model: which homes are insured against this hazard."""
        h = model.households
        h.insured[:] = model.streams.get("insurance").random(h.n) < self.cfg.insured_share

    def hazard(self, model: CrisisModel) -> None:
        """Deliver this step's shocks through ``model.shock(hit, severity)``."""
        raise NotImplementedError

    def transform(self, model: CrisisModel) -> None:
        """Collective, neighbourhood-level change. Only transformation scenarios have any."""

    def indicators(self, model: CrisisModel) -> dict[str, float]:
        """Scenario-specific scalars recorded each step (none by default)."""
        return {}

    def summary(self, model: CrisisModel) -> dict[str, float | int | None]:
        """Transformation keys of the run summary; without transformation nothing transformed."""
        return {"transformed_neighbourhoods": 0, "first_transformation_day": None}

    def project_households(self, model: CrisisModel) -> int:
        """Households of the neighbourhoods whose transformation project started (none without transformation)."""
        return 0

    def defence_cost(self, lever: FloodDefencesConfig, years: float, households: int) -> float:
        """Euros of ``flood_defences`` over ``years`` in a town of ``households`` (none where there are no floods)."""
        return 0.0


SCENARIOS: dict[str, type[Scenario]] = {}


def register(cls: type[Scenario]) -> type[Scenario]:
    """Class decorator: add a scenario to the registry (``simulation.compose`` makes it a Hydra option)."""
    SCENARIOS[cls.name] = cls
    return cls


def make_scenario(cfg: ScenarioConfig) -> Scenario:
    """The scenario object for a scenario config."""
    if cfg.name not in SCENARIOS:
        raise ConfigError(f"scenario={cfg.name!r} is not allowed: expected one of {', '.join(sorted(SCENARIOS))}")
    return SCENARIOS[cfg.name](cfg)
