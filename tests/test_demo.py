"""The class demo in a real browser: headless Debian chromium driven by Playwright.

The server is started with the real command (``veerkracht demo --port N``). Chromium comes
from the system (``make test`` installs Debian's package when it is missing); Playwright never
downloads a browser. ``VEERKRACHT_CHROMIUM`` points elsewhere if needed. The screenshots in docs/teaching.md
are taken by ``make screenshots`` (``simulation.demo.screenshots``), not here.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Page, expect, sync_playwright

from simulation.demo.browser import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    LARGE,
    PROJECTOR,
    WAIT_MS,
    choose,
    demo_server,
    step_and_wait,
)
from simulation.demo.classroom import ClassroomModel, ClassroomSettings
from simulation.demo.figures import network_figure
from simulation.demo.inspector import drawn_pixels, household_facts, household_position
from simulation.demo.page import ADVANCED_SLIDERS
from simulation.demo.serve import ANNOUNCEMENT
from simulation.demo.texts import TEXT
from simulation.style import CLASS_NAMES, COMPARED_COLOURS

LANGUAGE_BUTTONS = {"en": "English", "nl": "Nederlands"}

pytestmark = pytest.mark.slow  # the fast tier leaves these out


@pytest.fixture(scope="module")
def demo_url():
    """``veerkracht demo`` on a free port; yields the address it printed."""
    with demo_server() as (url, printed):
        expected = f"{ANNOUNCEMENT} {url}"
        assert printed.startswith(expected), f"expected the command to print {expected!r}, it printed {printed!r}"
        yield url


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no chromium at {CHROMIUM}: `make test` installs Debian's package, or set VEERKRACHT_CHROMIUM")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def open_page(browser, demo_url):
    """Open the page in a fresh browser context (its own cookies, so its own session)."""
    contexts = []

    def opened(viewport: dict = PROJECTOR) -> Page:
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        page.goto(demo_url)
        expect(page.locator(".veerkracht-figure-recovery")).to_be_visible(timeout=WAIT_MS)
        return page

    yield opened
    for context in contexts:
        context.close()


def clock(page: Page) -> str:
    return page.locator(".veerkracht-clock").inner_text()


def score(page: Page, community: str, kind: str) -> str:
    return page.locator(f".veerkracht-score-{community}-{kind}").inner_text()


def in_first_viewport(page: Page, selector: str, viewport: dict) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"] + 1


def week(page: Page) -> int:
    """The week on the flooding clock ('Year 1.9 of 30 (week 97)')."""
    return int(re.search(r"\(week (\d+)\)", clock(page)).group(1))


def in_language(page: Page, language: str) -> None:
    """Switch the page to ``language`` and wait until it shows it."""
    page.get_by_role("button", name=LANGUAGE_BUTTONS[language]).click()
    expect(page.get_by_role("button", name=TEXT[language]["controls"]["reset"])).to_be_visible(timeout=WAIT_MS)


def play_for(page: Page, seconds: float, language: str = "en") -> None:
    """Press Play, wait ``seconds`` and press Pause (in the page's language)."""
    words = TEXT[language]["controls"]
    page.get_by_role("button", name=words["play"]).click()
    page.wait_for_timeout(1000 * seconds)
    page.get_by_role("button", name=words["pause"]).click()
    expect(page.get_by_role("button", name=words["play"])).to_be_visible(timeout=WAIT_MS)


# Every text on the first screen that must be whole and apart from the others: what the cards,
# the sentence under them, the clock and the controls write (leaves only: no element inside).
TEXTS_ON_THE_FIRST_SCREEN = """() => {
  const scope = [".veerkracht-clock", ".veerkracht-difference", "[class*=veerkracht-score-]", ".v-btn__content"];
  const found = [...document.querySelectorAll(scope.join(","))].filter(
    (e) => e.children.length === 0 && e.innerText.trim() && e.getClientRects().length);
  return found.map((e) => {
    const range = document.createRange();
    range.selectNodeContents(e);
    const r = range.getBoundingClientRect();  // the text itself, which may run out of its box
    const box = (e.closest(".v-card, .v-btn, header") || document.body).getBoundingClientRect();
    return {text: e.innerText.trim(), x: r.x, y: r.y, w: r.width, h: r.height,
            cut: r.right > Math.min(box.right, window.innerWidth) + 1 || r.left < box.left - 1};
  });
}"""


def overlaps_and_cuts(page: Page) -> list[str]:
    """Texts on the first screen that overlap another or are cut off, described."""
    boxes = [box for box in page.evaluate(TEXTS_ON_THE_FIRST_SCREEN) if box["y"] < page.viewport_size["height"]]
    problems = [f"{box['text']!r} is cut off" for box in boxes if box["cut"]]
    for i, one in enumerate(boxes):
        for other in boxes[i + 1 :]:
            across = min(one["x"] + one["w"], other["x"] + other["w"]) - max(one["x"], other["x"])
            down = min(one["y"] + one["h"], other["y"] + other["h"]) - max(one["y"], other["y"])
            if across > 1 and down > 1:
                problems.append(f"{one['text']!r} overlaps {other['text']!r}")
    return problems


def line_pixels(page: Page, selector: str, colour: str) -> int:
    """Pixels of a figure on the page in (nearly) ``colour``, a hex colour."""
    image = np.asarray(Image.open(io.BytesIO(page.locator(selector).screenshot())).convert("RGB")).astype(int)
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    return int(np.count_nonzero(np.abs(image - rgb).sum(axis=2) < 40))


@pytest.mark.parametrize("language", ["en", "nl"])
def test_ten_seconds_of_play_show_the_towns_apart(open_page, language):
    page = open_page(PROJECTOR)
    if language != "en":
        in_language(page, language)
    start = week(page)
    assert page.locator(".veerkracht-score-low-functioning").inner_text() != TEXT[language]["score"]["no_crisis"], (
        "the page should open as the first flood strikes, with those it hit on the cards"
    )
    play_for(page, 10, language)
    assert week(page) > start + 20, f"ten seconds of Play should pass more than 20 weeks, from week {start}"
    cards = {town: page.locator(f".veerkracht-score-{town}").inner_text() for town in ("low", "high")}
    numbers = {town: re.findall(r"\d+(?:[.,]\d)?\s?(?:%|mo|mnd|d)\b", card) for town, card in cards.items()}
    assert numbers["low"] != numbers["high"], f"the two towns' cards should differ after ten seconds: {numbers}"
    said = page.locator(".veerkracht-difference").inner_text()
    assert re.search(r"\d+ (months|maanden|percentage points|procentpunt)", said), (
        f"the difference between the towns should be said as a number with its unit, got {said!r}"
    )
    for town, colour in zip(("low", "high"), COMPARED_COLOURS, strict=False):
        drawn = line_pixels(page, ".veerkracht-figure-recovery", colour)
        assert drawn > 200, f"the {town} town's recovery should be drawn in the chart's window ({drawn} pixels)"
    assert not overlaps_and_cuts(page), f"at 1280x720 in {language}: {overlaps_and_cuts(page)}"
    page.get_by_text(TEXT[language]["controls"]["projector"]).click()
    page.wait_for_timeout(500)
    assert not overlaps_and_cuts(page), f"in projector mode in {language}: {overlaps_and_cuts(page)}"


@pytest.mark.parametrize("viewport", [PROJECTOR, LARGE], ids=["1280x720", "1600x1000"])
def test_the_scoreboard_and_the_recovery_chart_are_in_the_first_viewport(open_page, viewport):
    page = open_page(viewport)
    step_and_wait(page, 4)  # sixteen weeks after the first flood
    for selector in (
        ".veerkracht-score-low",
        ".veerkracht-score-high",
        ".veerkracht-figure-network",
        ".veerkracht-figure-recovery",
    ):
        assert in_first_viewport(page, selector, viewport), f"{selector} should be on the first screen at {viewport}"
    for button in ("Reset", "Play", "Step"):
        assert in_first_viewport(page, f"button:has-text('{button}')", viewport), f"{button} should be in view"
    low, high = (int(score(page, name, "functioning").rstrip("%")) for name in ("low", "high"))
    assert high > low, (
        f"after the flood, those hit in the high-cohesion town should function better ({high}% vs {low}%)"
    )


def test_stepping_moves_the_clock_and_the_charts(open_page):
    page = open_page()
    start = week(page)
    figures = {name: page.locator(f".veerkracht-figure-{name}") for name in ("network", "recovery", "classes")}
    before = {name: figure.screenshot() for name, figure in figures.items()}
    step_and_wait(page, 5)
    assert week(page) == start + 20, f"five steps of flooding are twenty weeks, from week {start}: {clock(page)}"
    for name, figure in figures.items():
        assert figure.screenshot() != before[name], f"the {name} figure should change when the model steps"


def test_every_advanced_control_has_a_width_and_shows_its_value(open_page):
    page = open_page()
    page.get_by_text("Advanced").click()
    for key, *_ in ADVANCED_SLIDERS:
        control = page.locator(f".veerkracht-advanced-{key}")
        expect(control).to_be_visible(timeout=WAIT_MS)
        slider = control.locator(".v-slider").bounding_box()
        assert slider and slider["width"] > 150, f"the {key} slider should have a usable width, got {slider}"
        label = control.inner_text()
        assert re.search(rf"{re.escape(TEXT['en'][key])}: [\d,.]+", label), f"the {key} label should show its value"


def test_two_government_stances_side_by_side_give_different_scoreboards(open_page):
    page = open_page()
    choose(page, "Recurrent flooding (adaptation)", "Leak (coping)")
    choose(page, "low and high cohesion", "a directive or a receptive government")
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".veerkracht-score-receptive")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text("Receptive government").first).to_be_visible()
    expect(page.locator(".veerkracht-clock")).to_have_text("Day 0, 11:00 (of 14 days)", timeout=WAIT_MS)
    step_and_wait(page, 9)  # eight hours after the burst: the water points have opened
    directive, receptive = (int(score(page, name, "functioning").rstrip("%")) for name in ("directive", "receptive"))
    assert receptive > directive, (
        f"eight hours into the leak, those hit should function better with a receptive government "
        f"({receptive}% vs {directive}%)"
    )


