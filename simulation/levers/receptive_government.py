"""Receptive government (before and during): the government starts receptive and cooperative on Leary's rose,
and acts sooner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulation.levers.base import Lever, check_settings, cost_per_1000_households

if TYPE_CHECKING:
    import mesa


@dataclass
class ReceptiveGovernmentConfig:
    """Before and during the crisis: a government that starts receptive and cooperative, and acts sooner."""

    enabled: bool = False
    receptivity: float = (
        0.8  # assumption: its starting stance on the above-below axis (instead of government.receptivity)
    )
    collaboration: float = (
        0.8  # assumption: its starting stance on the against-together axis (instead of government.collaboration)
    )
    delay_factor: float = 0.5  # assumption: its delay is this share of government.delay_days
    eur_per_1000_households_per_year: float = 20_000.0  # assumption: outreach staff and training
    years_before: float = 1.0  # assumption: years of outreach before the crisis

    def __post_init__(self) -> None:
        check_settings(self, ReceptiveGovernment.name, unit=("receptivity", "collaboration", "delay_factor"))


class ReceptiveGovernment(Lever):
    """A government that starts receptive and cooperative, and acts after a shorter delay."""

    name = "receptive_government"
    settings_class = ReceptiveGovernmentConfig

    def government(self, gov_cfg: Any, start: dict[str, float]) -> tuple[Any, dict[str, float]]:
        """Its starting stance, and its delay a share ``delay_factor`` of ``government.delay_days``."""
        settings = self.settings
        stance = {
            "receptivity": settings.receptivity,
            "collaboration": settings.collaboration,
            "delay_days": gov_cfg.delay_days * settings.delay_factor,
        }
        return gov_cfg, start | stance

    def cost(self, model: mesa.Model) -> float:
        """Outreach staff and training per 1,000 households, over the years before the crisis and the run."""
        return cost_per_1000_households(model, self.settings)
