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
LEAK = {"scenario": "leak", **SMALL}


def test_cohesion_control_spans_the_low_and_high_settings():
    assert ties_for_cohesion(0.0) == {"bonding_degree": 1.0, "bridging_degree": 0.0, "homophily": 0.9}
    assert ties_for_cohesion(1.0) == {"bonding_degree": 8.0, "bridging_degree": 4.0, "homophily": 0.3}
    with pytest.raises(ValueError, match=r"cohesion=1\.5 is not allowed"):
        ties_for_cohesion(1.5)


def test_moving_the_cohesion_control_sets_the_three_tie_keys():
    settings = ClassroomSettings().with_cohesion(1.0)
    assert (settings.bonding_degree, settings.bridging_degree, settings.homophily) == (8.0, 4.0, 0.3)


def test_side_by_side_is_the_same_town_with_other_ties():
    model = ClassroomModel(ClassroomSettings(**LEAK))
    low, high = model.communities["low"], model.communities["high"]
    for _ in range(5):
        model.step()
    for field in ("household_class", "neighbourhood", "economic", "cultural", "shock_day"):
        assert np.array_equal(
            getattr(low.households, field), getattr(high.households, field), equal_nan=field == "shock_day"
        ), f"both communities should share {field}: same seed, same households, same shock"
    assert high.networks.bonding.nnz > low.networks.bonding.nnz, "high cohesion should have more bonding ties"
    assert low.networks.bridging.nnz == 0, "low cohesion has no bridging ties"


def test_high_cohesion_recovers_faster_from_the_leak_side_by_side():
    model = ClassroomModel(ClassroomSettings(**LEAK))
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
    start = model.day
    model.step()
    assert model.day - start == pytest.approx(days), f"one page step of {scenario} should be {days} days"
    assert list(model.communities) == ["chosen"], "without side by side there is one community"


def test_the_run_stops_at_the_horizon():
    model = ClassroomModel(ClassroomSettings(side_by_side=False, **LEAK))
    steps = 0
    while model.running:
        model.step()
        steps += 1
    assert model.day == model.horizon_days, "the last page step ends at the horizon"
    assert steps == 14 * 24 - 11, "the leak's 14 days take one page step an hour, from 11:00 on the first day"


@pytest.mark.parametrize("households", [200, 800])
def test_the_leak_opens_an_hour_before_the_burst(households):
    model = ClassroomModel(ClassroomSettings(scenario="leak", households=households))
    onset = model.reference.cfg.scenario.onset_day
    assert model.day == pytest.approx(onset - 1 / 24), f"the page should open an hour before the burst, at {model.day}"
    model.step()
    assert model.events == 0, "nobody should be hit in the hour before the burst"
    model.step()
    assert model.events == 1 and scoreboard(model.communities["low"]).hit > 0, "the hour from noon brings the burst"


def test_flooding_opens_as_the_first_flood_strikes_and_is_the_default():
    model = ClassroomModel(ClassroomSettings(**SMALL))
    assert model.settings.scenario == "flooding", "the page should open on recurrent flooding"
    first = model.reference.event_log.events
    assert len(first) == 1, f"the page should open with the first flood struck, got {len(first)} events"
    assert model.day == pytest.approx(first[0].day + model.reference.dt), "it should stand right after that step"
    twin = ClassroomModel(ClassroomSettings(**SMALL))
    assert model.day == twin.day, "the same settings should open on the same day"


def test_bad_settings_name_the_key():
    with pytest.raises(ConfigError, match=r"households=0"):
        ClassroomSettings(households=0).configs()


@pytest.mark.parametrize(
    "settings",
    [
        ClassroomSettings(),
        ClassroomSettings(scenario="leak", compare="receptive_government"),
        ClassroomSettings(scenario="sea_level_rise", compare="ties_and_government", households=300),
        ClassroomSettings(side_by_side=False, delay_days=3.0, homophily=0.2),
    ],
    ids=["default", "lever", "two-by-two", "single"],
)
def test_the_page_builds_the_towns_hydra_would(settings):
    from simulation.compose import load_config

    for name, config in settings.configs().items():
        params = settings.params(name)
        overrides = [f"{key.replace('__', '.')}={value}" for key, value in params.items() if "__" in key]
        overrides += [f"population.households={settings.households}", f"seed={settings.seed}"]
        overrides.append(f"policy=[{','.join(params['policy'])}]")
        assert config == load_config(scenario=settings.scenario, overrides=overrides), (
            f"{name}: the page's keyword parameters should give the config Hydra composes from the same settings"
        )


