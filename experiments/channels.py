"""Which channel carries cohesion's effect, and how the effect grows with each added tie.

Two report sections, each read from a sweep:

- **Channels** (the ``channels`` experiment): cohesion's effect (high minus low cohesion, paired
  by seed) with every channel on, and with each channel switched off in turn
  (``channels.off``); and what each channel carries: the effect with every channel on minus the
  effect with that channel off, paired by seed. A channel that carries none of the effect leaves
  it unchanged; one that works against cohesion's effect carries a share of the opposite sign.
- **Dose-response** (the ``dose_response`` experiment): the outcomes at each bonding degree (the
  bridging degree at its reference level) and at each bridging degree (the bonding degree at its
  reference level), and the effect per added tie between successive levels, paired by seed.

Intervals are 95% t intervals over the seed pairs (``experiments.stats.mean_ci``). Nothing here
assumes a sign: an effect is reported as it comes out.
"""

from __future__ import annotations

import itertools
import json
import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from experiments.stats import cohesion_ends, markdown_table, mean_ci, paired, with_interval
from experiments.tables import in_time_units
from simulation.config import NetworkConfig
from simulation.style import COMPARED_COLOURS, TIME_UNITS_NOTE, in_order, key_unit, label, timed_label

BONDING, BRIDGING, OFF, SCENARIO = "network.bonding_degree", "network.bridging_degree", "channels.off", "scenario.name"
OUTCOMES = (
    "days_home_median",
    "displaced_share_4_months",
    "resilience_loss_days",
    "functioning_loss_days",
    "precariaat_gap_days",
)
ALL_ON = "(none: every channel on)"


def switched_off(value: str) -> str:
    """The channels a run switched off, in words (``channels.off`` is JSON text in the runs table)."""
    names = json.loads(value) if isinstance(value, str) else []
    return ", ".join(names) if names else ALL_ON


def by_scenario(runs: pd.DataFrame):
    """The runs of each scenario of the sweep, with its name ('' where the sweep has one scenario)."""
    if SCENARIO in runs and runs[SCENARIO].nunique() > 1:  # coping, adaptation, transformation
        for scenario in in_order(runs[SCENARIO].unique()):
            yield scenario, runs[runs[SCENARIO] == scenario]
    else:
        yield "", runs


def interval_row(differences: np.ndarray) -> dict[str, float]:
    mean, low, high = mean_ci(differences)
    return {"effect": mean, "ci95_low": low, "ci95_high": high, "pairs": int(np.isfinite(differences).sum())}


INTERVAL = ("effect", "ci95_low", "ci95_high")  # an effect's columns (after a prefix such as carried_)


def interval_text(table: pd.DataFrame, prefix: str = "") -> pd.Series:
    """``mean [low, high]`` of the effect named by ``prefix`` (its columns ``INTERVAL`` after the prefix)."""
    columns = dict(zip((f"{prefix}{c}" for c in INTERVAL), ("x", "x_low", "x_high"), strict=True))
    return with_interval(table[list(columns)].rename(columns=columns), "x")


def cohesion_differences(runs: pd.DataFrame, key: str) -> pd.Series:
    """Per seed: ``key`` with the most ties of the sweep minus with the fewest (NaN where either is missing)."""
    low, high = (runs[mask] for mask in cohesion_ends(runs))
    a, b = (frame.set_index("seed")[key].astype(float) for frame in (low, high))
    return (b - a).dropna()


def channels_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Cohesion's effect on each outcome with each channel off, and what each channel carries."""
    ok = runs[runs.status == "ok"].assign(off=lambda frame: frame[OFF].map(switched_off))
    rows = []
    for (scenario, here), key in itertools.product(by_scenario(ok), OUTCOMES):
        if key not in here:
            continue
        all_on = cohesion_differences(here[here.off == ALL_ON], key)
        for off, group in here.groupby("off", sort=False):
            with_off = cohesion_differences(group, key)
            carried = (all_on - with_off).dropna()
            rows.append(
                {
                    "scenario": scenario,
                    "outcome": key,
                    "switched_off": off,
                    **interval_row(with_off.to_numpy()),
                    **{f"carried_{k}": v for k, v in interval_row(carried.to_numpy()).items() if k != "pairs"},
                }
            )
    table = pd.DataFrame(rows)
    orders = {  # scenarios coping, adaptation, transformation; outcomes as OUTCOMES; every channel on first
        "scenario": in_order(table.scenario.unique()),
        "outcome": list(OUTCOMES),
        "switched_off": [ALL_ON, *sorted(set(table.switched_off) - {ALL_ON})],
    }
    return table.sort_values(list(orders), key=lambda column: column.map(orders[column.name].index)).reset_index(
        drop=True
    )


