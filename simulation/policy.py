"""What policy levers gained: a run with levers against the same town, with the same seed, without them.

The levers themselves, what each changes in the mechanisms, when, and what it costs, are one
module each in ``simulation/levers/``.
"""

from __future__ import annotations

import dataclasses

from simulation.config import Config, PolicyConfig

OUTSIDERS = "precariaat"
GAIN_KEYS = (
    "recovery_gained_days",
    f"recovery_gained_days__{OUTSIDERS}",
    "recovery_gained_per_meur",
    f"recovery_gained_per_meur__{OUTSIDERS}",
)


def without_levers(cfg: Config) -> Config:
    """The same run (same seed, same town) with every lever off."""
    return dataclasses.replace(cfg, policy=PolicyConfig())


def recovery_gained(with_levers: dict, without: dict, households: int, precariaat: int) -> dict[str, float | None]:
    """What the levers gained against the same run without them.

    ``recovery_gained_days``: days of functioning per household regained (``functioning_loss_days``
    without the levers minus with them; negative if the levers made it worse);
    ``recovery_gained_per_meur``: household-days regained per million euros of ``policy_cost_eur``
    (null if the levers cost nothing). The same for the precariaat (null without that class).

    Args:
        with_levers: the summary of the run with its levers; without: the same run without them.
        households: households in the town; precariaat: of them, in the precariaat.
    """
    key = f"functioning_loss_days__{OUTSIDERS}"
    overall = without["functioning_loss_days"] - with_levers["functioning_loss_days"]
    poor = without[key] - with_levers[key] if with_levers.get(key) is not None else None
    meur = with_levers["policy_cost_eur"] / 1e6
    return dict(
        zip(
            GAIN_KEYS,
            (
                overall,
                poor,
                overall * households / meur if meur > 0 else None,
                poor * precariaat / meur if meur > 0 and poor is not None else None,
            ),
            strict=True,
        )
    )