def test_a_flooding_run_skips_to_each_flood_and_ends_with_a_message(open_page):
    page = open_page(LARGE)
    expect(page.locator(".veerkracht-clock")).to_have_text(re.compile(r"Year \d+\.\d of 30 \(week \d+\)"))
    skip = page.get_by_role("button", name="To the next flood")
    for _ in range(60):
        if page.locator(".veerkracht-finished").count():
            break
        before = clock(page)
        skip.click()
        expect(page.locator(".veerkracht-clock")).not_to_have_text(before, timeout=WAIT_MS)
    expect(page.locator(".veerkracht-finished")).to_contain_text("Thirty years of floods are over", timeout=WAIT_MS)
    assert clock(page) == "Year 30.0 of 30 (week 1566)", f"the run should end at its horizon, at {clock(page)}"
    expect(page.get_by_role("button", name="Step")).to_be_disabled()


def test_a_change_of_scenario_waits_for_reset(open_page):
    page = open_page(LARGE)
    opened = clock(page)
    choose(page, "Recurrent flooding (adaptation)", "Leak (coping)")
    expect(page.locator(".veerkracht-pending")).to_be_visible(timeout=WAIT_MS)
    assert clock(page) == opened, "the running model does not change before Reset"
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".veerkracht-clock")).to_have_text("Day 0, 11:00 (of 14 days)", timeout=WAIT_MS)
    expect(page.locator(".veerkracht-pending")).to_have_count(0)


