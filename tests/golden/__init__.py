"""Golden outputs: stored results of five small runs that every change must reproduce bit for bit.

Between them the cases exercise every scenario, the hourly leak, all seven policy levers (and the
paired run without them), rates drawn from a calibration's posterior, a closed and bureaucratic
town, and polarisation with transformation. Each case's file, ``tests/golden/<case>.json``, holds
what its run produced: the summary, value by value, and a fingerprint of every time-series
column, household array and event column (a SHA-256 of its dtype and bytes, and its mean, to show
how far a changed column moved).

``tests/test_golden.py`` runs each case afresh and compares. A change that alters results on
purpose writes the files anew with ``make golden`` (``python -m tests.golden``), which prints
what moved; its commit says what moved and why.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import scipy

from simulation import Config, Results, load_config, run

FOLDER = Path(__file__).resolve().parent
LEVERS = "policy=[caring_neighbourhood,co_design,diverse_housing,flood_defences,generous_compensation,government_collaboration,outcome_accountability,receptive_government,standing_initiatives]"
CASES: dict[str, tuple[str, tuple[str, ...]]] = {
    # the hourly leak at its own horizon
    "leak": ("leak", ("population.households=400", "seed=1")),
    # two heavy floods with all seven levers; run() also runs the same town without them
    "flooding_levers": (
        "flooding",
        (
            "population.households=400",
            "scenario.schedule_days=[30,700]",
            "scenario.schedule_severity=[0.7,0.7]",
            "scenario.horizon_days=1400",
            "seed=2",
            LEVERS,
        ),
    ),
    # the Valkenburg case in a smaller town, followed daily, with rates drawn from the calibration's posterior
    "flooding_calibrated": (
        "flooding",
        (
            "+case=valkenburg2021",
            "calibration.posterior=experiments/targets/posteriors/valkenburg2021.csv",
            "population.households=500",
            "scenario.horizon_days=200",
            "seed=3",
        ),
    ),
    # ten years of floods in a closed, segregated town of one class under a bureaucratic government
    "flooding_closed": (
        "flooding",
        (
            "population=equal",
            "government=bureaucratic",
            "network.homophily=0.9",
            "population.segregation=0.9",
            "population.households=400",
            "scenario.horizon_days=3652.5",
            "seed=4",
        ),
    ),
    # a century of sea-level rise in a cohesive town under heavy media exposure
    "sea_level_rise_polarised": (
        "sea_level_rise",
        (
            "population.households=300",
            "network.bonding_degree=8",
            "network.bridging_degree=4",
            "polarisation.media_exposure=0.6",
            "scenario.support_threshold=0.15",  # lower than the default, so that neighbourhoods transform
            "seed=5",
        ),
    ),
}


def config_of(case: str) -> Config:
    """The config of one golden case."""
    scenario, overrides = CASES[case]
    return load_config(scenario, list(overrides))


def run_case(case: str) -> Results:
    """One golden case run as every launcher runs a config (``simulation.run``: with its levers' twin)."""
    return run(config_of(case))


def column_print(column: pd.Series) -> dict:
    """A column's fingerprint: the SHA-256 of its dtype and bytes, and its mean where it is numeric."""
    values = column.to_numpy()
    if values.dtype.kind in "OUS" or isinstance(column.dtype, pd.CategoricalDtype):
        words = column.astype(str).to_numpy()
        return {"sha256": hashlib.sha256("\x1f".join(words).encode()).hexdigest(), "mean": None}
    data = values.dtype.str.encode() + np.ascontiguousarray(values).tobytes()
    finite = values.astype(np.float64)
    finite = finite[np.isfinite(finite)]
    return {"sha256": hashlib.sha256(data).hexdigest(), "mean": float(finite.mean()) if finite.size else None}


def fingerprint(results: Results) -> dict:
    """What a golden file stores of a run: its summary and a fingerprint of every column it produced."""
    tables = {"timeseries": results.timeseries, "households": results.households, "events": results.events}
    return {
        "summary": json.loads(json.dumps(results.summary)),  # as the file will hold it
        **{name: {column: column_print(table[column]) for column in table.columns} for name, table in tables.items()},
    }


def same(a, b) -> bool:
    """Equal, bit for bit where numbers are concerned (NaN equals NaN)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def differences(stored: dict, fresh: dict) -> list[str]:
    """What differs between a stored fingerprint and a fresh one, a line per summary key or column."""
    lines = []
    old, new = stored["summary"], fresh["summary"]
    for key in sorted(old.keys() | new.keys()):
        if key not in new or key not in old or not same(old[key], new[key]):
            lines.append(f"summary.{key}: {old.get(key, '(absent)')!r} -> {new.get(key, '(absent)')!r}")
    for table in ("timeseries", "households", "events"):
        old, new = stored[table], fresh[table]
        for column in sorted(old.keys() | new.keys()):
            if column not in old or column not in new:
                lines.append(f"{table}.{column}: {'added' if column in new else 'removed'}")
            elif old[column]["sha256"] != new[column]["sha256"]:
                lines.append(f"{table}.{column}: changed, mean {old[column]['mean']!r} -> {new[column]['mean']!r}")
    return lines


def environment() -> dict:
    """The versions a golden file was written with (bits can differ between library versions)."""
    return {"python": platform.python_version(), "numpy": np.__version__, "scipy": scipy.__version__}


def path(case: str) -> Path:
    return FOLDER / f"{case}.json"


def stored(case: str) -> dict:
    """A case's golden file."""
    return json.loads(path(case).read_text())


def write(case: str, results: Results) -> list[str]:
    """Write a case's golden file anew; return what changed against the one before (all new if none)."""
    fresh = {"case": case, "scenario": CASES[case][0], "overrides": list(CASES[case][1]), "written_with": environment()}
    fresh |= fingerprint(results)
    before = stored(case) if path(case).exists() else None
    path(case).write_text(json.dumps(fresh, indent=1, sort_keys=False) + "\n")
    return ["new golden file"] if before is None else differences(before, fresh)


def main(argv: list[str] | None = None) -> int:
    """Run every case (or those named) and write its golden file anew, printing what moved."""
    names = (sys.argv[1:] if argv is None else argv) or list(CASES)
    unknown = [name for name in names if name not in CASES]
    if unknown:
        print(f"golden: unknown case {unknown[0]!r}: expected one of {', '.join(CASES)}", file=sys.stderr)
        return 2
    moved = 0
    for case in names:
        changed = write(case, run_case(case))
        moved += bool(changed)
        print(f"{case}: {'unchanged' if not changed else f'{len(changed)} changed'}")
        for line in changed[:40]:
            print(f"  {line}")
        if len(changed) > 40:
            print(f"  ... and {len(changed) - 40} more")
    print(f"golden: {moved} of {len(names)} cases moved; the files are in {FOLDER}")
    return 0
