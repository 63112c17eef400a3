"""The crisis model: households, government and initiatives in one Mesa model."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import mesa
import numpy as np
import scipy.sparse as sp

from agents import Collaboration, Government, Household, Organisation
from scenarios import make_scenario
from simulation import dynamics as dyn
from simulation import provisions as prov
from simulation import relations as rel
from simulation.collector import RecorderCollector
from simulation.config import Config, ConfigError
from simulation.events import EventLog
from simulation.housing import AT_HOME, Housing, Money, WayIn
from simulation.initiatives import Initiatives
from simulation.levers import Lever, Levers
from simulation.memory import keep_freed_memory
from simulation.metrics import Recorder, summarize
from simulation.networks import RowsOf, build_networks, social_capital
from simulation.parallel import by_blocks, product
from simulation.params import config_from_params
from simulation.population import build_population, standing_rank
from simulation.reference import ReferenceEngine
from simulation.results import Results
from simulation.rules import Rules
from simulation.step import PHASES, Help, StepFlows, StepState, StepWork
from simulation.streams import Streams


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
        levers: policy levers made in Python (``simulation.levers.Lever``), acting after those that
            ``cfg.policy`` turns on.
        agent_reporters: Mesa's agent reporters for ``datacollector`` (small towns only).
        **kwargs: Mesa-style keyword parameters (``simulation.params``), e.g. ``scenario="flooding",
            households=500, seed=1``; they override ``cfg`` (or the defaults).

    Attributes:
        cfg: the validated config.
        day: days since the start of the run (the end of the last step taken).
        dt: days per step.
        households: the household state arrays (``simulation.state.HouseholdState``).
        networks: bonding and bridging ties as sparse matrices.
        government: the ``Government`` agent.
        household_agents: the households as Mesa agents, made on first use.
        household_class: the class of those agents (``agents.Household`` or a subclass).
        housing: the home pipeline (shelter, money, repair) and its capacities.
        initiatives: active ``CitizenInitiative`` agents by neighbourhood.
        levers: the policy levers that act in this run (``simulation.levers.Levers``).
        crisis: the scenario that delivers shocks (not `scenario`: Mesa 3.5 gives every model one of its own).
        streams: the random streams, one per random process.
        flows: what moved in the last step (None before the first).
    """

    def __init__(
        self,
        cfg: Config | None = None,
        *,
        household_class: type[Household] = Household,
        agent_reporters: dict[str, str | Callable[[mesa.Agent], Any]] | None = None,
        levers: Sequence[Lever] = (),
        **kwargs: Any,
    ) -> None:
        if cfg is not None and not isinstance(cfg, Config):  # a composed Hydra config (Hydra only then)
            from simulation.compose import as_config

            cfg = as_config(cfg)
        rng = kwargs.pop("rng", None)  # Mesa's name for the seed (newer mesa.batch_run passes it, None for none)
        if rng is not None and kwargs.setdefault("seed", rng) != rng:
            raise ConfigError(f"rng={rng!r} is not allowed with seed={kwargs['seed']!r}: give one seed")
        if cfg is None or kwargs:
            cfg = config_from_params(cfg, **kwargs)
        super().__init__(rng=cfg.seed)
        self.cfg = cfg
        self.dt = cfg.scenario.step_days
        self.day = 0.0
        self.n_steps = cfg.scenario.n_steps
        # One stream per random process, from the same seed as model.rng (common random numbers).
        self.streams = Streams(np.random.SeedSequence(cfg.seed))
        self.levers = Levers(cfg, levers)

        self.households, propensity = build_population(
            cfg.population, self.streams.get("population"), self.levers.segregation(cfg.population.segregation)
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
        capital = h.economic + propensity + h.cultural + h.personal  # the tie propensity stands for social capital
        self.networks = self.levers.networks(self, self.networks, capital)
        self._precompute()

        self.crisis = make_scenario(cfg.scenario)
        government_cfg, start = self.levers.government(cfg.government)
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
        h.affiliation[:], h.dominance[:] = rel.invited_stances(h.trust, h.personal, self.government.dominance)
        self.money = Money()
        self.aid_served = np.zeros(h.n)  # per household: the share of full aid it obtained in the last step
        self.initiatives = Initiatives(self)
        self.event_log = EventLog(self.n_steps)
        self.flows: StepFlows | None = None
        self.covered = np.empty(0, dtype=np.int64)  # households with a stand-in for water or care
        self.affected = np.empty(0, dtype=np.int64)  # households hit at least once
        self.at_stake = np.empty(0, dtype=np.int64)  # households with a provision at stake, at the last update
        if cfg.engine == "reference" and household_class is Household:
            household_class = ReferenceEngine.household_class  # households that step themselves
        self.household_class = household_class  # made on first use: see ``household_agents``
        self._household_agents: mesa.AgentSet | None = None
        self.crisis.start(self)
        self.levers.on_start(self)

        self.recorder = Recorder(self)
        self.recorder.record(self)
        # The phases of a step by name, each a method of the model or, with engine=reference, of the
        # per-agent reference engine; rules added by name run after their phase.
        self.phases: dict[str, Callable[[StepWork], None]] = {phase: getattr(self, phase) for phase in PHASES}
        if cfg.engine == "reference":
            self.phases.update(ReferenceEngine(self).phases())
        self.rules = Rules(self)
        # Mesa's step counts the step and then runs the phases; refuse a step past the horizon first.
        self._count_and_step = self.step
        self.step = self._step_within_horizon
        self.datacollector = RecorderCollector(self, agent_reporters)
        keep_freed_memory(h.n)  # the steps' temporaries reuse memory from here on

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
    def household_agents(self) -> mesa.AgentSet:
        """The households as Mesa agents (``household_class``), each a view on its row of the arrays.

        Made the first time they are asked for, here or through ``agents`` and ``agents_by_type``:
        the vectorised engine steps the arrays, so a town that nobody looks at household by
        household never makes its millions of Python objects (six seconds and about 3 GiB for 8
        million households).
        """
        if self._household_agents is None:
            for index in range(self.households.n):
                self.household_class(self, index)
            self._household_agents = super().agents_by_type[self.household_class]
        return self._household_agents

    @property
    def agents(self) -> mesa.AgentSet:
        """Every agent of the model (Mesa's ``agents``), the households made if they were not yet."""
        if getattr(self, "_household_agents", 0) is None:
            self.household_agents  # noqa: B018 (made on first use)
        return super().agents

    @property
    def agents_by_type(self) -> dict[type, mesa.AgentSet]:
        """Mesa's ``agents_by_type``, the households made if they were not yet."""
        if getattr(self, "_household_agents", 0) is None:
            self.household_agents  # noqa: B018 (made on first use)
        return super().agents_by_type

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
        """Advance the model by one step of ``dt`` days: the phases of ``PHASES`` in order, each followed by its rules."""
        work = StepWork()
        for phase in PHASES:
            self.phases[phase](work)
            self.rules.run(phase)

    @property
    def end_of_step(self) -> float:
        """The day at the end of the step being taken: what happens in a step is dated then.

        Counted from steps, not summed, so that day numbers carry no rounding drift.
        """
        return self.steps * self.dt

    def run(self) -> Results:
        """Run every step up to the scenario's horizon and return the results.

        What policy levers gained against the same town without them is added by
        ``simulation.run``, which runs that twin (``simulation.running``).
        """
        while self.steps < self.n_steps:
            self.step()
        return self.results

    @property
    def results(self) -> Results:
        """Time series, household table and summary of the steps taken so far."""
        timeseries = self.recorder.frame()
        return Results(
            timeseries=timeseries,
            households=self.households.to_frame(),
            events=self.event_log.frame(self.households.household_class, self.households.class_names, self.day),
            summary=summarize(self, timeseries),
            config=self.cfg,
        )

    # ---- 1. hazard ------------------------------------------------------------------------

    def hazard(self, work: StepWork) -> None:
        """Phase 1: the scenario decides who is hit (the step's money record starts anew)."""
        self.money = Money()
        if self.attitudes_moved:  # weigh bridging ties again when next used
            self._bridging_knowhow, self.attitudes_moved = None, False
        harm_before = float(self.households.harm.sum())
        self.crisis.hazard(self)
        work.harm_added = float(self.households.harm.sum()) - harm_before
        self.recorder.record_start(self)

    def snapshot(self, work: StepWork) -> None:
        """The state phases 2-6 read (``read_state``)."""
        work.now = self.read_state()

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
        protection = self.initiatives.protection[h.neighbourhood[index]]
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
        self.levers.on_event(self)
        self.event_log.add(self.steps, self.day, event_severity, index, lost)

    def citizens_heard(self) -> float:
        """How far the government hears citizens: the share of neighbourhoods whose initiative works with it, as levers change it (1 with co-design)."""
        return self.levers.citizens_heard(self.initiatives.heard_share())

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
        spare, offer = np.empty(h.n), np.empty(h.n)

        def spare_and_offer(rows: slice) -> None:
            spare[rows] = dyn.spare_capacity(h.functioning[rows], h.stress[rows], d.spare_from) * h.time_left[rows]
            np.multiply(spare[rows], self.resources[rows], out=offer[rows])

        by_blocks(h.n, spare_and_offer)
        # Without anyone needy no bridging tie is used: no need to weigh them.
        bridging = self.bridging_now if needy.size else net.bridging
        bonding_of_needy, bridging_of_needy = RowsOf(net.bonding, needy), RowsOf(bridging, needy)
        neighbourhood_need = np.bincount(h.neighbourhood[needy], weights=need_of_needy, minlength=self.n_neighbourhoods)
        if needy.size:
            initiative_claim = self.initiatives.claims(needy, neighbourhood_need)
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
            **self.seen_through_ties(),
        )

    def seen_through_ties(self) -> dict[str, np.ndarray | None]:
        """What households see of their ties' measures and trust (which change only later in the step).

        Where both are due, one pass over the tie matrix gives both tie-weighted sums (a product
        with two columns: the same sums, in the same order, as two products, for half the reads).
        """
        h = self.households
        if not self.relations_due:
            return {"ties_measures": product(self.ties, h.preparedness), "ties_trust": None}
        measures, trust = product(self.ties, np.column_stack((h.preparedness, h.trust))).T  # views on the columns
        return {"ties_measures": measures, "ties_trust": trust}

    # ---- 2. perception --------------------------------------------------------------------

    def perception(self, work: StepWork) -> None:
        """Phase 2: fear of unavailable essentials at the end of the step (applied in ``wellbeing``).

        A household fears for what it lacks itself and for what its ties report they lack
        (the weighted share of its ties lacking a provision); trust in official information eases it.
        """
        h, d, now = self.households, self.cfg.dynamics, work.now
        if now.lacks.any():
            reported = dyn.divide_or_zero(self.tie_weight_to(now.lacks), self.tie_strength)
            target = dyn.fear_target(now.lacks, reported, h.trust, d.rumour_weight, d.trust_reassurance)
        else:  # no one lacks a provision, nor reports lacking one
            target = np.zeros(h.n)
        work.fear = dyn.relax(h.fear, target, d.fear_rate, self.dt)

    # ---- 3. own means -----------------------------------------------------------------------

    def own_means(self, work: StepWork) -> None:
        """Phase 3: the own rate of recovery of the harmed (aligned with ``now.harmed``); savings paid for lodging and repair."""
        h, d, now = self.households, self.cfg.dynamics, work.now
        harmed = now.harmed
        if now.homes_at_stake:
            self.housing.pay_own(h, self.dt, self.money, self.aid_served)
        work.own_rate = dyn.self_recovery_rate(
            d.self_recovery_rate,
            h.economic[harmed],
            h.personal[harmed],
            h.economic[harmed] * h.buffer[harmed],
            h.stress[harmed],
            d.stress_slowdown,
        )

    # ---- 4. support -----------------------------------------------------------------------

    def support(self, work: StepWork) -> None:
        """Phase 4: what bonding and bridging ties do for the needy, and shelter with bonding ties.

        Every helper gives what the need that claims it asks, as far as its offer goes: its needy
        ties (by tie weight times need) and, for a member, its initiative; where the claims exceed
        its offer, each gets its share. Support received along both
        networks saturates together into harm recovery; bonding support also brings water and
        care (practical help) and relieves stress. Households in emergency lodging then ask
        their bonding ties for a place to stay.
        """
        d, on, now, help_ = self.cfg.dynamics, self.cfg.channels.on, work.now, work.help
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

    def collective_action(self, work: StepWork) -> None:
        """Phase 5: initiatives reach the needy, members and their ties first; then they dissolve and form.

        How far an initiative reaches is ``Initiatives.reach``. Initiatives that dissolve or form
        in this step do so from the state at its start; new ones act from the next step.
        """
        h, now, help_ = self.households, work.now, work.help
        home = h.neighbourhood[now.needy]
        if self.initiatives:
            help_.known, help_.reach = self.initiatives.reach(now, home)
        else:
            help_.known, help_.reach = np.zeros(now.needy.size, dtype=bool), np.zeros(now.needy.size)
        help_.rates["initiative"] = self.cfg.dynamics.initiative_rate * help_.reach

        needy_share = np.bincount(home, minlength=self.n_neighbourhoods) / self.neighbourhood_size
        self.initiatives.dissolve(needy_share)
        if self.cfg.channels.on("initiatives"):
            self.initiatives.form(now, needy_share)

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

    def reach_of_all(self, now: StepState, reach: np.ndarray) -> np.ndarray:
        """An initiative's reach for every household (0 for those not needy)."""
        everyone = np.zeros(self.households.n)
        everyone[now.needy] = reach
        return everyone

    # ---- 6. aid and institutions ---------------------------------------------------------------

    def aid(self, work: StepWork) -> None:
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
        allows (``work.way_in``, set here for the repairs too); the counts of claims and
        applications go to ``work`` for measurement.
        """
        h, d, gov, now, help_ = self.households, self.cfg.dynamics, self.government, work.now, work.help
        work.way_in = way_in = WayIn(
            h.cultural,
            lambda: self.bridging_knowhow,
            self.reach_of_all(now, help_.reach),
            self.contractor_news,
            self.aid_served,  # filled in below, before the processes that ask for paperwork
            self.housing.government.aid_paperwork,
        )
        homes_open = gov.aid_flowing(self.day)
        needy = now.needy
        help_.aid_obtained, help_.injustice = np.zeros(needy.size), np.zeros(needy.size)
        self.aid_served[:] = 0.0
        if self.aid_flows and needy.size:
            collaborating = self.initiatives.per_neighbourhood("collaborates") > 0
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
            return
        end = self.end_of_step
        self.housing.house_temporarily(h, homes_open, gov.receptivity, way_in, self.dt, self.money)
        work.claims_filed, work.claims_settled = self.housing.settle_claims(
            h, now.open_repairs, end, self.dt, way_in, self.money
        )
        scheme_open = gov.events > 0 and self.day >= gov.event_start_day + self.housing.government.scheme_opening_days
        referral = self.collaboration.handover(
            "municipality", "scheme", self.housing.government.handover_days, gov.bureaucracy
        )
        work.scheme_filed, help_.scheme_paid, work.scheme_decided = self.housing.pay_scheme(
            h, now.open_repairs, end, self.dt, scheme_open, way_in, self.money, referral
        )

    # ---- 7. update --------------------------------------------------------------------------

    def recovery(self, work: StepWork) -> None:
        """Phase 7: apply all recovery channels to the harm together; ``work.gains`` is the harm each took away.

        ``work.gains``: ``{"self": array over the harmed, channel: array over the needy, ...}``.
        """
        h, needy, harmed = self.households, work.now.needy, work.now.harmed
        own_rate, help_rates = work.own_rate, work.help.rates
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
        work.gains = gains

    def stand_ins(self, work: StepWork) -> None:
        """What stands in for missing water and care from now on.

        For water: the household's own stock (preparedness), bottled water from bonding ties and
        initiatives, and the water points of the scenario (fetched, or brought by a receptive
        government), together at most ``bottled_water_cover``. For care: bonding ties,
        initiatives, and a receptive government's care services once aid flows.
        """
        h, d, gov, help_ = self.households, self.cfg.dynamics, self.government, work.help
        needy = work.now.needy
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

    def wellbeing(self, work: StepWork) -> None:
        """Fear, stress, time for helping, strain and savings at the end of the step.

        What every helper gave (``work.given``) is its offer per claimed need times the need that claimed it.
        """
        h, d, now, help_ = self.households, self.cfg.dynamics, work.now, work.help
        needy = now.needy
        work.given = given = now.offer_per_need * now.claimed
        relief = np.zeros(h.n)
        relief[needy] = help_.stress_relief

        def feel(rows: slice) -> None:
            stress_target = np.maximum(now.need[rows], h.fear[rows]) * (1.0 - d.personal_buffering * h.personal[rows])
            h.stress[rows] = dyn.stress_step(h.stress[rows], stress_target, d.stress_rate, relief[rows], self.dt)
            h.fear[rows] = work.fear[rows]

        by_blocks(h.n, feel)
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

    def relations(self, work: StepWork) -> None:
        """Trust, stances on Leary's rose, and attitudes towards other groups.

        Households experience the government (``experience_government``). Trust moves with that
        experience (falling faster than it rises), fades towards the trust the household holds
        apart from it, which itself moves slowly towards its trust (trust remembers), and moves
        towards the trust of one's ties. Households' stances follow their trust and the
        government's stance; the government answers theirs. Encounters move attitudes towards other groups, and with them the
        willingness to help across group lines. Experience is summed every step; the relations
        move every ``dynamics.relations_step_days`` (every step where steps are longer, and at
        the horizon) over the days since they last moved.
        """
        h, d, gov, now = self.households, self.cfg.dynamics, self.government, work.now
        self.experience_government(now, work.help)
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

    def repair(self, work: StepWork) -> None:
        """Repairs and coming home (``Housing.repair``), where homes are at stake."""
        now = work.now
        if now.homes_at_stake:
            head_start = self.cfg.dynamics.access_head_start_days if self.cfg.channels.on("head_start") else 0.0
            self.housing.repair(
                self.households, now.open_repairs, self.end_of_step, self.dt, work.way_in, head_start, self.money
            )

    def adaptation(self, work: StepWork) -> None:
        """Adaptation: households take measures, initiatives organise collective ones.

        A household's preparedness grows with the risk it perceives (its fading memory of damage,
        and the measures it sees its ties take: the weighted share of its ties that prepared,
        weighing more the more ties it has, with diminishing returns) where it can afford
        measures (economic capital), up to the scenario's ceiling. Where an initiative is active,
        its neighbourhood's collective protection grows.
        """
        h, d, ties_measures = self.households, self.cfg.dynamics, work.now.ties_measures
        fading = np.exp(-d.memory_fade_rate * self.dt)
        ceiling = self.crisis.preparedness_ceiling

        def prepare(rows: slice) -> None:
            memory, prepared = h.risk_memory[rows], h.preparedness[rows]  # views: the updates write through
            memory *= fading
            seen_measures = self.ties_weight[rows] * dyn.weighted_share(ties_measures[rows], self.tie_strength[rows])
            risk = dyn.perceived_risk(memory, seen_measures, d.social_learning)
            rate = d.preparedness_rate * risk * h.economic[rows]
            np.maximum(prepared, dyn.relax(prepared, ceiling, rate, self.dt), out=prepared)

        by_blocks(h.n, prepare)
        self.initiatives.organise_measures(ceiling)

    def transformation(self, work: StepWork) -> None:
        """Transformation: the scenario's collective change (sea-level rise only)."""
        self.crisis.transform(self)

    def measurement(self, work: StepWork) -> None:
        """Phase 8: the step ends; functioning, recovery days, the step's flows and one row of indicators."""
        now, help_ = work.now, work.help
        self.day = self.end_of_step
        self.at_stake = prov.update_functioning(self.households, self.cfg.dynamics, self.day)
        self.mark_recovered(now)
        self.flows = StepFlows(
            needy=now.needy,
            gains=work.gains,
            harm_added=work.harm_added,
            offer=now.offer,
            given=work.given,
            aid_obtained=help_.aid_obtained,
            reach=help_.reach,
            known=help_.known,
            aid_capacity=self.government.aid_capacity * self.households.n,
            money=self.money,
            claims_filed=work.claims_filed,
            claims_settled=work.claims_settled,
            scheme_filed=work.scheme_filed,
            scheme_decided=work.scheme_decided,
            scheme_paid=int(help_.scheme_paid.size),
        )
        self.recorder.record(self)
        self.datacollector.collect(self)
        self.running = self.steps < self.n_steps

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
