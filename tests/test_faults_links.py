"""Issue 22, points 6, 7 and 9 (links and odd files): -i edits through a symbolic link and
keeps owner, group and mode; --output-dir never follows a link in its tree; one file named
several times is cleaned once; FIFOs and devices are refused by -i; odd names get a clear
one-line error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleantext.cli import cli

OLD = "---\ntitle: x\n---\n　　正文，ＡＢＣ。  \n"
NEW = "---\ntitle: x\n---\n正文，ABC。\n"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def post(path: Path, text: str = OLD) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- -i through links, owner kept ------------------------------------------------------------


def test_in_place_rewrites_the_file_a_symbolic_link_names_and_keeps_the_link(tmp_path):
    (tmp_path / "real").mkdir()
    real = post(tmp_path / "real" / "post.md")
    link = tmp_path / "link.md"
    link.symlink_to(Path("real") / "post.md")
    result = invoke("normalize", "-i", "--backup", ".bak", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "post.md")
    assert real.read_text(encoding="utf-8") == NEW
    # The backup sits beside the file that was rewritten (as sed --follow-symlinks does).
    assert (tmp_path / "real" / "post.md.bak").read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.md", "real"]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_in_place_keeps_owner_group_and_mode(tmp_path):
    path = post(tmp_path / "post.md")
    os.chown(path, 1234, 5678)
    path.chmod(0o640)
    result = invoke("normalize", "-i", str(path))
    assert result.exit_code == 0, result.stderr
    info = path.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (1234, 5678, 0o640)
    assert path.read_text(encoding="utf-8") == NEW


def test_in_place_splits_hard_links_and_says_so_in_help(tmp_path):
    path = post(tmp_path / "post.md")
    other = tmp_path / "other.md"
    other.hardlink_to(path)
    result = invoke("normalize", "-i", str(path))
    assert result.exit_code == 0
    assert path.read_text(encoding="utf-8") == NEW
    assert other.read_text(encoding="utf-8") == OLD  # the other name keeps the old text
    help_text = " ".join(invoke("normalize", "--help").stdout.split())
    assert "other hard links gets a new file under this name only" in help_text


# --- --output-dir never follows a link in its tree ------------------------------------------


def test_output_dir_replaces_a_link_found_in_the_place_of_an_output(tmp_path):
    source = post(tmp_path / "post.md")
    victim = post(tmp_path / "victim.md", "keep me\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "post.md").symlink_to(victim)
    result = invoke("normalize", "--output-dir", str(out), str(source))
    assert result.exit_code == 0, result.stderr
    assert not (out / "post.md").is_symlink()
    assert (out / "post.md").read_text(encoding="utf-8") == NEW
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert source.read_text(encoding="utf-8") == OLD


def test_output_dir_refuses_a_linked_folder_in_its_tree(tmp_path):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    post(src / "sub" / "post.md")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").symlink_to(elsewhere)
    result = invoke("normalize", "-r", str(src), "--output-dir", str(out))
    assert result.exit_code == 1
    assert result.stderr == (f"cleantext: {out / 'sub' / 'post.md'}: cannot write: "
                             f"{out / 'sub'} is a symbolic link, not followed in "
                             "--output-dir\n")
    assert list(elsewhere.iterdir()) == []


def test_output_dir_through_a_link_to_an_input_leaves_the_input_whole(tmp_path):
    # The case: a link in the output tree named an input, which was overwritten.
    src = tmp_path / "src"
    src.mkdir()
    source = post(src / "post.md")
    other = post(src / "other.md")
    out = tmp_path / "out"
    out.mkdir()
    (out / "other.md").symlink_to(source)
    result = invoke("normalize", "-r", str(src), "--output-dir", str(out))
    assert result.exit_code == 0, result.stderr
    assert source.read_text(encoding="utf-8") == OLD and other.read_text() == OLD
    assert (out / "other.md").read_text(encoding="utf-8") == NEW


# --- one file named several times is cleaned once ---------------------------------------------


def test_the_same_file_named_four_times_is_cleaned_once_and_its_backup_is_the_original(
        tmp_path):
    path = tmp_path / "a.md"
    for _ in range(4):  # the race showed in 3 runs of 8
        post(path)
        Path(f"{path}.bak").unlink(missing_ok=True)
        proc = subprocess.run([sys.executable, "-m", "cleantext", "clean", "-i", "--backup",
                               ".bak", "-j", "2", *[str(path)] * 4], capture_output=True,
                              text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        assert path.read_text(encoding="utf-8") == NEW
        assert Path(f"{path}.bak").read_text(encoding="utf-8") == OLD


def test_a_file_and_a_link_to_it_are_one_input_for_in_place(tmp_path):
    path = post(tmp_path / "a.md")
    (tmp_path / "b.md").symlink_to(path)
    result = invoke("normalize", "-i", "--backup", ".bak", str(path), str(tmp_path / "b.md"))
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "a.md.bak").read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "a.md.bak", "b.md"]


# --- odd files ---------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_in_place_refuses_a_fifo_instead_of_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    fine = post(tmp_path / "fine.md")
    proc = subprocess.run([sys.executable, "-m", "cleantext", "normalize", "-i", str(fifo),
                           str(fine)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr == (f"cleantext: {fifo}: not a regular file (a FIFO, socket or "
                           "device): -i rewrites regular files only\n")
    assert fine.read_text(encoding="utf-8") == NEW


def test_in_place_refuses_a_device():
    result = invoke("normalize", "-i", os.devnull)
    assert result.exit_code == 1
    assert "not a regular file" in result.stderr
    assert os.path.exists(os.devnull) and not os.path.isfile(os.devnull)


def test_a_symbolic_link_loop_is_reported_as_a_loop_and_a_dangling_one_as_dangling(tmp_path):
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "gone.md")
    result = invoke("normalize", str(loop), str(dangling), str(tmp_path / "missing.md"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"cleantext: {loop}: symbolic link loop (too many levels of symbolic links)",
        f"cleantext: {dangling}: dangling symbolic link (the file it names does not exist)",
        f"cleantext: {tmp_path / 'missing.md'}: no such file or directory",
    ]


def test_an_empty_backup_suffix_is_a_usage_error(tmp_path):
    path = post(tmp_path / "post.md")
    result = invoke("normalize", "-i", "--backup", "", str(path))
    assert result.exit_code == 2 and "--backup" in result.stderr
    assert path.read_text(encoding="utf-8") == OLD


def test_an_input_inside_the_output_dir_is_refused_when_listed_by_files0_from(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    inside = post(out / "old-output.md")
    fine = post(tmp_path / "fine.md")
    listing = tmp_path / "list"
    listing.write_bytes(f"{inside}\0{fine}\0".encode())
    result = invoke("normalize", "--files0-from", str(listing), "--output-dir", str(out))
    assert result.exit_code == 1
    assert result.stderr == (f"cleantext: {inside}: is inside --output-dir {out}: an output "
                             "would be read as an input; choose a folder outside the inputs\n")
    assert (out / "fine.md").read_text(encoding="utf-8") == NEW
    assert inside.read_text(encoding="utf-8") == OLD
