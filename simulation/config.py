"""Parameters of the model: one dataclass per config group, with units, defaults and sources.

Every empirically sourced default names its source in the comment beside it; every other
number is marked as an assumption. Rates are per day and are converted exactly to the
scenario's step length by the dynamics. Range checks run in ``__post_init__``, so they apply
whenever a config is turned into these objects (``load_config`` does that). The settings of each
policy lever stand in its own module of ``simulation/levers/``.

The dataclasses are registered with Hydra's ConfigStore by ``register_configs``; the YAML in
``simulation/conf`` only chooses the defaults of each group.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, make_dataclass
from typing import Any

from simulation.checks import ConfigError, check_positive, check_range, check_unit_fields
from simulation.checks import check_before_horizon as check_before_horizon  # re-exported: scenarios import it from here
from simulation.levers import LEVERS
from simulation.units import DAYS_PER_YEAR as DAYS_PER_YEAR  # re-exported: the model's modules import it from here

# omegaconf's MISSING, spelled out so that the dataclasses (and simulation.params) load without omegaconf
MISSING: Any = "???"


# --------------------------------------------------------------------------------------------
# Population
# --------------------------------------------------------------------------------------------


@dataclass
class ClassProfile:
    """One resource class: its share of households and the mean of each capital in [0, 1]."""

    share: float = 1.0
    economic: float = 0.5  # income and wealth
    social: float = 0.5  # propensity to form ties; realised social capital follows from the ties
    cultural: float = 0.5  # education, digital skills, knowing one's way through rules
    personal: float = 0.5  # health, self-confidence
    trust: float = 0.5  # initial trust in government


# SCP, "Eigentijdse ongelijkheid" (2023): the seven classes and their shares of the adult
# population (werkende bovenlaag 19.9% ... precariaat 6.3%). Assumption: the shares of adults are
# used as shares of households. SCP's classes are of persons; classes of older and poorer people
# (laagopgeleide gepensioneerden, precariaat) live more often alone, so their share of households
# is somewhat larger than their share of adults, and the model understates them a little.
# Capital levels: SCP's total-capital index runs from about 0.72 (werkende bovenlaag) to about
# 0.34 (precariaat) on a 0..1 scale (M-H; docs/sources.md#population-and-capitals); each
# class's four means average to its total (the top and bottom from SCP, the classes between in SCP's order, roughly evenly spaced: an
# assumption). How a total splits over the four capitals follows SCP's description of each class
# (which capitals it has much or little of); those splits are assumptions. Trust in government:
# a mean of 0.45, between SCP's 41% who trust "the government" (2022, M) and CBS's 50.6% who
# trust their municipal council (2022, H); by class it follows cultural capital (education), as
# CBS finds trust in people at 40% for those with primary education against 89% for university
# graduates (2022, H; a proxy, trust in people not government): trust = 0.45 + 0.6 * (the class's
# cultural capital - the population mean, 0.52); the slope is an assumption (docs/sources.md#trust).
SCP_2023_CLASSES: dict[str, ClassProfile] = {
    # total 0.72: much of all four capitals
    "werkende_bovenlaag": ClassProfile(0.199, economic=0.74, social=0.70, cultural=0.76, personal=0.68, trust=0.59),
    # total 0.64: young; much cultural, social and personal capital, little wealth yet
    "jongere_kansrijken": ClassProfile(0.086, economic=0.46, social=0.72, cultural=0.72, personal=0.66, trust=0.57),
    # total 0.59: older; much wealth, cultural capital fair, health declining
    "rentenierende_bovenlaag": ClassProfile(
        0.122, economic=0.78, social=0.56, cultural=0.60, personal=0.42, trust=0.50
    ),
    # total 0.53: around the middle on every capital
    "werkende_middengroep": ClassProfile(0.249, economic=0.52, social=0.52, cultural=0.50, personal=0.58, trust=0.44),
    # total 0.46: fairly high economic capital (pension, own home), strong family ties, low
    # education and digital skills, poorer health
    "laagopgeleide_gepensioneerden": ClassProfile(
        0.181, economic=0.60, social=0.58, cultural=0.26, personal=0.40, trust=0.29
    ),
    # total 0.40: insecure income and work, otherwise below the middle
    "onzekere_werkenden": ClassProfile(0.100, economic=0.30, social=0.40, cultural=0.42, personal=0.48, trust=0.39),
    # total 0.34: little of all four capitals, the most vulnerable group
    "precariaat": ClassProfile(0.063, economic=0.22, social=0.32, cultural=0.36, personal=0.46, trust=0.35),
}

# Everyone alike, so that network effects can be shown on their own (teaching preset).
EQUAL_CLASSES: dict[str, ClassProfile] = {"everyone": ClassProfile(1.0)}


def copy_classes(classes: dict[str, ClassProfile]) -> dict[str, ClassProfile]:
    """A fresh copy of a class table (dataclass defaults must not share one dict)."""
    return {name: ClassProfile(**vars(c)) for name, c in classes.items()}


@dataclass
class PopulationConfig:
    """The households: how many, their classes and capitals, where they live."""

    name: str = "netherlands"
    households: int = 5000  # assumption: a small town; runs in well under a second
    neighbourhoods: int = 10  # assumption
    capital_spread: float = 0.12  # assumption: sd of a household's capital around its class mean
    segregation: float = 0.3  # assumption: 0 = classes spread evenly, 1 = sorted by class into neighbourhoods
    exposure_low: float = 0.2  # assumption: exposure of the safest neighbourhood
    exposure_high: float = 0.8  # assumption: exposure of the most exposed neighbourhood
    exposure_spread: float = 0.1  # assumption: sd of household exposure within a neighbourhood
    initial_preparedness: float = 0.1  # assumption: preparedness at start, scaled by economic capital
    trust_shift: float = 0.0  # added to every household's starting trust (clipped to [0, 1]), not to the trust its class holds elsewhere (what newcomers bring): the same town starting from higher or lower trust, for thresholds and hysteresis
    care_dependent_share: float = 0.08  # assumption: share of households whose daily care (home care, medical devices) needs tap water and a home; drawn more often where personal capital (health) is low
    room_share: float = 0.35  # assumption: share of households with room to take in another household, drawn more often where economic capital is high
    owner_share: float = 0.57  # CBS: about 57% of Dutch homes were owner-occupied in 2022 (M; docs/sources.md#population-and-capitals); drawn more often where economic capital is high (assumption). Tenants' landlords pay for repairs
    classes: dict[str, ClassProfile] = field(default_factory=lambda: copy_classes(SCP_2023_CLASSES))

    def __post_init__(self) -> None:
        if not isinstance(self.households, int) or self.households < 2:
            raise ConfigError(f"population.households={self.households!r} is not allowed: expected a whole number >= 2")
        if not isinstance(self.neighbourhoods, int) or not 1 <= self.neighbourhoods <= self.households:
            raise ConfigError(
                f"population.neighbourhoods={self.neighbourhoods!r} is not allowed: "
                f"expected a whole number in [1, population.households={self.households}]"
            )
        check_range("population.trust_shift", self.trust_shift, -1.0, 1.0)
        check_unit_fields(
            "population",
            self,
            (
                "capital_spread",
                "segregation",
                "exposure_low",
                "exposure_high",
                "exposure_spread",
                "initial_preparedness",
                "care_dependent_share",
                "room_share",
                "owner_share",
            ),
        )
        if self.exposure_low > self.exposure_high:
            raise ConfigError(
                f"population.exposure_low={self.exposure_low!r} is not allowed: expected <= "
                f"population.exposure_high={self.exposure_high!r}"
            )
        if not self.classes:
            raise ConfigError("population.classes={} is not allowed: expected at least one class")
        for name, profile in self.classes.items():
            check_unit_fields(f"population.classes.{name}", profile, tuple(vars(profile)))
        total = sum(c.share for c in self.classes.values())
        if abs(total - 1.0) > 1e-6:
            raise ConfigError(
                f"population.classes shares sum to {total:.6g}: expected 1 "
                "(change the other shares too when you change one)"
            )

    @property
    def households_per_neighbourhood(self) -> int:
        """Size of the smallest neighbourhood."""
        return self.households // self.neighbourhoods


# --------------------------------------------------------------------------------------------
# Networks
# --------------------------------------------------------------------------------------------


@dataclass
class NetworkConfig:
    """Bonding (strong: family, friends, the street) and bridging (weak, across groups) ties."""

    bonding_degree: float = 5.0  # assumption: mean strong ties per household
    bridging_degree: float = 2.0  # assumption: mean weak ties across groups per household
    homophily: float = 0.6  # assumption: 0 = ties ignore class, 1 = ties only within class
    bonding_outside: float = 0.3  # assumption: share of bonding ties to households in other neighbourhoods (family and friends elsewhere in town); the rest stay in the neighbourhood
    bridging_weight: float = (
        0.5  # assumption: a weak tie counts half a strong one (Granovetter 1973's idea, our number)
    )
    social_capital_scale: float = 4.0  # assumption: tie strength at which social capital is 1 - 1/e

    def __post_init__(self) -> None:
        check_range("network.bonding_degree", self.bonding_degree, 0.0)
        check_range("network.bridging_degree", self.bridging_degree, 0.0)
        check_unit_fields("network", self, ("homophily", "bonding_outside", "bridging_weight"))
        check_positive("network.social_capital_scale", self.social_capital_scale)


# --------------------------------------------------------------------------------------------
# Government
# --------------------------------------------------------------------------------------------


@dataclass
class GovernmentConfig:
    """The local government: its stance on Leary's rose, how fast it acts, how much it learns.

    Its stance has two axes: above-below (directive versus receptive) and against-together
    (defensive versus cooperative). ``receptivity`` and ``collaboration`` set where it starts;
    during a run its stance moves with what households' stances invite (Leary's complementarity:
    above invites below, together invites together, against invites against).
    """

    name: str = "default"
    delay_days: float = 7.0  # assumption: bureaucratic delay from the start of an event until aid flows
    receptivity: float = 0.3  # assumption: its starting stance on the above-below axis: 0 = directive (waits for applications, decides alone), 1 = receptive (reaches every household itself)
    learning: float = 0.3  # assumption: share of the way it moves after each event: of its delay, as far as people waited too long; of its own stance, towards the one that served people well or, after criticism, outward (heard) or inward (unheard)
    collaboration: float = 0.5  # assumption: its starting stance on the against-together axis: 0 = defensive, 1 = cooperative (works with every initiative as an equal)
    stance_rate: float = 0.01  # assumption: per day, how fast its stance follows what households' stances invite
    stance_anchor: float = 0.5  # assumption: weight of its own (configured, learnt) stance against what households invite (institutional inertia)
    stance_gain: float = 2.0  # assumption: how strongly its stance answers (tanh(gain * x) / tanh(gain) of what its own stance and the households' invite): above about 2 a cooperative and a defensive relation can each hold itself (two equilibria); 0+ is the linear answer
    # Government organisations: the municipality (this stance, aid, temporary homes, outreach), the water
    # authority (water supply, dikes) and the national compensation scheme; handovers between them.
    bureaucracy: float = 0.3  # assumption: procedural friction of every organisation (forms, checks, referrals), 0..1: it lengthens handovers (times 1 + bureaucracy) and is felt by households entangled in an open application (SCP, Zien, luisteren, helpen, 2024: people entangled in rules and bureaucracy lose trust)
    handover_days: float = 14.0  # assumption: days a referral from one organisation to another takes where they do not collaborate at all (collaboration 0); none at collaboration 1
    alert_hours: float = 4.0  # assumption: hours the water authority's warning takes to reach the municipality, which opens water points after it, where they do not collaborate at all
    # How well the organisations collaborate, on the five dimensions of Thomson, Perry & Miller (2007; JPART 19(1), 2009):
    # governance, administration, organisational autonomy, mutuality, norms of trust and reciprocity; each 0..1
    # (1 most collaborative); a pair's collaboration is their mean (an assumption: the paper measures them
    # as separate, correlated factors).
    collaboration_governance: float = 0.5  # assumption: joint decision rules
    collaboration_administration: float = 0.5  # assumption: shared procedures and coordination
    collaboration_autonomy: float = 0.5  # assumption: how far each puts the joint task before its own (1: fully)
    collaboration_mutuality: float = (
        0.5  # assumption: interdependence they draw on; grows and wears with joint experience
    )
    collaboration_norms: float = (
        0.5  # assumption: trust and reciprocity between them; grows and wears with joint experience
    )
    collaboration_learning: float = 0.3  # assumption: share of the way mutuality and norms move after each event towards how it went (1: everyone well served, 0: everyone badly)
    promised_coverage: float = 0.9  # assumption: the share of uninsured repair cost it promises the compensation scheme will pay; 2021's promise of generous ("ruimhartig") help met a scheme that is only a safety net (AEF/WODC evaluation, docs/sources.md#insurance-and-compensation, H)
    aid_capacity: float = 0.15  # assumption: households its caseworkers serve at full intensity at the same time, as a share of all households
    # What aid delivers, once it flows, to each household served (as far as it is served: the share it obtains).
    aid_cash_eur: float = 1_500.0  # assumption: an emergency grant for the first weeks, once per spell of need (towards the repair if one is open, else savings); of the order of the EUR 1,000-2,000 the Nationaal Rampenfonds paid per household in 2021 (docs/sources.md#insurance-and-compensation, H-M)
    aid_paperwork: float = 0.5  # assumption: how far a caseworker's help with claims and applications opens the way through paperwork (added to cultural capital, bridging know-how and an initiative's help); aid also pays back the emergency lodging of the uninsured it serves
    # Temporary housing, arranged after delay_days.
    temporary_homes: float = 20.0  # assumption: temporary homes it can arrange per 1,000 households of the town
    temporary_home_eur_per_day: float = (
        60.0  # assumption: cost of one temporary home a day (rent of a holiday home or container unit)
    )
    # The compensation scheme (Wet tegemoetkoming schade, WTS) for damage that insurance does not cover.
    scheme_opening_days: float = (
        56.0  # WTS 2021: flood 14-15 Jul, scheme in force 10 Sep 2021 (docs/sources.md#insurance-and-compensation, H)
    )
    scheme_assessors: float = 0.47  # assumption: applications it assesses at once per 1,000 households of the town; within the 90% interval (0.42-0.75) of the Valkenburg 2021 posterior, a fit that did not improve on the defaults (docs/calibration/valkenburg2021, docs/ODD.md 9)
    scheme_assessment_days: float = 30.0  # assumption: days one assessment takes; with the opening, two weeks to apply and the payment days, first payments about 3.6 months after the flood (2021: about 3.5; docs/sources.md#insurance-and-compensation, H)
    scheme_payment_days: float = 10.0  # assumption: days from a decision to the payment
    scheme_coverage: float = 0.65  # assumption: share of the uninsured repair cost the scheme pays (a safety net, not full compensation: AEF/WODC evaluation, docs/sources.md#insurance-and-compensation, H)

    def __post_init__(self) -> None:
        for name in (
            "delay_days",
            "temporary_homes",
            "temporary_home_eur_per_day",
            "scheme_opening_days",
            "scheme_assessors",
            "scheme_payment_days",
            "aid_cash_eur",
            "stance_gain",
            "handover_days",
            "alert_hours",
        ):
            check_range(f"government.{name}", getattr(self, name), 0.0)
        check_positive("government.scheme_assessment_days", self.scheme_assessment_days)
        check_range("government.stance_rate", self.stance_rate, 0.0)
        check_positive("government.promised_coverage", self.promised_coverage)  # trust compares payments with it
        check_unit_fields(
            "government",
            self,
            (
                "receptivity",
                "learning",
                "collaboration",
                "aid_capacity",
                "aid_paperwork",
                "bureaucracy",
                "collaboration_governance",
                "collaboration_administration",
                "collaboration_autonomy",
                "collaboration_mutuality",
                "collaboration_norms",
                "collaboration_learning",
                "scheme_coverage",
                "stance_anchor",
                "promised_coverage",
            ),
        )


# --------------------------------------------------------------------------------------------
# Homes: damage, displacement, money and repair
# --------------------------------------------------------------------------------------------


@dataclass
class HousingConfig:
    """What a damaged home needs before its household can go back: drying, money and a contractor."""

    uninhabitable_from: float = 0.4  # assumption: home damage (share of a full repair) from which nobody can live in it
    drying_days: float = 42.0  # assumption: days a fully damaged home dries before repair can start (scaled by damage; flooded homes typically dry for 4 to 8 weeks)
    repair_cost_eur: float = 70_000.0  # assumption: repairing a fully damaged home; of the same order as what WTS 2021 paid per settled case (about EUR 30,000: EUR 63.5 M for about 2,100, docs/sources.md#insurance-and-compensation, H), which covered only part of the damage, so a full repair costs more
    repair_days: float = 60.0  # assumption: days of a contractor's work on a fully damaged home (scaled by damage)
    contractors: float = (
        30.0  # assumption: homes the regional pool of contractors works on at once, per 1,000 households of the town
    )
    outside_contractor_rate: float = 0.01  # assumption: per day, how fast a household waiting for a contractor finds one from outside the regional pool through its bridging ties, at full know-how
    outside_contractors: float = 10.0  # assumption: homes contractors from outside the region work on at once, per 1,000 households of the town (a finite pool: those who found one wait for a free one)
    outside_premium: float = 0.2  # assumption: extra share of the repair cost an outside contractor charges (travel, lodging, scarcity); the household pays it, not the insurer or the scheme
    deposit_share: float = 0.3  # assumption: share of the repair cost a household must have in hand to hire a contractor; the rest must be there when the work is done
    savings_eur: float = 40_000.0  # assumption: savings of a household with full economic capital; a household's savings are this times its economic capital squared
    claim_filing_days: float = 14.0  # assumption: days to file an insurance claim with a full way in (cultural capital, know-how from ties, help of an initiative); longer with less
    claim_handling_days: float = 30.0  # assumption: days an insurer's adjuster spends on a claim for a fully damaged home (scaled by damage, at least a quarter of it)
    adjusters: float = 20.0  # assumption: claims handled at once, per 1,000 households of the town
    insurance_payout_share: float = 0.9  # assumption: share of the repair cost an insurer pays (excess, depreciation)
    donation_eur: float = 2_000.0  # Nationaal Rampenfonds 2021: EUR 1,000 twice to about 8,000 households (docs/sources.md#insurance-and-compensation, H-M)
    donation_days: float = 21.0  # assumption: days after the event until donations are paid to those who applied
    emergency_eur_per_day: float = 40.0  # assumption: what emergency lodging (hotel, holiday park) costs a day; an insurer pays it for the insured (home insurance covers the extra cost of staying elsewhere: assumption), the others pay from their savings

    def __post_init__(self) -> None:
        check_unit_fields("housing", self, ("uninhabitable_from", "deposit_share", "insurance_payout_share"))
        for name in (
            "drying_days",
            "repair_cost_eur",
            "savings_eur",
            "donation_eur",
            "donation_days",
            "emergency_eur_per_day",
            "contractors",
            "adjusters",
            "outside_contractor_rate",
            "outside_contractors",
            "outside_premium",
        ):
            check_range(f"housing.{name}", getattr(self, name), 0.0)
        for name in ("repair_days", "claim_filing_days", "claim_handling_days"):
            check_positive(f"housing.{name}", getattr(self, name))
        if self.uninhabitable_from == 0.0:
            raise ConfigError("housing.uninhabitable_from=0.0 is not allowed: expected a number in (0, 1]")


# --------------------------------------------------------------------------------------------
# Dynamics
# --------------------------------------------------------------------------------------------


@dataclass
class DynamicsConfig:
    """Rates (per day) and weights of the mechanisms. All numbers are assumptions unless a source is named."""

    recovery_threshold: float = 0.95  # assumption: functioning at which a household counts as recovered
    # What losing a provision costs a household's functioning, and what a substitute restores.
    water_weight: float = 0.5  # assumption: share of functioning lost without drinking water at the tap
    home_weight: float = 0.7  # assumption: share of functioning lost without a home to live in
    care_weight: float = 0.6  # assumption: share of functioning a care-dependent household loses without its care
    bottled_water_cover: float = 0.6  # assumption: the most of the tap that bottled water can replace (drinking and cooking, not toilets and washing)
    boil_water_deficit: float = 0.2  # assumption: share of the tap still missing under a boil-water advice
    hosted_home: float = 0.5  # assumption: how much of a home staying with family or friends gives
    temporary_home: float = 0.6  # assumption: how much of a home a temporary home gives
    emergency_home: float = 0.3  # assumption: how much of a home emergency lodging (hotel, holiday park, camping) gives
    harm_share: float = (
        0.5  # assumption: loss of functioning beyond the home (goods, health, work) per unit of home damage
    )
    self_recovery_rate: float = (
        0.05  # assumption: per day, for a household with full economic and personal capital and buffer
    )
    stress_slowdown: float = 0.5  # assumption: share of self-recovery lost at full stress
    spare_from: float = 0.6  # assumption: functioning above which a household has capacity to spare
    support_rate: float = (
        0.12  # assumption: per day, the most that support along ties (both networks together) adds to recovery
    )
    initiative_commitment: float = 1.0  # assumption: weight of its initiative among a member's claims on its capacity (1 = like one bonding tie in the neighbourhood's mean need)
    initiative_rate: float = 0.12  # assumption: per day, the most that an initiative adds to recovery
    formation_rate: float = (
        1.0  # assumption: per day, initiative formation hazard at full cohesion, spare capacity and need
    )
    dissolve_below: float = (
        0.02  # assumption: an initiative dissolves when its neighbourhood's needy share falls below this
    )
    creativity: float = 0.5  # assumption: extra effectiveness of an initiative whose members span all classes evenly
    aid_rate: float = 0.10  # assumption: per day, what full government aid adds to recovery
    rumour_weight: float = 0.5  # assumption: weight of ties' reported deficits in perceived scarcity
    trust_reassurance: float = 0.5  # assumption: share of fear taken away by full trust in government
    fear_rate: float = 4.0  # assumption: per day, how fast fear follows perceived scarcity (news travels within hours)
    fear_threshold: float = 0.4  # assumption: fear at which a household counts as in fear
    disruption_threshold: float = (
        0.1  # assumption: share in fear above which there is societal disruption (NIPV's "relatively large group")
    )
    stress_rate: float = 0.2  # assumption: per day, how fast stress follows need and fear
    stress_relief_rate: float = 0.3  # assumption: per day, the most that bonding support received adds to stress decay
    help_days: float = 3.0  # assumption: days of help at its full offer that a rested household's time allows before it runs out (helping draws the time left down, rest refills it)
    time_refill_rate: float = (
        0.5  # assumption: per day, how fast time spent helping comes back (a time constant of two days)
    )
    helping_strain_rate: float = 0.05  # assumption: per day, strain a helper gains per unit of its full offer given
    hosting_strain_rate: float = 0.035  # assumption: per day, strain a host gains while a displaced household lives with it: a host that does nothing else reaches the hosting limit after about six weeks (weeks to months: households taking in family after Katrina lived with the strain of it, Stehling-Ariza, Park & Abramson 2009; no Dutch durations are published)
    strain_recovery_rate: float = 0.05  # assumption: per day, how fast strain fades
    strain_weight: float = 0.3  # share of functioning (health, work) a fully strained helper or host loses; the cost grows with the square of strain, so that sustained help costs and brief help hardly does: informal caregivers have worse psychological and physical health than non-caregivers, the more so the more and the longer they care (Pinquart & Sorensen 2003, Psychology and Aging 18(2)); the size and the square are assumptions
    hosting_limit: float = 0.6  # assumption: strain at which a host asks its guests to leave
    initiative_openness: float = 0.3  # assumption: share of an initiative's pool spread over every needy household of its neighbourhood; the rest goes to members and their ties
    initiative_confidence_weight: float = 0.5  # assumption: weight of its initiative's confidence (1 where it works with the government, else its members' mean trust) in a member's own, against its own trust
    news_weight: float = 0.5  # assumption: how far news from bonding ties that have a contractor at work (whom to call) counts as access to the contractors' queue, at a share of 1 of one's bonding ties
    access_head_start_days: float = 30.0  # assumption: days a household with full access (know-how from bridging ties, an initiative's help) moves up the contractors' queue
    personal_buffering: float = 0.5  # assumption: share of stress that full personal capital takes away
    trust_gain_rate: float = 0.005  # assumption: per day, how fast trust rises with good treatment (timely, fair, receptive; outcomes that meet the promise)
    trust_loss_rate: float = 0.02  # assumption: per day, how fast trust falls with bad treatment; larger than the gain: negative experiences weigh more (Frontiers in Psychology 2023, doi 10.3389/fpsyg.2023.1207453, docs/sources.md#trust, M; the ratio 4 is ours)
    # assumption: per day, how fast trust returns to the trust a household holds apart from its own experience (time constant a year: 39% back after six months, the shape of Groningen, where trust recovered only partly in the six months after a large quake, Stroebe & Postmes 2018, docs/sources.md#trust, M)
    trust_fade_rate: float = 1.0 / 365.0
    # assumption: per day, how fast the trust a household holds apart from its own experience (its baseline) moves towards its trust: a time constant of three years, so that years of good or bad treatment shift it durably (institutional trust moves over years: CBS, trust in the Tweede Kamer 44% early 2020, 58% mid 2020, 25% late 2022; Groningen, lasting distrust after the quakes, Stroebe & Postmes 2018; docs/sources.md#trust)
    baseline_rate: float = 1.0 / (3 * 365.0)
    # assumption: per day, how fast the baseline returns to the trust the household's class holds elsewhere, as residents move away and newcomers bring that trust (a time constant of 20 years, of the order of how long households stay in one town); 0 keeps every memory for good
    renewal_rate: float = 1.0 / (20 * 365.0)
    vicarious_weight: float = 0.2  # assumption: weight of what happens around a household not in need itself (the experience of its neighbourhood's households in need, per resident; and, through media, the town's) against its own experience
    entangled_weight: float = 0.5  # assumption: weight of the government's bureaucracy in the experience of a household with an open application to the compensation scheme
    trust_spread_rate: float = 0.01  # assumption: per day, how fast trust moves towards that of one's ties
    expected_wait_days: float = (
        3.0  # assumption: days households expect to wait for help after an event before waiting counts as neglect
    )
    expected_home_days: float = 180.0  # assumption: days displaced households expect to be away before being away counts as an outcome that fails the promise
    injustice_weight: float = 0.5  # assumption: weight of felt horizontal injustice (others of another group getting the scarce aid one needs) in a household's experience of government
    promise_days: float = 30.0  # assumption: days of experience that a payment of the compensation scheme counts for, as far as it falls short of (or exceeds) what was promised
    relations_step_days: float = 1.0  # assumption: relations (trust, stances, attitudes) move slowly, with time constants of weeks to years: they move once a day (every step where steps are longer), with the experience of the steps between summed
    stance_joining_weight: float = 0.5  # assumption: how far a household's stance moves its chance to join an initiative: times 1 + w * dominance (taking initiative) and 1 + w * affiliation (together with the government)
    stance_follow_rate: float = 0.05  # assumption: per day, how fast a household's stance towards the government follows its trust and the government's stance
    saving_rate: float = (
        0.01  # assumption: per day, how fast a household's savings refill towards what it had at the start (buffer 1)
    )
    memory_fade_rate: float = 0.002  # assumption: per day, fading of the memory of damage (half-life about a year)
    social_learning: float = 0.5  # assumption: weight of what ties do in perceived risk, and in support for transformation (Haer et al. 2016: measures diffuse through networks)
    preparedness_rate: float = 0.002  # assumption: per day, uptake at full perceived risk and economic capital
    preparedness_efficacy: float = 0.5  # assumption: damage avoided at full preparedness (Haer et al. 2017 find ignoring behaviour overestimates risk about twofold)
    prepared_from: float = 0.5  # assumption: preparedness at which a household counts as prepared
    collective_measures_rate: float = 0.002  # assumption: per day, growth of collective protection under an initiative

    def __post_init__(self) -> None:
        unbounded = (
            *(n for n in vars(self) if n.endswith("_rate")),
            "initiative_commitment",
            "access_head_start_days",
            "help_days",
            "expected_wait_days",
            "expected_home_days",
            "promise_days",
            "relations_step_days",
        )
        for name in unbounded:
            check_range(f"dynamics.{name}", getattr(self, name), 0.0)
        check_unit_fields("dynamics", self, tuple(n for n in vars(self) if n not in unbounded))
        check_positive("dynamics.relations_step_days", self.relations_step_days)
        check_positive("dynamics.help_days", self.help_days)
        # spare capacity is measured from spare_from up to full functioning, so the gap must exist
        check_range("dynamics.spare_from", self.spare_from, 0.0, 0.99)


# --------------------------------------------------------------------------------------------
# Affective polarisation
# --------------------------------------------------------------------------------------------


@dataclass
class PolarisationConfig:
    """Attitudes towards other groups, moving by attraction and repulsion (Axelrod, Daymude & Forrest 2021).

    Each household has an attitude in [0, 1]. In an encounter it moves towards the other's
    attitude if the two lie within ``tolerance`` of each other, and away from it otherwise.
    Encounters come through ties, or, with probability ``media_exposure``, through media with
    anyone in town; exposure to distant attitudes is what lets polarisation run away. Between
    encounters an attitude returns towards where it started (Friedkin & Johnsen 1990), which
    holds polarisation in check below a threshold of media exposure.
    """

    media_exposure: float = 0.1  # assumption: share of encounters that come through (social) media with anyone in town rather than through one's ties
    media_distortion: float = 1.0  # assumption: how much further away than they are media show others' attitudes (1: twice as far; outrage travels best)
    encounters_per_day: float = (
        0.02  # assumption: encounters per household per day that touch its attitude towards other groups
    )
    tolerance: float = 0.3  # assumption: attitude distance within which an encounter attracts and beyond which it repels (Axelrod et al. 2021's tolerance; the value is ours)
    responsiveness: float = 0.05  # assumption: share of the distance one encounter moves an attitude
    # assumption: per day, how fast an attitude returns to where it started between encounters (Friedkin & Johnsen 1990's attachment to one's initial view; the time constant of two years is ours)
    anchoring_rate: float = 1.0 / 730.0
    class_distance: float = 0.3  # assumption: distance between the starting attitudes of the classes with the most and the least capital (SCP: separated lifeworlds of rich and poor)
    spread: float = 0.05  # assumption: sd of starting attitudes within a class

    def __post_init__(self) -> None:
        check_unit_fields(
            "polarisation", self, ("media_exposure", "tolerance", "responsiveness", "class_distance", "spread")
        )
        check_range("polarisation.encounters_per_day", self.encounters_per_day, 0.0)
        check_range("polarisation.media_distortion", self.media_distortion, 0.0)
        check_range("polarisation.anchoring_rate", self.anchoring_rate, 0.0)


# --------------------------------------------------------------------------------------------
# Policy levers (``policy=[...]``: any together, each off unless chosen)
# --------------------------------------------------------------------------------------------


@dataclass
class PolicyBase:
    """What the policy config holds beside the settings of each lever, and which levers are on."""

    # assumption: the households one neighbourhood's workers, facility and initiative serve (roughly a Dutch
    # wijk). Per-neighbourhood prices (caring_neighbourhood, standing_initiatives) are paid per this many
    # households of the town, whatever the model's count of neighbourhoods (population.neighbourhoods), so that
    # a lever costs the same per household in a town of any size.
    households_per_neighbourhood: float = 2000.0

    def __post_init__(self) -> None:
        check_positive("policy.households_per_neighbourhood", self.households_per_neighbourhood)

    def enabled(self) -> list[str]:
        """The names of the levers turned on."""
        return [lever for lever in POLICY_LEVERS if getattr(self, lever).enabled]


POLICY_LEVERS = tuple(LEVERS)

# One field per lever of simulation/levers/, holding its settings (each checks its own ranges).
PolicyConfig = make_dataclass(
    "PolicyConfig",
    [(name, lever.settings_class, field(default_factory=lever.settings_class)) for name, lever in LEVERS.items()],
    bases=(PolicyBase,),
    namespace={
        "__doc__": "The policy levers of a run; ``policy=[caring_neighbourhood,co_design]`` turns levers on.",
        "__module__": __name__,  # where pickle finds it (a worker process unpickling a config)
    },
)


# --------------------------------------------------------------------------------------------
# Scenario (base; each scenario module defines its own subclass)
# --------------------------------------------------------------------------------------------


@dataclass
class ScenarioConfig:
    """Fields every scenario has. Scenario modules subclass this."""

    name: str = MISSING
    horizon_days: float = 120.0  # each scenario sets its own (assumption)
    step_days: float = 1.0  # each scenario sets its own (assumption)
    insured_share: float = (
        0.95  # share of households insured against the scenario's hazard; scenarios set their own (see each)
    )

    def __post_init__(self) -> None:
        check_positive("scenario.step_days", self.step_days)
        check_positive("scenario.horizon_days", self.horizon_days)
        check_range("scenario.insured_share", self.insured_share, 0.0, 1.0)
        if self.step_days > self.horizon_days:
            raise ConfigError(
                f"scenario.step_days={self.step_days!r} is not allowed: expected at most "
                f"scenario.horizon_days={self.horizon_days!r}"
            )

    @property
    def n_steps(self) -> int:
        """Number of steps in a run (the last step may end past the horizon by less than a step)."""
        return math.ceil(self.horizon_days / self.step_days - 1e-9)


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


@dataclass
class CalibrationConfig:
    """The real case a run reproduces: ``+case=CASE`` sets the case's town and its calibrated rates (posterior medians)."""

    case: str | None = None  # the calibrated case (experiments/targets/CASE.yaml), or none
    posterior: str | None = (
        None  # posterior samples (CSV): each run draws its calibrated rates from them, the seed picks the draw (simulation/calibration.py)
    )


