"""Citizen initiatives: who forms one, whom it reaches, when it dissolves, what it organises.

The model's collective action (phase 5) and the initiatives' collective measures (adaptation)
in one component, as ``Housing`` holds the home pipeline. It is a mapping from neighbourhood to
its active ``CitizenInitiative`` agent, so ``len(model.initiatives)`` and
``model.initiatives.values()`` read as before.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

import numpy as np

from agents import CitizenInitiative
from simulation import dynamics as dyn

if TYPE_CHECKING:
    from mesa import Model as CrisisModel  # the CrisisModel (simulation.model imports this module)

    from simulation.step import StepState


class Initiatives(Mapping[int, CitizenInitiative]):
    """The active initiatives by neighbourhood, and how they form, reach, dissolve and organise.

    Attributes:
        formed: initiatives formed so far (a standing initiative renewed at an event is not a new one).
        first_day: the day the first initiative formed (None before).
        protection: per neighbourhood, the share of damage that the collective measures its
            initiatives organised avoid (0..1).
    """

    def __init__(self, model: CrisisModel) -> None:
        self.model = model
        self.active: dict[int, CitizenInitiative] = {}
        self.formed = 0
        self.first_day: float | None = None
        self.protection = np.zeros(model.n_neighbourhoods)
        self._known: np.ndarray | None = None  # households the initiatives know (see ``known``)

    def __getitem__(self, neighbourhood: int) -> CitizenInitiative:
        return self.active[neighbourhood]

    def __iter__(self) -> Iterator[int]:
        return iter(self.active)

    def __len__(self) -> int:
        return len(self.active)

    def per_neighbourhood(self, attribute: str) -> np.ndarray:
        """An attribute of each neighbourhood's initiative (0 where there is none)."""
        values = np.zeros(self.model.n_neighbourhoods)
        for n, initiative in self.active.items():
            values[n] = getattr(initiative, attribute)
        return values

    def heard_share(self) -> float:
        """The share of neighbourhoods whose initiative works with the government."""
        return sum(initiative.collaborates for initiative in self.active.values()) / self.model.n_neighbourhoods

    def claims(self, needy: np.ndarray, neighbourhood_need: np.ndarray) -> np.ndarray:
        """What each member's initiative asks of it (0 for non-members).

        Like one tie of weight ``initiative_commitment`` to a household in the mean need of
        the neighbourhood's needy.
        """
        model = self.model
        h = model.households
        needy_count = np.bincount(h.neighbourhood[needy], minlength=model.n_neighbourhoods).astype(np.float64)
        mean_need = dyn.divide_or_zero(neighbourhood_need, needy_count)
        claim = np.zeros(h.n)
        member = np.flatnonzero(h.initiative >= 0)
        claim[member] = model.cfg.dynamics.initiative_commitment * mean_need[h.initiative[member]]
        return claim

    def reach(self, now: StepState, home: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each needy household (``home``: their neighbourhoods): whether an initiative knows it, and how far the pools reach it.

        An initiative pools what its members give it, made more effective by creativity. A share
        ``initiative_openness`` of the pool is spread over every needy household of the
        neighbourhood in proportion to need; the rest goes to the needy it knows: its members
        and their ties (to all needy if it knows none).
        """
        model = self.model
        h, d = model.households, model.cfg.dynamics
        member = np.flatnonzero(h.initiative >= 0)
        given = now.offer_per_need[member] * now.initiative_claim[member]
        pooled = np.bincount(h.initiative[member], weights=given, minlength=model.n_neighbourhoods)
        pool = pooled * self.per_neighbourhood("effectiveness")
        known = self.known()[now.needy]
        known_need = np.bincount(home[known], weights=now.need_of_needy[known], minlength=model.n_neighbourhoods)
        closed_share = np.where(known_need > 0, 1.0 - d.initiative_openness, 0.0)
        open_per_need = dyn.divide_or_zero(pool * (1.0 - closed_share), now.neighbourhood_need)
        closed_per_need = dyn.divide_or_zero(pool * closed_share, known_need)
        per_need = open_per_need[home] + known * closed_per_need[home]
        return known, dyn.saturating(now.need_of_needy * per_need)

    def known(self) -> np.ndarray:
        """Households an initiative knows: its members, and every tie of a member.

        Kept until membership changes (initiatives forming or dissolving).
        """
        if self._known is None:
            member = self.model.households.initiative >= 0
            self._known = member | (self.model.tie_weight_to(member) > 0)
        return self._known

    def dissolve(self, needy_share: np.ndarray) -> None:
        """Initiatives whose neighbourhood has (nearly) no needy households left dissolve, unless supported to last."""
        below = self.model.cfg.dynamics.dissolve_below
        ending = [n for n, initiative in self.active.items() if needy_share[n] < below and not initiative.supported]
        for n in ending:
            self.end(n)

    def end(self, neighbourhood: int) -> None:
        """The initiative of ``neighbourhood`` ends: its members are free again."""
        initiative = self.active.pop(neighbourhood)
        self.model.households.initiative[initiative.members] = -1
        initiative.remove()
        self._known = None

    def form(self, now: StepState, needy_share: np.ndarray) -> None:
        """Neighbourhoods without an initiative start one with a hazard set by cohesion, spare capacity and need."""
        model = self.model
        d = model.cfg.dynamics
        hazard = dyn.formation_hazard(d.formation_rate, model.cohesion, now.spare_by_neighbourhood, needy_share)
        may_form = hazard > 0
        may_form[list(self.active)] = False
        if not may_form.any():
            return
        # Fixed blocks from their own streams, keyed by step, so a block left undrawn changes no other
        # draw: one uniform per neighbourhood for formation and for collaboration, one per resident
        # for membership (drawn only where one forms, keyed by it).
        formation = model.streams.get("formation", model.steps).random(model.n_neighbourhoods)
        forming = np.flatnonzero((formation < dyn.closed_fraction(hazard, model.dt)) & may_form)
        if not forming.size:
            return
        collaboration = model.streams.get("collaboration", model.steps).random(model.n_neighbourhoods)
        for n in forming:
            self.start(int(n), collaboration[n], supported=False)
            self.formed += 1
            if self.first_day is None:
                self.first_day = model.end_of_step

    def stand_everywhere(self) -> None:
        """An initiative in every neighbourhood, supported to last (the ``standing_initiatives`` lever).

        Called at the start, and again when an event begins: a supported initiative then
        recruits afresh, as a new one would (who joins, and whether it works with the
        government, drawn with the stances of now), so that its membership is never years old.
        """
        model = self.model
        collaboration = model.streams.get("collaboration", model.steps).random(model.n_neighbourhoods)
        for n in range(model.n_neighbourhoods):
            if n in self.active:
                self.end(n)  # renewed, not a new one
            else:
                self.formed += 1
            self.start(n, collaboration[n], supported=True)

    def start(self, neighbourhood: int, collaboration_draw: float, supported: bool) -> None:
        """Start an initiative in ``neighbourhood``: who joins, how creative it is, whether it works with the government.

        A resident joins with a chance of its social capital, more if it stands above (takes
        initiative) and together with the government, less if below or against; the initiative's
        creativity grows with the class diversity of its members; it works with the government as
        far as the government is cooperative and its members are together with it.
        """
        model = self.model
        h, d = model.households, model.cfg.dynamics
        residents = model.neighbourhood_members[neighbourhood]
        w = d.stance_joining_weight
        chance = h.social[residents] * (1.0 + w * h.dominance[residents]) * (1.0 + w * h.affiliation[residents])
        draws = model.streams.get("membership", model.steps, neighbourhood).random(residents.size)
        members = residents[draws < np.clip(chance, 0.0, 1.0)]
        class_counts = np.bincount(h.household_class[members], minlength=model.n_classes)[None, :]
        members_together = (1.0 + h.affiliation[members].mean()) / 2.0 if members.size else 0.0
        self.active[neighbourhood] = CitizenInitiative(
            model,
            neighbourhood=neighbourhood,
            members=members,
            effectiveness=1.0 + d.creativity * float(dyn.class_diversity(class_counts)[0]),
            collaborates=bool(collaboration_draw < model.government.collaboration * members_together),
            supported=supported,
        )
        h.initiative[members] = neighbourhood
        self._known = None

    def organise_measures(self, ceiling: float) -> None:
        """Where an initiative is active, its neighbourhood's collective protection grows towards ``ceiling``."""
        model = self.model
        for n, initiative in self.active.items():
            rate = model.cfg.dynamics.collective_measures_rate * initiative.effectiveness
            self.protection[n] = dyn.relax(self.protection[n], ceiling, rate, model.dt)
