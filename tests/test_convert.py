"""Tests for the ``convert`` step and its ``t2s`` shortcut (issue 7).

Expected strings pin the behaviour of the installed OpenCC (1.4.x): versions differ in a few
characters, so a failure after an OpenCC upgrade may be a dictionary change, not a bug.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest
from click.testing import CliRunner

import cleantext
from cleantext import registry, runner
from cleantext.cli import cli
from cleantext.document import Document
from cleantext.errors import CleantextError
from cleantext.steps import convert as cv

# --- configurations ---------------------------------------------------------------------------


def test_configs_are_the_json_files_the_installed_opencc_ships() -> None:
    spec = find_spec("opencc")
    assert spec is not None and spec.submodule_search_locations
    share = Path(next(iter(spec.submodule_search_locations))) / "clib" / "share" / "opencc"
    shipped = sorted(p.stem for p in share.glob("*.json"))
    assert list(cv.CONFIGS) == shipped
    assert {"t2s", "s2t", "tw2s", "tw2sp", "hk2s", "s2tw", "s2twp", "s2hk", "t2tw", "t2hk",
            "tw2t", "hk2t", "t2jp", "jp2t"} <= set(cv.CONFIGS)


@pytest.mark.parametrize(("config", "text", "expected"), [
    ("t2s", "這隻貓在電腦前", "这只猫在电脑前"),
    ("s2t", "这只猫在电脑前", "這隻貓在電腦前"),
    ("tw2s", "軟體的記憶體", "软体的记忆体"),  # characters only: no regional phrases
    ("tw2sp", "軟體的記憶體", "软件的内存"),   # phrases: Taiwan's words become mainland's
    ("s2twp", "软件的内存", "軟體的記憶體"),
    ("s2tw", "为了", "為了"),
    ("hk2s", "這隻貓", "这只猫"),
    ("t2tw", "爲了", "為了"),
    ("tw2t", "為了", "爲了"),
    ("t2jp", "國際", "国際"),
    ("jp2t", "国際", "國際"),
])
def test_configs_convert_as_opencc_does(config: str, text: str, expected: str) -> None:
    assert cleantext.convert(text, config=config) == expected


def test_installed_version_specifics_are_pinned() -> None:
    # 1.4.x maps 舖 to 铺 and keeps 沈 (a surname) and 著 in 睡著了 under t2s.
    assert cleantext.convert("沈先生的舖子，睡著了", config="t2s") == "沈先生的铺子，睡著了"


def test_phrase_level_conversion_through_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text("軟體的記憶體\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", "-c", "tw2sp", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output == "软件的内存\n"


def test_default_config_is_t2s(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text("這隻貓\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", str(path)])
    assert (result.exit_code, result.output) == (0, "这只猫\n")


def test_unknown_config_is_a_usage_error_listing_valid_names(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text("這隻貓\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", "-c", "t2x", str(path)])
    assert result.exit_code == 2
    assert "t2x" in result.output
    for name in ("t2s", "s2t", "tw2sp", "jp2t"):
        assert repr(name) in result.output


def test_unknown_config_through_the_api_names_the_valid_ones() -> None:
    with pytest.raises(CleantextError, match="tw2sp"):
        cleantext.convert("這隻貓", config="t2x")


def test_converter_is_built_once_per_config() -> None:
    assert cv.converter("t2s") is cv.converter("t2s")
    assert cv.converter("s2t") is not cv.converter("t2s")


def test_t2s_shortcut_is_convert_with_t2s(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text(SINA_LIKE, encoding="utf-8")
    shortcut = CliRunner().invoke(cli, ["t2s", str(path)])
    explicit = CliRunner().invoke(cli, ["convert", "-c", "t2s", str(path)])
    assert shortcut.exit_code == explicit.exit_code == 0
    assert shortcut.output == explicit.output != SINA_LIKE
    assert cleantext.t2s("這隻貓") == "这只猫"
    assert "--config" not in CliRunner().invoke(cli, ["t2s", "--help"]).output


def test_help_does_not_import_opencc() -> None:
    code = ("import sys; from cleantext.cli import cli; import cleantext.steps.convert; "
            "print('opencc' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


# --- front matter -----------------------------------------------------------------------------

SINA_LIKE = """\

