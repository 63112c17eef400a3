"""Mesa-style keyword parameters: ``CrisisModel(scenario="flooding", households=500, seed=1)``.

Mesa's ``batch_run`` and its web app (SolaraViz) build a model from keyword parameters. This
module turns them into a validated ``Config`` without Hydra or omegaconf. A parameter is either
a short name for a common key (``SHORT_NAMES``) or any config key with its dots written as
double underscores (``network__bridging_weight=0.3``, ``scenario__horizon_days=60``,
``policy__flood_defences__enabled=True``). ``policy`` takes the names of the levers to turn on.
Values typed into a web form arrive as strings; they are converted where the field's type is
a number, a truth value or a list of them.
"""

from __future__ import annotations

import dataclasses
import numbers
import typing
from typing import Any

import numpy as np

from scenarios import SCENARIOS
from simulation.config import MISSING, Config, ConfigError, PopulationConfig

DEFAULT_SCENARIO = "leak"  # as simulation/conf/config.yaml
SHORT_NAMES = {
    "scenario": "scenario",
    "seed": "seed",
    "policy": "policy",
    "households": "population.households",
    "neighbourhoods": "population.neighbourhoods",
    "segregation": "population.segregation",
    "bonding_degree": "network.bonding_degree",
    "bridging_degree": "network.bridging_degree",
    "homophily": "network.homophily",
    "delay_days": "government.delay_days",
    "receptivity": "government.receptivity",
    "learning": "government.learning",
    "collaboration": "government.collaboration",
    "bureaucracy": "government.bureaucracy",
    "horizon_days": "scenario.horizon_days",
    "step_days": "scenario.step_days",
}
TRUE, FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


def default_config() -> Config:
    """The default config, built from the dataclasses (what ``load_config()`` composes with Hydra)."""
    hints = typing.get_type_hints(Config)
    groups = {
        field.name: hints[field.name]()
        for field in dataclasses.fields(Config)
        if field.default is MISSING and dataclasses.is_dataclass(hints[field.name])
    }
    return Config(scenario=scenario_class(DEFAULT_SCENARIO)(), population=PopulationConfig(), **groups)


def scenario_class(name: Any) -> type:
    """The config class of the scenario called ``name``."""
    if name not in SCENARIOS:
        raise ConfigError(f"scenario={name!r} is not allowed: expected one of {', '.join(sorted(SCENARIOS))}")
    return SCENARIOS[name].config_class


def config_from_params(base: Config | None = None, /, **params: Any) -> Config:
    """A validated config: ``base`` (or the defaults) with keyword parameters applied.

    Args:
        base: the config the parameters change; None means the defaults (``default_config``).
        **params: short names (``SHORT_NAMES``) or config keys with ``__`` for dots. ``scenario``
            chooses the scenario (its defaults, unless ``base`` has the same one); ``policy``
            names the levers turned on (a list, or one string with commas), the others off.

    Raises:
        ConfigError: naming the parameter, its value and what is allowed, for an unknown
            parameter, a value of the wrong type, or a value the config's checks refuse.
    """
    cfg = base if base is not None else default_config()
    names: dict[tuple[str, ...], str] = {}  # config key -> the parameter that sets it
    for name, value in params.items():
        path = key_path(name)
        if path in names:
            raise ConfigError(f"{name}={value!r} is not allowed: {names[path]} already sets {'.'.join(path)}")
        names[path] = name
    if ("scenario",) in names:
        name = names.pop(("scenario",))
        chosen = convert(name, params[name], str)
        if chosen != cfg.scenario.name:
            cfg = dataclasses.replace(cfg, scenario=scenario_class(chosen)())
    changes = {}  # config key -> value
    if ("policy",) in names:
        name = names.pop(("policy",))
        changes = {("policy", lever, "enabled"): on for lever, on in levers_on(cfg, name, params[name]).items()}
    for path, name in names.items():
        changes[path] = convert(name, params[name], field_type(cfg, name, params[name], path))
    return rebuild(cfg, changes)


def key_path(name: str) -> tuple[str, ...]:
    """The config key a parameter names, as a tuple of parts (``scenario__name`` chooses the scenario)."""
    path = tuple(SHORT_NAMES.get(name, name.replace("__", ".")).split("."))
    return ("scenario",) if path == ("scenario", "name") else path