def test_the_governments_stance_acts_without_reset(open_page):
    page = open_page(LARGE)
    page.get_by_text("Advanced").click()
    before = clock(page)
    expect(page.locator(".veerkracht-advanced-receptivity")).to_be_visible(timeout=WAIT_MS)
    page.locator(".veerkracht-advanced-receptivity [role=slider]").press("End")  # fully receptive
    expect(page.locator(".veerkracht-advanced-receptivity")).to_contain_text(": 1.00", timeout=WAIT_MS)
    expect(page.locator(".veerkracht-pending")).to_have_count(0)
    assert clock(page) == before, "a change of the government's stance should not start the run again"


def test_higher_dikes_act_at_once_and_a_caring_neighbourhood_waits_for_reset(open_page):
    page = open_page(LARGE)
    before = clock(page)
    page.locator(".veerkracht-levers").click()
    page.get_by_role("option", name="higher dikes").click()
    page.keyboard.press("Escape")
    expect(page.locator(".veerkracht-levers")).to_contain_text("higher dikes", timeout=WAIT_MS)
    expect(page.locator(".veerkracht-pending")).to_have_count(0)
    assert clock(page) == before, "higher dikes should act in the running towns, without Reset"
    page.locator(".veerkracht-levers").click()
    page.get_by_role("option", name="a caring neighbourhood").click()
    page.keyboard.press("Escape")
    expect(page.locator(".veerkracht-pending")).to_be_visible(timeout=WAIT_MS)


