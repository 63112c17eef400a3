"""The class demo's model: one community, or the same community twice, compared.

``ClassroomModel`` is a Mesa model that holds one or two ``CrisisModel`` communities built from
the same seed, so in side-by-side mode both have the same households and the same hazard
draws: the only difference is the one setting compared (their ties, their homophily, the
government's stance, or one policy lever). It opens just before the crisis (an hour before the
leak's burst; as the first flood strikes), steps them together, in page steps that suit the
scenario (an hour of a leak, four weeks of floods, a year of sea-level rise), and tells where
each community stands (``scoreboard``). The government's settings and the levers that act midway
can change while it runs (``take_live``); every other setting builds new towns. The browser page
(``simulation.demo.page``) draws it; nothing here knows about the page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import mesa
import numpy as np
import scipy.sparse as sp

from simulation.config import DAYS_PER_YEAR, POLICY_LEVERS, Config, ConfigError, GovernmentConfig, PopulationConfig
from simulation.levers import MIDWAY, uses
from simulation.metrics import left_behind_households, precariaat_gap
from simulation.model import CrisisModel
from simulation.params import config_from_params
from simulation.provisions import AT_HOME, EMERGENCY, HOSTED, TEMPORARY

SCENARIOS = ("leak", "flooding", "sea_level_rise")

# Days of model time one press of Step advances, per scenario (chosen so that a class sees a
# whole run in a minute or two of play; the model itself keeps its own step length).
PAGE_STEP_DAYS = {"leak": 1.0 / 24, "flooding": 28.0, "sea_level_rise": DAYS_PER_YEAR}

# The one "cohesion" control, from 0 (low) to 1 (high), sets three network keys at once
# (assumption, a teaching mapping): bonding ties 1..8 and bridging ties 0..4 (the low and high
# settings of the direction tests), homophily 0.9..0.3. At 0.5 it gives 4.5 bonding, 2 bridging
# ties and homophily 0.6, close to the model's defaults (5, 2, 0.6).
COHESION_SCALE = {
    "bonding_degree": (1.0, 8.0),
    "bridging_degree": (0.0, 4.0),
    "homophily": (0.9, 0.3),
}
LOW_COHESION, HIGH_COHESION = 0.0, 1.0
TIE_KEYS = tuple(COHESION_SCALE)


def ties_for_cohesion(cohesion: float) -> dict[str, float]:
    """The network keys that one cohesion level in [0, 1] stands for."""
    if not 0.0 <= cohesion <= 1.0:
        raise ConfigError(f"cohesion={cohesion!r} is not allowed: expected a number in [0, 1]")
    return {key: round(low + cohesion * (high - low), 2) for key, (low, high) in COHESION_SCALE.items()}


# What side by side compares, and the names of its towns. Besides the ties (the two ends of the
# cohesion scale) and each policy lever (without, with): homophily alone (ties within one's
# class, or mixed: the ends of the cohesion scale's homophily), the government's starting stance
# on Leary's rose (assumption, a teaching contrast: directive and defensive, against receptive
# and cooperative; the same delay and learning), and ties and stance together (two by two). A
# town's name joins the sides it stands for with "-"; each side sets the keys of SIDE_OVERRIDES.
COMPARED_SIDES = {
    "cohesion": ("low", "high"),
    "homophily": ("closed", "mixed"),
    "government": ("directive", "receptive"),
    "ties_and_government": ("low-directive", "low-receptive", "high-directive", "high-receptive"),
    **{lever: ("without", "with") for lever in POLICY_LEVERS},
}
COMPARISONS = tuple(COMPARED_SIDES)
SIDE_OVERRIDES = {
    "low": {f"network.{key}": value for key, value in ties_for_cohesion(LOW_COHESION).items()},
    "high": {f"network.{key}": value for key, value in ties_for_cohesion(HIGH_COHESION).items()},
    "closed": {"network.homophily": COHESION_SCALE["homophily"][0]},
    "mixed": {"network.homophily": COHESION_SCALE["homophily"][1]},
    "directive": {"government.receptivity": 0.0, "government.collaboration": 0.0},
    "receptive": {"government.receptivity": 1.0, "government.collaboration": 1.0},
}


def sides(name: str) -> list[str]:
    """The sides a town stands for: ``low-receptive`` is low cohesion with a receptive government."""
    return name.split("-")


def side_settings(name: str) -> dict[str, float]:
    """The config keys a town's sides set."""
    return {key: value for side in sides(name) for key, value in SIDE_OVERRIDES.get(side, {}).items()}


