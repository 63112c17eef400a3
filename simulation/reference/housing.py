"""The home pipeline once more, household by household: a second reading of docs/ODD.md 7.7-7.9.

``ReferenceHousing`` wraps a ``Housing`` and does its per-step processes (savings paid,
hosting, aid grants, donations, temporary homes, claims, the scheme, repairs) as plain loops
over households in the order the rules give: queues in line order, hosts asked along each
household's row of the bonding matrix. It acts on the same state as the ``Housing`` it wraps.
None of these processes draws random numbers (only the construction of ``Housing`` does).

``run_twinned`` runs a model with every such call made twice, by ``Housing`` on the model and
by ``ReferenceHousing`` on a copy taken just before the call; ``largest_differences`` reports
how far the two ended apart, per method.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from simulation.housing import HOSTING_ROUNDS, Housing, Money, WayIn
from simulation.provisions import AT_HOME, EMERGENCY, HOSTED, TEMPORARY
from simulation.state import HOUSEHOLD_FIELDS, HouseholdState

PER_STEP = (
    "pay_own",
    "find_hosts",
    "pay_aid_grants",
    "pay_donations",
    "house_temporarily",
    "settle_claims",
    "pay_scheme",
    "repair",
)
"""The per-step processes of ``Housing`` that ``ReferenceHousing`` does household by household."""

CLOSED_TO_ZERO = (
    "home_damage",
    "repair_cost",
    "funds",
    "claim_cost",
    "scheme_cost",
    "search_progress",
    "claim_progress",
    "scheme_progress",
)
CLOSED_TO_NAN = (
    "repair_work_left",
    "repair_due_day",
    "dry_day",
    "claim_filed_day",
    "claim_work_left",
    "claim_due_day",
    "scheme_filed_day",
    "scheme_work_left",
    "scheme_due_day",
)


def paperwork(way_in: WayIn, j: int) -> float:
    """Household j's way through paperwork: cultural capital, bridging know-how, an initiative's and a caseworker's help."""
    return 1.0 - (
        (1.0 - way_in.cultural[j])
        * (1.0 - way_in.bridging_knowhow()[j])
        * (1.0 - way_in.reach[j])
        * (1.0 - way_in.aid_paperwork * way_in.aid[j])
    )


def access(way_in: WayIn, j: int) -> float:
    """Household j's access to a contractor: bridging know-how, an initiative's help, news from bonding ties."""
    news = way_in.contractor_news(np.array([j]))[0]
    return 1.0 - (1.0 - way_in.bridging_knowhow()[j]) * (1.0 - way_in.reach[j]) * (1.0 - news)


def work_one_step(line: list[int], handlers: float, work_left: np.ndarray, start: float, dt: float) -> list[tuple]:
    """Handlers of capacity ``handlers`` work from day ``start`` for ``dt`` days on the jobs of ``line``, in order.

    A job is served while capacity is left: at full pace, the part-time handler's fraction for
    the next. A job whose work is done finishes at ``start + work_left / pace`` (docs/ODD.md:
    ``t + work_left_j / pace_i``, ``t`` the day the step began).

    Returns:
        (job, day it finished) for every job finished in the step.
    """
    finished = []
    for position, j in enumerate(line[: math.ceil(handlers)]):
        pace = min(1.0, handlers - position)
        left = work_left[j]
        if left <= pace * dt:
            work_left[j] = 0.0
            finished.append((j, start + left / pace))
        else:
            work_left[j] = left - pace * dt
    return finished


def in_line(waiting: Sequence[int], key: Callable[[int], float], places: int) -> list[int]:
    """The first ``places`` of ``waiting`` by ``key`` (ties by index), in that order."""
    return sorted(waiting, key=lambda j: (key(j), j))[: max(places, 0)]


