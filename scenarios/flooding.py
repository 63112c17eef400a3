"""Adaptation: floods recur over decades; households and the government can learn between them.

Each flood is a region-wide event: every household is hit with probability equal to its
exposure (low-lying neighbourhoods more often); its home is damaged by a share drawn around the
flood's severity, less what its preparedness and its neighbourhood's collective measures avoid,
and from ``housing.uninhabitable_from`` on its household must leave until the home is repaired. Floods come at random (a Poisson process with ``floods_per_year``, severities drawn
from a normal distribution) or on a fixed ``schedule``. Weekly steps over 30 years.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scenarios.base import Scenario, register
from simulation import dynamics as dyn
from simulation.config import (
    DAYS_PER_YEAR,
    ConfigError,
    ScenarioConfig,
    check_before_horizon,
    check_range,
    check_unit_fields,
)

if TYPE_CHECKING:
    from simulation.levers.flood_defences import FloodDefencesConfig


@dataclass
class FloodingConfig(ScenarioConfig):
    """Recurrent flooding: how often, how hard."""

    name: str = "flooding"
    horizon_days: float = 30 * DAYS_PER_YEAR  # assumption: three decades, long enough for several floods
    step_days: float = 7.0  # assumption: a week resolves recovery from a flood well enough
    insured_share: float = 0.95  # Verbond van Verzekeraars (reported 2023): about 95% of households insured for rain and small-stream flooding (docs/sources.md#insurance-and-compensation, M)
    floods_per_year: float = 0.3  # assumption: mean number of damaging floods per year
    severity_mean: float = (
        0.3  # assumption: mean severity: damage to the home of an unprepared household hit (share of a full repair)
    )
    severity_sd: float = 0.15  # assumption: sd of severity between floods (normal; household severities are clipped to [0, 1] in the shock)
    household_spread: float = 0.1  # assumption: sd of severity between households in one flood
    schedule_days: list[float] = field(default_factory=list)  # days of floods; when given, no random floods
    schedule_severity: list[float] = field(default_factory=list)  # severity of each scheduled flood

    def __post_init__(self) -> None:
        super().__post_init__()
        check_range("scenario.floods_per_year", self.floods_per_year, 0.0, DAYS_PER_YEAR / self.step_days)
        check_unit_fields("scenario", self, ("severity_mean", "severity_sd", "household_spread"))
        if len(self.schedule_days) != len(self.schedule_severity):
            raise ConfigError(
                f"scenario.schedule_severity has {len(self.schedule_severity)} values: expected one per "
                f"day in scenario.schedule_days ({len(self.schedule_days)})"
            )
        for index, (day, severity) in enumerate(zip(self.schedule_days, self.schedule_severity, strict=True)):
            check_before_horizon(f"scenario.schedule_days[{index}]", day, self.horizon_days)
            check_range(f"scenario.schedule_severity[{index}]", severity, 0.0, 1.0)


@register
class Flooding(Scenario):
    """Floods at random (Poisson) or on a schedule; each hits households by their exposure."""

    name = "flooding"
    config_class = FloodingConfig

    def hazard(self, model) -> None:
        """Deliver the flood that falls in this step, if any (floods in one step merge into one).

        The step's hazard stream decides whether a random flood comes and how severe it is
        before it draws anything per household, so variants share every flood day and severity.
        """
        cfg, households = self.cfg, model.households
        rng = model.streams.get("hazard", model.steps)
        # Higher dikes (the flood_defences lever) let only a share of the floods through: the same
        # draw decides, so that the floods that get through are among those that came without them.
        through = model.levers.hazard().through_share
        draw = rng.random()
        if cfg.schedule_days:
            in_step = [
                s
                for d, s in zip(cfg.schedule_days, cfg.schedule_severity, strict=True)
                if model.day <= d < model.day + model.dt
            ]
            if not in_step or draw >= through:
                return
            severity = max(in_step)
        else:
            comes = draw < dyn.closed_fraction(dyn.per_day(cfg.floods_per_year * through), model.dt)
            severity = cfg.severity_mean + cfg.severity_sd * rng.standard_normal()
            if not comes:
                return
        hit = rng.random(households.n) < households.exposure
        model.shock(hit, severity + cfg.household_spread * rng.standard_normal(households.n), severity)

    def defence_cost(self, lever: FloodDefencesConfig, years: float, households: int) -> float:
        """Reinforcing the town's km of dike once, and their upkeep over the run."""
        km = lever.km_per_1000_households * households / 1000
        return km * (lever.eur_per_km_flooding + lever.maintenance_eur_per_km_per_year * years)
