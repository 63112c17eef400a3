"""Mesa's DataCollector on the model's own recorder, so that Mesa's tools read one source of truth.

``model.datacollector`` is what ``mesa.batch_run`` and Mesa's plot components read. Its model
variables are the recorder's columns (``simulation.metrics.Recorder``) read in place, not
copies: row ``s`` is the state after step ``s`` and row 0 the state before the first step, as
in Mesa, and ``get_model_vars_dataframe()`` is ``recorder.frame()``. Agent reporters (Mesa's
own: an attribute name or a function of an agent) are collected at every ``collect``, for towns
small enough that a run keeps at most ``MAX_AGENT_RECORDS`` of Mesa's per-agent tuples.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np
import pandas as pd

from simulation.config import ConfigError

if TYPE_CHECKING:
    from mesa import Model as CrisisModel  # the CrisisModel (simulation.model imports this module)

    from simulation.metrics import Recorder

# Mesa keeps one tuple per agent and step, built in Python (about 8 ms a step for two reporters at
# 5,000 households, a second at 1M) and some 120 bytes each: at most half a GB of them. That allows
# the leak's 337 rows up to 11,869 households, 30 years of weekly flooding (1,567 rows) up to 2,552.
MAX_AGENT_RECORDS = 4_000_000


class RecorderColumns(Mapping[str, np.ndarray]):
    """The recorder's columns as far as recorded: name -> a view of rows ``0 .. row - 1``."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    def __getitem__(self, name: str) -> np.ndarray:
        return self.recorder.columns[name][: self.recorder.row]

    def __iter__(self) -> Iterator[str]:
        return iter(self.recorder.columns)

    def __len__(self) -> int:
        return len(self.recorder.columns)


class Attribute:
    """An agent reporter reading one attribute, None where an agent has none (the government's agents).

    Mesa 3.3 reads a reporter given as a name that way; later versions raise for an agent without it.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, agent: mesa.Agent) -> Any:
        return getattr(agent, self.name, None)


class RecorderCollector(mesa.DataCollector):
    """A ``mesa.DataCollector`` whose model variables are the recorder's columns.

    It has no model reporters of its own, so Mesa's ``collect`` collects the agent reporters
    alone. Created at the end of ``CrisisModel.__init__``, it collects the state before the first
    step at once; the model calls ``collect`` after each step.

    Args:
        model: the model, with its recorder.
        agent_reporters: Mesa's agent reporters, name -> attribute name or function of an
            agent, e.g. ``{"functioning": "functioning"}``; every agent is reported
            (households, and None for the government's agents where they lack the attribute).

    Raises:
        ConfigError: agent reporters asked for more households than ``MAX_AGENT_RECORDS`` over
            the run's rows allow.
    """

    def __init__(
        self, model: CrisisModel, agent_reporters: Mapping[str, str | Callable[[mesa.Agent], Any]] | None = None
    ) -> None:
        households, rows = model.cfg.population.households, model.n_steps + 1
        if agent_reporters and households * rows > MAX_AGENT_RECORDS:
            raise ConfigError(
                f"agent_reporters with population.households={households!r} is not allowed: expected at most "
                f"{MAX_AGENT_RECORDS // rows:,} households over this run's {rows:,} rows (Mesa keeps a tuple per "
                f"agent and step, at most {MAX_AGENT_RECORDS:,}); read the arrays of model.households instead"
            )
        reporters = {
            name: Attribute(how) if isinstance(how, str) else how for name, how in (agent_reporters or {}).items()
        }
        super().__init__(agent_reporters=reporters)
        self.recorder = model.recorder
        self.model_vars = RecorderColumns(model.recorder)
        self.collect(model)

    @property
    def _collection_steps(self) -> list[int]:
        """The steps the model variables hold, one row each from step 0 (newer Mesa's batch_run reads them)."""
        return list(range(self.recorder.row))

    @_collection_steps.setter
    def _collection_steps(self, _: list) -> None:
        """Newer Mesa's DataCollector sets an empty list first; the steps follow the recorder instead."""

    def get_model_vars_dataframe(self) -> pd.DataFrame:
        """The time series, one row per step from the state before the first: ``recorder.frame()``."""
        return self.recorder.frame()