class ReferenceHousing:
    """The per-step processes of a ``Housing``, household by household (same names and arguments).

    Reads and changes the wrapped ``Housing``'s state (capacities, savings, spell lengths, days
    the scheme was open) and the household state passed in; anything else (``damage``,
    ``rehouse``, attributes) is the wrapped ``Housing``'s own.

    Args:
        housing: the home pipeline to act on.
    """

    def __init__(self, housing: Housing) -> None:
        self.housing = housing

    def __getattr__(self, name: str):
        if name == "housing":  # not set yet (a copy being made)
            raise AttributeError(name)
        return getattr(self.housing, name)

    def share_of_savings(self, euros: float, j: int) -> float:
        """``euros`` as a share of household j's savings (0 if it has none)."""
        savings = self.housing.savings_eur[j]
        return euros / savings if savings > 0 else 0.0

    # ---- phase 3 ----------------------------------------------------------------------------

    def pay_own(self, h: HouseholdState, dt: float, money: Money, aid: np.ndarray) -> None:
        """Emergency lodging is paid (insurer, aid, savings); then savings go to each open repair (7.7.2, 7.8.1)."""
        cfg, gov = self.housing.cfg, self.housing.government
        night = cfg.emergency_eur_per_day * dt
        for j in range(h.n):
            if h.displaced[j] != EMERGENCY:
                continue
            money.lodging += night
            if h.insured[j]:
                continue
            by_aid = aid[j] * cfg.emergency_eur_per_day * dt  # the share of the night aid pays
            spend = min(night - by_aid, self.housing.savings_eur[j] * h.buffer[j])
            h.paid_aid[j] += by_aid
            money.aid += by_aid
            h.buffer[j] -= self.share_of_savings(spend, j)
            h.spent_lodging[j] += spend
        for j in range(h.n):
            cost = h.repair_cost[j]
            if cost <= h.funds[j]:
                continue
            if h.insured[j]:
                expected = cfg.insurance_payout_share * (cost - h.claim_cost[j])
            else:
                expected = gov.scheme_coverage * (cost - h.scheme_cost[j])
            needed = max(cost - expected, cfg.deposit_share * cost) - h.funds[j]
            pay = max(min(needed, self.housing.savings_eur[j] * h.buffer[j]), 0.0)
            h.buffer[j] -= self.share_of_savings(pay, j)
            h.funds[j] += pay
            h.paid_own[j] += pay
            money.own += pay

    # ---- phase 4 ----------------------------------------------------------------------------

    def find_hosts(self, h: HouseholdState, bonding: sp.csr_array, hosting_limit: float) -> None:
        """Guests of tired or displaced hosts leave; households in emergency lodging ask their bonding ties (7.7.3)."""
        for guest in range(h.n):
            if h.displaced[guest] == HOSTED:
                host = h.host[guest]
                if h.strain[host] >= hosting_limit or h.displaced[host] != AT_HOME:
                    h.displaced[guest] = EMERGENCY
                    h.host[guest] = -1

        hosting = [False] * h.n
        for j in range(h.n):
            if h.host[j] >= 0:
                hosting[h.host[j]] = True
        seeking = [h.displaced[j] == EMERGENCY for j in range(h.n)]
        eligible = [
            h.has_room[i] and h.displaced[i] == AT_HOME and h.strain[i] < hosting_limit and not hosting[i]
            for i in range(h.n)
        ]
        for _ in range(HOSTING_ROUNDS):
            first_asker: dict[int, int] = {}  # each host asked in this round, and the first who asked it
            for seeker in range(h.n):
                if seeking[seeker]:
                    choice = self.first_choice(h, bonding, seeker, eligible)
                    if choice >= 0 and choice not in first_asker:
                        first_asker[choice] = seeker
            if not first_asker:
                return
            for host, guest in first_asker.items():
                h.displaced[guest] = HOSTED
                h.host[guest] = host
                eligible[host] = False
                seeking[guest] = False

    @staticmethod
    def first_choice(h: HouseholdState, bonding: sp.csr_array, seeker: int, eligible: list[bool]) -> int:
        """The eligible bonding tie of ``seeker`` with the most economic capital (ties: the lowest index); -1 if none."""
        best = -1
        for entry in range(bonding.indptr[seeker], bonding.indptr[seeker + 1]):
            i = int(bonding.indices[entry])
            if bonding.data[entry] <= 0 or not eligible[i]:
                continue
            if best < 0 or (h.economic[i], -i) > (h.economic[best], -best):
                best = i
        return best

    # ---- phase 6 ----------------------------------------------------------------------------

    def pay_aid_grants(
        self, h: HouseholdState, served: np.ndarray, share: np.ndarray, day: float, money: Money
    ) -> None:
        """An emergency grant, once per spell, to each household aid served: to its repair, else its savings (7.10)."""
        for position, j in enumerate(served):
            grant = self.housing.government.aid_cash_eur * share[position]
            hit = not np.isnan(h.shock_day[j])
            paid_this_spell = h.aid_cash_day[j] >= h.shock_day[j]  # False while never paid (NaN)
            if not hit or paid_this_spell or grant <= 0:
                continue
            if h.repair_cost[j] > h.funds[j]:
                h.funds[j] += grant
            else:
                h.buffer[j] = min(h.buffer[j] + self.share_of_savings(grant, j), 1.0)
            h.aid_cash_day[j] = day
            h.paid_aid[j] += grant
            money.aid += grant

    def pay_donations(self, h: HouseholdState, day: float, way_in: WayIn, money: Money) -> None:
        """Donations reach each household whose donation day has come, as far as its way in goes (7.8.5)."""
        for j in range(h.n):
            if h.donation_day[j] <= day:
                amount = self.housing.cfg.donation_eur * paperwork(way_in, j)
                h.funds[j] += amount
                h.paid_donations[j] += amount
                h.donation_day[j] = np.nan
                money.donations += amount

    def house_temporarily(
        self, h: HouseholdState, open_: bool, receptivity: float, way_in: WayIn, dt: float, money: Money
    ) -> None:
        """Free temporary homes go to those in emergency lodging by priority; every one lived in costs rent (7.7.4)."""
        if open_:
            waiting = [j for j in range(h.n) if h.displaced[j] == EMERGENCY]
            priority = {
                j: receptivity * (1.0 - h.economic[j] * h.buffer[j]) + (1.0 - receptivity) * paperwork(way_in, j)
                for j in waiting
            }
            lived_in = sum(1 for j in range(h.n) if h.displaced[j] == TEMPORARY)
            for j in in_line(waiting, lambda j: -priority[j], self.housing.temporary_homes - lived_in):
                h.displaced[j] = TEMPORARY
        lived_in = sum(1 for j in range(h.n) if h.displaced[j] == TEMPORARY)
        money.temporary_homes += lived_in * self.housing.government.temporary_home_eur_per_day * dt

    def settle_claims(
        self, h: HouseholdState, open_: np.ndarray, day: float, dt: float, way_in: WayIn, money: Money
    ) -> tuple[int, int]:
        """Insured owners claim, adjusters handle claims in line, the insurer pays its share (7.8.3).

        Returns:
            The number of claims filed in the step, and the number settled.
        """
        cfg = self.housing.cfg
        insured_owners = [j for j in open_ if h.owner[j] and h.insured[j]]

        def handling_days(j: int) -> float:
            return cfg.claim_handling_days * max((h.repair_cost[j] - h.claim_cost[j]) / cfg.repair_cost_eur, 0.25)

        settled, filed, _ = self.apply(
            h, "claim", insured_owners, open_, day, dt, way_in, self.housing.adjusters, handling_days, 0.0
        )
        for j in settled:
            payout = cfg.insurance_payout_share * (h.repair_cost[j] - h.claim_cost[j])
            self.settle(h, "claim", j, payout, day)
            h.paid_insurance[j] += payout
            money.insurance += payout
        return filed, len(settled)

    def pay_scheme(
        self,
        h: HouseholdState,
        open_: np.ndarray,
        day: float,
        dt: float,
        opened: bool,
        way_in: WayIn,
        money: Money,
        referral_days: float,
    ) -> tuple[int, np.ndarray, int]:
        """While open, uninsured owners apply; assessors decide in line; the scheme pays its share (7.8.4).

        Returns:
            The number of applications filed in the step, the households paid in it and the
            number of applications decided in it.
        """
        gov = self.housing.government
        if opened:
            self.housing.scheme_open_days += dt
        uninsured_owners = [j for j in open_ if h.owner[j] and not h.insured[j]] if opened else []
        paid, filed, decided = self.apply(
            h,
            "scheme",
            uninsured_owners,
            open_,
            day,
            dt,
            way_in,
            self.housing.assessors,
            lambda j: gov.scheme_assessment_days,
            gov.scheme_payment_days,
            referral_days,
        )
        for j in paid:
            payout = gov.scheme_coverage * (h.repair_cost[j] - h.scheme_cost[j])
            self.settle(h, "scheme", j, payout, day)
            h.paid_scheme[j] += payout
            money.scheme += payout
        return filed, np.array(paid, dtype=np.int64), decided

    def apply(
        self,
        h: HouseholdState,
        kind: str,
        eligible: list[int],
        open_: np.ndarray,
        day: float,
        dt: float,
        way_in: WayIn,
        handlers: float,
        handling_days: Callable[[int], float],
        waiting_days: float,
        arrival_days: float = 0.0,
    ) -> tuple[list[int], int, int]:
        """One step of claims (``kind`` "claim") or scheme applications ("scheme"): filing, the handlers' line, payments due.

        Returns:
            The households due to be paid, how many filed in the step and how many were handled in it.
        """
        progress, filed, work_left, due = (
            getattr(h, f"{kind}_{name}") for name in ("progress", "filed_day", "work_left", "due_day")
        )
        covered = getattr(h, f"{kind}_cost")
        newly_filed = 0
        for j in eligible:
            if h.repair_cost[j] > covered[j] and np.isnan(filed[j]):
                progress[j] = min(progress[j] + dt * paperwork(way_in, j) / self.housing.cfg.claim_filing_days, 1.0)
                if progress[j] >= 1.0:
                    filed[j] = day + arrival_days
                    newly_filed += 1

        at_desk = [j for j in open_ if filed[j] <= day and np.isnan(due[j])]
        line = in_line(at_desk, lambda j: filed[j], math.ceil(handlers))
        for j in line:
            if np.isnan(work_left[j]):
                work_left[j] = handling_days(j)
        handled = work_one_step(line, handlers, work_left, day - dt, dt)  # worked from the start of the step
        for j, finished_day in handled:
            due[j] = finished_day + waiting_days
        return [j for j in open_ if due[j] <= day], newly_filed, len(handled)

    @staticmethod
    def settle(h: HouseholdState, kind: str, j: int, payout: float, day: float) -> None:
        """Pay ``payout`` into household j's repair money; its application of ``kind`` is closed."""
        h.funds[j] += payout
        getattr(h, f"{kind}_cost")[j] = h.repair_cost[j]
        getattr(h, f"{kind}_settled_day")[j] = day
        getattr(h, f"{kind}_progress")[j] = 0.0
        for name in ("filed_day", "work_left", "due_day"):
            getattr(h, f"{kind}_{name}")[j] = np.nan

    # ---- phase 7 ----------------------------------------------------------------------------

    def repair(
        self,
        h: HouseholdState,
        open_: np.ndarray,
        day: float,
        dt: float,
        way_in: WayIn,
        head_start_days: float,
        money: Money,
    ) -> np.ndarray:
        """Contractors of two pools take dry homes whose households have the deposit; finished, paid homes close (7.9).

        Returns:
            The households that came home in the step.
        """
        cfg, housing = self.housing.cfg, self.housing
        at_work = [j for j in open_ if h.repair_work_left[j] > 0]
        outside_at_work = [j for j in at_work if h.outside_contractor[j]]
        pool_at_work = [j for j in at_work if not h.outside_contractor[j]]
        ready = [
            j
            for j in open_
            if h.dry_day[j] <= day
            and np.isnan(h.repair_work_left[j])
            and h.funds[j] >= cfg.deposit_share * h.repair_cost[j]
        ]
        key = {j: h.dry_day[j] - head_start_days * access(way_in, j) for j in ready}
        hired_outside = []
        if housing.outside_contractors > 0:
            found = []
            for j in ready:
                searched = dt * cfg.outside_contractor_rate * way_in.bridging_knowhow()[j]
                h.search_progress[j] = min(h.search_progress[j] + searched, 1.0)
                can_pay = h.funds[j] >= (cfg.deposit_share + cfg.outside_premium) * h.repair_cost[j]
                if h.search_progress[j] >= 1.0 and can_pay:
                    found.append(j)
            hired_outside = self.start_repairs(h, outside_at_work, found, key, housing.outside_contractors, day, dt)
            for j in hired_outside:
                self.charge_premium(h, j, money)
        waiting = [j for j in ready if j not in hired_outside]
        self.start_repairs(h, pool_at_work, waiting, key, housing.contractors, day, dt)

        done = [j for j in open_ if h.repair_due_day[j] <= day and h.funds[j] >= h.repair_cost[j]]
        coming_home, spells = [], []
        for j in done:
            if self.close(h, j, h.funds[j] - h.repair_cost[j], day):
                coming_home.append(j)
                spells.append(day - h.displaced_day[j])
        housing.spell_days.append(np.array(spells, dtype=np.float64))
        return np.array(coming_home, dtype=np.int64)

    def start_repairs(
        self,
        h: HouseholdState,
        at_work: list[int],
        waiting: list[int],
        key: dict[int, float],
        crews: float,
        day: float,
        dt: float,
    ) -> list[int]:
        """A pool of ``crews`` works one step: first on its homes at work (by dry day), then on the waiting homes it begins, by ``key``.

        Returns:
            The homes the pool began on in the step.
        """
        at_work = in_line(at_work, lambda j: h.dry_day[j], len(at_work))
        begun = in_line(waiting, lambda j: key[j], math.ceil(crews) - len(at_work))
        for j in begun:
            h.repair_work_left[j] = self.housing.cfg.repair_days * h.home_damage[j]
        for j, finished_day in work_one_step(at_work + begun, crews, h.repair_work_left, day - dt, dt):
            h.repair_due_day[j] = finished_day
        return begun

    def charge_premium(self, h: HouseholdState, j: int, money: Money) -> None:
        """Household j hires from outside the region: the premium adds to its cost; a tenant's landlord pays it."""
        premium = self.housing.cfg.outside_premium * h.repair_cost[j]
        h.outside_contractor[j] = True
        h.repair_cost[j] += premium
        h.claim_cost[j] += premium
        h.scheme_cost[j] += premium
        if not h.owner[j]:
            h.funds[j] += premium
            h.paid_landlord[j] += premium
            money.landlord += premium

    def close(self, h: HouseholdState, j: int, left_over: float, day: float) -> bool:
        """Close household j's repair: ``left_over`` goes back to savings; if displaced, it comes home.

        Returns:
            Whether it came home.
        """
        h.buffer[j] = min(h.buffer[j] + self.share_of_savings(left_over, j), 1.0)
        for name in CLOSED_TO_ZERO:
            getattr(h, name)[j] = 0.0
        for name in CLOSED_TO_NAN:
            getattr(h, name)[j] = np.nan
        h.outside_contractor[j] = False
        if h.displaced[j] == AT_HOME:
            return False
        h.displaced[j] = AT_HOME
        h.host[j] = -1
        h.home_day[j] = day
        return True