---
title: '全國P2P網貸存量業務總量大幅壓降：未兌付餘額壓降至4974億'
categories:
 - 金融
 - 新浪财经
 - 新浪财经－国內
headimg: 'https://n.sinaimg.cn/finance/軟體/343233024.png'
author: 新浪財經
comments: false
date: Fri, 22 Apr 2022 13:29:05 GMT
"標題鍵": "臺灣 https://example.com.tw/臺灣?q=軟體"
---

<div><p>會議強調，要保持戰略定力。</p></div>
"""


def _keys(head: str) -> list[str]:
    return re.findall(r"^[ \t]*(?:-[ \t]+)?(\"[^\"]*\"|[^\s:][^:\n]*?):(?=\s)", head,
                      re.MULTILINE)


def _urls(text: str) -> list[str]:
    return re.findall(r"https?://[^\s'\"<>]+", text)


def test_front_matter_values_are_converted() -> None:
    doc = cv.convert(Document.parse(SINA_LIKE))
    assert "新浪财经－国内" in doc.head
    assert "title: '全国P2P网贷存量业务总量大幅压降：未兑付余额压降至4974亿'" in doc.head
    assert "author: 新浪财经\n" in doc.head
    assert doc.metadata["categories"] == ["金融", "新浪财经", "新浪财经－国内"]


def test_front_matter_keeps_keys_urls_dates_and_quoting() -> None:
    doc = cv.convert(Document.parse(SINA_LIKE))
    original = Document.parse(SINA_LIKE)
    assert _keys(doc.head) == _keys(original.head)
    assert '"標題鍵"' in _keys(doc.head)  # a traditional key stays traditional
    assert _urls(doc.head) == _urls(original.head)
    assert "https://example.com.tw/臺灣?q=軟體" in doc.head
    assert "date: Fri, 22 Apr 2022 13:29:05 GMT\n" in doc.head
    assert doc.head.startswith("\n---\ntitle: '") and doc.head.endswith("\n---\n")
    # Only the characters OpenCC maps changed: same length line by line, same ASCII bytes.
    for old, new in zip(original.head.splitlines(), doc.head.splitlines(), strict=True):
        assert len(old) == len(new)
        assert [c for c in old if c.isascii()] == [c for c in new if c.isascii()]


@pytest.mark.parametrize(("text", "expected"), [
    ('+++\ntitle = "軟體"\n"標籤" = ["記憶體"]\nurl = "https://x.tw/軟體"\n[params]\nk = 1\n+++\n',
     '+++\ntitle = "软件"\n"標籤" = ["内存"]\nurl = "https://x.tw/軟體"\n[params]\nk = 1\n+++\n'),
    ('{\n  "標題": "軟體",\n  "tags": ["記憶體", "a\\"b"],\n  "url": "https://x.tw/軟體"\n}\n',
     '{\n  "標題": "软件",\n  "tags": ["内存", "a\\"b"],\n  "url": "https://x.tw/軟體"\n}\n'),
])
def test_toml_and_json_front_matter(text: str, expected: str) -> None:
    doc = cv.convert(Document.parse(text + "軟體\n"), config="tw2sp")
    assert doc.format in ("toml", "json")
    assert doc.head == expected
    assert doc.body == "软件\n"


def test_body_only_leaves_the_front_matter_alone(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text(SINA_LIKE, encoding="utf-8")
    result = CliRunner().invoke(cli, ["convert", "--body-only", str(path)])
    assert result.exit_code == 0
    head = Document.parse(SINA_LIKE).head
    assert result.output.startswith(head)
    assert result.output[len(head):] == "\n<div><p>会议强调，要保持战略定力。</p></div>\n"


def test_no_front_matter_means_only_the_body_changes() -> None:
    assert cleantext.convert("\ufeff軟體: 記憶體\n", config="tw2sp") == "\ufeff软件: 内存\n"


# --- markup -----------------------------------------------------------------------------------

HTML = """\
<div class="軟體-box" data-x="記憶體">
<p title="軟體說明">軟體的記憶體 <a href="https://zh.wikipedia.org/wiki/軟體">軟體條目</a></p>
<img alt="記憶體圖片" src="/圖片/記憶體.png"
     data-src='https://cdn.example.tw/軟體.jpg'>
