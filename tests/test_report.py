"""The report's statistics and print formats, on tables small enough to check by hand."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from PIL import Image
from scipy import stats

from experiments.report import effects_table, write_table
from simulation.style import LABELS, label, save_for_print


def test_paired_effects_match_a_hand_computation():
    low = [10.0, 12.0, 9.0, 14.0]
    high = [7.0, 11.0, 5.0, 13.0]
    runs = pd.DataFrame(
        {
            "status": "ok",
            "seed": list(range(4)) * 2,
            "network.bonding_degree": [1.0] * 4 + [6.0] * 4,
            "resilience_loss_days": low + high,
        }
    )
    table = effects_table(runs, {"low": {"network.bonding_degree": 1.0}, "high": {"network.bonding_degree": 6.0}})
    row = table[table.summary_key == "resilience_loss_days"].iloc[0]
    differences = np.subtract(high, low)  # -3, -1, -4, -1: paired seed by seed
    half = stats.t.ppf(0.975, df=3) * differences.std(ddof=1) / np.sqrt(4)
    assert row.difference == pytest.approx(differences.mean()), "the effect should be the mean paired difference"
    assert (row.ci95_low, row.ci95_high) == pytest.approx((differences.mean() - half, differences.mean() + half)), (
        "the interval should be the t interval over the seed pairs"
    )
    assert row.pairs == 4, "four seeds, four pairs"


def test_every_key_reads_as_words():
    for key in (*LABELS, "network.some_new_key", "mean_recovery_days__precariaat", "sea_level_rise"):
        words = label(key)
        assert "." not in words.replace("(", "").split(" ")[0] and "_" not in words, f"{key} reads {words!r}"


def test_figures_are_saved_for_print_in_three_formats(tmp_path):
    figure = Figure(figsize=(2, 1))
    figure.subplots().plot([0, 1], [0, 1])
    written = save_for_print(figure, tmp_path / "line")
    assert sorted(path.suffix for path in written) == [".pdf", ".png", ".svg"], f"got {written}"
    assert (tmp_path / "line.pdf").read_bytes().startswith(b"%PDF"), "a PDF"
    assert b"<svg" in (tmp_path / "line.svg").read_bytes(), "an SVG"
    with Image.open(tmp_path / "line.png") as png:
        assert png.size == (600, 300), f"2 x 1 inches at 300 dpi, got {png.size}"


def test_days_saved_per_class_and_per_event_are_paired_by_seed(tmp_path):
    from experiments.tables import class_days_saved, per_event

    def runs(days: list[float], name: str) -> pd.DataFrame:
        for seed, value in enumerate(days):  # two floods per run: the second takes half as long
            folder = tmp_path / name / str(seed)
            folder.mkdir(parents=True)
            events = {"event": [1, 2], "damage": [0.4, 0.2], "recovery_days": [value, value / 2]}
            pd.DataFrame(events).to_parquet(folder / "events.parquet")
        return pd.DataFrame(
            {
                "seed": range(3),
                "folder": [f"{name}/{seed}" for seed in range(3)],
                "mean_recovery_days__precariaat": days,
            }
        )

    low, high = runs([30.0, 50.0, 40.0], "low"), runs([20.0, 45.0, 25.0], "high")
    by_class = class_days_saved(low, high, "flooding").iloc[0]
    assert by_class["class"] == "precariaat" and by_class.saved == pytest.approx(10.0), (
        f"low minus high per seed (10, 5, 15) should average 10 days saved, got {by_class.to_dict()}"
    )
    by_event = per_event(tmp_path, low, high, "flooding")
    assert list(by_event.event) == [1, 2], "one row per successive flood"
    assert by_event.saved.tolist() == pytest.approx([10.0, 5.0]), "the second flood saves half the days"
    assert by_event.damage_low_cohesion_pct.tolist() == pytest.approx([40.0, 20.0]), "damage in percent"


def test_latex_tables_write_numbers_without_exponents(tmp_path):
    write_table(
        pd.DataFrame({"summary_key": ["t90_days"], "difference": [3170.4], "ci95_low": [0.00123]}), tmp_path / "t"
    )
    latex = (tmp_path / "t.tex").read_text()
    assert "3,170" in latex and "0.00123" in latex, f"expected 3,170 and 0.00123 as written in the tables, got {latex}"
    assert "e+" not in latex and "e-" not in latex, f"expected no exponents in the LaTeX table, got {latex}"


def test_the_dose_response_gives_the_effect_of_each_added_tie_paired_by_seed():
    from experiments.channels import dose_response_table

    rows = []
    for seed in range(3):
        for bonding in (0, 2, 4, 8):
            for bridging in (0, 1, 2, 4):
                loss = 100.0 - 3.0 * bonding - 5.0 * bridging + seed  # 3 days a bonding tie, 5 a bridging one
                rows.append(
                    {
                        "status": "ok",
                        "seed": seed,
                        "network.bonding_degree": float(bonding),
                        "network.bridging_degree": float(bridging),
                        "resilience_loss_days": loss,
                    }
                )
    table = dose_response_table(pd.DataFrame(rows))
    per_tie = table.dropna(subset=["per_tie_effect"])
    bonding = per_tie[per_tie.ties == label("network.bonding_degree")]
    bridging = per_tie[per_tie.ties == label("network.bridging_degree")]
    assert bonding.per_tie_effect.tolist() == pytest.approx([-3.0] * 3), f"3 days per bonding tie: {bonding}"
    assert bridging.per_tie_effect.tolist() == pytest.approx([-5.0] * 3), f"5 days per bridging tie: {bridging}"
    assert (per_tie.per_tie_pairs == 3).all(), "three seeds paired"
    assert set(bonding.held) == {f"{label('network.bridging_degree')} 2"}, "bridging held at the level nearest 2"


def tie_sweep() -> pd.DataFrame:
    """A made-up sweep over 4 x 4 levels of bonding and bridging ties, 3 seeds, in the leak and in flooding:
    each bonding tie takes 3 hours off the leak's resilience loss (3 days off flooding's), each bridging
    tie 5; the precariaat's gap is 6 minus the bridging ties, in hours for the leak and days for flooding."""
    rows = []
    for scenario, unit in (("leak", 1 / 24), ("flooding", 1.0)):  # an hour and a day, in days
        for seed, bonding, bridging in itertools.product(range(3), (0, 2, 4, 8), (0, 1, 2, 4)):
            rows.append(
                {
                    "status": "ok",
                    "seed": seed,
                    "scenario.name": scenario,
                    "network.bonding_degree": float(bonding),
                    "network.bridging_degree": float(bridging),
                    "resilience_loss_days": unit * (100.0 - 3.0 * bonding - 5.0 * bridging + seed),
                    "precariaat_gap": 1.5,
                    "precariaat_gap_days": unit * (6.0 - bridging),
                }
            )
    return pd.DataFrame(rows)