def field_type(cfg: Config, name: str, value: Any, path: tuple[str, ...]) -> Any:
    """The type of the field at ``path``; ConfigError if there is none."""
    node: Any = cfg
    for depth, part in enumerate(path):
        if dataclasses.is_dataclass(node):
            keys = [field.name for field in dataclasses.fields(node)]
        else:
            keys = list(node) if isinstance(node, dict) else []
        if part not in keys:
            raise ConfigError(
                f"{name}={value!r} is not allowed: {'.'.join(path[:depth]) or 'the config'} has no key {part!r} "
                f"(its keys: {', '.join(keys) or 'none'}); a parameter is a short name ({', '.join(SHORT_NAMES)}) "
                "or a config key with __ for dots, such as network__bridging_weight"
            )
        if isinstance(node, dict):
            kind, node = type(node[part]), node[part]
        else:
            kind, node = typing.get_type_hints(type(node))[part], getattr(node, part)
    if dataclasses.is_dataclass(node) or isinstance(node, dict):
        raise ConfigError(f"{name}={value!r} is not allowed: {'.'.join(path)} is a group; set its keys one by one")
    return kind


def convert(name: str, value: Any, kind: Any) -> Any:
    """``value`` as a value of type ``kind``, from a string too (a web form's); ConfigError if it is none."""
    if type(None) in typing.get_args(kind):
        if value is None:
            return None
        (kind,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
    if typing.get_origin(kind) is list:
        (item,) = typing.get_args(kind)
        if isinstance(value, str):
            value = [part for part in value.strip().strip("[]").split(",") if part.strip()]
        if isinstance(value, list | tuple):
            return [convert(f"{name}[{index}]", v, item) for index, v in enumerate(value)]
        raise not_allowed(name, value, "a list (or a string of values separated by commas)")
    text = value.strip() if isinstance(value, str) else None
    if kind is bool:
        if isinstance(value, bool | np.bool_):
            return bool(value)
        if text is not None and text.lower() in TRUE + FALSE:
            return text.lower() in TRUE
        raise not_allowed(name, value, "true or false")
    number = value if text is None else _number(text)
    if kind is int:
        if isinstance(number, numbers.Integral) and not isinstance(number, bool):
            return int(number)
        if isinstance(number, float) and number.is_integer():
            return int(number)
        raise not_allowed(name, value, "a whole number")
    if kind is float:
        if isinstance(number, numbers.Real) and not isinstance(number, bool):
            return float(number)
        raise not_allowed(name, value, "a number")
    if kind is str:
        if text is not None:
            return text
        raise not_allowed(name, value, "a string")
    raise not_allowed(name, value, f"a value of a field settable by keyword, not {kind}: use load_config's overrides")


def _number(text: str) -> int | float | None:
    """The number a string spells (an int where it is one), or None."""
    for parse in (int, float):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


def levers_on(cfg: Config, name: str, value: Any) -> dict[str, bool]:
    """Each lever of ``cfg.policy``, on if ``value`` (a list, or one string with commas) names it."""
    levers = [lever for lever, settings in vars(cfg.policy).items() if hasattr(settings, "enabled")]
    names = [part.strip() for part in value.strip("[]").split(",") if part.strip()] if isinstance(value, str) else value
    if not isinstance(names, list | tuple) or any(lever not in levers for lever in names):
        raise not_allowed(name, value, f"a list of levers from {', '.join(levers)}")
    return {lever: lever in names for lever in levers}


def not_allowed(name: str, value: Any, expected: str) -> ConfigError:
    """The error for a parameter whose value is not allowed (naming the config key where the name is short)."""
    parameter = name.partition("[")[0]
    key = ".".join(key_path(parameter))
    where = f" ({key})" if key != parameter else ""
    return ConfigError(f"{name}={value!r} is not allowed{where}: expected {expected}")


def rebuild(node: Any, changes: dict[tuple[str, ...], Any]) -> Any:
    """``node`` with the changes (key -> value) applied; each changed dataclass is built anew, so checked once."""
    if not changes:
        return node
    parts: dict[str, Any] = {}
    for part in dict.fromkeys(path[0] for path in changes):
        below = {path[1:]: change for path, change in changes.items() if path[0] == part}
        child = node[part] if isinstance(node, dict) else getattr(node, part)
        parts[part] = below[()] if () in below else rebuild(child, below)
    return {**node, **parts} if isinstance(node, dict) else dataclasses.replace(node, **parts)
