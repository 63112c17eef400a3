"""The class demo in a real browser: headless Debian chromium driven by Playwright.

The server is started with the real command (``veerkracht demo --port N``). Chromium comes
from the system (``make test`` installs Debian's package when it is missing); Playwright never
downloads a browser. ``VEERKRACHT_CHROMIUM`` points elsewhere if needed. The screenshots in docs/teaching.md
are taken by ``make screenshots`` (``simulation.demo.screenshots``), not here.
"""

from __future__ import annotations

import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
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
from simulation.demo.page import ADVANCED_SLIDERS
from simulation.demo.serve import ANNOUNCEMENT
from simulation.demo.texts import TEXT

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


@pytest.mark.parametrize("viewport", [PROJECTOR, LARGE], ids=["1280x720", "1600x1000"])
def test_the_scoreboard_and_the_recovery_chart_are_in_the_first_viewport(open_page, viewport):
    page = open_page(viewport)
    step_and_wait(page, 16)  # four hours after the burst at noon
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
    assert high > low, f"without water, the high-cohesion town should function better ({high}% vs {low}%)"


def test_stepping_moves_the_clock_and_the_charts(open_page):
    page = open_page()
    assert clock(page) == "Day 0, 00:00 (of 14 days)", "a fresh page starts on day 0 of the leak"
    figures = {name: page.locator(f".veerkracht-figure-{name}") for name in ("network", "recovery", "classes")}
    before = {name: figure.screenshot() for name, figure in figures.items()}
    step_and_wait(page, 20)
    assert clock(page) == "Day 0, 20:00 (of 14 days)", "twenty steps of the leak are twenty hours"
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
    choose(page, "low and high cohesion", "a directive or a receptive government")
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".veerkracht-score-receptive")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text("Receptive government").first).to_be_visible()
    step_and_wait(page, 20)  # eight hours after the burst: the water points have opened
    directive, receptive = (int(score(page, name, "functioning").rstrip("%")) for name in ("directive", "receptive"))
    assert receptive > directive, (
        f"eight hours into the leak, those hit should function better with a receptive government "
        f"({receptive}% vs {directive}%)"
    )


def test_a_flooding_run_skips_to_each_flood_and_ends_with_a_message(open_page):
    page = open_page(LARGE)
    choose(page, "Leak (coping)", "Recurrent flooding (adaptation)")
    expect(page.locator(".veerkracht-pending")).to_be_visible(timeout=WAIT_MS)
    assert clock(page) == "Day 0, 00:00 (of 14 days)", "the running model does not change before Reset"
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".veerkracht-clock")).to_have_text("Year 0.0 of 30 (week 0)", timeout=WAIT_MS)
    expect(page.locator(".veerkracht-pending")).to_have_count(0)
    skip = page.get_by_role("button", name="To the next flood")
    skip.click()
    expect(page.locator(".veerkracht-clock")).not_to_have_text("Year 0.0 of 30 (week 0)", timeout=WAIT_MS)
    step_and_wait(page, 6)
    for _ in range(60):
        if page.locator(".veerkracht-finished").count():
            break
        before = clock(page)
        skip.click()
        expect(page.locator(".veerkracht-clock")).not_to_have_text(before, timeout=WAIT_MS)
    expect(page.locator(".veerkracht-finished")).to_contain_text("Thirty years of floods are over", timeout=WAIT_MS)
    assert clock(page) == "Year 30.0 of 30 (week 1566)", f"the run should end at its horizon, at {clock(page)}"
    expect(page.get_by_role("button", name="Step")).to_be_disabled()


def test_sea_level_rise_plays_and_draws_transformation(open_page):
    page = open_page(LARGE)
    choose(page, "Leak (coping)", "Sea-level rise (transformation)")
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".veerkracht-clock")).to_have_text("Year 0 of 100", timeout=WAIT_MS)
    page.get_by_role("button", name="fast").click()
    page.get_by_role("button", name="Play").click()
    expect(page.locator(".veerkracht-clock")).to_have_text(re.compile(r"Year [6-9]\d of 100"), timeout=3 * WAIT_MS)
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=WAIT_MS)
    expect(page.locator(".veerkracht-score-low").get_by_text("neighbourhoods transformed")).to_be_visible()


def test_two_sessions_do_not_share_a_model(open_page):
    first, second = open_page(), open_page()
    step_and_wait(first, 3)
    assert clock(second) == "Day 0, 00:00 (of 14 days)", "stepping one session leaves the other where it was"
    step_and_wait(second)
    assert clock(second) == "Day 0, 01:00 (of 14 days)", "the second session steps its own model"
    assert clock(first) == "Day 0, 03:00 (of 14 days)", "the first session's model did not move with the second"
    page = first
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".veerkracht-clock")).to_have_text("Day 0, 00:00 (of 14 days)", timeout=WAIT_MS)


def english_words(tree: dict, dutch: dict) -> set[str]:
    """The project's English texts that Dutch writes differently (names shared by both languages left out)."""
    found = set()
    for key, value in tree.items():
        other = dutch[key]
        if isinstance(value, dict):
            found |= english_words(value, other)
        elif isinstance(value, str) and value != other:
            found |= {part.strip() for part in re.split(r"\{[^}]*\}", value) if len(part.strip()) > 3}
    return found


def test_dutch_mode_has_no_english_labels_and_dutch_numbers(open_page):
    page = open_page(LARGE)
    step_and_wait(page, 16)
    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator(".veerkracht-clock")).to_have_text("Dag 0, 16:00 (van 14 dagen)", timeout=WAIT_MS)
    page.get_by_text("Geavanceerd").click()
    page.wait_for_timeout(500)
    shown = page.inner_text("body")
    english = sorted(word for word in english_words(TEXT["en"], TEXT["nl"]) if word in shown)
    assert not english, f"Dutch mode should show no English text of the project's own, found {english}"
    assert "5.000 huishoudens" in shown, "Dutch numbers group thousands with a point"


def test_projector_mode_hides_the_settings_and_keeps_the_controls(open_page):
    page = open_page()
    step_and_wait(page, 20)  # eight hours after the burst: many are back
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


def test_ties_and_government_two_by_two_fit_a_large_screen(open_page):
    page = open_page(LARGE)
    choose(page, "low and high cohesion", "ties and government, two by two (four towns)")
    page.get_by_role("button", name="Reset").click()
    towns = ("low-directive", "low-receptive", "high-directive", "high-receptive")
    for town in towns:
        expect(page.locator(f".veerkracht-score-{town}")).to_be_visible(timeout=WAIT_MS)
    step_and_wait(page, 20)  # eight hours after the burst: the water points have opened
    for selector in (
        *(f".veerkracht-score-{town}" for town in towns),
        ".veerkracht-figure-network",
        ".veerkracht-figure-recovery",
    ):
        assert in_first_viewport(page, selector, LARGE), f"{selector} should be on the first screen at 1600x1000"
    functioning = {town: int(score(page, town, "functioning").rstrip("%")) for town in towns}
    assert functioning["low-receptive"] > functioning["low-directive"], (
        f"with few ties, a receptive government should leave those hit functioning better: {functioning}"
    )
