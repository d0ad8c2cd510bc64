"""Issue 22, points 1, 2 and 8: workers die with their parent, SIGTERM is an orderly stop,
no signal leaves a temporary file, and a document that runs too long fails alone.

Every wait here is a bounded poll, never a timing assertion."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleantext import io as cleantext_io
from cleantext.cli import cli
from cleantext.steps.normalize import normalize_text
from cleantext.workers import Failed, ordered_map

ORIGINAL = "---\ntitle: x\n---\n" + "　　第一段，ＡＢＣ。  \r\n\r\n\r\n" * 20_000
RESULT = "---\ntitle: x\n---\n" + normalize_text("　　第一段，ＡＢＣ。  \r\n\r\n\r\n" * 20_000)
HAS_PROC_CHILDREN = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists()
needs_proc = pytest.mark.skipif(not HAS_PROC_CHILDREN, reason="no /proc to find workers by")


def make_files(folder: Path, count: int) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"post{i:03d}.md"
        path.write_text(ORIGINAL, newline="")
        paths.append(path)
    return paths


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper that a container may lack counts as dead)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(predicate, limit: float = 30.0) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def start_clean(args: list[str], **kwargs) -> tuple[subprocess.Popen, list[int]]:
    """``cleantext clean -j 2 ARGS``, once its two workers are running: (process, workers)."""
    proc = subprocess.Popen([sys.executable, "-m", "cleantext", "clean", "-s", "normalize",
                             "-j", "2", *args], start_new_session=True, **kwargs)
    assert wait_for(lambda: len(children(proc.pid)) == 2 or proc.poll() is not None)
    return proc, children(proc.pid)


# --- workers die with their parent ----------------------------------------------------------


@needs_proc
def test_kill_9_of_the_parent_ends_the_workers_and_the_pipe_they_write(tmp_path):
    paths = make_files(tmp_path / "in", 150)
    proc, workers = start_clean([*map(str, paths)], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
    if len(workers) != 2:
        pytest.skip("the run ended before its workers could be seen")
    proc.kill()
    # A reader of the output (`| wc -c`) sees its end: no worker holds the pipe open.
    proc.communicate(timeout=60)
    assert wait_for(lambda: not any(alive(pid) for pid in workers)), "orphaned workers"


@needs_proc
def test_sigterm_is_an_orderly_stop_exit_143_no_worker_no_temporary_file(tmp_path):
    paths = make_files(tmp_path / "in", 150)
    out = tmp_path / "out"
    proc, workers = start_clean(["-r", str(tmp_path / "in"), "--output-dir", str(out)],
                                stderr=subprocess.PIPE)
    if len(workers) != 2:
        pytest.skip("the run ended before its workers could be seen")
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the run finished before the signal arrived")
    assert proc.returncode == 143
    assert err == b"cleantext: terminated\n"
    assert wait_for(lambda: not any(alive(pid) for pid in workers))
    written = list(out.rglob("*")) if out.exists() else []
    assert not [p for p in written if p.name.endswith(".tmp")]
    assert all(p.read_bytes().decode() == RESULT for p in written if p.is_file())
    assert all(p.read_bytes().decode() == ORIGINAL for p in paths)


def test_a_worker_busy_on_an_item_dies_with_its_parent(tmp_path):
    # The worker is inside func (a long sleep), not waiting on its pipe: only the kernel's
    # parent-death signal (PR_SET_PDEATHSIG) can stop it (Linux).
    if not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux's")
    script = textwrap.dedent(f"""
        import os, sys, time
        from pathlib import Path
        from cleantext.workers import ordered_map

        def func(index):
            Path({str(tmp_path)!r}, str(os.getpid())).touch()
            time.sleep(120)
            return index

        list(ordered_map(func, 2, 2))
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    try:
        # Both items go to the first worker (it holds up to DEPTH items).
        assert wait_for(lambda: len(list(tmp_path.iterdir())) == 1)
        workers = [int(p.name) for p in tmp_path.iterdir()]
    finally:
        proc.kill()
        proc.wait()
    assert wait_for(lambda: not any(alive(pid) for pid in workers)), "orphaned workers"


