"""The crisis model: households, government and initiatives in one Mesa model."""

from __future__ import annotations

from dataclasses import dataclass, field

import mesa
import numpy as np
import scipy.sparse as sp

from agents import CitizenInitiative, Collaboration, Government, Household, Organisation
from scenarios import make_scenario
from simulation import dynamics as dyn
from simulation import policy
from simulation import provisions as prov
from simulation import relations as rel
from simulation.calibration import with_drawn_rates
from simulation.compose import as_config
from simulation.config import Config
from simulation.events import EventLog
from simulation.housing import AT_HOME, Housing, Money, WayIn
from simulation.memory import check_memory, keep_freed_memory
from simulation.metrics import Recorder, summarize
from simulation.networks import RowsOf, build_networks, social_capital
from simulation.population import build_population, standing_rank
from simulation.results import Results
from simulation.streams import Streams


@dataclass
class StepState:
    """The households at the start of a step (after the hazard), as phases 2-8 read them.

    Help (support, initiatives, aid) goes to needy households only, so those phases work on
    the rows of the needy: arrays named ``*_of_needy`` are aligned with ``needy``.
    """

    need: np.ndarray  # every household: 1 - functioning as the crisis left it (what strain costs aside)
    lacks: np.ndarray  # every household: lacks at least one essential provision
    harmed: np.ndarray  # indices of households with harm to recover from
    open_repairs: np.ndarray  # indices of households with a repair still open (repair_cost > 0)
    homes_at_stake: bool  # whether any household is displaced or has a repair open
    needy: np.ndarray  # indices of households below the recovery threshold
    need_of_needy: np.ndarray  # need[needy]
    offer: np.ndarray  # capacity to help others: spare capacity (less strain) times resources
    bonding_of_needy: RowsOf  # products with the needy households' rows of the bonding matrix
    bridging_of_needy: RowsOf  # ... and of the bridging matrix
    neighbourhood_need: np.ndarray  # per neighbourhood: summed need of its needy households
    initiative_claim: np.ndarray  # per household: what its initiative asks of it (0 for non-members)
    claimed: np.ndarray  # per household: all the need that claims its offer (its needy ties' and its initiative's)
    offer_per_need: np.ndarray  # per household: its offer divided by all the need that claims it
    spare_by_neighbourhood: np.ndarray  # mean spare capacity per neighbourhood
    ties_measures: np.ndarray  # per household: the summed preparedness of its ties, weighted (read by phase 8)
    ties_trust: np.ndarray | None  # ... and their summed trust, in steps where the relations move (phase 7)


@dataclass
class Help:
    """What phases 3-6 give each needy household (arrays aligned with ``StepState.needy``)."""

    rates: dict[str, np.ndarray] = field(default_factory=dict)  # harm recovery rate per channel
    stress_relief: np.ndarray | None = None  # extra stress decay from bonding support
    bonding_help: np.ndarray | None = None  # practical help of bonding ties: water, care, in [0, 1)
    reach: np.ndarray | None = None  # how far an initiative reaches it, in [0, 1)
    known: np.ndarray | None = None  # whether an initiative knows it (a member, or a member's tie)
    aid_obtained: np.ndarray | None = None  # share of full government aid obtained
    injustice: np.ndarray | None = None  # felt horizontal injustice, where aid is scarce
    scheme_paid: np.ndarray | None = None  # indices (of all households) the compensation scheme paid in the step


@dataclass
class StepFlows:
    """What moved in the last step, for measurement (the recorder reads it; nothing else does).

    Arrays named for the needy are aligned with ``needy``.
    """

    needy: np.ndarray  # indices of the households that were needy in the step
    gains: dict[str, np.ndarray]  # harm recovered per channel ("self": the harmed; others: the needy)
    harm_added: float  # harm the hazard added, summed
    offer: np.ndarray  # every household's capacity to help, at the start of the step
    given: np.ndarray  # what every household gave to its needy ties and its initiative
    aid_obtained: np.ndarray  # share of full aid each needy household obtained
    reach: np.ndarray  # how far an initiative reached each needy household
    known: np.ndarray  # whether an initiative knew each needy household (a member, or a member's tie)
    aid_capacity: float  # households the government could serve at full intensity
    money: Money  # euros by kind
    claims_filed: int  # insurance claims filed
    claims_settled: int  # insurance claims settled
    scheme_filed: int  # applications to the compensation scheme filed
    scheme_decided: int  # applications the scheme's assessors decided
    scheme_paid: int  # applications the scheme paid