def test_figures_change_when_the_model_steps_and_axes_grow():
    model = ClassroomModel(ClassroomSettings(**LEAK))
    figures = dashboard_figures(model, TEXT["en"], "en")
    before = {name: figure.png() for name, figure in figures.items()}
    for _ in range(16):  # past the burst at noon
        model.step()
    for name, figure in figures.items():
        assert figure.png() != before[name], f"the {name} figure should show the new state"
    assert ceiling(3.0, 100.0) == 5.0 and ceiling(30.0, 100.0) == 50.0, "shares (in %) step through the ceilings"
    assert ceiling(3.0, 10.0) == 10.5, "counts keep their fixed top, with room for a line at it"


def test_the_government_and_homophily_can_be_compared_and_only_they_differ():
    government = ClassroomModel(ClassroomSettings(compare="government", **LEAK))
    directive, receptive = (government.communities[name] for name in ("directive", "receptive"))
    assert (directive.cfg.government.receptivity, receptive.cfg.government.receptivity) == (0.0, 1.0), (
        "the two governments should start at the two ends of the above-below axis"
    )
    assert directive.cfg.network == receptive.cfg.network, "both towns should have the same ties"
    homophily = ClassroomModel(ClassroomSettings(compare="homophily", **LEAK))
    closed, mixed = (homophily.communities[name].cfg.network for name in ("closed", "mixed"))
    assert closed.homophily > mixed.homophily, "ties within one's class should have the higher homophily"
    assert (closed.bonding_degree, closed.bridging_degree) == (mixed.bonding_degree, mixed.bridging_degree), (
        "only homophily should differ"
    )


def test_ties_and_government_two_by_two_are_four_towns_that_differ_in_one_setting_each():
    model = ClassroomModel(ClassroomSettings(compare="ties_and_government", **LEAK))
    configs = {name: community.cfg for name, community in model.communities.items()}
    assert list(configs) == ["low-directive", "low-receptive", "high-directive", "high-receptive"]
    for ties in ("low", "high"):
        directive, receptive = configs[f"{ties}-directive"], configs[f"{ties}-receptive"]
        assert directive.network == receptive.network, f"{ties}: the two governments should meet the same ties"
        assert directive.government.receptivity < receptive.government.receptivity, "the stances should differ"
    assert configs["low-directive"].network.bonding_degree < configs["high-directive"].network.bonding_degree


def test_the_scoreboard_follows_the_latest_event():
    model = ClassroomModel(ClassroomSettings(**LEAK))
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
    first = model.reference.event_log.events[0]
    model.skip_to_next_event()
    latest = model.reference.event_log.events[-1]
    assert model.events == 2 and latest.day > first.day, "one skip should bring the next flood"
    assert model.day == pytest.approx(latest.day + model.reference.dt), "the page should stop right after its step"


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


def test_the_governments_settings_act_on_the_running_towns_unless_a_side_sets_them():
    from dataclasses import replace

    model = ClassroomModel(ClassroomSettings(compare="government", **LEAK))
    directive, receptive = (model.communities[name].government for name in ("directive", "receptive"))
    stances = (directive.own_dominance, receptive.own_dominance)
    model.govern(replace(model.settings, receptivity=0.9, delay_days=2.0, learning=0.1))
    assert (directive.own_dominance, receptive.own_dominance) == stances, "each side keeps the stance it compares"
    assert directive.delay_days == receptive.delay_days == 2.0, "the delay, which no side sets, should act at once"
    governed, left = (ClassroomModel(ClassroomSettings(side_by_side=False, households=300)) for _ in range(2))
    government = governed.communities["chosen"].government
    day = governed.day
    governed.govern(replace(governed.settings, receptivity=1.0))
    assert government.own_dominance == -1.0, "a fully receptive stance is -1 on the above-below axis"
    assert governed.settings.receptivity == 1.0 and governed.day == day, "the settings change, the clock does not"
    for _ in range(3):  # twelve weeks after the first flood, while the government answers the households
        governed.step()
        left.step()
    assert government.dominance < left.communities["chosen"].government.dominance, (
        "its current stance should move towards the receptive stance it took (below: reaching out)"
    )


