"""Units shared by the config, the levers and the mechanisms: the year, and capacities per 1,000 households."""

DAYS_PER_YEAR = 365.25  # days in a (Julian) year: per-year inputs are converted with it


def capacity(per_thousand: float, households: int) -> float:
    """A capacity per 1,000 households as the number at work at once in this town (not rounded)."""
    return per_thousand * households / 1000.0
