"""What every policy lever is: a settings dataclass and a ``Lever`` with named hooks.

A lever acts only through its hooks, each called while it is on, at one moment of a run; every
hook does nothing by default, so a lever overrides the few it needs. Levers that change the
same thing are applied one after another, in the order of ``simulation.levers.LEVERS``.

The levers stand below the config (which imports them for their settings) and the model, so
they import neither: a hook's ``model`` is the ``CrisisModel`` (a ``mesa.Model``), and the
networks and government config it is given are ``simulation.networks.Networks`` and
``simulation.config.GovernmentConfig``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from simulation.checks import ConfigError, check_range
from simulation.units import DAYS_PER_YEAR

if TYPE_CHECKING:
    import mesa
    import numpy as np


@dataclass(frozen=True)
class HazardTerms:
    """What the levers change in the floods a scenario delivers."""

    through_share: float = 1.0  # share of the floods that get through the defences (flooding)
    dike_raise_m: float = 0.0  # metres the rising sea must overtop before it floods (sea-level rise)


@dataclass(frozen=True)
class TransformationTerms:
    """What the levers change in the transformation of a neighbourhood (sea-level rise)."""

    full_start_rate: bool = False  # a supported project starts at the full rate, whatever the government's stance
    extra_design_years: float = 0.0  # years the design takes beyond scenario.duration_years
    cost_relief: float = 0.0  # the cost of following is times 1 - relief * (1 - economic capital)
    tenants_follow: bool = False  # a tenant follows with its landlord, whatever its own means


class Lever:
    """A policy lever: its settings, and the hooks through which it acts.

    Attributes:
        name: its key under ``policy`` (``policy.<name>`` in the config, ``policy=[<name>]`` turns it on).
        settings_class: its settings dataclass (with ``enabled``, off by default).

    Args:
        settings: an instance of ``settings_class``.
    """

    name: ClassVar[str]
    settings_class: ClassVar[type]

    def __init__(self, settings: Any) -> None:
        self.settings = settings

    def segregation(self, segregation: float) -> float:
        """Before the crisis: the segregation of classes over neighbourhoods the population is placed with."""
        return segregation

    def networks(self, model: mesa.Model, networks: Any, capital: np.ndarray) -> Any:
        """Before the crisis: the ties between households, once built.

        Args:
            model: the model being built (its config, households and streams are there).
            networks: the ``Networks`` as built, and as the levers before this one changed them.
            capital: per household, its economic, social (tie propensity), cultural and personal capital summed.
        """
        return networks

    def government(self, gov_cfg: Any, start: dict[str, float]) -> tuple[Any, dict[str, float]]:
        """Before the crisis: the government's config, and the starting keyword arguments of its agent.

        Args:
            gov_cfg: the ``GovernmentConfig`` as the levers before this one left it.
            start: keyword arguments of ``agents.Government`` set so far (receptivity, collaboration,
                delay_days, accountable); one left out takes its value from the config.
        """
        return gov_cfg, start

    def on_start(self, model: mesa.Model) -> None:
        """Once the model is built and the scenario has started, before the first step."""

    def on_event(self, model: mesa.Model) -> None:
        """When a hazard event begins (the households hit are damaged, the government has started its event)."""

    def citizens_heard(self, share: float) -> float:
        """How far the government hears citizens when an event begins, from the share the initiatives give."""
        return share

    def hazard(self, terms: HazardTerms) -> HazardTerms:
        """What gets through to the households when a scenario delivers its floods."""
        return terms

    def transformation(self, terms: TransformationTerms) -> TransformationTerms:
        """How a neighbourhood's transformation starts, takes time and asks of its households."""
        return terms

    def cost(self, model: mesa.Model) -> float:
        """Euros the lever cost over the years it ran before the crisis and the run so far."""
        return 0.0


def check_settings(settings: Any, lever: str, unit: tuple[str, ...] = (), whole: tuple[str, ...] = ()) -> None:
    """Check every field of a lever's settings but ``enabled``, naming it ``policy.<lever>.<field>``.

    Args:
        settings: the settings dataclass.
        lever: the lever's name.
        unit: fields that must lie in [0, 1].
        whole: fields that must be whole numbers >= 0; every other field must be a number >= 0.
    """
    for field in dataclasses.fields(settings):
        if field.name == "enabled":
            continue
        key, value = f"policy.{lever}.{field.name}", getattr(settings, field.name)
        if field.name in unit:
            check_range(key, value, 0.0, 1.0)
        elif field.name in whole:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ConfigError(f"{key}={value!r} is not allowed: expected a whole number >= 0")
        else:
            check_range(key, value, 0.0)


def years_run(model: mesa.Model) -> float:
    """Years the model has run so far."""
    return model.day / DAYS_PER_YEAR


def neighbourhoods_served(model: mesa.Model) -> float:
    """The town's households in neighbourhoods of ``policy.households_per_neighbourhood``.

    Per-neighbourhood prices are paid per this many households of the town, whatever the model's
    count of neighbourhoods, so that a lever costs the same per household at any size.
    """
    return model.households.n / model.cfg.policy.households_per_neighbourhood


def running_cost(model: mesa.Model, eur_per_year: float, years_before: float) -> float:
    """Euros of ``eur_per_year`` over ``years_before`` the crisis and the years the model has run."""
    return eur_per_year * (years_before + years_run(model))


def cost_per_1000_households(model: mesa.Model, settings: Any) -> float:
    """Euros of ``settings.eur_per_1000_households_per_year`` in this town, over ``settings.years_before`` and the run."""
    per_year = settings.eur_per_1000_households_per_year * model.households.n / 1000
    return running_cost(model, per_year, settings.years_before)
