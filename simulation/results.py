"""The results of one run, and saving them to (and loading them from) a folder."""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from simulation.config import Config

SUMMARY_FILE = "summary.json"


def write_atomically(path: Path, write) -> None:
    """Call ``write(temporary_path)``, then rename the file into place."""
    temporary = path.with_name(f".{path.name}.tmp")
    write(temporary)
    os.replace(temporary, path)


@dataclass
class Results:
    """What a run produced.

    Attributes:
        timeseries: one row per step (row 0: before the first step), with a ``day`` column.
        households: one row per household: class, neighbourhood, final state, recovery (None when
            loaded from a run saved without it, ``output.households=false``).
        events: one row per hazard event: day, households hit, damage and recovery days (overall
            and per class), t50, t90.
        summary: flat dict of scalars (None where a quantity did not happen).
        config: the validated config of the run.
    """

    timeseries: pd.DataFrame
    households: pd.DataFrame | None
    events: pd.DataFrame
    summary: dict[str, float | int | None]
    config: Config

    def scalars(self) -> dict[str, float]:
        """The summary as floats, with NaN for what did not happen (for numeric tools: numpy, SALib, EMA Workbench)."""
        return {key: math.nan if value is None else float(value) for key, value in self.summary.items()}

    def save(self, path: str | Path) -> Path:
        """Write the run to folder ``path``, every file under a temporary name first."""
        from simulation.compose import config_to_dict  # omegaconf, for saving only: the engine runs without it

        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(
            folder / "config.yaml",
            lambda p: p.write_text(yaml.safe_dump(config_to_dict(self.config), sort_keys=False)),
        )
        write_atomically(folder / "timeseries.parquet", lambda p: self.timeseries.to_parquet(p, index=False))
        if self.config.output.households:
            write_atomically(folder / "households.parquet", lambda p: self.households.to_parquet(p, index=False))
        write_atomically(folder / "events.parquet", lambda p: self.events.to_parquet(p, index=False))
        write_atomically(folder / SUMMARY_FILE, lambda p: p.write_text(json.dumps(self.summary, indent=2)))
        return folder

    @classmethod
    def load(cls, path: str | Path) -> Results:
        """Read a run saved by ``save``."""
        from simulation.compose import config_from_dict

        folder = Path(path)
        return cls(
            timeseries=pd.read_parquet(folder / "timeseries.parquet"),
            households=pd.read_parquet(households) if (households := folder / "households.parquet").exists() else None,
            events=pd.read_parquet(folder / "events.parquet"),
            summary=json.loads((folder / SUMMARY_FILE).read_text()),
            config=config_from_dict(yaml.safe_load((folder / "config.yaml").read_text())),
        )
