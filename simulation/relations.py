"""Vertical and horizontal relations: experience of government, trust, stances, attitudes towards other groups.

- **Experience of government** (households in need during an event): how they were treated
  (the government's stance), whether help came in time, whether what came met what was promised,
  whether others of another group got the scarce aid they needed (horizontal injustice), and the
  bureaucracy of an open application; households not in need see what happened in their
  neighbourhood and, through media, in the town (vicarious experience).
- **Trust** rises with good experience and falls, faster, with bad (asymmetric); as experience
  fades it returns to the trust the household holds apart from it (its baseline), which itself
  moves slowly towards its trust, so that years of good or bad treatment shift it durably; it
  also moves towards the trust of one's ties.
- **Stances on Leary's rose**: a household's stance towards the government follows its trust
  (together or against) and, by complementarity, the government's stance (a directive
  government invites dependence, a receptive one invites initiative) together with its own
  self-confidence; the government answers the households' mean stance (``Government.respond``).
- **Attitudes towards other groups** move by attraction and repulsion in encounters through
  ties or media (Axelrod, Daymude & Forrest 2021) and return towards where they started
  (Friedkin & Johnsen 1990); the distance between two households'
  attitudes, beyond the tolerance, lowers their willingness to help each other across group lines.

Equations and defaults are in docs/ODD.md (7.17-7.19).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from simulation import dynamics as dyn
from simulation.config import DynamicsConfig, PolarisationConfig
from simulation.parallel import by_blocks
from simulation.state import HouseholdState


def experience(procedural: float, timeliness: np.ndarray, injustice: np.ndarray, injustice_weight: float) -> np.ndarray:
    """Experience of government in [-1, 1] for the households in need during an event.

    Households the compensation scheme pays add the gap between what it paid and what was
    promised (``CrisisModel.update_relations``).

    Args:
        procedural: how the government treats people, from its stance: ``(affiliation - dominance) / 2``.
        timeliness: per household: +aid obtained once aid flows; -1 while waiting past the expected wait,
            or away from home past the expected time; else 0.
        injustice: per household: how much more aid others of other groups got, times the attitude distance to them.
        injustice_weight: weight of injustice.
    """
    return np.clip((procedural + timeliness) / 2.0 - injustice_weight * injustice, -1.0, 1.0)


def vicarious(
    felt: np.ndarray,
    needy: np.ndarray,
    neighbourhood: np.ndarray,
    neighbourhood_size: np.ndarray,
    cfg: PolarisationConfig,
    weight: float,
) -> np.ndarray:
    """Every household's vicarious experience of the government in a step (0 for the needy, who have their own).

    What it sees in its neighbourhood: the summed experience of the neighbourhood's needy, per
    resident (so a few unlucky neighbours weigh little); and, as far as it follows media
    (``media_exposure``), the same for the whole town, where bad news is shown ``media_distortion``
    times stronger (outrage travels best). Both weighed by ``weight``.
    """
    near = np.bincount(neighbourhood[needy], weights=felt, minlength=neighbourhood_size.size)
    near /= np.maximum(neighbourhood_size, 1)
    town = float(felt.sum()) / neighbourhood.size
    shown = np.clip(town * (1.0 + cfg.media_distortion) if town < 0 else town, -1.0, 1.0)
    seen = (1.0 - cfg.media_exposure) * near[neighbourhood]
    seen += cfg.media_exposure * shown
    seen *= weight
    seen[needy] = 0.0
    return seen


class TrustSpread:
    """The ties' pull on trust: towards the mean trust of one's ties, for the households with ties.

    Args:
        tie_strength: each household's summed tie weights (fixed for a run).
    """

    def __init__(self, tie_strength: np.ndarray) -> None:
        self.per_tie = dyn.divide_or_zero(np.ones(tie_strength.size), tie_strength)
        # 1 for a household with ties, else 0 (None when every household has ties)
        self.tied = None if (tie_strength > 0).all() else (tie_strength > 0).astype(np.float64)

    def gap(self, ties_trust: np.ndarray, trust: np.ndarray, rows: slice = slice(None)) -> np.ndarray:
        """Per household of ``rows``: its ties' mean trust (from their summed, weighted trust) minus its own (0 without ties).

        ``ties_trust`` and ``trust`` are those of the households of ``rows``.
        """
        gap = ties_trust * self.per_tie[rows]
        gap -= trust if self.tied is None else self.tied[rows] * trust
        return gap


def update_trust(
    trust: np.ndarray,
    baseline: np.ndarray,
    elsewhere: np.ndarray,
    who: np.ndarray,
    good_days: np.ndarray,
    bad_days: np.ndarray,
    spread: TrustSpread,
    ties_trust: np.ndarray,
    d: DynamicsConfig,
    dt: float,
) -> None:
    """Trust after ``dt`` days: towards 1 with good experience, towards 0 (faster) with bad, back
    towards the household's baseline as experience fades, then towards the trust its ties had at
    the start of the step; last, the baseline moves slowly towards the trust (``baseline_rate``)
    and, slower still, back to the trust held elsewhere as residents are renewed (``renewal_rate``).

    Args:
        trust: every household's trust (updated in place).
        baseline: the trust each holds apart from its own experience (updated in place: it moves
            slowly towards the trust).
        elsewhere: the trust each one's class holds elsewhere (what newcomers bring).
        who: the households that experienced the government in these days; good_days, bad_days:
            their good and bad experience summed over the days (experience times days).
        spread: the ties' pull on trust; ties_trust: each household's ties' summed, weighted trust.
    """
    own = trust[who]
    own += (1.0 - own) * dyn.closed_fraction(d.trust_gain_rate * good_days, 1.0)
    own -= own * dyn.closed_fraction(d.trust_loss_rate * bad_days, 1.0)
    trust[who] = own
    toward_ties_fraction = dyn.closed_fraction(d.trust_spread_rate, dt)

    def fade_spread_remember(rows: slice) -> None:
        trust_, baseline_ = trust[rows], baseline[rows]  # views: the updates write through
        dyn.relax_in_place(trust_, baseline_, d.trust_fade_rate, dt)
        toward_ties = spread.gap(ties_trust[rows], trust_, rows)
        toward_ties *= toward_ties_fraction
        trust_ += toward_ties
        dyn.relax_in_place(baseline_, trust_, d.baseline_rate, dt)
        dyn.relax_in_place(baseline_, elsewhere[rows], d.renewal_rate, dt)

    by_blocks(trust.size, fade_spread_remember)


def invited_stances(
    trust: np.ndarray, personal: np.ndarray, government_dominance: float
) -> tuple[np.ndarray, np.ndarray]:
    """The stances households' trust and self-confidence (personal capital) invite: affiliation and dominance.

    Together as far as a household trusts the government; above as far as its self-confidence
    and the government's stance below invite (Leary's complementarity), the two weighed equally
    (an assumption).
    """
    return 2.0 * trust - 1.0, personal - 0.5 * (1.0 + government_dominance)


def update_stances(h: HouseholdState, government_dominance: float, rate: float, dt: float) -> None:
    """Households' stances towards the government move towards those invited (``invited_stances``)."""

    def follow(rows: slice) -> None:
        invited = invited_stances(h.trust[rows], h.personal[rows], government_dominance)
        for stance, towards in zip((h.affiliation[rows], h.dominance[rows]), invited, strict=True):
            dyn.relax_in_place(stance, towards, rate, dt)

    by_blocks(h.n, follow)


