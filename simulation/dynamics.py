"""The mechanisms, as functions of whole arrays. Equations and their reasons are in docs/ODD.md.

Every rate is per day. Over a step of ``dt`` days a rate ``k`` acting on a gap closes the
fraction ``1 - exp(-k * dt)`` of it (``closed_fraction``), which is exact for a rate that is
constant over the step; so a mechanism means the same in a one-day step as in a one-month step.
Recovery channels add up as rates before they are applied, so what each of the self-recovery,
support, collective-action and aid phases adds does not depend on their order (synchronous
update); only aid reads an output of collective action (the way in that collaborating
initiatives give), so that phase comes first.
"""

from __future__ import annotations

import numpy as np

from simulation.config import DAYS_PER_YEAR

NEGLIGIBLE = 1e-6  # an amount of harm, strain or missing savings this small counts as none (they decay towards 0 without reaching it)


def settle(values: np.ndarray, target: float) -> np.ndarray:
    """``values``, with those within ``NEGLIGIBLE`` of ``target`` set to it."""
    return np.where(np.abs(values - target) < NEGLIGIBLE, target, values)


def closed_fraction(rate: np.ndarray | float, dt: float) -> np.ndarray:
    """Share of a gap closed in ``dt`` days by a constant per-day rate: ``1 - exp(-rate * dt)``."""
    return 1.0 - np.exp(-rate * dt)


def per_day(rate_per_year: np.ndarray | float) -> np.ndarray | float:
    """A per-year rate (floods per year, project starts per year) as a per-day rate."""
    return rate_per_year / DAYS_PER_YEAR


def relax(value: np.ndarray, target: np.ndarray, rate: np.ndarray | float, dt: float) -> np.ndarray:
    """Move ``value`` towards ``target`` at a per-day rate, exactly over ``dt`` days."""
    return value + (target - value) * closed_fraction(rate, dt)


def relax_in_place(value: np.ndarray, target: np.ndarray, rate: float, dt: float) -> None:
    """``relax``, writing into ``value`` (the same numbers, fewer temporaries for every-household arrays)."""
    gap = target - value
    gap *= closed_fraction(rate, dt)
    value += gap


def saturating(amount: np.ndarray) -> np.ndarray:
    """Map an amount >= 0 onto [0, 1): ``1 - exp(-amount)`` (diminishing returns)."""
    return 1.0 - np.exp(-amount)


def divide_or_zero(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """``numerator / denominator``, and 0 where the denominator is 0 (say, a household without ties)."""
    return np.divide(numerator, denominator, out=np.zeros(np.shape(numerator)), where=denominator > 0)


# ---- 1. hazard ----------------------------------------------------------------------------


def shock_damage(severity: np.ndarray, preparedness: np.ndarray, efficacy: float) -> np.ndarray:
    """Loss of functioning (as a share of what is left): severity reduced by preparedness."""
    return np.clip(severity, 0.0, 1.0) * (1.0 - efficacy * preparedness)


# ---- 2. perception ------------------------------------------------------------------------


def fear_target(
    lacks: np.ndarray, reported: np.ndarray, trust: np.ndarray, rumour_weight: float, trust_reassurance: float
) -> np.ndarray:
    """Fear of unavailable essentials: what one lacks, combined with what ties report they lack, eased by trust."""
    scarcity = 1.0 - (1.0 - lacks) * (1.0 - rumour_weight * reported)
    return scarcity * (1.0 - trust_reassurance * trust)


# ---- 3. self-recovery -----------------------------------------------------------------------


def self_recovery_rate(
    base_rate: float,
    economic: np.ndarray,
    personal: np.ndarray,
    buffer: np.ndarray,
    stress: np.ndarray,
    stress_slowdown: float,
) -> np.ndarray:
    """Own recovery rate: economic and personal capital and the buffer drive it, stress slows it."""
    return base_rate * (economic + personal + buffer) / 3.0 * (1.0 - stress_slowdown * stress)


# ---- 4. support ---------------------------------------------------------------------------


def spare_capacity(functioning: np.ndarray, stress: np.ndarray, spare_from: float) -> np.ndarray:
    """Capacity to help others: functioning above ``spare_from``, less what stress takes."""
    return np.clip((functioning - spare_from) / (1.0 - spare_from), 0.0, 1.0) * (1.0 - stress)


# ---- 5. collective action -----------------------------------------------------------------


def class_diversity(counts: np.ndarray) -> np.ndarray:
    """Gini-Simpson diversity ``1 - sum p_c^2`` of each row of class counts, scaled to [0, 1]."""
    n_classes = counts.shape[1]
    total = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, total, out=np.zeros(counts.shape), where=total > 0)
    diversity = 1.0 - (shares**2).sum(axis=1)
    return diversity / (1.0 - 1.0 / n_classes) if n_classes > 1 else np.zeros(counts.shape[0])


