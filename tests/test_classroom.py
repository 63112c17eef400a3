"""The class demo's model and figures, without a browser."""

from __future__ import annotations

import re

import numpy as np
import pytest

from simulation.config import ConfigError
from simulation.demo.classroom import ClassroomModel, ClassroomSettings, scoreboard, ties_for_cohesion
from simulation.demo.figures import ceiling, dashboard_figures
from simulation.demo.texts import TEXT
from simulation.style import NONE_YET, duration, number, percent

SMALL = {"households": 800}


def test_cohesion_control_spans_the_low_and_high_settings():
    assert ties_for_cohesion(0.0) == {"bonding_degree": 1.0, "bridging_degree": 0.0, "homophily": 0.9}
    assert ties_for_cohesion(1.0) == {"bonding_degree": 8.0, "bridging_degree": 4.0, "homophily": 0.3}
    with pytest.raises(ValueError, match=r"cohesion=1\.5 is not allowed"):
        ties_for_cohesion(1.5)


def test_moving_the_cohesion_control_sets_the_three_tie_keys():
    settings = ClassroomSettings().with_cohesion(1.0)
    assert (settings.bonding_degree, settings.bridging_degree, settings.homophily) == (8.0, 4.0, 0.3)


def test_side_by_side_is_the_same_town_with_other_ties():
    model = ClassroomModel(ClassroomSettings(**SMALL))
    low, high = model.communities["low"], model.communities["high"]
    for _ in range(5):
        model.step()
    for field in ("household_class", "neighbourhood", "economic", "cultural", "shock_day"):
        assert np.array_equal(
            getattr(low.households, field), getattr(high.households, field), equal_nan=field == "shock_day"
        ), f"both communities should share {field}: same seed, same households, same shock"
    assert high.networks.bonding.nnz > low.networks.bonding.nnz, "high cohesion should have more bonding ties"
    assert low.networks.bridging.nnz == 0, "low cohesion has no bridging ties"


def test_high_cohesion_recovers_faster_side_by_side():
    model = ClassroomModel(ClassroomSettings(**SMALL))
    while model.running:
        model.step()
    low, high = (model.communities[name].results.summary for name in ("low", "high"))
    assert high["resilience_loss_days"] < low["resilience_loss_days"], "high cohesion should lose less functioning"


def test_a_lever_side_by_side_is_the_same_town_with_and_without_it():
    settings = ClassroomSettings(scenario="flooding", compare="receptive_government", **SMALL)
    model = ClassroomModel(settings)
    assert list(model.communities) == ["without", "with"], "a lever compared gives a town without and with it"
    without, with_lever = model.communities["without"], model.communities["with"]
    assert without.cfg.policy.enabled() == [] and with_lever.cfg.policy.enabled() == ["receptive_government"]
    assert without.networks.bonding.nnz == with_lever.networks.bonding.nnz, "both towns should have the same ties"
    while model.day < 3 * 365.25:
        model.step()
    assert np.array_equal(without.households.shock_day, with_lever.households.shock_day, equal_nan=True), (
        "both towns should see the same floods hit the same households"
    )
    trust = [community.households.trust.mean() for community in (without, with_lever)]
    assert trust[1] > trust[0], f"a receptive government should be trusted more after floods, got {trust}"


def test_a_comparison_that_is_no_lever_is_refused():
    with pytest.raises(ConfigError, match=r"compare='dikes' is not allowed: expected one of cohesion, "):
        ClassroomSettings(compare="dikes").configs()


@pytest.mark.parametrize(("scenario", "days"), [("leak", 1 / 24), ("flooding", 28.0), ("sea_level_rise", 365.25)])
def test_one_page_step_advances_the_scenarios_unit(scenario, days):
    model = ClassroomModel(ClassroomSettings(scenario=scenario, side_by_side=False, **SMALL))
    model.step()
    assert model.day == pytest.approx(days), f"one page step of {scenario} should be {days} days"
    assert list(model.communities) == ["chosen"], "without side by side there is one community"


def test_the_run_stops_at_the_horizon():
    model = ClassroomModel(ClassroomSettings(side_by_side=False, **SMALL))
    steps = 0
    while model.running:
        model.step()
        steps += 1
    assert model.day == model.horizon_days, "the last page step ends at the horizon"
    assert steps == 14 * 24, "the leak's 14 days take one page step an hour"


def test_bad_settings_name_the_key():
    with pytest.raises(ConfigError, match=r"population\.households=0"):
        ClassroomSettings(households=0).configs()


def test_figures_change_when_the_model_steps_and_axes_grow():
    model = ClassroomModel(ClassroomSettings(**SMALL))
    figures = dashboard_figures(model, TEXT["en"], "en")
    before = {name: figure.png() for name, figure in figures.items()}
    for _ in range(16):  # past the burst at noon
        model.step()
    for name, figure in figures.items():
        assert figure.png() != before[name], f"the {name} figure should show the new state"
    assert ceiling(3.0, 100.0) == 5.0 and ceiling(30.0, 100.0) == 50.0, "shares (in %) step through the ceilings"
    assert ceiling(3.0, 10.0) == 10.0, "counts keep their fixed top"


