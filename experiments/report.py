"""``veerkracht-report SWEEP_DIR``: figures and a short markdown report of a cohesion or policy sweep.

Reads the aggregated tables (and aggregates first if they are missing) and writes, in
``SWEEP_DIR/report/``:

- ``recovery_curves.png``: mean functioning of affected households over time for the lowest
  and the highest cohesion of the sweep, mean and 95% band over seeds, one panel per scenario;
- ``displacement_curves.png``: the share of households displaced over time, likewise, for the
  scenarios in which anyone was displaced;
- ``heatmap_resilience_loss.png``: mean resilience loss over bonding x bridging ties, per scenario;
- ``precariaat_gap.png``: the precariaat gap against bridging ties, as a ratio and in time in each
  scenario's unit (one line per homophily level);
- ``effects.csv`` and ``report.md``: effect sizes of high versus low cohesion, paired by seed,
  with 95% confidence intervals (t distribution over the seed pairs); for a sweep over bonding
  and bridging ties in open and closed towns (the ``ties`` experiment), a section on what each
  kind of tie does (``experiments.ties``);
- for a sweep over policy levers (the ``policy`` experiment): ``policy.csv``, ``policy.png`` and
  a section in ``report.md`` on what each set of levers gains, overall and for the precariaat,
  and per million euros (``experiments.policy``);
- for a sweep with and without calibration (the ``calibrated_flood`` experiment): the sections
  above on the uncalibrated runs, then ``calibrated.csv`` and a section comparing the effects of
  cohesion and of each lever with and without calibration (``experiments.calibrated``);
- for a sweep that switches channels off (the ``channels`` experiment): ``channels.csv`` and a
  section on which channel carries cohesion's effect; for a sweep over four or more levels of
  both kinds of tie (the ``dose_response`` experiment): ``dose_response.csv``,
  ``dose_response.png`` and a section on the effect of each added tie (``experiments.channels``).

Low cohesion is the sweep's fewest bonding and bridging ties, high cohesion the most (other
swept parameters at their first value).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from matplotlib.figure import Figure

from experiments import calibrated, channels, robustness, tables
from experiments.aggregate import aggregate
from experiments.policy import figure as policy_figure
from experiments.policy import sweep_section as policy_section
from experiments.runs import PROVENANCE
from experiments.stats import few_pairs_warning, markdown_table, mean_ci, paired, with_interval, written
from experiments.ties import sweep_section
from simulation.style import (
    COMPARED_COLOURS,
    TIME_UNITS_NOTE,
    clock,
    in_order,
    key_unit,
    label,
    save_for_print,
    time_unit,
    timed_label,
)

BONDING, BRIDGING, HOMOPHILY, SCENARIO = (
    "network.bonding_degree",
    "network.bridging_degree",
    "network.homophily",
    "scenario.name",
)
EFFECT_KEYS = (
    "resilience_loss_days",
    "t90_days",
    "days_home_median",
    "displaced_peak_share",
    "displaced_share_end",
    "displaced_share_4_months",
    "functioning_loss_days",
    "unrecovered_share",
    "precariaat_gap",
    "precariaat_gap_days",
    "peak_disruption_share",
    "transformed_neighbourhoods",
    "unable_to_follow_share",  # the two parts of left_behind_share, each of all households
    "left_unrecovered_share",
    "left_behind_share_transformed",
)


def scenarios_of(runs: pd.DataFrame) -> list:
    """The scenarios of a sweep (a single unnamed one when the scenario did not vary)."""
    return in_order(runs[SCENARIO].unique()) if SCENARIO in runs else [None]


def of_runs(timeseries: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """The rows of the time series that belong to these runs (a job and a seed name a run)."""
    run = ["job", "seed"]
    return timeseries[pd.MultiIndex.from_frame(timeseries[run]).isin(pd.MultiIndex.from_frame(runs[run]))]


def in_scenario(frame: pd.DataFrame, scenario) -> pd.DataFrame:
    return frame if scenario is None else frame[frame[SCENARIO] == scenario]


def cohesion_levels(runs: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Parameter values of low and high cohesion: the fewest and the most ties swept."""
    swept = [c for c in (BONDING, BRIDGING) if c in runs]
    if not swept:
        raise SystemExit("veerkracht-report: the sweep varies neither bonding nor bridging ties")
    drawn = calibrated.drawn_keys(runs)  # vary by seed, not by design
    others = [c for c in runs.columns if "." in c and c not in (*swept, SCENARIO, calibrated.POSTERIOR, *drawn)]
    # Parameters of one scenario are empty for the others: only what varies within a scenario counts.
    within = [c for c in others if any(in_scenario(runs, s)[c].nunique() > 1 for s in scenarios_of(runs))]
    fixed = {c: runs[c].dropna().iloc[0] for c in within}
    low = {c: runs[c].min() for c in swept} | fixed
    high = {c: runs[c].max() for c in swept} | fixed
    return {"low": low, "high": high}