def formation_hazard(rate: float, cohesion: np.ndarray, spare: np.ndarray, needy_share: np.ndarray) -> np.ndarray:
    """Per-day hazard that a neighbourhood starts an initiative: where cohesion and spare capacity meet need."""
    return rate * cohesion * spare * needy_share


# ---- 6. government aid --------------------------------------------------------------------


def aid_uptake(
    trust: np.ndarray,
    cultural: np.ndarray,
    bridging_knowhow: np.ndarray,
    initiative_access: np.ndarray,
    receptivity: float,
) -> np.ndarray:
    """Share of the aid a needy household obtains.

    A receptive government reaches households itself; the rest must apply, which takes trust
    and a way in: one's own cultural capital, know-how from bridging ties, or an initiative
    that works with the government.
    """
    way_in = 1.0 - (1.0 - cultural) * (1.0 - bridging_knowhow) * (1.0 - initiative_access)
    return receptivity + (1.0 - receptivity) * trust * way_in


def rationing(capacity: float, demand: float) -> float:
    """Share of each request the government can meet: ``min(1, capacity / demand)``."""
    return 1.0 if demand <= capacity else capacity / demand


# ---- 7. stress, trust, adaptation -----------------------------------------------------------


def stress_step(stress: np.ndarray, target: np.ndarray, rate: float, relief_rate: np.ndarray, dt: float) -> np.ndarray:
    """Exact step of ``d stress/dt = rate * (target - stress) - relief_rate * stress``."""
    total = rate + relief_rate
    equilibrium = np.divide(rate * target, total, out=stress.copy(), where=total > 0)
    return equilibrium + (stress - equilibrium) * np.exp(-total * dt)


def strain_step(strain: np.ndarray, gain: np.ndarray, recovery_rate: float, dt: float) -> np.ndarray:
    """Exact step of ``d strain/dt = gain - recovery_rate * strain``, kept at most 1 (and 0 once negligible).

    ``gain`` (per day) comes from the help a household gives and the guests it hosts.
    """
    if recovery_rate == 0:
        return np.minimum(strain + gain * dt, 1.0)
    return settle(np.minimum(relax(strain, gain / recovery_rate, recovery_rate, dt), 1.0), 0.0)


def time_step(time_left: np.ndarray, given: np.ndarray, help_days: float, refill_rate: float, dt: float) -> np.ndarray:
    """Exact step of ``d time/dt = -given / help_days + refill_rate * (1 - time)``, kept in [0, 1].

    Helping at ``given`` (per day, in units of a rested household's full offer) spends time;
    rest brings it back towards 1.
    """
    if refill_rate == 0:
        return np.clip(time_left - given * dt / help_days, 0.0, 1.0)
    target = 1.0 - given / (help_days * refill_rate)
    return settle(np.clip(relax(time_left, target, refill_rate, dt), 0.0, 1.0), 1.0)


def weighted_share(summed: np.ndarray, strength: np.ndarray) -> np.ndarray:
    """The weighted mean over one's ties of a quantity (``summed``: its tie-weighted sum), 0 without ties."""
    return divide_or_zero(summed, strength)


def ties_weight(strength: np.ndarray, scale: float) -> np.ndarray:
    """How much one's ties weigh in what one perceives, with diminishing returns in their number: ``sat(W / scale)``."""
    return saturating(strength / scale)


def perceived_risk(memory: np.ndarray, ties_prepared: np.ndarray, social_learning: float) -> np.ndarray:
    """Risk a household perceives: its own remembered damage, and the measures it sees its ties take.

    ``ties_prepared`` is the weighted share of its ties that prepared, times how much its ties
    weigh (``ties_weight``): a share, not a sum, so more ties do not add up to more risk.
    """
    return 1.0 - (1.0 - memory) * (1.0 - social_learning * ties_prepared)