<!-- 軟體註解 -->
<p>見https://example.tw/記憶體/軟體，或 [軟體](https://x.tw/軟體) 與 [記憶體](/wiki/記憶體)。</p>
</div>
"""


def _tags(text: str) -> list[str]:
    return re.findall(r"<[^<>]*>", text)


def _without_text_attributes(tag: str) -> str:
    return re.sub(r"""\s(?:alt|title|aria-label|placeholder)=("[^"]*"|'[^']*')""", " TEXT",
                  tag)


def test_html_tags_and_urls_are_unchanged() -> None:
    out = cleantext.convert(HTML, config="tw2sp")
    assert [_without_text_attributes(t) for t in _tags(out)] == \
        [_without_text_attributes(t) for t in _tags(HTML)]
    for url in ("https://zh.wikipedia.org/wiki/軟體", "/圖片/記憶體.png",
                "https://cdn.example.tw/軟體.jpg", "https://example.tw/記憶體/軟體",
                "(https://x.tw/軟體)", "(/wiki/記憶體)"):
        assert url in out
    assert 'class="軟體-box" data-x="記憶體"' in out
    assert "<!-- 軟體註解 -->" in out


def test_html_text_and_human_attributes_are_converted() -> None:
    out = cleantext.convert(HTML, config="tw2sp")
    assert 'title="软件说明"' in out
    assert 'alt="内存图片"' in out
    assert ">软件的内存 <a" in out
    assert ">软件条目</a>" in out
    assert "见https://" in out and "，或 [软件](" in out and "与 [内存](" in out


def test_ascii_is_never_changed_by_any_config() -> None:
    # The markup rules rely on this: an all-ASCII tag or URL can be left inside the text.
    ascii_text = "".join(map(chr, range(32, 127))) + "\n\t"
    for config in cv.CONFIGS:
        assert cv.converter(config)(ascii_text) == ascii_text


# --- streaming --------------------------------------------------------------------------------

PHRASES = ("一只", "软件的内存", "頭髮", "乾淨", "<b title='軟體'>軟體</b>", "記憶體",
           "https://x.tw/軟體", "\n", "。", "，", " ", "<img alt=\"記\n憶體\">", "後來")


def _generated(size: int, seed: int = 7) -> str:
    import random

    rnd = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        part = rnd.choice(PHRASES)
        parts.append(part)
        total += len(part)
    return "".join(parts)


def _split(text: str, sizes: tuple[int, ...]) -> list[str]:
    pieces, pos, i = [], 0, 0
    while pos < len(text):
        size = sizes[i % len(sizes)]
        pieces.append(text[pos:pos + size])
        pos += size
        i += 1
    return pieces


@pytest.fixture
def small_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    """Segments of a few hundred characters, so a test-sized text makes hundreds of cuts."""
    monkeypatch.setattr(cv, "_TARGET", 300)
    monkeypatch.setattr(cv, "_MAX_CARRY", 2000)
    monkeypatch.setattr(cv, "HELPER_PROCESS", False)


@pytest.mark.parametrize("config", ["s2t", "t2s", "tw2sp", "s2twp"])
def test_stream_equals_one_piece(small_segments: None, config: str) -> None:
    text = _generated(60_000)
    whole = cv.convert_text(text, config, convert_code=True)
    assert whole == cv._convert_markup(text, cv.converter(config))
    markdown = cv.convert_text(text, config)  # the text reads as Markdown: code is kept
    for sizes in ((1,), (7, 3, 11), (299, 301), (4096,)):
        pieces = _split(text, sizes)
        assert "".join(cv.convert_pieces(pieces, config, convert_code=True)) == whole
        assert "".join(cv.convert_pieces(pieces, config)) == markdown


