"""Per-household state: every field declared once, stored as one numpy array per field.

Mesa's ``Household`` agents are views on one row of these arrays (see ``agents.household``);
the dynamics work on whole arrays at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class StateField:
    """One per-household field: its name, dtype, bounds (``None`` if unbounded) and meaning.

    A float field is never NaN, except where NaN means "not (yet) happened" (``nan_allowed``): a day, or work not begun.
    """

    name: str
    dtype: type
    bounds: tuple[float, float] | None
    doc: str
    nan_allowed: bool = False


UNIT = (0.0, 1.0)

NAN_UNTIL = {"nan_allowed": True}  # NaN until the thing happens (a day, or work not yet begun)

HOUSEHOLD_FIELDS: tuple[StateField, ...] = (
    # who the household is
    StateField("household_class", np.int16, None, "index of the household's class in ``class_names``"),
    StateField("neighbourhood", np.int32, None, "index of the household's neighbourhood"),
    StateField("economic", np.float64, UNIT, "economic capital: income and wealth"),
    StateField("social", np.float64, UNIT, "social capital, from the household's ties"),
    StateField("cultural", np.float64, UNIT, "cultural capital: education, digital skills, knowing the rules"),
    StateField("personal", np.float64, UNIT, "personal capital: health, self-confidence"),
    StateField("care_dependent", np.bool_, None, "its daily care needs tap water and a home"),
    StateField("has_room", np.bool_, None, "it has room to take in a displaced household"),
    StateField("owner", np.bool_, None, "it owns its home (a tenant's landlord pays for repairs)"),
    # how it is doing
    StateField("functioning", np.float64, UNIT, "1 = normal life; from its provisions and its harm"),
    StateField("harm", np.float64, UNIT, "loss of functioning beyond the provisions: goods, health, work"),
    StateField("stress", np.float64, UNIT, "psychological stress"),
    StateField("strain", np.float64, UNIT, "a helper's or host's fatigue from the help it gives; it costs functioning"),
    StateField(
        "time_left", np.float64, UNIT, "time for helping others left (1: rested); helping spends it, rest refills it"
    ),
    StateField("buffer", np.float64, UNIT, "savings left, as a share of its savings when the run began"),
    StateField("preparedness", np.float64, UNIT, "preparedness measures taken"),
    StateField("trust", np.float64, UNIT, "trust in government"),
    StateField("trust_baseline", np.float64, UNIT, "the trust in government it holds apart from its own experience"),
    StateField(
        "trust_elsewhere", np.float64, UNIT, "the trust in government its class holds elsewhere: what newcomers bring"
    ),
    StateField(
        "dominance",
        np.float64,
        (-1.0, 1.0),
        "its stance towards the government: +1 above (assertive), -1 below (dependent)",
    ),
    StateField("affiliation", np.float64, (-1.0, 1.0), "its stance towards the government: +1 together, -1 against"),
    StateField("attitude", np.float64, UNIT, "its attitude towards other groups (affective position)"),
    StateField("attitude_anchor", np.float64, UNIT, "the attitude it returns to between encounters (where it started)"),
    StateField("exposure", np.float64, UNIT, "exposure to the hazard"),
    StateField("fear", np.float64, UNIT, "fear that essential provisions are or will be unavailable"),
    StateField("risk_memory", np.float64, UNIT, "remembered damage, fading over time"),
    StateField("damage", np.float64, UNIT, "functioning lost in the household's latest shock"),
    StateField("shock_day", np.float64, None, "day the current shock began (NaN if never hit)", **NAN_UNTIL),
    StateField("recovered_day", np.float64, None, "day it recovered from that shock (NaN if not yet)", **NAN_UNTIL),
    # provisions: tap water and care (the home is below)
    StateField("water_back_day", np.float64, None, "day its tap water returns (NaN: not cut)", **NAN_UNTIL),
    StateField("boil_until_day", np.float64, None, "day a boil-water advice ends (NaN: none)", **NAN_UNTIL),
    StateField(
        "care_back_day", np.float64, None, "day its interrupted care resumes (NaN: not interrupted)", **NAN_UNTIL
    ),
    StateField("water_cover", np.float64, UNIT, "share of the missing tap that substitutes replace (last step)"),
    StateField("care_cover", np.float64, UNIT, "share of the missing care that others give (last step)"),
    # the home: damage, where the household lives, and the repair
    StateField("home_damage", np.float64, UNIT, "damage to its home still to be repaired (share of a full repair)"),
    StateField(
        "displaced", np.int8, (0, 3), "where it lives: 0 at home, 1 with a host, 2 temporary home, 3 emergency lodging"
    ),
    StateField("host", np.int32, None, "the household it stays with (-1: none)"),
    StateField("displaced_day", np.float64, None, "day it last had to leave its home (NaN: never)", **NAN_UNTIL),
    StateField("home_day", np.float64, None, "day it last came home (NaN: not since it left)", **NAN_UNTIL),
    StateField("dry_day", np.float64, None, "day its damaged home is dry enough to repair", **NAN_UNTIL),
    StateField("repair_cost", np.float64, (0.0, np.inf), "euros the repair of its home costs"),
    StateField("funds", np.float64, (0.0, np.inf), "euros in hand for that repair"),
    StateField(
        "repair_work_left",
        np.float64,
        None,
        "contractor-days of work left on its home (NaN: no contractor yet; 0: the work is done)",
        **NAN_UNTIL,
    ),
    StateField(
        "repair_due_day", np.float64, None, "day a contractor finished its home (NaN: not finished)", **NAN_UNTIL
    ),
    StateField("search_progress", np.float64, UNIT, "how far it got finding a contractor outside the regional pool"),
    StateField("outside_contractor", np.bool_, None, "its contractor comes from outside the regional pool"),
    StateField("insured", np.bool_, None, "its home is insured against this hazard"),
    StateField("claim_cost", np.float64, (0.0, np.inf), "euros of repair cost its insurance claims already cover"),
    StateField("claim_progress", np.float64, UNIT, "how far it got filing its insurance claim"),
    StateField("claim_filed_day", np.float64, None, "day its open claim was filed", **NAN_UNTIL),
    StateField(
        "claim_work_left",
        np.float64,
        None,
        "adjuster-days of work left on its open claim (NaN: not begun)",
        **NAN_UNTIL,
    ),
    StateField("claim_due_day", np.float64, None, "day the insurer pays its handled claim", **NAN_UNTIL),
    StateField("claim_settled_day", np.float64, None, "day its last claim was settled", **NAN_UNTIL),
    StateField("scheme_cost", np.float64, (0.0, np.inf), "euros of repair cost its scheme applications already cover"),
    StateField("scheme_progress", np.float64, UNIT, "how far it got applying to the compensation scheme"),
    StateField("scheme_filed_day", np.float64, None, "day its open scheme application was filed", **NAN_UNTIL),
    StateField(
        "scheme_work_left",
        np.float64,
        None,
        "assessor-days of work left on its open application (NaN: not begun)",
        **NAN_UNTIL,
    ),
    StateField("scheme_due_day", np.float64, None, "day the scheme pays its decided application", **NAN_UNTIL),
    StateField("scheme_settled_day", np.float64, None, "day the scheme last paid it", **NAN_UNTIL),
    StateField("donation_day", np.float64, None, "day donations reach it (NaN: none coming)", **NAN_UNTIL),
    StateField("aid_cash_day", np.float64, None, "day aid last paid it an emergency grant (NaN: never)", **NAN_UNTIL),
    # membership, transformation
    StateField("initiative", np.int32, None, "neighbourhood of the initiative it is a member of, -1 if none"),
    StateField(
        "transformation", np.int8, (0, 2), "0 = its neighbourhood did not transform, 1 = followed, 2 = could not follow"
    ),
    # what it received and gave, summed over the run
    StateField("gain_self", np.float64, None, "harm recovered by own means"),
    StateField("gain_bonding", np.float64, None, "harm recovered through support from bonding ties"),
    StateField("gain_bridging", np.float64, None, "harm recovered through support from bridging ties"),
    StateField("gain_initiative", np.float64, None, "harm recovered through citizen initiatives"),
    StateField("gain_aid", np.float64, None, "harm recovered through government aid"),
    StateField("help_given", np.float64, None, "help it gave to its ties and its initiative"),
    StateField("paid_own", np.float64, None, "euros it paid towards its repair from its savings"),
    StateField("paid_insurance", np.float64, None, "euros its insurer paid"),
    StateField("paid_scheme", np.float64, None, "euros the compensation scheme paid"),
    StateField("paid_donations", np.float64, None, "euros of donations it received"),
    StateField("paid_landlord", np.float64, None, "euros its landlord paid to repair its home"),
    StateField(
        "paid_aid", np.float64, None, "euros aid paid it: emergency grants, and its emergency lodging paid back"
    ),
    StateField("spent_lodging", np.float64, None, "euros it spent on emergency lodging"),
    StateField("days_hosting", np.float64, None, "days it hosted a displaced household"),
    StateField("lent", np.float64, None, "what it lent to ties so they could follow a transformation (in means: 0..1)"),
)

RECOVERY_CHANNELS: tuple[str, ...] = ("self", "bonding", "bridging", "initiative", "aid")  # what restores harm
MONEY_SOURCES: tuple[str, ...] = ("own", "insurance", "scheme", "donations", "landlord")  # what pays for a repair
SHELTERS: dict[int, str] = {1: "hosted", 2: "temporary", 3: "emergency"}  # values of ``displaced`` away from home


class HouseholdState:
    """Arrays of every household field, allocated once; ``state.functioning[i]`` is household i.

    Attributes:
        n: number of households.
        class_names: names of the classes that ``household_class`` indexes.
    """

    def __init__(self, n: int, class_names: tuple[str, ...]) -> None:
        self.n = n
        self.class_names = class_names
        for f in HOUSEHOLD_FIELDS:
            setattr(self, f.name, np.zeros(n, dtype=f.dtype))
        for f in HOUSEHOLD_FIELDS:
            if f.nan_allowed:
                getattr(self, f.name)[:] = np.nan
        self.functioning[:] = 1.0
        self.time_left[:] = 1.0
        self.initiative[:] = -1
        self.host[:] = -1

    def invalid(self) -> list[str]:
        """Names of fields with a value outside their bounds, or NaN where NaN is not allowed."""

        def ok(f: StateField, values: np.ndarray) -> bool:
            if f.bounds is not None:
                return bool(np.all((values >= f.bounds[0]) & (values <= f.bounds[1])))  # NaN fails this too
            return f.nan_allowed or not np.isnan(values.astype(np.float64)).any()

        return [f.name for f in HOUSEHOLD_FIELDS if not ok(f, getattr(self, f.name))]

    def to_frame(self) -> pd.DataFrame:
        """One row per household, one column per field, plus the class name."""
        frame = pd.DataFrame({f.name: getattr(self, f.name) for f in HOUSEHOLD_FIELDS})
        frame.insert(0, "class_name", pd.Categorical.from_codes(self.household_class, self.class_names))
        frame.insert(0, "household", np.arange(self.n))
        return frame
