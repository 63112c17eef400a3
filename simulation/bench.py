"""``veerkracht-bench``: set-up time, speed and peak memory of the default model at several sizes.

Each measurement runs in a fresh process, so that peak memory is that of one model. Rows: the
leak at each size for a fixed number of (hourly) steps, the burst included (time series
recorded); the flooding and sea-level-rise scenarios at 100k households; the leak in hourly steps
at 1M households over 14 days; and a default run (default population, whole horizon) of each
scenario. ``--demo`` times the class demo in a headless browser instead.
"""

from __future__ import annotations

import argparse
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

SCENARIOS = ("leak", "flooding", "sea_level_rise")


def measure(scenario: str, overrides: tuple[str, ...], steps: int | None) -> dict:
    """Build the model and run ``steps`` steps (None: to the horizon); return timings and peak memory."""
    from simulation import CrisisModel, load_config

    cfg = load_config(scenario=scenario, overrides=list(overrides))
    steps = cfg.scenario.n_steps if steps is None else min(steps, cfg.scenario.n_steps)
    start = time.perf_counter()
    model = CrisisModel(cfg)
    setup = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
    running = time.perf_counter() - start
    return {
        "scenario": scenario,
        "households": cfg.population.households,
        "steps": steps,
        "setup_s": setup,
        "run_s": running,
        "household_steps_per_s": cfg.population.households * steps / running,
        "peak_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
    }


def in_fresh_process(scenario: str, overrides: tuple[str, ...] = (), steps: int | None = None) -> dict:
    """``measure(...)`` in a new process."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(measure, scenario, overrides, steps).result()


def main(argv: list[str] | None = None) -> None:
    """Print the benchmark table."""
    parser = argparse.ArgumentParser(prog="veerkracht-bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--steps", type=int, default=60, help="steps per size (default 60)")
    parser.add_argument("--quick", action="store_true", help="only the per-size rows of the leak")
    parser.add_argument(
        "--demo", action="store_true", help="time the class demo in headless chromium instead (needs the test extras)"
    )
    args = parser.parse_args(argv)
    if args.demo:
        print_demo_timing()
        return

    size = lambda n: (f"population.households={n}",)  # noqa: E731
    rows = [("per size", in_fresh_process("leak", size(n), args.steps)) for n in args.sizes]
    if not args.quick:
        rows += [("100k", in_fresh_process(s, size(100_000), 200)) for s in ("flooding", "sea_level_rise")]
        rows.append(("1M, 14 days", in_fresh_process("leak", (*size(1_000_000), "scenario.horizon_days=14"))))
        rows += [("default run", in_fresh_process(s)) for s in SCENARIOS]

    print(
        f"{'row':<14} {'scenario':<15} {'households':>10} {'steps':>6} {'set-up s':>9} {'run s':>8} "
        f"{'household-steps/s':>18} {'wall s':>7} {'peak GiB':>9}"
    )
    for label, r in rows:
        print(
            f"{label:<14} {r['scenario']:<15} {r['households']:>10,} {r['steps']:>6} {r['setup_s']:>9.2f} "
            f"{r['run_s']:>8.2f} {r['household_steps_per_s']:>18,.0f} {r['setup_s'] + r['run_s']:>7.1f} "
            f"{r['peak_gib']:>9.2f}"
        )
    print("targets: >= 5M household-steps/s at 100k households; the 1M-household leak over 14 hourly days within 4 GiB")


def print_demo_timing() -> None:
    """Time the class demo at its default size: first render and seconds per step."""
    from simulation.demo.browser import time_demo

    t = time_demo()
    print(
        f"class demo, leak side by side, default households: first render {t['first_render_s']:.2f} s; "
        f"per step median {t['step_median_s']:.3f} s, mean {t['step_mean_s']:.3f} s, max {t['step_max_s']:.3f} s "
        f"over {t['steps']} steps (from pressing Step until the page shows the new day)"
    )


if __name__ == "__main__":
    main()