def test_phrase_across_piece_edges_is_not_cut(small_segments: None) -> None:
    # OpenCC converts 一只 (one, measure word) to 一隻 but 只 alone to 只: a cut between 一 and
    # 只 would give 一只; the stream must keep the phrase together.
    text = ("一只" * 400 + "\n") * 3
    pieces = [text[i:i + 301] for i in range(0, len(text), 301)]  # 301: odd, edges inside 一只
    assert any(p.endswith("一") for p in pieces)
    assert "".join(cv.convert_pieces(pieces, "s2t")) == ("一隻" * 400 + "\n") * 3


def test_long_line_without_newlines_is_cut_at_punctuation(small_segments: None) -> None:
    text = "軟體的記憶體，一只貓。" * 2000  # 22,000 characters, no newline, no "<"
    pieces = _split(text, (97,))
    out = list(cv.convert_pieces(pieces, "tw2sp"))
    assert "".join(out) == "软件的内存，一只猫。" * 2000
    assert len(out) > 5  # really streamed, not held until the end
    assert max(map(len, out)) <= 2500


def test_newline_inside_a_tag_is_not_a_cut(small_segments: None) -> None:
    tag = '<img alt="記\n憶體" src="https://x.tw/記\n憶體">'
    text = ("軟體" * 140 + tag + "\n") * 20
    out = "".join(cv.convert_pieces(_split(text, (13,)), "tw2sp"))
    assert out == ("软件" * 140 + '<img alt="记\n忆体" src="https://x.tw/記\n憶體">' + "\n") * 20


def test_cut_positions() -> None:
    assert cv._cut("ab\ncd") == 3
    assert cv._cut("ab\ncd<p>ef") == 5
    assert cv._cut('ab\n<img alt="x\ny') == 3  # the newline inside the open tag is no cut
    assert cv._cut("abc") == 0
    assert cv._cut("ab。cd", force=True) == 3
    assert cv._cut("abcd", force=True) == 0


def test_a_stray_angle_bracket_is_no_tag_past_max_tag(monkeypatch: pytest.MonkeyPatch) -> None:
    # A "<" that no ">" follows made every later place look inside a tag: a long line after
    # it was cut anywhere once past the hard limit, here inside a URL, which was converted.
    monkeypatch.setattr(cv, "_TARGET", 200)
    monkeypatch.setattr(cv, "_MAX_CARRY", 1000)
    monkeypatch.setattr(cv, "_HARD_LIMIT", 1000)
    monkeypatch.setattr(cv, "_MAX_TAG", 3000)
    monkeypatch.setattr(cv, "HELPER_PROCESS", False)
    line = "正文 [鏈](https://x.org/軟體)\n"
    for start in ("<span\n", "<span 軟體\n"):
        text = start + "\t" * 1500 + "\n" + line * 200
        whole = cv._convert_markup(text, cv.converter("t2s"))
        assert whole.count("https://x.org/軟體)") == 200
        for size in (77, 331, 1000):
            assert "".join(cv.convert_pieces(_split(text, (size,)), "t2s", convert_code=True)) \
                == whole


def test_a_tag_longer_than_max_tag_is_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cv, "_MAX_TAG", 40)
    convert = cv.converter("t2s")
    assert cv._convert_markup('<i data-x="軟體">', convert) == '<i data-x="軟體">'
    assert cv._convert_markup('<i data-x="軟體" data-y="' + "y" * 30 + '">', convert) \
        == '<i data-x="软体" data-y="' + "y" * 30 + '">'
    assert cv._in_tag("<i " + "x" * 30, 33) and not cv._in_tag("<i " + "x" * 40, 43)
    # A cut past the hard limit never falls where a tag could still close.
    monkeypatch.setattr(cv, "_HARD_LIMIT", 10)
    assert cv._cut("<i" + "x" * 20, force=True) == 0
    assert cv._cut("<i" + "x" * 50, force=True) == 52  # 40 + 10 past the "<"
    assert cv._cut("<i" + "x" * 45, force=True) == 0


