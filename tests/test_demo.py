"""The class demo in a real browser: headless Debian chromium driven by Playwright.

The server is started with the real command (``veerkracht demo --port N``). Chromium comes
from the system (``make test`` installs Debian's package when it is missing); Playwright never
downloads a browser. ``VEERKRACHT_CHROMIUM`` points elsewhere if needed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from simulation.demo.browser import CHROMIUM, CHROMIUM_FLAGS, WAIT_MS, demo_server, step_and_wait
from simulation.demo.serve import ANNOUNCEMENT

SCREENSHOT = Path(__file__).resolve().parents[1] / "outputs" / "demo.png"

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

    def opened() -> Page:
        context = browser.new_context(viewport={"width": 1500, "height": 1300})
        contexts.append(context)
        page = context.new_page()
        page.goto(demo_url)
        expect(page.locator(".veerkracht-clock")).to_be_visible(timeout=WAIT_MS)
        return page

    yield opened
    for context in contexts:
        context.close()


def clock(page: Page) -> str:
    return page.locator(".veerkracht-clock").inner_text()


def readout_percent(page: Page, community: str, label: str) -> int:
    text = page.locator(f".veerkracht-readout-{community}").inner_text()
    found = re.search(rf"{label} (\d+)%", text)
    assert found, f"expected '{label} N%' in the {community} readout, got {text!r}"
    return int(found.group(1))


def test_page_loads_and_stepping_moves_the_charts(open_page):
    page = open_page()
    assert clock(page) == "Day 0, 00:00 (of 14 days)", "a fresh page starts on day 0 of the leak"
    figures = {name: page.locator(f".veerkracht-figure-{name}") for name in ("network", "classes", "indicators")}
    before = {name: figure.screenshot() for name, figure in figures.items()}
    step_and_wait(page, 3)
    assert clock(page) == "Day 0, 03:00 (of 14 days)", "three steps of the leak are three hours"
    for name, figure in figures.items():
        assert figure.screenshot() != before[name], f"the {name} figure should change when the model steps"
    SCREENSHOT.parent.mkdir(exist_ok=True)
    step_and_wait(page, 7)
    page.screenshot(path=SCREENSHOT, full_page=True)


def test_side_by_side_communities_differ(open_page):
    page = open_page()
    step_and_wait(page, 16)  # four hours after the burst at noon
    low, high = (readout_percent(page, name, "functioning") for name in ("low", "high"))
    assert high > low, f"without water, the high-cohesion town should function better ({high}% vs {low}%)"


def test_a_lever_can_be_compared_side_by_side(open_page):
    page = open_page()
    page.locator(".v-select__slot").filter(has_text="low and high cohesion").click()
    page.get_by_role("option", name="without and with a receptive government").click()
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".veerkracht-readout-with")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text("With a receptive government:").first).to_be_visible()
    step_and_wait(page, 2)
    readout = page.locator(".veerkracht-readout-without").inner_text()
    assert "trust in government" in readout, f"expected trust in the readout, got {readout!r}"


def test_switching_scenario_applies_on_reset(open_page):
    page = open_page()
    page.locator(".v-select__slot").filter(has_text="Leak (coping)").click()
    page.get_by_role("option", name="Recurrent flooding (adaptation)").click()
    expect(page.locator(".veerkracht-pending")).to_be_visible(timeout=WAIT_MS)
    assert clock(page) == "Day 0, 00:00 (of 14 days)", "the running model does not change before Reset"
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".veerkracht-clock")).to_have_text("Year 0.0 of 30 (week 0)", timeout=WAIT_MS)
    expect(page.locator(".veerkracht-pending")).to_have_count(0)
    step_and_wait(page, 13)
    assert clock(page) == "Year 1.0 of 30 (week 52)", "thirteen steps of four weeks are 52 weeks"


def test_reset_starts_again(open_page):
    page = open_page()
    step_and_wait(page, 2)
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".veerkracht-clock")).to_have_text("Day 0, 00:00 (of 14 days)", timeout=WAIT_MS)


def test_two_sessions_do_not_share_a_model(open_page):
    first, second = open_page(), open_page()
    step_and_wait(first, 3)
    assert clock(second) == "Day 0, 00:00 (of 14 days)", "stepping one session leaves the other where it was"
    step_and_wait(second)
    assert clock(second) == "Day 0, 01:00 (of 14 days)", "the second session steps its own model"
    assert clock(first) == "Day 0, 03:00 (of 14 days)", "the first session's model did not move with the second"


def test_language_switch(open_page):
    page = open_page()
    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator(".veerkracht-clock")).to_have_text("Dag 0, 00:00 (van 14 dagen)", timeout=WAIT_MS)
    expect(page.get_by_text("Lek (opvangen)").first).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.locator(".veerkracht-clock")).to_have_text("Day 0, 00:00 (of 14 days)", timeout=WAIT_MS)
