"""Composing, validating and reading configs, with one-line errors for bad input."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from hydra import compose, initialize_config_module
from hydra.core.config_store import ConfigStore
from hydra.core.global_hydra import GlobalHydra
from hydra.errors import HydraException, MissingConfigException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import ConfigKeyError, OmegaConfBaseException, ValidationError

from simulation.config import Config, ConfigError, PopulationConfig, register_configs

CONFIG_MODULE = "simulation.conf"


def register() -> None:
    """Put every schema and preset, and every scenario registered so far, in Hydra's ConfigStore."""
    from scenarios import SCENARIOS

    store = ConfigStore.instance()
    if "schema.yaml" not in store.repo:
        register_configs()
    stored = store.repo.get("scenario", {})
    for name, scenario in SCENARIOS.items():
        if f"{name}.yaml" not in stored:
            store.store(group="scenario", name=name, node=scenario.config_class)


def load_config(scenario: str | None = None, overrides: Sequence[str] = ()) -> Config:
    """Compose and validate a config, as the command line would.

    Args:
        scenario: name of a scenario (same as the override ``scenario=NAME``).
        overrides: Hydra overrides such as ``"network.bridging_degree=4"`` or ``"seed=3"``.

    Raises:
        ConfigError: with one line naming the key, the value and what is allowed.
    """
    overrides = [*([f"scenario={scenario}"] if scenario else []), *overrides]
    return to_config(compose_config(overrides))


def compose_config(overrides: Sequence[str]) -> DictConfig:
    """The composed (not yet validated) config for these overrides."""
    register()
    try:
        if GlobalHydra.instance().is_initialized():
            return compose("config", overrides=list(overrides))
        with initialize_config_module(CONFIG_MODULE, version_base="1.3"):
            return compose("config", overrides=list(overrides))
    except (HydraException, OmegaConfBaseException) as error:
        raise ConfigError(explain(error)) from None


def check_known_keys(node: DictConfig, path: str = "") -> None:
    """Refuse keys that no schema declares (``+network.no_such_key=1`` adds one past Hydra's own check)."""
    object_type = OmegaConf.get_type(node)
    if dataclasses.is_dataclass(object_type):
        allowed = {f.name for f in dataclasses.fields(object_type)}
        for key in node:
            if key not in allowed:
                raise ConfigError(
                    f"unknown key {path + str(key)!r}: allowed keys here are {_allowed_keys(object_type)}"
                )
    for key in node:
        child = node._get_node(key)
        if isinstance(child, DictConfig) and not child._is_missing() and not child._is_none():
            check_known_keys(child, f"{path}{key}.")


def to_config(cfg: DictConfig) -> Config:
    """Turn a composed config into validated ``Config`` objects (unknown keys and range checks fail here)."""
    try:
        check_known_keys(cfg)
        return OmegaConf.to_object(cfg)
    except ConfigError:
        raise
    except (HydraException, OmegaConfBaseException) as error:
        raise ConfigError(explain(error)) from None


def as_config(cfg: Config | DictConfig | None) -> Config:
    """Accept a ``Config``, a composed DictConfig, or None (the defaults)."""
    if cfg is None:
        return load_config()
    if isinstance(cfg, DictConfig):
        return to_config(cfg)
    if isinstance(cfg, Config):
        return cfg
    raise TypeError(f"expected a Config or DictConfig, got {type(cfg).__name__}")


def config_to_dict(cfg: Config) -> dict[str, Any]:
    """The config as plain data (for saving)."""
    return OmegaConf.to_container(OmegaConf.structured(cfg))


def config_from_dict(data: dict[str, Any]) -> Config:
    """Rebuild a validated ``Config`` from ``config_to_dict`` output."""
    from scenarios import SCENARIOS

    register()
    scenario_class = SCENARIOS[data["scenario"]["name"]].config_class
    schema = OmegaConf.structured(Config)
    schema.scenario = OmegaConf.structured(scenario_class)
    schema.population = OmegaConf.structured(PopulationConfig)
    schema.population.classes = {}  # the saved class table replaces the default one
    return to_config(OmegaConf.merge(schema, data))


def group_options(group: str) -> list[str]:
    """The options of a config group stored in Hydra's ConfigStore (Hydra lists only file options itself)."""
    stored = ConfigStore.instance().repo.get(group, {})
    return sorted(name.removesuffix(".yaml") for name in stored if isinstance(name, str) and name.endswith(".yaml"))


def _allowed_keys(object_type: Any) -> str:
    if dataclasses.is_dataclass(object_type):
        return ", ".join(f.name for f in dataclasses.fields(object_type))
    return "none"


def explain(error: BaseException) -> str:
    """One line that names the key, the value and what is allowed."""
    cause = error.__cause__ or error.__context__ or error
    if isinstance(error, MissingConfigException) and error.missing_cfg_file:
        group, _, name = error.missing_cfg_file.rpartition("/")
        options = ", ".join(error.options or group_options(group)) or "none"
        return f"{group or 'config'}={name!r} is not allowed: expected one of {options}"
    if isinstance(cause, ConfigKeyError | AttributeError) and getattr(cause, "full_key", None):
        return (
            f"unknown key {cause.full_key!r}: allowed keys here are "
            f"{_allowed_keys(getattr(cause, 'object_type', None))}"
        )
    if isinstance(cause, ValidationError) and getattr(cause, "full_key", None):
        reason = str(cause.msg).splitlines()[0]
        return f"{cause.full_key}={cause.value!r} is not allowed: {reason}"
    return str(error).strip().splitlines()[0]
