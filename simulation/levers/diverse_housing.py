"""Diverse housing (years before the crisis): lower segregation of classes over neighbourhoods."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulation.levers.base import Lever, check_settings

if TYPE_CHECKING:
    import mesa


@dataclass
class DiverseHousingConfig:
    """Over years before the crisis: mixed housing lowers the segregation of classes over neighbourhoods."""

    enabled: bool = False
    mixing: float = 0.5  # assumption: share by which segregation falls
    homes_changed_share: float = 0.1  # assumption: share of homes built or converted to mix the neighbourhoods
    eur_per_home: float = 30_000.0  # assumption: public contribution per home built or converted

    def __post_init__(self) -> None:
        check_settings(self, DiverseHousing.name, unit=("mixing", "homes_changed_share"))


class DiverseHousing(Lever):
    """Mixed housing: the population is placed with less segregation."""

    name = "diverse_housing"
    settings_class = DiverseHousingConfig

    def segregation(self, segregation: float) -> float:
        """Segregation lowered by the share ``mixing``."""
        return segregation * (1.0 - self.settings.mixing)

    def cost(self, model: mesa.Model) -> float:
        """The public contribution to every home built or converted."""
        settings = self.settings
        return settings.homes_changed_share * model.households.n * settings.eur_per_home