# The settings that take effect in a running model (``ClassroomModel.take_live``), with the levers of
# ``MIDWAY``; any other builds new towns.
LIVE_KEYS = ("delay_days", "receptivity", "learning")

# The unit of the time until those hit are back, in the recovery charts and on the scorecards
# alike, and of the precariaat's gap on the scorecards.
RECOVERY_UNITS = {"leak": "hours", "flooding": "months", "sea_level_rise": "years"}
GAP_UNITS = {"leak": "hours", "flooding": "days", "sea_level_rise": "months"}

# Households drawn in the network view; a larger population is shown by a random sample.
VIEW_SIZE = 400


@dataclass(frozen=True)
class ClassroomSettings:
    """What the page lets a class choose.

    Attributes:
        scenario: ``leak``, ``flooding`` or ``sea_level_rise``.
        side_by_side: run the community twice; otherwise run it once with the settings below.
        compare: what side by side compares (``COMPARED_SIDES``): ``cohesion`` (the low and
            the high end of the cohesion scale), ``homophily``, ``government`` (its stance) or a
            policy lever (the community with the ties below, without and with the lever).
        cohesion: the position of the cohesion control (0..1) that set the three tie keys.
        bonding_degree, bridging_degree, homophily: the network keys of a single community.
        delay_days, receptivity, learning: the government.
        households: number of households.
        seed: the seed of both communities.
        levers: policy levers on in every community (the one compared, if any, stays as compared).
    """

    scenario: str = "flooding"
    side_by_side: bool = True
    compare: str = "cohesion"
    cohesion: float = 0.5
    bonding_degree: float = ties_for_cohesion(0.5)["bonding_degree"]
    bridging_degree: float = ties_for_cohesion(0.5)["bridging_degree"]
    homophily: float = ties_for_cohesion(0.5)["homophily"]
    delay_days: float = GovernmentConfig.delay_days
    receptivity: float = GovernmentConfig.receptivity
    learning: float = GovernmentConfig.learning
    households: int = PopulationConfig.households
    seed: int = 1
    levers: tuple[str, ...] = ()

    def with_cohesion(self, cohesion: float) -> ClassroomSettings:
        """These settings with the cohesion control moved, and the tie keys it sets."""
        return replace(self, cohesion=cohesion, **ties_for_cohesion(cohesion))

    @property
    def compares_cohesion(self) -> bool:
        """Whether the towns compared differ by all their ties (so the tie controls do not apply)."""
        return self.side_by_side and all("network.bonding_degree" in side_settings(n) for n in self.names)

    @property
    def names(self) -> tuple[str, ...]:
        """The communities' names: the sides compared, or ``chosen`` alone."""
        return COMPARED_SIDES[self.compare] if self.side_by_side else ("chosen",)

    def ties(self, name: str) -> dict[str, float]:
        """The tie keys of one community: its sides' where they set them, else the chosen ones."""
        side = side_settings(name)
        return {key: side.get(f"network.{key}", getattr(self, key)) for key in TIE_KEYS}

    def town_levers(self, name: str) -> list[str]:
        """The levers of one community: those chosen (``levers``), and the one compared in the town ``with`` it."""
        chosen = set(self.levers) - {self.compare} | ({self.compare} if name == "with" else set())
        return [lever for lever in POLICY_LEVERS if lever in chosen]

    def params(self, name: str) -> dict[str, Any]:
        """The keyword parameters of one community (``simulation.params``: no Hydra, so that Reset is quick)."""
        government = {"delay_days": self.delay_days, "receptivity": self.receptivity, "learning": self.learning}
        values = {f"government.{key}": value for key, value in government.items()}
        values.update({f"network.{key}": value for key, value in self.ties(name).items()})
        values.update(side_settings(name))  # the sides' own settings (their ties are in already)
        fixed = {"scenario": self.scenario, "households": self.households, "seed": self.seed}
        fixed["policy"] = self.town_levers(name)
        return fixed | {key.replace(".", "__"): value for key, value in values.items()}

    def configs(self) -> dict[str, Config]:
        """The validated config of each community; raises ``ConfigError`` naming a bad value."""
        if self.scenario not in SCENARIOS:
            raise ConfigError(f"scenario={self.scenario!r} is not allowed: expected one of {', '.join(SCENARIOS)}")
        if self.compare not in COMPARISONS:
            raise ConfigError(f"compare={self.compare!r} is not allowed: expected one of {', '.join(COMPARISONS)}")
        return {name: config_from_params(**self.params(name)) for name in self.names}


