"""The household of the reference engine: its own part of each phase of a step, in plain code over scalars.

Each method is one household's part of a rule of docs/ODD.md (section numbers in the docstrings).
The engine (``simulation.reference.engine``) runs a method for every household in index order
through ``AgentSet.do``; the method reads the step's snapshot in ``work``, writes its own row of
the state, and adds what it reports to the step's tallies. A sum over a household's ties is a
loop over its row of a tie matrix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import mesa
import numpy as np
import scipy.sparse as sp

from agents import Household
from simulation import dynamics as dyn
from simulation import relations as rel
from simulation.provisions import AT_HOME, EMERGENCY

if TYPE_CHECKING:
    from simulation.step import StepWork


class Roll:
    """Who reported what in the snapshot of a step, in index order, and per neighbourhood."""

    def __init__(self, neighbourhoods: int) -> None:
        self.needy: list[int] = []
        self.need_of_needy: list[float] = []
        self.harmed: list[int] = []
        self.open_repairs: list[int] = []
        self.away: list[int] = []  # displaced households
        self.needy_count = np.zeros(neighbourhoods)
        self.spare = np.zeros(neighbourhoods)  # summed spare capacity


class ReferenceEngine(Protocol):
    """What a household reads of the engine that steps it (``simulation.reference.engine.ReferenceEngine``)."""

    roll: Roll
    knowhow: np.ndarray
    bridging_in_use: np.ndarray

    def is_needy(self, index: int) -> bool:
        """Whether household ``index`` is needy in the current step."""
        ...


class ReferenceHousehold(Household):
    """A household that computes its own part of each phase (``engine=reference``).

    Attributes:
        needy_at: its position among the needy of the step (None if it is not needy).
        harmed_at: its position among the harmed of the step (None without harm).
        tie_strength: the summed weight of its ties (bonding and bridging), fixed for the run.
        bonding_strength: the summed weight of its bonding ties.
        moves: how far the encounters of the step move its attitude, in the order they came.
    """

    def __init__(self, model: mesa.Model, index: int) -> None:
        super().__init__(model, index)
        self.needy_at: int | None = None
        self.harmed_at: int | None = None
        self.tie_strength = self.bonding_strength = 0.0
        self.moves: list[float] = []

    # ---- ties ---------------------------------------------------------------------------------

    def ties_in(self, matrix: sp.csr_array, weights: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Its ties in ``matrix``: the household at the other end and the tie's weight, in the row's order.

        Args:
            matrix: a household x household tie matrix (CSR).
            weights: weights to use instead of the matrix's own, aligned with its stored entries.
        """
        start, end = matrix.indptr[self.index], matrix.indptr[self.index + 1]
        data = matrix.data if weights is None else weights
        return list(zip(matrix.indices[start:end].tolist(), data[start:end].tolist(), strict=True))

    def weigh_ties(self) -> None:
        """The summed weight of its bonding ties, and of all its ties (5.4)."""
        networks = self.model.networks
        self.bonding_strength = sum(weight for _, weight in self.ties_in(networks.bonding))
        self.tie_strength = self.bonding_strength + sum(weight for _, weight in self.ties_in(networks.bridging))

    @property
    def needy(self) -> bool:
        """Whether it is below the recovery threshold in this step."""
        return self.needy_at is not None

    # ---- snapshot (7.3) -------------------------------------------------------------------------

    def read_own_state(self, work: StepWork, engine: ReferenceEngine) -> None:
        """Its need, whether it lacks a provision, its offer to others; it reports itself needy, harmed, away."""
        d, now, roll, i = self.model.cfg.dynamics, work.now, engine.roll, self.index
        need = 1.0 - self.functioning
        if self.strain > 0:  # need counts what the crisis took, not what strain costs (7.2)
            strain_cost = d.strain_weight * (self.strain * self.strain)  # (x * x: numpy's square, not pow's)
            need = 1.0 - self.functioning / (1.0 - strain_cost)
        now.need[i] = need
        now.lacks[i] = self.lacks_provision(self.model.day)
        spare = dyn.spare_capacity(self.functioning, self.stress, d.spare_from) * self.time_left
        now.offer[i] = spare * ((self.economic + self.cultural + self.personal) / 3.0)  # times its resources
        roll.spare[self.neighbourhood] += spare
        self.needy_at = self.harmed_at = None
        if need > 1.0 - d.recovery_threshold:
            self.needy_at = len(roll.needy)
            roll.needy.append(i)
            roll.need_of_needy.append(need)
            roll.needy_count[self.neighbourhood] += 1
            now.neighbourhood_need[self.neighbourhood] += need
        if self.harm > 0:
            self.harmed_at = len(roll.harmed)
            roll.harmed.append(i)
        if self.repair_cost > 0:
            roll.open_repairs.append(i)
        if self.displaced != AT_HOME:
            roll.away.append(i)

    def lacks_provision(self, day: float) -> bool:
        """Whether it lacks tap water, its home or its care on ``day``, whatever stands in (7.2)."""
        without_water = self.water_back_day > day
        away = self.displaced != AT_HOME
        without_care = self.care_dependent and (self.care_back_day > day or self.displaced == EMERGENCY)
        return without_water or away or without_care

    def weigh_bridging(self, engine: ReferenceEngine) -> None:
        """Its bridging ties' weights in use, from the attitudes at the start of the step; the know-how they carry (7.18.4)."""
        model = self.model
        bridging, tolerance = model.networks.bridging, model.cfg.polarisation.tolerance
        h = model.households
        start = bridging.indptr[self.index]
        carried = 0.0
        for entry, (other, weight) in enumerate(self.ties_in(bridging), start):
            distance = abs(self.attitude - h.attitude[other])
            willing = min(max(1.0 - (distance - tolerance) / max(1.0 - tolerance, 1e-9), 0.0), 1.0)
            engine.bridging_in_use[entry] = weight * willing
            carried += weight * willing * h.cultural[other]
        engine.knowhow[self.index] = dyn.saturating(carried) if model.cfg.channels.on("bridging_knowhow") else 0.0

    def read_claims(self, work: StepWork, engine: ReferenceEngine) -> None:
        """All the need that claims its offer, and its offer per claimed need (7.3)."""
        model, now, i = self.model, work.now, self.index
        claim = 0.0
        if self.initiative >= 0:  # like one tie to a household in the mean need of the neighbourhood's needy
            needy_count = engine.roll.needy_count[self.initiative]
            mean_need = now.neighbourhood_need[self.initiative] / needy_count if needy_count else 0.0
            claim = model.cfg.dynamics.initiative_commitment * mean_need
        ties_need = self.needy_ties_need(model.networks.bridging, engine, now.need, engine.bridging_in_use)
        if model.cfg.channels.on("bonding_support"):
            ties_need += self.needy_ties_need(model.networks.bonding, engine, now.need)
        now.initiative_claim[i] = claim
        now.claimed[i] = claimed = ties_need + claim
        now.offer_per_need[i] = min(now.offer[i] / claimed, 1.0) if claimed > 0 else 0.0

    def needy_ties_need(
        self, matrix: sp.csr_array, engine: ReferenceEngine, need: np.ndarray, weights: np.ndarray | None = None
    ) -> float:
        """The summed need of its needy ties in ``matrix``, weighted by tie weight (``weights``, if given)."""
        return sum(weight * need[other] for other, weight in self.ties_in(matrix, weights) if engine.is_needy(other))

    def look_at_ties(self, work: StepWork) -> None:
        """The summed preparedness of its ties, weighted; and their trust where the relations move (7.11.5, 7.17.2)."""
        now, h = work.now, self.model.households
        ties = self.ties_in(self.model.ties)
        now.ties_measures[self.index] = sum(weight * h.preparedness[other] for other, weight in ties)
        if now.ties_trust is not None:
            now.ties_trust[self.index] = sum(weight * h.trust[other] for other, weight in ties)

    # ---- 2. perception (7.4) ----------------------------------------------------------------------

    def perceive(self, work: StepWork) -> None:
        """Its fear at the end of the step: for what it lacks, and what its ties report lacking, eased by trust."""
        d, now = self.model.cfg.dynamics, work.now
        lacking_ties = sum(weight for other, weight in self.ties_in(self.model.ties) if now.lacks[other])
        reported = lacking_ties / self.tie_strength if self.tie_strength > 0 else 0.0
        target = dyn.fear_target(now.lacks[self.index], reported, self.trust, d.rumour_weight, d.trust_reassurance)
        work.fear[self.index] = dyn.relax(self.fear, target, d.fear_rate, self.model.dt)

    # ---- 3. own means (7.5.1) -----------------------------------------------------------------------

    def recover_by_own_means(self, work: StepWork) -> None:
        """Its own rate of recovery from harm, from its capital and its savings after this step's payments."""
        if self.harmed_at is None:
            return
        d = self.model.cfg.dynamics
        savings = self.economic * self.buffer
        work.own_rate[self.harmed_at] = dyn.self_recovery_rate(
            d.self_recovery_rate, self.economic, self.personal, savings, self.stress, d.stress_slowdown
        )

    # ---- 4. support (7.5.2) -------------------------------------------------------------------------

    def receive_support(self, work: StepWork, engine: ReferenceEngine) -> None:
        """What its bonding and bridging ties give it, as far as their offers go; practical help and stress relief."""
        if not self.needy:
            return
        model, help_, at = self.model, work.help, self.needy_at
        d, need, share = model.cfg.dynamics, work.now.need[self.index], work.now.offer_per_need
        bonding = 0.0
        if model.cfg.channels.on("bonding_support"):
            bonding = need * sum(weight * share[other] for other, weight in self.ties_in(model.networks.bonding))
        bridging_ties = self.ties_in(model.networks.bridging, engine.bridging_in_use)
        bridging = need * sum(weight * share[other] for other, weight in bridging_ties)
        received = bonding + bridging
        rate_per_support = d.support_rate * dyn.saturating(received) / received if received > 0 else 0.0
        help_.rates["bonding"][at] = rate_per_support * bonding
        help_.rates["bridging"][at] = rate_per_support * bridging
        help_.bonding_help[at] = bonding_help = dyn.saturating(bonding)
        help_.stress_relief[at] = d.stress_relief_rate * bonding_help

    # ---- 5. collective action (7.6) -----------------------------------------------------------------

    def give_to_initiative(self, work: StepWork, pool: np.ndarray) -> None:
        """A member gives its initiative the part of its offer the initiative claims (into ``pool``, per neighbourhood)."""
        if self.initiative >= 0:
            now = work.now
            pool[self.initiative] += now.offer_per_need[self.index] * now.initiative_claim[self.index]

    def make_itself_known(self, work: StepWork, known_need: np.ndarray) -> None:
        """A needy household is known to initiatives if it is a member of one, or has a tie to a member of one.

        Its need then counts in its neighbourhood's ``known_need``.
        """
        if not self.needy:
            return
        h = self.model.households
        tied_to_member = any(weight > 0 and h.initiative[other] >= 0 for other, weight in self.ties_in(self.model.ties))
        known = self.initiative >= 0 or tied_to_member
        work.help.known[self.needy_at] = known
        if known:
            known_need[self.neighbourhood] += work.now.need[self.index]

    def be_reached(self, work: StepWork, open_per_need: np.ndarray, closed_per_need: np.ndarray) -> None:
        """How far its neighbourhood's initiative reaches it: the open share, and the closed share if it is known."""
        if not self.needy:
            return
        help_, at, n = work.help, self.needy_at, self.neighbourhood
        per_need = open_per_need[n] + help_.known[at] * closed_per_need[n]
        help_.reach[at] = reach = dyn.saturating(work.now.need[self.index] * per_need)
        help_.rates["initiative"][at] = self.model.cfg.dynamics.initiative_rate * reach

    def joining_chance(self) -> float:
        """Its chance to join a new initiative: social capital, more if above and together with the government (7.6)."""
        w = self.model.cfg.dynamics.stance_joining_weight
        return min(max(self.social * (1.0 + w * self.dominance) * (1.0 + w * self.affiliation), 0.0), 1.0)

    # ---- 6. aid (7.10, 7.18.5) -------------------------------------------------------------------------

    def apply_for_aid(self, work: StepWork, engine: ReferenceEngine, uptake: np.ndarray) -> None:
        """A needy household takes up aid through trust and a way in (a collaborating initiative's reach counts)."""
        if not self.needy:
            return
        model = self.model
        initiative = model.initiatives.active.get(self.neighbourhood)
        access = work.help.reach[self.needy_at] if initiative is not None and initiative.collaborates else 0.0
        uptake[self.needy_at] = dyn.aid_uptake(
            self.trust, self.cultural, engine.knowhow[self.index], access, model.government.receptivity
        )

    def obtain_aid(self, work: StepWork, uptake: np.ndarray, share_met: float, classes: np.ndarray) -> None:
        """The aid it obtains (its uptake, rationed) and the recovery rate it brings; it reports both, and its attitude, for its class."""
        if not self.needy:
            return
        help_, at = work.help, self.needy_at
        help_.aid_obtained[at] = obtained = uptake[at] * share_met
        help_.rates["aid"][at] = self.model.cfg.dynamics.aid_rate * obtained
        self.model.aid_served[self.index] = obtained
        classes[:, self.household_class] += (1.0, obtained, self.attitude)

    def feel_injustice(self, work: StepWork, classes: np.ndarray) -> None:
        """How much more aid the needy of other classes obtained than it did, times how far its attitude lies from theirs.

        Args:
            classes: per class (columns), the number of needy, the aid they obtained, their summed attitude (rows).
        """
        if not self.needy:
            return
        count, aid, attitude = classes
        own_class = self.household_class
        others = max(count.sum() - count[own_class], 1.0)
        others_aid = (aid.sum() - aid[own_class]) / others
        others_attitude = (attitude.sum() - attitude[own_class]) / others
        obtained = work.help.aid_obtained[self.needy_at]
        work.help.injustice[self.needy_at] = max(others_aid - obtained, 0.0) * abs(self.attitude - others_attitude)

    def contractor_news(self) -> float:
        """What its bonding ties tell it of whom to call for a repair: the weighted share of them with a contractor at work (7.9)."""
        h = self.model.households
        working = sum(
            weight for other, weight in self.ties_in(self.model.networks.bonding) if h.repair_work_left[other] > 0
        )
        told = working / self.bonding_strength if self.bonding_strength > 0 else 0.0
        return self.model.cfg.dynamics.news_weight * told

    # ---- 7. update (7.11) ----------------------------------------------------------------------------

    def recover(self, work: StepWork) -> None:
        """Its harm after all channels together; what each channel restored, in proportion to its rate (7.11.1)."""
        if self.harmed_at is None and not self.needy:
            return
        help_rates, gains = work.help.rates, work.gains
        own_rate = work.own_rate[self.harmed_at] if self.harmed_at is not None else 0.0
        help_rate = sum(rates[self.needy_at] for rates in help_rates.values()) if self.needy else 0.0
        total = own_rate + help_rate
        per_rate = 0.0
        if self.harmed_at is not None:
            harm = self.harm
            restored = harm * dyn.closed_fraction(total, self.model.dt)
            if harm - restored < dyn.NEGLIGIBLE:  # what would be left this small heals too
                restored = harm
            self.harm = harm - restored
            per_rate = restored / total if total > 0 else 0.0
            gains["self"][self.harmed_at] = gained = per_rate * own_rate
            self.gain_self += gained
        if self.needy:
            for channel, rates in help_rates.items():
                gains[channel][self.needy_at] = gained = per_rate * rates[self.needy_at]
                setattr(self, f"gain_{channel}", getattr(self, f"gain_{channel}") + gained)

    def stand_in(self, work: StepWork) -> None:
        """What stands in for its missing water and care from now on: its stock, ties, initiatives, water points, care services (7.11.2)."""
        if not self.needy:
            self.water_cover = self.care_cover = 0.0
            return
        model, help_, at = self.model, work.help, self.needy_at
        receptivity = model.government.receptivity
        points = 0.0
        if model.crisis.water_points_day <= model.day:  # fetched, or brought by a receptive government
            points = 1.0 - (1.0 - receptivity) * (1.0 - self.personal)
        others = (1.0 - help_.bonding_help[at]) * (1.0 - help_.reach[at])
        water = 1.0 - (1.0 - self.preparedness) * others * (1.0 - points)
        self.water_cover = model.cfg.dynamics.bottled_water_cover * water
        self.care_cover = 1.0 - others * (1.0 - receptivity * model.aid_flows)

    def update_wellbeing(self, work: StepWork, hosts: set[int]) -> None:
        """Its stress, fear, days hosting, help given, time for helping, strain and savings (7.11.3, 7.11.4).

        Args:
            hosts: the households that have a guest.
        """
        model, now, i = self.model, work.now, self.index
        d, dt = model.cfg.dynamics, model.dt
        work.given[i] = given = now.offer_per_need[i] * now.claimed[i]
        relief = work.help.stress_relief[self.needy_at] if self.needy else 0.0
        stress_target = max(now.need[i], self.fear) * (1.0 - d.personal_buffering * self.personal)
        # (stress_step writes into a copy of the stress it is given, so it takes an array)
        self.stress = dyn.stress_step(np.asarray(self.stress), stress_target, d.stress_rate, relief, dt)
        self.fear = work.fear[i]
        hosting = i in hosts
        if hosting:
            self.days_hosting += dt
        if given > 0:
            self.help_given += given * dt
        if self.time_left < 1.0 or given > 0:  # helping spends time, which rest brings back
            self.time_left = dyn.time_step(self.time_left, given, d.help_days, d.time_refill_rate, dt)
        if self.strain > 0 or given > 0 or hosting:
            gain = d.helping_strain_rate * given + d.hosting_strain_rate * hosting
            self.strain = dyn.strain_step(self.strain, gain, d.strain_recovery_rate, dt)
        if self.buffer < 1.0:
            self.buffer = dyn.settle(dyn.relax(self.buffer, 1.0, d.saving_rate, dt), 1.0)

    # ---- 7. relations (7.17, 7.18) ------------------------------------------------------------------

    def feel_treatment(self, work: StepWork, felt: np.ndarray, timely: np.ndarray) -> None:
        """A needy household's experience of the government in an event: its stance, timeliness, injustice, bureaucracy (7.17.1)."""
        if not self.needy:
            return
        model, help_, at = self.model, work.help, self.needy_at
        d, gov = model.cfg.dynamics, model.government
        if model.aid_flows:
            timeliness = help_.aid_obtained[at]
        else:
            timeliness = -1.0 if model.day - gov.event_start_day > d.expected_wait_days else 0.0
        if self.displaced != AT_HOME and model.day - self.displaced_day > d.expected_home_days:
            timeliness = -1.0  # away from home longer than expected: an outcome that fails the promise
        procedural = (gov.affiliation - gov.dominance) / 2.0
        experience = rel.experience(procedural, timeliness, help_.injustice[at], d.injustice_weight)
        if not np.isnan(self.scheme_filed_day):  # entangled in the scheme's procedure
            experience = max(experience - d.entangled_weight * model.scheme.bureaucracy, -1.0)
        felt[at], timely[at] = experience, timeliness

    def seen(self, near: np.ndarray, town: float) -> float:
        """Its vicarious experience: what those in contact felt in its neighbourhood (per resident) and, in media, in the town.

        Args:
            near: per neighbourhood, the summed experience of those in contact there.
            town: their summed experience in the whole town.
        """
        model, cfg = self.model, self.model.cfg.polarisation
        in_neighbourhood = near[self.neighbourhood] / max(model.neighbourhood_size[self.neighbourhood], 1)
        in_town = town / model.households.n
        shown = min(max(in_town * (1.0 + cfg.media_distortion) if in_town < 0 else in_town, -1.0), 1.0)
        weight, media = model.cfg.dynamics.vicarious_weight, cfg.media_exposure
        return ((1.0 - media) * in_neighbourhood + media * shown) * weight

    def take_in(self, experience: float, days: float) -> None:
        """Add an experience of the government, lasting ``days``, to its good or bad days."""
        model = self.model
        model.good_days[self.index] += max(experience, 0.0) * days
        model.bad_days[self.index] += max(-experience, 0.0) * days

    def take_in_treatment(self, felt: np.ndarray, near: np.ndarray, town: float) -> None:
        """Its experience of the step: its own if needy, else what it saw of the needy around it."""
        experience = felt[self.needy_at] if self.needy else self.seen(near, town)
        self.take_in(experience, self.model.dt)

    def take_in_payments(self, paid: set[int], gap: float, near: np.ndarray, town: float) -> None:
        """A payment of the scheme against its promise: felt by those paid, seen by the others, for ``promise_days``."""
        experience = gap if self.index in paid else self.seen(near, town)
        self.take_in(experience, self.model.cfg.dynamics.promise_days)

    def move_trust(self, work: StepWork, days: float) -> None:
        """Its trust after ``days``: experience, fading to its baseline, its ties' pull; then its baseline (7.17.2)."""
        model, d, i = self.model, self.model.cfg.dynamics, self.index
        trust = self.trust
        good, bad = model.good_days[i], model.bad_days[i]
        if good > 0 or bad > 0:
            trust += (1.0 - trust) * dyn.closed_fraction(d.trust_gain_rate * good, 1.0)
            trust -= trust * dyn.closed_fraction(d.trust_loss_rate * bad, 1.0)
            model.good_days[i] = model.bad_days[i] = 0.0
        trust = dyn.relax(trust, self.trust_baseline, d.trust_fade_rate, days)
        if self.tie_strength > 0:  # towards the mean trust of its ties at the start of the step
            ties_trust = work.now.ties_trust[i] * (1.0 / self.tie_strength)
            trust += (ties_trust - trust) * dyn.closed_fraction(d.trust_spread_rate, days)
        self.trust = trust
        baseline = dyn.relax(self.trust_baseline, trust, d.baseline_rate, days)
        self.trust_baseline = dyn.relax(baseline, self.trust_elsewhere, d.renewal_rate, days)

    def follow_government(self, government_dominance: float, days: float) -> None:
        """Its stance moves towards the one its trust and the government's stance invite (7.17.3)."""
        rate = self.model.cfg.dynamics.stance_follow_rate
        invited_affiliation, invited_dominance = rel.invited_stances(self.trust, self.personal, government_dominance)
        self.affiliation = dyn.relax(self.affiliation, invited_affiliation, rate, days)
        self.dominance = dyn.relax(self.dominance, invited_dominance, rate, days)

    def meet(self, other_attitude: float, by_media: bool) -> None:
        """An encounter: towards the other's attitude if within the tolerance, else away; media show the other further away (7.18.2).

        The move counts from the attitude at the start of the encounters (``settle_attitude`` applies it).
        """
        cfg = self.model.cfg.polarisation
        gap = other_attitude - self.attitude
        if by_media:
            gap *= 1.0 + cfg.media_distortion
        self.moves.append(gap * (cfg.responsiveness if abs(gap) <= cfg.tolerance else -cfg.responsiveness))

    def settle_attitude(self, days: float) -> None:
        """Its attitude after the encounters' moves, then back towards its anchor over ``days`` (7.18.2, 7.18.3)."""
        attitude = self.attitude
        for move in self.moves:
            attitude += move
        self.moves = []
        attitude = min(max(attitude, 0.0), 1.0)
        self.attitude = dyn.relax(attitude, self.attitude_anchor, self.model.cfg.polarisation.anchoring_rate, days)

    # ---- 7. adaptation (7.11.5) ----------------------------------------------------------------------

    def adapt(self, work: StepWork) -> None:
        """Its risk memory fades; it takes measures as far as it perceives risk and can afford them."""
        model, d = self.model, self.model.cfg.dynamics
        self.risk_memory *= np.exp(-d.memory_fade_rate * model.dt)
        weight = dyn.ties_weight(self.tie_strength, model.cfg.network.social_capital_scale)
        ties_prepared = work.now.ties_measures[self.index] / self.tie_strength if self.tie_strength > 0 else 0.0
        risk = dyn.perceived_risk(self.risk_memory, weight * ties_prepared, d.social_learning)
        ceiling = model.crisis.preparedness_ceiling
        rate = d.preparedness_rate * risk * self.economic
        self.preparedness = max(self.preparedness, dyn.relax(self.preparedness, ceiling, rate, model.dt))
