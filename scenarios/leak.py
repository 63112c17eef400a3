"""Coping: a burst water main leaves part of the town without water for days.

An acute, short, local loss of an essential provision. At ``onset_day`` the main serving a
share of the neighbourhoods fails (``area_share`` 0: none; otherwise the nearest whole number of
neighbourhoods); in those neighbourhoods each household is hit with
probability equal to its exposure, and loses a share of its functioning drawn around
``severity`` (less what its preparedness avoids). Daily steps.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenarios.base import Scenario, register
from simulation.config import ScenarioConfig, check_before_horizon, check_unit_fields


@dataclass
class LeakConfig(ScenarioConfig):
    """The leak: when, where and how hard."""

    name: str = "leak"
    horizon_days: float = 120.0  # assumption: long enough to see nearly everyone recover
    step_days: float = 1.0  # assumption: a day, the scale on which coping happens
    onset_day: float = 1.0  # assumption: the main bursts on day 1, after one quiet day as a baseline
    area_share: float = 0.3  # assumption: share of neighbourhoods on the failed main
    severity: float = 0.6  # assumption: mean loss of functioning of an unprepared household that is hit
    severity_spread: float = 0.15  # assumption: sd of that loss between households

    def __post_init__(self) -> None:
        super().__post_init__()
        check_before_horizon("scenario.onset_day", self.onset_day, self.horizon_days)
        check_unit_fields("scenario", self, ("area_share", "severity", "severity_spread"))


@register
class Leak(Scenario):
    """One acute shock at ``onset_day`` in a randomly chosen share of the neighbourhoods."""

    name = "leak"
    config_class = LeakConfig

    def hazard(self, model) -> None:
        """Burst the main in the step that contains ``onset_day``."""
        if not model.day <= self.cfg.onset_day < model.day + model.dt:
            return
        rng = model.streams.get("hazard", model.steps)
        households = model.households
        n_neighbourhoods = model.n_neighbourhoods
        hit_area = np.zeros(n_neighbourhoods, dtype=bool)
        hit_area[rng.permutation(n_neighbourhoods)[: round(self.cfg.area_share * n_neighbourhoods)]] = True
        hit = hit_area[households.neighbourhood] & (rng.random(households.n) < households.exposure)
        severity = self.cfg.severity + self.cfg.severity_spread * rng.standard_normal(households.n)
        model.shock(hit, severity, self.cfg.severity)
