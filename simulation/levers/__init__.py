"""The policy levers: one module each, found here by themselves, and the levers of one run.

Every module of this package but ``base`` holds one lever: its settings dataclass (the config
group ``policy.<name>``) and its ``Lever`` subclass, whose hooks (``simulation.levers.base``) say
what it changes, when. A new module is picked up with no other edit: it becomes a field of
``simulation.config.PolicyConfig`` and an option of the ``policy`` group. ``CrisisModel`` calls
the hooks through ``Levers``.

Each lever acts through a mechanism of the model, never as a multiplier on recovery. Costs are
in euros over the years the lever runs (before the crisis and over the run); every price is an
assumption, named in the lever's settings. Each is per household, per home, per km of dike (in
proportion to the households) or per ``policy.households_per_neighbourhood`` households, so that
a lever costs the same per household in a town of any size. What the levers gain is measured
against the same town, with the same seed, without them (``simulation.policy``).
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from simulation.levers.base import HazardTerms, Lever, TransformationTerms

if TYPE_CHECKING:
    import mesa
    import numpy as np


# The first levers keep this order (in the config, in summaries and tables); any other follows, alphabetically.
FIRST = (
    "caring_neighbourhood",
    "diverse_housing",
    "receptive_government",
    "co_design",
    "standing_initiatives",
    "generous_compensation",
    "flood_defences",
    "government_collaboration",
    "outcome_accountability",
)


def discover() -> dict[str, type[Lever]]:
    """The ``Lever`` subclass of every module of this package, by name, ``FIRST`` first."""
    found: dict[str, type[Lever]] = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for lever in vars(module).values():
            if is_lever_of(module.__name__, lever):
                if lever.name in found:
                    raise ImportError(
                        f"two levers are named {lever.name!r}: in {found[lever.name].__module__} and {module.__name__}"
                    )
                found[lever.name] = lever
    rank = {name: index for index, name in enumerate(FIRST)}
    return dict(sorted(found.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))


def is_lever_of(module: str, value: Any) -> bool:
    """Whether ``value`` is a lever that ``module`` defines (not the ``Lever`` base, nor one it imports)."""
    return isinstance(value, type) and issubclass(value, Lever) and value is not Lever and value.__module__ == module


LEVERS: dict[str, type[Lever]] = discover()

# Hooks that act only while the town is built: a lever that uses one cannot be switched on halfway.
BUILD_HOOKS = ("segregation", "networks", "government", "on_start")


def uses(lever: type[Lever], hook: str) -> bool:
    """Whether a lever acts through ``hook`` (it overrides the ``Lever`` base's, which does nothing)."""
    return getattr(lever, hook) is not getattr(Lever, hook)


def acts_midway(lever: type[Lever]) -> bool:
    """Whether a lever can be switched on or off while a model runs: it uses none of the ``BUILD_HOOKS``."""
    return not any(uses(lever, hook) for hook in BUILD_HOOKS)


MIDWAY = tuple(name for name, lever in LEVERS.items() if acts_midway(lever))  # flood_defences, co_design


class Levers:
    """The levers of one run: those turned on under ``policy``, then the extra ones; each method applies a hook of all.

    Args:
        cfg: the run's ``Config``.
        extra: levers made in Python rather than chosen in the config (a lever acts while its settings are enabled).
    """

    def __init__(self, cfg: Any, extra: Sequence[Lever] = ()) -> None:
        self.extra_names = [lever.name for lever in extra]
        for name in self.extra_names:
            if name in LEVERS or self.extra_names.count(name) > 1:
                raise ValueError(f"levers: a lever named {name!r} is there already: expected a name of its own")
        self.active = [LEVERS[name](getattr(cfg.policy, name)) for name in cfg.policy.enabled()]
        self.active += [lever for lever in extra if lever.settings.enabled]

    def switch(self, name: str, on: bool, settings: Any) -> None:
        """Turn lever ``name`` of ``MIDWAY`` on (with ``settings``) or off while the model runs, from the next step.

        Its cost still counts from the start of the run (``Lever.cost``), as if it had been there.

        Raises:
            ValueError: for a lever that acts while the town is built, which cannot be switched halfway.
        """
        if name not in MIDWAY:
            raise ValueError(f"lever={name!r} is not allowed halfway: expected one of {', '.join(MIDWAY)}")
        self.active = [lever for lever in self.active if lever.name != name]
        if on:
            self.active.append(LEVERS[name](dataclasses.replace(settings, enabled=True)))

    @property
    def names(self) -> list[str]:
        """The names of the levers that act, in order."""
        return [lever.name for lever in self.active]

    def _fold(self, hook: str, value: Any) -> Any:
        """``value`` passed through the hook of every lever that acts, in order."""
        for lever in self.active:
            value = getattr(lever, hook)(value)
        return value

    def segregation(self, segregation: float) -> float:
        """The segregation the population is placed with (``Lever.segregation``)."""
        return self._fold("segregation", segregation)

    def networks(self, model: mesa.Model, networks: Any, capital: np.ndarray) -> Any:
        """The ties between households, as the levers change them (``Lever.networks``)."""
        for lever in self.active:
            networks = lever.networks(model, networks, capital)
        return networks

    def government(self, gov_cfg: Any) -> tuple[Any, dict[str, float]]:
        """The government's config, and the keyword arguments its agent starts with (``Lever.government``)."""
        start: dict[str, float] = {}
        for lever in self.active:
            gov_cfg, start = lever.government(gov_cfg, start)
        return gov_cfg, start

    def on_start(self, model: mesa.Model) -> None:
        """Once the model is built and its scenario started (``Lever.on_start``)."""
        for lever in self.active:
            lever.on_start(model)

    def on_event(self, model: mesa.Model) -> None:
        """When a hazard event begins (``Lever.on_event``)."""
        for lever in self.active:
            lever.on_event(model)

    def citizens_heard(self, share: float) -> float:
        """How far the government hears citizens (``Lever.citizens_heard``)."""
        return self._fold("citizens_heard", share)

    def hazard(self) -> HazardTerms:
        """What the levers change in the floods (``Lever.hazard``)."""
        return self._fold("hazard", HazardTerms())

    def transformation(self) -> TransformationTerms:
        """What the levers change in a neighbourhood's transformation (``Lever.transformation``)."""
        return self._fold("transformation", TransformationTerms())

    def costs(self, model: mesa.Model) -> dict[str, float]:
        """Euros each lever cost so far: every lever of ``LEVERS`` and the extra ones, 0 for those off."""
        costs = dict.fromkeys([*LEVERS, *self.extra_names], 0.0)
        for lever in self.active:
            costs[lever.name] = lever.cost(model)
        return costs