def test_the_government_and_homophily_can_be_compared_and_only_they_differ():
    government = ClassroomModel(ClassroomSettings(compare="government", **SMALL))
    directive, receptive = (government.communities[name] for name in ("directive", "receptive"))
    assert (directive.cfg.government.receptivity, receptive.cfg.government.receptivity) == (0.0, 1.0), (
        "the two governments should start at the two ends of the above-below axis"
    )
    assert directive.cfg.network == receptive.cfg.network, "both towns should have the same ties"
    homophily = ClassroomModel(ClassroomSettings(compare="homophily", **SMALL))
    closed, mixed = (homophily.communities[name].cfg.network for name in ("closed", "mixed"))
    assert closed.homophily > mixed.homophily, "ties within one's class should have the higher homophily"
    assert (closed.bonding_degree, closed.bridging_degree) == (mixed.bonding_degree, mixed.bridging_degree), (
        "only homophily should differ"
    )


def test_ties_and_government_two_by_two_are_four_towns_that_differ_in_one_setting_each():
    model = ClassroomModel(ClassroomSettings(compare="ties_and_government", **SMALL))
    configs = {name: community.cfg for name, community in model.communities.items()}
    assert list(configs) == ["low-directive", "low-receptive", "high-directive", "high-receptive"]
    for ties in ("low", "high"):
        directive, receptive = configs[f"{ties}-directive"], configs[f"{ties}-receptive"]
        assert directive.network == receptive.network, f"{ties}: the two governments should meet the same ties"
        assert directive.government.receptivity < receptive.government.receptivity, "the stances should differ"
    assert configs["low-directive"].network.bonding_degree < configs["high-directive"].network.bonding_degree


def test_the_scoreboard_follows_the_latest_event():
    model = ClassroomModel(ClassroomSettings(**SMALL))
    before = scoreboard(model.communities["low"])
    assert before.hit == 0 and before.t90_days is None, f"before the burst nobody is hit, got {before}"
    while model.running:
        model.step()
    after = {name: scoreboard(community) for name, community in model.communities.items()}
    for name, score in after.items():
        assert score.hit > 0 and score.back_share > 0.9, f"after 14 days most of those hit in {name} should be back"
        assert score.t90_days is not None and 0 < score.t90_days < 14, f"{name}: t90 within the run, got {score}"
        assert score.t90_days == pytest.approx(model.communities[name].results.summary["t90_days"]), (
            "the scoreboard's t90 should be the summary's for a run with one event"
        )


def test_skipping_to_the_next_flood_stops_right_after_it():
    model = ClassroomModel(ClassroomSettings(scenario="flooding", side_by_side=False, **SMALL))
    model.skip_to_next_event()
    first = model.reference.event_log.events[0]
    assert model.events >= 1, "one skip should bring the first flood (two can strike within one page step)"
    assert 0 < model.day - first.day <= 28, "the page should stop at the end of the page step of the first flood"
    model.skip_to_next_event()
    assert model.reference.event_log.events[-1].day > first.day + 14, "the next skip should bring a later flood"


def test_numbers_are_written_as_the_language_writes_them():
    assert number(5000, "nl") == "5.000" and number(5000, "en") == "5,000", "thousands grouped per language"
    assert number(3.25, "nl", 1) == "3,2" or number(3.25, "nl", 1) == "3,3", "a decimal comma in Dutch"
    assert percent(0.355, "en") == "36%" and percent(float("nan")) == NONE_YET, "shares as whole percentages"
    assert duration(0.25) == "6 hours" and duration(5.0, "nl") == "5 dagen" and duration(400.0) == "13 months", (
        "durations in the unit that reads best"
    )


def test_every_text_exists_in_both_languages():
    def keys(tree: dict, prefix: str = "") -> set[str]:
        found = set()
        for key, value in tree.items():
            found.add(prefix + key)
            if isinstance(value, dict):
                found |= keys(value, f"{prefix}{key}.")
        return found

    assert keys(TEXT["en"]) == keys(TEXT["nl"]), "English and Dutch should label the same things"


@pytest.mark.slow
def test_the_lesson_kit_sets_both_worksheets_with_the_models_figures(tmp_path):
    from simulation.demo.lesson import LANGUAGES, LESSON, build

    for language in LANGUAGES:
        source = LESSON / f"worksheet.{language}.md"
        (tmp_path / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    questions = {
        language: re.findall(r"^\d+\. ", (tmp_path / f"worksheet.{language}.md").read_text(), flags=re.M)
        for language in LANGUAGES
    }
    assert len(set(map(len, questions.values()))) == 1, f"both worksheets should ask as many questions: {questions}"
    written = build(tmp_path, households=600)
    for pdf in written:
        content = pdf.read_bytes()
        assert content.startswith(b"%PDF"), f"{pdf.name} should be a PDF"
        assert content.count(b"/Subtype /Image") == 3, f"{pdf.name} should hold the model's three figures"
    figures = sorted(path.name for path in (tmp_path / "figures").iterdir())
    assert len(figures) == 3 * len(LANGUAGES), f"three figures per language, got {figures}"


def test_the_clock_writes_numbers_as_its_language_does():
    from simulation.demo.page import clock

    model = ClassroomModel(ClassroomSettings(scenario="flooding", households=200))
    model.step()
    years = model.reference.day / 365.25
    assert 0 < years < 30 and not float(f"{years:.1f}").is_integer(), f"expected a year with tenths, at {years}"
    dutch, english = clock(model, TEXT["nl"], "nl"), clock(model, TEXT["en"], "en")
    assert dutch.startswith(f"Jaar {years:.1f} van 30".replace(".", ",")), f"expected a decimal comma, got {dutch!r}"
    assert english.startswith(f"Year {years:.1f} of 30"), f"expected a decimal point in English, got {english!r}"