def channels_section(
    runs: pd.DataFrame,
) -> tuple[str, list[str], pd.DataFrame, pd.DataFrame, dict[str, Figure]] | None:
    """The report's channels section: its name, lines, table, the table as shown (in each scenario's unit,
    in words) and figures (none); or None unless the sweep switches channels off."""
    ok = runs[runs.status == "ok"]
    if OFF not in ok or ok[OFF].nunique() < 2 or not {BONDING, BRIDGING} <= set(ok):
        return None
    table = channels_table(ok)
    timed = in_time_units(table, [f"{p}{c}" for p in ("", "carried_") for c in INTERVAL], "outcome")
    shown = pd.DataFrame(
        {
            "scenario": timed.scenario.map(label),
            "outcome": [timed_label(k, u) for k, u in zip(timed.outcome, timed.unit, strict=True)],
            "unit": timed.unit,
            "switched off": timed.switched_off,
            "cohesion's effect [95% CI]": interval_text(timed),
            "carried by the channel [95% CI]": interval_text(timed, "carried_"),
            "seed pairs": timed.pairs,
        }
    )
    low = f"{ok[BONDING].min():g} bonding and {ok[BRIDGING].min():g} bridging ties"
    high = f"{ok[BONDING].max():g} and {ok[BRIDGING].max():g}"
    lines = [
        "## Which channel carries cohesion's effect",
        "",
        f"Cohesion's effect: high ({high}) minus low cohesion ({low}) per seed, then the mean over seeds with a "
        "95% t interval; with every channel on, and with one channel switched off in both towns. What a channel "
        "carries: the effect with every channel on minus the effect with that channel off, paired by seed. "
        f"Durations in the unit column's unit ({TIME_UNITS_NOTE}), shares of households (0-1) for shares; a "
        "negative effect on durations or shares means cohesion helps.",
        "",
    ]
    for (scenario, key), group in shown.groupby(["scenario", "outcome"], sort=False):
        heading = f"### {key}{f' ({scenario})' if scenario else ''}"
        lines += [heading, "", markdown_table(group.drop(columns=["scenario", "outcome"])), ""]
    return "channels", lines, table, shown, {}


# ---- dose-response ------------------------------------------------------------------------------


def reference(levels: np.ndarray, default: float) -> float:
    """The level of the sweep nearest to the default."""
    return float(levels[np.argmin(np.abs(levels - default))])


