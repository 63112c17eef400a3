"""The crisis model: households, government and initiatives in one Mesa model."""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np
import scipy.sparse as sp

from agents import CitizenInitiative, Government, Household
from scenarios import make_scenario
from simulation import dynamics as dyn
from simulation.compose import as_config
from simulation.config import Config
from simulation.events import EventLog
from simulation.memory import check_memory, keep_freed_memory
from simulation.metrics import Recorder, summarize
from simulation.networks import build_networks, social_capital
from simulation.population import build_population
from simulation.results import Results
from simulation.streams import Streams


@dataclass
class StepState:
    """The households at the start of a step (after the hazard), as every later phase reads them.

    Help (support, initiatives, aid) goes to needy households only, so those phases work on
    the rows of the needy: arrays named ``*_of_needy`` are aligned with ``needy``.
    """

    need: np.ndarray  # 1 - functioning, every household
    needy: np.ndarray  # indices of households below the recovery threshold
    need_of_needy: np.ndarray  # need[needy]
    spare: np.ndarray  # capacity to help others, every household
    offer: np.ndarray  # spare capacity times the household's resources
    bonding_of_needy: sp.csr_array  # the needy households' rows of the bonding matrix
    bridging_of_needy: sp.csr_array  # ... and of the bridging matrix
    needy_bonding_need: np.ndarray  # summed need of each household's needy bonding ties (weighted)
    needy_bridging_need: np.ndarray  # ... of its needy bridging ties
    neighbourhood_need: np.ndarray  # per neighbourhood: summed need of its needy households
    initiative_claim: np.ndarray  # per household: what its initiative asks of it (0 for non-members)
    offer_per_need: np.ndarray  # per household: its offer divided by all the need that claims it


@dataclass
class StepFlows:
    """What moved in the last step, for measurement (the recorder reads it; nothing else does).

    Arrays named for the needy are aligned with ``needy``.
    """

    needy: np.ndarray  # indices of the households that were needy in the step
    gains: dict[str, np.ndarray]  # functioning restored per channel ("self": every household; others: the needy)
    offer: np.ndarray  # every household's capacity to help, at the start of the step
    given: np.ndarray  # what every household gave to its needy ties and its initiative
    aid_obtained: np.ndarray  # share of full aid each needy household obtained
    aid_capacity: float  # households the government could serve at full intensity