# ---- the two side by side -----------------------------------------------------------------


@dataclass
class Difference:
    """How far ``ReferenceHousing`` and ``Housing`` ended apart after one call.

    Attributes:
        method: the method called.
        step: the model's step.
        field: the quantity that differs most: a household field, ``money.KIND``, ``housing.NAME`` or ``returned[i]``.
        largest: its largest absolute difference (inf where only one is NaN).
        within: whether every quantity agrees within the tolerance.
        reference, vectorised: the two values of ``field``, kept where they do not agree.
    """

    method: str
    step: int
    field: str
    largest: float
    within: bool
    reference: np.ndarray | None = None
    vectorised: np.ndarray | None = None


RTOL, ATOL = 1e-9, 1e-12


def largest_difference(reference: np.ndarray, vectorised: np.ndarray) -> float:
    """The largest absolute difference of two arrays; NaN against NaN counts as equal, NaN against a number as inf."""
    reference, vectorised = np.asarray(reference, dtype=np.float64), np.asarray(vectorised, dtype=np.float64)
    if reference.shape != vectorised.shape:
        return math.inf
    if np.array_equal(reference, vectorised, equal_nan=True):
        return 0.0
    gap = np.where(np.isnan(reference) & np.isnan(vectorised), 0.0, np.abs(reference - vectorised))
    return float(np.nan_to_num(gap, nan=math.inf).max())