def starting_attitudes(
    household_class: np.ndarray, standing_rank: np.ndarray, cfg: PolarisationConfig, rng: np.random.Generator
) -> np.ndarray:
    """Attitudes at the start: the class's place (by standing: most capital at one end) plus noise."""
    place = 0.5 + cfg.class_distance * (0.5 - standing_rank[household_class])
    return np.clip(place + cfg.spread * rng.standard_normal(household_class.size), 0.0, 1.0)


def update_attitudes(
    attitude: np.ndarray,
    anchor: np.ndarray,
    ties: sp.csr_array,
    cfg: PolarisationConfig,
    rng: np.random.Generator,
    dt: float,
) -> None:
    """The encounters of ``dt`` days, then each attitude back towards its anchor at ``anchoring_rate``.

    Each encounter moves an attitude towards the other's if within ``tolerance``, else away
    (Axelrod, Daymude & Forrest 2021). The number of encounters is drawn first (Poisson,
    ``encounters_per_day`` per household), then three uniforms for each: who (anyone, with
    replacement), whether it comes through media, and the other: through media anyone in town,
    shown ``media_distortion`` further away than they are; else a random one of the household's
    ties (for those without ties, anyone in town, shown as they are). Attitudes move from where
    they were before the encounters. The pull back to the anchor is Friedkin & Johnsen's (1990)
    attachment to one's own starting view.
    """
    n = attitude.size
    count = rng.poisson(cfg.encounters_per_day * dt * n)
    if count:
        who_draw, media_draw, other_draw = rng.random((3, count))
        who = (who_draw * n).astype(np.intp)
        by_media = media_draw < cfg.media_exposure
        start = ties.indptr[who]
        degree = ties.indptr[who + 1] - start
        through_tie = np.flatnonzero(~by_media & (degree > 0))
        other = (other_draw * n).astype(np.intp)  # anyone in town
        pick = start[through_tie] + (other_draw[through_tie] * degree[through_tie]).astype(np.intp)
        other[through_tie] = ties.indices[pick]
        gap = attitude[other]
        gap -= attitude[who]
        # media show the other further away than they are
        np.multiply(gap, 1.0 + cfg.media_distortion, out=gap, where=by_media)
        gap *= np.where(np.abs(gap) <= cfg.tolerance, cfg.responsiveness, -cfg.responsiveness)
        np.add.at(attitude, who, gap)

    def anchor_(rows: slice) -> None:
        attitude_ = attitude[rows]
        if count:
            np.clip(attitude_, 0.0, 1.0, out=attitude_)
        dyn.relax_in_place(attitude_, anchor[rows], cfg.anchoring_rate, dt)

    by_blocks(n, anchor_)