def test_sea_level_rise_plays_and_draws_transformation(open_page):
    page = open_page(LARGE)
    choose(page, "Recurrent flooding (adaptation)", "Sea-level rise (transformation)")
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".veerkracht-clock")).to_have_text(re.compile(r"Year \d+ of 100"), timeout=WAIT_MS)
    page.get_by_role("button", name="fast").click()
    page.get_by_role("button", name="Play").click()
    expect(page.locator(".veerkracht-clock")).to_have_text(re.compile(r"Year [2-9]\d of 100"), timeout=3 * WAIT_MS)
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=WAIT_MS)
    expect(page.locator(".veerkracht-score-low").get_by_text("neighbourhoods transformed")).to_be_visible()


def test_two_sessions_do_not_share_a_model(open_page):
    first, second = open_page(), open_page()
    opened = week(first)
    step_and_wait(first, 3)
    assert week(second) == opened, "stepping one session leaves the other where it was"
    step_and_wait(second)
    assert week(second) == opened + 4, "the second session steps its own model"
    assert week(first) == opened + 12, "the first session's model did not move with the second"
    first.get_by_role("button", name="Reset").click()
    expect(first.locator(".veerkracht-clock")).to_contain_text(f"(week {opened})", timeout=WAIT_MS)


def english_words(tree: dict, dutch: dict) -> set[str]:
    """The project's English texts that Dutch writes differently (names shared by both languages left out)."""
    found = set()
    for key, value in tree.items():
        other = dutch[key]
        if isinstance(value, dict):
            found |= english_words(value, other)
        elif isinstance(value, str) and value != other:
            parts = {part.strip() for part in re.split(r"\{[^}]*\}", value)}
            found |= {part for part in parts if len(part) > 3 and part not in other}
    return found


def test_dutch_mode_has_no_english_labels_and_dutch_numbers(open_page):
    page = open_page(LARGE)
    step_and_wait(page, 4)
    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator(".veerkracht-clock")).to_have_text(re.compile(r"Jaar \d+,\d van 30"), timeout=WAIT_MS)
    page.get_by_text("Geavanceerd").click()
    page.wait_for_timeout(500)
    shown = page.inner_text("body")
    english = sorted(word for word in english_words(TEXT["en"], TEXT["nl"]) if word in shown)
    assert not english, f"Dutch mode should show no English text of the project's own, found {english}"
    assert "5.000 huishoudens" in shown, "Dutch numbers group thousands with a point"


def test_projector_mode_hides_the_settings_and_keeps_the_controls(open_page):
    page = open_page()
    step_and_wait(page, 5)  # twenty weeks after the first flood
    page.get_by_text("Projector").click()
    expect(page.get_by_text("Side by side: the same town twice")).to_have_count(0, timeout=WAIT_MS)
    for button in ("Reset", "Play", "Step"):
        assert in_first_viewport(page, f"button:has-text('{button}')", PROJECTOR), f"{button} should stay in view"
    for selector in (".veerkracht-score-low", ".veerkracht-score-high", ".veerkracht-figure-recovery"):
        assert in_first_viewport(page, selector, PROJECTOR), f"{selector} should fit the projector's 1280x720"