def agree(reference: np.ndarray, vectorised: np.ndarray) -> bool:
    """Whether two arrays agree as ``numpy.testing.assert_allclose`` with ``RTOL``, ``ATOL`` and equal NaN sees it."""
    reference, vectorised = np.asarray(reference, dtype=np.float64), np.asarray(vectorised, dtype=np.float64)
    return reference.shape == vectorised.shape and bool(
        np.allclose(reference, vectorised, rtol=RTOL, atol=ATOL, equal_nan=True)
    )


def quantities(h: HouseholdState, money: Money, housing: Housing, returned) -> dict[str, np.ndarray]:
    """Everything a housing call can change, and what it returned, by name."""
    out = {f.name: getattr(h, f.name) for f in HOUSEHOLD_FIELDS}
    out |= {f"money.{f.name}": np.array(getattr(money, f.name)) for f in dataclasses.fields(money)}
    for name, value in vars(housing).items():
        if name == "spell_days":
            out["housing.spell_days"] = np.concatenate([np.zeros(0), *value])
        elif isinstance(value, int | float | np.ndarray):
            out[f"housing.{name}"] = np.asarray(value)
    returned = returned if isinstance(returned, tuple) else (returned,)
    out |= {
        f"returned[{i}]": np.asarray(value, dtype=np.float64) for i, value in enumerate(returned) if value is not None
    }
    return out


