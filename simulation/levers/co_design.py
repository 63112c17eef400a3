"""Co-design (during a transformation, sea-level rise): residents and initiatives at the design table.

A plan whose cost falls with a household's means, tenants follow with their landlord, a supported
project starts at the full rate whatever the government's stance, and the design takes longer.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulation.levers.base import Lever, TransformationTerms, check_settings

if TYPE_CHECKING:
    import mesa


@dataclass
class CoDesignConfig:
    """During a transformation: citizens and initiatives at the design table (sea-level rise)."""

    enabled: bool = False
    cost_relief: float = 0.5  # assumption: how far a co-designed plan lowers the cost for those with the least economic capital (cost times 1 - relief * (1 - economic capital))
    design_years: float = 1.0  # assumption: extra years the design takes
    eur_per_household: float = 125.0  # assumption: facilitating the design with residents, per household of a neighbourhood whose project started (EUR 250,000 for a neighbourhood of policy.households_per_neighbourhood, 2,000)

    def __post_init__(self) -> None:
        check_settings(self, CoDesign.name, unit=("cost_relief",))


class CoDesign(Lever):
    """Residents at the design table: the government hears them all, and the plan is theirs too."""

    name = "co_design"
    settings_class = CoDesignConfig

    def citizens_heard(self, share: float) -> float:
        """Every neighbourhood is heard."""
        return 1.0

    def transformation(self, terms: TransformationTerms) -> TransformationTerms:
        """Projects start at the full rate, take ``design_years`` longer, cost less for the poorer, take tenants along."""
        return dataclasses.replace(
            terms,
            full_start_rate=True,
            extra_design_years=terms.extra_design_years + self.settings.design_years,
            cost_relief=self.settings.cost_relief,
            tenants_follow=True,
        )

    def cost(self, model: mesa.Model) -> float:
        """Facilitating the design, per household of the neighbourhoods whose project started."""
        return self.settings.eur_per_household * model.crisis.project_households(model)
