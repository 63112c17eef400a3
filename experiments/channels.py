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

from experiments.stats import cohesion_ends, markdown_table, mean_ci, paired
from experiments.tables import in_time_units
from simulation.config import NetworkConfig
from simulation.style import COMPARED_COLOURS, in_order, label, timed_label

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
    order = [ALL_ON, *sorted(set(table.switched_off) - {ALL_ON})]
    table["order"] = table.switched_off.map(order.index)
    return table.sort_values(["scenario", "outcome", "order"]).drop(columns="order").reset_index(drop=True)


def channels_section(runs: pd.DataFrame) -> tuple[str, list[str], pd.DataFrame, dict[str, Figure]] | None:
    """The report's channels section: its name, lines, table and figures (none), or None unless the sweep switches channels off."""
    ok = runs[runs.status == "ok"]
    if OFF not in ok or ok[OFF].nunique() < 2 or not {BONDING, BRIDGING} <= set(ok):
        return None
    table = channels_table(ok)
    low = f"{ok[BONDING].min():g} bonding and {ok[BRIDGING].min():g} bridging ties"
    high = f"{ok[BONDING].max():g} and {ok[BRIDGING].max():g}"
    lines = [
        "## Which channel carries cohesion's effect",
        "",
        f"Cohesion's effect: high ({high}) minus low cohesion ({low}) per seed, then the mean over seeds with a "
        "95% t interval; with every channel on, and with one channel switched off in both towns. What a channel "
        "carries: the effect with every channel on minus the effect with that channel off, paired by seed. "
        "Days for keys ending in days, shares of households (0-1) for shares; a negative effect on days or "
        "shares means cohesion helps.",
        "",
    ]
    for (scenario, key), group in table.groupby(["scenario", "outcome"], sort=False):
        shown = group.drop(columns=["scenario", "outcome"]).rename(columns={"switched_off": "switched off"})
        lines += [f"### {label(key)}{f' ({label(scenario)})' if scenario else ''}", "", markdown_table(shown), ""]
    return "channels", lines, table, {}


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
    number of ties: bonding ties in one colour, bridging ties in the other."""
    panels = list(dict.fromkeys(zip(table.scenario, table.outcome, strict=True)))
    columns = 3
    rows = -(-len(panels) // columns)
    figure = Figure(figsize=(4.2 * columns, 3.3 * rows), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False).ravel()
    for ax, (scenario, key) in zip(axes, panels, strict=False):
        here = table[(table.scenario == scenario) & (table.outcome == key)]
        for (ties, group), colour in zip(here.groupby("ties", sort=False), COMPARED_COLOURS, strict=True):
            ax.plot(
                group.degree, group.vs_fewest_effect, marker="o", color=colour, label=f"{ties} ({group.held.iloc[0]})"
            )
            ax.fill_between(
                group.degree, group.vs_fewest_ci95_low, group.vs_fewest_ci95_high, color=colour, alpha=0.2, linewidth=0
            )
        ax.axhline(0.0, color="grey", linewidth=0.8)
        ax.set(xlabel="ties per household", ylabel="change against the fewest ties")
        ax.set_title(
            textwrap.fill(f"{label(scenario)}: {label(key)}" if scenario else label(key), 40), fontsize="medium"
        )
    for ax in axes[len(panels) :]:
        ax.set_axis_off()
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncols=2, fontsize="small")
    return figure


def dose_response_section(runs: pd.DataFrame) -> tuple[str, list[str], pd.DataFrame, dict[str, Figure]] | None:
    """The report's dose-response section: its name, lines, table and figure, or None unless the sweep has
    four or more levels of both kinds of tie."""
    ok = runs[runs.status == "ok"]
    if not all(kind in ok and ok[kind].nunique() >= 4 for kind in (BONDING, BRIDGING)):
        return None
    table = dose_response_table(ok)
    shown = in_time_units(
        table, ("per_tie_effect", "per_tie_ci95_low", "per_tie_ci95_high"), "outcome"
    )  # the leak's durations in hours
    shown = shown.dropna(subset=["per_tie_effect"])[
        [
            "scenario",
            "ties",
            "held",
            "outcome",
            "degree",
            "unit",
            "per_tie_effect",
            "per_tie_ci95_low",
            "per_tie_ci95_high",
            "per_tie_pairs",
        ]
    ]
    shown = shown.assign(
        outcome=[timed_label(k, s or None) for k, s in zip(shown.outcome, shown.scenario, strict=True)],
        scenario=shown.scenario.map(label),
    )
    if not table.scenario.any():  # one scenario: no column for it
        shown = shown.drop(columns="scenario")
    lines = [
        "## Dose-response: the effect of each added tie",
        "",
        "Each row: the outcome at this number of ties minus at the level before, divided by the ties added, paired "
        "by seed (95% t interval); bonding ties with bridging ties held at the sweep's level nearest the default, and "
        "bridging ties with bonding ties held likewise. Diminishing returns show as effects per tie that shrink "
        "towards 0; a sign that turns shows a level past which more ties harm.",
        "",
        markdown_table(shown),
        "",
    ]
    return "dose_response", lines, table, {"dose_response": dose_response_figure(table)}
