"""Nothing is lost: kills, interrupts, failing writes and read-only files leave inputs whole."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleantext import io as cleantext_io
from cleantext import runner
from cleantext.cli import cli
from cleantext.steps.normalize import normalize_text

ORIGINAL = "---\ntitle: x\n---\n" + "　　第一段，ＡＢＣ。  \r\n\r\n\r\n" * 40_000
RESULT = "---\ntitle: x\n---\n" + normalize_text("　　第一段，ＡＢＣ。  \r\n\r\n\r\n" * 40_000)


def make_files(folder: Path, count: int) -> list[Path]:
    paths = []
    for i in range(count):
        path = folder / f"post{i:02d}.md"
        path.write_text(ORIGINAL, newline="")
        paths.append(path)
    return paths


def test_sigkill_during_in_place_leaves_each_file_old_or_new(tmp_path):
    rng = random.Random(1234)
    paths = make_files(tmp_path, 12)
    seen_new = 0
    for _ in range(8):
        proc = subprocess.Popen([sys.executable, "-m", "cleantext", "normalize", "-i",
                                 *map(str, paths)], stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 1.2))
        proc.kill()
        proc.wait()
        for path in paths:
            content = path.read_bytes().decode()
            assert content in (ORIGINAL, RESULT), f"{path.name} is neither old nor new"
            seen_new += content == RESULT
        for path in paths:  # start the next round from originals
            path.write_text(ORIGINAL, newline="")
        for leftover in tmp_path.glob(".*.tmp"):  # what a SIGKILL may leave (documented)
            leftover.unlink()
    # A normal run leaves no temporary file behind.
    done = subprocess.run([sys.executable, "-m", "cleantext", "normalize", "-i",
                           *map(str, paths)], capture_output=True)
    assert done.returncode == 0
    assert all(p.read_bytes().decode() == RESULT for p in paths)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)


# One process; and -j 2, where the workers write the outputs: a Ctrl-C makes the parent stop
# them, and a file a worker was writing must go, not stay half-written or as a temporary file.
# A terminal's Ctrl-C reaches the whole process group (the workers too); `kill -INT` the
# parent alone.
@pytest.mark.parametrize("command, count, group", [
    (["normalize"], 30, False),
    (["clean", "-s", "normalize", "-j", "2"], 80, False),
    (["clean", "-s", "normalize", "-j", "2"], 80, True),
])
def test_sigint_exits_130_and_leaves_no_partial_outputs(tmp_path, command, count, group):
    src = tmp_path / "in"
    src.mkdir()
    paths = make_files(src, count)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "cleantext", *command, "-r", str(src),
                             "--output-dir", str(out)], stderr=subprocess.PIPE,
                            start_new_session=True)
    time.sleep(0.8)
    if group:
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the run finished before the interrupt arrived")
    assert proc.returncode == 130
    # Nothing but the message (after the newline that ends the terminal's "^C" line): no
    # worker's traceback.
    assert err.strip() == b"cleantext: interrupted"
    written = list(out.rglob("*")) if out.exists() else []
    assert not [p for p in written if p.name.endswith(".tmp")]
    assert all(p.read_bytes().decode() == RESULT for p in written if p.is_file())
    assert all(p.read_bytes().decode() == ORIGINAL for p in paths)


def test_full_disk_gives_an_error_and_keeps_the_input(tmp_path, monkeypatch):
    path = tmp_path / "post.md"
    path.write_text(ORIGINAL, newline="")

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(cleantext_io.os, "fsync", no_space)
    result = CliRunner().invoke(cli, ["normalize", "-i", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"cleantext: {path}: cannot write: No space left on device\n"
    assert path.read_bytes().decode() == ORIGINAL
    assert [p.name for p in tmp_path.iterdir()] == ["post.md"]


def test_read_only_file_is_not_rewritten_in_place(tmp_path):
    path = tmp_path / "post.md"
    path.write_text(ORIGINAL, newline="")
    path.chmod(0o444)
    result = CliRunner().invoke(cli, ["normalize", "-i", str(path)])
    assert result.exit_code == 1
    assert "read-only file" in result.stderr
    assert path.read_bytes().decode() == ORIGINAL


def test_unwritable_output_folder_is_a_clear_error(tmp_path, monkeypatch):
    path = tmp_path / "post.md"
    path.write_text(ORIGINAL, newline="")

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr("cleantext.io._open_temp", refuse)
    result = CliRunner().invoke(cli, ["normalize", str(path), "--output-dir",
                                      str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.stderr.endswith("cannot write: Permission denied\n")
    assert path.read_bytes().decode() == ORIGINAL


def test_in_place_edits_are_synced_to_disk_new_outputs_are_not(tmp_path, monkeypatch):
    # An in-place result replaces the user's input: it must reach the disk before the rename
    # (a power cut must not leave an empty file). An output under --output-dir can be made
    # again from its input, and an fsync per file made clean 1.6 times slower.
    synced = []
    monkeypatch.setattr(cleantext_io.os, "fsync", synced.append)
    path = tmp_path / "post.md"
    path.write_text(ORIGINAL, newline="")
    result = CliRunner().invoke(cli, ["normalize", "--output-dir", str(tmp_path / "out"),
                                      str(path)])
    assert result.exit_code == 0 and synced == []
    assert (tmp_path / "out" / "post.md").read_bytes().decode() == RESULT
    result = CliRunner().invoke(cli, ["normalize", "-i", "--backup", ".orig", str(path)])
    # The new file; the backup is a hard link to the old one, no data written (a file with
    # other names gets a copy, synced too: tests/test_faults_memory.py).
    assert result.exit_code == 0 and len(synced) == 1
    assert path.read_bytes().decode() == RESULT


def test_a_stopped_worker_removes_the_file_it_was_writing(tmp_path):
    # Workers write outputs; the parent stops them with SIGTERM on Ctrl-C. The handler turns
    # SIGTERM into an exception, so atomic_write removes its temporary file on the way out.
    code = ("import os, signal, sys\nfrom pathlib import Path\n"
            "from cleantext.io import atomic_write\nfrom cleantext.stops import _worker_init\n"
            "_worker_init()\n"
            "def chunks():\n    yield b'first part'\n    os.kill(os.getpid(), signal.SIGTERM)\n"
            "    yield b'never written'\n"
            "atomic_write(Path(sys.argv[1]), chunks())\n")
    target = tmp_path / "out.md"
    proc = subprocess.run([sys.executable, "-c", code, str(target)], capture_output=True)
    assert proc.returncode == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []  # neither the target nor a temporary file


def test_a_new_output_gets_the_mode_open_would_give_it_under_the_umask(tmp_path):
    path = tmp_path / "post.md"
    path.write_text(ORIGINAL, newline="")
    path.chmod(0o600)  # the input's mode is not copied to a new output
    old = os.umask(0o027)
    try:
        result = CliRunner().invoke(cli, ["normalize", str(path), "--output-dir",
                                          str(tmp_path / "out" / "deeper")])
    finally:
        os.umask(old)
    assert result.exit_code == 0
    made = tmp_path / "out" / "deeper" / "post.md"
    assert made.read_bytes().decode() == RESULT
    assert made.stat().st_mode & 0o777 == 0o640


def test_a_rewritten_output_keeps_the_mode_it_had(tmp_path):
    path = tmp_path / "post.md"
    path.write_text(ORIGINAL, newline="")
    out = tmp_path / "out"
    out.mkdir()
    (out / "post.md").write_text("old output")
    (out / "post.md").chmod(0o604)
    result = CliRunner().invoke(cli, ["normalize", str(path), "--output-dir", str(out)])
    assert result.exit_code == 0
    assert (out / "post.md").read_bytes().decode() == RESULT
    assert (out / "post.md").stat().st_mode & 0o777 == 0o604


def test_a_temporary_name_left_by_a_killed_run_is_skipped_not_reused(tmp_path):
    target = tmp_path / "out.md"
    count = cleantext_io._temp_count
    stale = [tmp_path / f".out.md.{os.getpid()}-{count + n}.tmp" for n in (1, 2)]
    for leftover in stale:
        leftover.write_text("a killed run's half-written file")
    cleantext_io.atomic_write(target, [b"new ", b"text"])
    assert target.read_bytes() == b"new text"
    assert all(s.read_text() == "a killed run's half-written file" for s in stale)
    assert sorted(tmp_path.iterdir()) == sorted([target, *stale])


def test_atomic_write_makes_a_missing_folder_only_when_asked(tmp_path):
    target = tmp_path / "missing" / "deeper" / "out.md"
    with pytest.raises(cleantext_io.WriteError) as info:
        cleantext_io.atomic_write(target, [b"text"])
    assert info.value.errno == errno.ENOENT
    assert not (tmp_path / "missing").exists()
    cleantext_io.atomic_write(target, [b"text"], make_folder=True)
    assert target.read_bytes() == b"text"
    assert list(target.parent.iterdir()) == [target]


def test_atomic_write_tells_its_own_failures_from_those_of_the_data_it_writes(tmp_path,
                                                                               monkeypatch):
    # A streamed document is still being read (an OSError there is the input's) while its
    # output is written (an OSError there is the output's): only the second is a WriteError.
    def chunks():
        yield b"first "
        raise OSError(errno.EIO, "Input/output error")

    with pytest.raises(OSError) as info:
        cleantext_io.atomic_write(tmp_path / "a.md", chunks())
    assert not isinstance(info.value, cleantext_io.WriteError)

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cleantext_io.os, "write", full)
    with pytest.raises(cleantext_io.WriteError, match="No space left"):
        cleantext_io.atomic_write(tmp_path / "b.md", [b"text"])
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind either time


def test_reading_a_file_whose_size_says_zero_reads_it_all():
    # /proc files report size 0; the read goes on until the end, as `cat` would.
    status = Path("/proc/self/status")
    if not status.exists():
        pytest.skip("no /proc here")
    source = cleantext_io.Source(str(status), status, Path("status"))
    assert cleantext_io.read_bytes(source).startswith(b"Name:")


def test_reading_files_leaves_no_descriptor_open(tmp_path):
    fds = Path("/proc/self/fd")
    if not fds.exists():
        pytest.skip("no /proc here")
    path = tmp_path / "post.md"
    path.write_text("text")
    before = len(list(fds.iterdir()))
    for _ in range(5):
        assert cleantext_io.read_bytes(cleantext_io.Source(str(path), path, Path("a"))) == b"text"
        with pytest.raises(cleantext_io.InputError, match="is a directory"):  # os.read fails
            cleantext_io.read_bytes(cleantext_io.Source(str(tmp_path), tmp_path, Path("b")))
    assert len(list(fds.iterdir())) == before


@pytest.mark.parametrize("streamed", [False, True])
def test_in_place_backup_takes_the_input_mode_not_the_old_backup_mode(
        tmp_path, monkeypatch, streamed):
    if streamed:
        monkeypatch.setattr(runner, "STREAM_THRESHOLD", 10)
    path = tmp_path / "post.md"
    path.write_text("---\ntitle: x\n---\n　　第一段。  \n", newline="")
    path.chmod(0o640)
    backup = tmp_path / "post.md.orig"
    backup.write_text("an older backup")
    backup.chmod(0o600)
    result = CliRunner().invoke(cli, ["normalize", "-i", "--backup", ".orig", str(path)])
    assert result.exit_code == 0, result.stderr
    assert path.read_text() == "---\ntitle: x\n---\n第一段。\n"
    assert backup.read_text() == "---\ntitle: x\n---\n　　第一段。  \n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert backup.stat().st_mode & 0o777 == 0o640
