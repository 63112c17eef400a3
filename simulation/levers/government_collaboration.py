"""Government collaboration (before and during): joint decision rules, shared procedures and a start of mutual
trust between the government organisations, so handovers between them go faster."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulation.levers.base import Lever, check_settings, cost_per_1000_households

if TYPE_CHECKING:
    import mesa


@dataclass
class GovernmentCollaborationConfig:
    """Before and during the crisis: more equal collaboration between the government organisations.

    Joint decision rules and shared procedures (Thomson, Perry & Miller 2007's governance and
    administration), set up before the crisis, and a start of mutual trust from working together.
    """

    enabled: bool = False
    governance: float = 0.9  # assumption: joint decision rules (instead of government.collaboration_governance)
    administration: float = (
        0.9  # assumption: shared procedures and a joint desk (instead of government.collaboration_administration)
    )
    norms: float = 0.7  # assumption: the trust and reciprocity that working together before the crisis builds (instead of government.collaboration_norms)
    eur_per_1000_households_per_year: float = 15_000.0  # assumption: a liaison and a joint desk (a fifth of a civil servant per 1,000 households, about EUR 75,000 a year each)
    years_before: float = 1.0  # assumption: years of working together before the crisis

    def __post_init__(self) -> None:
        check_settings(self, GovernmentCollaboration.name, unit=("governance", "administration", "norms"))


class GovernmentCollaboration(Lever):
    """Government organisations that decide, work and trust together."""

    name = "government_collaboration"
    settings_class = GovernmentCollaborationConfig

    def government(self, gov_cfg: Any, start: dict[str, float]) -> tuple[Any, dict[str, float]]:
        """The collaboration's governance, administration and norms."""
        settings = self.settings
        joint = dataclasses.replace(
            gov_cfg,
            collaboration_governance=settings.governance,
            collaboration_administration=settings.administration,
            collaboration_norms=settings.norms,
        )
        return joint, start

    def cost(self, model: mesa.Model) -> float:
        """A liaison and a joint desk per 1,000 households, over the years before the crisis and the run."""
        return cost_per_1000_households(model, self.settings)
