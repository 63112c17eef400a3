"""What the policy levers gain and what they cost: the report's policy section.

Every run with levers on carries in its summary what they gained against the same town with
the same seed and without them (``simulation.policy.recovery_gained``), so each run is a pair.
Per scenario and set of levers the table gives, over seeds, the mean and 95% t interval of:

- the days of functioning regained per household (``recovery_gained_days``), overall and for
  the precariaat;
- the household-days regained per million euros (``recovery_gained_per_meur``), overall and for
  the precariaat;

and the mean cost in millions of euros; the report shows the days in each scenario's unit (hours for
the leak). Runs without levers (``policy=[]``) have nothing to
compare and are left out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from experiments.stats import markdown_table, mean_ci, with_interval
from experiments.tables import in_time_units
from simulation.policy import OUTSIDERS
from simulation.style import CLASS_COLOURS, CLASS_NAMES, TIME_UNITS_NOTE, in_order, label

SCENARIO = "scenario.name"
MEASURES = {
    "gain_days": "recovery_gained_days",
    "gain_days_precariaat": f"recovery_gained_days__{OUTSIDERS}",
    "per_meur": "recovery_gained_per_meur",
    "per_meur_precariaat": f"recovery_gained_per_meur__{OUTSIDERS}",
}


def policy_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Per scenario and set of levers: gains with 95% intervals, cost, and gains per million euros."""
    ok = runs[(runs.status == "ok") & (runs.policy != "none")]
    if SCENARIO not in ok:
        ok = ok.assign(**{SCENARIO: "(one scenario)"})
    rows = []
    for scenario in in_order(ok[SCENARIO].unique()):  # coping, adaptation, transformation
        for policy, group in ok[ok[SCENARIO] == scenario].groupby("policy", sort=True):
            row = {"scenario": scenario, "policy": policy, "seeds": len(group)}
            for name, key in MEASURES.items():
                values = pd.to_numeric(group[key], errors="coerce").to_numpy(dtype=float)
                row[name], row[f"{name}_low"], row[f"{name}_high"] = mean_ci(values)
            row["cost_meur"] = float(group.policy_cost_eur.mean()) / 1e6
            rows.append(row)
    return pd.DataFrame(rows)


def decade_ticks(low: float, high: float, linthresh: float, most: int = 2) -> list[float]:
    """Ticks of a symlog axis: 0 and at most ``most`` decades on each side, from ``linthresh`` out."""

    def side(end: float) -> list[float]:
        if end <= linthresh:
            return []
        decades = np.arange(np.log10(linthresh), np.floor(np.log10(end)) + 1)
        return list(10.0 ** decades[:: int(np.ceil(decades.size / most))])

    return [-t for t in reversed(side(-low))] + [0.0] + side(high)


def in_units(table: pd.DataFrame) -> pd.DataFrame:
    """The policy table with its gains in each scenario's unit (``tables.in_time_units``), in a ``unit`` column:
    time regained per household, and household-time per million euros."""
    return in_time_units(table, [f"{name}{end}" for name in MEASURES for end in ("", "_low", "_high")])


def figure(table: pd.DataFrame) -> Figure:
    """Per scenario: time regained per household (left) and household-time regained per million euros (right),
    in the scenario's unit, with 95% intervals; everyone and the precariaat in their class colours."""
    table = in_units(table)
    scenarios = list(dict.fromkeys(table.scenario))
    fig = Figure(figsize=(11, 1.2 + 0.28 * len(table) + 0.6 * len(scenarios)), layout="constrained")
    heights = [max(int((table.scenario == s).sum()), 1) for s in scenarios]
    axes = fig.subplots(len(scenarios), 2, squeeze=False, gridspec_kw={"height_ratios": heights})
    for row, scenario in enumerate(scenarios):
        part = table[table.scenario == scenario].reset_index(drop=True)
        unit = part.unit.iloc[0]
        y = np.arange(len(part))
        panels = (
            ("gain_days", f"{unit} of functioning regained per household"),
            ("per_meur", f"household-{unit} per million EUR"),
        )
        for column, (name, words) in enumerate(panels):
            ax = axes[row, column]
            for offset, suffix, who in ((-0.15, "", "everyone"), (0.15, "_precariaat", OUTSIDERS)):
                key = name + suffix
                mean = part[key].to_numpy(dtype=float)
                err = np.abs(np.vstack((mean - part[f"{key}_low"], part[f"{key}_high"] - mean)).astype(float))
                ax.errorbar(
                    mean,
                    y + offset,
                    xerr=np.nan_to_num(err),
                    fmt="o",
                    ms=4,
                    color=CLASS_COLOURS[who],
                    label=CLASS_NAMES["en"][who],
                )
            ax.axvline(0.0, color="grey", lw=0.8)
            ax.set_yticks(y, part.policy if column == 0 else [""] * len(part))
            ax.invert_yaxis()
            if name == "per_meur":  # spans decades: logarithmic beyond the smaller gains, linear around 0
                means = np.abs(part[[name, f"{name}_precariaat"]].to_numpy(dtype=float))
                means = means[np.isfinite(means) & (means > 0)]
                linthresh = 10.0 ** np.floor(np.log10(np.quantile(means, 0.25))) if means.size else 1.0
                ax.set_xscale("symlog", linthresh=linthresh, linscale=2.0)
                ax.set_xticks(decade_ticks(*ax.get_xlim(), linthresh))
            ax.set(xlabel=words)
            ax.set_title(label(scenario), fontsize=9, loc="left")
    handles, labels = axes[0, 1].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper right", ncols=2, fontsize=8)
    return fig


def sweep_section(runs: pd.DataFrame) -> tuple[list[str], pd.DataFrame, pd.DataFrame] | None:
    """The report's policy section, its table and the table as shown (in each scenario's unit, in words), or
    None if the sweep did not vary the levers."""
    table = policy_table(runs)
    if table.empty:
        return None
    timed = in_units(table)
    precariaat = CLASS_NAMES["en"][OUTSIDERS]
    shown = pd.DataFrame(
        {
            "scenario": timed.scenario.map(label),
            "policy": timed.policy,
            "unit": timed.unit,
            "time regained per household": with_interval(timed, "gain_days"),
            f"time regained per household ({precariaat})": with_interval(timed, "gain_days_precariaat"),
            "cost (M EUR)": timed.cost_meur,
            "household-time per M EUR": with_interval(timed, "per_meur"),
            f"household-time per M EUR ({precariaat})": with_interval(timed, "per_meur_precariaat"),
            "seeds": timed.seeds,
        }
    )
    lines = [
        "## Policy levers: what they gain and what they cost",
        "",
        "Each run is paired with the same town and seed without levers. Time regained: functioning regained per "
        "household over the run (`recovery_gained_days`); per M EUR: household-time regained per million euros "
        f"of the levers' cost (`recovery_gained_per_meur`); both in the unit column's unit ({TIME_UNITS_NOTE}). "
        "Means over seeds with 95% t intervals; every cost is an assumption (`simulation/config.py`).",
        "",
        markdown_table(shown),
        "",
    ]
    return lines, table, shown