def test_host_opens_the_page_to_the_network_and_bad_hosts_are_refused():
    with demo_server(host="0.0.0.0") as (url, printed):
        lines = printed.splitlines()
        assert len(lines) == 2 and "students on the same network can open" in lines[1], (
            f"expected the address for students on a second line, got {printed!r}"
        )
        address = re.search(r"open (http://\S+)", lines[1])
        target = address.group(1) if address else url
        with urllib.request.urlopen(f"{target}/readyz", timeout=10) as response:
            assert response.status == 200, f"the page should answer at {target}"
    refused = subprocess.run(
        [sys.executable, "-c", "from simulation.cli import main; main()", "demo", "--host", "classroom"],
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2, "a bad --host should exit with 2"
    assert "--host='classroom' is not allowed: expected an IPv4 address" in refused.stderr, refused.stderr


def test_ties_and_government_two_by_two_are_readable_at_1280x720(open_page):
    page = open_page(PROJECTOR)
    choose(page, "Recurrent flooding (adaptation)", "Leak (coping)")
    choose(page, "low and high cohesion", "ties and government, two by two (four towns)")
    page.get_by_role("button", name="Reset").click()
    towns = ("low-directive", "low-receptive", "high-directive", "high-receptive")
    for town in towns:
        expect(page.locator(f".veerkracht-score-{town}")).to_be_visible(timeout=WAIT_MS)
    step_and_wait(page, 9)  # eight hours after the burst: the water points have opened
    for name in ("network", "recovery"):
        height = page.locator(f".veerkracht-figure-{name}").bounding_box()["height"]
        assert height > 300, f"the two-by-two {name} figure should be over 300 px tall at 1280x720, got {height:.0f}"
    assert not overlaps_and_cuts(page), f"two by two at 1280x720: {overlaps_and_cuts(page)}"
    functioning = {town: int(score(page, town, "functioning").rstrip("%")) for town in towns}
    assert functioning["low-receptive"] > functioning["low-directive"], (
        f"with few ties, a receptive government should leave those hit functioning better: {functioning}"
    )


@pytest.fixture(scope="module")
def target():
    """The page's first model (the default settings), and its drawn household farthest from any other dot
    among those the crisis hit, so that its state moves with the next step.

    Returns the model, the community, the household, its class and where it is drawn (fractions of the image).
    """
    model = ClassroomModel(ClassroomSettings())
    live = network_figure(model, TEXT["en"])
    live.png()
    name = next(iter(model.communities))
    pixels = drawn_pixels(live.figure, model)[name]
    gaps = np.hypot(*(pixels[:, None, :] - pixels[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(gaps, np.inf)
    h = model.communities[name].households
    hit = ~np.isnan(h.shock_day[model.view.households])
    household = int(model.view.households[np.argmax(np.where(hit, gaps.min(axis=1), 0.0))])
    class_name = h.class_names[h.household_class[household]]
    return model, name, household, class_name, household_position(live.figure, model, (name, household))


def click_at(page: Page, selector: str, fractions: tuple[float, float]) -> None:
    """Click the element at fractions of its width and height from its top left corner."""
    box = page.locator(selector).bounding_box()
    page.mouse.click(box["x"] + fractions[0] * box["width"], box["y"] + fractions[1] * box["height"])


def test_a_click_on_a_household_shows_its_state_until_closed(open_page, target):
    model, name, household, class_name, where = target
    page = open_page()
    card = page.locator(".veerkracht-household")
    expect(card).to_have_count(0)
    click_at(page, ".veerkracht-figure-network", where)
    expect(card).to_be_visible(timeout=WAIT_MS)
    words = TEXT["en"]["household"]
    expect(card.locator(".veerkracht-household-title")).to_have_text(words["title"].format(household=household))
    expect(card).to_contain_text(CLASS_NAMES["en"][class_name])
    expect(card).to_contain_text(words["savings"])
    expect(page.locator(".veerkracht-clickable-marker")).to_have_count(1)  # the household is ringed
    step_and_wait(page)
    model.step()  # the page's model, stepped as the page did: the card follows it
    for _, value in household_facts(model, (name, household), "en"):
        expect(card).to_contain_text(value, timeout=WAIT_MS)
    page.get_by_role("button", name="Nederlands").click()
    expect(card).to_contain_text(CLASS_NAMES["nl"][class_name], timeout=WAIT_MS)
    expect(card).to_contain_text(TEXT["nl"]["household"]["functioning"])
    card.locator(".veerkracht-household-close").click()
    expect(card).to_have_count(0, timeout=WAIT_MS)