def select(frame: pd.DataFrame, values: dict) -> pd.DataFrame:
    mask = np.ones(len(frame), dtype=bool)
    for column, value in values.items():
        mask &= (frame[column] == value).to_numpy()
    return frame[mask]


def effects_table(runs: pd.DataFrame, levels: dict) -> pd.DataFrame:
    """High minus low cohesion per scenario and summary key, paired by seed, with 95% CIs."""
    ok = runs[runs.status == "ok"]
    rows = []
    for scenario in scenarios_of(ok):
        here = in_scenario(ok, scenario)
        low, high = select(here, levels["low"]), select(here, levels["high"])
        for key in EFFECT_KEYS:
            if key not in here:
                continue
            a, b = paired(low, high, key, ["seed"])
            both = ~np.isnan(a) & ~np.isnan(b)
            mean, lower, upper = mean_ci(b[both] - a[both])
            rows.append(
                {
                    "scenario": scenario or "",
                    "summary_key": key,
                    "low_cohesion_mean": a[both].mean() if both.any() else np.nan,  # over the complete pairs,
                    "high_cohesion_mean": b[both].mean() if both.any() else np.nan,  # as the difference is
                    "difference": mean,
                    "ci95_low": lower,
                    "ci95_high": upper,
                    "pairs": int(both.sum()),
                }
            )
    return pd.DataFrame(rows)


LABEL_COLUMNS = ("summary_key", "scenario")  # table columns whose values are keys
SINCE_EVENT_DAYS = 365.0  # where events recur, each curve follows the first year after each event


def per_event(timeseries: pd.DataFrame, column: str) -> pd.DataFrame:
    """``column`` against days since each event struck, averaged over a run's events: one value per
    run (job, seed) and day since the event, over the first ``SINCE_EVENT_DAYS``."""
    rows = []
    for (job, seed), run in timeseries.sort_values("day").groupby(["job", "seed"]):
        day, value = run.day.to_numpy(), run[column].to_numpy(dtype=float)
        struck = np.flatnonzero(np.diff(run.events.to_numpy(), prepend=0) > 0)  # rows ending an event's step
        ends = np.append(struck[1:], len(day)) if struck.size else struck  # a run without an event has none
        for start, end in zip(struck, ends, strict=True):
            before = max(start - 1, 0)  # the row before: the state when the event struck
            since = day[before:end] - day[before]
            keep = since <= SINCE_EVENT_DAYS
            rows.append(pd.DataFrame({"job": job, "seed": seed, "since": since[keep], column: value[before:end][keep]}))
    if not rows:
        return pd.DataFrame(columns=["job", "seed", "since", column])
    return pd.concat(rows).groupby(["job", "seed", "since"], as_index=False)[column].mean()


