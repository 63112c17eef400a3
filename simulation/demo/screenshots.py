"""The README's screenshots of the class demo, taken in headless chromium.

``make screenshots`` (``python -m simulation.demo.screenshots [FOLDER]``) serves the demo, drives
the page to each scene and writes its PNG to FOLDER (``docs/`` by default). Needs the test extras
(Playwright) and Debian's chromium, as the browser tests do.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from pathlib import Path

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

DOCS = Path(__file__).resolve().parents[2] / "docs"


def ten_seconds_of_play(page) -> None:
    """The default page (recurrent flooding, opened as the first flood strikes) after ten seconds of Play."""
    page.get_by_role("button", name="Play").click()
    page.wait_for_timeout(10_000)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for(timeout=WAIT_MS)


def in_projector_mode(page) -> None:
    """Ten seconds of Play, then the settings hidden and the text enlarged."""
    ten_seconds_of_play(page)
    page.get_by_text("Projector").click()
    page.get_by_text("Side by side: the same town twice").wait_for(state="detached", timeout=WAIT_MS)


def in_dutch(page) -> None:
    """Ten seconds of Play in Dutch."""
    page.get_by_role("button", name="Nederlands").click()
    page.get_by_role("button", name="Afspelen").wait_for(timeout=WAIT_MS)
    page.get_by_role("button", name="Afspelen").click()
    page.wait_for_timeout(10_000)
    page.get_by_role("button", name="Pauze").click()
    page.get_by_role("button", name="Afspelen").wait_for(timeout=WAIT_MS)


def the_leak_hours_after_the_burst(page) -> None:
    """The leak, opened an hour before the burst, eight hours after it."""
    choose(page, "Recurrent flooding (adaptation)", "Leak (coping)")
    page.get_by_role("button", name="Reset").click()
    page.get_by_text("Day 0, 11:00 (of 14 days)").wait_for(timeout=WAIT_MS)
    step_and_wait(page, 9)


def sea_level_rise_in_year_sixty(page) -> None:
    """Sea-level rise played fast to its seventh decade."""
    from playwright.sync_api import expect

    choose(page, "Recurrent flooding (adaptation)", "Sea-level rise (transformation)")
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".veerkracht-clock")).to_have_text(re.compile(r"Year \d+ of 100"), timeout=WAIT_MS)
    page.get_by_role("button", name="fast").click()
    page.get_by_role("button", name="Play").click()
    expect(page.locator(".veerkracht-clock")).to_have_text(re.compile(r"Year 6\d of 100"), timeout=3 * WAIT_MS)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for(timeout=WAIT_MS)


def ties_and_government_two_by_two(page) -> None:
    """Four towns, the leak eight hours after the burst."""
    choose(page, "Recurrent flooding (adaptation)", "Leak (coping)")
    choose(page, "low and high cohesion", "ties and government, two by two (four towns)")
    page.get_by_role("button", name="Reset").click()
    page.locator(".veerkracht-score-high-receptive").wait_for(timeout=WAIT_MS)
    step_and_wait(page, 9)


SCENES: dict[str, tuple[dict, Callable]] = {
    "demo.png": (PROJECTOR, ten_seconds_of_play),
    "demo-projector.png": (PROJECTOR, in_projector_mode),
    "demo-nl.png": (PROJECTOR, in_dutch),
    "demo-leak.png": (PROJECTOR, the_leak_hours_after_the_burst),
    "demo-sea_level_rise.png": (LARGE, sea_level_rise_in_year_sixty),
    "demo-two-by-two.png": (PROJECTOR, ties_and_government_two_by_two),
}


def take(folder: Path) -> list[Path]:
    """Serve the demo, play each scene in a fresh page and write its screenshot to ``folder``."""
    from playwright.sync_api import sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with demo_server() as (url, _), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for name, (viewport, scene) in SCENES.items():
            page = browser.new_page(viewport=viewport)
            page.goto(url)
            page.locator(".veerkracht-figure-recovery").wait_for(timeout=WAIT_MS)
            scene(page)
            page.screenshot(path=folder / name)
            written.append(folder / name)
            page.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Take the README's screenshots of the class demo.")
    parser.add_argument("folder", nargs="?", type=Path, default=DOCS, help="where to write them (default: docs/)")
    for path in take(parser.parse_args(argv).folder):
        print(path)


if __name__ == "__main__":
    main()
