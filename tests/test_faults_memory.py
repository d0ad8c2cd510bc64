"""Issue 22, point 4: a backup is kept in bounded memory (a hard link, or a copy streamed
a megabyte at a time), not read whole. Peak memory itself is measured by
``benchmarks/bench_memory.py`` (the ``backup`` case), not here."""

from __future__ import annotations

from pathlib import Path

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