def curves(runs: pd.DataFrame, timeseries: pd.DataFrame, levels: dict, column: str, scenarios: list) -> Figure:
    """A time-series column, low vs high cohesion, mean and 95% band over seeds, one panel per scenario.

    Where events recur (flooding, sea-level rise) each run's curve is its mean over its events,
    aligned on the day each struck, so that the panel shows a recovery rather than decades of spikes.
    """
    figure = Figure(figsize=(5 * len(scenarios), 4.4), layout="constrained")
    axes = np.atleast_1d(figure.subplots(1, len(scenarios)))
    for ax, scenario in zip(axes, scenarios, strict=True):
        here = in_scenario(timeseries, scenario)
        recurring = here.events.max() > 1
        if recurring:
            here = per_event(here, column).merge(
                here.drop_duplicates("job").drop(columns=["day", column, "seed"]), on="job"
            )
        unit, length = time_unit(scenario, SINCE_EVENT_DAYS if recurring else here.day.max())
        settled = 0.0  # when the last mean curve came within 1% of its range of where it ends
        for (level, name), colour in zip(
            (("low", "low cohesion"), ("high", "high cohesion")), COMPARED_COLOURS, strict=True
        ):
            x = "since" if recurring else "day"
            table = select(here, levels[level]).pivot_table(index=x, columns="seed", values=column)
            if table.empty:
                continue
            summary = np.array([mean_ci(row) for row in table.to_numpy()])
            times = table.index.to_numpy() / length
            ax.plot(times, summary[:, 0], color=colour, label=f"{name} (mean of {table.shape[1]} seeds)")
            # Not clipped: a t interval from few seeds can run past 0 or 1, and the figure shows it does.
            ax.fill_between(
                times,
                summary[:, 1],
                summary[:, 2],
                color=colour,
                alpha=0.3,
                linewidth=0,
                label=f"{name}: 95% interval (not clipped)",
            )
            mean = summary[:, 0]
            away = np.flatnonzero(np.abs(mean - mean[-1]) > 0.01 * max(np.ptp(mean), 1e-12))
            settled = max(settled, times[away[-1]] if away.size else 0.0)
        if not recurring and 0 < settled < 0.5 * ax.get_xlim()[1]:  # show where the recovery happens
            ax.set_xlim(left=0.0, right=2 * settled)
        words = f"{unit} since each event struck (mean over events)" if recurring else f"{unit} since the start"
        ax.set(xlabel=words, ylabel=label(column), title=label(scenario) if scenario else "")
    legend_below(figure, axes)
    return figure


def legend_below(figure: Figure, axes) -> None:
    """One legend for the whole figure, below the panels, where it covers no data or error bar."""
    handles, names = axes[0].get_legend_handles_labels()
    for ax in axes[1:]:
        for handle, name in zip(*ax.get_legend_handles_labels(), strict=True):
            if name not in names:
                handles.append(handle)
                names.append(name)
    if handles:
        columns = min(len(names), 2 * max(len(axes) - 1, 1))  # a row as wide as the panels: two entries a panel
        figure.legend(handles, names, loc="outside lower center", ncols=columns, fontsize="small")


def heatmap(runs: pd.DataFrame, key: str = "resilience_loss_days") -> Figure:
    """Mean of ``key`` over bonding x bridging ties, one panel per scenario."""
    scenarios = scenarios_of(runs)
    figure = Figure(figsize=(4.5 * len(scenarios), 4), layout="constrained")
    axes = np.atleast_1d(figure.subplots(1, len(scenarios)))
    ok = runs[runs.status == "ok"]
    for ax, scenario in zip(axes, scenarios, strict=True):
        table = in_scenario(ok, scenario).pivot_table(
            index=BONDING if BONDING in ok else BRIDGING,
            columns=BRIDGING if BRIDGING in ok else BONDING,
            values=key,
            aggfunc="mean",
        )
        unit, length = key_unit(key, scenario, np.nanmax(np.abs(table.to_numpy())))
        values = table.to_numpy() / length
        image = ax.imshow(values, origin="lower", cmap="viridis_r", aspect="auto")
        ax.set(
            xticks=range(table.shape[1]),
            xticklabels=[f"{v:g}" for v in table.columns],  # whole ties read "8", not "8.0"
            yticks=range(table.shape[0]),
            yticklabels=[f"{v:g}" for v in table.index],
            xlabel=label(table.columns.name),
            ylabel=label(table.index.name),
            title=label(scenario) if scenario else "",
        )
        for (i, j), value in np.ndenumerate(values):
            bright = image.norm(value) < 0.5  # viridis_r: low values are light
            ax.text(j, i, written(value), ha="center", va="center", color="black" if bright else "white")
        figure.colorbar(image, ax=ax, label=unit or None)
    figure.suptitle(f"{label(key).replace('days', 'time')}: mean over seeds, in each scenario's unit")
    return figure


