"""Rates drawn from a calibration's posterior (``calibration.posterior``; ``veerkracht-calibrate`` writes it).

A posterior is a CSV with one column per calibrated rate (its config key, such as
``housing.contractors``) and a ``weight`` column. A run that names one draws a row by weight
with its own stream (the seed picks the row), so a sweep over seeds carries the parameter
uncertainty the calibration left along with the seed noise.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.config import Config, ConfigError
from simulation.streams import Streams

PROJECT = Path(__file__).resolve().parent.parent  # posteriors installed by --install live under experiments/


def posterior_path(path: str) -> Path:
    """The posterior file: as given, or relative to the project (``experiments/targets/posteriors/CASE.csv``)."""
    for candidate in (Path(path), PROJECT / path):
        if candidate.is_file():
            return candidate
    raise ConfigError(
        f"calibration.posterior={path!r} is not allowed: expected a CSV of posterior samples "
        "(veerkracht-calibrate writes posterior.csv); no such file"
    )


@cache
def read_posterior(path: Path) -> pd.DataFrame:
    """The posterior samples (rates and normalised weights)."""
    table = pd.read_csv(path)
    if "weight" not in table or len(table.columns) < 2 or table.empty:
        raise ConfigError(
            f"calibration.posterior={str(path)!r} is not allowed: expected a CSV with a weight column and one column per rate"
        )
    table["weight"] = table["weight"] / table["weight"].sum()
    return table


def with_drawn_rates(cfg: Config) -> Config:
    """The config with its calibrated rates drawn from ``cfg.calibration.posterior`` (unchanged without one)."""
    if not cfg.calibration.posterior:
        return cfg
    table = read_posterior(posterior_path(cfg.calibration.posterior))
    rng = Streams(np.random.SeedSequence(cfg.seed)).get("posterior_draw")
    row = table.iloc[int(rng.choice(len(table), p=table["weight"].to_numpy()))]
    for key, value in row.drop("weight").items():
        cfg = replaced(cfg, key, key.split("."), float(value))
    return cfg


def replaced(node, key: str, path: list[str], value: float):
    """A copy of a config dataclass with the field at ``path`` (of ``key``) set, checked again by its ``__post_init__``."""
    name = path[0]
    if not dataclasses.is_dataclass(node) or name not in {f.name for f in dataclasses.fields(node)}:
        raise ConfigError(
            f"calibration.posterior: the column {key!r} is not allowed: expected a config key such as housing.contractors"
        )
    if len(path) > 1:
        value = replaced(getattr(node, name), key, path[1:], value)
    elif isinstance(getattr(node, name), int) and not isinstance(getattr(node, name), bool):
        value = round(value)
    return dataclasses.replace(node, **{name: value})
