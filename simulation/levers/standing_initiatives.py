"""Standing initiatives (before and during): an initiative in every neighbourhood from the start, supported so
that it lasts between crises and recruits afresh when an event begins."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulation.levers.base import Lever, check_settings, neighbourhoods_served, running_cost

if TYPE_CHECKING:
    import mesa


@dataclass
class StandingInitiativesConfig:
    """Before and during crises: an initiative in every neighbourhood, supported so that it lasts between crises."""

    enabled: bool = False
    # One initiative paid per policy.households_per_neighbourhood households of the town, whatever the model's
    # count of neighbourhoods.
    eur_per_initiative_per_year: float = 20_000.0  # assumption: a budget and a coordinator's hours
    years_before: float = 2.0  # assumption: years of support before the crisis

    def __post_init__(self) -> None:
        check_settings(self, StandingInitiatives.name)


class StandingInitiatives(Lever):
    """A supported initiative in every neighbourhood (while the ``initiatives`` channel is on)."""

    name = "standing_initiatives"
    settings_class = StandingInitiativesConfig

    def on_start(self, model: mesa.Model) -> None:
        """An initiative stands in every neighbourhood from the start."""
        if model.cfg.channels.on("initiatives"):
            model.initiatives.stand_everywhere()

    def on_event(self, model: mesa.Model) -> None:
        """When an event begins, every standing initiative recruits afresh."""
        self.on_start(model)

    def cost(self, model: mesa.Model) -> float:
        """A budget and a coordinator per neighbourhood served, over the years before the crisis and the run."""
        settings = self.settings
        per_year = settings.eur_per_initiative_per_year * neighbourhoods_served(model)
        return running_cost(model, per_year, settings.years_before)
