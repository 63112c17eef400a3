"""Calibration targets: a real case's figures defined in model terms (``experiments/targets/*.yaml``).

A targets file names the case, the scenario and the settings that make the model's town that
case, the day of the event (``event_day``; targets count days from it), the uncertain rates to
fit (each with a prior range and the reason for it), and the targets. A target is one of:

- ``output`` at ``day``: a time-series column at ``event_day + day``, times the number of
  households with ``scale: households`` (a count), or divided by the column ``per`` at that day
  (a share); its ``denominator`` says what the real figure counts or is a share of (the
  households of the town; 2,325 reports to the scheme), so that a series is not a mix;
- ``first_day_above``: days from the event until a column first rises above 0;
- ``hours_until_below`` with ``share_of_peak``: hours from the event until a column falls to
  that share of its peak (0: until none is left), interpolated linearly within the step.

Each has a ``value`` (a point) or a ``band`` (a range), a ``source`` and a ``confidence`` (H, M
or L); ``held_out: true`` keeps it out of the fit, to check the fit's prediction against it.
The targets on one column are a series: they share one definition (the same ``scale`` or
``per``).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from scenarios.leak import HOURS
from simulation import CrisisModel, load_config, run
from simulation.calibration import replaced
from simulation.config import Config, ConfigError

# assumption: how far, relative to the real value, a simulated value may lie for one unit of
# distance, by the confidence of the source (H official, M reputable report, L anecdotal or inferred)
CONFIDENCE_TOLERANCE = {"H": 0.1, "M": 0.2, "L": 0.4}
KINDS = ("output", "first_day_above", "hours_until_below")
TARGET_KEYS = {
    *KINDS,
    "day",
    "scale",
    "per",
    "denominator",
    "share_of_peak",
    "value",
    "band",
    "source",
    "confidence",
    "held_out",
}
CASE_KEYS = {"case", "title", "scenario", "settings", "event_day", "parameters", "targets"}


@dataclass(frozen=True)
class Parameter:
    """An uncertain rate to fit: its config key, prior range (uniform) and the reason for the range."""

    key: str
    low: float
    high: float
    reason: str


@dataclass(frozen=True)
class Target:
    """A real figure and how to measure it in a run."""

    name: str
    kind: str  # one of KINDS
    column: str
    day: float | None
    scale: str | None
    per: str | None
    share_of_peak: float | None
    low: float  # equal to high for a point
    high: float
    denominator: str | None  # what the real figure counts or is a share of (output targets)
    source: str
    confidence: str
    held_out: bool

    @property
    def value(self) -> float:
        """The point, or the middle of the band."""
        return (self.low + self.high) / 2.0

    @property
    def tolerance(self) -> float:
        """The simulated distance outside the real value or band that counts as one unit."""
        return CONFIDENCE_TOLERANCE[self.confidence] * max(abs(self.value), 1e-9)

    @property
    def definition(self) -> str:
        """How the model measures an output target: ``per=COLUMN`` (a share) or ``scale=households`` (a count)."""
        return f"per={self.per}" if self.per else f"scale={self.scale}"

    def met_by(self, simulated: float) -> bool:
        """Whether a simulated value (say, the median of runs) meets this target: inside its band, or within one tolerance of a point."""
        if self.low < self.high:
            return bool(self.low <= simulated <= self.high)
        return bool(self.error(simulated) <= 1.0)

    def error(self, simulated: float) -> float:
        """How far a simulated value lies outside the real value or band, in tolerances (inf for NaN)."""
        if not math.isfinite(simulated):
            return math.inf
        return max(self.low - simulated, 0.0, simulated - self.high) / self.tolerance

    def measure(self, timeseries: pd.DataFrame, households: int, event_day: float) -> float:
        """This target's quantity in a run's time series (NaN where it never happens)."""
        days = timeseries["day"].to_numpy()
        column = timeseries[self.column].to_numpy()
        after = days >= event_day
        if self.kind == "output":
            row = int(np.searchsorted(days, event_day + self.day - 1e-9))
            value = column[row]
            if self.scale == "households":
                return float(value * households)
            if self.per:
                total = timeseries[self.per].to_numpy()[row]
                return float(value / total) if total > 0 else math.nan
            return float(value)
        if self.kind == "first_day_above":
            above = np.flatnonzero(after & (column > 0))
            return float(days[above[0]] - event_day) if above.size else math.nan
        peak = column[after].max()
        threshold = self.share_of_peak * peak
        below = np.flatnonzero(after & (days > event_day) & (column <= threshold + 1e-12))
        if not below.size or peak <= 0:
            return math.nan
        row = below[0]  # the crossing, interpolated linearly within the step before it
        fall = column[row - 1] - column[row]
        share_of_step = (column[row - 1] - threshold) / fall if fall > 0 else 1.0
        return float((days[row - 1] + share_of_step * (days[row] - days[row - 1]) - event_day) * HOURS)


@dataclass(frozen=True)
class Case:
    """A real case: its settings, the rates to fit and the targets."""

    name: str
    title: str
    scenario: str
    settings: dict[str, Any]
    event_day: float
    parameters: tuple[Parameter, ...]
    targets: tuple[Target, ...]

    @property
    def fitted(self) -> tuple[Target, ...]:
        """The targets the fit uses."""
        return tuple(t for t in self.targets if not t.held_out)

    @property
    def held_out(self) -> tuple[Target, ...]:
        """The targets kept out of the fit."""
        return tuple(t for t in self.targets if t.held_out)

    def overrides(self, rates: dict[str, float] | None = None, seed: int = 0) -> list[str]:
        """Hydra overrides for a run of this case at these rates (without figures or per-household output)."""
        settings = {**self.settings, **QUIET, **(rates or {})}
        return [f"{key}={_hydra_value(value)}" for key, value in settings.items()] + [f"seed={seed}"]

    def simulate(self, rates: dict[str, float], seed: int) -> dict[str, float]:
        """Run the case at these rates (the defaults where a rate is not given) and measure every target."""
        config = case_config(self.scenario, tuple(self.overrides()))  # composed once per process
        for key, value in rates.items():
            config = replaced(config, key, key.split("."), value)
        result = run(dataclasses.replace(config, seed=seed))
        households = result.config.population.households
        return {t.name: t.measure(result.timeseries, households, self.event_day) for t in self.targets}

    def distance(self, simulated: dict[str, float], targets: tuple[Target, ...] | None = None) -> float:
        """Root of the summed squared errors (in tolerances) over ``targets`` (default: the fitted ones)."""
        targets = self.fitted if targets is None else targets
        return math.sqrt(math.fsum(t.error(simulated[t.name]) ** 2 for t in targets))  # the same on every Python


QUIET = {"output.figures": False, "output.households": False}  # what a calibration run does not write
TARGETS = Path(__file__).resolve().parent / "targets"
CASE_FIT = "case_fit.csv"


@cache
def case_named(case_name: str) -> Case:
    """The case of ``experiments/targets/NAME.yaml``, read once per process (every run of a case sweep measures it)."""
    return load_case(TARGETS / f"{case_name}.yaml")


def case_fit(timeseries: pd.DataFrame, households: int, case_name: str) -> pd.DataFrame:
    """A run of a case (``+case=NAME``) against every target of ``experiments/targets/NAME.yaml``."""
    case = case_named(case_name)
    rows = []
    for t in case.targets:
        value = t.measure(timeseries, households, case.event_day)
        rows.append(
            {
                "target": t.name,
                "held_out": t.held_out,
                "real": f"{t.low:g}" if t.low == t.high else f"{t.low:g}-{t.high:g}",
                "this_run": value,
                "error": t.error(value),
                "met": t.met_by(value) if math.isfinite(value) else False,
                "source": t.source,
            }
        )
    return pd.DataFrame(rows)


@cache
def case_config(scenario: str, overrides: tuple[str, ...]) -> Config:
    """The validated config of a case's settings (rates and seed are set on copies of it)."""
    return load_config(scenario, overrides)