@dataclass(frozen=True)
class NetworkView:
    """A fixed sample of households and where to draw them (the same in every community).

    Attributes:
        households: indices of the households drawn.
        xy: their positions, one cluster per neighbourhood.
        of_total: the population size they were drawn from.
        centres: each neighbourhood's centre (on a unit circle); radius: the radius of its cluster.
    """

    households: np.ndarray
    xy: np.ndarray
    of_total: int
    centres: np.ndarray
    radius: float

    @classmethod
    def of(cls, model: CrisisModel, size: int, seed: int) -> NetworkView:
        """Sample ``size`` households and place them around their neighbourhood's centre."""
        rng = np.random.default_rng(seed)  # its own generator: the view never changes the run
        n = model.households.n
        sample = np.sort(rng.choice(n, size=min(size, n), replace=False))
        k = model.n_neighbourhoods
        angle = 2 * np.pi * np.arange(k) / k
        centres = np.column_stack([np.cos(angle), np.sin(angle)])
        radius = 0.9 * np.sin(np.pi / k) if k > 1 else 1.0
        r = radius * np.sqrt(rng.uniform(size=sample.size))
        theta = rng.uniform(0, 2 * np.pi, size=sample.size)
        xy = centres[model.households.neighbourhood[sample]] + np.column_stack([r * np.cos(theta), r * np.sin(theta)])
        return cls(households=sample, xy=xy, of_total=n, centres=centres, radius=radius)

    def ties(self, matrix: sp.csr_array) -> np.ndarray:
        """Pairs (i, j), i < j, of positions in the sample that a tie joins."""
        within = sp.triu(matrix[self.households][:, self.households], k=1).tocoo()
        return np.column_stack([within.row, within.col])


class ClassroomModel(mesa.Model):
    """One community, or the same community at low and high cohesion, stepping together.

    Args:
        settings: what the class chose; ``None`` means the defaults.

    Attributes:
        settings: the settings the communities were built from.
        communities: the ``CrisisModel`` of each community by name (``low`` and ``high``,
            ``without`` and ``with``, or ``chosen``).
        reference: the first community, whose clock, step length and households the others share.
        steps_per_page_step: model steps taken by one ``step()``.
        view: the households drawn in the network view.
    """

    def __init__(self, settings: ClassroomSettings | None = None) -> None:
        settings = settings or ClassroomSettings()
        super().__init__(rng=settings.seed)
        self.settings = settings
        self.communities = {name: CrisisModel(cfg) for name, cfg in settings.configs().items()}
        self.reference = next(iter(self.communities.values()))
        self.steps_per_page_step = max(1, round(PAGE_STEP_DAYS[settings.scenario] / self.reference.dt))
        self.view = NetworkView.of(self.reference, VIEW_SIZE, settings.seed)
        self.open_at_the_crisis()

    @property
    def day(self) -> float:
        """Days since the start (the same in every community)."""
        return self.reference.day

    @property
    def horizon_days(self) -> float:
        """The scenario's horizon in days."""
        return self.reference.cfg.scenario.horizon_days

    def model_step(self) -> None:
        """Advance every community by one step of the model (those at their horizon stay)."""
        for community in self.communities.values():
            if community.running:
                community.step()
        self.running = any(community.running for community in self.communities.values())

    def step(self) -> None:
        """Advance every community by one page step (or to its horizon)."""
        for _ in range(self.steps_per_page_step):
            self.model_step()

    def open_at_the_crisis(self) -> None:
        """Advance to one page step before a crisis whose onset is known (the leak's burst), else to the first event.

        The quiet years before a random first flood are run, not skipped: the towns are where the
        model would have them when it strikes.
        """
        onset = getattr(self.reference.cfg.scenario, "onset_day", None)
        if onset is None:
            self.skip_to_next_event()
            return
        while self.running and self.day + PAGE_STEP_DAYS[self.settings.scenario] < onset - 1e-9:
            self.model_step()

    def take_live(self, settings: ClassroomSettings) -> None:
        """Take what can change in a running model from ``settings``: the government's settings and the levers
        that act midway (``simulation.levers.MIDWAY``); the others wait for new towns."""
        self.govern(settings)
        chosen = replace(self.settings, levers=settings.levers)  # the levers chosen, in the towns as they run
        for name, community in self.communities.items():
            wanted, now = set(chosen.town_levers(name)), set(community.levers.names)
            for lever in (wanted ^ now) & set(MIDWAY):
                community.levers.switch(lever, lever in wanted, getattr(community.cfg.policy, lever))
        kept = set(self.settings.levers) - set(MIDWAY) | set(settings.levers) & set(MIDWAY)
        self.settings = replace(self.settings, levers=tuple(lever for lever in POLICY_LEVERS if lever in kept))

    def govern(self, settings: ClassroomSettings) -> None:
        """Take the government's settings from ``settings`` while running.

        A town whose side sets them (``SIDE_OVERRIDES``) keeps its own, as does a town with a lever
        that sets its government (``receptive_government``, ``generous_compensation``...).

        Only what changed acts (a government keeps what it learnt otherwise). A new stance is the
        one the government holds itself: its current stance moves towards it as it answers the
        households (``Government.respond``). The delay and the learning rate apply from the next step.
        """
        changed = {key for key in LIVE_KEYS if getattr(settings, key) != getattr(self.settings, key)}
        for name, community in self.communities.items():
            if any(uses(type(lever), "government") for lever in community.levers.active):
                continue
            fixed, gov = side_settings(name), community.government
            if "receptivity" in changed and "government.receptivity" not in fixed:
                gov.adopt(settings.receptivity)
            if "delay_days" in changed and "government.delay_days" not in fixed:
                gov.delay_days = settings.delay_days
            if "learning" in changed and "government.learning" not in fixed:
                gov.learning = settings.learning
        self.settings = replace(self.settings, **{key: getattr(settings, key) for key in LIVE_KEYS})

    @property
    def events(self) -> int:
        """Hazard events so far (the same in every community)."""
        return len(self.reference.event_log)

    def skip_to_next_event(self) -> None:
        """Model steps until the next hazard event has struck (the page then stands at its step), or the run ends."""
        before = self.events
        while self.running and self.events == before:
            self.model_step()