class CrisisModel(mesa.Model):
    """A community hit by a crisis, recovering through its own means, its ties, initiatives and aid.

    One step, in order (docs/ODD.md, section 3). Phases 2-6 read the state as it was right after
    the hazard (synchronous update), and change only where households live and what money they
    hold, which they settle in the phase named; phase 7 applies what they computed, and the
    repairs, adaptation and transformation then read the updated state:

    1. hazard: the scenario breaks provisions and damages homes and households;
    2. perception: fear of unavailable essentials, from what one lacks, what ties report, and trust;
    3. own means: recovery from harm (capital and savings, slowed by stress); savings paid
       towards the repair and for emergency lodging;
    4. support: helpers divide their spare capacity over their needy ties and their initiative;
       bonding ties bring water and care and relieve stress, and take in displaced households;
       bridging ties bring know-how;
    5. collective action: initiatives reach needy members and their ties first, then others,
       then dissolve and form;
    6. aid and institutions: government aid after its delay, temporary homes, insurance claims,
       the compensation scheme and donations, each taken up through the way in (cultural capital,
       bridging know-how, an initiative's help);
    7. update: harm, stand-ins for missing water and care, stress, strain and savings; then
       relations: trust, stances on Leary's rose (households' and the government's) and
       attitudes towards other groups; repairs and coming home; adaptation; transformation;
    8. measurement: functioning, recovery days, the step's flows and one row of indicators.

    Args:
        cfg: a ``Config`` (from ``load_config``) or a Hydra/OmegaConf config of the same shape;
            ``None`` means the defaults.

    Attributes:
        cfg: the validated config.
        day: days since the start of the run (the end of the last step taken).
        dt: days per step.
        households: the household state arrays (``simulation.state.HouseholdState``).
        networks: bonding and bridging ties as sparse matrices.
        government: the ``Government`` agent.
        housing: the home pipeline (shelter, money, repair) and its capacities.
        initiatives: active ``CitizenInitiative`` agents by neighbourhood.
        crisis: the scenario that delivers shocks (not `scenario`: Mesa 3.5 gives every model one of its own).
        streams: the random streams, one per random process.
        flows: what moved in the last step (None before the first).
    """

    def __init__(self, cfg: Config | None = None) -> None:
        cfg = with_drawn_rates(as_config(cfg))
        check_memory(cfg)
        super().__init__(rng=cfg.seed)
        keep_freed_memory(cfg.population.households)
        self.cfg = cfg
        self.dt = cfg.scenario.step_days
        self.day = 0.0
        self.n_steps = cfg.scenario.n_steps
        # One stream per random process, from the same seed as model.rng (common random numbers).
        self.streams = Streams(np.random.SeedSequence(cfg.seed))

        self.households, propensity = build_population(
            cfg.population, self.streams.get("population"), policy.segregation(cfg)
        )
        h = self.households
        self.networks = build_networks(
            cfg.network,
            h.household_class,
            h.neighbourhood,
            propensity,
            self.streams.get("bonding"),
            self.streams.get("bridging"),
        )
        if cfg.policy.caring_neighbourhood.enabled:
            capital = h.economic + propensity + h.cultural + h.personal  # the tie propensity stands for social capital
            self.networks = policy.caring_ties(self.networks, capital, cfg, self.streams.get("caring_ties"))
        self._precompute()

        self.crisis = make_scenario(cfg.scenario)
        government_cfg, start = policy.government(cfg)
        self.government = Government(self, government_cfg, **start)  # the municipality
        self.water_authority = Organisation(self, "water_authority", government_cfg.bureaucracy)
        self.scheme = Organisation(self, "scheme", government_cfg.bureaucracy)
        self.collaboration = Collaboration(government_cfg)
        self.housing = Housing(
            cfg.housing, government_cfg, h, self.streams.get("capacities"), cfg.channels.on("outside_contractors")
        )
        h.attitude[:] = rel.starting_attitudes(
            h.household_class, standing_rank(cfg.population), cfg.polarisation, self.streams.get("attitudes")
        )
        h.attitude_anchor[:] = h.attitude
        # One stream for the whole run: how many numbers a step draws depends on the population and
        # the step length alone, so variants stay paired without a stream per step.
        self.encounters = self.streams.get("encounters")
        # Relations move every relations_every steps (and at the horizon), with the experience between summed.
        self.relations_every = max(1, round(cfg.dynamics.relations_step_days / self.dt))
        self.relations_moved_step = 0
        self.good_days, self.bad_days = np.zeros(h.n), np.zeros(h.n)
        self.attitudes_moved = False
        h.affiliation[:], h.dominance[:] = rel.invited_stances(h, self.government.dominance)
        self.money = Money()
        self.aid_served = np.zeros(h.n)  # per household: the share of full aid it obtained in the last step
        self.initiatives: dict[int, CitizenInitiative] = {}
        self._known: np.ndarray | None = None  # households the initiatives know (see known_to_initiatives)
        self.initiatives_formed = 0
        self.first_initiative_day: float | None = None
        self.event_log = EventLog(self.n_steps)
        # Collective measures that initiatives organised, per neighbourhood (damage avoided, 0..1).
        self.collective_protection = np.zeros(self.n_neighbourhoods)
        self.flows: StepFlows | None = None
        self.policy_gains: dict[str, float | None] = {}  # what the levers gained, once run() has compared
        self.covered = np.empty(0, dtype=np.int64)  # households with a stand-in for water or care
        self.affected = np.empty(0, dtype=np.int64)  # households hit at least once
        self.at_stake = np.empty(0, dtype=np.int64)  # households with a provision at stake, at the last update
        for index in range(h.n):
            Household(self, index)
        self.crisis.start(self)
        if self.initiatives_stand:
            self.start_standing_initiatives()

        self.recorder = Recorder(self)
        self.recorder.record(self)
        # Mesa's step counts the step and then runs the phases; refuse a step past the horizon first.
        self._count_and_step = self.step
        self.step = self._step_within_horizon

    def _precompute(self) -> None:
        """Quantities fixed for the whole run: tie strengths, social capital, resources, neighbourhoods."""
        h, net = self.households, self.networks
        self.n_neighbourhoods = self.cfg.population.neighbourhoods
        self.n_classes = len(h.class_names)
        self.ties = (net.bonding + net.bridging).tocsr()
        self.bonding_strength = net.bonding_strength
        self.tie_strength = self.bonding_strength + net.bridging_strength
        # How much a household's ties weigh in what it perceives from them (diminishing in their number).
        self.ties_weight = dyn.ties_weight(self.tie_strength, self.cfg.network.social_capital_scale)
        self.trust_spread = rel.TrustSpread(self.tie_strength)
        h.social[:] = social_capital(net, self.cfg.network.social_capital_scale)
        # Cohesion of a neighbourhood: mean social capital from bonding ties alone.
        bonding_capital = dyn.saturating(net.bonding_strength / self.cfg.network.social_capital_scale)
        self.neighbourhood_size = np.bincount(h.neighbourhood, minlength=self.n_neighbourhoods)
        self.cohesion = self.per_neighbourhood_mean(bonding_capital)
        # What a helper brings: its resources and know-how (economic, cultural, personal capital).
        self.resources = (h.economic + h.cultural + h.personal) / 3.0
        self.bridging_rows = np.repeat(np.arange(h.n), np.diff(net.bridging.indptr))
        # The cultural capital at the far end of each bridging tie: the know-how it can carry.
        self.bridging_cultural = h.cultural[net.bridging.indices]
        self._bridging_weighted = net.bridging.copy()  # its data are rewritten when attitudes move
        self._bridging_knowhow: np.ndarray | None = None  # None: to be weighed again (see bridging_now)
        self.neighbourhood_members = np.split(
            np.argsort(h.neighbourhood, kind="stable"), np.cumsum(self.neighbourhood_size)[:-1]
        )

    @property
    def bridging_now(self) -> sp.csr_array:
        """Bridging ties as used in this step: their weight times the willingness to help across
        them, which affective polarisation lowers, from the attitudes at the start of the step
        (weighed when first used in the step)."""
        self._weigh_bridging()
        return self._bridging_weighted

    @property
    def bridging_knowhow(self) -> np.ndarray:
        """Per household: the know-how about rules its bridging ties carry (cultural capital across them).

        None at all where the ``bridging_knowhow`` channel is off.
        """
        if not self.cfg.channels.on("bridging_knowhow"):
            return np.zeros(self.households.n)
        return self._weigh_bridging()

    def _weigh_bridging(self) -> np.ndarray:
        if self._bridging_knowhow is None:
            h, bridging = self.households, self.networks.bridging
            willing = rel.willingness(h.attitude, self.bridging_rows, bridging.indices, self.cfg.polarisation.tolerance)
            weighted = np.multiply(bridging.data, willing, out=self._bridging_weighted.data)
            # weighted @ cultural, summed per row in the order of the product (the same sums) but
            # without gathering the far ends' cultural capital again
            carried = np.bincount(self.bridging_rows, weights=weighted * self.bridging_cultural, minlength=h.n)
            self._bridging_knowhow = dyn.saturating(carried)
        return self._bridging_knowhow

    @property
    def aid_flows(self) -> bool:
        """Whether government aid flows now: the delay since the current event has passed (and the ``aid`` channel is on)."""
        return self.government.aid_flowing(self.day) and self.cfg.channels.on("aid")

    @property
    def initiatives_stand(self) -> bool:
        """Whether an initiative stands in every neighbourhood (the ``standing_initiatives`` lever, initiatives on)."""
        return self.cfg.policy.standing_initiatives.enabled and self.cfg.channels.on("initiatives")

    @property
    def relations_due(self) -> bool:
        """Whether the relations move at the end of this step: every ``relations_every`` steps, and at the horizon."""
        return self.steps % self.relations_every == 0 or self.steps >= self.n_steps

    def per_neighbourhood_mean(self, values: np.ndarray) -> np.ndarray:
        """Mean of a per-household array within each neighbourhood."""
        totals = np.bincount(self.households.neighbourhood, weights=values, minlength=self.n_neighbourhoods)
        return totals / np.maximum(self.neighbourhood_size, 1)

    # ---- running --------------------------------------------------------------------------

    def _step_within_horizon(self) -> None:
        """Take one step, or raise before anything changes if the run has reached its horizon."""
        if self.steps >= self.n_steps:
            raise RuntimeError(
                f"the run has reached its horizon (day {self.day:g}, step {self.steps} of {self.n_steps}): "
                "no step is left; build a new model, or raise scenario.horizon_days"
            )
        self._count_and_step()

    def step(self) -> None:
        """Advance the model by one step of ``dt`` days, phase by phase (the order of the class docstring)."""
        self.money = Money()
        if self.attitudes_moved:  # weigh bridging ties again when next used
            self._bridging_knowhow, self.attitudes_moved = None, False
        harm_before = float(self.households.harm.sum())
        self.deliver_hazard()
        harm_added = float(self.households.harm.sum()) - harm_before
        self.recorder.record_start(self)
        now = self.read_state()
        fear = self.perceive(now)
        help_ = Help()
        own_rate = self.recover_by_own_means(now)
        self.support(now, help_)
        self.act_collectively(now, help_)
        way_in = WayIn(
            self.households.cultural,
            lambda: self.bridging_knowhow,
            self.reach_of_all(now, help_.reach),
            self.contractor_news,
            self.aid_served,  # filled in by give_aid, before the processes that ask for paperwork
            self.housing.government.aid_paperwork,
        )
        claims_filed, claims_settled, scheme_filed, scheme_decided, scheme_paid = self.give_aid(now, help_, way_in)
        gains = self.recover(now, own_rate, help_.rates)
        self.stand_in_for_provisions(now, help_)
        given = now.offer_per_need * now.claimed
        self.update_wellbeing(now, fear, help_, given)
        if now.homes_at_stake:
            head_start = self.cfg.dynamics.access_head_start_days if self.cfg.channels.on("head_start") else 0.0
            self.housing.repair(
                self.households, now.open_repairs, self.end_of_step, self.dt, way_in, head_start, self.money
            )
        self.adapt(now)
        self.crisis.transform(self)
        self.day = self.end_of_step
        self.at_stake = prov.update_functioning(self.households, self.cfg.dynamics, self.day)
        self.mark_recovered(now)
        self.flows = StepFlows(
            needy=now.needy,
            gains=gains,
            harm_added=harm_added,
            offer=now.offer,
            given=given,
            aid_obtained=help_.aid_obtained,
            reach=help_.reach,
            known=help_.known,
            aid_capacity=self.government.aid_capacity * self.households.n,
            money=self.money,
            claims_filed=claims_filed,
            claims_settled=claims_settled,
            scheme_filed=scheme_filed,
            scheme_decided=scheme_decided,
            scheme_paid=scheme_paid,
        )
        self.recorder.record(self)
        self.running = self.steps < self.n_steps

    @property
    def end_of_step(self) -> float:
        """The day at the end of the step being taken: what happens in a step is dated then.

        Counted from steps, not summed, so that day numbers carry no rounding drift.
        """
        return self.steps * self.dt

    def run(self) -> Results:
        """Run every step up to the scenario's horizon and return the results.

        With policy levers on, it also runs the same town (same seed) without them, and the
        summary (here and in ``results`` from then on) gains what the levers gained
        (``policy.recovery_gained``).
        """
        while self.steps < self.n_steps:
            self.step()
        results = self.results
        if self.cfg.policy.enabled():
            without = CrisisModel(policy.without_levers(self.cfg)).run().summary
            h = self.households
            outsiders = h.class_names.index(policy.OUTSIDERS) if policy.OUTSIDERS in h.class_names else -1
            precariaat = int(np.count_nonzero(h.household_class == outsiders))
            self.policy_gains = policy.recovery_gained(results.summary, without, h.n, precariaat)
            results.summary.update(self.policy_gains)
        return results

    @property
    def results(self) -> Results:
        """Time series, household table and summary of the steps taken so far."""
        timeseries = self.recorder.frame()
        return Results(
            timeseries=timeseries,
            households=self.households.to_frame(),
            events=self.event_log.frame(self.households.household_class, self.households.class_names, self.day),
            summary=summarize(self, timeseries) | self.policy_gains,
            config=self.cfg,
        )

    # ---- 1. hazard ------------------------------------------------------------------------

    def deliver_hazard(self) -> None:
        """Phase 1: the scenario decides who is hit."""
        self.crisis.hazard(self)

    def cut_water(
        self, households: np.ndarray, back_day: np.ndarray, boil_days: float, care_resume_days: float
    ) -> None:
        """The tap of ``households`` (indices) is off until ``back_day`` (per household), then boiled for ``boil_days``.

        Care-dependent households get their care back ``care_resume_days`` after their water.
        Call before ``shock``, which counts what the cut costs.
        """
        h = self.households
        h.water_back_day[households] = back_day
        h.boil_until_day[households] = back_day + boil_days if boil_days > 0 else np.nan
        dependent = households[h.care_dependent[households]]
        h.care_back_day[dependent] = h.water_back_day[dependent] + care_resume_days

    def shock(self, hit: np.ndarray, severity: np.ndarray, event_severity: float) -> None:
        """Hit the households in mask ``hit``: damage to their homes, harm beyond them, and what the scenario cut.

        ``severity`` (over all households) less what preparedness avoids (the household's own
        measures and its neighbourhood's collective ones, together at most the scenario's
        ceiling) damages the home; a share ``harm_share`` of that damage harms the household
        beyond its home. The damage of the event for each household is the functioning it lost,
        provisions the scenario cut (``cut_water``) included. A household that had recovered (or
        was never hit) starts a new spell; one still recovering continues its current one.
        ``event_severity`` is the event's own severity, for the event log.
        """
        if not hit.any():
            return
        h, d = self.households, self.cfg.dynamics
        index = np.flatnonzero(hit)
        protection = self.collective_protection[h.neighbourhood[index]]
        prepared = np.minimum(
            1.0 - (1.0 - h.preparedness[index]) * (1.0 - protection), self.crisis.preparedness_ceiling
        )
        home = dyn.shock_damage(severity[index], prepared, d.preparedness_efficacy)
        before = h.functioning[index]
        self.housing.damage(h, index, home, self.day, self.money)
        h.harm[index] = 1.0 - (1.0 - h.harm[index]) * (1.0 - d.harm_share * home)
        h.functioning[index] = prov.functioning(h, d, self.day, index)
        lost = np.maximum(before - h.functioning[index], 0.0)
        h.damage[index] = lost
        h.risk_memory[index] = np.maximum(h.risk_memory[index], home)
        self.affected = np.union1d(self.affected, index)
        new_spell = hit & (np.isnan(h.shock_day) | ~np.isnan(h.recovered_day))
        h.shock_day[new_spell] = self.day
        h.recovered_day[hit] = np.nan
        verdict = self.government.start_event(self.day, self.citizens_heard())
        if verdict is not None:  # the organisations' joint experience of the event before
            self.collaboration.learn(verdict)
        if self.initiatives_stand:
            self.start_standing_initiatives()
        self.event_log.add(self.steps, self.day, event_severity, index, lost)

    def citizens_heard(self) -> float:
        """How far the government hears citizens: the share of neighbourhoods whose initiative works with it (1 with co-design)."""
        if self.cfg.policy.co_design.enabled:
            return 1.0
        return sum(initiative.collaborates for initiative in self.initiatives.values()) / self.n_neighbourhoods

    def read_state(self) -> StepState:
        """The state phases 2-8 read."""
        h, d, net = self.households, self.cfg.dynamics, self.networks
        need = 1.0 - h.functioning
        strained = np.flatnonzero(h.strain > 0)  # only there does functioning differ from what the crisis left
        need[strained] = 1.0 - prov.crisis_functioning(h, d, strained)
        needy = np.flatnonzero(need > 1.0 - d.recovery_threshold)
        open_repairs = np.flatnonzero(h.repair_cost > 0)
        need_of_needy = need[needy]
        # What a helper can give: spare capacity (functioning, which strain lowers, and stress) and
        # resources, as far as its time for helping lasts.
        spare = dyn.spare_capacity(h.functioning, h.stress, d.spare_from) * h.time_left
        offer = spare * self.resources
        # Without anyone needy no bridging tie is used: no need to weigh them.
        bridging = self.bridging_now if needy.size else net.bridging
        bonding_of_needy, bridging_of_needy = RowsOf(net.bonding, needy), RowsOf(bridging, needy)
        neighbourhood_need = np.bincount(h.neighbourhood[needy], weights=need_of_needy, minlength=self.n_neighbourhoods)
        if needy.size:
            initiative_claim = self.initiative_claims(needy, neighbourhood_need)
            needy_ties_need = bridging_of_needy.from_rows(need_of_needy)
            if self.cfg.channels.on("bonding_support"):
                needy_ties_need += bonding_of_needy.from_rows(need_of_needy)
            claimed = needy_ties_need + initiative_claim
            # a helper gives what the claims need, as far as its offer goes
            offer_per_need = np.minimum(dyn.divide_or_zero(offer, claimed), 1.0)
        else:  # no one in need: nothing claims an offer (one read-only array of zeros for all three)
            initiative_claim = claimed = offer_per_need = np.zeros(h.n)
            claimed.flags.writeable = False
        return StepState(
            need=need,
            lacks=prov.lacks_provision(h, self.day),
            harmed=np.flatnonzero(h.harm > 0),
            open_repairs=open_repairs,
            homes_at_stake=bool(open_repairs.size) or bool(h.displaced.any()),
            needy=needy,
            need_of_needy=need_of_needy,
            offer=offer,
            bonding_of_needy=bonding_of_needy,
            bridging_of_needy=bridging_of_needy,
            neighbourhood_need=neighbourhood_need,
            initiative_claim=initiative_claim,
            claimed=claimed,
            offer_per_need=offer_per_need,
            spare_by_neighbourhood=self.per_neighbourhood_mean(spare),
            # what households see of their ties (trust and measures change only later in the step)
            ties_measures=self.ties @ h.preparedness,
            ties_trust=self.ties @ h.trust if self.relations_due else None,
        )

    def initiative_claims(self, needy: np.ndarray, neighbourhood_need: np.ndarray) -> np.ndarray:
        """What each member's initiative asks of it (0 for non-members).

        Like one tie of weight ``initiative_commitment`` to a household in the mean need of
        the neighbourhood's needy.
        """
        h = self.households
        needy_count = np.bincount(h.neighbourhood[needy], minlength=self.n_neighbourhoods).astype(np.float64)
        mean_need = dyn.divide_or_zero(neighbourhood_need, needy_count)
        claim = np.zeros(h.n)
        member = np.flatnonzero(h.initiative >= 0)
        claim[member] = self.cfg.dynamics.initiative_commitment * mean_need[h.initiative[member]]
        return claim

    # ---- 2. perception --------------------------------------------------------------------

    def perceive(self, now: StepState) -> np.ndarray:
        """Phase 2: fear of unavailable essentials at the end of the step.

        A household fears for what it lacks itself and for what its ties report they lack
        (the weighted share of its ties lacking a provision); trust in official information eases it.
        """
        h, d = self.households, self.cfg.dynamics
        if now.lacks.any():
            reported = dyn.divide_or_zero(self.tie_weight_to(now.lacks), self.tie_strength)
            target = dyn.fear_target(now.lacks, reported, h.trust, d.rumour_weight, d.trust_reassurance)
        else:  # no one lacks a provision, nor reports lacking one
            target = np.zeros(h.n)
        return dyn.relax(h.fear, target, d.fear_rate, self.dt)

    # ---- 3. own means -----------------------------------------------------------------------

    def recover_by_own_means(self, now: StepState) -> np.ndarray:
        """Phase 3: the own rate of recovery of the harmed (aligned with ``now.harmed``); savings paid for lodging and repair."""
        h, d, harmed = self.households, self.cfg.dynamics, now.harmed
        if now.homes_at_stake:
            self.housing.pay_own(h, self.dt, self.money, self.aid_served)
        return dyn.self_recovery_rate(
            d.self_recovery_rate,
            h.economic[harmed],
            h.personal[harmed],
            h.economic[harmed] * h.buffer[harmed],
            h.stress[harmed],
            d.stress_slowdown,
        )

    # ---- 4. support -----------------------------------------------------------------------

    def support(self, now: StepState, help_: Help) -> None:
        """Phase 4: what bonding and bridging ties do for the needy, and shelter with bonding ties.

        Every helper gives what the need that claims it asks, as far as its offer goes: its needy
        ties (by tie weight times need) and, for a member, its initiative; where the claims exceed
        its offer, each gets its share. Support received along both
        networks saturates together into harm recovery; bonding support also brings water and
        care (practical help) and relieves stress. Households in emergency lodging then ask
        their bonding ties for a place to stay.
        """
        d, on = self.cfg.dynamics, self.cfg.channels.on
        # Helper i gives offer_per_need_i per unit of claimed need, so needy household j receives
        # need_j * sum_i w_ji * offer_per_need_i along each network.
        bonding = now.need_of_needy * (
            now.bonding_of_needy.to_rows(now.offer_per_need) if on("bonding_support") else np.zeros(now.needy.size)
        )
        bridging = now.need_of_needy * now.bridging_of_needy.to_rows(now.offer_per_need)
        received = bonding + bridging
        rate_per_support = dyn.divide_or_zero(d.support_rate * dyn.saturating(received), received)
        help_.rates["bonding"] = rate_per_support * bonding
        help_.rates["bridging"] = rate_per_support * bridging
        help_.bonding_help = dyn.saturating(bonding)
        help_.stress_relief = d.stress_relief_rate * help_.bonding_help
        if now.homes_at_stake and on("hosting"):
            self.housing.find_hosts(self.households, self.networks.bonding, d.hosting_limit)

    # ---- 5. collective action ---------------------------------------------------------------

    def act_collectively(self, now: StepState, help_: Help) -> None:
        """Phase 5: initiatives reach the needy, members and their ties first; then they dissolve and form.

        An initiative pools what its members give it, made more effective by creativity. A share
        ``initiative_openness`` of the pool is spread over every needy household of the
        neighbourhood in proportion to need; the rest goes to the needy it knows: its members
        and their ties (to all needy if it knows none). Initiatives that dissolve or form in this
        step do so from the state at its start; new ones act from the next step.
        """
        h, d = self.households, self.cfg.dynamics
        home = h.neighbourhood[now.needy]
        if self.initiatives:
            help_.known, help_.reach = self.initiative_reach(now, home)
        else:
            help_.known, help_.reach = np.zeros(now.needy.size, dtype=bool), np.zeros(now.needy.size)
        help_.rates["initiative"] = d.initiative_rate * help_.reach

        needy_share = np.bincount(home, minlength=self.n_neighbourhoods) / self.neighbourhood_size
        self.dissolve_initiatives(needy_share)
        if self.cfg.channels.on("initiatives"):
            self.form_initiatives(now, needy_share)

    def initiative_reach(self, now: StepState, home: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each needy household: whether an initiative knows it, and how far the pools reach it."""
        h, d = self.households, self.cfg.dynamics
        effectiveness = np.zeros(self.n_neighbourhoods)
        for n, initiative in self.initiatives.items():
            effectiveness[n] = initiative.effectiveness
        member = np.flatnonzero(h.initiative >= 0)
        given = now.offer_per_need[member] * now.initiative_claim[member]
        pool = np.bincount(h.initiative[member], weights=given, minlength=self.n_neighbourhoods) * effectiveness
        known = self.known_to_initiatives()[now.needy]
        known_need = np.bincount(home[known], weights=now.need_of_needy[known], minlength=self.n_neighbourhoods)
        closed_share = np.where(known_need > 0, 1.0 - d.initiative_openness, 0.0)
        open_per_need = dyn.divide_or_zero(pool * (1.0 - closed_share), now.neighbourhood_need)
        closed_per_need = dyn.divide_or_zero(pool * closed_share, known_need)
        per_need = open_per_need[home] + known * closed_per_need[home]
        return known, dyn.saturating(now.need_of_needy * per_need)

    def contractor_news(self, rows: np.ndarray) -> np.ndarray:
        """For the households ``rows``: what their bonding ties can tell them of whom to call for a repair.

        ``news_weight`` times the weighted share of their bonding ties that have a contractor at
        work now: news that stays within a bonding group.
        """
        h = self.households
        working = (h.repair_work_left > 0).astype(np.float64)
        told = RowsOf(self.networks.bonding, rows).to_rows(working)
        return self.cfg.dynamics.news_weight * dyn.weighted_share(told, self.bonding_strength[rows])

    def tie_weight_to(self, group: np.ndarray) -> np.ndarray:
        """For every household, the summed weight of its ties to the households in mask ``group``."""
        members = np.flatnonzero(group)
        return RowsOf(self.ties, members).from_rows(np.ones(members.size))

    def known_to_initiatives(self) -> np.ndarray:
        """Households an initiative knows: its members, and every tie of a member.

        Kept until membership changes (initiatives forming or dissolving).
        """
        if self._known is None:
            member = self.households.initiative >= 0
            self._known = member | (self.tie_weight_to(member) > 0)
        return self._known

    def reach_of_all(self, now: StepState, reach: np.ndarray) -> np.ndarray:
        """An initiative's reach for every household (0 for those not needy)."""
        everyone = np.zeros(self.households.n)
        everyone[now.needy] = reach
        return everyone

    def has_initiative(self) -> np.ndarray:
        """For each neighbourhood, whether an initiative is active there."""
        active = np.zeros(self.n_neighbourhoods, dtype=bool)
        active[list(self.initiatives)] = True
        return active

    def dissolve_initiatives(self, needy_share: np.ndarray) -> None:
        """Initiatives whose neighbourhood has (nearly) no needy households left dissolve, unless supported to last."""
        ending = [
            n
            for n, initiative in self.initiatives.items()
            if needy_share[n] < self.cfg.dynamics.dissolve_below and not initiative.supported
        ]
        for n in ending:
            self.end_initiative(n)

    def end_initiative(self, neighbourhood: int) -> None:
        """The initiative of ``neighbourhood`` ends: its members are free again."""
        initiative = self.initiatives.pop(neighbourhood)
        self.households.initiative[initiative.members] = -1
        initiative.remove()
        self._known = None

    def form_initiatives(self, now: StepState, needy_share: np.ndarray) -> None:
        """Neighbourhoods without an initiative start one with a hazard set by cohesion, spare capacity and need."""
        d = self.cfg.dynamics
        hazard = dyn.formation_hazard(d.formation_rate, self.cohesion, now.spare_by_neighbourhood, needy_share)
        may_form = (hazard > 0) & ~self.has_initiative()
        if not may_form.any():
            return
        # Fixed blocks from their own streams, keyed by step, so a block left undrawn changes no other
        # draw: one uniform per neighbourhood for formation and for collaboration, one per resident
        # for membership (drawn only where one forms, keyed by it).
        formation = self.streams.get("formation", self.steps).random(self.n_neighbourhoods)
        forming = np.flatnonzero((formation < dyn.closed_fraction(hazard, self.dt)) & may_form)
        if not forming.size:
            return
        collaboration = self.streams.get("collaboration", self.steps).random(self.n_neighbourhoods)
        for n in forming:
            self.start_initiative(int(n), self.steps, collaboration[n], supported=False)
            self.initiatives_formed += 1
            if self.first_initiative_day is None:
                self.first_initiative_day = self.end_of_step

    def start_standing_initiatives(self) -> None:
        """An initiative in every neighbourhood, supported to last (``standing_initiatives`` lever).

        Called at the start, and again when an event begins: a supported initiative then
        recruits afresh, as a new one would (who joins, and whether it works with the
        government, drawn with the stances of now), so that its membership is never years old.
        """
        collaboration = self.streams.get("collaboration", self.steps).random(self.n_neighbourhoods)
        for n in range(self.n_neighbourhoods):
            if n in self.initiatives:
                self.end_initiative(n)  # renewed, not a new one
            else:
                self.initiatives_formed += 1
            self.start_initiative(n, self.steps, collaboration[n], supported=True)

    def start_initiative(self, neighbourhood: int, step: int, collaboration_draw: float, supported: bool) -> None:
        """Start an initiative in ``neighbourhood``: who joins, how creative it is, whether it works with the government.

        A resident joins with a chance of its social capital, more if it stands above (takes
        initiative) and together with the government, less if below or against; the initiative's
        creativity grows with the class diversity of its members; it works with the government as
        far as the government is cooperative and its members are together with it.
        """
        h, d = self.households, self.cfg.dynamics
        residents = self.neighbourhood_members[neighbourhood]
        w = d.stance_joining_weight
        chance = h.social[residents] * (1.0 + w * h.dominance[residents]) * (1.0 + w * h.affiliation[residents])
        draws = self.streams.get("membership", step, neighbourhood).random(residents.size)
        members = residents[draws < np.clip(chance, 0.0, 1.0)]
        class_counts = np.bincount(h.household_class[members], minlength=self.n_classes)[None, :]
        members_together = (1.0 + h.affiliation[members].mean()) / 2.0 if members.size else 0.0
        self.initiatives[neighbourhood] = CitizenInitiative(
            self,
            neighbourhood=neighbourhood,
            members=members,
            effectiveness=1.0 + d.creativity * float(dyn.class_diversity(class_counts)[0]),
            collaborates=bool(collaboration_draw < self.government.collaboration * members_together),
            supported=supported,
        )
        h.initiative[members] = neighbourhood
        self._known = None

    # ---- 6. aid and institutions ---------------------------------------------------------------

    def give_aid(self, now: StepState, help_: Help, way_in: WayIn) -> tuple[int, int, int, int, int]:
        """Phase 6: government aid, temporary homes, insurance claims, the compensation scheme and donations.

        Aid (while the ``aid`` channel is on) flows after the government's delay and is taken up
        through trust and the way in, where an initiative that works with the government counts
        (the others help with paperwork only); its caseworkers serve at most ``aid_capacity`` of
        all households at once, rationed in proportion to uptake. What a household obtains (a
        share of full aid) brings care and practical help (a recovery rate), an emergency grant
        once per spell, a caseworker's help with claims and applications, and its emergency
        lodging paid (from the next step). Temporary homes come after the same delay and go by
        need where the government is receptive, by who applies first where it waits for
        applications. Claims, scheme applications and donations are filed as fast as the way in
        allows.

        Returns:
            Insurance claims filed and settled, scheme applications filed and paid.
        """
        h, d, gov = self.households, self.cfg.dynamics, self.government
        homes_open = gov.aid_flowing(self.day)
        needy = now.needy
        help_.aid_obtained, help_.injustice = np.zeros(needy.size), np.zeros(needy.size)
        self.aid_served[:] = 0.0
        if self.aid_flows and needy.size:
            collaborating = np.zeros(self.n_neighbourhoods, dtype=bool)
            for n, initiative in self.initiatives.items():
                collaborating[n] = initiative.collaborates
            access = np.where(collaborating[h.neighbourhood[needy]], help_.reach, 0.0)
            uptake = dyn.aid_uptake(
                h.trust[needy], h.cultural[needy], self.bridging_knowhow[needy], access, gov.receptivity
            )
            share_met = dyn.rationing(gov.aid_capacity * h.n, float(uptake.sum()))
            help_.aid_obtained = uptake * share_met
            self.aid_served[needy] = help_.aid_obtained
            self.housing.pay_aid_grants(h, needy, help_.aid_obtained, self.end_of_step, self.money)
            if share_met < 1.0:  # scarce: some feel that others, of other groups, got what they need
                help_.injustice = rel.injustice(
                    help_.aid_obtained, h.household_class[needy], h.attitude[needy], self.n_classes
                )
        help_.rates["aid"] = d.aid_rate * help_.aid_obtained

        self.housing.pay_donations(h, self.end_of_step, way_in, self.money)
        help_.scheme_paid = np.empty(0, dtype=np.int64)
        if not now.homes_at_stake:
            return 0, 0, 0, 0, 0
        end = self.end_of_step
        self.housing.house_temporarily(h, homes_open, gov.receptivity, way_in, self.dt, self.money)
        claims_filed, claims = self.housing.settle_claims(h, now.open_repairs, end, self.dt, way_in, self.money)
        scheme_open = gov.events > 0 and self.day >= gov.event_start_day + self.housing.government.scheme_opening_days
        referral = self.collaboration.handover(
            "municipality", "scheme", self.housing.government.handover_days, gov.bureaucracy
        )
        filed, help_.scheme_paid, decided = self.housing.pay_scheme(
            h, now.open_repairs, end, self.dt, scheme_open, way_in, self.money, referral
        )
        return claims_filed, claims, filed, decided, int(help_.scheme_paid.size)

    # ---- 7. update --------------------------------------------------------------------------

    def recover(self, now: StepState, own_rate: np.ndarray, help_rates: dict[str, np.ndarray]) -> dict:
        """Apply all recovery channels to the harm together; return the harm each channel took away.

        Returns:
            ``{"self": array over the harmed, channel: array over the needy, ...}``.
        """
        h, needy, harmed = self.households, now.needy, now.harmed
        total = np.zeros(h.n)
        total[harmed] = own_rate
        total[needy] += sum(help_rates.values())
        harm = h.harm[harmed]
        restored = harm * dyn.closed_fraction(total[harmed], self.dt)
        # What would be left below NEGLIGIBLE heals too, so that healed households leave the harmed.
        restored = np.where(harm - restored < dyn.NEGLIGIBLE, harm, restored)
        h.harm[harmed] = harm - restored
        per_rate = np.zeros(h.n)
        per_rate[harmed] = dyn.divide_or_zero(restored, total[harmed])
        gains = {"self": per_rate[harmed] * own_rate}
        h.gain_self[harmed] += gains["self"]
        for channel, rate in help_rates.items():
            gains[channel] = per_rate[needy] * rate
            getattr(h, f"gain_{channel}")[needy] += gains[channel]
        return gains

    def stand_in_for_provisions(self, now: StepState, help_: Help) -> None:
        """What stands in for missing water and care from now on.

        For water: the household's own stock (preparedness), bottled water from bonding ties and
        initiatives, and the water points of the scenario (fetched, or brought by a receptive
        government), together at most ``bottled_water_cover``. For care: bonding ties,
        initiatives, and a receptive government's care services once aid flows.
        """
        h, d, gov = self.households, self.cfg.dynamics, self.government
        needy = now.needy
        points_open = self.crisis.water_points_day <= self.day
        points = (1.0 - (1.0 - gov.receptivity) * (1.0 - h.personal[needy])) if points_open else 0.0
        others = (1.0 - help_.bonding_help) * (1.0 - help_.reach)
        water = 1.0 - (1.0 - h.preparedness[needy]) * others * (1.0 - points)
        care = 1.0 - others * (1.0 - gov.receptivity * self.aid_flows)
        for cover in (h.water_cover, h.care_cover):  # those that stand in now replace those of before
            cover[self.covered] = 0.0
        h.water_cover[needy] = d.bottled_water_cover * water
        h.care_cover[needy] = care
        self.covered = needy

    def update_wellbeing(self, now: StepState, fear: np.ndarray, help_: Help, given: np.ndarray) -> None:
        """Fear, stress, strain, trust and savings at the end of the step."""
        h, d, needy = self.households, self.cfg.dynamics, now.needy
        relief = np.zeros(h.n)
        relief[needy] = help_.stress_relief
        stress_target = np.maximum(now.need, h.fear) * (1.0 - d.personal_buffering * h.personal)
        h.stress[:] = dyn.stress_step(h.stress, stress_target, d.stress_rate, relief, self.dt)
        h.fear[:] = fear
        hosts = h.host[h.host >= 0]  # a host takes in one household at a time
        h.days_hosting[hosts] += self.dt
        helpers = np.flatnonzero(given > 0)
        h.help_given[helpers] += given[helpers] * self.dt
        spending = h.time_left < 1.0  # helping spends time, which rest brings back
        spending[helpers] = True
        spending = np.flatnonzero(spending)
        h.time_left[spending] = dyn.time_step(
            h.time_left[spending], given[spending], d.help_days, d.time_refill_rate, self.dt
        )
        hosting = np.zeros(h.n, dtype=bool)
        hosting[hosts] = True
        straining = h.strain > 0
        straining[helpers] = True
        straining[hosts] = True
        straining = np.flatnonzero(straining)
        gain = d.helping_strain_rate * given[straining] + d.hosting_strain_rate * hosting[straining]
        h.strain[straining] = dyn.strain_step(h.strain[straining], gain, d.strain_recovery_rate, self.dt)
        saving = np.flatnonzero(h.buffer < 1.0)
        h.buffer[saving] = dyn.settle(dyn.relax(h.buffer[saving], 1.0, d.saving_rate, self.dt), 1.0)
        self.update_relations(now, help_)

    def experience_government(self, now: StepState, help_: Help) -> None:
        """What households experienced of the government in this step, summed into their good and bad days.

        Households in need during an event experience how it treats people (its stance), whether
        help came in time, and, where aid was scarce, whether others got it instead; those with an
        open application to the scheme, its bureaucracy; those the scheme paid, how the payment
        compares with what was promised. Households not in need see what happened around them:
        in their neighbourhood, and through media in the town: how those in need were treated,
        and what the scheme paid against its promise (visible action). The government hears what those in
        need experienced (``Government.hear``), to learn from at the next event.
        """
        h, d, gov = self.households, self.cfg.dynamics, self.government
        if gov.events > 0 and now.needy.size:
            if self.aid_flows:
                timeliness = help_.aid_obtained.copy()
            else:
                waited_too_long = self.day - gov.event_start_day > d.expected_wait_days
                timeliness = np.full(now.needy.size, -1.0 if waited_too_long else 0.0)
            away = h.displaced[now.needy] != AT_HOME
            timeliness[away & (self.day - h.displaced_day[now.needy] > d.expected_home_days)] = -1.0
            procedural = (gov.affiliation - gov.dominance) / 2.0
            felt = rel.experience(procedural, timeliness, help_.injustice, d.injustice_weight)
            applying = ~np.isnan(h.scheme_filed_day[now.needy])  # entangled in the scheme's procedure
            felt[applying] = np.maximum(felt[applying] - d.entangled_weight * self.scheme.bureaucracy, -1.0)
            gov.hear(float(felt.sum()), int(felt.size), int(np.count_nonzero(timeliness < 0)))
            seen = rel.vicarious(
                felt, now.needy, h.neighbourhood, self.neighbourhood_size, self.cfg.polarisation, d.vicarious_weight
            )
            felt_by_all = seen
            felt_by_all[now.needy] = felt
            self.good_days += np.clip(felt_by_all, 0.0, None) * self.dt
            self.bad_days += np.clip(-felt_by_all, 0.0, None) * self.dt
        if help_.scheme_paid.size:  # a payment counts for promise_days, as far as it differs from the promise
            scheme = self.housing.government
            gap = (scheme.scheme_coverage - scheme.promised_coverage) / scheme.promised_coverage
            felt = np.full(help_.scheme_paid.size, float(np.clip(gap, -1.0, 1.0)))
            seen = rel.vicarious(  # visible action: neighbours, and through media the town, see the scheme pay
                felt,
                help_.scheme_paid,
                h.neighbourhood,
                self.neighbourhood_size,
                self.cfg.polarisation,
                d.vicarious_weight,
            )
            seen[help_.scheme_paid] = gap
            self.good_days += np.clip(seen, 0.0, None) * d.promise_days
            self.bad_days += np.clip(-seen, 0.0, None) * d.promise_days

    def update_relations(self, now: StepState, help_: Help) -> None:
        """Trust, stances on Leary's rose, and attitudes towards other groups (the end of ``update_wellbeing``).

        Households experience the government (``experience_government``). Trust moves with that
        experience (falling faster than it rises), fades towards the trust the household holds
        apart from it, which itself moves slowly towards its trust (trust remembers), and moves
        towards the trust of one's ties. Households' stances follow their trust and the
        government's stance; the government answers theirs. Encounters move attitudes towards other groups, and with them the
        willingness to help across group lines. Experience is summed every step; the relations
        move every ``dynamics.relations_step_days`` (every step where steps are longer, and at
        the horizon) over the days since they last moved.
        """
        h, d, gov = self.households, self.cfg.dynamics, self.government
        self.experience_government(now, help_)
        if not self.relations_due:
            return
        days = (self.steps - self.relations_moved_step) * self.dt
        self.relations_moved_step = self.steps
        who = np.flatnonzero((self.good_days > 0) | (self.bad_days > 0))
        rel.update_trust(
            h.trust,
            h.trust_baseline,
            h.trust_elsewhere,
            who,
            self.good_days[who],
            self.bad_days[who],
            self.trust_spread,
            now.ties_trust,
            d,
            days,
        )
        self.good_days[who], self.bad_days[who] = 0.0, 0.0
        rel.update_stances(h, gov.dominance, d.stance_follow_rate, days)
        gov.respond(float(h.dominance.mean()), float(h.affiliation.mean()), days)
        if now.open_repairs.size:  # repairs later in this step ask for know-how: weigh with the attitudes of now
            self._weigh_bridging()
        rel.update_attitudes(h.attitude, h.attitude_anchor, self.ties, self.cfg.polarisation, self.encounters, days)
        self.attitudes_moved = True

    def adapt(self, now: StepState) -> None:
        """Adaptation: households take measures, initiatives organise collective ones.

        A household's preparedness grows with the risk it perceives (its fading memory of damage,
        and the measures it sees its ties take: the weighted share of its ties that prepared,
        weighing more the more ties it has, with diminishing returns) where it can afford
        measures (economic capital), up to the scenario's ceiling. Where an initiative is active,
        its neighbourhood's collective protection grows.
        """
        h, d = self.households, self.cfg.dynamics
        h.risk_memory *= np.exp(-d.memory_fade_rate * self.dt)
        seen_measures = self.ties_weight * dyn.weighted_share(now.ties_measures, self.tie_strength)
        risk = dyn.perceived_risk(h.risk_memory, seen_measures, d.social_learning)
        ceiling = self.crisis.preparedness_ceiling
        h.preparedness[:] = np.maximum(
            h.preparedness, dyn.relax(h.preparedness, ceiling, d.preparedness_rate * risk * h.economic, self.dt)
        )
        for n, initiative in self.initiatives.items():
            rate = d.collective_measures_rate * initiative.effectiveness
            self.collective_protection[n] = dyn.relax(self.collective_protection[n], ceiling, rate, self.dt)

    def mark_recovered(self, now: StepState) -> None:
        """Households back above the recovery threshold get their recovery day; the event log notes their return.

        Only households needy in the step, or hit in it, can have come back.
        """
        h = self.households
        candidates = now.needy
        events = self.event_log.events
        if events and events[-1].step == self.steps:
            in_question = np.zeros(h.n, dtype=bool)
            in_question[candidates] = True
            in_question[events[-1].hit] = True
            candidates = np.flatnonzero(in_question)
        newly = candidates[
            np.isnan(h.recovered_day[candidates])
            & ~np.isnan(h.shock_day[candidates])
            & (prov.crisis_functioning(h, self.cfg.dynamics, candidates) >= self.cfg.dynamics.recovery_threshold)
        ]
        h.recovered_day[newly] = self.day
        self.event_log.add_returns(newly, self.steps, self.dt)
