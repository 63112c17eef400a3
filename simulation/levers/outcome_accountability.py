"""Outcome accountability (before and during): organisations judged on what people got: the government reads
criticism as what to improve, and procedures that serve no outcome are dropped."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulation.levers.base import Lever, check_settings, cost_per_1000_households

if TYPE_CHECKING:
    import mesa


@dataclass
class OutcomeAccountabilityConfig:
    """Before and during the crisis: organisations judged on what people got, not on procedure followed.

    The government reads criticism as what to improve (it reaches out and cooperates rather than
    defends), and procedures that do not serve an outcome are dropped (less bureaucracy).
    """

    enabled: bool = False
    bureaucracy_cut: float = 0.5  # assumption: share of every organisation's bureaucracy dropped
    eur_per_1000_households_per_year: float = (
        10_000.0  # assumption: measuring and reporting outcomes, and the audit of them
    )
    years_before: float = 1.0  # assumption: years it runs before the crisis

    def __post_init__(self) -> None:
        check_settings(self, OutcomeAccountability.name, unit=("bureaucracy_cut",))


class OutcomeAccountability(Lever):
    """Organisations judged on outcomes: an accountable government, and less bureaucracy."""

    name = "outcome_accountability"
    settings_class = OutcomeAccountabilityConfig

    def government(self, gov_cfg: Any, start: dict[str, float]) -> tuple[Any, dict[str, float]]:
        """Bureaucracy cut by ``bureaucracy_cut``, and a government accountable for outcomes."""
        leaner = dataclasses.replace(gov_cfg, bureaucracy=gov_cfg.bureaucracy * (1.0 - self.settings.bureaucracy_cut))
        return leaner, start | {"accountable": True}

    def cost(self, model: mesa.Model) -> float:
        """Measuring, reporting and auditing outcomes per 1,000 households, over the years before the crisis and the run."""
        return cost_per_1000_households(model, self.settings)
