"""Flood defences (before and during floods): higher dikes stop most floods (flooding) or must be overtopped by
the rising sea first (sea-level rise); what they cost depends on the scenario (``Scenario.defence_cost``)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulation.levers.base import HazardTerms, Lever, check_settings, years_run

if TYPE_CHECKING:
    import mesa


@dataclass
class FloodDefencesConfig:
    """Before and during floods: higher dikes (flooding and sea-level rise; nothing in a leak)."""

    enabled: bool = False
    residual_share: float = 0.2  # assumption: share of floods that still get through (flooding)
    raise_m: float = 0.5  # assumption: metres the dikes are raised, which floods of the rising sea must overtop first (sea-level rise)
    # assumption: km of dike that protects the town's homes, in proportion to its households: a river town of
    # about 7,500 households behind about 3 km. A ring grows only with the square root of the area it encloses,
    # so this overstates a large town's cost and understates a small town's.
    km_per_1000_households: float = 0.4
    eur_per_km_flooding: float = 20_000_000.0  # assumption: reinforcing a km of dike against river and rain floods (Dutch dike reinforcement costs some EUR 10-20 M per km; EUR 60 M for the 3 km of a town of 7,500 households)
    # assumption: raising a km of dike by a metre (sea-level rise): EUR 40 M a metre for the 3 km of a town of
    # 7,500 households, about EUR 13.3 M per km
    eur_per_km_per_metre: float = 40_000_000.0 / 3.0
    # assumption: upkeep of a km of dike per year: EUR 1 M a year for the 3 km of a town of 7,500 households
    maintenance_eur_per_km_per_year: float = 1_000_000.0 / 3.0

    def __post_init__(self) -> None:
        check_settings(self, FloodDefences.name, unit=("residual_share",))


class FloodDefences(Lever):
    """Higher dikes: fewer floods get through, and the rising sea must overtop them first."""

    name = "flood_defences"
    settings_class = FloodDefencesConfig

    def hazard(self, terms: HazardTerms) -> HazardTerms:
        """Only ``residual_share`` of the floods gets through; the sea must rise ``raise_m`` more to flood."""
        return dataclasses.replace(
            terms,
            through_share=terms.through_share * self.settings.residual_share,
            dike_raise_m=terms.dike_raise_m + self.settings.raise_m,
        )

    def cost(self, model: mesa.Model) -> float:
        """The scenario's price of the dikes over the run (nothing where there are no floods)."""
        return model.crisis.defence_cost(self.settings, years_run(model), model.households.n)