def test_a_forked_worker_holds_no_parent_end_of_any_pipe(tmp_path):
    # Each worker's own pipe and its older siblings' are closed in it: the parent's death is
    # end-of-file for a waiting worker even where no parent-death signal exists.
    script = textwrap.dedent("""
        import os
        from cleantext import workers

        def func(index):
            open_ends = [c for c in workers._PARENT_ENDS if not c.closed]
            return len(open_ends), os.getpid()

        print(sorted(set(workers.ordered_map(func, 8, 3))))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    counts = {count for count, _ in eval(proc.stdout)}
    assert counts == {0}


# --- no signal leaves a temporary file ------------------------------------------------------


def test_a_signal_just_after_the_temporary_file_is_made_leaves_nothing(tmp_path, monkeypatch):
    real_open = os.open

    def open_then_interrupted(path, flags, mode=0o777, **kwargs):
        fd = real_open(path, flags, mode, **kwargs)
        if str(path).endswith(".tmp"):
            raise KeyboardInterrupt  # as a signal handler would, before `try:` is reached
        return fd

    monkeypatch.setattr(cleantext_io.os, "open", open_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        cleantext_io.atomic_write(tmp_path / "out.md", [b"text"])
    assert list(tmp_path.iterdir()) == []
    assert cleantext_io._LIVE_TEMPS == set()


def test_every_temporary_file_is_known_before_it_exists_and_removed_on_a_stop(tmp_path):
    fd, tmp = cleantext_io._open_temp(tmp_path, "post.md", None)
    os.close(fd)
    assert tmp in cleantext_io._LIVE_TEMPS and Path(tmp).exists()
    cleantext_io.remove_temps()
    assert not Path(tmp).exists() and tmp not in cleantext_io._LIVE_TEMPS


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_stop_handler_removes_a_temporary_file_made_just_before(tmp_path, signum):
    # The moment between the file's creation and the code that would remove it: the handler
    # itself removes every registered temporary file.
    script = textwrap.dedent(f"""
        import os, signal, sys
        from pathlib import Path
        from cleantext import io, runner

        runner._install_stop_handlers()
        fd, tmp = io._open_temp(Path({str(tmp_path)!r}), "post.md", None)
        try:
            os.kill(os.getpid(), {int(signum)})
        except KeyboardInterrupt as exc:
            print(type(exc).__name__, Path(tmp).exists())
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    name = "Terminated" if signum == signal.SIGTERM else "KeyboardInterrupt"
    assert proc.stdout == f"{name} False\n", proc.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_signals_at_random_moments_leave_no_temporary_file(tmp_path, signum, status, jobs):
    rng = random.Random(f"{signum}-{jobs}")
    paths = make_files(tmp_path / "in", 40)
    for _ in range(4):
        proc = subprocess.Popen([sys.executable, "-m", "cleantext", "clean", "-s", "normalize",
                                 "-j", jobs, "-i", "--backup", ".bak", *map(str, paths)],
                                stderr=subprocess.PIPE, start_new_session=True)
        time.sleep(rng.uniform(0.3, 2.5))
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode in (0, status), err
        leftovers = [p.name for p in (tmp_path / "in").iterdir() if p.name.endswith(".tmp")]
        assert leftovers == []
        for path in paths:
            assert path.read_bytes().decode() in (ORIGINAL, RESULT)
            backup = Path(f"{path}.bak")
            if backup.exists():
                assert backup.read_bytes().decode() == ORIGINAL
        for path in paths:  # the next round starts from the originals
            path.write_text(ORIGINAL, newline="")
            Path(f"{path}.bak").unlink(missing_ok=True)


# --- a document that runs too long fails alone ----------------------------------------------


def _sleeps_on_one(index: int) -> int:
    if index == 1:
        time.sleep(60)
    return index


def test_an_item_past_the_time_limit_fails_and_its_worker_is_replaced():
    results = list(ordered_map(_sleeps_on_one, 5, 2, timeout=0.5))
    assert results[1] == Failed(1, "timed out after 0.5 s")
    assert [r for i, r in enumerate(results) if i != 1] == [0, 2, 3, 4]


RUNAWAY_RULE = "##p:has-text(/^(a|aa)+$/)\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_runaway_rule_is_stopped_by_timeout_and_the_run_goes_on(tmp_path, jobs):
    rules = tmp_path / "rules.txt"
    rules.write_text(RUNAWAY_RULE)
    slow = tmp_path / "slow.md"
    slow.write_text("---\ntitle: x\n---\n<p>" + "a" * 60 + "b</p>\n")
    fine = tmp_path / "fine.md"
    fine.write_text("---\ntitle: y\n---\n<p>正文</p>\n")
    proc = subprocess.run([sys.executable, "-m", "cleantext", "clean", "-j", jobs, "--rules",
                           str(rules), "--timeout", "1", str(slow), str(fine)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"cleantext: {slow}: timed out after 1 s (--timeout); not processed",
        "cleantext: 1 cleaned, 1 failed",
    ]
    assert proc.stdout == "---\ntitle: y\n---\n正文\n"


def test_timeout_zero_means_no_limit_and_a_bad_value_is_a_usage_error(tmp_path):
    doc = tmp_path / "a.md"
    doc.write_text("---\ntitle: x\n---\n<p>正文</p>\n")
    result = CliRunner().invoke(cli, ["clean", "--timeout", "0", str(doc)])
    assert result.exit_code == 0 and result.stdout == "---\ntitle: x\n---\n正文\n"
    result = CliRunner().invoke(cli, ["normalize", "--timeout", "-1", str(doc)])
    assert result.exit_code == 2 and "--timeout" in result.stderr


def test_the_stop_handlers_are_put_back_when_the_run_ends(tmp_path):
    # A program that runs the CLI in-process (tests, the fuzzer) keeps its own handling of
    # SIGTERM and Ctrl-C outside the run.
    path = tmp_path / "post.md"
    path.write_text(ORIGINAL, newline="")
    before = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    result = CliRunner().invoke(cli, ["normalize", "-i", str(path)])
    assert result.exit_code == 0
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == before
