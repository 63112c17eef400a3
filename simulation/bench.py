"""``veerkracht-bench``: set-up time, speed and peak memory of the default model at several sizes.

Each measurement runs in a fresh process, so that peak memory is that of one model. Rows:
one per size (a fixed number of steps of the default scenario, time series recorded), then a
full run: 1M households through 365 daily steps of the leak.
"""

from __future__ import annotations

import argparse
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context


def measure(scenario: str, households: int, steps: int, step_days: float | None) -> dict[str, float]:
    """Build the default model at this size and run ``steps`` steps; return timings and peak memory."""
    from simulation import CrisisModel, load_config

    overrides = [f"population.households={households}"]
    if step_days is not None:
        overrides += [f"scenario.step_days={step_days}", f"scenario.horizon_days={steps * step_days}"]
    cfg = load_config(scenario=scenario, overrides=overrides)
    steps = min(steps, cfg.scenario.n_steps)
    start = time.perf_counter()
    model = CrisisModel(cfg)
    setup = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
    running = time.perf_counter() - start
    return {
        "households": households,
        "steps": steps,
        "setup_s": setup,
        "run_s": running,
        "household_steps_per_s": households * steps / running,
        "peak_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
    }


def in_fresh_process(*args) -> dict[str, float]:
    """``measure(*args)`` in a new process."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(measure, *args).result()


def main(argv: list[str] | None = None) -> None:
    """Print the benchmark table."""
    parser = argparse.ArgumentParser(prog="veerkracht-bench", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--steps", type=int, default=60, help="steps per size (default 60)")
    parser.add_argument("--scenario", default="leak")
    parser.add_argument("--no-full", action="store_true", help="skip the 1M x 365-day leak run")
    args = parser.parse_args(argv)

    print(f"scenario {args.scenario}, {args.steps} steps per size, time series recorded")
    print(f"{'households':>11} {'steps':>6} {'set-up s':>9} {'run s':>8} {'household-steps/s':>18} {'peak GiB':>9}")
    rows = [in_fresh_process(args.scenario, n, args.steps, None) for n in args.sizes]
    if not args.no_full:
        rows.append(in_fresh_process("leak", 1_000_000, 365, 1.0))
    for row in rows:
        print(
            f"{row['households']:>11,} {row['steps']:>6} {row['setup_s']:>9.2f} {row['run_s']:>8.2f} "
            f"{row['household_steps_per_s']:>18,.0f} {row['peak_gib']:>9.2f}"
        )
    if not args.no_full:
        full = rows[-1]
        print(
            f"full leak run, 1M households x 365 days: {full['setup_s'] + full['run_s']:.1f} s wall, "
            f"{full['peak_gib']:.2f} GiB peak (targets: 120 s, 4 GiB)"
        )


if __name__ == "__main__":
    main()
