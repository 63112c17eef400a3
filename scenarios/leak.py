"""Coping: a burst water main cuts the tap water of part of the town for hours.

An acute, short, local loss of an essential provision, in hourly steps. At ``onset_day`` the
main serving a share of the neighbourhoods bursts and every household there loses its tap
water. Crews repair the main (a lognormal number of hours around ``main_repair_hours``); then
each neighbourhood on it is flushed and put back under pressure. A neighbourhood where the
pressure surge broke a pipe of its own (``secondary_failure_share``) waits until one of the
``crews`` has repaired it, in turn, so a shortage of crews makes the tail. A boil-water advice
may follow. The water of the burst floods a few homes nearby; care-dependent households get
their care back some hours after their water.

Defaults follow the burst main of Zeist, 15 February 2024 (66,000 households without water;
most had it back after about 3.5 hours, the last two neighbourhoods after about 11 hours; Dutch
news reports, M; docs/sources.md#the-burst-main-zeist-2024). Liemers 2017 (a day without water,
then about 4 days of boil-water advice) is ``scenario.main_repair_hours=20 scenario.boil_water_days=4``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenarios.base import Scenario, register
from simulation.config import ConfigError, ScenarioConfig, check_before_horizon, check_range, check_unit_fields

HOURS = 24.0  # hours per day


@dataclass
class LeakConfig(ScenarioConfig):
    """The leak: when, where, how long the water is off, and what it damages."""

    name: str = "leak"
    horizon_days: float = 14.0  # assumption: two weeks: the water is back within a day; the few water-damaged homes take longer (censored here)
    step_days: float = 1.0 / HOURS  # an hour: outages last hours (docs/sources.md#the-burst-main-zeist-2024)
    insured_share: float = 0.95  # assumption: home insurance covers sudden water damage from a burst pipe; taken as the 95% insured for rain and small-stream flooding (docs/sources.md#insurance-and-compensation, M)
    onset_day: float = 0.5  # assumption: the main bursts at noon of the first day (Zeist 2024: 12:45)
    area_share: float = 0.3  # assumption: share of neighbourhoods on the failed main
    main_repair_hours: float = 3.05  # assumption, from an earlier fit to the Zeist 2024 burst main; the fit made again (experiments/targets/zeist2024.yaml; posterior median 3.18 h, 90% interval 2.0-5.1; docs/ODD.md 9) did not improve on it: most households had water back after about 3.5 hours (Dutch news reports, 15 February 2024)
    main_repair_spread: float = 0.3  # assumption: sd of the log of the repair time
    flush_hours: float = 0.5  # assumption: hours to flush a neighbourhood and put it back under pressure
    secondary_failure_share: float = (
        0.2  # assumption: chance that the pressure surge breaks a pipe in a neighbourhood on the main
    )
    secondary_repair_hours: float = 4.0  # assumption: crew-hours to repair one; with one crew the last of two is back after about 11 hours, as in Zeist 2024 (docs/sources.md#the-burst-main-zeist-2024, M)
    crews: int = 1  # assumption: repair crews for the secondary failures
    boil_water_days: float = 0.0  # days of boil-water advice after the water returns: none, as in Zeist 2024 (assumption); Liemers 2017 had about 4 (docs/sources.md#the-burst-main-zeist-2024, M)
    water_points_hours: float = 3.0  # assumption: hours until the water company hands out bottled water
    care_resume_hours: float = 6.0  # assumption: hours after the water returns until interrupted home care is back
    home_damage_share: float = (
        0.02  # assumption: share of households on the failed main whose home the water of the burst damages
    )
    home_damage_mean: float = 0.15  # assumption: mean damage to such a home (share of a full repair)
    home_damage_spread: float = 0.1  # assumption: sd of that damage between homes

    def __post_init__(self) -> None:
        super().__post_init__()
        check_before_horizon("scenario.onset_day", self.onset_day, self.horizon_days)
        check_unit_fields(
            "scenario",
            self,
            (
                "area_share",
                "main_repair_spread",
                "secondary_failure_share",
                "home_damage_share",
                "home_damage_mean",
                "home_damage_spread",
            ),
        )
        for name in (
            "main_repair_hours",
            "flush_hours",
            "secondary_repair_hours",
            "boil_water_days",
            "water_points_hours",
            "care_resume_hours",
        ):
            check_range(f"scenario.{name}", getattr(self, name), 0.0)
        if isinstance(self.crews, bool) or not isinstance(self.crews, int) or self.crews < 1:
            raise ConfigError(f"scenario.crews={self.crews!r} is not allowed: expected a whole number >= 1")


def restoration_hours(rng: np.random.Generator, cfg: LeakConfig, zones: int) -> np.ndarray:
    """Hours after the burst until each zone on the main has water again.

    The main is repaired first; each zone is then flushed. Zones with a secondary failure wait
    for a crew: the crews take them in a random order, each the next one when it is free.
    """
    main = cfg.main_repair_hours * np.exp(cfg.main_repair_spread * rng.standard_normal())
    failed = rng.random(zones) < cfg.secondary_failure_share
    order = rng.permutation(zones)
    repair = cfg.secondary_repair_hours * np.exp(cfg.main_repair_spread * rng.standard_normal(zones))
    done = np.full(zones, main)
    crew_free = np.full(cfg.crews, main)
    for zone in order[failed[order]]:
        crew = int(np.argmin(crew_free))
        crew_free[crew] += repair[zone]
        done[zone] = crew_free[crew]
    return done + cfg.flush_hours


@register
class Leak(Scenario):
    """One burst main at ``onset_day``: hours without water in a share of the neighbourhoods."""

    name = "leak"
    config_class = LeakConfig

    def hazard(self, model) -> None:
        """Burst the main in the step that contains ``onset_day``."""
        cfg = self.cfg
        if not model.day <= cfg.onset_day < model.day + model.dt:
            return
        rng = model.streams.get("hazard", model.steps)
        h = model.households
        n_zones = model.n_neighbourhoods
        on_main = rng.permutation(n_zones)[: round(cfg.area_share * n_zones)]
        hours = restoration_hours(rng, cfg, on_main.size)
        back_of_zone = np.full(n_zones, np.nan)
        back_of_zone[on_main] = cfg.onset_day + hours / HOURS
        cut = np.flatnonzero(~np.isnan(back_of_zone[h.neighbourhood]))
        # The water authority's warning reaches the municipality, which opens the water points.
        alert = model.collaboration.handover(
            "water_authority", "municipality", model.cfg.government.alert_hours, model.water_authority.bureaucracy
        )
        self.water_points_day = cfg.onset_day + (cfg.water_points_hours + alert) / HOURS
        # The burst's water reaches a few homes, low-lying ones (high exposure) more often.
        flooded = rng.random(h.n) < cfg.home_damage_share * h.exposure / max(h.exposure.mean(), 1e-9)
        severity = np.where(flooded, cfg.home_damage_mean + cfg.home_damage_spread * rng.standard_normal(h.n), 0.0)
        if cut.size == 0:
            return
        model.cut_water(cut, back_of_zone[h.neighbourhood[cut]], cfg.boil_water_days, cfg.care_resume_hours / HOURS)
        hit = np.zeros(h.n, dtype=bool)
        hit[cut] = True
        # The event's severity in the events table: hours until the last tap was back.
        model.shock(hit, np.where(hit, severity, 0.0), float(hours.max()))

    def summary(self, model) -> dict[str, float | int | None]:
        """How many households lost their tap water, and when half of them and the last had it back (hours)."""
        keys = super().summary(model)
        h = model.households
        cut = ~np.isnan(h.water_back_day)
        hours = HOURS * (h.water_back_day[cut] - self.cfg.onset_day)
        keys["water_cut_households"] = int(cut.sum())
        keys["water_back_median_hours"] = float(np.median(hours)) if hours.size else None
        keys["water_back_last_hours"] = float(hours.max()) if hours.size else None
        return keys
