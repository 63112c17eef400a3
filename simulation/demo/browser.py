"""The class demo in a headless browser: serving it for a test or a timing, and timing it.

Needs the test extras (Playwright) and a chromium on the system (Debian's package; Playwright
never downloads one here). ``veerkracht-bench --demo`` prints the timings.
"""

from __future__ import annotations

import os
import select
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from simulation.demo.serve import is_ready

CHROMIUM = os.environ.get("VEERKRACHT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT_MS = 60_000
PROJECTOR, LARGE = {"width": 1280, "height": 720}, {"width": 1600, "height": 1000}  # viewports


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def demo_server(seconds: float = 120, host: str | None = None) -> Iterator[tuple[str, str]]:
    """Run ``veerkracht demo`` on a free port (and ``--host`` if given); yield its address and what it printed first."""
    port = free_port()
    command = [sys.executable, "-c", "from simulation.cli import main; main()", "demo", "--port", str(port)]
    command += ["--host", host] if host else []
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + seconds
        while not is_ready(url):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the demo server did not come up at {url} (exit code {server.poll()})")
            time.sleep(0.3)
        readable, _, _ = select.select([server.stdout], [], [], 10)
        # The address for the room follows at once when the page is opened to the network.
        lines = 2 if host not in (None, "127.0.0.1") else 1
        yield url, "".join(server.stdout.readline() for _ in range(lines)) if readable else ""
    finally:
        server.terminate()
        server.wait(timeout=30)


def step_and_wait(page, times: int = 1) -> list[float]:
    """Press Step ``times`` times, each time waiting until the clock moved; return the seconds each took."""
    from playwright.sync_api import expect

    seconds = []
    for _ in range(times):
        clock = page.locator(".veerkracht-clock")
        before = clock.inner_text()
        start = time.perf_counter()
        page.get_by_role("button", name="Step").click()
        expect(clock).not_to_have_text(before, timeout=WAIT_MS)
        seconds.append(time.perf_counter() - start)
    return seconds


def choose(page, current: str, option: str) -> None:
    """Pick ``option`` in the select that shows ``current``."""
    page.locator(".v-select__slot").filter(has_text=current).click()
    page.get_by_role("option", name=option).click()


def time_demo(steps: int = 30, loads: int = 3, resets: int = 5) -> dict[str, float]:
    """Seconds the default page takes: from opening until its first figure shows (best of ``loads``), per step
    (from pressing Step until the clock moved) and per Reset (from pressing it until the page stands at its
    opening again, after a step)."""
    from playwright.sync_api import expect, sync_playwright

    with demo_server() as (url, _), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        first_render = []
        for _ in range(loads):
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            start = time.perf_counter()
            page.goto(url)
            page.locator(".veerkracht-figure-recovery").wait_for(timeout=WAIT_MS)
            first_render.append(time.perf_counter() - start)
        per_step = step_and_wait(page, steps)
        clock = page.locator(".veerkracht-clock")
        per_reset = []
        for _ in range(resets):
            step_and_wait(page)
            moved = clock.inner_text()
            start = time.perf_counter()
            page.get_by_role("button", name="Reset").click()
            expect(clock).not_to_have_text(moved, timeout=WAIT_MS)
            page.locator(".veerkracht-figure-recovery").wait_for(timeout=WAIT_MS)
            per_reset.append(time.perf_counter() - start)
        browser.close()
    return {
        "first_render_s": min(first_render),
        "step_median_s": statistics.median(per_step),
        "step_max_s": max(per_step),
        "reset_median_s": statistics.median(per_reset),
        "steps": steps,
        "resets": resets,
    }
