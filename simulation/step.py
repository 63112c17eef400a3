"""The records of one step: the phases in order, the state they read, and what they hand on and measure."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulation.housing import Money, WayIn
from simulation.networks import RowsOf


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


PHASES = (
    "hazard",
    "snapshot",
    "perception",
    "own_means",
    "support",
    "collective_action",
    "aid",
    "recovery",
    "stand_ins",
    "wellbeing",
    "relations",
    "repair",
    "adaptation",
    "transformation",
    "measurement",
)
"""The phases of one step, in order (docs/ODD.md, section 3): each is a method of ``CrisisModel``."""


@dataclass
class StepWork:
    """What the phases of one step hand on to the phases after them.

    Arrays over the needy are aligned with ``now.needy``.
    """

    harm_added: float = 0.0  # harm the hazard added, summed (hazard)
    now: StepState | None = None  # the state phases 2-6 read (snapshot)
    fear: np.ndarray | None = None  # every household's fear at the end of the step (perception; applied in wellbeing)
    own_rate: np.ndarray | None = None  # own recovery rate of the harmed (own_means)
    help: Help = field(default_factory=Help)  # what support, initiatives and aid give the needy (support to aid)
    way_in: WayIn | None = None  # every household's way through paperwork (aid; read by the repairs)
    claims_filed: int = 0  # insurance claims filed (aid)
    claims_settled: int = 0  # insurance claims settled (aid)
    scheme_filed: int = 0  # applications to the compensation scheme filed (aid)
    scheme_decided: int = 0  # applications the scheme's assessors decided (aid)
    gains: dict[str, np.ndarray] = field(default_factory=dict)  # harm recovered per channel (recovery)
    given: np.ndarray | None = None  # what every household gave its needy ties and its initiative (wellbeing)
