"""``veerkracht-bench``: set-up time, speed and peak memory of the default model at several sizes.

Each measurement runs in a fresh process, so that peak memory is that of one model. Rows: the
leak at each size for a fixed number of (hourly) steps, the burst included (time series
recorded); the flooding and sea-level-rise scenarios at 100k households; the leak in hourly steps
at 1M households over 14 days; and a default run (default population, whole horizon) of each
scenario. ``--national`` times flooding for a year at 100k to 8M households (every Dutch
household) instead. ``--demo`` times the class demo in a headless browser instead; ``--reference`` times
the vectorised engine against the per-agent reference engine. ``--against DIR``
compares this checkout with another (say, an earlier commit in a git worktree) on the same rows:
two long-lived processes run the same steps in alternating chunks and count CPU seconds, so that
a machine that slows down or speeds up during the comparison slows both alike.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
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


# Runs in a checkout's own process (any version with ``CrisisModel`` and ``load_config``): builds
# the model, then for each chunk size read from stdin takes that many steps (starting a new run,
# set-up not counted, when one ends) and prints the CPU seconds they took.
CHUNK_WORKER = """
import json, sys, time
from simulation import CrisisModel, load_config
cfg = load_config(scenario=sys.argv[1], overrides=json.loads(sys.argv[2]))
steps = cfg.scenario.n_steps if sys.argv[3] == "None" else min(int(sys.argv[3]), cfg.scenario.n_steps)
model, done = CrisisModel(cfg), 0
print("ready", flush=True)
for line in sys.stdin:
    cpu = 0.0
    for _ in range(int(line)):
        if done == steps:
            model, done = CrisisModel(cfg), 0
        start = time.process_time()
        model.step()
        cpu += time.process_time() - start
        done += 1
    print(json.dumps(cpu), flush=True)
