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


def leak_in_projector_mode(page) -> None:
    """The leak eight hours after the burst, settings hidden."""
    step_and_wait(page, 20)
    page.get_by_text("Projector").click()
    page.get_by_text("Side by side: the same town twice").wait_for(state="detached", timeout=WAIT_MS)


def flooding_after_the_first_flood(page) -> None:
    """Recurrent flooding, six weeks after the first flood."""
    choose(page, "Leak (coping)", "Recurrent flooding (adaptation)")
    page.get_by_role("button", name="Reset").click()
    page.get_by_text("Year 0.0 of 30 (week 0)").wait_for(timeout=WAIT_MS)
    page.get_by_role("button", name="To the next flood").click()
    page.get_by_text("Year 0.0 of 30 (week 0)").wait_for(state="detached", timeout=WAIT_MS)
    step_and_wait(page, 6)


def sea_level_rise_in_year_sixty(page) -> None:
    """Sea-level rise played fast to its seventh decade."""
    from playwright.sync_api import expect

    choose(page, "Leak (coping)", "Sea-level rise (transformation)")
    page.get_by_role("button", name="Reset").click()
    page.get_by_text("Year 0 of 100").wait_for(timeout=WAIT_MS)
    page.get_by_role("button", name="fast").click()
    page.get_by_role("button", name="Play").click()
    expect(page.locator(".veerkracht-clock")).to_have_text(re.compile(r"Year 6\d of 100"), timeout=3 * WAIT_MS)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Play").wait_for(timeout=WAIT_MS)


def ties_and_government_two_by_two(page) -> None:
    """Four towns, the leak four hours after the burst."""
    choose(page, "low and high cohesion", "ties and government, two by two (four towns)")
    page.get_by_role("button", name="Reset").click()
    page.locator(".veerkracht-score-high-receptive").wait_for(timeout=WAIT_MS)
    step_and_wait(page, 16)


SCENES: dict[str, tuple[dict, Callable]] = {
    "demo.png": (PROJECTOR, leak_in_projector_mode),
    "demo-flooding.png": (LARGE, flooding_after_the_first_flood),
    "demo-sea_level_rise.png": (LARGE, sea_level_rise_in_year_sixty),
    "demo-two-by-two.png": (LARGE, ties_and_government_two_by_two),
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