CHANNELS = (
    "bonding_support",
    "hosting",
    "bridging_knowhow",
    "outside_contractors",
    "head_start",
    "initiatives",
    "aid",
)


@dataclass
class ChannelsConfig:
    """Channels through which ties and government act; any of them can be switched off, to see what it carries.

    ``bonding_support``: support, practical help (water, care) and stress relief along bonding
    ties; ``hosting``: bonding ties taking in displaced households; ``bridging_knowhow``: know-how
    about rules and contractors that bridging ties carry; ``outside_contractors``: contractors
    from outside the region; ``head_start``: a place further up the contractors' queue for those
    with access; ``initiatives``: citizen initiatives (none form, none stand); ``aid``: the
    government's aid (care, cash, help with paperwork, lodging paid).
    """

    # e.g. [hosting, aid]; ``+experiment=channels`` switches off one at a time
    off: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for index, name in enumerate(self.off):
            if name not in CHANNELS:
                raise ConfigError(
                    f"channels.off[{index}]={name!r} is not allowed: expected one of {', '.join(CHANNELS)}"
                )

    def on(self, channel: str) -> bool:
        """Whether ``channel`` (one of ``CHANNELS``) is on."""
        return channel not in self.off


@dataclass
class OutputConfig:
    """What a run folder gets beside the summary, config, time series and events."""

    figures: bool = True  # the run's figures (PNG); large sweeps turn them off and use the report instead
    households: bool = True  # the household table (one row per household)


