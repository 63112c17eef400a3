"""Generous compensation (during): the compensation scheme opens sooner, has more assessors and pays what was
promised."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulation.levers.base import Lever, check_settings
from simulation.units import capacity

if TYPE_CHECKING:
    import mesa


@dataclass
class GenerousCompensationConfig:
    """During the crisis: a compensation scheme that opens sooner, decides faster and pays more."""

    enabled: bool = False
    opening_days: float = (
        14.0  # assumption: days after the event the scheme opens (instead of government.scheme_opening_days)
    )
    assessors_factor: float = 3.0  # assumption: times as many assessors
    coverage: float = 0.9  # assumption: share of the uninsured repair cost it pays (instead of government.scheme_coverage); it meets the promise
    eur_per_assessor_day: float = 400.0  # assumption: cost of an assessor's day

    def __post_init__(self) -> None:
        check_settings(self, GenerousCompensation.name, unit=("coverage",))


class GenerousCompensation(Lever):
    """A compensation scheme that opens sooner, with more assessors, and pays what it promises."""

    name = "generous_compensation"
    settings_class = GenerousCompensationConfig

    def government(self, gov_cfg: Any, start: dict[str, float]) -> tuple[Any, dict[str, float]]:
        """The scheme's opening day, assessors and coverage; the promise is what it pays."""
        settings = self.settings
        scheme = dataclasses.replace(
            gov_cfg,
            scheme_opening_days=settings.opening_days,
            scheme_assessors=gov_cfg.scheme_assessors * settings.assessors_factor,
            scheme_coverage=settings.coverage,
            promised_coverage=settings.coverage,  # it pays what it promises
        )
        return scheme, start

    def cost(self, model: mesa.Model) -> float:
        """What the scheme paid beyond the standard scheme, and the days of the extra assessors while it was open."""
        settings, gov_cfg = self.settings, model.cfg.government
        standard = gov_cfg.scheme_coverage / settings.coverage  # what the standard scheme would have paid
        extra_payments = model.recorder.columns["money_scheme_eur"][model.recorder.row - 1] * (1.0 - standard)
        extra_assessors = model.housing.assessors - capacity(gov_cfg.scheme_assessors, model.households.n)
        assessor_days = extra_assessors * model.housing.scheme_open_days
        return extra_payments + assessor_days * settings.eur_per_assessor_day
