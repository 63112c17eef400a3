"""The report's statistics and print formats, on tables small enough to check by hand."""

from __future__ import annotations

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
