"""Issue 22, point 4: a backup is kept in bounded memory (a hard link, or a copy streamed
a megabyte at a time), not read whole; a line of blanks (tabs, spaces kept as runs) is
normalized in bounded memory, measured here as the peak RSS of a process on 24 MB against
1 MB. The 128 MB figures of every shape: ``benchmarks/bench_memory.py``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleantext.cli import cli


def test_the_backup_is_a_hard_link_to_the_old_file_not_a_copy_read_into_memory(tmp_path):
    path = tmp_path / "post.md"
    path.write_text("---\ntitle: x\n---\n　　正文  \n")
    old = path.stat()
    result = CliRunner().invoke(cli, ["normalize", "-i", "--backup", ".bak", str(path)])
    assert result.exit_code == 0, result.stderr
    backup = tmp_path / "post.md.bak"
    assert backup.stat().st_ino == old.st_ino  # the old file itself, under the new name
    assert backup.read_text() == "---\ntitle: x\n---\n　　正文  \n"
    assert path.read_text() == "---\ntitle: x\n---\n正文\n"
    assert path.stat().st_nlink == 1 and backup.stat().st_nlink == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["post.md", "post.md.bak"]


def test_a_file_with_other_names_is_backed_up_by_a_streamed_copy(tmp_path, monkeypatch):
    # Linked, the backup would share its data with the other name: a copy, read in pieces.
    from cleantext import io as cleantext_io

    path = tmp_path / "post.md"
    text = "---\ntitle: x\n---\n" + "　　正文  \n" * 300_000
    path.write_text(text)
    (tmp_path / "other-name.md").hardlink_to(path)
    monkeypatch.setattr(Path, "read_bytes", None)  # the old way: the whole file at once
    reads = []
    real = cleantext_io._file_chunks
    monkeypatch.setattr(cleantext_io, "_file_chunks",
                        lambda p, size=1 << 20: (reads.append(len(c)) or c for c in real(p)))
    result = CliRunner().invoke(cli, ["normalize", "-i", "--backup", ".bak", str(path)])
    assert result.exit_code == 0, result.stderr
    backup = tmp_path / "post.md.bak"
    assert backup.read_text() == text and backup.stat().st_ino != path.stat().st_ino
    assert (tmp_path / "other-name.md").read_text() == text
    assert len(reads) > 1 and max(reads) <= 1 << 20


def _peak_rss_mb(args: list[str]) -> float:
    """Peak resident memory of ``python -m cleantext ARGS``, in MB. Started from a small
    process of its own: a child's peak counts what it shares with its parent when forked."""
    import subprocess

    probe = ("import os, resource, subprocess, sys\n"
             "with open(os.devnull, 'wb') as sink:\n"
             "    subprocess.run([sys.executable, '-m', 'cleantext', *sys.argv[1:]],"
             " stdout=sink, check=True)\n"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True,
                         text=True, check=True).stdout
    return int(out) / 1024  # KB on Linux


def _growth_mb(tmp_path, args: list[str], body: Callable[[int], bytes], big: int) -> float:
    """How much more peak memory ``cleantext ARGS FILE`` takes on ``body(big)`` than on
    ``body(1 MB)`` (the file: a front matter and that body), in MB."""
    peaks = []
    for size in (1 << 20, big):
        path = tmp_path / f"{size}.md"
        path.write_bytes(b"---\ntitle: x\n---\n" + body(size))
        peaks.append(_peak_rss_mb([*args, str(path)]))
    return peaks[1] - peaks[0]


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KB, as on Linux")
@pytest.mark.parametrize("before, flood, keep", [
    ("", "\t", ()), ("正文", "\t", ()), ("", " \t", ()),
    ("", " ", ("--keep", "space-runs")), ("正文", " ", ("--keep", "space-runs"))])
