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

    A float field is never NaN, except a day field whose NaN means "not (yet) happened" (``nan_allowed``).
    """

    name: str
    dtype: type
    bounds: tuple[float, float] | None
    doc: str
    nan_allowed: bool = False


UNIT = (0.0, 1.0)

HOUSEHOLD_FIELDS: tuple[StateField, ...] = (
    StateField("household_class", np.int16, None, "index of the household's class in ``class_names``"),
    StateField("neighbourhood", np.int32, None, "index of the household's neighbourhood"),
    StateField("economic", np.float64, UNIT, "economic capital: income and wealth"),
    StateField("social", np.float64, UNIT, "social capital, from the household's ties"),
    StateField("cultural", np.float64, UNIT, "cultural capital: education, digital skills, knowing the rules"),
    StateField("personal", np.float64, UNIT, "personal capital: health, self-confidence"),
    StateField("functioning", np.float64, UNIT, "1 = normal life (home, income, health)"),
    StateField("stress", np.float64, UNIT, "psychological stress"),
    StateField("buffer", np.float64, UNIT, "economic buffer (savings) left"),
    StateField("preparedness", np.float64, UNIT, "preparedness measures taken"),
    StateField("trust", np.float64, UNIT, "trust in government"),
    StateField("exposure", np.float64, UNIT, "exposure to the hazard"),
    StateField("fear", np.float64, UNIT, "fear that essential provisions are or will be unavailable"),
    StateField("risk_memory", np.float64, UNIT, "remembered damage, fading over time"),
    StateField("damage", np.float64, UNIT, "loss of functioning in the household's latest shock"),
    StateField("shock_day", np.float64, None, "day the current shock began (NaN if never hit)", nan_allowed=True),
    StateField(
        "recovered_day", np.float64, None, "day the household recovered from it (NaN if not yet)", nan_allowed=True
    ),
    StateField("initiative", np.int32, None, "neighbourhood of the initiative it is a member of, -1 if none"),
    StateField(
        "transformation", np.int8, (0, 2), "0 = its neighbourhood did not transform, 1 = followed, 2 = left behind"
    ),
    StateField("gain_self", np.float64, None, "functioning regained by own means, summed over the run"),
    StateField("gain_bonding", np.float64, None, "functioning regained through support from bonding ties"),
    StateField("gain_bridging", np.float64, None, "functioning regained through support from bridging ties"),
    StateField("gain_initiative", np.float64, None, "functioning regained through citizen initiatives"),
    StateField("gain_aid", np.float64, None, "functioning regained through government aid"),
)

RECOVERY_CHANNELS: tuple[str, ...] = ("self", "bonding", "bridging", "initiative", "aid")


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
        self.functioning[:] = 1.0
        self.shock_day[:] = np.nan
        self.recovered_day[:] = np.nan
        self.initiative[:] = -1

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
