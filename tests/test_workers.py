"""cleantext.workers: ordered results from worker processes that may die or be stopped."""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from cleantext.workers import AHEAD_PER_WORKER, Failed, ordered_map


def _square_slow_first(index: int) -> int:
    if index == 0:
        time.sleep(0.5)
    return index * index


def _killed_at_three(index: int) -> int:
    if index == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return index


def _raises_at_two(index: int) -> int:
    if index == 2:
        raise ValueError("no two")
    return index


def _unpicklable_at_one(index: int) -> object:
    return (lambda: index) if index == 1 else index


def _finish_late(marker: str, index: int) -> int:
    if index == 1:
        time.sleep(1.5)
        Path(marker).write_text("item 1 finished")
    return index


def _slow(index: int) -> int:
    time.sleep(0.2)
    return index


def _kills_the_idle_sibling_first(index: int) -> int:
    if index == 0:  # the other worker holds nothing yet: kill it while it waits
        with open(f"/proc/{os.getppid()}/task/{os.getppid()}/children") as fh:
            for pid in map(int, fh.read().split()):
                if pid != os.getpid():
                    os.kill(pid, signal.SIGKILL)
        time.sleep(0.3)
    return index


def _note_start(folder: str) -> None:
    Path(folder, str(os.getpid())).touch()


def _kill_idle_sibling_then_self(index: int) -> int:
    # Items 0-2 go to the first worker, item 3 to the second, which is idle once it is done.
    if index == 0:
        time.sleep(0.3)  # the second worker has finished item 3 by now
        with open(f"/proc/{os.getppid()}/task/{os.getppid()}/children") as fh:
            for pid in map(int, fh.read().split()):
                if pid != os.getpid():
                    os.kill(pid, signal.SIGKILL)
        time.sleep(0.3)  # no work is left for a replacement: none should be started
    if index == 1:  # this worker dies holding item 2, which then needs a new worker
        os.kill(os.getpid(), signal.SIGKILL)
    return index


def _wait_for_the_farthest_item(folder: str, last: int, index: int) -> object:
    if index == 0:  # held until the workers have gone as far ahead as they may
        deadline = time.monotonic() + 10
        while not Path(folder, str(last)).exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.3)  # time enough to start items past the bound, if they were handed out
        return sorted(int(p.name) for p in Path(folder).iterdir())
    Path(folder, str(index)).touch()
    return index


def test_results_come_in_input_order_whatever_finishes_first():
    assert list(ordered_map(_square_slow_first, 40, 2)) == [i * i for i in range(40)]


def test_a_killed_worker_fails_its_item_and_the_others_go_on():
    results = list(ordered_map(_killed_at_three, 30, 2))
    assert results[:3] == [0, 1, 2] and results[4:] == list(range(4, 30))
    assert isinstance(results[3], Failed) and results[3].index == 3
    assert results[3].cause == "worker process killed by SIGKILL (out of memory?)"
    assert multiprocessing.active_children() == []


def test_a_worker_killed_while_idle_is_replaced_and_fails_nothing():
    # Two items fit in the first worker's queue, so the second worker is idle when killed.
    if not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists():
        return  # no /proc here to find the sibling by
    assert list(ordered_map(_kills_the_idle_sibling_first, 2, 2)) == [0, 1]
    assert multiprocessing.active_children() == []


def test_a_dead_worker_is_replaced_only_when_there_is_work_for_it(tmp_path):
    if not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists():
        return  # no /proc here to find the sibling by
    started = functools.partial(_note_start, str(tmp_path))
    results = list(ordered_map(_kill_idle_sibling_then_self, 4, 2, started))
    assert results[0] == 0 and results[2:] == [2, 3]
    assert isinstance(results[1], Failed) and "SIGKILL" in results[1].cause
    # The two first workers, and one more for item 2; none for the sibling killed while idle.
    assert len(list(tmp_path.iterdir())) == 3
    assert multiprocessing.active_children() == []


def test_an_exception_in_a_worker_is_a_failure_of_that_item():
    results = list(ordered_map(_raises_at_two, 6, 2))
    assert results[2] == Failed(2, "ValueError: no two")
    assert [r for i, r in enumerate(results) if i != 2] == [0, 1, 3, 4, 5]


def test_a_result_that_cannot_be_sent_back_is_a_failure_of_that_item():
    results = list(ordered_map(_unpicklable_at_one, 4, 2))
    assert [results[0], results[2], results[3]] == [0, 2, 3]
    assert isinstance(results[1], Failed) and results[1].index == 1
    assert results[1].cause.startswith("result cannot be sent back: ")


def test_closing_early_stops_the_workers():
    results = ordered_map(_slow, 100, 2)
    assert next(results) == 0
    results.close()
    assert multiprocessing.active_children() == []


def test_closing_early_stops_items_being_worked_on_instead_of_waiting_for_them(tmp_path):
    import functools

    marker = tmp_path / "finished"
    results = ordered_map(functools.partial(_finish_late, str(marker)), 4, 2)
    assert next(results) == 0
    results.close()  # item 1 is being worked on: stopped, not let finish
    time.sleep(2.5)
    assert not marker.exists()
    assert multiprocessing.active_children() == []


def test_more_workers_than_items():
    assert list(ordered_map(_square_slow_first, 2, 8)) == [0, 1]
    assert list(ordered_map(_square_slow_first, 0, 2)) == []


def test_clean_reports_a_worker_killed_by_the_kernel_and_does_not_hang(tmp_path: Path):
    # multiprocessing.Pool waits forever for the result of a worker killed by a signal (the
    # OOM killer's SIGKILL): clean -j 2 hung. Run in a child process, so that a hang is a
    # failure after the timeout, not a stuck test run.
    for name in ("a", "b", "kill-me", "d", "e"):
        (tmp_path / f"{name}.md").write_text(f"---\ntitle: {name}\n---\n<p>{name}</p>\n")
    script = textwrap.dedent(f"""
        import os, signal, sys
        from pathlib import Path
        from cleantext import runner
        from cleantext.io import Source

        def job(text, name):
            if "kill-me" in name:
                os.kill(os.getpid(), signal.SIGKILL)
            return text.upper()

        paths = sorted(Path({str(tmp_path)!r}).glob("*.md"))
        sources = [Source(name=str(p), path=p, rel=Path(p.name)) for p in paths]
        stats = runner.run(sources, job, jobs=2)
        print(tuple(stats), file=sys.stderr)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    errors = proc.stderr.decode().splitlines()
    assert errors == [
        f"cleantext: {tmp_path / 'kill-me.md'}: worker process killed by SIGKILL (out of memory?)",
        "(4, 1, 4)",
    ]
    assert proc.stdout.decode().count("<P>") == 4


def test_workers_stop_by_themselves_when_the_run_ends():
    results = ordered_map(_slow, 2, 2)
    assert next(results) == 0
    processes = multiprocessing.active_children()
    assert len(processes) == 2
    assert next(results) == 1
    assert next(results, None) is None  # the run ends here: the workers are told to stop
    # They obeyed the stop message (exit status 0), not SIGTERM after the grace period
    # (their handler makes that 143) nor SIGKILL (-9).
    assert [p.exitcode for p in processes] == [0, 0]


def test_items_are_handed_out_at_most_a_bounded_distance_ahead_of_the_next_result(tmp_path):
    last = 2 * AHEAD_PER_WORKER - 1  # 2 workers; item 0 is the next result until it ends
    func = functools.partial(_wait_for_the_farthest_item, str(tmp_path), last)
    results = list(ordered_map(func, last + 100, 2))
    assert max(results[0]) == last
    assert results[1:] == list(range(1, last + 100))
