"""Damaged homes: displacement, shelter, money for the repair, and the repair itself.

A flood (or the water of a burst main) damages homes. From ``uninhabitable_from`` on, nobody can
live in a home: its household is displaced, first to emergency lodging it pays for itself, then
to a bonding tie with room (phase 4) or to a temporary home the government arranges after its
delay (phase 6). Before the household can go home the home must dry, the repair must be paid
(savings, an insurance payout after a claim, the compensation scheme, donations) and a
contractor from a regional pool with limited capacity must do the work. Claims, scheme
applications and repairs wait in queues for a limited number of adjusters, assessors and
contractors, so a large event makes the queues long. Equations are in docs/ODD.md (7.7-7.9).

Capacities are given per 1,000 households of the town and stay real numbers: 4.7 assessors work
on four applications at full pace and a fifth at 0.7 of it (``work_through``), so the same rates
give the same shares at any town size. Temporary homes are whole: a town gets the whole part of
its rate, and one more with the probability of the fraction left.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from simulation import dynamics as dyn
from simulation.config import GovernmentConfig, HousingConfig
from simulation.networks import tied_pairs
from simulation.provisions import AT_HOME, EMERGENCY, HOSTED, TEMPORARY
from simulation.state import HouseholdState
from simulation.units import capacity

HOSTING_ROUNDS = 3  # rounds of asking: a household whose first choice is taken asks its next


def first_in_line(waiting: np.ndarray, key: np.ndarray, free: int) -> np.ndarray:
    """The first ``free`` of the ``waiting`` households (indices, ascending) by ``key``, ties by index, in that order.

    Selects without sorting the whole line (which can be long after a large event).
    """
    if free <= 0 or waiting.size == 0:
        return waiting[:0]
    if free < waiting.size:
        keys = key[waiting]
        last = np.partition(keys, free - 1)[free - 1]
        before = waiting[keys < last]
        waiting = np.concatenate((before, waiting[keys == last][: free - before.size]))
    return waiting[np.lexsort((waiting, key[waiting]))]


def work_through(line: np.ndarray, capacity: float, work_left: np.ndarray, day: float, dt: float) -> tuple:
    """Handlers of ``capacity`` work on the jobs of ``line`` (in order) for one step.

    The i-th job in line goes at pace ``min(1, max(0, capacity - i))``: ``floor(capacity)`` jobs
    at full pace and the next at the fraction left (a part-time handler), so the work done a day
    is ``capacity`` whenever that many jobs wait. ``work_left`` (days of work at full pace) falls
    by pace times ``dt``. ``day`` is the day the step began.

    Returns:
        The jobs finished in the step, and the day each finished (within the step).
    """
    served = line[: math.ceil(capacity)]
    pace = np.clip(capacity - np.arange(served.size), 0.0, 1.0)
    left = work_left[served]
    finished = left <= pace * dt
    work_left[served] = np.where(finished, 0.0, left - pace * dt)
    return served[finished], day + left[finished] / pace[finished]


@dataclass
class WayIn:
    """How far each household gets through paperwork and to a contractor, asked for the rows that need it.

    Attributes:
        cultural: every household's cultural capital.
        bridging_knowhow: gives every household's know-how about rules its bridging ties carry
            (asked only when some household needs it).
        reach: how far an initiative reaches it (0 where none does).
        contractor_news: gives, for some households, what their bonding ties tell them of whom
            to call for a repair (asked only for households waiting for a contractor).
        aid: the share of full government aid it obtains (0 where aid does not reach it).
        aid_paperwork: how far a caseworker's help with paperwork (at full aid) opens the way.
    """

    cultural: np.ndarray
    bridging_knowhow: Callable[[], np.ndarray]
    reach: np.ndarray
    contractor_news: Callable[[np.ndarray], np.ndarray]
    aid: np.ndarray
    aid_paperwork: float

    def knowhow(self, rows: np.ndarray) -> np.ndarray:
        """The bridging know-how of the households ``rows``."""
        return self.bridging_knowhow()[rows] if rows.size else np.zeros(0)

    def paperwork(self, rows: np.ndarray) -> np.ndarray:
        """The way through claims and applications: cultural capital, bridging know-how, an initiative's or a caseworker's help."""
        return 1.0 - (
            (1.0 - self.cultural[rows])
            * (1.0 - self.knowhow(rows))
            * (1.0 - self.reach[rows])
            * (1.0 - self.aid_paperwork * self.aid[rows])
        )

    def access(self, rows: np.ndarray) -> np.ndarray:
        """Access to a contractor: bridging know-how, an initiative's help and news from bonding ties."""
        news = self.contractor_news(rows) if rows.size else np.zeros(0)
        return 1.0 - (1.0 - self.knowhow(rows)) * (1.0 - self.reach[rows]) * (1.0 - news)


