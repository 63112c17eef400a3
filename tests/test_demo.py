"""The class demo in a real browser: headless Debian chromium driven by Playwright.

The server is started with the real command (``veerkracht demo --port N``). Chromium comes
from the system (``make test`` installs Debian's package when it is missing); Playwright never
downloads a browser. ``VEERKRACHT_CHROMIUM`` points elsewhere if needed.
"""

from __future__ import annotations

import os
import re
import select
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

CHROMIUM = os.environ.get("VEERKRACHT_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT = Path(__file__).resolve().parents[1] / "outputs" / "demo.png"
WAIT_MS = 60_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_ready(url: str, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, f"the demo server stopped with exit code {server.returncode}"
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"the demo server did not answer at {url} within {seconds} s")


@pytest.fixture(scope="module")
def demo_url():
    """``veerkracht demo`` on a free port; yields the address it printed."""
    port = free_port()
    command = [sys.executable, "-c", "from simulation.cli import main; main()", "demo", "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_ready(url, server)
        ready, _, _ = select.select([server.stdout], [], [], 10)
        printed = server.stdout.readline() if ready else ""
        assert url in printed, f"expected the command to print the address {url}, it printed {printed!r}"
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no chromium at {CHROMIUM}: `make test` installs Debian's package, or set VEERKRACHT_CHROMIUM")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
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


def step(page: Page, times: int = 1) -> None:
    """Press Step and wait until the clock has moved, ``times`` times."""
    for _ in range(times):
        before = clock(page)
        page.get_by_role("button", name="Step").click()
        expect(page.locator(".veerkracht-clock")).not_to_have_text(before, timeout=WAIT_MS)


def recovered_percent(page: Page, community: str) -> int:
    text = page.locator(f".veerkracht-readout-{community}").inner_text()
    found = re.search(r"recovered (\d+)%", text)
    assert found, f"expected 'recovered N%' in the {community} readout, got {text!r}"
    return int(found.group(1))


def test_page_loads_and_stepping_moves_the_charts(open_page):
    page = open_page()
    assert clock(page) == "Day 0 of 120", "a fresh page starts on day 0 of the leak"
    figures = {name: page.locator(f".veerkracht-figure-{name}") for name in ("network", "classes", "indicators")}
    before = {name: figure.screenshot() for name, figure in figures.items()}
    step(page, 3)
    assert clock(page) == "Day 3 of 120", "three steps of the leak are three days"
    for name, figure in figures.items():
        assert figure.screenshot() != before[name], f"the {name} figure should change when the model steps"
    SCREENSHOT.parent.mkdir(exist_ok=True)
    step(page, 7)
    page.screenshot(path=SCREENSHOT, full_page=True)


def test_side_by_side_communities_differ(open_page):
    page = open_page()
    step(page, 12)
    low, high = recovered_percent(page, "low"), recovered_percent(page, "high")
    assert high > low, f"after 12 days the high-cohesion town should have recovered more ({high}% vs {low}%)"


def test_switching_scenario_applies_on_reset(open_page):
    page = open_page()
    page.locator(".v-select__slot").filter(has_text="Leak (coping)").click()
    page.get_by_role("option", name="Recurrent flooding (adaptation)").click()
    expect(page.locator(".veerkracht-pending")).to_be_visible(timeout=WAIT_MS)
    assert clock(page) == "Day 0 of 120", "the running model does not change before Reset"
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".veerkracht-clock")).to_have_text("Year 0.0 of 30 (week 0)", timeout=WAIT_MS)
    expect(page.locator(".veerkracht-pending")).to_have_count(0)
    step(page, 13)
    assert clock(page) == "Year 1.0 of 30 (week 52)", "thirteen steps of four weeks are 52 weeks"


def test_reset_starts_again(open_page):
    page = open_page()
    step(page, 2)
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".veerkracht-clock")).to_have_text("Day 0 of 120", timeout=WAIT_MS)


def test_two_sessions_do_not_share_a_model(open_page):
    first, second = open_page(), open_page()
    step(first, 3)
    assert clock(second) == "Day 0 of 120", "stepping one session leaves the other where it was"
    step(second)
    assert clock(second) == "Day 1 of 120", "the second session steps its own model"
    assert clock(first) == "Day 3 of 120", "the first session's model did not move with the second"


def test_language_switch(open_page):
    page = open_page()
    page.get_by_role("button", name="Nederlands").click()
    expect(page.locator(".veerkracht-clock")).to_have_text("Dag 0 van 120", timeout=WAIT_MS)
    expect(page.get_by_text("Lek (opvangen)").first).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.locator(".veerkracht-clock")).to_have_text("Day 0 of 120", timeout=WAIT_MS)