def test_a_line_of_blanks_is_normalized_in_bounded_memory(tmp_path, before, flood, keep):
    # Issue 22: 32 MB of tabs on one line peaked at 114 MB (tabs and spaces mixed: 595 MB),
    # held whole. Measured here on 24 MB (streamed: past 8 MB) against 1 MB of the same
    # shape, memory not time: held whole, the bigger would take some 70 MB more.
    unit = flood.encode()
    assert _growth_mb(tmp_path, ["normalize", *keep],
                      lambda size: before.encode() + unit * (size // len(unit)) + b"x\n",
                      24 << 20) < 12


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KB, as on Linux")
@pytest.mark.parametrize(("step", "before"), [
    ("normalize", "- 一\n- 二\n\n"), ("convert", "正文。\n\n"), ("normalize", "```\nx\n")])
def test_a_long_blank_line_in_a_markdown_body_is_spooled_not_held(tmp_path, step, before):
    # Issue 22: a Markdown body's 128 MB line of tabs peaked at 919 MB, held whole; it now
    # waits in a temporary file (markdown_scan.BlankSpool). 24 MB against 1 MB.
    head = f"# 標題\n\n正文，[鏈](https://x.org)。\n\n{before}".encode()
    assert _growth_mb(tmp_path, [step],
                      lambda size: head + b" \t" * (size // 2) + "\n後記。\n".encode(),
                      24 << 20) < 12


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KB, as on Linux")
@pytest.mark.parametrize(("start", "unit"), [("", "正文，ＡＢＣ。`x  y` <b>粗</b>\n"),
                                           ("", "    x = 1  # 註釋\n"),
                                           ("- 項目\n", "  正文，ＡＢＣ。`x  y`\n"),
                                           ("1.  項目\n", "    正文，ＡＢＣ。`x  y`\n")])
def test_a_long_paragraph_or_indented_code_block_is_cut_not_held(tmp_path, start, unit):
    # A paragraph, list item or indented code block with no blank line was one chunk, held
    # whole with its parse: 12 MB of paragraph peaked at 313 MB against 47 MB for 1 MB, 32
    # MB of list item at 1.27 GB. Now cut where nothing changes (markdown_cuts.forced_cut).
    # 4 MB (read whole) against 1 MB.
    line = unit.encode()
    assert _growth_mb(tmp_path, ["normalize"],
                      lambda size: f"# 標題\n\n{start}".encode() + line * (size // len(line)),
                      4 << 20) < 30


# A Markdown body's 32 MB code block peaked at 749 MB, held whole with its parse; its inside
# now waits in a temporary file (markdown_scan.Spool): 24 MB against 1 MB. A paragraph of one
# 32 MB line peaked at 864 MB (convert: 710 MB); it is now cut inside
# (markdown_cuts.forced_line_cut): 8 MB against 1 MB, where held whole took 140-175 MB more;
# cut, some 30 MB more (a line's start of ``LONG_LINE_AFTER`` and its parse), and no more for
# 128 MB (bench_memory.py).
_LONG_BLOCKS = {
    "fence": ("正文。\n\n```python\n", "    x = 1  # 註釋，ＡＢＣ\n", "```\n\n後記。\n", 24, 12),
    "line": ("正文 `code`。\n\n", "正文，ＡＢＣ。`x  y` [鏈接](https://x.org/a) ", "\n", 8, 60),
}


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KB, as on Linux")
@pytest.mark.parametrize("step", ["normalize", "convert"])
@pytest.mark.parametrize("shape", sorted(_LONG_BLOCKS))
def test_a_long_fence_is_spooled_and_a_long_line_cut_not_held(tmp_path, step, shape):
    before, unit, after, big, limit = _LONG_BLOCKS[shape]
    head, line, tail = (f"# 標題\n\n{before}".encode(), unit.encode(), after.encode())
    assert _growth_mb(tmp_path, [step], lambda size: head + line * (size // len(line)) + tail,
                      big << 20) < limit