def compare(method: str, step: int, reference: dict, vectorised: dict) -> Difference:
    """The quantity that differs most between the two sides of one call, and whether all agree."""
    gaps = {name: largest_difference(reference[name], vectorised[name]) for name in vectorised}
    bad = [name for name, gap in gaps.items() if gap > 0 and not agree(reference[name], vectorised[name])]
    worst = max(bad or gaps, key=gaps.get)
    if not bad:
        return Difference(method, step, worst if gaps[worst] > 0 else "", gaps[worst], True)
    return Difference(method, step, worst, gaps[worst], False, reference[worst].copy(), vectorised[worst].copy())


class TwinHousing:
    """Stands in for ``model.housing``: each per-step call runs on a copy by ``ReferenceHousing``, then on the model by ``Housing``.

    The copy (``twin_of_model``, and deep copies of the call's arguments) is taken just before
    the call, so both sides start from the same state; the run goes on with the model. Every
    call adds a ``Difference`` to ``differences``.

    Args:
        model: the ``CrisisModel`` whose ``housing`` this replaces.
    """

    def __init__(self, model) -> None:
        self.model, self.housing = model, model.housing
        self.differences: list[Difference] = []

    def __getattr__(self, name: str):
        if name not in PER_STEP:
            return getattr(self.housing, name)
        return lambda *args, **kwargs: self.call_both(name, args, kwargs)

    def call_both(self, method: str, args: tuple, kwargs: dict):
        """``method`` by ``ReferenceHousing`` on a copy, then by ``Housing`` on the model; compare what each leaves."""
        twin, memo = self.twin_of_model()
        twin_args, twin_kwargs = copy.deepcopy((args, kwargs), memo)
        twin_returned = getattr(ReferenceHousing(twin.housing), method)(*twin_args, **twin_kwargs)
        returned = getattr(self.housing, method)(*args, **kwargs)
        self.differences.append(
            compare(
                method,
                self.model.steps,
                quantities(twin.households, twin.money, twin.housing, twin_returned),
                quantities(self.model.households, self.model.money, self.housing, returned),
            )
        )
        return returned

    def twin_of_model(self) -> tuple:
        """A shallow copy of the model with deep copies of what a housing call changes: households, money, housing.

        A ``WayIn`` among the arguments still asks the model for bridging know-how, which no
        housing call changes; its ``contractor_news`` asks the copy.

        Returns:
            The copy, and the memo that maps the model's objects to their copies (for the call's arguments).
        """
        memo: dict = {}
        twin = copy.copy(self.model)
        for name in ("households", "money", "aid_served"):
            setattr(twin, name, copy.deepcopy(getattr(self.model, name), memo))
        twin.housing = copy.deepcopy(self.housing, memo)
        memo[id(self.model)] = twin  # a bound method of the model among the arguments binds to the copy
        return twin, memo


def run_twinned(model, steps: int | None = None) -> list[Difference]:
    """Run ``model`` for ``steps`` steps (to its horizon by default) with every per-step housing call made twice.

    Returns:
        One ``Difference`` per call, in the order of the calls.
    """
    twins = TwinHousing(model)
    model.housing = twins
    try:
        for _ in range(model.n_steps - model.steps if steps is None else steps):
            model.step()
    finally:
        model.housing = twins.housing
    return twins.differences


def largest_differences(differences: list[Difference]) -> pd.DataFrame:
    """The largest absolute difference per housing method over a run (``run_twinned``'s differences).

    Returns:
        One row per method called: calls, calls outside the tolerance, the largest absolute
        difference, and the step and quantity where it occurred (none where it is 0).
    """
    rows = []
    for method in PER_STEP:
        calls = [d for d in differences if d.method == method]
        if calls:
            worst = max(calls, key=lambda d: d.largest)
            outside = sum(not d.within for d in calls)
            step = worst.step if worst.largest > 0 else None
            rows.append((method, len(calls), outside, worst.largest, step, worst.field))
    columns = ["method", "calls", "outside_tolerance", "largest", "step", "field"]
    return pd.DataFrame(rows, columns=columns).astype({"step": "Int64"}).set_index("method")
