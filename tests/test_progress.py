"""Progress lines of long jobs, as a log file shows them."""

from __future__ import annotations

import io

from experiments import progress
from experiments.progress import Progress, clock


def test_progress_in_a_log_reaches_done_equals_total_and_tells_failed_and_skipped_apart(monkeypatch):
    monkeypatch.setattr(progress, "LOG_GAP_SECONDS", 0.0)  # every tenth of the total gets its line
    log = io.StringIO()  # not a terminal: plain lines
    shown = Progress(20, "veerkracht: sweep", stream=log)
    shown.set(done=0, skipped=5)
    for done in range(1, 15):
        shown.set(done=done, failed=int(done >= 10), skipped=5)  # 14 ran, 1 failed, 5 skipped: 20
    shown.close()
    lines = log.getvalue().splitlines()
    assert lines[-1].startswith("veerkracht: sweep: 20/20 runs (1 failed, 5 skipped as complete)"), lines[-1]
    assert any("left" in line for line in lines[:-1]), f"lines before the end should estimate what is left: {lines}"
    assert "left" not in lines[-1], "the last line has nothing left to estimate"
    assert 2 <= len(lines) <= 12, f"about one line per tenth of the total, got {len(lines)}"


def test_clock_reads_minutes_and_hours():
    assert (clock(5), clock(130), clock(3725)) == ("0:05", "2:10", "1:02:05")


def test_a_sweep_file_still_being_written_is_read_again_not_given_up_on(tmp_path):
    import time

    from experiments.aggregate import expected_run_count
    from experiments.progress import SweepProgress

    sweep_file = tmp_path / "multirun.yaml"
    sweep_file.write_text("hydra:\n  sweeper:\n")  # Hydra has begun to write it
    watcher = SweepProgress(tmp_path, expected_run_count)
    time.sleep(4 * progress.WATCH_SECONDS / 5)  # the watcher finds it half-written, more than once
    sweep_file.write_text("hydra:\n  sweeper:\n    params: null\n  overrides:\n    task: ['seed=0,1']\n")
    for _ in range(50):
        if watcher.progress is not None:
            break
        time.sleep(progress.WATCH_SECONDS / 5)
    watcher.stop()
    assert watcher.progress is not None, "expected the watcher to read the sweep once its file was whole"
    assert watcher.progress.total == 2, f"expected the sweep's two runs, got {watcher.progress.total}"
