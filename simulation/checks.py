"""Checks of config values: each raises a ``ConfigError`` that names the key, the value and what is allowed."""

from __future__ import annotations

import math
from typing import Any


class ConfigError(ValueError):
    """A config value is not allowed. The message names the key, the value and what is allowed."""


def check_range(key: str, value: float, low: float, high: float = math.inf) -> None:
    """Raise ConfigError unless ``low <= value <= high`` (and value is a finite number)."""
    if not (isinstance(value, int | float) and math.isfinite(value) and low <= value <= high):
        allowed = f"a number >= {low:g}" if high == math.inf else f"a number in [{low:g}, {high:g}]"
        raise ConfigError(f"{key}={value!r} is not allowed: expected {allowed}")


def check_positive(key: str, value: float) -> None:
    """Raise ConfigError unless value is a finite number > 0."""
    if not (isinstance(value, int | float) and math.isfinite(value) and value > 0):
        raise ConfigError(f"{key}={value!r} is not allowed: expected a number > 0")


def check_before_horizon(key: str, day: float, horizon_days: float) -> None:
    """Raise ConfigError unless ``0 <= day < horizon_days`` (a day at the horizon would never come)."""
    check_range(key, day, 0.0, horizon_days)
    if day >= horizon_days:
        raise ConfigError(f"{key}={day!r} is not allowed: expected a day before scenario.horizon_days={horizon_days!r}")


def check_unit_fields(group: str, obj: Any, names: tuple[str, ...]) -> None:
    """Check that each named field of ``obj`` lies in [0, 1]."""
    for name in names:
        check_range(f"{group}.{name}", getattr(obj, name), 0.0, 1.0)
