"""The I/O contract shared by every subcommand, exercised through the real CLI.

``normalize`` is the step used here: it is the cheapest real step, and the contract is the
same code for every step.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleantext import registry, runner
from cleantext.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "contract"
POST = (FIXTURES / "post.md").read_bytes()
POST_CLEAN = "---\ntitle: \"测试\"\ndate: 2021-04-17\n---\n第一段，ABC。\n\n第二段。\n"


def invoke(*args: str, input: bytes | str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def posts(tmp_path: Path) -> Path:
    for name in ("post.md", "toml.md", "json.md", "bom.md"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path


# --- inputs ------------------------------------------------------------------------------


def test_stdin_to_stdout():
    result = invoke("normalize", input=POST)
    assert result.exit_code == 0
    assert result.stdout == POST_CLEAN


def test_dash_means_stdin():
    assert invoke("normalize", "-", input=POST).stdout == POST_CLEAN


def test_several_files_are_written_one_after_the_other(posts):
    result = invoke("normalize", str(posts / "post.md"), str(posts / "post.md"))
    assert result.exit_code == 0
    assert result.stdout == POST_CLEAN * 2


def test_directory_needs_recursive(posts, tmp_path):
    result = invoke("normalize", str(posts))
    assert result.exit_code == 1
    assert "is a directory (use -r" in result.stderr
    assert result.stdout == ""  # reported, not processed as well
    result = invoke("normalize", str(posts), "--output-dir", str(tmp_path / "out"))
    assert result.exit_code == 1 and not (tmp_path / "out").exists()


def test_recursive_skips_hidden_folders(posts):
    (posts / ".git").mkdir()
    shutil.copy(FIXTURES / "post.md", posts / ".git" / "x.md")
    result = invoke("normalize", "--check", "-r", str(posts))
    assert ".git" not in result.stdout and "post.md" in result.stdout


def test_recursive_walks_directories_in_sorted_order(posts):
    (posts / "sub").mkdir()
    shutil.copy(FIXTURES / "post.md", posts / "sub" / "z.md")
    (posts / "sub" / "picture.png").write_bytes(b"\x89PNG\0")  # not a document: skipped
    (posts / ".hidden.md").write_text("hidden")
    result = invoke("normalize", "--check", "-r", str(posts))
    listed = result.stdout.split()
    assert [Path(p).name for p in listed] == ["bom.md", "json.md", "post.md", "toml.md", "z.md"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_recursive_skips_fifos_and_links_to_folders_but_follows_links_to_files(posts):
    os.mkfifo(posts / "pipe.md")  # reading it would wait for a writer forever
    (posts / "sub").mkdir()
    os.symlink("..", posts / "sub" / "parent")  # followed, the walk would never end
    os.symlink(posts / "post.md", posts / "sub" / "linked.md")
    # In a subprocess with a time limit: a walk that opened the FIFO would hang this test.
    proc = subprocess.run([sys.executable, "-m", "cleantext", "normalize", "--check", "-r",
                           str(posts)], capture_output=True, text=True, timeout=60)
    assert proc.stderr == ""
    listed = [Path(p).relative_to(posts).as_posix() for p in proc.stdout.split()]
    assert listed == ["bom.md", "json.md", "post.md", "toml.md", "sub/linked.md"]


def test_recursive_reports_a_dangling_link_and_goes_on(posts, tmp_path_factory):
    os.symlink(posts / "gone.md", posts / "dangling.md")
    out = tmp_path_factory.mktemp("out")
    result = invoke("normalize", "-r", str(posts), "--output-dir", str(out))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"cleantext: {posts / 'dangling.md'}: No such file")
    assert (out / "post.md").read_text(encoding="utf-8") == POST_CLEAN


def test_recursive_reports_a_folder_it_cannot_list_and_goes_on(posts, tmp_path_factory,
                                                               monkeypatch):
    (posts / "locked").mkdir()
    shutil.copy(FIXTURES / "post.md", posts / "locked" / "x.md")
    real = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied")  # as root, chmod 000 would not
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    out = tmp_path_factory.mktemp("out")
    result = invoke("normalize", "-r", str(posts), "--output-dir", str(out))
    assert result.exit_code == 1
    assert f"cleantext: {posts / 'locked'}: cannot read directory: Permission denied\n" \
        in result.stderr
    assert (out / "post.md").read_text(encoding="utf-8") == POST_CLEAN


def test_files0_from(posts, tmp_path):
    listing = tmp_path / "list"
    listing.write_bytes(str(posts / "post.md").encode() + b"\0" + str(posts / "post.md").encode()
                        + b"\0")
    result = invoke("normalize", "--files0-from", str(listing))
    assert result.exit_code == 0 and result.stdout == POST_CLEAN * 2


def test_files0_from_a_missing_list_is_a_usage_error(tmp_path):
    result = invoke("normalize", "--files0-from", str(tmp_path / "missing"))
    assert result.exit_code == 2
    assert f"{tmp_path / 'missing'}: No such file or directory" in result.stderr


def test_an_unreadable_input_names_the_cause_and_the_others_go_on(posts, monkeypatch):
    from cleantext import io

    real = io._read_file

    def refuse_one(path):
        if path.name == "toml.md":
            raise PermissionError(13, "Permission denied")  # as root, chmod 000 would not
        return real(path)

    monkeypatch.setattr(io, "_read_file", refuse_one)
    result = invoke("normalize", str(posts / "toml.md"), str(posts / "post.md"))
    assert result.exit_code == 1
    assert result.stderr == f"cleantext: {posts / 'toml.md'}: Permission denied\n"
    assert result.stdout == POST_CLEAN


def test_files0_from_stdin(posts):
    names = f"{posts / 'post.md'}\0".encode()
    result = invoke("normalize", "--files0-from", "-", input=names)
    assert result.stdout == POST_CLEAN


def test_missing_file_among_good_ones_others_still_written(posts):
    result = invoke("normalize", str(posts / "post.md"), str(posts / "nope.md"),
                    str(posts / "post.md"))
    assert result.exit_code == 1
    assert result.stdout == POST_CLEAN * 2
    assert result.stderr == f"cleantext: {posts / 'nope.md'}: no such file or directory\n"


def test_empty_file(tmp_path):
    (tmp_path / "empty.md").write_bytes(b"")
    result = invoke("normalize", str(tmp_path / "empty.md"))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_binary_file_is_refused():
    result = invoke("normalize", str(FIXTURES / "image.png"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"cleantext: {FIXTURES / 'image.png'}: binary file")
    assert result.stdout == ""


# --- encodings ---------------------------------------------------------------------------


def test_crlf_front_matter_kept_byte_for_byte_and_toml_detected():
    result = invoke("normalize", "--keep", "line-endings", str(FIXTURES / "toml.md"))
    assert result.stdout_bytes.startswith('+++\r\ntitle = "Ｔｏｍｌ"\r\n+++\r\n'.encode())
    # By default normalize gives the front matter the body's line ends (no mixed file).
    result = invoke("normalize", str(FIXTURES / "toml.md"))
    assert result.stdout_bytes == '+++\ntitle = "Ｔｏｍｌ"\n+++\n正文\n'.encode()


def test_json_front_matter_with_nested_object_kept():
    result = invoke("normalize", str(FIXTURES / "json.md"))
    raw = (FIXTURES / "json.md").read_text()
    assert result.stdout == raw[: raw.index("}\n}\n") + 4] + "JSON正文\n"


def test_bom_is_kept_as_found():
    result = invoke("strip-html", str(FIXTURES / "bom.md"))
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbf---\ntitle: bom\n---\n")
    assert result.stdout_bytes.endswith("有ＢＯＭ\n".encode())
    # normalize drops it (it removes invisible characters), unless told to keep them.
    assert invoke("normalize", str(FIXTURES / "bom.md")).stdout_bytes.startswith(b"---\n")
    kept = invoke("normalize", "--keep", "invisible", str(FIXTURES / "bom.md")).stdout_bytes
    assert kept.startswith(b"\xef\xbb\xbf---\n")


@pytest.mark.parametrize("name,expected", [
    ("gb18030.md", "中国银保监会普惠金融部副主任丁晓芳昨天说"),
    ("big5.md", "中央社記者今天報導，台灣的經濟成長率創下新高"),
])
def test_legacy_chinese_encodings_are_detected_and_written_as_utf8(name, expected):
    result = invoke("normalize", str(FIXTURES / name))
    assert result.exit_code == 0
    assert expected in result.stdout_bytes.decode("utf-8")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_read_and_written_as_utf8_bom_kept(tmp_path, codec):
    path = tmp_path / "wide.md"
    path.write_bytes("\ufeff---\ntitle: 宽\n---\n　　正文  \n".encode(codec))
    result = invoke("strip-html", str(path))
    assert result.exit_code == 0
    assert result.stdout_bytes == "\ufeff---\ntitle: 宽\n---\n　　正文  \n".encode("utf-8")


def test_utf8_cut_inside_its_last_character_keeps_the_rest(tmp_path):
    path = tmp_path / "cut.md"
    path.write_bytes("中文段落。".encode()[:-1])  # a download cut mid-character
    result = invoke("normalize", str(path))
    assert result.exit_code == 0
    assert result.stdout_bytes == "中文段落".encode() + "。".encode()[:-1] + b"\n"
    assert result.stderr == (f"cleantext: {path}: warning: 2 bytes not valid UTF-8 (the first "
                             "at byte 12), kept as they are\n")
    result = invoke("normalize", "--encoding-errors", "replace", str(path))
    assert result.exit_code == 0 and result.stdout == "中文段落\ufffd\n"


def test_forced_encoding(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("café  au lait\n".encode("latin-1"))
    assert invoke("normalize", "--encoding", "latin-1", str(path)).stdout == "café au lait\n"
    # An encoding that does not exist, or is not a text encoding, is one usage error before
    # any input is read, not one error per document.
    for name in ("no-such-codec", "rot13"):
        bad = invoke("normalize", "--encoding", name, str(path), str(path))
        assert bad.exit_code == 2 and bad.stdout == ""
        assert bad.stderr.count(f"unknown text encoding {name!r}") == 1


def test_undecodable_bytes_give_a_one_line_error(tmp_path):
    path = tmp_path / "bad.md"
    path.write_bytes(b"\x81" * 3 + b"\xff\xfe\xfa" * 2)
    result = invoke("normalize", "--encoding", "utf-8", "--encoding-errors", "strict", str(path))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr
    assert "not valid UTF-8 at byte 0" in result.stderr


# --- outputs -----------------------------------------------------------------------------


def test_output_file(posts, tmp_path):
    out = tmp_path / "out.md"
    result = invoke("normalize", str(posts / "post.md"), "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text() == POST_CLEAN


def test_output_needs_exactly_one_input(posts):
    result = invoke("normalize", str(posts / "post.md"), str(posts / "toml.md"), "-o", "x")
    assert result.exit_code == 2 and "exactly one input" in result.stderr


def test_output_onto_its_own_input_is_refused_by_inode(posts):
    link = posts / "link.md"
    os.link(posts / "post.md", link)  # another name, the same inode
    result = invoke("normalize", str(posts / "post.md"), "-o", str(link))
    assert result.exit_code == 2 and "that is the input file" in result.stderr
    assert (posts / "post.md").read_bytes() == POST


# 80 Chinese characters and ".md": 243 bytes, a name the file system takes (255 at most),
# though the temporary file's name made from it by adding to it would not be.
LONG_NAME = "长" * 80 + ".md"


def test_a_file_name_near_the_file_systems_limit_can_be_rewritten(posts, tmp_path_factory):
    long = posts / LONG_NAME
    shutil.copy(FIXTURES / "post.md", long)
    out = tmp_path_factory.mktemp("out")
    result = invoke("normalize", str(long), "--output-dir", str(out))
    assert result.exit_code == 0, result.stderr
    assert (out / LONG_NAME).read_text(encoding="utf-8") == POST_CLEAN
    result = invoke("normalize", "-i", str(long))
    assert result.exit_code == 0, result.stderr
    assert long.read_text(encoding="utf-8") == POST_CLEAN


def test_a_temporary_files_stem_is_cut_by_whole_characters():
    from cleantext.io import TEMP_STEM_BYTES, temp_stem

    assert temp_stem("post.md") == "post.md"
    stem = temp_stem(LONG_NAME)
    assert LONG_NAME.startswith(stem)
    assert TEMP_STEM_BYTES - 3 < len(stem.encode("utf-8")) <= TEMP_STEM_BYTES


def test_in_place_with_backup_keeps_mode(posts):
    target = posts / "post.md"
    target.chmod(0o640)
    result = invoke("normalize", "-i", "--backup", ".orig", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text() == POST_CLEAN
    assert (posts / "post.md.orig").read_bytes() == POST
    assert target.stat().st_mode & 0o777 == 0o640
    assert not [p for p in posts.iterdir() if p.name.endswith(".tmp")]


def test_in_place_leaves_unchanged_files_alone(posts):
    target = posts / "post.md"
    target.write_text(POST_CLEAN)
    before = target.stat().st_mtime_ns
    time.sleep(0.01)
    invoke("normalize", "-i", str(target))
    assert target.stat().st_mtime_ns == before


def test_in_place_refuses_stdin():
    result = invoke("normalize", "-i", input=POST)
    assert result.exit_code == 2


def test_backup_without_in_place_is_a_usage_error(posts):
    assert invoke("normalize", "--backup", ".b", str(posts / "post.md")).exit_code == 2


@pytest.mark.parametrize("command", [["normalize"], ["meta"], ["clean", "--to", "jsonl"]])
def test_output_through_a_symbolic_link_replaces_its_file_and_keeps_the_link(posts, tmp_path,
                                                                             command):
    real = tmp_path / "real.out"
    real.write_text("old\n")
    link = tmp_path / "link.out"
    link.symlink_to(real)
    result = invoke(*command, str(posts / "post.md"), "-o", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(real)  # as `> link` leaves it
    assert "测试" in real.read_text(encoding="utf-8")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("command", [["normalize"], ["meta"], ["clean", "--to", "jsonl"]])
def test_output_into_a_fifo_writes_into_it_rather_than_replacing_it(posts, tmp_path, command):
    # A FIFO or a device (/dev/null, /dev/stdout) cannot be replaced by a rename, and must
    # not be: as root, -o /dev/null would have put a regular file in its place.
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = invoke(*command, str(posts / "post.md"), "-o", str(fifo))
    reader.join(30)
    assert result.exit_code == 0, result.stderr
    assert fifo.is_fifo()
    assert "测试".encode() in received[0]


@pytest.mark.parametrize("command", [["normalize"], ["meta"], ["clean", "--to", "jsonl"]])
def test_output_dash_means_stdout(posts, command, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    result = invoke(*command, str(posts / "post.md"), "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert "测试" in result.stdout and not (tmp_path / "-").exists()


@pytest.mark.parametrize("streamed", [False, True])
def test_output_into_a_missing_folder_is_an_error_not_a_new_folder(posts, tmp_path, monkeypatch,
                                                                   streamed):
    if streamed:  # the post is then over the threshold: streamed into its output
        monkeypatch.setattr(runner, "STREAM_THRESHOLD", 16)
    target = tmp_path / "missing" / "out.md"
    result = invoke("normalize", str(posts / "post.md"), "-o", str(target))
    assert result.exit_code == 1
    # Named by the output, not the input: the input is there, streamed or not.
    assert result.stderr.splitlines()[0] == (f"cleantext: {target}: cannot write: "
                                             "No such file or directory")
    assert not target.parent.exists()  # as with `> missing/out.md` or pandoc -o


def test_output_dir_mirrors_the_tree(posts, tmp_path):
    (posts / "sub").mkdir()
    shutil.copy(FIXTURES / "post.md", posts / "sub" / "deep.md")
    out = tmp_path.parent / (tmp_path.name + "-out")
    result = invoke("normalize", "-r", str(posts), "--output-dir", str(out))
    assert result.exit_code == 0
    assert (out / "sub" / "deep.md").read_text() == POST_CLEAN
    assert (out / "post.md").read_text() == POST_CLEAN
    assert (posts / "post.md").read_bytes() == POST  # inputs untouched


def test_output_dir_inside_the_input_tree_is_refused(posts):
    result = invoke("normalize", "-r", str(posts), "--output-dir", str(posts / "clean"))
    assert result.exit_code == 2 and "inside the input directory" in result.stderr
    assert not (posts / "clean").exists()


def test_output_dir_refuses_a_second_input_for_the_same_output_file(posts, tmp_path):
    other = tmp_path.parent / (tmp_path.name + "-other")
    other.mkdir()
    (other / "post.md").write_text(POST_CLEAN.replace("第一段", "别的"), encoding="utf-8")
    out = tmp_path.parent / (tmp_path.name + "-out")
    for args in ([str(posts / "post.md"), str(other / "post.md")],  # one name, two folders
                 ["-r", str(posts), str(other)]):  # one relative path, two trees
        shutil.rmtree(out, ignore_errors=True)
        result = invoke("normalize", *args, "--output-dir", str(out))
        assert result.exit_code == 1
        assert result.stderr.startswith(f"cleantext: {other / 'post.md'}: would overwrite "
                                        f"{out / 'post.md'}, the output of {posts / 'post.md'}\n")
        assert (out / "post.md").read_text(encoding="utf-8") == POST_CLEAN  # the first one's
    # The same file twice is not two inputs: written once, no error (as `cat a a` reads it twice).
    result = invoke("normalize", str(posts / "post.md"), str(posts / ".." / posts.name / "post.md"),
                    "--output-dir", str(out))
    assert result.exit_code == 0, result.stderr


def test_check_lists_files_that_would_change_and_exits_1(posts):
    clean = posts / "clean.md"
    clean.write_text(POST_CLEAN)
    result = invoke("normalize", "--check", str(posts / "post.md"), str(clean))
    assert result.exit_code == 1
    assert result.stdout == f"{posts / 'post.md'}\n"
    assert (posts / "post.md").read_bytes() == POST
    assert invoke("normalize", "--check", str(clean)).exit_code == 0


def test_diff_prints_a_unified_diff(posts):
    result = invoke("normalize", "--diff", str(posts / "post.md"))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"--- {posts / 'post.md'}\n+++ {posts / 'post.md'}\n@@")
    assert "-　　第一段，ＡＢＣ。  \n" in result.stdout and "+第一段，ABC。\n" in result.stdout


def test_conflicting_output_modes_are_usage_errors(posts):
    result = invoke("normalize", "--check", "--diff", str(posts / "post.md"))
    assert result.exit_code == 2 and "cannot be used together" in result.stderr


def test_unknown_option_is_a_usage_error():
    assert invoke("normalize", "--no-such-option").exit_code == 2


# --- streaming big inputs through the same contract ------------------------------------


def test_big_input_is_streamed_with_the_same_result(tmp_path, monkeypatch):
    body = "　　段落，ＡＢＣ  \r\n\r\n\r\n\r\n" * 500
    text = "---\ntitle: big\n---\n" + body
    path = tmp_path / "big.md"
    path.write_text(text, newline="")
    expected = invoke("normalize", str(path)).stdout
    monkeypatch.setattr(runner, "STREAM_THRESHOLD", 1000)
    monkeypatch.setattr(runner, "PIECE_SIZE", 77)
    assert invoke("normalize", str(path)).stdout == expected
    assert invoke("normalize", input=text.encode()).stdout == expected
    out = tmp_path / "out.md"
    assert invoke("normalize", str(path), "-o", str(out)).exit_code == 0
    assert out.read_text() == expected


def test_a_streamed_in_place_edit_refuses_a_read_only_file_and_keeps_a_backup(
        tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "STREAM_THRESHOLD", 1000)
    text = "---\ntitle: big\n---\n" + "　　段落  \n" * 500
    locked, edited = tmp_path / "locked.md", tmp_path / "edited.md"
    for path in (locked, edited):
        path.write_text(text)
    locked.chmod(0o444)
    result = invoke("normalize", "-i", str(locked))
    assert result.exit_code == 1 and "read-only" in result.stderr
    assert locked.read_text() == text
    result = invoke("normalize", "-i", "--backup", ".bak", str(edited))
    assert result.exit_code == 0
    assert (tmp_path / "edited.md.bak").read_text() == text
    assert edited.read_text() == "---\ntitle: big\n---\n" + "段落\n" * 500
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "edited.md", "edited.md.bak", "locked.md"]


def test_a_streamed_legacy_encoding_is_detected_as_in_memory(tmp_path, monkeypatch):
    text = "---\ntitle: x\n---\n" + "中央社記者今天報導，台灣的經濟成長率創下新高。\n" * 100
    path = tmp_path / "big5.md"
    path.write_bytes(text.encode("big5"))
    expected = invoke("normalize", str(path)).stdout
    assert "台灣的經濟" in expected
    monkeypatch.setattr(runner, "STREAM_THRESHOLD", 1000)
    monkeypatch.setattr(runner, "PIECE_SIZE", 300)
    assert invoke("normalize", str(path)).stdout == expected


def test_bad_utf8_deep_in_a_streamed_file_is_one_line_and_leaves_no_output(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "STREAM_THRESHOLD", 1000)
    monkeypatch.setattr(runner, "PIECE_SIZE", 100)
    data = bytearray(("---\ntitle: x\n---\n" + "text line\n" * 1000).encode())
    data[5000] = 0xFF
    path = tmp_path / "bad.md"
    path.write_bytes(bytes(data))
    out = tmp_path / "out"
    result = invoke("normalize", str(path), "--output-dir", str(out), "--encoding-errors",
                    "strict")
    assert result.exit_code == 1
    assert result.stderr == (f"cleantext: {path}: not valid UTF-8 near byte 5000 "
                             "(--encoding-errors strict)\n")
    assert not out.exists() or list(out.iterdir()) == []
    # By default the byte is kept, streamed, with a warning that says where.
    result = invoke("normalize", str(path), "--output-dir", str(out))
    assert result.exit_code == 0
    assert result.stderr == (f"cleantext: {path}: warning: 1 byte not valid UTF-8 (the first "
                             "at byte 5000), kept as they are\n")
    assert (out / "bad.md").read_bytes() == bytes(data)


@pytest.mark.parametrize("head", [
    "---\ntitle: x\n---\n",
    "---\r\ntitle: x\r\n---\r\n",
    "---\ntitle: x\n----\nstill: head\n---\n",  # "----" does not close it
])
def test_a_streamed_head_ends_where_it_does_in_memory_at_any_piece_size(
        tmp_path, monkeypatch, head):
    text = head + "body line\n" * 100
    path = tmp_path / "big.md"
    path.write_text(text, newline="")
    args = ("normalize", "--keep", "line-endings", str(path))
    expected = invoke(*args).stdout_bytes  # bytes: .stdout drops CRs
    assert expected == (head + "body line\n" * 100).encode()
    monkeypatch.setattr(runner, "STREAM_THRESHOLD", 100)
    for size in range(1, len(head) + 3):  # pieces that end at every place in the head
        monkeypatch.setattr(runner, "PIECE_SIZE", size)
        assert invoke(*args).stdout_bytes == expected, size


# --- the installed command, in a real process ------------------------------------------


def run(args: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cleantext", *args], capture_output=True,
                          **kw)


ENTRY = ("import atexit, sys\n"
         "atexit.register(lambda: sys.__stderr__.write('teardown ran\\n'))\n"
         "from cleantext.cli import entry\n"
         "sys.argv = ['cleantext', *sys.argv[1:]]\n"
         "entry()\n")


def test_the_command_skips_the_interpreter_teardown_and_loses_no_output(tmp_path: Path):
    # Start-up: freeing every module and object at exit cost 15-20 ms a run. The command
    # exits without it (no atexit handler runs), after writing everything.
    big = tmp_path / "big.md"
    big.write_text("---\ntitle: x\n---\n" + "　　正文ＡＢＣ。\n" * 200_000, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", ENTRY, "normalize", str(big)],
                          capture_output=True)
    assert proc.returncode == 0 and proc.stderr == b""
    assert proc.stdout == ("---\ntitle: x\n---\n" + "正文ABC。\n" * 200_000).encode()
    missing = subprocess.run([sys.executable, "-c", ENTRY, "normalize", str(tmp_path / "no")],
                             capture_output=True)
    assert missing.returncode == 1
    assert missing.stderr.decode().startswith(f"cleantext: {tmp_path / 'no'}: ")
    assert b"teardown ran" not in missing.stderr
    out = tmp_path / "out"
    written = subprocess.run([sys.executable, "-c", ENTRY, "normalize", str(big),
                              "--output-dir", str(out)], capture_output=True)
    assert written.returncode == 0 and (out / "big.md").read_bytes() == proc.stdout
    # ``main`` (for callers in the same process) still exits through SystemExit.
    from cleantext.cli import main

    with pytest.raises(SystemExit) as exit_:
        sys_argv = sys.argv
        try:
            sys.argv = ["cleantext", "--version"]
            main()
        finally:
            sys.argv = sys_argv
    assert exit_.value.code == 0


def test_installed_command_runs():
    exe = shutil.which("cleantext")
    assert exe, "the cleantext command is not installed"
    proc = subprocess.run([exe, "normalize", str(FIXTURES / "post.md")], capture_output=True)
    assert proc.returncode == 0 and proc.stdout.decode() == POST_CLEAN


def test_version():
    from cleantext import __version__

    proc = run(["--version"])
    assert proc.returncode == 0 and __version__ in proc.stdout.decode()


def test_piping_into_head_ends_quietly(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("一行文字\n\n" * 200_000)
    script = (f"{sys.executable} -m cleantext normalize {big} {big} | head -n 1; "
              "echo \"status ${PIPESTATUS[0]}\"")
    proc = subprocess.run(["bash", "-c", script], capture_output=True)
    assert proc.stdout.decode() == "一行文字\nstatus 141\n"
    assert proc.stderr == b""


def test_sigint_exits_130_without_traceback(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "cleantext", "normalize"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    time.sleep(1.0)  # let it start and block on stdin
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=10)
    assert proc.returncode == 130
    assert b"Traceback" not in err


def test_terminal_stdin_gets_a_hint():
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "cleantext", "normalize"], stdin=follower,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.close(follower)
    time.sleep(1.0)
    os.write(leader, b"\x04")  # Ctrl-D: end of input
    out, err = proc.communicate(timeout=10)
    os.close(leader)
    assert b"reading a document from standard input" in err
    assert proc.returncode == 0


HEAVY = ("bs4", "lxml", "opencc", "yaml", "frontmatter", "charset_normalizer", "markdown_it")


@pytest.mark.parametrize("args", [["--help"], ["normalize", "--help"], ["clean", "--help"]])
def test_help_does_not_import_heavy_libraries(args):
    code = ("import sys; from cleantext.cli import main; sys.argv = ['cleantext', *%r]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in %r), file=sys.stderr)"
            % (args, HEAVY))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stderr.strip() == "[]"


def test_top_level_help_imports_no_step_module():
    # Start-up: the command list comes from the registry's summaries (10 ms of imports here).
    code = ("import sys; from cleantext.cli import main; sys.argv = ['cleantext', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('cleantext.steps')), "
            "file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stderr.strip() == "[]"
    assert "Remove ads, promos" in proc.stdout and "meta" in proc.stdout


def test_every_subcommand_has_help_with_an_example():
    names = cli.list_commands(None)
    assert {"clean", "meta", "normalize", "strip-ads", "strip-html", "convert"} <= set(names)
    for name in names:
        command = cli.get_command(None, name)
        for flag in ("-h", "--help"):
            result = invoke(name, flag)
            assert result.exit_code == 0, name
            assert "Example" in result.stdout, name
        assert command.short_help or command.help, name


def test_a_step_command_imports_only_its_own_step_module(tmp_path: Path) -> None:
    # Start-up: `cleantext normalize` must not pay for lxml, opencc or the other steps.
    script = ("import sys\nfrom cleantext.cli import main\nsys.argv = ['cleantext', "
              "'normalize', sys.argv[1]]\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
              "loaded = sorted(m for m in sys.modules if m.startswith('cleantext.steps.') "
              "or m.split('.')[0] in ('lxml', 'opencc', 'bs4', 'yaml', 'cssselect'))\n"
              "sys.stderr.write(repr(loaded))\n")
    doc = tmp_path / "post.md"
    doc.write_text("---\ntitle: x\n---\n　　Ｈｅｌｌｏ\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", script, str(doc)], capture_output=True)
    assert proc.stdout == "---\ntitle: x\n---\nHello\n".encode()
    assert proc.stderr == b"['cleantext.steps.normalize']"


@pytest.mark.parametrize("command", ["strip-ads", "strip-html", "convert", "t2s"])
def test_other_step_commands_import_no_other_step(tmp_path: Path, command: str) -> None:
    # ``from cleantext import diskcache`` (strip-ads) once loaded every step through the
    # package's lazy attribute lookup; a step command must load its own module only.
    script = ("import sys\nfrom cleantext.cli import main\nsys.argv = ['cleantext', "
              "sys.argv[1], sys.argv[2]]\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
              "loaded = sorted(m for m in sys.modules if m.startswith('cleantext.steps.'))\n"
              "sys.stderr.write(repr(loaded))\n")
    doc = tmp_path / "post.md"
    doc.write_text("---\ntitle: x\n---\n<p>文章</p>\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", script, command, str(doc)],
                          capture_output=True, text=True)
    module = registry.STEP_MODULES[command]
    assert proc.stderr == repr([module]), proc.stderr


@pytest.mark.parametrize("command", ["normalize", "strip-ads", "strip-html", "convert", "clean"])
def test_commands_writing_to_stdout_import_neither_json_nor_signal(tmp_path: Path,
                                                                   command: str) -> None:
    # Start-up: json (3-4 ms here) was imported for strip-ads' rule cache, signal (1-2 ms)
    # for clean's worker processes; neither is needed to clean one document to stdout.
    # click's own imports are not cleantext's (on Python 3.10 its uuid imports signal).
    script = ("import sys\nimport click\nbefore = set(sys.modules)\n"
              "from cleantext.cli import main\nsys.argv = ['cleantext', sys.argv[1], sys.argv[2]]\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "sys.stderr.write(repr(sorted({'json', 'signal'} & set(sys.modules) - before)))\n")
    doc = tmp_path / "post.md"
    doc.write_text("---\ntitle: x\n---\n<p>文章，ＡＢＣ</p>\n", encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for _ in range(2):  # the first run writes strip-ads' rule cache, the second reads it
        proc = subprocess.run([sys.executable, "-c", script, command, str(doc)],
                              capture_output=True, text=True, env=env)
        assert proc.stderr == "[]"


def test_unknown_command_is_a_usage_error_listing_nothing_it_cannot_run() -> None:
    proc = run(["no-such-step"])
    assert proc.returncode == 2 and b"No such command" in proc.stderr


def test_top_level_help_lists_every_command_without_building_them() -> None:
    script = ("import sys\nfrom cleantext.cli import cli, main\nsys.argv = ['cleantext', "
              "'--help']\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
              "sys.stderr.write(repr(sorted(cli.commands)))\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.stderr == "[]"  # nothing built, nothing of clean's options imported
    listing = "".join(proc.stdout.split())  # wrapped lines, even inside "full-width"
    for name in cli.list_commands(None):
        short_help = cli.get_command(None, name).short_help
        assert name + "".join(short_help.split()) in listing, name


def test_a_streamed_crlf_post_comes_out_with_lf_only(tmp_path, monkeypatch):
    path = tmp_path / "big.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\n" + b"body line\r\n" * 100)
    in_memory = invoke("normalize", str(path)).stdout_bytes
    monkeypatch.setattr(runner, "STREAM_THRESHOLD", 100)
    monkeypatch.setattr(runner, "PIECE_SIZE", 7)
    assert invoke("normalize", str(path)).stdout_bytes == in_memory
    assert in_memory == b"---\ntitle: x\n---\n" + b"body line\n" * 100
