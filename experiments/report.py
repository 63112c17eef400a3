"""``veerkracht-report SWEEP_DIR``: figures and a short markdown report of a cohesion or policy sweep.

Reads the aggregated tables (and aggregates first if they are missing) and writes, in
``SWEEP_DIR/report/``:

- ``recovery_curves.png``: mean functioning of affected households over time for the lowest
  and the highest cohesion of the sweep, mean and 95% band over seeds, one panel per scenario;
- ``displacement_curves.png``: the share of households displaced over time, likewise, for the
  scenarios in which anyone was displaced;
- ``heatmap_resilience_loss.png``: mean resilience loss over bonding x bridging ties, per scenario;
- ``precariaat_gap.png``: the precariaat gap against bridging ties (one line per homophily level);
- ``effects.csv`` and ``report.md``: effect sizes of high versus low cohesion, paired by seed,
  with 95% confidence intervals (t distribution over the seed pairs); for a sweep over bonding
  and bridging ties in open and closed towns (the ``ties`` experiment), a section on what each
  kind of tie does (``experiments.ties``);
- for a sweep over policy levers (the ``policy`` experiment): ``policy.csv``, ``policy.png`` and
  a section in ``report.md`` on what each set of levers gains, overall and for the precariaat,
  and per million euros (``experiments.policy``);
- for a sweep with and without calibration (the ``calibrated_flood`` experiment): the sections
  above on the uncalibrated runs, then ``calibrated.csv`` and a section comparing the effects of
  cohesion and of each lever with and without calibration (``experiments.calibrated``).

Low cohesion is the sweep's fewest bonding and bridging ties, high cohesion the most (other
swept parameters at their first value).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from experiments import calibrated
from experiments.aggregate import aggregate
from experiments.policy import figure as policy_figure
from experiments.policy import sweep_section as policy_section
from experiments.stats import markdown_table, mean_ci, paired
from experiments.ties import sweep_section

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
    "unrecovered_share",
    "precariaat_gap",
    "precariaat_gap_days",
    "peak_disruption_share",
)


def scenarios_of(runs: pd.DataFrame) -> list:
    """The scenarios of a sweep (a single unnamed one when the scenario did not vary)."""
    return sorted(runs[SCENARIO].unique()) if SCENARIO in runs else [None]


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
                    "low_cohesion_mean": np.nanmean(a) if a.size else np.nan,
                    "high_cohesion_mean": np.nanmean(b) if b.size else np.nan,
                    "difference": mean,
                    "ci95_low": lower,
                    "ci95_high": upper,
                    "pairs": int(both.sum()),
                }
            )
    return pd.DataFrame(rows)


CURVES = {  # time-series column -> its axis label
    "functioning": "mean functioning of affected households",
    "displaced_share": "share of households displaced",
}


def curves(runs: pd.DataFrame, timeseries: pd.DataFrame, levels: dict, column: str, scenarios: list) -> Figure:
    """A time-series column, low vs high cohesion, mean and 95% band over seeds, one panel per scenario."""
    figure = Figure(figsize=(5 * len(scenarios), 4), layout="constrained")
    axes = np.atleast_1d(figure.subplots(1, len(scenarios)))
    for ax, scenario in zip(axes, scenarios, strict=True):
        here = in_scenario(timeseries, scenario)
        for label, colour in (("low", "tab:red"), ("high", "tab:blue")):
            table = select(here, levels[label]).pivot_table(index="day", columns="seed", values=column)
            if table.empty:
                continue
            summary = np.array([mean_ci(row) for row in table.to_numpy()])
            days = table.index.to_numpy()
            unit, scale = ("years", 365.25) if days[-1] > 3 * 365 else ("days", 1.0)
            ax.plot(days / scale, summary[:, 0], color=colour, label=f"{label} cohesion ({table.shape[1]} seeds)")
            band = np.clip(summary[:, 1:], 0.0, 1.0)  # both columns are bounded; so is the band drawn
            ax.fill_between(days / scale, band[:, 0], band[:, 1], color=colour, alpha=0.25, linewidth=0)
            ax.set(xlabel=unit, ylabel=CURVES[column], title=scenario or "")
        ax.legend(fontsize="small")
    return figure


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
        image = ax.imshow(table.to_numpy(), origin="lower", cmap="viridis_r", aspect="auto")
        ax.set(
            xticks=range(table.shape[1]),
            xticklabels=table.columns,
            yticks=range(table.shape[0]),
            yticklabels=table.index,
            xlabel=table.columns.name,
            ylabel=table.index.name,
            title=scenario or "",
        )
        for (i, j), value in np.ndenumerate(table.to_numpy()):
            bright = image.norm(value) < 0.5  # viridis_r: low values are light
            ax.text(j, i, f"{value:.3g}", ha="center", va="center", color="black" if bright else "white")
        figure.colorbar(image, ax=ax, label=f"mean {key}")
    return figure


def precariaat_gap(runs: pd.DataFrame) -> Figure:
    """Mean precariaat gap (95% CI) against bridging ties, as a ratio and in days; a line per homophily level and scenario."""
    ok = runs[runs.status == "ok"]
    figure = Figure(figsize=(11, 4), layout="constrained")
    axes = figure.subplots(1, 2)
    homophily = sorted(ok[HOMOPHILY].unique()) if HOMOPHILY in ok else [None]
    gaps = (
        ("precariaat_gap", "precariaat gap (recovery days, ratio to the rest)", 1.0),
        ("precariaat_gap_days", "precariaat gap (recovery days minus the rest's)", 0.0),
    )
    for ax, (key, label, no_gap) in zip(axes, gaps, strict=True):
        for scenario in scenarios_of(ok):
            for level in homophily:
                here = in_scenario(ok, scenario)
                here = here if level is None else here[here[HOMOPHILY] == level]
                groups = here.groupby(BRIDGING)[key]
                points = np.array([mean_ci(pd.to_numeric(g, errors="coerce").to_numpy(dtype=float)) for _, g in groups])
                name = " ".join(filter(None, [scenario, None if level is None else f"homophily {level:g}"]))
                ax.errorbar(
                    list(groups.groups),
                    points[:, 0],
                    yerr=[points[:, 0] - points[:, 1], points[:, 2] - points[:, 0]],
                    marker="o",
                    capsize=3,
                    label=name or None,
                )
        ax.axhline(no_gap, color="grey", linewidth=0.8)
        ax.set(xlabel="bridging ties per household", ylabel=label)
    if axes[0].get_legend_handles_labels()[0]:
        axes[0].legend(fontsize="small")
    return figure


def describe(values: dict) -> str:
    """``key=value, ...`` of a parameter setting."""
    return ", ".join(
        f"{key}={value:g}" if isinstance(value, float) else f"{key}={value}" for key, value in values.items()
    )


def cohesion_section(
    runs: pd.DataFrame, timeseries: pd.DataFrame, sweep_dir: Path, out: Path
) -> tuple[list[str], dict]:
    """The report's cohesion sections (high versus low cohesion, what each kind of tie does) and their figures."""
    levels = cohesion_levels(runs)
    effects = effects_table(runs, levels)
    effects.to_csv(out / "effects.csv", index=False)
    figures = {"recovery_curves.png": curves(runs, timeseries, levels, "functioning", scenarios_of(runs))}
    displacing = [s for s in scenarios_of(runs) if in_scenario(timeseries, s)["displaced_share"].max() > 0]
    if displacing:
        figures["displacement_curves.png"] = curves(runs, timeseries, levels, "displaced_share", displacing)
    if BRIDGING in runs:
        figures["precariaat_gap.png"] = precariaat_gap(runs)
    if BONDING in runs and BRIDGING in runs:
        figures["heatmap_resilience_loss.png"] = heatmap(runs)
    lines = [
        f"Low cohesion: {describe(levels['low'])}. High cohesion: {describe(levels['high'])}.",
        "",
        "## Effect of high versus low cohesion (paired by seed, 95% confidence intervals)",
        "",
        markdown_table(effects) if not effects.empty else "(no complete pairs)",
        "",
        *(sweep_section(sweep_dir, runs, timeseries) or []),
    ]
    return lines, figures


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
    if policy is not None:
        policy_lines, table = policy
        table.to_csv(out / "policy.csv", index=False)
        figures["policy.png"] = policy_figure(table)
        lines += policy_lines
    if with_calibration:
        calibration_lines, calibration_table = calibrated.section(all_runs)
        calibration_table.to_csv(out / "calibrated.csv", index=False)
        lines += calibration_lines
    for name, figure in figures.items():
        figure.savefig(out / name, dpi=110)

    counts = all_runs.status.value_counts().to_dict()
    lines = [
        f"# Report: {sweep_dir.name}",
        "",
        f"Runs: {len(all_runs)} ({', '.join(f'{n} {s}' for s, n in counts.items())}).",
        "",
        *lines,
        "## Figures",
        "",
        *[f"![{name}]({name})" for name in figures],
        "",
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
