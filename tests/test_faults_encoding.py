"""Issue 22, point 3: decoding never destroys bytes.

A UTF-8 post with a stray byte stays UTF-8, the byte passes through unchanged and a warning
says where; a legacy encoding is taken only when the bytes are not mostly UTF-8; byte order
marks decide UTF-16 and UTF-32; a short GBK file is not read as UTF-16 (or Korean)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleantext.cli import cli
from cleantext.decoding import decode, detect_encoding

HEAD = "---\ntitle: 经济学人\nauthor: 经济学人".encode()
# The case: one stray byte after a Chinese author name (read as mac_iceland before:
# "ÁªèÊµéÂ≠¶‰∫∫en", exit 0, nothing said, and -i wrote that back).
STRAY = HEAD + b"\xff" + "en\n---\n正文第一段，经济学人的文章。\n\n第二段。\n".encode()
OFFSET = len(HEAD)


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def warning(path: Path, count: int = 1, offset: int = OFFSET) -> str:
    noun = "byte" if count == 1 else "bytes"
    return (f"cleantext: {path}: warning: {count} {noun} not valid UTF-8 (the first at byte "
            f"{offset}), kept as they are\n")


def test_one_bad_byte_comes_back_with_every_other_byte_unchanged(tmp_path):
    path = tmp_path / "post.md"
    path.write_bytes(STRAY)
    result = invoke("normalize", str(path))
    assert result.exit_code == 0
    assert result.stdout_bytes == STRAY  # nothing to normalize: the very same bytes
    assert result.stderr == warning(path)


def test_normalize_in_place_writes_the_bad_byte_back_unchanged(tmp_path):
    path = tmp_path / "post.md"
    path.write_bytes(STRAY.replace("正文".encode(), "　　正文".encode()))  # something to clean
    result = invoke("normalize", "-i", str(path))
    assert result.exit_code == 0, result.stderr
    assert path.read_bytes() == STRAY


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_html_steps_keep_the_bad_byte_too(tmp_path, jobs):
    # lxml turns a lone surrogate into "?": the byte must survive strip-ads and strip-html.
    data = HEAD + b"\n---\n<p>\xe7\xbb\x8f\xff\xe6\xb5\x8e</p>\n"  # 经, a stray byte, 济
    paths = []
    for name in ("a.md", "b.md"):
        paths.append(tmp_path / name)
        paths[-1].write_bytes(data)
    proc = subprocess.run([sys.executable, "-m", "cleantext", "clean", "-j", jobs,
                           *map(str, paths)], capture_output=True)
    assert proc.returncode == 0, proc.stderr
    expected = HEAD + b"\n---\n\xe7\xbb\x8f\xff\xe6\xb5\x8e\n"
    assert proc.stdout == expected * 2


def test_a_chinese_post_with_a_stray_byte_is_never_read_as_a_legacy_encoding():
    text = decode(STRAY)
    assert "经济学人" in text and text.encode("utf-8", "surrogateescape") == STRAY
    # Several stray bytes and a cut last character: still UTF-8, still every byte.
    data = STRAY.replace(b"\n\n", b"\x80\x81\n\n") + "。".encode()[:2]
    assert decode(data).encode("utf-8", "surrogateescape") == data


def test_encoding_errors_replace_and_strict(tmp_path):
    path = tmp_path / "post.md"
    path.write_bytes(STRAY)
    result = invoke("normalize", "--encoding-errors", "replace", str(path))
    assert result.exit_code == 0
    assert result.stdout_bytes == STRAY.replace(b"\xff", "\ufffd".encode())
    assert result.stderr == (f"cleantext: {path}: warning: 1 byte not valid UTF-8 (the first "
                             f"at byte {OFFSET}), each replaced by U+FFFD\n")
    result = invoke("normalize", "-i", "--encoding-errors", "strict", str(path))
    assert result.exit_code == 1
    assert result.stderr == (f"cleantext: {path}: not valid UTF-8 at byte {OFFSET} "
                             "(--encoding-errors strict)\n")
    assert path.read_bytes() == STRAY
    result = invoke("normalize", "--encoding-errors", "nope", str(path))
    assert result.exit_code == 2


def test_a_forced_encoding_keeps_its_invalid_bytes_too(tmp_path):
    path = tmp_path / "post.md"
    path.write_bytes("标题".encode("gb18030") + b"\x80\n")  # 0x80 alone is not GB18030
    result = invoke("normalize", "--encoding", "gb18030", str(path))
    assert result.exit_code == 0
    assert result.stdout_bytes == "标题".encode() + b"\x80\n"
    assert "not valid gb18030 (the first at byte 4), kept as they are" in result.stderr


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"])
def test_byte_order_marks_decide_utf16_and_utf32(tmp_path, codec):
    path = tmp_path / "wide.md"
    path.write_bytes("\ufeff---\ntitle: 宽\n---\n正文\n".encode(codec))
    result = invoke("strip-html", str(path))  # keeps the BOM (normalize drops it)
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == "\ufeff---\ntitle: 宽\n---\n正文\n".encode()
    assert b"\0" not in result.stdout_bytes


@pytest.mark.parametrize("text", ["中文", "你好世界", "标题：经济", "中国银行", "短文"])
def test_a_short_gbk_file_is_read_as_gbk_not_utf16_nor_korean(tmp_path, text):
    data = text.encode("gbk")
    assert detect_encoding(data) == "gb18030"
    path = tmp_path / "short.md"
    path.write_bytes(data)
    result = invoke("normalize", str(path))
    assert result.exit_code == 0 and result.stdout == text + "\n"


def test_a_legacy_encoding_is_still_detected_when_the_bytes_are_not_utf8():
    text = "中央社記者今天報導，台灣的經濟成長率創下新高，政府表示將持續推動改革。"
    assert decode(text.encode("big5")) == text
    text = "中国银保监会普惠金融部副主任丁晓芳昨天说，将继续推进改革。"
    assert decode(text.encode("gbk")) == text


@pytest.mark.parametrize("command", [["meta"], ["clean", "--to", "jsonl"]])
def test_json_outputs_stay_valid_utf8_with_a_replacement_for_the_bad_byte(tmp_path, command):
    path = tmp_path / "post.md"
    path.write_bytes(STRAY)
    result = invoke(*command, str(path))
    assert result.exit_code == 0
    line = result.stdout_bytes.decode("utf-8")  # valid UTF-8
    assert '"author": "经济学人\ufffden"' in line