class CrisisModel(mesa.Model):
    """A community hit by a crisis, recovering through its own means, its ties, initiatives and aid.

    One step, in order (docs/ODD.md, section 3). Phases 2-6 read the state as it was right after
    the hazard (synchronous update); phase 7 applies what they computed, and adaptation and
    transformation then read the updated state:

    1. hazard: the scenario delivers shocks;
    2. perception: fear of unavailable essentials, from one's own deficit and ties' reports;
    3. self-recovery: economic and personal capital and the buffer, slowed by stress;
    4. support: helpers divide their spare capacity over their needy ties and their initiative;
       bonding support also relieves stress;
    5. collective action: initiatives reach the neighbourhood's needy with what members gave
       them, then dissolve where the need is gone and form where cohesion and capacity meet need;
    6. government aid: after the delay; uptake through trust, cultural capital, bridging know-how
       and the way in that collaborating initiatives of phase 5 give;
    7. update: recovery, fear, stress, trust and buffer; then adaptation and transformation;
    8. measurement: recovery days, the step's flows and one row of indicators.

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
        initiatives: active ``CitizenInitiative`` agents by neighbourhood.
        crisis: the scenario that delivers shocks (not `scenario`: Mesa 3.5 gives every model one of its own).
    """

    def __init__(self, cfg: Config | None = None) -> None:
        cfg = as_config(cfg)
        check_memory(cfg)
        super().__init__(rng=cfg.seed)
        keep_freed_memory(cfg.population.households)
        self.cfg = cfg
        self.dt = cfg.scenario.step_days
        self.day = 0.0
        self.n_steps = cfg.scenario.n_steps
        # One stream per random process, from the same seed as model.rng (common random numbers).
        self.streams = Streams(np.random.SeedSequence(cfg.seed))

        self.households, propensity = build_population(cfg.population, self.streams.get("population"))
        h = self.households
        self.networks = build_networks(
            cfg.network,
            h.household_class,
            h.neighbourhood,
            propensity,
            self.streams.get("bonding"),
            self.streams.get("bridging"),
        )
        self._precompute()

        self.crisis = make_scenario(cfg.scenario)
        self.government = Government(self, cfg.government)
        self.initiatives: dict[int, CitizenInitiative] = {}
        self.initiatives_formed = 0
        self.first_initiative_day: float | None = None
        self.event_log = EventLog()
        # Collective measures that initiatives organised, per neighbourhood (damage avoided, 0..1).
        self.collective_protection = np.zeros(self.n_neighbourhoods)
        self.flows: StepFlows | None = None
        for index in range(h.n):
            Household(self, index)
        self.crisis.start(self)

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
        self.tie_strength = net.bonding_strength + net.bridging_strength
        h.social[:] = social_capital(net, self.cfg.network.social_capital_scale)
        # Cohesion of a neighbourhood: mean social capital from bonding ties alone.
        bonding_capital = dyn.saturating(net.bonding_strength / self.cfg.network.social_capital_scale)
        self.neighbourhood_size = np.bincount(h.neighbourhood, minlength=self.n_neighbourhoods)
        self.cohesion = self.per_neighbourhood_mean(bonding_capital)
        # What a helper brings: its resources and know-how (economic, cultural, personal capital).
        self.resources = (h.economic + h.cultural + h.personal) / 3.0
        # Know-how about rules that bridging ties carry (cultural capital across weak ties).
        self.bridging_knowhow = dyn.saturating(net.bridging @ h.cultural)
        self.neighbourhood_members = np.split(
            np.argsort(h.neighbourhood, kind="stable"), np.cumsum(self.neighbourhood_size)[:-1]
        )

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
        self.deliver_hazard()
        self.recorder.record_start(self)
        now = self.read_state()
        fear = self.perceive(now)
        own_rate = self.recover_by_own_means(now)
        help_rates = {}
        help_rates["bonding"], help_rates["bridging"], stress_relief = self.support(now)
        help_rates["initiative"], initiative_access = self.act_collectively(now)
        help_rates["aid"], aid_obtained = self.give_aid(now, initiative_access)
        gains = self.recover(now, own_rate, help_rates)
        self.update_wellbeing(now, fear, stress_relief, aid_obtained)
        self.adapt()
        self.crisis.transform(self)
        self.day = self.end_of_step
        self.mark_recovered()
        self.flows = StepFlows(
            needy=now.needy,
            gains=gains,
            offer=now.offer,
            given=now.offer_per_need * (now.needy_bonding_need + now.needy_bridging_need + now.initiative_claim),
            aid_obtained=aid_obtained,
            aid_capacity=self.government.aid_capacity * self.households.n,
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
        """Run every step up to the scenario's horizon and return the results."""
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

    def deliver_hazard(self) -> None:
        """Phase 1: the scenario decides who is hit."""
        self.crisis.hazard(self)

    def shock(self, hit: np.ndarray, severity: np.ndarray, event_severity: float) -> None:
        """Hit the households in mask ``hit`` with the given severity (array over all households).

        ``event_severity`` is the event's own severity (before household differences), for the event log.

        Damage is the severity less what preparedness avoids (the household's own measures and
        its neighbourhood's collective ones, together at most the scenario's ceiling), as a share
        of current functioning. Part of it is paid from the buffer; it is remembered. A household
        that had recovered (or was never hit) starts a new shock; one still recovering continues
        its current one.
        """
        if not hit.any():
            return
        h = self.households
        protection = self.collective_protection[h.neighbourhood[hit]]
        prepared = np.minimum(
            1.0 - (1.0 - h.preparedness[hit]) * (1.0 - protection), self.crisis.preparedness_ceiling
        )
        lost = h.functioning[hit] * dyn.shock_damage(severity[hit], prepared, self.cfg.dynamics.preparedness_efficacy)
        h.functioning[hit] -= lost
        h.damage[hit] = lost
        h.buffer[hit] = np.maximum(h.buffer[hit] - self.cfg.dynamics.damage_cost * lost, 0.0)
        h.risk_memory[hit] = np.maximum(h.risk_memory[hit], lost)
        new_spell = hit & (np.isnan(h.shock_day) | ~np.isnan(h.recovered_day))
        h.shock_day[new_spell] = self.day
        h.recovered_day[hit] = np.nan
        self.government.start_event(self.day)
        self.event_log.add(self.steps, self.day, event_severity, np.flatnonzero(hit), lost)

    def read_state(self) -> StepState:
        """The state every later phase of this step reads."""
        h, d, net = self.households, self.cfg.dynamics, self.networks
        need = 1.0 - h.functioning
        needy = np.flatnonzero(h.functioning < d.recovery_threshold)
        need_of_needy = need[needy]
        spare = dyn.spare_capacity(h.functioning, h.stress, d.spare_from)
        offer = spare * self.resources
        bonding_of_needy, bridging_of_needy = net.bonding[needy], net.bridging[needy]
        # The matrices are symmetric, so the needy rows transposed give every household's needy ties.
        needy_bonding_need = bonding_of_needy.T @ need_of_needy
        needy_bridging_need = bridging_of_needy.T @ need_of_needy
        neighbourhood_need = np.bincount(h.neighbourhood[needy], weights=need_of_needy, minlength=self.n_neighbourhoods)
        initiative_claim = self.initiative_claims(needy, neighbourhood_need)
        claimed = needy_bonding_need + needy_bridging_need + initiative_claim
        return StepState(
            need=need,
            needy=needy,
            need_of_needy=need_of_needy,
            spare=spare,
            offer=offer,
            bonding_of_needy=bonding_of_needy,
            bridging_of_needy=bridging_of_needy,
            needy_bonding_need=needy_bonding_need,
            needy_bridging_need=needy_bridging_need,
            neighbourhood_need=neighbourhood_need,
            initiative_claim=initiative_claim,
            offer_per_need=dyn.divide_or_zero(offer, claimed),
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

        What ties report is the weighted mean need of one's ties, counting the needy ones.
        """
        h, d = self.households, self.cfg.dynamics
        reported = dyn.divide_or_zero(now.needy_bonding_need + now.needy_bridging_need, self.tie_strength)
        target = dyn.fear_target(now.need, reported, h.trust, d.rumour_weight, d.trust_reassurance)
        return dyn.relax(h.fear, target, d.fear_rate, self.dt)

    # ---- 3. self-recovery -----------------------------------------------------------------

    def recover_by_own_means(self, now: StepState) -> np.ndarray:
        """Phase 3: each household's own recovery rate."""
        h, d = self.households, self.cfg.dynamics
        return dyn.self_recovery_rate(
            d.self_recovery_rate, h.economic, h.personal, h.buffer, h.stress, d.stress_slowdown
        )

    # ---- 4. support -----------------------------------------------------------------------

    def support(self, now: StepState) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Phase 4: recovery rates of the needy from bonding and from bridging support, and their stress relief rate.

        Every helper divides its offer over all the need that claims it: its needy ties (by tie
        weight times need) and, for a member, its initiative. Support received along both
        networks saturates together; bonding support also relieves stress.
        """
        d = self.cfg.dynamics
        bonding = dyn.support_received(now.bonding_of_needy, now.need_of_needy, now.offer_per_need)
        bridging = dyn.support_received(now.bridging_of_needy, now.need_of_needy, now.offer_per_need)
        received = bonding + bridging
        rate_per_support = dyn.divide_or_zero(d.support_rate * dyn.saturating(received), received)
        relief = d.stress_relief_rate * dyn.saturating(bonding)
        return rate_per_support * bonding, rate_per_support * bridging, relief

    # ---- 5. collective action ---------------------------------------------------------------

    def act_collectively(self, now: StepState) -> tuple[np.ndarray, np.ndarray]:
        """Phase 5: initiatives reach the needy of their neighbourhood; then they dissolve and form.

        An initiative pools what its members give it and spreads the pool, made more effective
        by creativity, over every needy household of the neighbourhood in proportion to need,
        whether or not the household has ties of its own. Initiatives that dissolve or form in
        this step do so from the state at its start; new ones act from the next step.

        Returns:
            For each needy household: the recovery rate it gets from an initiative, and the way
            in to government aid that a collaborating initiative gives it (in [0, 1)).
        """
        h, d = self.households, self.cfg.dynamics
        effectiveness = np.zeros(self.n_neighbourhoods)
        collaborates = np.zeros(self.n_neighbourhoods, dtype=bool)
        for n, initiative in self.initiatives.items():
            effectiveness[n] = initiative.effectiveness
            collaborates[n] = initiative.collaborates
        member = np.flatnonzero(h.initiative >= 0)
        given = now.offer_per_need[member] * now.initiative_claim[member]
        pool = np.bincount(h.initiative[member], weights=given, minlength=self.n_neighbourhoods)
        home = h.neighbourhood[now.needy]
        per_need = dyn.divide_or_zero(pool * effectiveness, now.neighbourhood_need)
        reached = dyn.saturating(now.need_of_needy * per_need[home])

        needy_share = np.bincount(home, minlength=self.n_neighbourhoods) / self.neighbourhood_size
        self.dissolve_initiatives(needy_share)
        self.form_initiatives(now, needy_share)
        return d.initiative_rate * reached, np.where(collaborates[home], reached, 0.0)

    def has_initiative(self) -> np.ndarray:
        """For each neighbourhood, whether an initiative is active there."""
        active = np.zeros(self.n_neighbourhoods, dtype=bool)
        active[list(self.initiatives)] = True
        return active

    def dissolve_initiatives(self, needy_share: np.ndarray) -> None:
        """Initiatives whose neighbourhood has (nearly) no needy households left dissolve."""
        for n in [n for n in self.initiatives if needy_share[n] < self.cfg.dynamics.dissolve_below]:
            initiative = self.initiatives.pop(n)
            self.households.initiative[initiative.members] = -1
            initiative.remove()

    def form_initiatives(self, now: StepState, needy_share: np.ndarray) -> None:
        """Neighbourhoods without an initiative start one with a hazard set by cohesion, spare capacity and need.

        Households join with probability equal to their social capital; the initiative's
        creativity grows with the class diversity of its members.
        """
        h, d = self.households, self.cfg.dynamics
        hazard = dyn.formation_hazard(
            d.formation_rate, self.cohesion, self.per_neighbourhood_mean(now.spare), needy_share
        )
        # Fixed blocks from their own streams: one uniform per neighbourhood for formation and for
        # collaboration, one per resident for membership (drawn only where one forms, keyed by it).
        formation = self.streams.get("formation", self.steps).random(self.n_neighbourhoods)
        collaboration = self.streams.get("collaboration", self.steps).random(self.n_neighbourhoods)
        forming = (formation < dyn.closed_fraction(hazard, self.dt)) & ~self.has_initiative()
        for n in np.flatnonzero(forming):
            residents = self.neighbourhood_members[n]
            joins = self.streams.get("membership", self.steps, n).random(residents.size) < h.social[residents]
            members = residents[joins]
            class_counts = np.bincount(h.household_class[members], minlength=self.n_classes)[None, :]
            self.initiatives[int(n)] = CitizenInitiative(
                self,
                neighbourhood=int(n),
                members=members,
                effectiveness=1.0 + d.creativity * float(dyn.class_diversity(class_counts)[0]),
                collaborates=bool(collaboration[n] < self.government.collaboration),
            )
            h.initiative[members] = n
            self.initiatives_formed += 1
            if self.first_initiative_day is None:
                self.first_initiative_day = self.end_of_step

    # ---- 6. government aid -----------------------------------------------------------------

    def give_aid(self, now: StepState, initiative_access: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Phase 6: for each needy household, the recovery rate from aid and the share of aid obtained."""
        h, d, gov = self.households, self.cfg.dynamics, self.government
        if not gov.aid_flowing(self.day):
            zero = np.zeros(now.needy.size)
            return zero, zero
        needy = now.needy
        uptake = dyn.aid_uptake(
            h.trust[needy], h.cultural[needy], self.bridging_knowhow[needy], initiative_access, gov.receptivity
        )
        obtained = uptake * dyn.rationing(gov.aid_capacity * h.n, float(uptake.sum()))
        return d.aid_rate * obtained, obtained

    # ---- 7. update --------------------------------------------------------------------------

    def recover(self, now: StepState, own_rate: np.ndarray, help_rates: dict[str, np.ndarray]) -> dict:
        """Apply all recovery channels together; return the functioning each channel restored.

        Returns:
            ``{"self": array over all households, channel: array over the needy, ...}``.
        """
        h, needy = self.households, now.needy
        total = own_rate.copy()
        total[needy] += sum(help_rates.values())
        restored = now.need * dyn.closed_fraction(total, self.dt)
        h.functioning += restored
        per_rate = np.divide(restored, total, out=np.zeros_like(total), where=total > 0)
        gains = {"self": per_rate * own_rate}
        h.gain_self += gains["self"]
        for channel, rate in help_rates.items():
            gains[channel] = per_rate[needy] * rate
            getattr(h, f"gain_{channel}")[needy] += gains[channel]
        return gains

    def update_wellbeing(
        self, now: StepState, fear: np.ndarray, stress_relief: np.ndarray, aid_obtained: np.ndarray
    ) -> None:
        """Fear, stress, trust and buffer at the end of the step."""
        h, d, needy = self.households, self.cfg.dynamics, now.needy
        relief = np.zeros(h.n)
        relief[needy] = stress_relief
        stress_target = np.maximum(now.need, h.fear) * (1.0 - d.personal_buffering * h.personal)
        h.stress[:] = dyn.stress_step(h.stress, stress_target, d.stress_rate, relief, self.dt)
        h.fear[:] = fear
        # Needy households' trust follows the share of aid they obtain (none during the delay).
        h.trust[needy] = dyn.relax(h.trust[needy], aid_obtained, d.trust_rate, self.dt)
        h.buffer[:] = dyn.relax(h.buffer, h.economic, d.saving_rate, self.dt)

    def adapt(self) -> None:
        """Adaptation: households take measures, initiatives organise collective ones.

        A household's preparedness grows with the risk it perceives (its fading memory of damage,
        and the measures it sees its ties take: the more prepared ties, the more it sees) where
        it can afford measures (economic capital), up to the scenario's ceiling. Where an
        initiative is active, its neighbourhood's collective protection grows.
        """
        h, d = self.households, self.cfg.dynamics
        h.risk_memory *= np.exp(-d.memory_fade_rate * self.dt)
        seen_measures = dyn.saturating((self.ties @ h.preparedness) / self.cfg.network.social_capital_scale)
        risk = dyn.perceived_risk(h.risk_memory, seen_measures, d.social_learning)
        ceiling = self.crisis.preparedness_ceiling
        h.preparedness[:] = np.maximum(
            h.preparedness, dyn.relax(h.preparedness, ceiling, d.preparedness_rate * risk * h.economic, self.dt)
        )
        for n, initiative in self.initiatives.items():
            rate = d.collective_measures_rate * initiative.effectiveness
            self.collective_protection[n] = dyn.relax(self.collective_protection[n], ceiling, rate, self.dt)

    def mark_recovered(self) -> None:
        """Households back above the recovery threshold get their recovery day."""
        h = self.households
        newly = np.isnan(h.recovered_day) & ~np.isnan(h.shock_day)
        newly &= h.functioning >= self.cfg.dynamics.recovery_threshold
        h.recovered_day[newly] = self.end_of_step
        self.event_log.update(h.functioning, self.cfg.dynamics.recovery_threshold, self.end_of_step)
