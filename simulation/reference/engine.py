"""The reference engine: the phases of a step from each household's part (``ReferenceHousehold``).

A phase here allocates what it hands on (arrays in ``StepWork``), asks every household for its
part through ``AgentSet.do`` (in index order), and does what belongs to a neighbourhood, an
initiative or the town: rationing, initiatives dissolving and forming, encounters, the
government's answer. The home pipeline is ``ReferenceHousing``, household by household too.
Random numbers come from the same stream blocks as in ``CrisisModel``, drawn the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from agents import CitizenInitiative
from simulation import dynamics as dyn
from simulation.housing import WayIn
from simulation.reference.household import ReferenceHousehold, Roll
from simulation.reference.housing import ReferenceHousing
from simulation.step import StepState

if TYPE_CHECKING:
    from mesa import Model as CrisisModel  # the CrisisModel (simulation.model imports this package)

    from simulation.step import StepWork

EMPTY = np.empty(0, dtype=np.int64)


class ReferenceEngine:
    """The phases of ``CrisisModel`` from snapshot to adaptation, computed household by household.

    Hazard, transformation and measurement stay the model's.

    Args:
        model: the model whose phases these replace (its households must be ``household_class``).

    Attributes:
        households: the household agents in index order.
        housing: the home pipeline, household by household.
        roll: who reported what in the snapshot of the current step.
        bridging_in_use: the weight in use of every bridging tie (aligned with the bridging matrix's entries).
        knowhow: every household's know-how from its bridging ties, in the current step.
    """

    household_class: type[ReferenceHousehold] = ReferenceHousehold

    def __init__(self, model: CrisisModel) -> None:
        self.model = model
        self.households: list[ReferenceHousehold] = list(model.household_agents)
        if not all(isinstance(household, ReferenceHousehold) for household in self.households):
            raise TypeError("engine=reference needs households of ReferenceEngine.household_class (or a subclass)")
        self.housing = ReferenceHousing(model.housing)
        self.roll = Roll(model.n_neighbourhoods)
        self.bridging_in_use = model.networks.bridging.data.copy()
        self.knowhow = np.zeros(model.households.n)
        self.each("weigh_ties")

    def phases(self) -> dict[str, Callable[[StepWork], None]]:
        """The phases this engine computes household by household, by name."""
        names = ("snapshot", "perception", "own_means", "support", "collective_action", "aid")
        names += ("recovery", "stand_ins", "wellbeing", "relations", "repair", "adaptation")
        return {name: getattr(self, name) for name in names}

    def each(self, method: str, *args) -> None:
        """Every household does ``method`` with ``args`` (in index order)."""
        self.model.household_agents.do(method, *args)

    def is_needy(self, index: int) -> bool:
        """Whether household ``index`` is needy in the current step."""
        return self.households[index].needy

    # ---- snapshot (7.3) ------------------------------------------------------------------------

    def snapshot(self, work: StepWork) -> None:
        """The state phases 2-6 read: households report their need, offer and claims (``StepState``).

        The vectorised engine's row products (``bonding_of_needy``, ``bridging_of_needy``) are None here.
        """
        model = self.model
        n, neighbourhoods = model.households.n, model.n_neighbourhoods
        self.roll = roll = Roll(neighbourhoods)
        work.now = now = StepState(
            need=np.zeros(n),
            lacks=np.zeros(n, dtype=bool),
            harmed=EMPTY,
            open_repairs=EMPTY,
            homes_at_stake=False,
            needy=EMPTY,
            need_of_needy=np.zeros(0),
            offer=np.zeros(n),
            bonding_of_needy=None,
            bridging_of_needy=None,
            neighbourhood_need=np.zeros(neighbourhoods),
            initiative_claim=np.zeros(n),
            claimed=np.zeros(n),
            offer_per_need=np.zeros(n),
            spare_by_neighbourhood=np.zeros(neighbourhoods),
            ties_measures=np.zeros(n),
            ties_trust=np.zeros(n) if model.relations_due else None,
        )
        self.each("read_own_state", work, self)
        now.needy, now.need_of_needy = np.array(roll.needy, dtype=np.int64), np.array(roll.need_of_needy)
        now.harmed = np.array(roll.harmed, dtype=np.int64)
        now.open_repairs = np.array(roll.open_repairs, dtype=np.int64)
        now.homes_at_stake = bool(roll.open_repairs or roll.away)
        now.spare_by_neighbourhood = roll.spare / np.maximum(model.neighbourhood_size, 1)
        self.each("weigh_bridging", self)
        self.each("read_claims", work, self)
        self.each("look_at_ties", work)

    # ---- 2-4 -----------------------------------------------------------------------------------

    def perception(self, work: StepWork) -> None:
        """Phase 2: every household's fear at the end of the step (applied in ``wellbeing``)."""
        work.fear = np.zeros(self.model.households.n)
        self.each("perceive", work)

    def own_means(self, work: StepWork) -> None:
        """Phase 3: savings paid for lodging and repair; the own rate of recovery of the harmed."""
        model = self.model
        if work.now.homes_at_stake:
            self.housing.pay_own(model.households, model.dt, model.money, model.aid_served)
        work.own_rate = np.zeros(work.now.harmed.size)
        self.each("recover_by_own_means", work)

    def support(self, work: StepWork) -> None:
        """Phase 4: what ties give the needy; then households in emergency lodging look for a host."""
        model, help_, count = self.model, work.help, work.now.needy.size
        help_.rates["bonding"], help_.rates["bridging"] = np.zeros(count), np.zeros(count)
        help_.bonding_help, help_.stress_relief = np.zeros(count), np.zeros(count)
        self.each("receive_support", work, self)
        if work.now.homes_at_stake and model.cfg.channels.on("hosting"):
            self.housing.find_hosts(model.households, model.networks.bonding, model.cfg.dynamics.hosting_limit)

    # ---- 5. collective action (7.6) ------------------------------------------------------------

    def collective_action(self, work: StepWork) -> None:
        """Phase 5: initiatives reach the needy, members and their ties first; then they dissolve and form."""
        model, now, help_ = self.model, work.now, work.help
        openness, neighbourhoods, count = model.cfg.dynamics.initiative_openness, model.n_neighbourhoods, now.needy.size
        help_.known, help_.reach = np.zeros(count, dtype=bool), np.zeros(count)
        help_.rates["initiative"] = np.zeros(count)
        pool, known_need = np.zeros(neighbourhoods), np.zeros(neighbourhoods)
        self.each("give_to_initiative", work, pool)
        self.each("make_itself_known", work, known_need)
        # what each unit of need receives: the open share over all the needy, the rest over the known
        open_per_need, closed_per_need = np.zeros(neighbourhoods), np.zeros(neighbourhoods)
        for n, initiative in model.initiatives.items():
            pooled = pool[n] * initiative.effectiveness
            closed_share = 1.0 - openness if known_need[n] > 0 else 0.0  # all open if it knows nobody
            if now.neighbourhood_need[n] > 0:
                open_per_need[n] = pooled * (1.0 - closed_share) / now.neighbourhood_need[n]
            if known_need[n] > 0:
                closed_per_need[n] = pooled * closed_share / known_need[n]
        self.each("be_reached", work, open_per_need, closed_per_need)

        needy_share = self.roll.needy_count / model.neighbourhood_size
        self.dissolve(needy_share)
        if model.cfg.channels.on("initiatives"):
            self.form(now.spare_by_neighbourhood, needy_share)

    def dissolve(self, needy_share: np.ndarray) -> None:
        """Initiatives whose neighbourhood has (nearly) no needy left end, unless supported to last."""
        initiatives = self.model.initiatives
        below = self.model.cfg.dynamics.dissolve_below
        ending = [n for n, initiative in initiatives.items() if needy_share[n] < below and not initiative.supported]
        for n in ending:
            initiative = initiatives.active.pop(n)
            for member in initiative.members:
                self.households[member].initiative = -1
            initiative.remove()
            initiatives._known = None  # the vectorised engine's record of whom initiatives know

    def form(self, spare: np.ndarray, needy_share: np.ndarray) -> None:
        """Neighbourhoods without an initiative start one with a chance set by cohesion, spare capacity and need.

        Draws as ``Initiatives.form``: a block of one uniform per neighbourhood for formation
        (where one may form), one for collaboration (where one forms), one per resident for membership.
        """
        model, initiatives = self.model, self.model.initiatives
        rate, neighbourhoods = model.cfg.dynamics.formation_rate, model.n_neighbourhoods
        hazards = {}
        for n in range(neighbourhoods):
            hazard = dyn.formation_hazard(rate, model.cohesion[n], spare[n], needy_share[n])
            if hazard > 0 and n not in initiatives:
                hazards[n] = hazard
        if not hazards:
            return
        formation = model.streams.get("formation", model.steps).random(neighbourhoods)
        forming = [n for n, hazard in hazards.items() if formation[n] < dyn.closed_fraction(hazard, model.dt)]
        if not forming:
            return
        collaboration = model.streams.get("collaboration", model.steps).random(neighbourhoods)
        for n in forming:
            self.start(n, collaboration[n])
            initiatives.formed += 1
            if initiatives.first_day is None:
                initiatives.first_day = model.end_of_step

    def start(self, neighbourhood: int, collaboration_draw: float) -> None:
        """An initiative starts in ``neighbourhood``: residents join by their chance; its creativity and collaboration."""
        model, d = self.model, self.model.cfg.dynamics
        residents = model.neighbourhood_members[neighbourhood]
        draws = model.streams.get("membership", model.steps, neighbourhood).random(residents.size)
        members = [
            resident
            for resident, draw in zip(residents.tolist(), draws.tolist(), strict=True)
            if draw < self.households[resident].joining_chance()
        ]
        class_counts, affiliation = np.zeros(model.n_classes), 0.0
        for member in members:
            class_counts[self.households[member].household_class] += 1
            affiliation += self.households[member].affiliation
        together = (1.0 + affiliation / len(members)) / 2.0 if members else 0.0
        diversity = float(dyn.class_diversity(class_counts[None, :])[0])
        model.initiatives.active[neighbourhood] = CitizenInitiative(
            model,
            neighbourhood=neighbourhood,
            members=np.array(members, dtype=np.int64),
            effectiveness=1.0 + d.creativity * diversity,
            collaborates=bool(collaboration_draw < model.government.collaboration * together),
            supported=False,
        )
        for member in members:
            self.households[member].initiative = neighbourhood
        model.initiatives._known = None  # (as in ``dissolve``)

    # ---- 6. aid and institutions (7.7.4, 7.8, 7.10) --------------------------------------------

    def aid(self, work: StepWork) -> None:
        """Phase 6: government aid, rationed; temporary homes, claims, the scheme and donations (``ReferenceHousing``)."""
        model, now, help_ = self.model, work.now, work.help
        h, gov, count = model.households, model.government, now.needy.size
        reach_of_all = np.zeros(h.n)
        for at, index in enumerate(self.roll.needy):
            reach_of_all[index] = help_.reach[at]
        paperwork_of_aid = model.housing.government.aid_paperwork
        work.way_in = way_in = WayIn(
            h.cultural, lambda: self.knowhow, reach_of_all, self.contractor_news, model.aid_served, paperwork_of_aid
        )
        help_.aid_obtained, help_.injustice = np.zeros(count), np.zeros(count)
        help_.rates["aid"] = np.zeros(count)
        model.aid_served[:] = 0.0
        if model.aid_flows and count:
            uptake = np.zeros(count)
            self.each("apply_for_aid", work, self, uptake)
            share_met = dyn.rationing(gov.aid_capacity * h.n, float(uptake.sum()))
            classes = np.zeros((3, model.n_classes))  # per class: needy, aid they obtained, their summed attitude
            self.each("obtain_aid", work, uptake, share_met, classes)
            self.housing.pay_aid_grants(h, now.needy, help_.aid_obtained, model.end_of_step, model.money)
            if share_met < 1.0:  # scarce: some feel that others, of other groups, got what they need
                self.each("feel_injustice", work, classes)
        self.housing.pay_donations(h, model.end_of_step, way_in, model.money)
        help_.scheme_paid = EMPTY
        if now.homes_at_stake:
            self.institutions(work)

    def institutions(self, work: StepWork) -> None:
        """Temporary homes, insurance claims and the compensation scheme, through the way in of the step."""
        model, now, way_in = self.model, work.now, work.way_in
        h, gov, dt, day = model.households, model.government, model.dt, model.end_of_step
        scheme = model.housing.government  # the scheme's settings
        homes_open = gov.aid_flowing(model.day)
        self.housing.house_temporarily(h, homes_open, gov.receptivity, way_in, dt, model.money)
        work.claims_filed, work.claims_settled = self.housing.settle_claims(
            h, now.open_repairs, day, dt, way_in, model.money
        )
        scheme_open = gov.events > 0 and model.day >= gov.event_start_day + scheme.scheme_opening_days
        referral = model.collaboration.handover("municipality", "scheme", scheme.handover_days, gov.bureaucracy)
        filed, paid, decided = self.housing.pay_scheme(
            h, now.open_repairs, day, dt, scheme_open, way_in, model.money, referral
        )
        work.scheme_filed, work.help.scheme_paid, work.scheme_decided = filed, np.asarray(paid, dtype=np.int64), decided

    def contractor_news(self, rows: np.ndarray) -> np.ndarray:
        """For the households ``rows``: what their bonding ties tell them of whom to call for a repair."""
        return np.array([self.households[index].contractor_news() for index in rows.tolist()], dtype=np.float64)

    # ---- 7. update (7.11) ----------------------------------------------------------------------

    def recovery(self, work: StepWork) -> None:
        """Every harmed or needy household applies all its recovery channels to its harm (``work.gains``)."""
        now = work.now
        work.gains = {"self": np.zeros(now.harmed.size)}
        work.gains.update({channel: np.zeros(now.needy.size) for channel in work.help.rates})
        self.each("recover", work)

    def stand_ins(self, work: StepWork) -> None:
        """What stands in for missing water and care, for the needy (for the others, nothing)."""
        self.each("stand_in", work)
        self.model.covered = work.now.needy

    def wellbeing(self, work: StepWork) -> None:
        """Fear, stress, time for helping, strain and savings at the end of the step (``work.given``)."""
        work.given = np.zeros(self.model.households.n)
        hosts = {household.host for household in self.households if household.host >= 0}
        self.each("update_wellbeing", work, hosts)

    def relations(self, work: StepWork) -> None:
        """Experience of the government; when the relations move: trust, stances (households', then the government's), attitudes."""
        model, gov = self.model, self.model.government
        self.experience_government(work)
        if not model.relations_due:
            return
        days = (model.steps - model.relations_moved_step) * model.dt
        model.relations_moved_step = model.steps
        self.each("move_trust", work, days)
        self.each("follow_government", gov.dominance, days)
        dominance = np.mean([household.dominance for household in self.households])
        affiliation = np.mean([household.affiliation for household in self.households])
        gov.respond(float(dominance), float(affiliation), days)
        self.encounter(days)
        model.attitudes_moved = True

    def experience_government(self, work: StepWork) -> None:
        """The needy's experience of the government, and what the others see of it; then the scheme's payments (7.17.1)."""
        model, gov, now, help_ = self.model, self.model.government, work.now, work.help
        if gov.events > 0 and now.needy.size:
            felt, timely = np.zeros(now.needy.size), np.zeros(now.needy.size)
            self.each("feel_treatment", work, felt, timely)
            gov.hear(float(felt.sum()), int(felt.size), sum(1 for timeliness in timely.tolist() if timeliness < 0))
            near, town = self.summed_by_neighbourhood(now.needy, felt)
            self.each("take_in_treatment", felt, near, town)
        paid = help_.scheme_paid
        if paid.size:  # visible action: those paid compare the payment with the promise, the others see it
            scheme = model.housing.government
            gap = (scheme.scheme_coverage - scheme.promised_coverage) / scheme.promised_coverage
            near, town = self.summed_by_neighbourhood(paid, np.full(paid.size, min(max(gap, -1.0), 1.0)))
            self.each("take_in_payments", set(paid.tolist()), gap, near, town)

    def summed_by_neighbourhood(self, households: np.ndarray, experience: np.ndarray) -> tuple[np.ndarray, float]:
        """The ``experience`` of ``households``, summed per neighbourhood and over the town."""
        near = np.zeros(self.model.n_neighbourhoods)
        for index, felt in zip(households.tolist(), experience.tolist(), strict=True):
            near[self.households[index].neighbourhood] += felt
        return near, float(experience.sum())

    def encounter(self, days: float) -> None:
        """The encounters of ``days`` (7.18.2): who, whether through media, whom; then every attitude settles.

        Draws as ``relations.update_attitudes``: their number, then a block of three uniforms each.
        """
        model, cfg = self.model, self.model.cfg.polarisation
        n, rng = model.households.n, model.encounters
        count = rng.poisson(cfg.encounters_per_day * days * n)
        if count:
            who_draws, media_draws, other_draws = rng.random((3, count)).tolist()
            for who_draw, media_draw, other_draw in zip(who_draws, media_draws, other_draws, strict=True):
                household = self.households[int(who_draw * n)]
                by_media = media_draw < cfg.media_exposure
                ties = household.ties_in(model.ties)
                through_tie = not by_media and ties  # else it meets anyone in town
                other = ties[int(other_draw * len(ties))][0] if through_tie else int(other_draw * n)
                household.meet(self.households[other].attitude, by_media)
        self.each("settle_attitude", days)

    def repair(self, work: StepWork) -> None:
        """Repairs and coming home, where homes are at stake (``ReferenceHousing.repair``)."""
        model = self.model
        if work.now.homes_at_stake:
            head_start = model.cfg.dynamics.access_head_start_days if model.cfg.channels.on("head_start") else 0.0
            day, money = model.end_of_step, model.money
            self.housing.repair(model.households, work.now.open_repairs, day, model.dt, work.way_in, head_start, money)

    def adaptation(self, work: StepWork) -> None:
        """Households take measures; initiatives organise collective ones."""
        self.each("adapt", work)
        self.model.initiatives.organise_measures(self.model.crisis.preparedness_ceiling)