# --------------------------------------------------------------------------------------------
# The whole config
# --------------------------------------------------------------------------------------------


ENGINES = ("vectorised", "reference")


@dataclass
class Config:
    """One run: a scenario, a population, its networks, a government, homes, the dynamics, polarisation, policy levers and a seed."""

    scenario: Any = MISSING
    population: Any = MISSING  # Any: a preset replaces the class table rather than merging into the default one
    network: NetworkConfig = MISSING
    government: GovernmentConfig = MISSING
    housing: HousingConfig = MISSING
    dynamics: DynamicsConfig = MISSING
    polarisation: PolarisationConfig = MISSING
    policy: PolicyConfig = field(default_factory=PolicyConfig)
    channels: ChannelsConfig = field(default_factory=ChannelsConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    calibration: CalibrationConfig = field(default_factory=CalibrationConfig)
    seed: int = 0
    # how a step is computed: "vectorised" (arrays over all households) or "reference" (household by
    # household, simulation/reference/: slow, for small towns, for reading, and to check the vectorised engine)
    engine: str = "vectorised"
    replicates: int = 1  # runs of one command-line job: seeds seed, seed+1, ..., in one process (for large sweeps)

    def __post_init__(self) -> None:
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ConfigError(f"seed={self.seed!r} is not allowed: expected a whole number >= 0")
        if self.engine not in ENGINES:
            raise ConfigError(f"engine={self.engine!r} is not allowed: expected one of {', '.join(ENGINES)}")
        if isinstance(self.replicates, bool) or not isinstance(self.replicates, int) or self.replicates < 1:
            raise ConfigError(f"replicates={self.replicates!r} is not allowed: expected a whole number >= 1")
        if isinstance(self.network, NetworkConfig) and isinstance(self.population, PopulationConfig):
            check_degrees(self.network, self.population)


def check_degrees(network: NetworkConfig, population: PopulationConfig) -> None:
    """Reject mean degrees that a simple graph on this population cannot hold."""
    # The local share of bonding ties stays within a neighbourhood (every tie does in a town of one).
    local = 1.0 - network.bonding_outside if population.neighbourhoods > 1 else 1.0
    bonding_max = population.households_per_neighbourhood - 1
    if local * network.bonding_degree > bonding_max:
        raise ConfigError(
            f"network.bonding_degree={network.bonding_degree!r} is not allowed: with network.bonding_outside="
            f"{network.bonding_outside!r}, {local:.0%} of bonding ties stay within a neighbourhood of "
            f"{bonding_max + 1} households, so expected at most {bonding_max / local:.4g}"
        )
    total_max = population.households - 1
    if network.bonding_degree + network.bridging_degree > total_max:
        raise ConfigError(
            f"network.bridging_degree={network.bridging_degree!r} is not allowed: with "
            f"network.bonding_degree={network.bonding_degree!r}, expected at most "
            f"{total_max - network.bonding_degree:g} for {population.households} households"
        )


def register_configs() -> None:
    """Store the schemas and presets of every group except ``scenario`` in Hydra's ConfigStore."""
    from hydra.core.config_store import ConfigStore

    store = ConfigStore.instance()
    store.store(name="schema", node=Config)
    store.store(group="population", name="netherlands", node=PopulationConfig())
    store.store(
        group="population",
        name="equal",
        node=PopulationConfig(name="equal", classes=copy_classes(EQUAL_CLASSES)),
    )
    store.store(group="network", name="default", node=NetworkConfig)
    store.store(group="dynamics", name="default", node=DynamicsConfig)
    store.store(group="housing", name="default", node=HousingConfig)
    store.store(group="polarisation", name="default", node=PolarisationConfig)
    # Each lever is an option of the ``policy`` group that turns itself on; several compose.
    store.store(group="policy", name="none", node={})
    for lever in POLICY_LEVERS:
        store.store(group="policy", name=lever, node={lever: {"enabled": True}})
    store.store(group="government", name="default", node=GovernmentConfig)
    # A government entangled in rules, and one that reaches out and learns (assumptions).
    store.store(
        group="government",
        name="bureaucratic",
        node=GovernmentConfig(name="bureaucratic", delay_days=21.0, receptivity=0.1, learning=0.1, collaboration=0.2),
    )
    store.store(
        group="government",
        name="receptive",
        node=GovernmentConfig(name="receptive", delay_days=2.0, receptivity=0.7, learning=0.5, collaboration=0.9),
    )