def gap_points(runs: pd.DataFrame, key: str) -> pd.DataFrame:
    """Mean and 95% interval over seeds of ``key`` per bridging degree (columns mean, low, high), each seed
    first averaged over the other swept settings."""
    values = runs.assign(value=pd.to_numeric(runs[key], errors="coerce"))
    per_seed = values.groupby([BRIDGING, "seed"]).value.mean().unstack("seed")
    points = [mean_ci(row) for row in per_seed.to_numpy()]
    return pd.DataFrame(points, index=per_seed.index, columns=["mean", "low", "high"])


def precariaat_gap(runs: pd.DataFrame) -> Figure:
    """Mean precariaat gap (95% CI over seeds) against bridging ties: as a ratio (every scenario in one
    panel), and as time in a panel per scenario, in the scenario's unit; a line per homophily level.
    Runs that share a seed are averaged first (over the other swept settings, such as bonding ties), so
    that each seed counts once."""
    ok = runs[runs.status == "ok"]
    scenarios = scenarios_of(ok)
    figure = Figure(figsize=(4.6 * (1 + len(scenarios)), 4.4), layout="constrained")
    axes = figure.subplots(1, 1 + len(scenarios))
    homophily = sorted(ok[HOMOPHILY].unique()) if HOMOPHILY in ok else [None]
    lines = list(itertools.product(scenarios, homophily))  # one colour each, the same in every panel
    panels = [(axes[0], "precariaat_gap", scenarios)] + [
        (ax, "precariaat_gap_days", [scenario]) for ax, scenario in zip(axes[1:], scenarios, strict=True)
    ]
    for ax, key, shown in panels:
        unit = ""
        for scenario, level in itertools.product(shown, homophily):
            here = in_scenario(ok, scenario)
            points = gap_points(here if level is None else here[here[HOMOPHILY] == level], key)
            unit, length = key_unit(key, scenario, np.nanmax(np.abs(gap_points(here, key).to_numpy())))
            points /= length
            name = ", ".join(
                filter(None, [label(scenario) if scenario else None, None if level is None else f"homophily {level:g}"])
            )
            ax.errorbar(
                points.index.to_numpy(),
                points["mean"],
                yerr=[points["mean"] - points["low"], points["high"] - points["mean"]],
                marker="o",
                capsize=3,
                color=f"C{lines.index((scenario, level)) % 10}",
                label=name or None,
            )
        ax.axhline(0.0 if unit else 1.0, color="grey", linewidth=0.8)  # no gap
        ties = sorted(ok[BRIDGING].unique())
        ax.set(
            xlabel=label(BRIDGING),
            ylabel=textwrap.fill(timed_label(key, unit), 40),  # one line would run into the title
            xticks=ties,
            xticklabels=[f"{v:g}" for v in ties],
            title=label(shown[0]) if unit and shown[0] else "",
        )
    legend_below(figure, axes)
    figure.suptitle(
        "Precariaat gap against bridging ties: mean and 95% interval over seeds (each seed averaged over the other "
        "settings); the gap in time in each scenario's unit"
    )
    return figure


def describe(values: dict) -> str:
    """A parameter setting in words: ``bonding ties per household 1, ...``."""
    return ", ".join(
        f"{label(key)} {value:g}" if isinstance(value, float) else f"{label(key)} {value}"
        for key, value in values.items()
    )


