"""Caring neighbourhood (before the crisis): neighbourhood workers and facilities give the households with the
least capital bridging ties to households with more."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from simulation.levers.base import Lever, check_settings, neighbourhoods_served, running_cost

if TYPE_CHECKING:
    import mesa


@dataclass
class CaringNeighbourhoodConfig:
    """Before the crisis: neighbourhood workers and facilities give the most vulnerable households bridging ties."""

    enabled: bool = False
    reach_share: float = (
        0.2  # assumption: share of households (those with the least capital) the workers and facilities reach
    )
    ties_added: int = 2  # assumption: bridging ties each of them gains, to households with more capital
    years_before: float = 2.0  # assumption: years the workers and facilities run before the crisis (ties take time)
    # Workers and a centre per policy.households_per_neighbourhood households of the town, whatever the model's
    # count of neighbourhoods.
    workers_per_neighbourhood: float = 1.0  # assumption
    worker_eur_per_year: float = 75_000.0  # assumption: employer cost of one neighbourhood worker
    facility_eur_per_year: float = 50_000.0  # assumption: running a neighbourhood centre

    def __post_init__(self) -> None:
        check_settings(self, CaringNeighbourhood.name, unit=("reach_share",), whole=("ties_added",))


class CaringNeighbourhood(Lever):
    """Bridging ties for the households with the least capital, and the workers and centres that make them."""

    name = "caring_neighbourhood"
    settings_class = CaringNeighbourhoodConfig

    def networks(self, model: mesa.Model, networks: Any, capital: np.ndarray) -> Any:
        """The networks with the bridging ties that neighbourhood workers make.

        Each of the households with the least capital (``reach_share`` of all) gets up to
        ``ties_added`` ties to households drawn from those with more capital than the median (a
        pair already tied keeps its one tie).
        """
        settings = self.settings
        reached = np.argsort(capital, kind="stable")[: round(settings.reach_share * capital.size)]
        above = np.flatnonzero(capital > np.median(capital))
        if reached.size == 0 or above.size == 0:
            return networks
        draws = model.streams.get("caring_ties").integers(0, above.size, size=reached.size * settings.ties_added)
        reached_ties = np.repeat(reached, settings.ties_added)
        return networks.with_bridging_ties(reached_ties, above[draws], model.cfg.network.bridging_weight)

    def cost(self, model: mesa.Model) -> float:
        """Workers and a centre per neighbourhood served, over the years before the crisis and the run."""
        settings = self.settings
        per_year = settings.workers_per_neighbourhood * settings.worker_eur_per_year + settings.facility_eur_per_year
        return running_cost(model, neighbourhoods_served(model) * per_year, settings.years_before)
