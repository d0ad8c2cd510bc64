"""Long blocks of a Markdown body in bounded memory (issue 22). A long fenced code block is
spooled (``markdown_scan.Spool``): its lines past ``SPOOL_AFTER`` go to a temporary file and
come back unchanged when the output is written. A long paragraph, quote or indented code
block is cut where ``markdown_body.forced_cut`` finds that no step would see a change.
Spooling every block (``SPOOL_AFTER = 0``) and cutting wherever allowed must give the bytes
that holding every block whole gives; the memory saved is measured in
``test_faults_memory.py`` and ``benchmarks/bench_memory.py``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleantext import markdown_scan
from cleantext.markdown_body import Holder
from cleantext.steps.convert import convert_pieces
from cleantext.steps.normalize import normalize_pieces


@contextmanager
def scan_setting(name: str, value: int) -> Iterator[None]:
    saved = getattr(markdown_scan, name)
    setattr(markdown_scan, name, value)
    try:
        yield
    finally:
        setattr(markdown_scan, name, saved)


def spool_after(size: int) -> AbstractContextManager[None]:
    return scan_setting("SPOOL_AFTER", size)


def long_blank_after(size: int) -> AbstractContextManager[None]:
    return scan_setting("LONG_BLANK_AFTER", size)


@contextmanager
def cut_after(size: int, window: int) -> Iterator[None]:
    """Forced cuts tried once a chunk (or a line) has ``size`` characters, inline spans (and
    the text that decides them) at most ``window`` long."""
    saved = markdown_scan.CUT_AFTER, markdown_scan.LONG_LINE_AFTER, markdown_scan.MAX_SPAN
    markdown_scan.CUT_AFTER = markdown_scan.LONG_LINE_AFTER = size
    markdown_scan.MAX_SPAN = window
    try:
        yield
    finally:
        markdown_scan.CUT_AFTER, markdown_scan.LONG_LINE_AFTER, markdown_scan.MAX_SPAN = saved


def cut_both_ways(step: Callable[[list[str]], Iterator[str]], text: str, size: int = 7,
                  window: int = 8) -> str:
    """The step's output with forced cuts tried at every line, checked equal to it with
    none tried, the text given in pieces of ``size`` characters."""
    pieces = [text[i:i + size] for i in range(0, len(text), size)]
    with cut_after(1 << 62, window):
        whole = "".join(step(pieces))
    with cut_after(0, window):
        cut = "".join(step(pieces))
    assert cut == whole
    return cut


def both_ways(step: Callable[[list[str]], Iterator[str]], text: str, size: int = 7) -> str:
    """The step's output with every fence spooled, checked equal to it with none spooled,
    the text given in pieces of ``size`` characters."""
    pieces = [text[i:i + size] for i in range(0, len(text), size)]
    with spool_after(1 << 62):
        whole = "".join(step(pieces))
    for after in (0, 20):
        with spool_after(after):
            spooled = "".join(step(pieces))
        assert spooled == whole, after
    return spooled


def normalize(pieces: list[str], **options) -> Iterator[str]:
    return normalize_pieces(pieces, **options)


def test_the_inside_of_a_fence_goes_to_a_spool_and_comes_back() -> None:
    holder = Holder()
    text = "# T\n\n```\nx  =  1\r\n　ＡＢ\n```\n\nafter　ＡＢ\n"
    with spool_after(0):
        chunks = list(holder.chunks([text]))
    assert len(holder.spools) == 1
    (mark,) = holder.spools
    assert "".join(chunks) == f"# T\n\n```\n{mark}\n```\n\nafter　ＡＢ\n"
    assert "x  =  1" not in "".join(chunks)  # the code is in the spool, not in the chunks
    assert "".join(holder.release_stream(["".join(chunks)])) == text
    assert not holder.spools


@pytest.mark.parametrize("text", [
    "a\n\n```py\nx  =  1\n  y　ＡＢ\n```\n\nb　ＡＢ  \n",
    "a\r\n\r\n```\r\nx  =  1\r\n\r\ny\r\n```\r\nb\r\n",  # CRLF: made LF in code too
    "a\r\r```\rx  =  1\r```\rb\r",  # lone CRs
    "```\nno end  \nat all",  # an unclosed fence: code to the end
    "```\nends with its fence\n```",
    "- item\n\n  ```\n  code  here\n  ```\n\n  more　ＡＢ\n",  # a fence in a list item
    "~~~~\n```\nnot a close\n~~~~\nb\n",
    "```\n\ue000\ue0001\ue001 \ue002 \ue003\n```\n",  # private-use characters in code
    "```\nbad \udcff byte\n```\n",  # an invalid byte kept as a lone surrogate
    "text\n\n````\n```\n````\n\n```\n\n```\n",
    # A fence marker inside an HTML block opens no fence (the block parser's rules): the
    # blank line after it ends the block, and the marker after that opens one.
    "`c`\n\n</div>\n~~~\nx\n\n軟體　ＡＢ\n~~~\n    x\nx = 1  # 註釋\n",
    "`c`\n\n<span class=\"a\">\n```\n\n軟體　ＡＢ\n```\ncode  here\n",
    "`c`\n\ntext\n<span class=\"a\">\n```\n軟體　ＡＢ\n```\n\nb　ＡＢ\n",  # in a paragraph: a fence
    "`c`\n\n# t\n<span>\n```\n\n軟體　ＡＢ\n```\ncode  here\n",
    "`c`\n\n<!-- c\n```\n\n-->\n軟體　ＡＢ\n```\ncode  here\n",
    "`c`\n\n<?php\n```\n?>\n\n軟體　ＡＢ\n```\ncode  here\n",
    "`c`\n\n    <div>\n```\n\n軟體　ＡＢ\n```\n",  # indented code, not HTML: a fence
])
def test_spooling_changes_no_output(text: str) -> None:
    for keep in ((), ("line-endings",), ("indent", "space-runs")):
        both_ways(lambda p, keep=keep: normalize(p, keep=keep), text)
    both_ways(lambda p: convert_pieces(p, "t2s"), text)
    out = both_ways(lambda p: normalize(p, keep=("line-endings",)), text, size=1)
    assert out.count("```") == text.count("```")


def test_a_long_code_block_is_kept_byte_for_byte() -> None:
    code = "".join(f"    x{i}  =  '軟體　ＡＢ'  \r\n" for i in range(20000))
    text = f"段落　ＡＢ\n\n```python\n{code}```\n\n後記　ＡＢ\n"
    out = both_ways(lambda p: normalize(p, keep=("line-endings",)), text, size=4096)
    assert code in out and out.startswith("段落 AB\n") and out.endswith("後記 AB\n")
    out = both_ways(lambda p: convert_pieces(p, "t2s"), text, size=4096)
    assert code in out and out.endswith("后记　ＡＢ\n")


_PIECES = ["x", "軟體", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\r", "- ", "> ", "    ", "`",
           "```", "```\n", "~~~\n", "\n```\n", "$$", "{% raw %}", "<pre>", "</pre>", "　",
           "ＡＢ", "\ue000", "\ue002", "\ue003", "1", "[a](b)", "# ", "<div>\n", "```x`\n",
           "$$\n", "{% endraw %}", "|a|\n|-|\n"]


@settings(max_examples=200, deadline=None)
@given(text=st.lists(st.sampled_from(_PIECES), max_size=50).map("".join),
       size=st.integers(1, 9))
def test_spooling_every_fence_changes_no_output(text: str, size: int) -> None:
    both_ways(normalize, text, size)
    both_ways(lambda p: normalize(p, keep=("line-endings",)), text, size)
    both_ways(lambda p: convert_pieces(p, "t2s"), text, size)


def test_a_long_paragraph_is_cut_where_nothing_changes() -> None:
    lines = [f"第{i}行　ＡＢ  `code  {i}`\n" for i in range(2000)]
    text = "# T\n\n" + "".join(lines) + "\n> 引用　ＡＢ\n" + "> 引用　ＡＢ\n" * 500 + \
        "\n    code  　\n" * 3 + "    more  code\n" * 500
    holder = Holder()
    with cut_after(4096, 64):
        chunks = list(holder.chunks([text]))
    assert len(chunks) > 12 and "".join(chunks) == text  # 57 KB in chunks of about 4 KB
    assert all(not c.startswith(("`", " ", "\n")) or c.startswith("    ") for c in chunks[1:])
    out = cut_both_ways(normalize, text, size=4096, window=64)
    assert "`code  7`" in out and "第7行 AB `code  7`\n" in out and "    more  code\n" in out


@pytest.mark.parametrize("marker", ["- ", "1.  ", "10) "])
def test_a_long_list_item_is_cut_and_read_after_its_opener(marker: str) -> None:
    # Cut inside a top-level item's paragraph, the chunk after is parsed after a first line
    # for the item (``Chunk.opener``): its lines go on in the item, their indentation held
    # by normalize as in the whole, and so do the item's later blocks.
    pad = " " * len(marker)
    lines = [f"{pad}第{i}行　ＡＢ  `code  {i}`\n" for i in range(1500)]
    text = ("# T\n\n" + marker + "項目\n" + "".join(lines) + "lazy  line\n"
            + "".join(lines[:300]) + f"\n{pad}second  para\n\n{pad}    code  in item\n\n"
            + f"{pad}- nested  item\n{pad}  nested  more\n" + marker + "next  item\n")
    holder = Holder()
    with cut_after(4096, 64):
        chunks = list(holder.chunks([text]))
    assert len(chunks) > 10 and "".join(chunks) == text
    assert all(getattr(c, "opener", "") == marker + "x\n" for c in chunks[1:-1])
    assert chunks[-1] == marker + "next  item\n" and not getattr(chunks[-1], "opener", "")
    out = cut_both_ways(normalize, text, size=4096, window=64)
    assert f"{pad}第7行 AB `code  7`\n" in out and "\nlazy line\n" in out
    assert f"{pad}    code  in item\n" in out and f"{pad}- nested item\n{pad}  nested more" in out
    cut_both_ways(lambda p: normalize(p, keep=("indent",)), text, size=4096, window=64)
    cut_both_ways(lambda p: convert_pieces(p, "t2s"), text, size=4096, window=64)


def test_a_long_html_block_is_cut_and_read_after_an_opening_tag() -> None:
    # An HTML block that runs to a blank line, cut: the chunk after is parsed after "<div>",
    # so its code-span-like text stays HTML (not held) as in the whole; no cut in a tag.
    lines = [f"<p>第{i}行　ＡＢ  `x  {i}` <span\ntitle='a  b'>y</span></p>\n" for i in range(900)]
    text = ("# T\n\n正文 `code` [a](b)\n\n<div class='box'>\n" + "".join(lines)
            + "</div>\n\n後記  ＡＢ `z  z`\n<pre>\n" + "a  b\n" * 3000 + "</pre>\n")
    holder = Holder()
    with cut_after(4096, 64):
        chunks = list(holder.chunks([text]))
    assert len(chunks) > 10 and "".join(chunks) == text
    assert not any(c.startswith("title") for c in chunks)
    inside = [c for c in chunks[1:] if c.startswith("<p>")]
    assert len(inside) > 10 and all(c.opener == "<div>\n" for c in inside)
    assert not any(c.startswith("a  b") for c in chunks)  # a <pre> ends at </pre>: not cut
    out = cut_both_ways(normalize, text, size=4096, window=64)
    assert "<p>第7行 AB `x 7`" in out and "後記 AB `z  z`" in out
    cut_both_ways(lambda p: convert_pieces(p, "t2s"), text, size=4096, window=64)


def test_no_cut_in_an_item_whose_text_starts_past_four_spaces() -> None:
    from cleantext.markdown_cuts import forced_cut

    with cut_after(0, 1):
        assert forced_cut(["-      far\n", "  a\n", "  b\n", "  c\n"]) == (0, "")
        assert forced_cut(["- near\n", "  a\n", "  b\n", "  c\n"]) == (3, "- x\n")


def test_no_cut_inside_a_code_span_an_html_tag_or_a_math_block() -> None:
    text = ("a\nb `x\nc  d\ne` f\ng <span\ntitle='h  i'>j</span>\n$$\nk  l\nm\n$$\nn\n"
            "o\n") * 20
    for window in (4, 8, 64):
        cut_both_ways(normalize, text, size=5, window=window)
    holder = Holder()
    with cut_after(0, 64):
        chunks = list(holder.chunks([text[:text.index("$$")] * 20]))
    assert len(chunks) > 5 and all(c.startswith(("a\n", "b `x", "g <s")) for c in chunks)
    with cut_after(0, 64):
        chunks = list(holder.chunks([text]))
    assert not any(c.startswith(("c  d", "e` f", "title", "k  l", "m\n", "n\n")) for c in chunks)


def test_a_long_line_is_cut_inside_where_nothing_changes() -> None:
    # One line of 70 KB: held whole (a 32 MB line peaked at 864 MB), now cut after a space
    # or CJK punctuation where no span or tag crosses (markdown_cuts.forced_line_cut).
    line = "".join(f"第{i}句，ＡＢ `code  {i}` [鏈](https://x.org/軟體) $a  b$ <i>斜</i>。"
                   for i in range(1000))
    text = "# T\n\n正文 `x`\n" + line + "\n\n後記　ＡＢ\n"
    pieces = [text[i:i + 999] for i in range(0, len(text), 999)]
    with cut_after(4096, 64):
        chunks = list(Holder().chunks(pieces))
    assert len(chunks) > 10 and "".join(chunks) == text
    assert all(c[:1] not in " `$<[(" and c[-1:] in " 。，\n" for c in chunks)
    out = cut_both_ways(normalize, text, size=999, window=64)
    assert out.count("`code  ") == 1000  # code kept
    assert cut_both_ways(lambda p: convert_pieces(p, "t2s"), text, 999, 64).count("软体") == 0
    assert cut_both_ways(lambda p: convert_pieces(p, "t2s"), text, 999, 64).count("斜") == 1000


@pytest.mark.parametrize("start", [
    "- item\n", "> quote\n", "[ref]: /url '\n", "<div>\n", "{% raw %}\n", "$$\n", "```\n",
    "    code\n\n    ", "text <span\n", "- ", "> "])
def test_no_cut_inside_a_line_but_in_a_top_level_paragraph(start: str) -> None:
    # Inside a list item or a quote the chunk after would need the container's marker; a
    # possible reference definition, math block or template tag could end after the cut; an
    # unclosed "<" could be a tag across it.
    text = "# T\n\n正文 `x`\n\n" + start + "正文，ＡＢ 軟體。" * 3000 + "\n"
    with cut_after(4096, 64):
        chunks = list(Holder().chunks([text[i:i + 999] for i in range(0, len(text), 999)]))
    assert all(c.endswith("\n") for c in chunks), [c[-20:] for c in chunks]
    cut_both_ways(normalize, text, size=999, window=64)


_CUT_PIECES = ["x", "軟體", " ", "  ", "\t", "\n", "\n\n", "\r\n", "- ", "> ", "    ", "`", "``",
               "```\n", "$", "$$", "$$\n", "{{< x >}}", "{% raw %}", "{{", "<b\n>", "<div>\n",
               "[a](b)", "[r]: u\n", "# ", "===\n", "|a|\n|-|\n", "1. ", "2) ", "　", "ＡＢ",
               "\\", "<https://x.org>", "https://x.org/a", "<!\n", ">\n", "<a ", "`>`", "~~~\n",
               "  ```\n", "\n\n- a\n  b\n", "<!--\n", "-->\n", "<pre>\n"]


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(_CUT_PIECES), max_size=60).map("".join),
       size=st.integers(1, 9), window=st.sampled_from([2, 5, 30]))
def test_forced_cuts_change_no_output(text: str, size: int, window: int) -> None:
    cut_both_ways(normalize, text, size, window)
    cut_both_ways(lambda p: normalize(p, keep=("line-endings", "indent")), text, size, window)
    cut_both_ways(lambda p: convert_pieces(p, "t2s"), text, size, window)



def test_no_forced_cut_where_the_chunker_sees_a_fence() -> None:
    # The chunker takes "  ```" for a fence; the block parser ends the list item, and its
    # fence, at the next line. Cut there, the chunk after would be cut into sub-chunks of
    # its own otherwise than the whole (found by fuzz_commands.py's long-markdown).
    from cleantext.markdown_cuts import forced_cut

    lines = ["- a\n", "\n", "  ```\n", "plain one\n", "plain two\n", "plain three\n"]
    with cut_after(0, 1):
        assert forced_cut(lines) == (0, "")
        assert forced_cut(["\n", "plain zero\n"] + lines[3:]) == (4, "")



@pytest.mark.parametrize("text", [
    "`c`\n\n</div>\n~~~\nx\n\nspan`\n~~~\n    " + " " * 200 + "x\nx = 1  # 註釋，ＡＢ\n",
    "`c`\n\n<b class=\"x\">\n~~~\nx\n\nspan`\n~~~\n    " + " " * 200 + "x\n軟體　ＡＢ\n",
])
def test_a_fence_marker_in_an_html_block_is_no_fence_to_spool(text: str) -> None:
    # The chunker took the "~~~" inside the HTML block for a fence and spooled the blank
    # line that ends the block: the parser then read the block on through the real fence,
    # and the code after it was converted as prose (found by the long-markdown fuzzer).
    for size in (7, 1000):
        pieces = [text[i:i + size] for i in range(0, len(text), size)]
        with spool_after(1 << 62), cut_after(1 << 62, 8):
            whole = "".join(convert_pieces(pieces, "t2s"))
        assert whole.endswith(text[-12:])  # code: not converted
        with spool_after(1), cut_after(200, 8):
            assert "".join(convert_pieces(pieces, "t2s")) == whole

def blanks_both_ways(step: Callable[[list[str]], Iterator[str]], text: str,
                     size: int = 7) -> str:
    """The step's output with every blank line past 10 characters spooled, checked equal
    to it with none spooled, the text given in pieces of ``size`` characters."""
    pieces = [text[i:i + size] for i in range(0, len(text), size)]
    with long_blank_after(1 << 62):
        whole = "".join(step(pieces))
    with long_blank_after(10):
        spooled = "".join(step(pieces))
    assert spooled == whole
    return spooled


def test_a_long_blank_line_waits_in_a_spool_and_a_short_one_stands_for_it() -> None:
    # Issue 22: a Markdown body's 128 MB line of tabs peaked at 919 MB, held whole.
    holder = Holder()
    blank = "\t" * 200_000
    text = f"# T\n\n- a\n- b\n\n{blank}\r\nafter\n"
    with long_blank_after(100):
        chunks = list(holder.chunks([text[i:i + 999] for i in range(0, len(text), 999)]))
    assert blank not in "".join(chunks)
    assert "".join(chunks) == "# T\n\n- a\n- b\n\n" + "\t" * 8 + "\r\nafter\n"
    (chunk,) = [c for c in chunks if getattr(c, "long_blanks", ())]
    ((offset, stand_in),) = chunk.long_blanks
    assert chunk[offset:].startswith(stand_in) and stand_in == "\t" * 8 + "\r\n"
    # In prose the whole line goes through the step, in pieces.
    held = list(holder.hold_pieces(chunk))
    assert "".join(held) == chunk.replace(stand_in, blank + "\r\n")
    assert max(map(len, held)) < len(blank) / 2


@pytest.mark.parametrize("text", [
    "a\n\n" + "\t" * 50 + "\nb\n",  # prose: normalize empties it
    "- a\n\n" + " " * 50 + "\n  b\n",  # inside a list item
    "    code\n" + " " * 60 + "\n    code\n",  # inside an indented code block: kept
    "    code\n" + " \t" * 30 + "\nprose\n",  # after one
    "```\ncode\n" + " " * 70 + "\r\n```\n",  # inside a fence
    "```\ncode\n" + " " * 70,  # at the end of an unclosed fence
    "> q\n" + "\t" * 40 + "\rx\r",  # lone CRs
    "$$\n" + " " * 40 + "\n$$\n",  # inside a math block
    "<pre>\n" + " " * 40 + "\n</pre>\n",  # inside an HTML block
    "a\n" + " " * 40 + "x\n",  # not blank after all: held whole
    "a\n" + " " * 40,  # the text's end
])
def test_long_blank_lines_spooled_change_no_output(text: str) -> None:
    text = "# 標題\n\n" + text
    for keep in ((), ("line-endings",), ("indent", "space-runs")):
        blanks_both_ways(lambda p, keep=keep: normalize(p, keep=keep), text)
        blanks_both_ways(lambda p, keep=keep: normalize(p, keep=keep), text, size=1)
    blanks_both_ways(lambda p: convert_pieces(p, "t2s"), text)


def test_a_long_blank_line_in_code_comes_back_byte_for_byte() -> None:
    blank = " \t" * 40
    text = f"# T\n\n```\nx\n{blank}\ny\n```\n\n    a\n{blank}\n    b\n"
    out = blanks_both_ways(normalize, text)
    assert out.count(blank) == 2
    out = blanks_both_ways(lambda p: convert_pieces(p, "t2s"), f"a\n\n{blank}\n\nb\n")
    assert blank in out  # convert leaves spaces and tabs as they are


_BLANK_PIECES = [*_PIECES, " " * 12, "\t" * 11, " \t" * 6, "\n" + " " * 20 + "\n"]


@settings(max_examples=200, deadline=None)
@given(text=st.lists(st.sampled_from(_BLANK_PIECES), max_size=50).map("".join),
       size=st.integers(1, 9))
def test_spooling_every_long_blank_line_changes_no_output(text: str, size: int) -> None:
    blanks_both_ways(normalize, text, size)
    blanks_both_ways(lambda p: normalize(p, keep=("line-endings", "indent")), text, size)
    blanks_both_ways(lambda p: convert_pieces(p, "t2s"), text, size)


def test_a_long_blank_line_is_cut_around_as_if_it_were_whole() -> None:
    # The chunker cuts only past a size; a stand-in counted as itself moved the cuts after
    # it, and where the chunker takes a line for a fence that the block parser does not
    # (fuzz_commands.py's long-markdown found one), other cuts gave other output.
    from cleantext.markdown_body import _read_back

    text = "# T\n\n" + "text\n\n" * 1500 + "\t" * 40_000 + "\n\nx\n\n" * 2000
    pieces = [text[i:i + 999] for i in range(0, len(text), 999)]
    with long_blank_after(1 << 62):
        whole = list(Holder().chunks(pieces))
    with long_blank_after(100):
        spooled = list(Holder().chunks(pieces))
    assert any(getattr(c, "long_blanks", ()) for c in spooled)
    assert [_read_back(c, getattr(c, "long_blanks", ())) for c in spooled] == whole
