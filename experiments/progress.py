"""How far a long job is: a tqdm bar on a terminal, plain lines in a log file.

``Progress`` counts done, failed and skipped items against a total and shows elapsed time and
an estimate of what is left (from the items done in this session, so skipped ones do not make
it optimistic). On a terminal it is a tqdm bar; written to a file (a SLURM log, ``> log``) it is
one line every ``LOG_EVERY`` of the total (at most one per ``LOG_GAP_SECONDS``) or every
``LOG_SECONDS``, and a last line at the end.
``SweepProgress`` watches a sweep folder from the command's own process, so it works with every
Hydra launcher: runs count as done when their ``COMPLETE`` marker appears, failed when their
``error.txt`` does; runs complete before the sweep started count as skipped.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import TextIO

import yaml
from tqdm import tqdm

LOG_EVERY = 0.1  # a log line every tenth of the total...
LOG_SECONDS = 60.0  # ...or every minute, whichever comes first
LOG_GAP_SECONDS = 5.0  # but not more often than this
WATCH_SECONDS = 1.0  # how often a sweep folder is looked at


def clock(seconds: float) -> str:
    """Seconds as ``m:ss`` or ``h:mm:ss``."""
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class Progress:
    """Done, failed and skipped of ``total`` items, shown as they change.

    Args:
        total: the number of items.
        what: what is counted, as the line starts ('veerkracht: sweep', 'veerkracht-aggregate').
        unit: the items' name ('runs', 'jobs').
        stream: where to show it (standard error by default); a terminal gets a bar.
    """

    def __init__(self, total: int, what: str, unit: str = "runs", stream: TextIO | None = None) -> None:
        self.total, self.what, self.unit = total, what, unit
        self.stream = stream or sys.stderr
        self.done = self.failed = self.skipped = 0
        self.start = time.monotonic()
        self.logged_at, self.logged_count = self.start, 0
        self.bar = (
            tqdm(total=total, desc=what, unit=f" {unit}", file=self.stream, dynamic_ncols=True)
            if self.stream.isatty()
            else None
        )

    @property
    def counted(self) -> int:
        return self.done + self.failed + self.skipped

    def remaining_seconds(self) -> float | None:
        """An estimate of the time left, from the pace of the items done or failed so far (skipped ones aside)."""
        worked = self.done + self.failed
        if not worked:
            return None
        return (time.monotonic() - self.start) / worked * (self.total - self.counted)

    def line(self) -> str:
        """The state in one line: '120/960 runs (3 failed, 40 skipped as complete), 2:10 elapsed, about 14:30 left'."""
        left = self.remaining_seconds()
        parts = [f"{self.counted}/{self.total} {self.unit}"]
        details = [f"{n} {word}" for n, word in ((self.failed, "failed"), (self.skipped, "skipped as complete")) if n]
        if details:
            parts[0] += f" ({', '.join(details)})"
        parts.append(f"{clock(time.monotonic() - self.start)} elapsed")
        if left is not None and self.counted < self.total:
            parts.append(f"about {clock(left)} left")
        return f"{self.what}: {', '.join(parts)}"

    def set(self, done: int, failed: int = 0, skipped: int = 0) -> None:
        """The counts now (they only grow)."""
        self.done, self.failed, self.skipped = done, failed, skipped
        if self.bar is not None:
            self.bar.n = self.counted
            self.bar.set_postfix_str(f"{failed} failed, {skipped} skipped" if failed or skipped else "", refresh=False)
            self.bar.refresh()
            return
        now = time.monotonic()
        quiet = now - self.logged_at
        stride = self.counted - self.logged_count >= max(1, LOG_EVERY * self.total)
        due = (stride and quiet >= LOG_GAP_SECONDS) or quiet >= LOG_SECONDS
        if due and self.counted > self.logged_count:
            print(self.line(), file=self.stream, flush=True)
            self.logged_at, self.logged_count = now, self.counted

    def add(self, done: int = 0, failed: int = 0, skipped: int = 0) -> None:
        """Count more items."""
        self.set(self.done + done, self.failed + failed, self.skipped + skipped)

    def close(self) -> None:
        """The last line (unless the log's last line already said it all)."""
        if self.bar is not None:
            self.bar.close()
        elif self.counted == self.logged_count and self.counted == self.total:
            return
        print(self.line(), file=self.stream, flush=True)


class SweepProgress:
    """Watch a sweep folder in a thread and show its ``Progress`` until ``stop``.

    Args:
        sweep_dir: the sweep folder (its ``multirun.yaml`` is written as the sweep starts).
        count_runs: the number of runs the sweep holds, from its folder.
    """

    def __init__(self, sweep_dir: Path, count_runs) -> None:
        self.sweep_dir, self.count_runs = sweep_dir, count_runs
        self.progress: Progress | None = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.watch, daemon=True)
        self.thread.start()

    def counts(self) -> tuple[int, int]:
        """Runs complete and runs failed in the folder now."""
        from experiments.runs import COMPLETE, ERROR

        return sum(1 for _ in self.sweep_dir.rglob(COMPLETE)), sum(1 for _ in self.sweep_dir.rglob(ERROR))

    def total(self) -> int | None:
        """The runs the sweep holds, or None while its ``multirun.yaml`` is missing or still being written."""
        try:
            return self.count_runs(self.sweep_dir)
        except (OSError, AttributeError, yaml.YAMLError):  # a half-written file lacks keys or ends mid-token
            return None

    def watch(self) -> None:
        total = self.total()
        while total is None:  # Hydra writes the file as the sweep starts (anew when a sweep runs again)
            if self.stopping.wait(WATCH_SECONDS / 5):
                return
            total = self.total()
        complete_before, _ = self.counts()  # complete before this sweep ran: run_into skips them
        self.progress = Progress(total, "veerkracht: sweep")
        while True:
            complete, failed = self.counts()
            self.progress.set(complete - complete_before, failed, complete_before)
            if self.stopping.wait(WATCH_SECONDS):
                return

    def stop(self) -> None:
        """A last look at the folder, and the last line."""
        self.stopping.set()
        self.thread.join()
        if self.progress is not None:
            complete_before = self.progress.skipped
            complete, failed = self.counts()
            self.progress.set(complete - complete_before, failed, complete_before)
            self.progress.close()