"""


NATIONAL_SIZES = (100_000, 1_000_000, 4_000_000, 8_000_000)  # up to every Dutch household (about 8 million)
WEEKS_PER_YEAR = 52


def rows_of(
    sizes: list[int], steps: int, quick: bool, national: bool = False
) -> list[tuple[str, str, tuple[str, ...], int | None]]:
    """The benchmark's rows: label, scenario, overrides and steps (None: to the horizon).

    ``national``: flooding with every mechanism on (the defaults), a year of weekly steps, at
    100k, 1M, 4M and 8M households, instead.
    """
    size = lambda n: (f"population.households={n}",)  # noqa: E731
    if national:
        return [("a year", "flooding", size(n), WEEKS_PER_YEAR) for n in NATIONAL_SIZES]
    rows = [("per size", "leak", size(n), steps) for n in sizes]
    if not quick:
        rows += [("100k", s, size(100_000), 200) for s in ("flooding", "sea_level_rise")]
        rows.append(("1M, 14 days", "leak", (*size(1_000_000), "scenario.horizon_days=14"), None))
        rows += [("default run", s, (), None) for s in SCENARIOS]
    return rows


def compare_chunked(other: str, scenario: str, overrides: tuple[str, ...], steps: int | None, runs: int = 2) -> dict:
    """CPU seconds of this checkout and of the one in ``other`` over the same steps, in alternating chunks.

    Each runs ``runs`` times through ``steps`` steps (None: the horizon) in chunks of a tenth,
    the two taking turns chunk by chunk (who goes first alternating).
    """
    from simulation import load_config

    cfg = load_config(scenario=scenario, overrides=list(overrides))
    chunk = max(1, (cfg.scenario.n_steps if steps is None else min(steps, cfg.scenario.n_steps)) // 10)
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    workers = {}
    for name, tree in (("this", here), ("other", os.path.abspath(other))):
        env = {**os.environ, "PYTHONPATH": tree}
        args = [sys.executable, "-c", CHUNK_WORKER, scenario, json.dumps(list(overrides)), str(steps)]
        workers[name] = subprocess.Popen(
            args, cwd=tree, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
    cpu = {"this": 0.0, "other": 0.0}
    try:
        for name, worker in workers.items():
            if worker.stdout.readline().strip() != "ready":
                raise RuntimeError(
                    f"the {name} checkout could not build the model ({scenario}, {list(overrides)}): its error "
                    "is printed above; a checkout from before load_config and CrisisModel cannot be compared"
                )
        for turn in range(10 * runs):
            for name in ("this", "other") if turn % 2 == 0 else ("other", "this"):
                workers[name].stdin.write(f"{chunk}\n")
                workers[name].stdin.flush()
                cpu[name] += json.loads(workers[name].stdout.readline())
    finally:
        for worker in workers.values():
            worker.stdin.close()
            worker.wait()
    households = cfg.population.households
    return {"scenario": scenario, "households": households, "steps": 10 * runs * chunk, **cpu}


def print_comparison(other: str, rows: list[tuple[str, str, tuple[str, ...], int | None]]) -> None:
    """The speed of this checkout against the one in ``other``, row by row (CPU seconds, same steps)."""
    print(f"against {other}: the same steps in alternating chunks, CPU seconds")
    print(
        f"{'row':<14} {'scenario':<15} {'households':>10} {'steps':>6} {'this s':>8} {'other s':>8} {'speed ratio':>12}"
    )
    for label, scenario, overrides, n in rows:
        r = compare_chunked(other, scenario, overrides, n)
        print(
            f"{label:<14} {scenario:<15} {r['households']:>10,} {r['steps']:>6} {r['this']:>8.2f} {r['other']:>8.2f} "
            f"{r['other'] / r['this']:>12.2f}",
            flush=True,
        )
    print("speed ratio: this checkout's speed over the other's (above 1: this one is faster)")


def median_of(runs: list[dict]) -> dict:
    """One row from several runs of it: the median of each timing and of peak memory."""
    import statistics

    timed = ("setup_s", "run_s", "household_steps_per_s", "peak_gib")
    return runs[0] | {key: statistics.median(r[key] for r in runs) for key in timed}


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
        "--national",
        action="store_true",
        help="flooding, a year of weekly steps (no flood at seed 1), at 100k, 1M, 4M and 8M households (6 GiB, about 4 minutes a run)",
    )
    parser.add_argument("--runs", type=int, default=1, help="runs per row; the table gives their median (default 1)")
    parser.add_argument(
        "--demo", action="store_true", help="time the class demo in headless chromium instead (needs the test extras)"
    )
    parser.add_argument(
        "--reference",
        action="store_true",
        help="time the vectorised engine against the per-agent reference engine at 5,000 households instead",
    )
    parser.add_argument(
        "--against",
        metavar="DIR",
        help="compare with the checkout in DIR (for example an earlier commit: git worktree add DIR COMMIT)",
    )
    args = parser.parse_args(argv)
    if args.demo:
        print_demo_timing()
        return
    if args.reference:
        print_reference_speedup(5_000, 8)
        return
    if args.against:
        if not os.path.isdir(os.path.join(args.against, "simulation")):
            parser.error(f"--against: {args.against!r} is not a checkout of the project (no simulation/ in it)")
        try:
            print_comparison(args.against, rows_of(args.sizes, args.steps, args.quick, args.national))
        except RuntimeError as error:
            parser.exit(1, f"veerkracht-bench: {error}\n")
        return

    print(
        f"{'row':<14} {'scenario':<15} {'households':>10} {'steps':>6} {'set-up s':>9} {'s/M hh':>7} {'run s':>8} "
        f"{'household-steps/s':>18} {'wall s':>7} {'peak GiB':>9}"
    )
    for label, scenario, overrides, n in rows_of(args.sizes, args.steps, args.quick, args.national):
        r = median_of([in_fresh_process(scenario, overrides, n) for _ in range(args.runs)])
        print(
            f"{label:<14} {r['scenario']:<15} {r['households']:>10,} {r['steps']:>6} {r['setup_s']:>9.2f} "
            f"{r['setup_s'] / r['households'] * 1e6:>7.2f} {r['run_s']:>8.2f} {r['household_steps_per_s']:>18,.0f} "
            f"{r['setup_s'] + r['run_s']:>7.1f} {r['peak_gib']:>9.2f}",
            flush=True,
        )
    if args.national:
        print(
            "targets: 8M households set up within 60 s, a year within 60 s, within 12 GiB; 20M household-steps/s at 100k"
        )
    else:
        print(
            "targets: >= 5M household-steps/s at 100k households; the 1M-household leak over 14 hourly days within 4 GiB"
        )


REFERENCE_TOWN = ("scenario.schedule_days=[3]", "scenario.schedule_severity=[0.5]", "scenario.insured_share=0.6")


def reference_speedup(households: int, steps: int) -> dict:
    """Median seconds per step of each engine over ``steps`` steps after a flood (flooding), and the ratio."""
    import statistics

    from simulation import CrisisModel, load_config

    medians = {}
    for engine in ("vectorised", "reference"):
        cfg = load_config("flooding", [*REFERENCE_TOWN, f"population.households={households}", f"engine={engine}"])
        model = CrisisModel(cfg)
        model.step()  # the flood
        times = []
        for _ in range(steps):
            start = time.perf_counter()
            model.step()
            times.append(time.perf_counter() - start)
        medians[engine] = statistics.median(times)
    return medians | {"speed_up": medians["reference"] / medians["vectorised"]}


def print_reference_speedup(households: int, steps: int) -> None:
    """The vectorised engine's speed-up over the per-agent reference engine (``engine=reference``)."""
    r = reference_speedup(households, steps)
    print(
        f"flooding, {households:,} households, {steps} weekly steps after a flood, median per step: "
        f"vectorised {r['vectorised'] * 1000:.1f} ms, reference {r['reference'] * 1000:.0f} ms; "
        f"speed-up {r['speed_up']:.0f}x"
    )


def print_demo_timing() -> None:
    """Time the class demo's default page at 1280x720: first figure, a step and a Reset."""
    from simulation.demo.browser import time_demo

    t = time_demo()
    print(
        f"class demo, default page (flooding side by side, default households), 1280x720: "
        f"first figure {t['first_render_s']:.2f} s (best of 3 loads); "
        f"step median {t['step_median_s']:.3f} s, max {t['step_max_s']:.3f} s over {t['steps']} steps "
        f"(from pressing Step until the clock moved); Reset median {t['reset_median_s']:.2f} s over {t['resets']}"
    )


if __name__ == "__main__":
    main()