def willingness(attitude: np.ndarray, rows: np.ndarray, columns: np.ndarray, tolerance: float) -> np.ndarray:
    """Per tie: the willingness to help across it, 1 within ``tolerance`` of attitude, falling to 0 at the far end."""
    willing = attitude[rows]
    willing -= attitude[columns]
    np.abs(willing, out=willing)  # the distance
    willing -= tolerance
    willing /= max(1.0 - tolerance, 1e-9)
    np.subtract(1.0, willing, out=willing)
    return np.clip(willing, 0.0, 1.0, out=willing)


def polarisation(attitude: np.ndarray) -> float:
    """Affective polarisation: twice the sd of attitudes (0 when all agree, 1 when split evenly at the ends)."""
    return float(2.0 * attitude.std())


def injustice(obtained: np.ndarray, household_class: np.ndarray, attitude: np.ndarray, n_classes: int) -> np.ndarray:
    """Felt horizontal injustice of needy households when aid is scarce.

    For each: how much more aid the needy of other classes obtained on average than itself
    (0 if less), times how far its attitude lies from theirs.

    Args:
        obtained: aid obtained by each needy household; household_class and attitude: theirs.
    """
    count = np.bincount(household_class, minlength=n_classes).astype(np.float64)
    aid = np.bincount(household_class, weights=obtained, minlength=n_classes)
    view = np.bincount(household_class, weights=attitude, minlength=n_classes)
    others = np.maximum(count.sum() - count[household_class], 1.0)
    others_aid = (aid.sum() - aid[household_class]) / others
    others_view = (view.sum() - view[household_class]) / others
    return np.clip(others_aid - obtained, 0.0, None) * np.abs(attitude - others_view)