@pytest.mark.parametrize("slot_size", [8 * 1024 * 1024, 7000])  # 7000: some do not fit
def test_helper_process_gives_the_same_result(monkeypatch: pytest.MonkeyPatch,
                                              slot_size: int) -> None:
    monkeypatch.setattr(cv, "_SLOT_SIZE", slot_size)
    if not cv._helper_can_start():
        pytest.skip("no second CPU or no fork here: the helper process is never used")
    sent = []
    real_send = cv._Helper.send
    monkeypatch.setattr(cv._Helper, "send", lambda self, s: sent.append(s) or real_send(self, s))
    monkeypatch.setattr(cv, "_TARGET", 2000)
    text = _generated(200_000, seed=3) + "\udcff"  # a lone surrogate (undecodable byte) too
    whole = cv._convert_markup(text, cv.converter("tw2sp"))
    assert "".join(cv.convert_pieces(_split(text, (999,)), "tw2sp", convert_code=True)) == whole
    assert len(sent) > 10  # the helper really converted part of the text


def _die(*args: object) -> None:
    os._exit(3)  # the helper process dies without a word


def test_a_dying_helper_is_replaced_by_converting_here(monkeypatch: pytest.MonkeyPatch) -> None:
    if not cv._helper_can_start():
        pytest.skip("no second CPU or no fork here: the helper process is never used")
    monkeypatch.setattr(cv, "_TARGET", 2000)
    monkeypatch.setattr(cv, "_helper_main", _die)
    text = _generated(50_000, seed=5)
    whole = cv._convert_markup(text, cv.converter("s2t"))
    assert "".join(cv.convert_pieces(_split(text, (999,)), "s2t")) == whole


def test_closing_the_stream_early_stops_the_helper(monkeypatch: pytest.MonkeyPatch) -> None:
    if not cv._helper_can_start():
        pytest.skip("no second CPU or no fork here: the helper process is never used")
    monkeypatch.setattr(cv, "_TARGET", 2000)
    helpers = []
    real_init = cv._Helper.__init__
    monkeypatch.setattr(cv._Helper, "__init__",
                        lambda self, c: real_init(self, c) or helpers.append(self))
    stream = cv.convert_pieces(_split(_generated(100_000), (999,)), "s2t", convert_code=True)
    for _ in range(5):
        next(stream)
    stream.close()
    assert helpers and helpers[0].process.exitcode == 0  # ended by EOF, not terminated


def test_big_file_through_the_cli_streams_and_equals_in_memory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "STREAM_THRESHOLD", 50_000)
    monkeypatch.setattr(runner, "PIECE_SIZE", 4099)  # bytes: pieces end inside characters
    monkeypatch.setattr(cv, "_TARGET", 3000)
    body = _generated(120_000, seed=11)
    text = SINA_LIKE + body
    path = tmp_path / "big.md"
    path.write_bytes(text.encode("utf-8"))
    assert path.stat().st_size > runner.STREAM_THRESHOLD

    streamed_calls = []
    step = registry.STEPS["convert"]

    def spy(pieces, **options):  # type: ignore[no-untyped-def]
        streamed_calls.append(options)
        return step.stream(pieces, **options)

    monkeypatch.setitem(registry.STEPS, "convert", step._replace(stream=spy))
    out = tmp_path / "out.md"
    result = CliRunner().invoke(cli, ["convert", "-c", "s2t", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert streamed_calls == [{"config": "s2t", "body_only": False, "convert_code": False}]
    expected = cv.convert(Document.parse(text), config="s2t").text
    assert out.read_text(encoding="utf-8") == expected
    assert "新浪財經－國內" in expected  # the head was converted on the streaming path too


def test_lone_surrogates_pass_through() -> None:
    # Undecodable bytes kept with surrogateescape cannot be sent to OpenCC as UTF-8.
    assert cv.convert_text("軟體\udcff記憶體", "tw2sp") == "软件\udcff内存"