@dataclass(frozen=True)
class Scoreboard:
    """Where one community stands, for the page's large numbers.

    Attributes:
        hit: households the latest event hit (0 before any).
        functioning: their mean functioning now (NaN before any event).
        back_share: of those, the share back at the recovery threshold now (NaN before any event).
        t90_days: days from the latest event until 90% of those it hit were back (None while not yet).
        gap_days: the precariaat's mean recovery days minus everyone else's, over every event so
            far (censored now; None unless both were hit).
        displaced_share: share of all households not living at home; staying: where they stay, as
            shares of all households (with family or friends, in a temporary home, in emergency lodging).
        transformed: neighbourhoods transformed; left_behind: households left behind (in a
            transformed neighbourhood that they could not follow, or hit and not recovered where
            nothing transformed: ``left_behind_share`` of the summary, as a count).
    """

    hit: int
    functioning: float
    back_share: float
    t90_days: float | None
    gap_days: float | None
    displaced_share: float
    staying: tuple[float, float, float]
    transformed: int
    left_behind: int


def scoreboard(community: CrisisModel) -> Scoreboard:
    """The community's scoreboard now."""
    h, log = community.households, community.event_log
    log.resolve()
    latest = log.events[-1] if log.events else None
    hit = latest.hit if latest else np.empty(0, dtype=np.int64)
    back = h.functioning[hit] >= community.cfg.dynamics.recovery_threshold
    _, gap_days = precariaat_gap(log, h.household_class, h.class_names, community.day)
    columns, row = community.recorder.columns, community.recorder.row - 1
    return Scoreboard(
        hit=int(hit.size),
        functioning=float(h.functioning[hit].mean()) if hit.size else float("nan"),
        back_share=float(back.mean()) if hit.size else float("nan"),
        t90_days=None if latest is None or latest.t90_day is None else float(latest.t90_day - latest.day),
        gap_days=gap_days,
        displaced_share=float(np.mean(h.displaced != AT_HOME)),
        staying=tuple(float(np.mean(h.displaced == place)) for place in (HOSTED, TEMPORARY, EMERGENCY)),
        transformed=int(columns["transformed_neighbourhoods"][row]) if "transformed_neighbourhoods" in columns else 0,
        left_behind=int(np.count_nonzero(left_behind_households(h).either)),
    )
