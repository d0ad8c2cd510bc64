"""Markdown bodies: no step may damage a Markdown post (its code, links, structure).

Golden pairs in ``tests/fixtures/markdown``: NAME.md (a post as a generator writes it: Hexo,
Jekyll, Hugo, plain CommonMark, CRLF line endings) and NAME.txt, what ``strip-html`` makes
of it. The fixtures are invented, with the structure of real posts.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

import cleantext
from cleantext import markdown_chunker, markdown_scan
from cleantext.document import Document
from cleantext.markdown_body import (
    HTML,
    OPAQUE,
    PROSE,
    Holder,
    chunk_stream,
    chunk_texts,
    is_markdown,
    spans,
)
from cleantext.steps.convert import convert_pieces
from cleantext.steps.normalize import normalize_pieces, normalize_text

FIXTURES = Path(__file__).parent / "fixtures" / "markdown"
GOLDEN = sorted(p.stem for p in FIXTURES.glob("*.md"))

SCRAPED = ("---\ntitle: t\n---\n<!--1618713840000-->\n[标题](https://www.example.com/a/1)\n"
           "------\n\n<div>\n<p>第一段，文字。</p><p>第二段 `不是代码` 和 *星号*。</p>\n"
           "<div class=\"ad\">广告</div></div>\n")


def body(name: str) -> str:
    return Document.parse((FIXTURES / f"{name}.md").read_bytes().decode("utf-8")).body


# --- the model ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_posts_are_markdown_and_spans_join_back(name: str) -> None:
    text = body(name)
    assert is_markdown(text)
    assert "".join(s.text for s in spans(text)) == text
    assert "".join(chunk_texts(text)) == text


def test_a_scraped_html_body_is_html() -> None:
    assert not is_markdown(Document.parse(SCRAPED).body)


@pytest.mark.parametrize("text, opaque", [
    ("a `x  y` b\n\nc\n", ["`x  y`"]),
    ("a ``b ` c`` d\n\ne\n", ["``b ` c``"]),
    ("a \\`not code` b\n\nc\n", []),  # an escaped backtick opens nothing
    ("see <https://x.org/a_b> now\n\nc\n", ["<https://x.org/a_b>"]),
    ("a [l](https://x.org/a_(b)) b\n\nc\n", ["https://x.org/a_(b)"]),
    ("go to https://x.org/p_q. Then\n\nc\n", ["https://x.org/p_q"]),
    ("math $a_1 + b_2$ here, not $5 and $10\n\nc\n", ["$a_1 + b_2$"]),
    ("{{< figure src=\"a_b.png\" >}} and {% link _posts/a.md %}\n\nc\n",
     ['{{< figure src="a_b.png" >}}', "{% link _posts/a.md %}"]),
    ("[ref]: https://x.org/  \"T\"\n\ntext [ref]\n", ['[ref]: https://x.org/  "T"\n']),
    ("text\n\n```py\nx  =  1\n```\n", ["```py\nx  =  1\n```\n"]),
    ("text\n\n    code  here\n", ["    code  here\n"]),
    ("text\n\n$$\na  +  b\n$$\n", ["$$\na  +  b\n$$\n"]),
    ("text\n\n{% highlight py %}\nx  =  1\n\ny = 2\n{% endhighlight %}\n",
     ["{% highlight py %}\nx  =  1\n\ny = 2\n{% endhighlight %}\n"]),
])
def test_opaque_kinds(text: str, opaque: list[str]) -> None:
    found = spans(text)
    assert "".join(s.text for s in found) == text
    assert [s.text for s in found if s.kind == OPAQUE] == opaque


def test_html_blocks_are_islands_and_inline_html_is_prose() -> None:
    text = "Intro <b>bold</b> text.\n\n<div class=\"ad\">\nBuy\n</div>\n\nMore `code`.\n"
    kinds = [(s.kind, s.text) for s in spans(text)]
    assert (HTML, '<div class="ad">\nBuy\n</div>\n') in kinds
    assert (PROSE, "Intro <b>bold</b> text.\n\n") in kinds


def test_holder_gives_back_stand_in_characters_already_in_the_text() -> None:
    text = "a \ue000 `b` \ue0011\ue001\n\nc\n"
    holder = Holder()
    assert holder.release(holder.hold(text)) == text


@pytest.mark.parametrize("size", [1, 7, 4096])
def test_chunks_of_a_stream_equal_chunks_of_the_whole(size: int) -> None:
    text = "".join(f"para {i}\n\n- item\n  more\n\n```\ncode {i}\n\n```\n\n" for i in range(4000))
    pieces = [text[i:i + size] for i in range(0, len(text), size)]
    whole = list(chunk_texts(text))
    assert len(whole) > 1
    assert list(chunk_stream(pieces)) == whole


@pytest.mark.parametrize("text", [
    "<div>\n```\n</div>\n\npara\n\n```\ncode\n\n# not a heading\n\nmore code\n",
    "<b class=\"x\">\n~~~\n\npara\n\n~~~\ncode\n\n- not an item\n\n",
    "text\n<b class=\"x\">\n```\n\npara\n\n```\n\n# heading\n",
    "<!--\n\n```\n-->\n\npara\n\n```\ncode\n\n# not a heading\n",
    "<pre>\n\n```\n</PRE>\n\npara\n\n```\ncode\n\n# not a heading\n",
])
def test_no_chunk_is_cut_inside_a_block_of_the_whole(monkeypatch: pytest.MonkeyPatch,
                                                      text: str) -> None:
    # The chunker tells fences and HTML blocks by the block parser's rules: it used to take
    # a fence marker inside an HTML block for a fence and then cut inside the parser's.
    monkeypatch.setattr(markdown_chunker, "CHUNK", 1)
    starts = set(itertools.accumulate(len(c.splitlines()) for c in chunk_texts(text)))
    assert len(starts) > 1  # cut somewhere
    for tok in markdown_scan.block_parser().parse(text):
        if tok.map and tok.level == 0 and tok.nesting != -1:
            assert not any(tok.map[0] < k < tok.map[1] for k in starts), tok


@pytest.mark.parametrize("opener", ["<div>\n", '<b class="x">\n', "- item\n"])
def test_a_chunk_after_an_opener_is_cut_as_the_whole(monkeypatch: pytest.MonkeyPatch,
                                                     opener: str) -> None:
    # A chunk cut inside an HTML block starts with "```" after its "<div>" opener: read
    # without the opener, the chunker took it for a fence and cut the chunk's parts
    # otherwise than the whole's (found by the long-markdown fuzzer).
    monkeypatch.setattr(markdown_chunker, "CHUNK", 1)
    lines = ["```\n", "x\n", "\n", "para one\n", "\n", "para two\n", "```\n", "code\n"]
    whole = [(a - 1, b - 1) for a, b in markdown_chunker.chunks([opener, *lines])][1:]
    assert list(markdown_chunker.chunks(lines, opener))[1:] == whole
    assert markdown_chunker.chunker_inside(lines, opener) == \
        markdown_chunker.chunker_inside([opener, *lines])[1:]


# --- strip-ads ------------------------------------------------------------------------------


def test_strip_ads_cleans_only_html_islands_and_keeps_the_markdown_byte_for_byte() -> None:
    text = ("---\ntitle: x\n---\nA `Vec<T>` and `a && b`.\n\n<div class=\"ad\">Buy now</div>\n\n"
            "```html\n<script>alert(1)</script>\n<div class=\"ad\">shown</div>\n```\n")
    out = cleantext.strip_ads(text)
    assert out == text.replace('<div class="ad">Buy now</div>\n', "")


def test_strip_ads_changes_nothing_in_a_post_with_nothing_to_remove() -> None:
    for name in GOLDEN:
        if name == "hexo":
            continue  # it has an ad island
        text = (FIXTURES / f"{name}.md").read_text(encoding="utf-8")
        assert cleantext.strip_ads(text) == text, name


# --- strip-html -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", GOLDEN)
def test_strip_html_golden_text(name: str) -> None:
    text = (FIXTURES / f"{name}.md").read_bytes().decode("utf-8")
    expected = (FIXTURES / f"{name}.txt").read_bytes().decode("utf-8")
    assert cleantext.strip_html(text) == expected


def test_strip_html_text_keeps_code_characters_and_adds_no_entity() -> None:
    out = cleantext.strip_html("Call `align_of::<Number>()` with `a && b`.\n\n"
                               "```rust\nlet x: Vec<String> = a && b;\n```\n\n"
                               "[ref]: https://x.org\n\nSee <https://x.org/y>.\n")
    assert "align_of::<Number>()" in out and "a && b" in out
    assert "    let x: Vec<String> = a && b;" in out
    assert "&amp;" not in out and "&lt;" not in out
    assert "https://x.org/y" in out
    assert "[ref]:" not in out


def test_strip_html_links_and_alt_on_markdown() -> None:
    text = "A [link](https://x.org/) and ![cat](c.png).\n\nMore.\n"
    assert "link <https://x.org/>" in cleantext.strip_html(text, links=True)
    assert "cat" in cleantext.strip_html(text, alt=True)
    assert "cat" not in cleantext.strip_html(text)


def test_strip_html_markdown_keeps_markdown_and_converts_only_html() -> None:
    text = ("# T\n\nSome <b>bold</b> and <a href=\"https://x.org\">a link</a>.\n\n"
            "<div><p>An <i>island</i></p></div>\n\n```py\nx = 1\n```\n")
    out = cleantext.strip_html(text, markdown=True)
    assert "Some **bold** and [a link](https://x.org)." in out
    assert "An *island*" in out
    assert "```py\nx = 1\n```\n" in out  # the fence and its language tag
    assert out.startswith("# T\n\n")


# --- normalize --------------------------------------------------------------------------------


def test_normalize_keeps_code_and_list_structure_and_strips_paragraph_indents() -> None:
    text = ("　　第一段，有全角缩进。\n\n- item\n  continued  line\n  - nested\n\n"
            "```py\ndef f():\n    return  'ＡＢＣ　x'\n```\n\nUse `a  b` here.\n")
    out = normalize_text(text)
    assert out.startswith("第一段，有全角缩进。\n")
    assert "  continued line\n  - nested\n" in out
    assert "    return  'ＡＢＣ　x'\n" in out
    assert "`a  b`" in out


def test_normalize_crlf_markdown_unifies_line_ends_in_code_too() -> None:
    out = normalize_text("a\r\n\r\n```\r\nx  =  1\r\n```\r\n")
    assert out == "a\n\n```\nx  =  1\n```\n"


@pytest.mark.parametrize("size", [3, 1000])
def test_normalize_and_convert_stream_equal_whole_on_markdown(size: int) -> None:
    text = "".join(f"段落 {i}  軟體\n\n```\n軟體  {i}\n```\n\n" for i in range(3000))
    pieces = [text[i:i + size] for i in range(0, len(text), size)]
    assert "".join(normalize_pieces(pieces)) == normalize_text(text)
    assert "".join(convert_pieces(pieces, "t2s")) == "".join(convert_pieces((text,), "t2s"))


# --- convert --------------------------------------------------------------------------------


def test_convert_leaves_code_unless_asked() -> None:
    text = "軟體很好。\n\n```py\nprint('軟體')\n```\n\n用 `記憶體` 和 https://x.tw/軟體\n"
    out = cleantext.t2s(text)
    assert out.startswith("软体很好。")
    assert "print('軟體')" in out and "`記憶體`" in out and "https://x.tw/軟體" in out
    assert "print('软体')" in cleantext.t2s(text, convert_code=True)


# --- clean ----------------------------------------------------------------------------------


@pytest.mark.parametrize("to_markdown", [False, True])
def test_clean_keeps_every_code_block_of_the_golden_posts(to_markdown: bool) -> None:
    for name in GOLDEN:
        text = (FIXTURES / f"{name}.md").read_bytes().decode("utf-8")
        out = cleantext.clean(text, markdown=to_markdown)
        for code in ("    let v: Vec<String> = Vec::new();", "  smartypants:  false",
                     "    indented   code", "    return  x  &  1", "keep   this"):
            if code.strip() in text:  # with its inner spaces
                assert code.strip() in out, (name, code)
        assert out.count("&amp;") <= text.count("&amp;"), name


# --- properties on Markdown-shaped text ------------------------------------------------------

from hypothesis import assume, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = ["x", "中文", " ", "  ", "\t", "\n", "\n\n", "\r\n", "- ", "1. ", "> ", "    ", "`",
           "``", "```", "~~~", "$", "$$", "{{< x >}}", "{% y %}", "[a](b)", "[r]: u", "<b>",
           "</b>", "<div>", "</div>", "<https://x.org>", "https://x.org/a_b", "　", "ＡＢ",
           "*", "_", "|", "# ", "&amp;", "\u200b", "{%", "}}", "\\"]
markdown_texts = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)


# A list item whose only text normalize removes: see the xfail below.
_EMPTIED_ITEM = re.compile(r"(?:^|\n)[ \t]*(?:[-+*]|[0-9]+[.)])[ \t]*[\u3000\u200b][ \t\u3000\u200b]*\n")


_HIDDEN_TAG = re.compile("[\u200b\u3000][\u200b\u3000 \t]*<")


def _hides_a_tag_in_a_block(text: str) -> bool:
    """An invisible character or full-width space before a tag, not at the start of a
    top-level block: see the xfail below."""
    for m in _HIDDEN_TAG.finditer(text):
        start = max(text.rfind("\n", 0, m.start()), text.rfind("\r", 0, m.start())) + 1
        before = text[:start].rstrip("\r\n").rsplit("\n", 1)[-1]
        if text[start:m.start()].strip(" \t\u200b\u3000") or before.strip(" \t\u200b\u3000"):
            return True
    return False


@settings(max_examples=300, deadline=None)
@given(text=markdown_texts)
# A bare list marker a paragraph goes on with: its indentation removed, the body was no
# longer Markdown, and the URL before it lost its full-width letters on a second pass.
@example(text="x\n\nhttps://x.org/a_bＡＢ\n *")
def test_markdown_shaped_text_properties(text: str) -> None:
    assert "".join(s.text for s in spans(text)) == text
    assume("`\u200b" not in text and "\u200b`" not in text)  # see the xfails below
    assume(not _EMPTIED_ITEM.search(text))
    assume(not _hides_a_tag_in_a_block(text))
    once = normalize_text(text)
    assert normalize_text(once) == once
    pieces = [text[i:i + 5] for i in range(0, len(text), 5)]
    assert "".join(normalize_pieces(pieces)) == once
    holder = Holder(list_indents=True)
    assert holder.release(holder.hold(text)) == text


# --- the scan agrees with a full CommonMark parser ------------------------------------------

_SPEC_LIKE = [
    "`foo`", "`` foo ` bar ``", "` `` `", "`  ``  `", "` a`", "`foo   bar \nbaz`",
    "`foo\\`bar`", "``foo`bar``", "*foo`*`", "[not a `link](/foo`)", "`<a href=\"`\">`",
    "<a href=\"`\">`", "`<https://foo.bar.`baz>`", "<https://foo.bar.`baz>`", "```foo``",
    "`foo", "`foo``bar``", "- a `b`\n  - c `d  e`\n", "> `q` uote\n> `r`\n",
    "| a | `b` |\n|---|---|\n| `c` | d |\n", "# `h` eading\n", "text\n\n    `not a span`\n",
    "```\n`in fence`\n```\n", "<div>\n`in html`\n</div>\n\n`after`\n",
    "[`label`]: /url\n\n[`label`] and `x`\n", "a `b\n\nc` d\n",
]


def _code_span_text(span: str) -> str:
    """A code span's content as CommonMark gives it: no backticks, line ends as spaces, one
    space off each end when both have one (and it is not all spaces)."""
    ticks = len(span) - len(span.lstrip("`"))
    content = span[ticks:-ticks].replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    if len(content) > 2 and content[0] == " " and content[-1] == " " and content.strip(" "):
        content = content[1:-1]
    return content


@pytest.mark.parametrize("text", _SPEC_LIKE)
def test_code_spans_are_the_ones_commonmark_finds(text: str) -> None:
    from markdown_it import MarkdownIt

    found: list[str] = []

    def walk(tokens: list) -> None:  # type: ignore[type-arg]
        for token in tokens:
            if token.type == "code_inline":
                found.append(token.content)
            walk(token.children or [])

    walk(MarkdownIt("commonmark", {"html": True}).enable("table").parse(text))
    ours = [_code_span_text(s.text) for s in spans(text)
            if s.kind == OPAQUE and s.text.startswith("`") and not s.text.startswith("```")]
    assert sorted(ours) == sorted(found)


@pytest.mark.xfail(strict=True, reason="a removed zero-width space joins two backtick runs, "
                   "so the second run reads code differently (documented)")
def test_zero_width_space_between_backticks_is_idempotent() -> None:
    once = normalize_text("`\u200b``  ``")
    assert normalize_text(once) == once


@pytest.mark.xfail(strict=True, reason="a list item emptied by normalize no longer holds the "
                   "line after it, whose kept indentation the second run removes (documented)")
def test_a_list_item_emptied_by_normalize_is_idempotent() -> None:
    once = normalize_text("- \u3000\n x")
    assert normalize_text(once) == once


@pytest.mark.xfail(strict=True, reason="a zero-width space before a tag in a list item keeps "
                   "the line a paragraph; removed, the tag starts an HTML block (documented)")
def test_an_invisible_character_before_a_tag_in_a_list_item_is_idempotent() -> None:
    once = normalize_text("- \u200b<div>`  `")
    assert normalize_text(once) == once


def test_an_invisible_character_before_a_top_level_tag_does_not_change_the_kind() -> None:
    # A body's kind is decided as if the characters normalize removes before a tag at a
    # line's start were gone: "\u200b<div>" alone would be Markdown, "<div>" HTML.
    for text in ("\u200b<div>`  `", "\u3000<div>`  `", " \u200b <p>`  `"):
        once = normalize_text(text)
        assert normalize_text(once) == once


def test_a_list_item_without_text_is_no_link_reference_definition() -> None:
    # An empty item ("- ", "1.") or a quote's blank line (">") holds no block, like a link
    # reference definition; it is Markdown text that normalize cleans, not a line it holds.
    for text, once in [("- \n x", "-\nx\n"), ("1. \n x", "1.\nx\n"),
                       ("> a\n> \n> b\n", "> a\n>\n> b\n")]:
        assert normalize_text(text) == once
        assert normalize_text(once) == once


def test_clean_text_keeps_inline_code_unconverted_and_unnormalized() -> None:
    out = cleantext.clean("繁體，`設定檔`。\n\nUse `ＡＢＣ１２３` and `a\u00a0b`.\n")
    assert out == "繁体，`設定檔`。\n\nUse `ＡＢＣ１２３` and `a\u00a0b`.\n"


def test_dollars_in_two_code_elements_are_no_math_around_the_tags() -> None:
    text = "Start with <code>$\\`</code> and end with <code>\\`$</code>.\n\nx `y`\n"
    assert [s.text for s in spans(text) if s.kind == OPAQUE] == ["`y`"]
    assert cleantext.strip_html(text).startswith("Start with $` and end with `$.\n")


def test_a_math_block_inside_a_paragraph_leaves_its_other_lines_scanned() -> None:
    # The block parser sees one paragraph; the $$ lines are a math block within it. The
    # code span on the line before was prose (converted) when the paragraph held math.
    assert [(s.kind, s.text) for s in spans("``軟體``\na\n$$\nx\n$$\n`b`\n")] == [
        (OPAQUE, "``軟體``"), (PROSE, "\na\n"), (OPAQUE, "$$\nx\n$$\n"), (OPAQUE, "`b`"),
        (PROSE, "\n")]