def test_the_leaks_dose_response_is_in_hours():
    from experiments.channels import dose_response_section

    name, lines, _, shown, figures = dose_response_section(tie_sweep())
    loss = shown[shown.outcome.str.startswith("resilience loss")]
    leak = loss[loss.scenario == label("leak")]
    assert set(leak.unit) == {"hours"}, f"expected the leak's effects per tie in hours, got {set(leak.unit)}"
    bonding = leak[leak["ties added"] == label("network.bonding_degree")]
    assert bonding["effect per added tie [95% CI]"].str.startswith("-3 ").all(), (
        f"expected -3 hours per bonding tie in the leak, got {bonding['effect per added tie [95% CI]'].tolist()}"
    )
    assert leak.outcome.str.contains("hours of functioning").all(), f"expected the outcome in hours: {leak.outcome}"
    floods = loss[loss.scenario == label("flooding")]
    assert set(floods.unit) == {"days"}, f"expected flooding's effects per tie in days, got {set(floods.unit)}"
    assert "| hours |" in "\n".join(lines), f"expected the leak's rows in hours in report.md: {lines}"
    axes = {ax.get_title().replace("\n", " "): ax for ax in figures[name].axes if ax.get_title()}
    panel = next(ax for title, ax in axes.items() if title.startswith("leak (coping): resilience loss"))
    line = panel.lines[0]  # bonding ties: 0, 2, 4, 8 against the fewest (0)
    assert line.get_ydata() == pytest.approx([0.0, -6.0, -12.0, -24.0]), (
        f"expected the leak's change in hours (3 per bonding tie), got {line.get_ydata()}"
    )
    assert "(hours)" in panel.get_ylabel(), f"expected the leak's axis to name hours, got {panel.get_ylabel()!r}"