@dataclass
class Money:
    """Euros that moved in a step, by kind (for measurement)."""

    own: float = 0.0
    insurance: float = 0.0
    scheme: float = 0.0
    donations: float = 0.0
    landlord: float = 0.0
    aid: float = 0.0  # emergency grants and emergency lodging paid back
    lodging: float = 0.0
    temporary_homes: float = 0.0


class Housing:
    """The home pipeline of one town: its capacities, and one method per phase it acts in.

    Args:
        cfg: the housing config.
        government: the government config (temporary homes, the compensation scheme).
        households: the household state.
        rng: the stream that rounds the temporary homes to whole homes.
        outside_on: whether contractors from outside the region can be hired (the ``outside_contractors`` channel).
    """

    def __init__(
        self,
        cfg: HousingConfig,
        government: GovernmentConfig,
        households: HouseholdState,
        rng: np.random.Generator,
        outside_on: bool = True,
    ) -> None:
        self.cfg, self.government = cfg, government
        n = households.n
        self.contractors = capacity(cfg.contractors, n)
        self.adjusters = capacity(cfg.adjusters, n)
        self.assessors = capacity(government.scheme_assessors, n)
        self.outside_contractors = capacity(cfg.outside_contractors, n) if outside_on else 0.0
        homes = capacity(government.temporary_homes, n)
        self.temporary_homes = math.floor(homes) + int(rng.random() < homes - math.floor(homes))
        self.scheme_open_days = 0.0  # days the compensation scheme was open with homes at stake (its assessors at work)
        # What a household can save at most: economic capital squared (the poorest have next to nothing).
        self.savings_eur = cfg.savings_eur * households.economic**2
        self.spell_days: list[np.ndarray] = []  # lengths of the displacement spells that ended, in days

    # ---- phase 1: damage --------------------------------------------------------------------

    def damage(self, h: HouseholdState, hit: np.ndarray, added: np.ndarray, day: float, money: Money) -> None:
        """Add damage ``added`` to the homes of the households ``hit`` (indices); displace whom it makes homeless.

        A repair under way starts again once the home has dried anew. A tenant's landlord pays
        the repair at once; an owner has to find the money.
        """
        cfg = self.cfg
        before = h.home_damage[hit]
        after = 1.0 - (1.0 - before) * (1.0 - added)
        h.home_damage[hit] = after
        added_cost = (after - before) * cfg.repair_cost_eur
        h.repair_cost[hit] += added_cost
        # A tenant's landlord pays for the repair (it has the means and insures its homes).
        tenants = ~h.owner[hit]
        h.funds[hit[tenants]] += added_cost[tenants]
        h.paid_landlord[hit[tenants]] += added_cost[tenants]
        money.landlord += float(added_cost[tenants].sum())
        damaged = hit[after > before]
        h.dry_day[damaged] = day + cfg.drying_days * h.home_damage[damaged]
        h.repair_work_left[damaged] = np.nan
        h.repair_due_day[damaged] = np.nan
        h.outside_contractor[damaged] = False
        homeless = damaged[(h.home_damage[damaged] >= cfg.uninhabitable_from)]
        leaving = homeless[h.displaced[homeless] == AT_HOME]
        h.displaced[leaving] = EMERGENCY
        h.displaced_day[leaving] = day
        h.home_day[leaving] = np.nan
        h.donation_day[homeless] = day + cfg.donation_days
        self.release_guests_of(h, homeless)

    def release_guests_of(self, h: HouseholdState, hosts: np.ndarray) -> None:
        """Guests of these hosts move out, back to emergency lodging."""
        guests = np.flatnonzero((h.displaced == HOSTED) & np.isin(h.host, hosts))
        h.displaced[guests] = EMERGENCY
        h.host[guests] = -1

    # ---- phase 3: own means -----------------------------------------------------------------

    def pay_own(self, h: HouseholdState, dt: float, money: Money, aid: np.ndarray) -> None:
        """Households pay their own part of the repair (or the deposit) from their savings; emergency lodging is paid.

        Their own part is what the insurer or the scheme will not pay; the deposit is what a
        contractor asks before starting. What comes in later beyond the cost goes back to savings
        when the repair is done. An insurer pays the emergency lodging of the insured; government
        aid pays that of the uninsured as far as it served them in the last step (``aid``: the
        share of full aid each obtained); they pay the rest from their savings, as far as these go.
        """
        cfg, gov = self.cfg, self.government
        lodging = np.flatnonzero(h.displaced == EMERGENCY)
        money.lodging += lodging.size * cfg.emergency_eur_per_day * dt
        own_lodging = lodging[~h.insured[lodging]]
        by_aid = aid[own_lodging] * cfg.emergency_eur_per_day * dt
        h.paid_aid[own_lodging] += by_aid
        money.aid += float(by_aid.sum())
        spend = np.minimum(
            cfg.emergency_eur_per_day * dt - by_aid, self.savings_eur[own_lodging] * h.buffer[own_lodging]
        )
        h.buffer[own_lodging] -= dyn.divide_or_zero(spend, self.savings_eur[own_lodging])
        h.spent_lodging[own_lodging] += spend

        open_ = np.flatnonzero(h.repair_cost > h.funds)
        cost = h.repair_cost[open_]
        expected = np.where(
            h.insured[open_],
            cfg.insurance_payout_share * (cost - h.claim_cost[open_]),
            gov.scheme_coverage * (cost - h.scheme_cost[open_]),
        )
        needed = np.maximum(cost - expected, cfg.deposit_share * cost) - h.funds[open_]
        pay = np.clip(np.minimum(needed, self.savings_eur[open_] * h.buffer[open_]), 0.0, None)
        h.buffer[open_] -= dyn.divide_or_zero(pay, self.savings_eur[open_])
        h.funds[open_] += pay
        h.paid_own[open_] += pay
        money.own += float(pay.sum())

    # ---- phase 4: shelter with bonding ties -----------------------------------------------------

    def find_hosts(self, h: HouseholdState, bonding: sp.csr_array, hosting_limit: float) -> None:
        """Guests of tired or displaced hosts leave; households in emergency lodging ask their bonding ties.

        A host has room, lives at home, hosts nobody yet and is below its strain limit. Each
        household asks its eligible tie with the most economic capital (the largest home); a
        host asked by several takes the first; those turned down ask their next choice, for a few
        rounds.
        """
        guests = np.flatnonzero(h.displaced == HOSTED)
        leave = guests[(h.strain[h.host[guests]] >= hosting_limit) | (h.displaced[h.host[guests]] != AT_HOME)]
        h.displaced[leave] = EMERGENCY
        h.host[leave] = -1

        seeking = h.displaced == EMERGENCY
        hosting = np.zeros(h.n, dtype=bool)
        hosting[h.host[h.host >= 0]] = True
        eligible = h.has_room & (h.displaced == AT_HOME) & (h.strain < hosting_limit) & ~hosting
        if not seeking.any() or not eligible.any():
            return
        seeker, host = tied_pairs(bonding, seeking, eligible)  # the pairs a bonding tie joins
        for _ in range(HOSTING_ROUNDS):
            candidate = np.flatnonzero(seeking[seeker] & eligible[host])
            if candidate.size == 0:
                return
            # Each seeker's first choice: its eligible tie with the most economic capital.
            candidate = candidate[np.lexsort((-h.economic[host[candidate]], seeker[candidate]))]
            first_choice = candidate[np.r_[True, seeker[candidate][1:] != seeker[candidate][:-1]]]
            chosen, first = np.unique(host[first_choice], return_index=True)  # a host takes the first who asks
            guests = seeker[first_choice][first]
            h.displaced[guests] = HOSTED
            h.host[guests] = chosen
            eligible[chosen] = False
            seeking[guests] = False

    # ---- phase 6: temporary homes, insurance, the compensation scheme, donations ------------------------

    def house_temporarily(
        self, h: HouseholdState, open_: bool, receptivity: float, way_in: WayIn, dt: float, money: Money
    ) -> None:
        """Once the government's temporary homes are open, it moves households out of emergency lodging.

        Homes go first to those with the highest priority while any are free: by need (little
        money left) as far as the government is receptive, by who applies first (the way through
        paperwork) as far as it waits for applications. Each costs a daily rent.
        """
        if open_:
            waiting = np.flatnonzero(h.displaced == EMERGENCY)
            money_left = h.economic[waiting] * h.buffer[waiting]
            priority = np.zeros(h.n)
            priority[waiting] = receptivity * (1.0 - money_left) + (1.0 - receptivity) * way_in.paperwork(waiting)
            free = self.temporary_homes - int(np.count_nonzero(h.displaced == TEMPORARY))
            moving = first_in_line(waiting, -priority, free)
            h.displaced[moving] = TEMPORARY
        money.temporary_homes += (
            np.count_nonzero(h.displaced == TEMPORARY) * self.government.temporary_home_eur_per_day * dt
        )

    def settle_claims(
        self, h: HouseholdState, open_: np.ndarray, day: float, dt: float, way_in: WayIn, money: Money
    ) -> tuple[int, int]:
        """Insured owners file claims; adjusters settle them in order; the insurer pays its share of the cost.

        Args:
            open_: the households with a repair still open (every claim is among them).

        Returns:
            The number of claims filed in the step, and the number settled.
        """
        cfg = self.cfg
        settled, filed, _ = self.apply(
            h,
            "claim",
            open_[h.owner[open_] & h.insured[open_]],
            open_,
            day,
            dt,
            way_in,
            handlers=self.adjusters,
            handling_days=lambda rows: (
                cfg.claim_handling_days
                * np.maximum((h.repair_cost[rows] - h.claim_cost[rows]) / cfg.repair_cost_eur, 0.25)
            ),
            waiting_days=0.0,
        )
        payout = cfg.insurance_payout_share * (h.repair_cost[settled] - h.claim_cost[settled])
        self.settle(h, "claim", settled, payout, day, h.paid_insurance)
        money.insurance += float(payout.sum())
        return filed, int(settled.size)

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
        """Once the scheme is open, uninsured owners apply; assessors decide in order; the scheme pays its share.

        An application goes through the municipality, which registers the damage and refers it to
        the scheme: it reaches the scheme's desk ``referral_days`` after it was filed.

        Args:
            open_: the households with a repair still open (every application is among them).
            referral_days: how long the municipality's referral to the scheme takes.

        Returns:
            The number of applications filed in the step, the households paid in it and the
            number of applications decided in it.
        """
        gov = self.government
        self.scheme_open_days += dt if opened else 0.0
        paid, filed, decided = self.apply(
            h,
            "scheme",
            open_[h.owner[open_] & ~h.insured[open_]] if opened else open_[:0],
            open_,
            day,
            dt,
            way_in,
            handlers=self.assessors,
            handling_days=lambda rows: np.full(rows.size, gov.scheme_assessment_days),
            waiting_days=gov.scheme_payment_days,
            arrival_days=referral_days,
        )
        payout = gov.scheme_coverage * (h.repair_cost[paid] - h.scheme_cost[paid])
        self.settle(h, "scheme", paid, payout, day, h.paid_scheme)
        money.scheme += float(payout.sum())
        return filed, paid, decided

    def apply(
        self,
        h: HouseholdState,
        kind: str,
        eligible: np.ndarray,
        open_: np.ndarray,
        day: float,
        dt: float,
        way_in: WayIn,
        handlers: float,
        handling_days: Callable[[np.ndarray], np.ndarray],
        waiting_days: float,
        arrival_days: float = 0.0,
    ) -> tuple[np.ndarray, int, int]:
        """One step of an application process (``kind``: "claim" or "scheme").

        The eligible households whose cost is not yet covered file, as fast as their way through
        paperwork allows (``claim_filing_days`` with a full way in). A filed application reaches
        the handlers' desk ``arrival_days`` later (``KIND_filed_day`` is that day); there it waits
        in order of arrival for ``handlers`` handlers, who need ``handling_days(rows)`` of work
        each (``work_through``); the payment follows ``waiting_days`` after the work is done.
        Fields used: ``KIND_progress``, ``KIND_filed_day``, ``KIND_work_left``, ``KIND_due_day``
        (handled, to be paid that day), ``KIND_cost`` (cost already covered).

        Returns:
            The households due to be paid, how many filed in the step and how many were handled in it.
        """
        progress, filed, work, due = (
            getattr(h, f"{kind}_{name}") for name in ("progress", "filed_day", "work_left", "due_day")
        )
        covered = getattr(h, f"{kind}_cost")
        filing = eligible[(h.repair_cost[eligible] > covered[eligible]) & np.isnan(filed[eligible])]
        progress[filing] = np.minimum(
            progress[filing] + dt * way_in.paperwork(filing) / self.cfg.claim_filing_days, 1.0
        )
        newly_filed = filing[progress[filing] >= 1.0]
        filed[newly_filed] = day + arrival_days

        waiting = open_[(filed[open_] <= day) & np.isnan(due[open_])]
        line = first_in_line(waiting, filed, math.ceil(handlers))
        begun = line[np.isnan(work[line])]
        work[begun] = handling_days(begun)
        step_began = day - dt
        handled, finished_day = work_through(line, handlers, work, step_began, dt)
        due[handled] = finished_day + waiting_days
        return open_[due[open_] <= day], int(newly_filed.size), int(handled.size)

    def settle(
        self, h: HouseholdState, kind: str, rows: np.ndarray, payout: np.ndarray, day: float, paid: np.ndarray
    ) -> None:
        """Pay ``payout`` to ``rows`` towards their repair; their application of ``kind`` is closed."""
        h.funds[rows] += payout
        paid[rows] += payout
        getattr(h, f"{kind}_cost")[rows] = h.repair_cost[rows]
        getattr(h, f"{kind}_settled_day")[rows] = day
        getattr(h, f"{kind}_progress")[rows] = 0.0
        for name in ("filed_day", "work_left", "due_day"):
            getattr(h, f"{kind}_{name}")[rows] = np.nan

    def pay_aid_grants(
        self, h: HouseholdState, served: np.ndarray, share: np.ndarray, day: float, money: Money
    ) -> None:
        """Aid pays an emergency grant to the households ``served`` (as far as they obtain it: ``share``), once per spell.

        The grant goes towards the repair where one waits for money, else into savings (up to
        what the household had at the start).
        """
        # hit, and never paid (NaN) or paid for an earlier spell
        new_spell = ~np.isnan(h.shock_day[served]) & ~(h.aid_cash_day[served] >= h.shock_day[served])
        granted, cash = served[new_spell], self.government.aid_cash_eur * share[new_spell]
        granted, cash = granted[cash > 0], cash[cash > 0]
        repairing = h.repair_cost[granted] > h.funds[granted]
        h.funds[granted[repairing]] += cash[repairing]
        saving = granted[~repairing]
        topped_up = h.buffer[saving] + dyn.divide_or_zero(cash[~repairing], self.savings_eur[saving])
        h.buffer[saving] = np.minimum(topped_up, 1.0)
        h.aid_cash_day[granted] = day
        h.paid_aid[granted] += cash
        money.aid += float(cash.sum())

    def pay_donations(self, h: HouseholdState, day: float, way_in: WayIn, money: Money) -> None:
        """Donations reach made-homeless households that apply, as far as their way in takes them."""
        due = np.flatnonzero(h.donation_day <= day)
        amount = self.cfg.donation_eur * way_in.paperwork(due)
        h.funds[due] += amount
        h.paid_donations[due] += amount
        h.donation_day[due] = np.nan
        money.donations += float(amount.sum())

    # ---- phase 7: repair and coming home -------------------------------------------------------------

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
        """Contractors take dry homes whose households have the deposit; finished, paid homes are lived in again.

        Two finite pools: the region's contractors, and contractors from outside the region, who
        charge a premium (``outside_premium`` of the cost, paid by the household). Both queues
        are in order of the day a home was ready, less a head start for households with access
        (know-how from bridging ties, an initiative's help, news from bonding ties). While they
        wait, households search beyond the region through their bridging ties (their know-how);
        one that has found an outside contractor, and has its premium in hand besides the
        deposit, takes the next free place of that pool, else stays in the region's queue. A finished repair needs the full cost in hand; until then
        the household waits. What is left over goes back to savings.

        Args:
            open_: the households with a repair still to pay.

        Returns:
            The households that came home in the step.
        """
        cfg = self.cfg
        at_work = open_[h.repair_work_left[open_] > 0]
        from_outside = h.outside_contractor[at_work]
        ready = open_[
            (h.dry_day[open_] <= day)
            & np.isnan(h.repair_work_left[open_])
            & (h.funds[open_] >= cfg.deposit_share * h.repair_cost[open_])
        ]
        key = np.zeros(h.n)
        key[ready] = h.dry_day[ready] - head_start_days * way_in.access(ready)
        outside = ready[:0]
        if self.outside_contractors > 0:
            progress = h.search_progress[ready] + dt * cfg.outside_contractor_rate * way_in.knowhow(ready)
            h.search_progress[ready] = np.minimum(progress, 1.0)
            # found one, and can pay its premium on top of the deposit
            found = ready[h.search_progress[ready] >= 1.0]
            found = found[h.funds[found] >= (cfg.deposit_share + cfg.outside_premium) * h.repair_cost[found]]
            outside = self.start_repairs(h, at_work[from_outside], found, key, self.outside_contractors, day, dt)
            self.charge_premium(h, outside, money)
        waiting = np.setdiff1d(ready, outside, assume_unique=True)
        self.start_repairs(h, at_work[~from_outside], waiting, key, self.contractors, day, dt)

        done = open_[(h.repair_due_day[open_] <= day) & (h.funds[open_] >= h.repair_cost[open_])]
        return self.close(h, done, h.funds[done] - h.repair_cost[done], day)

    def start_repairs(
        self,
        h: HouseholdState,
        at_work: np.ndarray,
        waiting: np.ndarray,
        key: np.ndarray,
        crews: float,
        day: float,
        dt: float,
    ) -> np.ndarray:
        """A pool of ``crews`` contractors works one step: on the homes ``at_work``, then the ``waiting`` by ``key``.

        Homes at work keep their place (in order of the day they dried); the free places go to
        the first waiting homes. A finished home gets its ``repair_due_day``.

        Returns:
            The homes the pool began on in the step.
        """
        at_work = at_work[np.lexsort((at_work, h.dry_day[at_work]))]
        begun = first_in_line(waiting, key, math.ceil(crews) - at_work.size)
        h.repair_work_left[begun] = self.cfg.repair_days * h.home_damage[begun]
        at_work_now = np.concatenate((at_work, begun))
        step_began = day - dt
        finished, finished_day = work_through(at_work_now, crews, h.repair_work_left, step_began, dt)
        h.repair_due_day[finished] = finished_day
        return begun

    def charge_premium(self, h: HouseholdState, hired: np.ndarray, money: Money) -> None:
        """The households ``hired`` take a contractor from outside the region: its premium adds to their cost.

        Neither the insurer nor the scheme pays it (it counts as cost their claims and
        applications already cover): an owner pays it, a tenant's landlord pays it at once.
        """
        premium = self.cfg.outside_premium * h.repair_cost[hired]
        h.outside_contractor[hired] = True
        for name in ("repair_cost", "claim_cost", "scheme_cost"):
            getattr(h, name)[hired] += premium
        tenants = ~h.owner[hired]
        h.funds[hired[tenants]] += premium[tenants]
        h.paid_landlord[hired[tenants]] += premium[tenants]
        money.landlord += float(premium[tenants].sum())

    def rehouse(self, h: HouseholdState, households: np.ndarray, day: float) -> np.ndarray:
        """These households get new or rebuilt homes: no repair is owed any more, and the displaced come home.

        Money they held for a repair goes back to their savings.
        """
        return self.close(h, households, h.funds[households].copy(), day)

    def close(self, h: HouseholdState, done: np.ndarray, left_over: np.ndarray, day: float) -> np.ndarray:
        """Close the repairs of ``done``: ``left_over`` goes back to savings; the displaced among them come home.

        Returns:
            The households that came home.
        """
        h.buffer[done] = np.minimum(h.buffer[done] + dyn.divide_or_zero(left_over, self.savings_eur[done]), 1.0)
        for name in ("home_damage", "repair_cost", "funds", "claim_cost", "scheme_cost", "search_progress"):
            getattr(h, name)[done] = 0.0
        h.outside_contractor[done] = False
        for name in (
            "repair_work_left",
            "repair_due_day",
            "dry_day",
            "claim_filed_day",
            "claim_work_left",
            "claim_due_day",
            "scheme_filed_day",
            "scheme_work_left",
            "scheme_due_day",
        ):
            getattr(h, name)[done] = np.nan
        h.claim_progress[done] = 0.0
        h.scheme_progress[done] = 0.0
        coming_home = done[h.displaced[done] != AT_HOME]
        self.spell_days.append(day - h.displaced_day[coming_home])
        h.displaced[coming_home] = AT_HOME
        h.host[coming_home] = -1
        h.home_day[coming_home] = day
        return coming_home
