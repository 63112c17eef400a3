"""Transformation: the sea rises over a century; neighbourhoods may transform together.

As the sea rises, floods come more often (ten times as often per ``decimation_height_m``),
hit harder and reach further inland (higher hit probability for every exposure). Households'
own measures have a ceiling: beyond it only collective change helps.

Transformation is collective. A household supports it when it has experienced floods and
either trusts the government or is carried by an initiative; support spreads along ties. Once
enough of a neighbourhood supports it, a project can start, as far as the government works
with residents (its stance on the against-together axis, which starts at
``government.collaboration``; with the ``co_design`` lever, whatever its stance). After ``duration_years`` the neighbourhood transforms,
in one of two ways (``transformation``): ``raise`` (the default) raises and redesigns it in
place (ground and homes raised, water-robust design), the option discussed for Dutch
neighbourhoods that keeps the community together (assumption); ``relocate`` moves those who
follow to new homes on higher ground, together, and leaves the old neighbourhood to those who
cannot, where upkeep of the defences lapses (their exposure rises by ``abandoned_exposure``).
Either way those who follow get new or raised homes (any damage still in their old ones no
longer keeps them out) with low exposure. Following costs resources: a household follows when
its own means (economic capital and savings) together with what its ties can lend reach
``cost``; the others are left behind, as exposed as before or more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from scenarios.base import Scenario, register
from simulation import dynamics as dyn
from simulation.config import (
    DAYS_PER_YEAR,
    ConfigError,
    ScenarioConfig,
    check_positive,
    check_range,
    check_unit_fields,
)

if TYPE_CHECKING:
    from simulation.levers.flood_defences import FloodDefencesConfig

# Sea level along the Dutch coast above the level at the start of a run (metres), by years from
# the start (taken as 2025). KNMI'23 climate scenarios: by 2100, 26-73 cm above 1995-2014 with
# low emissions, up to 124 cm with high emissions. Presets: the middle of the low range (0.50 m)
# and the top of the high range (1.24 m), less about 0.04 m risen from the reference period's
# middle (2005) to 2025 at about 2 mm a year (KNMI climate dashboard: about 25 cm from 1900 to
# 2020; docs/sources.md#sea-level-rise). The path between now and 2100, and beyond it, is a quadratic with today's rate of 2 mm
# a year (assumption).
TRANSFORMATIONS = ("raise", "relocate")
CURRENT_RATE_M_PER_YEAR = 0.002
SEA_LEVEL_2100_M = {"knmi23_low": 0.50 - 0.04, "knmi23_high": 1.24 - 0.04}


def preset_path(name: str, years: float) -> tuple[list[float], list[float]]:
    """Points (years, metres) of a preset path: quadratic through its 2100 level."""
    acceleration = (SEA_LEVEL_2100_M[name] - CURRENT_RATE_M_PER_YEAR * 75) / 75**2
    grid = np.linspace(0.0, years, 101)
    return grid.tolist(), (CURRENT_RATE_M_PER_YEAR * grid + acceleration * grid**2).tolist()


@dataclass
class SeaLevelRiseConfig(ScenarioConfig):
    """Sea-level rise, floods that grow with it, and collective transformation."""

    name: str = "sea_level_rise"
    horizon_days: float = 100 * DAYS_PER_YEAR  # assumption: a century
    step_days: float = DAYS_PER_YEAR / 12  # assumption: monthly steps
    insured_share: float = 0.45  # Verbond van Verzekeraars (reported 2023): under half of households would be covered for a canal or dike breach (docs/sources.md#insurance-and-compensation, M)
    sea_level_path: str = "knmi23_high"  # knmi23_low, knmi23_high, or custom (path_years, path_metres)
    path_years: list[float] = field(default_factory=list)  # custom path: years from the start, increasing
    path_metres: list[float] = field(default_factory=list)  # custom path: sea level above the start, never falling
    floods_per_year_now: float = 0.1  # assumption: damaging floods per year at today's sea level
    decimation_height_m: float = 0.7  # assumption: rise that makes floods ten times as frequent
    severity_now: float = 0.3  # assumption: mean severity of a flood at today's sea level
    severity_per_metre: float = 0.3  # assumption: extra severity per metre of rise
    severity_sd: float = 0.1  # assumption: sd of severity between floods
    household_spread: float = 0.1  # assumption: sd of severity between households in one flood
    reach_per_metre: float = (
        0.5  # assumption: each metre of rise raises every hit probability by this share of exposure
    )
    preparedness_ceiling: float = 0.6  # assumption: the most that own and collective measures together can reach; only transformation lowers exposure
    experience_scale: float = 0.2  # assumption: remembered damage at which experience is 1 - 1/e of full
    support_threshold: float = 0.5  # assumption: mean support in a neighbourhood at which a project can start
    start_rate_per_year: float = (
        0.5  # assumption: project starts per year, with support and a fully collaborating government
    )
    duration_years: float = 5.0  # assumption: years from start to a raised neighbourhood
    cost: float = 0.35  # assumption: means (0..1) a household needs to follow
    lend_share: float = 0.3  # assumption: share of its savings a household will lend to ties that need it to follow a transformation; lenders divide it over the ties that ask, by tie weight and shortfall
    transformed_exposure: float = 0.1  # assumption: exposure that remains, as a share, for those who follow
    transformation: str = "raise"  # raise (in place) or relocate (those who follow move, together, to higher ground)
    abandoned_exposure: float = (
        1.2  # assumption: factor on the exposure of those left behind in a neighbourhood given up (relocate only)
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.transformation not in TRANSFORMATIONS:
            raise ConfigError(
                f"scenario.transformation={self.transformation!r} is not allowed: expected one of "
                f"{', '.join(TRANSFORMATIONS)}"
            )
        check_range("scenario.abandoned_exposure", self.abandoned_exposure, 1.0)
        paths = (*SEA_LEVEL_2100_M, "custom")
        if self.sea_level_path not in paths:
            raise ConfigError(
                f"scenario.sea_level_path={self.sea_level_path!r} is not allowed: expected one of {', '.join(paths)}"
            )
        if self.sea_level_path == "custom":
            check_custom_path(self.path_years, self.path_metres)
        for name in ("floods_per_year_now", "severity_per_metre", "reach_per_metre", "start_rate_per_year"):
            check_range(f"scenario.{name}", getattr(self, name), 0.0)
        for name in ("decimation_height_m", "experience_scale", "duration_years"):
            check_positive(f"scenario.{name}", getattr(self, name))
        check_unit_fields(
            "scenario",
            self,
            (
                "severity_now",
                "severity_sd",
                "household_spread",
                "preparedness_ceiling",
                "support_threshold",
                "cost",
                "lend_share",
                "transformed_exposure",
            ),
        )

    def path(self) -> tuple[list[float], list[float]]:
        """The sea-level path as points (years from the start, metres above the start)."""
        if self.sea_level_path == "custom":
            return self.path_years, self.path_metres
        return preset_path(self.sea_level_path, self.horizon_days / DAYS_PER_YEAR)


def check_custom_path(years: list[float], metres: list[float]) -> None:
    """A custom path needs at least two points, years increasing and a sea level that never falls."""
    if len(years) < 2 or len(years) != len(metres):
        raise ConfigError(
            f"scenario.path_years={years!r}, scenario.path_metres={metres!r} are not allowed: expected two "
            "lists of the same length, at least 2 points"
        )
    for index in range(1, len(years)):
        if years[index] <= years[index - 1]:
            raise ConfigError(
                f"scenario.path_years[{index}]={years[index]!r} is not allowed: years must increase "
                f"(previous {years[index - 1]!r})"
            )
        if metres[index] < metres[index - 1]:
            raise ConfigError(
                f"scenario.path_metres[{index}]={metres[index]!r} is not allowed: the sea level must not fall "
                f"(previous {metres[index - 1]!r})"
            )


@register
class SeaLevelRise(Scenario):
    """Floods growing with the sea; neighbourhood projects that raise those who can follow."""

    name = "sea_level_rise"
    config_class = SeaLevelRiseConfig

    def __init__(self, cfg: SeaLevelRiseConfig) -> None:
        super().__init__(cfg)
        self.path_years, self.path_metres = (np.asarray(p, dtype=float) for p in cfg.path())
        self.project_start = np.empty(0)  # per neighbourhood, NaN until a project starts
        self.transformed_day = np.empty(0)  # per neighbourhood, NaN until it transformed

    def start(self, model) -> None:
        """Insured homes, and no projects yet in any neighbourhood."""
        super().start(model)
        self.project_start = np.full(model.n_neighbourhoods, np.nan)
        self.transformed_day = np.full(model.n_neighbourhoods, np.nan)

    @property
    def preparedness_ceiling(self) -> float:
        """Household measures cannot pass this."""
        return self.cfg.preparedness_ceiling

    def sea_level(self, day: float) -> float:
        """Sea level (metres above the start) on ``day``."""
        return float(np.interp(day / DAYS_PER_YEAR, self.path_years, self.path_metres))

    def hazard(self, model) -> None:
        """A flood comes with a chance that grows with the sea level; it reaches further and hits harder."""
        cfg, households = self.cfg, model.households
        rng = model.streams.get("hazard", model.steps)
        # Raised dikes (the flood_defences lever) must be overtopped first: the sea counts as that much lower.
        level = max(self.sea_level(model.day) - model.levers.hazard().dike_raise_m, 0.0)
        # Whether a flood comes and how severe it is come first in the step's stream (common random numbers).
        draw = rng.random()
        severity = cfg.severity_now + cfg.severity_per_metre * level + cfg.severity_sd * rng.standard_normal()
        frequency = cfg.floods_per_year_now * 10.0 ** (level / cfg.decimation_height_m)
        if draw < dyn.closed_fraction(dyn.per_day(frequency), model.dt):
            reach = np.clip(households.exposure * (1.0 + cfg.reach_per_metre * level), 0.0, 1.0)
            hit = rng.random(households.n) < reach
            model.shock(hit, severity + cfg.household_spread * rng.standard_normal(households.n), severity)

    def support(self, model) -> np.ndarray:
        """Each household's support for transforming its neighbourhood (0..1).

        Its own view: experience of floods, times confidence (trust in government; a member also
        borrows its initiative's confidence, as a weighted share). Then it weighs its ties' views:
        a weighted mean of them, not a sum, weighing more the more ties it has (with diminishing
        returns), so that ties can raise support or lower it.
        """
        h, d = model.households, model.cfg.dynamics
        experience = dyn.saturating(h.risk_memory / self.cfg.experience_scale)
        own = experience * self.confidence(model)
        ties_view = dyn.weighted_share(model.ties @ own, model.tie_strength)
        weight = d.social_learning * model.ties_weight
        return (1.0 - weight) * own + weight * ties_view

    def confidence(self, model) -> np.ndarray:
        """Each household's confidence that a transformation will be done well: its trust in government.

        A member of an initiative weighs in its initiative's confidence (``initiative_confidence_weight``):
        full where the initiative works with the government, else its members' mean trust.
        """
        h = model.households
        confidence = h.trust.copy()
        weight = model.cfg.dynamics.initiative_confidence_weight
        for initiative in model.initiatives.values():
            members = initiative.members
            if members.size:
                borrowed = 1.0 if initiative.collaborates else float(h.trust[members].mean())
                confidence[members] = (1.0 - weight) * h.trust[members] + weight * borrowed
        return confidence

    def transform(self, model) -> None:
        """Start projects where support is enough and the government joins; finish those that are due."""
        cfg, terms = self.cfg, model.levers.transformation()
        draws = model.streams.get("projects", model.steps).random(model.n_neighbourhoods)
        # With residents at the design table (the co_design lever) a supported project starts at the full
        # rate, whatever the government's stance; the design then takes longer.
        rate = cfg.start_rate_per_year * (1.0 if terms.full_start_rate else model.government.collaboration)
        chance = dyn.closed_fraction(dyn.per_day(rate), model.dt)
        may_start = np.isnan(self.project_start) & (draws < chance)
        if may_start.any():  # support is asked only where a project may start in this step
            support = model.per_neighbourhood_mean(self.support(model))
            self.project_start[may_start & (support >= cfg.support_threshold)] = model.end_of_step
        years = cfg.duration_years + terms.extra_design_years
        due = np.isnan(self.transformed_day) & (model.end_of_step >= self.project_start + years * DAYS_PER_YEAR)
        for n in np.flatnonzero(due):
            self.complete(model, int(n))

    def complete(self, model, neighbourhood: int) -> None:
        """Transform the neighbourhood: who can afford it follows (new or raised homes, low exposure), the others are left behind.

        A co-designed plan (the ``co_design`` lever) asks less of those with less economic
        capital, and lets tenants follow with their landlord whatever their own means.
        """
        cfg, h, terms = self.cfg, model.households, model.levers.transformation()
        residents = model.neighbourhood_members[neighbourhood]
        own = h.economic[residents] * (1.0 + h.buffer[residents]) / 2.0  # capital, and the savings left
        cost = np.full(residents.size, cfg.cost)
        cost *= 1.0 - terms.cost_relief * (1.0 - h.economic[residents])
        with_landlord = terms.tenants_follow & ~h.owner[residents]  # a tenant follows with its landlord, at no cost
        borrowed, loans = self.loans(model, residents, np.where(with_landlord, 0.0, np.maximum(cost - own, 0.0)))
        follows = (own + borrowed >= cost) | with_landlord
        self.lend(model, loans, follows)
        followers = residents[follows]
        h.exposure[followers] *= cfg.transformed_exposure
        own_part = np.maximum(cost[follows] - borrowed[follows], 0.0)
        h.buffer[followers] = np.maximum(h.buffer[followers] - own_part, 0.0)  # pays its share from its savings
        model.housing.rehouse(h, followers, model.end_of_step)
        h.transformation[followers] = 1
        left_behind = residents[~follows]
        h.transformation[left_behind] = 2
        if cfg.transformation == "relocate":
            h.exposure[left_behind] = np.minimum(h.exposure[left_behind] * cfg.abandoned_exposure, 1.0)
        self.transformed_day[neighbourhood] = model.end_of_step

    def loans(self, model, residents: np.ndarray, short: np.ndarray) -> tuple[np.ndarray, sp.coo_array]:
        """What the ``residents`` short of their share (``short``) can borrow from their ties.

        Every household lends at most ``lend_share`` of its savings (economic capital times what
        is left of its savings) and divides that over the ties that ask, by tie weight and
        shortfall; a borrower takes no more than it is short.

        Returns:
            What each resident can borrow, and the loans as a (lender, resident index) matrix.
        """
        h = model.households
        asking = np.flatnonzero(short > 0)
        ties = model.ties[residents[asking]].tocoo()  # rows: the asking residents; columns: their ties
        lender, borrower = ties.col, ties.row
        claim = ties.data * short[asking][borrower]
        claimed = np.bincount(lender, weights=claim, minlength=h.n)
        lendable = self.cfg.lend_share * h.economic * h.buffer
        offered = claim * dyn.divide_or_zero(lendable[lender], claimed[lender])
        received = np.bincount(borrower, weights=offered, minlength=asking.size)
        taken = offered * dyn.divide_or_zero(np.minimum(received, short[asking]), received)[borrower]
        borrowed = np.zeros(residents.size)
        borrowed[asking] = np.minimum(received, short[asking])
        loans = sp.coo_array((taken, (lender, asking[borrower])), shape=(h.n, residents.size))
        return borrowed, loans

    def lend(self, model, loans, follows: np.ndarray) -> None:
        """Lenders pay what they lent to residents who follow (out of their savings); other loans are not taken up."""
        h = model.households
        taken = follows[loans.col]
        paid = np.bincount(loans.row[taken], weights=loans.data[taken], minlength=h.n)
        lenders = np.flatnonzero(paid > 0)
        h.buffer[lenders] = np.maximum(h.buffer[lenders] - dyn.divide_or_zero(paid[lenders], h.economic[lenders]), 0.0)
        h.lent[lenders] += paid[lenders]

    def project_households(self, model) -> int:
        """Households of the neighbourhoods whose project started so far."""
        return int(model.neighbourhood_size[~np.isnan(self.project_start)].sum())

    def defence_cost(self, lever: FloodDefencesConfig, years: float, households: int) -> float:
        """Raising the town's km of dike once, and their upkeep over the run."""
        km = lever.km_per_1000_households * households / 1000
        return km * (lever.eur_per_km_per_metre * lever.raise_m + lever.maintenance_eur_per_km_per_year * years)

    def indicators(self, model) -> dict[str, float]:
        """Sea level, mean exposure, projects underway and neighbourhoods transformed."""
        started = int(np.count_nonzero(~np.isnan(self.project_start)))
        done = int(np.count_nonzero(~np.isnan(self.transformed_day)))
        return {
            "sea_level_m": self.sea_level(model.day),
            "mean_exposure": float(model.households.exposure.mean()),
            "projects_underway": started - done,
            "transformed_neighbourhoods": done,
        }

    def summary(self, model) -> dict[str, float | int | None]:
        """How many neighbourhoods transformed, and when the first did."""
        keys = super().summary(model)
        done = self.transformed_day[~np.isnan(self.transformed_day)]
        if done.size:
            keys["transformed_neighbourhoods"] = int(done.size)
            keys["first_transformation_day"] = float(np.min(done))
        return keys