def dose_response_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Per kind of tie, outcome and level: the mean outcome, the effect against the fewest ties of the sweep,
    and the effect per added tie against the level before (both paired by seed)."""
    ok = runs[runs.status == "ok"]
    defaults = {BONDING: NetworkConfig.bonding_degree, BRIDGING: NetworkConfig.bridging_degree}
    rows = []
    for (scenario, here), (kind, other) in itertools.product(
        by_scenario(ok), ((BONDING, BRIDGING), (BRIDGING, BONDING))
    ):
        held = reference(np.sort(here[other].unique()), defaults[other])
        series = here[here[other] == held]
        levels = np.sort(series[kind].unique())
        for key in OUTCOMES:
            if key not in series or series[key].isna().all():
                continue
            for before, level in zip([None, *levels[:-1]], levels, strict=True):
                at = series[series[kind] == level]
                values = at[key].astype(float).to_numpy()
                row = {"scenario": scenario, "ties": label(kind), "held": f"{label(other)} {held:g}", "outcome": key}
                row["degree"] = level
                row["mean"], row["mean_low"], row["mean_high"] = mean_ci(values)
                a, b = paired(series[series[kind] == levels[0]], at, key, ["seed"])
                row |= {f"vs_fewest_{k}": v for k, v in interval_row(b - a).items() if k != "pairs"}
                if before is not None:
                    a, b = paired(series[series[kind] == before], at, key, ["seed"])
                    row |= {f"per_tie_{k}": v for k, v in interval_row((b - a) / (level - before)).items()}
                rows.append(row)
    return pd.DataFrame(rows)


def dose_response_figure(table: pd.DataFrame) -> Figure:
    """Each outcome's change against the fewest ties of the sweep, paired by seed (mean and 95% band), against the
    number of ties: bonding ties in one colour, bridging ties in the other; durations in the scenario's unit."""
    panels = list(dict.fromkeys(zip(table.scenario, table.outcome, strict=True)))
    columns = 3
    rows = -(-len(panels) // columns)
    figure = Figure(figsize=(4.2 * columns, 3.3 * rows), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    bounds = [f"vs_fewest_{c}" for c in INTERVAL]
    for ax, (scenario, key) in zip(axes, panels, strict=False):
        here = table[(table.scenario == scenario) & (table.outcome == key)]
        unit, length = key_unit(key, scenario or None, np.nanmax(np.abs(here[bounds].to_numpy(dtype=float))))
        for (ties, group), colour in zip(here.groupby("ties", sort=False), COMPARED_COLOURS, strict=True):
            effect, low, high = (group[c] / length for c in bounds)
            ax.plot(group.degree, effect, marker="o", color=colour, label=f"{ties} ({group.held.iloc[0]})")
            ax.fill_between(group.degree, low, high, color=colour, alpha=0.2, linewidth=0)
        ax.axhline(0.0, color="grey", linewidth=0.8)
        ax.set(xlabel="ties per household", ylabel=f"change against the fewest ties{f' ({unit})' if unit else ''}")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # ties are whole: no 2.5 ties per household
        what = timed_label(key, unit)
        ax.set_title(textwrap.fill(f"{label(scenario)}: {what}" if scenario else what, 40), fontsize="medium")
    for ax in axes[len(panels) :]:
        ax.set_axis_off()
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncols=2, fontsize="small")
    return figure


def dose_response_section(
    runs: pd.DataFrame,
) -> tuple[str, list[str], pd.DataFrame, pd.DataFrame, dict[str, Figure]] | None:
    """The report's dose-response section: its name, lines, table, the table as shown (in each scenario's unit,
    in words) and figure; or None unless the sweep has four or more levels of both kinds of tie."""
    ok = runs[runs.status == "ok"]
    if not all(kind in ok and ok[kind].nunique() >= 4 for kind in (BONDING, BRIDGING)):
        return None
    table = dose_response_table(ok)
    timed = in_time_units(table, [f"per_tie_{c}" for c in INTERVAL], "outcome").dropna(subset=["per_tie_effect"])
    shown = pd.DataFrame(
        {
            "scenario": timed.scenario.map(label),
            "ties added": timed.ties,
            "held at": timed.held,
            "outcome": [timed_label(k, u) for k, u in zip(timed.outcome, timed.unit, strict=True)],
            "ties per household": timed.degree,
            "unit": timed.unit,
            "effect per added tie [95% CI]": interval_text(timed, "per_tie_"),
            "seed pairs": timed.per_tie_pairs,
        }
    )
    if not table.scenario.any():  # one scenario: no column for it
        shown = shown.drop(columns="scenario")
    lines = [
        "## Dose-response: the effect of each added tie",
        "",
        "Each row: the outcome at this number of ties minus at the level before, divided by the ties added, paired "
        "by seed (95% t interval); bonding ties with bridging ties held at the sweep's level nearest the default, and "
        f"bridging ties with bonding ties held likewise. Durations in the unit column's unit ({TIME_UNITS_NOTE}). "
        "Diminishing returns show as effects per tie that shrink towards 0; a sign that turns shows a level past "
        "which more ties harm.",
        "",
        markdown_table(shown),
        "",
    ]
    return "dose_response", lines, table, shown, {"dose_response": dose_response_figure(table)}