def test_the_leaks_precariaat_gap_is_in_hours():
    from experiments.report import precariaat_gap

    figure = precariaat_gap(tie_sweep())
    ratio, leak, floods = figure.axes[:3]
    assert leak.get_title() == label("leak"), f"expected the leak's gap in its own panel, got {leak.get_title()!r}"
    assert leak.lines[0].get_ydata() == pytest.approx([6.0, 5.0, 4.0, 2.0]), (
        f"expected the leak's gap in hours (6 minus the bridging ties), got {leak.lines[0].get_ydata()}"
    )
    assert "hours" in leak.get_ylabel(), f"expected the leak's axis to name hours, got {leak.get_ylabel()!r}"
    assert floods.lines[0].get_ydata() == pytest.approx([6.0, 5.0, 4.0, 2.0]), "expected flooding's gap in days"
    assert "days" in floods.get_ylabel(), f"expected flooding's axis to name days, got {floods.get_ylabel()!r}"
    assert ratio.lines[0].get_ydata() == pytest.approx([1.5] * 4), "expected the ratio as it is, without a unit"


EVENTS = 300  # monthly floods over 25 years: far more than a table in a paper can show


@pytest.fixture(scope="module")
def two_seed_sweep(tmp_path_factory):
    """A made-up sweep of two seeds: the leak (one event, recovered in hours) and sea-level rise (300 floods),
    low (1 bonding, 0 bridging ties) and high cohesion (8, 4); runs.parquet, timeseries and events as the
    aggregate writes them. Returns the runs, the time series and the folder."""
    tmp_path = tmp_path_factory.mktemp("two_seeds")
    rows, series = [], []
    for job, (scenario, bonding, bridging) in enumerate(
        (s, b, r) for s in ("sea_level_rise", "leak") for b, r in ((1.0, 0.0), (8.0, 4.0))
    ):
        for seed in (0, 1):
            folder = f"{job}/seed={seed}"
            (tmp_path / folder).mkdir(parents=True)
            events = EVENTS if scenario == "sea_level_rise" else 1
            step = 30.4375 if scenario == "sea_level_rise" else 1 / 24
            pd.DataFrame(
                {
                    "event": range(1, events + 1),
                    "damage": 0.2 + 0.01 * seed,
                    "recovery_days": 40.0 - bonding + seed if events > 1 else (2.0 - 0.1 * bonding) / 24,
                    "households_hit": 50,
                }
            ).to_parquet(tmp_path / folder / "events.parquet")
            common = {
                "job": job,
                "seed": seed,
                "scenario.name": scenario,
                "network.bonding_degree": bonding,
                "network.bridging_degree": bridging,
            }
            days = np.arange(events + 2) * step
            series.append(
                pd.DataFrame(
                    {
                        **common,
                        "day": days,
                        "events": np.minimum(np.arange(events + 2), events),
                        "functioning": np.where(np.arange(events + 2) % 2 == 1, 0.6, 1.0),
                        "displaced_share": 0.0,
                        "prepared_share": 0.1 * bonding / 8,
                    }
                )
            )
            rows.append(
                {
                    **common,
                    "status": "ok",
                    "folder": folder,
                    "policy": "none",
                    "t90_days": 1 / 24 if scenario == "leak" else 60.0,  # an hour in the leak
                    "resilience_loss_days": 0.1 - 0.001 * bonding + 0.002 * seed,
                    "precariaat_gap": 1.2,
                    "precariaat_gap_days": 0.05,
                    "mean_recovery_days__precariaat": (3.0 - 0.1 * bonding) / 24 if scenario == "leak" else 50.0,
                }
            )
    return pd.DataFrame(rows), pd.concat(series, ignore_index=True), tmp_path