def _hydra_value(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ",".join(str(v) for v in value) + "]"
    return str(value)


def _fail(path: Path, key: str, value: Any, allowed: str) -> None:
    raise ConfigError(f"{path.name}: {key}={value!r} is not allowed: expected {allowed}")


def load_case(path: str | Path) -> Case:
    """Read and check a targets file.

    Raises:
        ConfigError: with one line naming the file, the key, the value and what is allowed.
    """
    path = Path(path)
    if not path.is_file():
        raise ConfigError(
            f"targets file {str(path)!r} does not exist: expected a YAML file such as experiments/targets/valkenburg2021.yaml"
        )
    raw = yaml.safe_load(path.read_text()) or {}
    if not isinstance(raw, dict):
        _fail(path, "(top level)", raw, "a mapping with keys " + ", ".join(sorted(CASE_KEYS)))
    for key in raw:
        if key not in CASE_KEYS:
            _fail(path, key, raw[key], "one of the keys " + ", ".join(sorted(CASE_KEYS)))
    for key in ("case", "scenario", "event_day", "parameters", "targets"):
        if key not in raw:
            _fail(path, key, None, "a value (the key is missing)")
    settings = dict(raw.get("settings") or {})
    parameters = tuple(_parameter(path, key, spec) for key, spec in (raw["parameters"] or {}).items())
    if not parameters:
        _fail(path, "parameters", raw["parameters"], "at least one rate to fit")
    midpoint = {p.key: (p.low + p.high) / 2.0 for p in parameters}
    case = Case(
        name=str(raw["case"]),
        title=str(raw.get("title", raw["case"])),
        scenario=str(raw["scenario"]),
        settings=settings,
        event_day=float(raw["event_day"]),
        parameters=parameters,
        targets=(),
    )
    config = load_config(case.scenario, case.overrides(midpoint))  # unknown keys and bad values fail here
    model = CrisisModel(load_config(case.scenario, [*case.overrides(midpoint), "population.households=50"]))
    columns = set(model.recorder.columns)
    horizon = config.scenario.horizon_days
    targets = tuple(
        _target(path, name, spec, columns, horizon - case.event_day) for name, spec in (raw["targets"] or {}).items()
    )
    if not any(not t.held_out for t in targets):
        _fail(path, "targets", list(raw["targets"] or {}), "at least one target that is not held out")
    series: dict[str, Target] = {}
    for t in (t for t in targets if t.kind == "output"):
        first = series.setdefault(t.column, t)
        if t.definition != first.definition:
            _fail(
                path,
                f"targets.{t.name}",
                t.definition,
                f"the definition of the other targets on {t.column} (targets.{first.name}: {first.definition}): "
                "one definition per series",
            )
    return Case(**{**case.__dict__, "targets": targets})


def _parameter(path: Path, key: str, spec: Any) -> Parameter:
    where = f"parameters.{key}"
    if not isinstance(spec, dict) or set(spec) - {"prior", "reason"}:
        _fail(path, where, spec, "a mapping with 'prior: [low, high]' and 'reason'")
    prior = spec.get("prior")
    if not (isinstance(prior, list) and len(prior) == 2 and all(isinstance(v, int | float) for v in prior)):
        _fail(path, f"{where}.prior", prior, "[low, high], two numbers")
    if not prior[0] < prior[1]:
        _fail(path, f"{where}.prior", prior, "low below high")
    if not spec.get("reason"):
        _fail(path, f"{where}.reason", spec.get("reason"), "the reason for the prior range (a sentence)")
    return Parameter(key, float(prior[0]), float(prior[1]), str(spec["reason"]))


def _target(path: Path, name: str, spec: Any, columns: set[str], days_after_event: float) -> Target:
    where = f"targets.{name}"
    if not isinstance(spec, dict):
        _fail(path, where, spec, "a mapping")
    for key in spec:
        if key not in TARGET_KEYS:
            _fail(path, f"{where}.{key}", spec[key], "one of the keys " + ", ".join(sorted(TARGET_KEYS)))
    kinds = [k for k in KINDS if k in spec]
    if len(kinds) != 1:
        _fail(path, where, sorted(spec), "exactly one of " + ", ".join(KINDS))
    kind = kinds[0]
    for column in (spec[kind], spec.get("per")):
        if column is not None and column not in columns:
            overall = sorted(c for c in columns if "__" not in c)
            allowed = "a time-series column: " + ", ".join(overall) + " (or NAME__CLASS for a class)"
            _fail(path, f"{where}.{kind if column == spec[kind] else 'per'}", column, allowed)
    day = spec.get("day")
    if kind == "output":
        if not isinstance(day, int | float) or day < 0:
            _fail(path, f"{where}.day", day, "days after the event, a number >= 0")
        if day > days_after_event:
            _fail(path, f"{where}.day", day, f"a day within the run: at most {days_after_event:g} days after the event")
        if spec.get("scale") not in (None, "households"):
            _fail(path, f"{where}.scale", spec.get("scale"), "households (or no scale)")
        if not spec.get("denominator"):
            _fail(
                path,
                f"{where}.denominator",
                spec.get("denominator"),
                "what the real figure counts or is a share of (e.g. 'households of the town', "
                "'2,325 reports to the scheme by 14 December 2021')",
            )
    elif "denominator" in spec:
        _fail(path, f"{where}.denominator", spec["denominator"], f"no denominator: a {kind} target is a time")
    share = spec.get("share_of_peak")
    if kind == "hours_until_below" and not (isinstance(share, int | float) and 0 <= share < 1):
        _fail(path, f"{where}.share_of_peak", share, "a share in [0, 1)")
    if ("value" in spec) == ("band" in spec):
        _fail(path, where, sorted(spec), "exactly one of value or band")
    band = spec.get("band", [spec.get("value")] * 2)
    if not (
        isinstance(band, list)
        and len(band) == 2
        and all(isinstance(v, int | float) for v in band)
        and band[0] <= band[1]
    ):
        _fail(
            path,
            f"{where}.{'band' if 'band' in spec else 'value'}",
            spec.get("band", spec.get("value")),
            "a number, or a band [low, high] with low <= high",
        )
    if not spec.get("source"):
        _fail(
            path,
            f"{where}.source",
            spec.get("source"),
            "the figure's source (publication and date)",
        )
    if spec.get("confidence") not in CONFIDENCE_TOLERANCE:
        _fail(path, f"{where}.confidence", spec.get("confidence"), "one of " + ", ".join(CONFIDENCE_TOLERANCE))
    return Target(
        name=name,
        kind=kind,
        column=spec[kind],
        day=float(day) if day is not None else None,
        scale=spec.get("scale"),
        per=spec.get("per"),
        share_of_peak=float(share) if share is not None else None,
        low=float(band[0]),
        high=float(band[1]),
        denominator=spec.get("denominator"),
        source=str(spec["source"]),
        confidence=spec["confidence"],
        held_out=bool(spec.get("held_out", False)),
    )