def cohesion_section(
    runs: pd.DataFrame, timeseries: pd.DataFrame, sweep_dir: Path, out: Path
) -> tuple[list[str], dict]:
    """The report's cohesion sections (high versus low cohesion, what each kind of tie does) and their figures."""
    levels = cohesion_levels(runs)
    effects = effects_table(runs, levels)
    timed = tables.in_time_units(
        effects, ("low_cohesion_mean", "high_cohesion_mean", "difference", "ci95_low", "ci95_high"), "summary_key"
    )
    timed = timed.assign(summary_key=[timed_label(k, u) for k, u in zip(timed.summary_key, timed.unit, strict=True)])
    write_table(effects, out / "effects", shown=timed)
    figures = {"recovery_curves": curves(runs, timeseries, levels, "functioning", scenarios_of(runs))}
    displacing = [s for s in scenarios_of(runs) if in_scenario(timeseries, s)["displaced_share"].max() > 0]
    if displacing:
        figures["displacement_curves"] = curves(runs, timeseries, levels, "displaced_share", displacing)
    if BRIDGING in runs:
        figures["precariaat_gap"] = precariaat_gap(runs)
    if BONDING in runs and BRIDGING in runs:
        figures["heatmap_resilience_loss"] = heatmap(runs)
    ok = runs[runs.status == "ok"]
    by_class, by_event, settings = [], [], {}
    for scenario in scenarios_of(ok):
        low, high = (select(in_scenario(ok, scenario), levels[level]) for level in ("low", "high"))
        by_class.append(tables.class_days_saved(low, high, scenario or ""))
        by_event.append(tables.per_event(sweep_dir, low, high, scenario or ""))
        settings[scenario or ""] = low, high
    by_class, by_event = pd.concat(by_class, ignore_index=True), pd.concat(by_event, ignore_index=True)
    # The per-event table in report.md and LaTeX: at most EVENT_ROWS rows, shared among the scenarios with events.
    recurring = list(by_event.scenario.unique()) if not by_event.empty else []
    short_event = pd.concat(
        [tables.per_event(sweep_dir, *settings[s], s, rows=tables.EVENT_ROWS // len(recurring)) for s in recurring]
        or [pd.DataFrame()],
        ignore_index=True,
    )
    shown_effects = timed[timed.pairs > 0].assign(scenario=timed.scenario.map(label)).rename(columns=tables.HEADERS)
    lines = [
        f"Low cohesion: {describe(levels['low'])}. High cohesion: {describe(levels['high'])}.",
        "",
        "## Effect of high versus low cohesion (paired by seed, 95% confidence intervals)",
        "",
        "High minus low cohesion per seed, then the mean over seeds with a 95% t interval. Units: durations in the "
        f"unit column ({TIME_UNITS_NOTE}), shares of households (0-1) for keys ending in share, a ratio for the "
        "precariaat gap, a count for neighbourhoods transformed.",
        "",
        *warned(effects.pairs, "these intervals"),
        markdown_table(shown_effects) if not shown_effects.empty else "(no complete pairs)",
        "",
        f"Table: {TABLE_CAPTIONS['effects']} (effects.csv, effects.tex)",
        "",
    ]
    for name, table, short, title, what in (
        (
            "class_days_saved",
            by_class,
            by_class,
            "Time saved per class",
            "Mean recovery time per affected household of each class (every event, censored at the end of the "
            "run), in the unit column's unit.",
        ),
        (
            "per_event",
            by_event,
            short_event,
            "Damage and recovery per successive event",
            "Damage: functioning lost by the households each event hit, mean (%); recovery: mean time until back "
            "at the recovery threshold (censored at the end of the run), in the unit column's unit.",
        ),
    ):
        if table.empty:
            continue
        timed_short = tables.in_time_units(short)
        write_table(table, out / name, shown=timed_short)
        shown = timed_short.assign(saved=with_interval(timed_short, "saved")).drop(columns=["saved_low", "saved_high"])
        shown = shown.rename(columns={**tables.HEADERS, "saved": "time saved [95% CI]"})
        shown = shown.assign(scenario=shown.scenario.map(label))
        summarised = (
            [
                f"The first events one by one, then blocks of successive events (each seed's mean over its block, "
                f"paired by seed): at most {tables.EVENT_ROWS} rows here and in {name}.tex; every event is in "
                f"{name}.csv.",
                "",
            ]
            if len(short) < len(table)
            else []
        )
        lines += [
            f"## {title} (high against low cohesion)",
            "",
            f"{what} {tables.INTERVAL_NOTE}",
            "",
            *summarised,
            *warned(table.pairs, "these intervals"),
            markdown_table(shown),
            "",
            f"Table: {TABLE_CAPTIONS[name]} ({name}.csv, {name}.tex)",
            "",
        ]
        if name == "per_event":
            for scenario in recurring:
                said = tables.against_expectation(
                    sweep_dir, timeseries, *settings[scenario], table[table.scenario == scenario]
                )
                lines += [f"{label(scenario) if scenario else 'Damage'}: {said}", ""] if said else []
    lines += [*(sweep_section(sweep_dir, runs, timeseries) or [])]
    return lines, figures


def warned(pairs, what: str, noun: str = "seed pair") -> list[str]:
    """The warning lines (and a blank line) where too few seed pairs (or seeds) stand behind ``what``; else none."""
    warning = few_pairs_warning(pairs, what, noun)
    return [warning, ""] if warning else []


TABLE_CAPTIONS = {  # the LaTeX tables' captions (and report.md's), by file name
    "effects": "Effect of high versus low cohesion per scenario: high minus low per seed, mean and 95% t interval "
    "over the seed pairs.",
    "class_days_saved": "Mean recovery time per affected household of each class under low and high cohesion, "
    "and the time high cohesion saves (paired by seed, 95% t interval).",
    "per_event": "Damage and recovery per successive event under low and high cohesion, and the time high "
    "cohesion saves (paired by seed, 95% t interval).",
    "channels": "Effect of cohesion with each channel switched off (paired by seed, 95% t interval).",
    "dose_response": "Effect of each added tie on the outcomes (paired by seed, 95% t interval).",
    "policy": "What each set of policy levers gains, overall and for the precariaat, and per million euros.",
    "calibrated": "Effects of cohesion and of each lever with and without calibration.",
    "robustness": "Each claim of the report under each robustness condition.",
}
FIGURE_CAPTIONS = {  # report.md's figure captions, by file name
    "recovery_curves": "Mean functioning of affected households, low against high cohesion: mean over seeds and "
    "95% t band (not clipped to [0, 1]). Where events recur, each run's curve is its mean over its events, "
    f"aligned on the time each struck; in each scenario's unit ({TIME_UNITS_NOTE}).",
    "displacement_curves": "Share of households displaced, low against high cohesion: mean over seeds and 95% t "
    "band (not clipped to [0, 1]), for the scenarios in which anyone was displaced.",
    "heatmap_resilience_loss": "Mean resilience loss over bonding and bridging ties, per scenario "
    f"({TIME_UNITS_NOTE}).",
    "precariaat_gap": "Precariaat gap against bridging ties, as a ratio (every scenario) and in time (a panel per "
    f"scenario: {TIME_UNITS_NOTE}): mean and 95% t interval over seeds, each seed averaged over the other settings.",
    "dose_response": "Effect of each added tie, bonding and bridging: mean and 95% t interval over seed pairs.",
    "policy": "What each set of policy levers gains, with 95% t intervals over seed pairs.",
}


def write_table(table: pd.DataFrame, path: Path, caption: str | None = None, shown: pd.DataFrame | None = None) -> None:
    """A table as CSV and as a LaTeX table (``booktabs``, with a caption and a short label) beside it (``path``
    without its suffix). ``shown`` (say, shortened or in other units) goes to LaTeX instead of ``table``;
    the caption is ``TABLE_CAPTIONS``'s for the file name unless given."""
    table.to_csv(path.with_suffix(".csv"), index=False)
    shown = (table if shown is None else shown).copy()
    for column in LABEL_COLUMNS:  # keys in words
        if column in shown:
            shown[column] = shown[column].map(lambda value: label(value) if isinstance(value, str) and value else value)
    shown.columns = [tables.HEADERS.get(column, column.replace("_", " ")) for column in shown.columns]
    caption = caption or TABLE_CAPTIONS.get(path.stem, label(path.stem).capitalize() + ".")
    latex = shown.to_latex(
        index=False,
        float_format=written,
        na_rep="--",
        escape=True,
        caption=caption.replace("%", r"\%"),
        label=f"tab:{path.stem.replace('_', '-')}",
    )
    path.with_suffix(".tex").write_text(latex)


def run_setting(sweep_dir: Path, runs: pd.DataFrame) -> dict:
    """The config of one completed run (what did not vary is the same in all)."""
    folder = sweep_dir / runs[runs.status == "ok"].folder.iloc[0]
    return yaml.safe_load((folder / "config.yaml").read_text())


def scenario_clocks(runs: pd.DataFrame, scenario: dict) -> list[tuple[str, float, float]]:
    """Each scenario of the sweep with its horizon and step in days (from the runs where they vary)."""
    clocks = []
    for name in scenarios_of(runs):
        here = in_scenario(runs, name).iloc[0]
        horizon, step = (here.get(f"scenario.{key}", scenario[key]) for key in ("horizon_days", "step_days"))
        clocks.append((name or scenario["name"], float(horizon), float(step)))
    return clocks


def methods(sweep_dir: Path, runs: pd.DataFrame) -> str:
    """A methods paragraph: model version and commit, config hash, households, horizon, step, seeds,
    what varied, and how the intervals were made."""
    ok = runs[runs.status == "ok"]
    if ok.empty:
        return "No run completed."
    stamps = {
        json.dumps(json.loads((sweep_dir / f / PROVENANCE).read_text()), sort_keys=True)
        for f in ok.folder
        if (sweep_dir / f / PROVENANCE).exists()
    }
    made = sorted(f"{p['version']} (commit {p['commit']})" for p in map(json.loads, stamps)) or [
        "an unrecorded version"
    ]
    config = run_setting(sweep_dir, runs)
    digest = hashlib.sha256((sweep_dir / "multirun.yaml").read_bytes()).hexdigest()[:12]
    # What the design varied within a scenario (keys that differ only between scenarios come with them).
    varied = [
        c
        for c in runs.columns
        if "." in c
        and not (c.startswith("policy.") and c.endswith(".enabled"))  # the levers are named below
        and any(in_scenario(runs, s)[c].nunique() > 1 for s in scenarios_of(runs))
    ]
    if SCENARIO in runs and runs[SCENARIO].nunique() > 1:
        varied.insert(0, SCENARIO)

    def values(column: str) -> str:
        """The values a column took, in words: scenarios in their order, numbers sorted."""
        taken = (in_order if column == SCENARIO else sorted)(runs[column].dropna().unique())
        return ", ".join(label(str(v)) if isinstance(v, str) else f"{v:g}" for v in taken)

    described = "; ".join(f"{label(c)}: {values(c)}" for c in varied)
    if runs.policy.nunique() > 1:
        described += ("; " if described else "") + f"policy levers: {', '.join(sorted(runs.policy.unique()))}"
    seeds = sorted(ok.seed.unique())
    clocks = "; ".join(
        f"{label(name)}: {clock(horizon, step)}" for name, horizon, step in scenario_clocks(runs, config["scenario"])
    )
    return (
        f"Veerkracht {' and '.join(made)}; the sweep's configuration (multirun.yaml) has SHA-256 {digest}... "
        f"Each run simulates {config['population']['households']:,} households over its scenario's horizon ({clocks}). "
        f"Seeds {seeds[0]}-{seeds[-1]} ({len(seeds)} per setting); {len(ok)} runs completed. "
        f"What varied: {described or 'nothing but the seed'}. Two settings are compared paired by seed: per seed "
        "the difference between them (runs with the same seed share their population and hazards), then the mean "
        "over seeds with a 95% confidence interval from the t distribution with n - 1 degrees of freedom "
        "(n = seed pairs). Curves and points show means over seeds with 95% t intervals; where runs share a seed "
        "across other settings they are averaged per seed first, so each seed counts once."
    )


def report(sweep_dir: str | Path) -> Path:
    """Write the report folder of a sweep; return its path.

    A sweep over ties gets the cohesion sections, a sweep over policy levers the policy
    section; a sweep over neither is refused.
    """
    sweep_dir = Path(sweep_dir)
    if not (sweep_dir / "runs.parquet").exists():
        aggregate(sweep_dir)
    all_runs = pd.read_parquet(sweep_dir / "runs.parquet")
    timeseries = pd.read_parquet(sweep_dir / "timeseries.parquet")
    # A robustness sweep: the usual sections on the base condition, then every claim under every condition.
    conditions = robustness.conditions_of(sweep_dir)
    robustness_runs = None
    if conditions is not None:
        robustness_runs = all_runs.assign(**{robustness.CONDITION: all_runs.job.map(conditions)})
        all_runs = all_runs[robustness_runs[robustness.CONDITION] == robustness.BASE]
    # A sweep with and without calibration: the usual sections on the uncalibrated runs, then both side by side.
    with_calibration = calibrated.is_calibration_sweep(all_runs)
    runs = all_runs[all_runs[calibrated.POSTERIOR].isna()] if with_calibration else all_runs
    policy = policy_section(runs)
    cohesion = BONDING in runs or BRIDGING in runs
    if policy is None and not cohesion:
        raise SystemExit("veerkracht-report: the sweep varies neither bonding nor bridging ties nor policy levers")
    out = sweep_dir / "report"
    out.mkdir(exist_ok=True)
    # Cohesion compares runs without levers where the sweep also varies the levers.
    cohesion_runs = runs[runs.policy == "none"] if policy is not None else runs
    cohesion_series = of_runs(timeseries, cohesion_runs)  # the curves show the same runs as the tables
    lines, figures = cohesion_section(cohesion_runs, cohesion_series, sweep_dir, out) if cohesion else ([], {})
    for section in (channels.channels_section(cohesion_runs), channels.dose_response_section(cohesion_runs)):
        if section is None:
            continue
        name, section_lines, table, shown, section_figures = section
        write_table(table, out / name, shown=shown)
        figures |= section_figures
        counts = next((table[c] for c in ("pairs", "per_tie_pairs") if c in table), [])
        lines += [*section_lines, *warned(counts, f"the intervals of the {label(name)} table")]
    if policy is not None:
        policy_lines, table, shown = policy
        write_table(table, out / "policy", shown=shown)
        figures["policy"] = policy_figure(table)
        lines += policy_lines
    if with_calibration:
        calibration_lines, calibration_table = calibrated.section(all_runs)
        write_table(calibration_table, out / "calibrated")
        lines += calibration_lines
    if robustness_runs is not None:
        robustness_lines, robustness_table = robustness.section(robustness_runs)
        write_table(robustness_table, out / "robustness")
        lines += robustness_lines
    for name, figure in figures.items():
        save_for_print(figure, out / name)

    every_run = all_runs if robustness_runs is None else robustness_runs
    counts = every_run.status.value_counts().to_dict()
    lines = [
        f"# Report of the sweep {sweep_dir.name}",
        "",
        f"Runs: {len(every_run)} ({', '.join(f'{n} {s}' for s, n in counts.items())})"
        + (
            "."
            if robustness_runs is None
            else f"; the sections before the robustness section read the base condition's {len(all_runs)}."
        ),
        "",
        "## Methods",
        "",
        methods(sweep_dir, all_runs),
        "",
        *lines,
        "## Figures",
        "",
        "Each figure is also in the report folder as PDF and SVG, beside the 300 dpi PNG shown here.",
        "",
        *warned(
            [every_run[every_run.status == "ok"].seed.nunique()], "the intervals and bands of these figures", "seed"
        ),
        *[
            line
            for number, name in enumerate(figures, start=1)
            for line in (
                f"![Figure {number}]({name}.png)",
                "",
                f"*Figure {number}: {FIGURE_CAPTIONS.get(name, label(name).capitalize() + '.')}*",
                "",
            )
        ],
    ]
    (out / "report.md").write_text("\n".join(lines))
    return out


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``veerkracht-report``."""
    parser = argparse.ArgumentParser(prog="veerkracht-report", description=__doc__.splitlines()[0])
    parser.add_argument("sweep_dir", type=Path, help="a sweep folder (holding multirun.yaml)")
    args = parser.parse_args(argv)
    if not (args.sweep_dir / "multirun.yaml").exists():
        parser.error(f"{args.sweep_dir} is not a sweep folder: it has no multirun.yaml")
    print(f"veerkracht-report: {report(args.sweep_dir) / 'report.md'}")


if __name__ == "__main__":
    main()