def test_a_town_whose_lever_sets_the_government_keeps_it():
    from dataclasses import replace

    model = ClassroomModel(ClassroomSettings(compare="receptive_government", **LEAK))
    with_lever = model.communities["with"].government
    before = (with_lever.own_dominance, with_lever.delay_days)
    model.govern(replace(model.settings, receptivity=0.0, delay_days=30.0))
    assert (with_lever.own_dominance, with_lever.delay_days) == before, "the lever's government should stay"
    assert model.communities["without"].government.delay_days == 30.0, "the town without it should follow"


def test_the_recovery_curve_crosses_ninety_percent_at_the_scoreboards_time():
    from simulation.demo.figures import back_curve

    model = ClassroomModel(ClassroomSettings(**LEAK))
    while model.running and model.day < 2:
        model.step()
    for name, community in model.communities.items():
        t90 = scoreboard(community).t90_days
        days, share = back_curve(community.event_log.events[-1], model.day)
        assert t90 is not None, f"{name}: 90% should be back within a day of the burst"
        crossed = days[np.argmax(share >= 90.0)]
        assert crossed == pytest.approx(t90), f"{name}: the curve should reach 90% at t90 ({crossed} vs {t90} days)"
        assert np.all(np.diff(share) >= 0), "a share that had been back can only grow"


def test_the_difference_between_the_towns_is_said_with_its_unit():
    from dataclasses import replace

    from simulation.demo.page import difference

    model = ClassroomModel(ClassroomSettings(**SMALL))
    base = scoreboard(model.communities["low"])
    low, high = replace(base, t90_days=500.0), replace(base, t90_days=410.0)
    said = difference(model, {"low": low, "high": high}, TEXT["en"], "en")
    assert said == "High cohesion: 90% of those hit were back 3 months sooner than in the other town", said
    waiting = difference(model, {"low": replace(low, t90_days=None), "high": high}, TEXT["nl"], "nl")
    assert waiting == "Veel samenhang: 90% van de getroffenen was terug na 13 maanden; in de andere stad nog niet"
    level = {"low": replace(base, functioning=0.80), "high": replace(base, functioning=0.86)}
    assert "6 percentage points better" in difference(model, level, TEXT["en"], "en"), "functioning until t90"
    assert difference(model, {"low": replace(base, hit=0), "high": high}, TEXT["en"], "en") is None, (
        "nothing to compare before the crisis"
    )


def test_a_duration_can_be_written_in_a_given_unit():
    assert duration(410.0, unit="months") == "13 months" and duration(0.5, "nl", True, "hours") == "12 u", (
        "a given unit should be used whatever the size"
    )
    assert duration(3.0, unit="days", short=True) == "3 d", "short units"


def test_higher_dikes_switched_on_halfway_act_from_then_on():
    from dataclasses import replace

    with_dikes, without = (ClassroomModel(ClassroomSettings(side_by_side=False, households=300)) for _ in range(2))
    with_dikes.take_live(replace(with_dikes.settings, levers=("flood_defences",)))
    assert with_dikes.communities["chosen"].levers.names == ["flood_defences"], "the dikes should act at once"
    assert with_dikes.settings.levers == ("flood_defences",), "the running settings should hold them (no Reset)"
    while with_dikes.running:
        with_dikes.step()
        without.step()
    floods = [model.events for model in (with_dikes, without)]
    assert floods[0] < floods[1], f"higher dikes from the first flood on should let fewer floods through: {floods}"


def test_a_lever_that_acts_as_the_town_is_built_waits_for_reset():
    from dataclasses import replace

    model = ClassroomModel(ClassroomSettings(side_by_side=False, **LEAK))
    model.take_live(replace(model.settings, levers=("caring_neighbourhood", "co_design")))
    assert model.communities["chosen"].levers.names == ["co_design"], "only co-design can start halfway"
    assert model.settings.levers == ("co_design",), "the caring neighbourhood should stay pending until Reset"
    rebuilt = ClassroomModel(replace(model.settings, levers=("caring_neighbourhood",)))
    assert rebuilt.communities["chosen"].levers.names == ["caring_neighbourhood"], "Reset builds it in"


def test_a_comparison_waiting_for_reset_leaves_the_compared_lever_running():
    from dataclasses import replace

    model = ClassroomModel(ClassroomSettings(compare="flood_defences", side_by_side=True, **LEAK))
    model.take_live(replace(model.settings, compare="cohesion"))  # chosen, not yet Reset
    assert model.communities["with"].levers.names == ["flood_defences"], "the town with dikes keeps them until Reset"
    assert model.settings.compare == "flood_defences", "the running towns still compare the dikes"