@pytest.fixture(scope="module")
def two_seed_report(two_seed_sweep) -> tuple[str, object]:
    """The cohesion sections of the made-up sweep's report (as in report.md) and the report folder."""
    from experiments.report import cohesion_section

    runs, timeseries, folder = two_seed_sweep
    out = folder / "report"
    out.mkdir()
    lines, _ = cohesion_section(runs, timeseries, folder, out)
    return "\n".join(lines), out


def section_table(text: str, heading: str) -> list[str]:
    """The rows of the first markdown table after ``heading`` (without its header and rule)."""
    after = text.split(heading, 1)[1].split("\n## ", 1)[0]
    table = [line for line in after.splitlines() if line.startswith("|")]
    return table[2:]


def test_the_per_event_table_shows_at_most_30_rows_and_keeps_every_event_in_the_csv(two_seed_report):
    text, out = two_seed_report
    shown = section_table(text, "## Damage and recovery per successive event")
    assert 0 < len(shown) <= 30, f"expected at most 30 rows of events in report.md, got {len(shown)}"
    assert any("-" in row.split("|")[2] for row in shown), f"expected blocks of events such as '6-34', got {shown}"
    assert len(pd.read_csv(out / "per_event.csv")) == EVENTS, f"expected all {EVENTS} events in per_event.csv"
    latex_rows = [line for line in (out / "per_event.tex").read_text().splitlines() if line.endswith("\\\\")]
    assert len(latex_rows) <= 31, f"expected at most 30 rows and a header in per_event.tex, got {len(latex_rows)}"


def test_a_two_seed_report_warns_that_its_intervals_rest_on_two_pairs(two_seed_report):
    text, _ = two_seed_report
    warnings = [line for line in text.splitlines() if "**Warning:**" in line]
    assert len(warnings) >= 3, f"expected a warning beside each table with intervals, got {warnings}"
    assert all("only 2 seed pairs" in line for line in warnings), f"expected the warnings to name 2 pairs: {warnings}"


def test_the_leaks_durations_are_in_hours(two_seed_report):
    from simulation.style import clock

    text, _ = two_seed_report
    t90 = [row for row in text.splitlines() if row.startswith("| leak (coping) | hours until 90%")]
    assert t90 and "| hours | 1 | 1 |" in t90[0], f"expected the leak's t90 as 1 hour, got {t90}"
    assert "0.0417" not in text and "0.0416667 days" not in text, "expected no fractions of a day for the leak"
    floods = [row for row in text.splitlines() if row.startswith("| sea-level rise (transformation) | months until")]
    assert floods and "| months | 1.97 |" in floods[0], f"expected sea-level rise's 60 days as 1.97 months: {floods}"
    assert clock(14, 1 / 24) == "14 days in hourly steps", f"expected hourly steps, got {clock(14, 1 / 24)!r}"
    assert clock(36525, 30.4375) == "100 years in monthly steps", f"got {clock(36525, 30.4375)!r}"


def test_every_latex_table_has_a_caption_and_a_short_label(two_seed_report):
    _, out = two_seed_report
    written = sorted(out.glob("*.tex"))
    assert len(written) >= 3, f"expected the effects, class and per-event tables, got {written}"
    for path in written:
        latex = path.read_text()
        assert "\\caption{" in latex, f"expected a caption in {path.name}"
        label = latex.split("\\label{", 1)[1].split("}", 1)[0] if "\\label{" in latex else ""
        assert label.startswith("tab:") and len(label) <= 20, (
            f"expected a short tab: label in {path.name}, got {label!r}"
        )


def test_scenarios_come_in_the_order_coping_adaptation_transformation(two_seed_sweep):
    from experiments.report import scenarios_of

    runs, _, _ = two_seed_sweep
    assert scenarios_of(runs) == ["leak", "sea_level_rise"], f"expected the leak first, got {scenarios_of(runs)}"
