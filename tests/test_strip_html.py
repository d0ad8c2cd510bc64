"""strip-html: one test per behaviour of issue 4, on invented posts shaped like the real ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleantext.cli import cli
from cleantext.document import Document
from cleantext.errors import CleantextError
from cleantext.html_text_rules import _PRELUDE
from cleantext.html_text_writer import _Writer
from cleantext.steps.strip_html import html_to_text, strip_html

HEAD = '---\ntitle: "测试：标题"\ndate: 2021-04-17T12:54:21Z\ntags: [ 测试 ]\n---\n'


def text(html: str, **options: bool) -> str:
    return html_to_text(html, **options)


# -- blocks, lines, lists, tables, pre ---------------------------------------------------


def test_blocks_become_paragraphs_separated_by_one_blank_line() -> None:
    html = "<div><p>一段</p>\n\n\n<section><h2>标题</h2><blockquote>引文</blockquote></section></div>"
    assert text(html) == "一段\n\n标题\n\n引文\n"


def test_br_is_a_line_break_and_many_br_at_most_a_blank_line() -> None:
    assert text("<p>第一行<br>第二行<br><br><br>第三行</p>") == "第一行\n第二行\n\n第三行\n"


def test_list_items_become_dash_lines_and_nested_lists_indent() -> None:
    html = "<ul><li>one<ul><li>inner a</li><li>inner b</li></ul></li><li>two</li></ul><p>after</p>"
    assert text(html) == "- one\n  - inner a\n  - inner b\n- two\n\nafter\n"


def test_ordered_lists_are_numbered_from_start() -> None:
    assert text('<ol start="3"><li>三</li><li>四</li></ol>') == "3. 三\n4. 四\n"


def test_table_rows_are_tab_separated_lines() -> None:
    html = "<table><tr><th>城市</th><th>人口</th></tr><tr><td>北京</td><td>2189 万</td></tr></table>"
    assert text(html) == "城市\t人口\n北京\t2189 万\n"


def test_layout_table_cells_become_paragraphs() -> None:
    html = "<table><tr><td><p>正文第一段。</p><p>正文第二段。</p></td><td>侧栏</td></tr></table>"
    assert text(html) == "正文第一段。\n\n正文第二段。\n\n侧栏\n"


def test_pre_keeps_its_whitespace() -> None:
    html = "<p>代码：</p><pre>\ndef f(x):\n    return  x\t# tab\n\n</pre><p>完</p>"
    assert text(html) == "代码：\n\ndef f(x):\n    return  x\t# tab\n\n完\n"


# -- entities, invisible content -----------------------------------------------------------


def test_entities_are_decoded() -> None:
    assert text("<p>A&amp;B&nbsp;C&emsp;D&#123;&#x7D;&lt;tag&gt;</p>") == (
        "A&B\N{NO-BREAK SPACE}C\N{EM SPACE}D{}<tag>\n"
    )


def test_style_with_entities_and_scripts_leak_nothing() -> None:
    html = (
        "<style>.a &#123; color: red &#125; p{margin:0}</style>"
        "<script>var x = '<p>not text</p>';</script><noscript>开启 JavaScript</noscript>"
        "<template><p>模板</p></template><!-- 注释 --><p>正文</p>"
    )
    assert text(html) == "正文\n"


def test_head_content_produces_nothing() -> None:
    html = (
        "<!DOCTYPE html><html><head><title>网页标题</title><style>body{}</style></head>"
        "<body><p>正文</p></body></html>"
    )
    assert text(html) == "正文\n"


def test_hidden_elements_produce_nothing() -> None:
    html = (
        '<p>看得见</p><div hidden><p>隐藏一</p></div><span style="display: none !important">'
        '隐藏二</span><div style="DISPLAY:NONE">隐藏三</div><p style="display:block">也看得见</p>'
    )
    assert text(html) == "看得见\n\n也看得见\n"


def test_only_hidden_text_is_shown_rather_than_nothing() -> None:
    assert text('<div style="display:none"><p>要靠脚本显示的正文</p></div>') == (
        "要靠脚本显示的正文\n"
    )


# -- whitespace ----------------------------------------------------------------------------

PRETTIFIED = """<div class="article">
  <p>
    中国银保监会普惠金融部副主任昨天说，
    P2P在营机构目前已实现清零，未来一方面要
    对存量退出机构加强监测。
  </p>
  <p>
    The regulator said
    on Friday that   lending platforms
    were <b>closed</b>.
  </p>
</div>
"""


def test_prettified_chinese_line_breaks_are_not_spaces() -> None:
    assert text(PRETTIFIED).split("\n\n")[0] == (
        "中国银保监会普惠金融部副主任昨天说，P2P在营机构目前已实现清零，"
        "未来一方面要对存量退出机构加强监测。"
    )


def test_prettified_latin_line_breaks_are_one_space() -> None:
    assert text(PRETTIFIED).split("\n\n")[1] == (
        "The regulator said on Friday that lending platforms were closed.\n"
    )


def test_line_break_across_an_inline_tag_between_chinese_is_dropped() -> None:
    assert text("<p>这是\n  <span>一个</span>\n  句子</p>") == "这是一个句子\n"


def test_inline_elements_add_no_breaks() -> None:
    html = "<p><font>二是</font><span>提升</span><a href='/x'>案件</a><b>侦办</b><i>效率</i></p>"
    assert text(html) == "二是提升案件侦办效率\n"


def test_a_space_typed_between_chinese_words_is_kept() -> None:
    assert text("<p>美中是“对抗” 美国能胜出</p>") == "美中是“对抗” 美国能胜出\n"


# -- images and links ------------------------------------------------------------------------


def test_images_produce_nothing_by_default_and_alt_with_the_option() -> None:
    html = '<p>图：<img src="a.jpg" alt="会场照片">完</p>'
    assert text(html) == "图：完\n"
    assert text(html, alt=True) == "图：会场照片完\n"


def test_links_keep_their_text_and_append_the_url_with_the_option() -> None:
    html = '<p>见<a href="https://example.org/a">报道</a>和<a href="#top">顶部</a></p>'
    assert text(html) == "见报道和顶部\n"
    assert text(html, links=True) == "见报道 <https://example.org/a>和顶部\n"


def test_links_option_does_not_repeat_a_url_that_is_the_text() -> None:
    html = '<p><a href="https://example.org">https://example.org</a></p>'
    assert text(html, links=True) == "https://example.org\n"


# -- Markdown in the body ----------------------------------------------------------------------

PRELUDE = (
    "<!--1618713840000-->\n"
    "[银保监会：P2P在营机构已清零](https://www.example.com/story20210417-1140112)\n"
    "------\n\n"
    "<div>\n<p>正文第一段。</p><p>正文第二段。</p></div>\n"
)


def test_markdown_prelude_becomes_the_title_as_a_plain_line() -> None:
    assert text(PRELUDE) == "银保监会：P2P在营机构已清零\n\n正文第一段。\n\n正文第二段。\n"


def test_markdown_prelude_with_links_and_markdown_options() -> None:
    assert text(PRELUDE, links=True).startswith(
        "银保监会：P2P在营机构已清零 <https://www.example.com/story20210417-1140112>\n\n"
    )
    assert text(PRELUDE, markdown=True).startswith(
        "## [银保监会：P2P在营机构已清零](https://www.example.com/story20210417-1140112)\n\n"
    )


@pytest.mark.parametrize("prelude", [
    "[Title](https://example.org/a?b=1#c)\n------\n",
    "\n[标题 二](https://example.org/%E4%B8%AD)\n=====\n\n",
    "[P2P：清零](http://example.org/x-1_2)\n---\n",
])
def test_prelude_fast_path_matches_the_markdown_parser(prelude: str) -> None:
    assert _PRELUDE.fullmatch(prelude)
    for options in ({}, {"links": True}, {"markdown": True}):
        fast = _Writer(options.get("markdown", False), options.get("links", False), False)
        fast.data(prelude)
        fast.close()
        slow = _Writer(options.get("markdown", False), options.get("links", False), False)
        slow._markdown(prelude)
        assert fast.close() == slow.close()


def test_other_markdown_lines_are_understood() -> None:
    body = "# 大标题\n\n一段 **粗体** 和 [链接](https://example.org)。\n\n- 甲\n- 乙\n\n<p>HTML 段落</p>"
    assert text(body) == "大标题\n\n一段 粗体 和 链接。\n\n- 甲\n- 乙\n\nHTML 段落\n"


@pytest.mark.parametrize("plain", ["__init__.py 和 5*3*2 元\n", "用 `ls` 和 **重点** 写的纯文本\n",
                                   "<p>x</p>\n__init__.py 和 5*3*2 元\n"])
def test_emphasis_or_code_characters_alone_do_not_make_text_markdown(plain: str) -> None:
    # A Markdown parser would take "_init_" and "*3*" for emphasis and drop the marks.
    assert text(plain).endswith("__init__.py 和 5*3*2 元\n") or text(plain) == plain


def test_a_footnote_line_in_body_level_markdown_stays() -> None:
    # "[1]: ..." is a link reference definition to a Markdown parser, which drops the line.
    assert text("1. 见下\n\n[1]: 参见某书第三章\n").endswith("[1]: 参见某书第三章\n")


def test_markdown_syntax_inside_html_elements_is_text() -> None:
    assert text("<p>[not a link](x) **raw**</p>") == "[not a link](x) **raw**\n"


# -- plain text, front matter, empty results -----------------------------------------------


def test_plain_text_passes_through_except_entities() -> None:
    plain = "　　第一段，没有标签。\n\n  第二段 &amp; 实体  \n  缩进行\n"
    assert text(plain) == "　　第一段，没有标签。\n\n  第二段 & 实体  \n  缩进行\n"


def test_front_matter_is_kept_byte_for_byte() -> None:
    head = "\ufeff---\r\ntitle:   '<b>不是 HTML</b>'  \r\nlist: [ a,b ]\r\n---\r\n"
    doc = strip_html(Document.parse(head + "<p>正文</p>"))
    assert doc.head == head
    assert doc.body == "正文\n"


def test_empty_body_is_left_alone() -> None:
    doc = Document.parse(HEAD + "\n")
    assert strip_html(doc) == doc


@pytest.mark.parametrize("body", [
    "只有文字 <b>和粗体</b>",
    "<span>只有行内</span>",
    '<?xml version="1.0" encoding="gbk"?><html><body><p>声明了编码</p></body></html>',
    '<html><head><meta charset="gb2312"></head><body>中文</body></html>',
    "<td>孤立单元格</td>",
    "<li>孤立列表项</li>",
    "</p></div>结束标签在前",
])
def test_never_empty_when_there_is_visible_text(body: str) -> None:
    out = text(body)
    assert re.sub(r"\s", "", out)
    assert "<" not in out


# -- Markdown output ---------------------------------------------------------------------------

RICH = (
    "<h1>主标题</h1><p>一段<b>粗体</b>和<em>强调</em>，见<a href='https://example.org/a b'>"
    "链接</a>。</p><blockquote><p>引用第一段</p><p>引用第二段</p></blockquote>"
    "<ul><li>甲<ol><li>一</li><li>二</li></ol></li><li>乙</li></ul>"
    "<p><img src='https://img.example.org/p.jpg' alt='照片'></p>"
    "<table><tr><th>城市</th><th>人口</th></tr><tr><td>北京</td><td>2189|万</td></tr></table>"
    "<pre>x = 1\n  y = 2</pre>"
    "<p>" + "很长的一句话" * 60 + "</p>"
)


def test_markdown_output_round_trips_through_a_markdown_parser() -> None:
    from lxml import html as lxml_html
    from markdown_it import MarkdownIt

    md = text(RICH, markdown=True)
    tree = lxml_html.fromstring(MarkdownIt("commonmark").enable("table").render(md))
    assert tree.xpath("string(//h1)") == "主标题"
    assert tree.xpath("string(//p/strong)") == "粗体"
    assert tree.xpath("string(//p/em)") == "强调"
    assert tree.xpath("//a/@href") == ["https://example.org/a%20b"]
    assert [p.text_content() for p in tree.xpath("//blockquote/p")] == ["引用第一段", "引用第二段"]
    assert tree.xpath("string(//ul/li[1]/text())").strip() == "甲"
    assert [li.text_content() for li in tree.xpath("//ul/li/ol/li")] == ["一", "二"]
    assert tree.xpath("//img/@alt") == ["照片"]
    assert tree.xpath("//img/@src") == ["https://img.example.org/p.jpg"]
    assert [c.text_content() for c in tree.xpath("//table//tr/*")] == [
        "城市", "人口", "北京", "2189|万"
    ]
    assert tree.xpath("string(//pre/code)") == "x = 1\n  y = 2\n"


def test_markdown_output_is_never_wrapped() -> None:
    md = text(RICH, markdown=True)
    assert "很长的一句话" * 60 in md.splitlines()


def test_markdown_output_escapes_text_that_would_be_syntax() -> None:
    from markdown_it import MarkdownIt

    md = text("<p>1. 不是列表 *星号* [方括号]</p><p># 不是标题</p>", markdown=True)
    html = MarkdownIt("commonmark").render(md)
    assert html == "<p>1. 不是列表 *星号* [方括号]</p>\n<p># 不是标题</p>\n"


def test_markdown_emphasis_marks_hug_the_words() -> None:
    assert text("<p>a<b> bold </b>b</p>", markdown=True) == "a **bold** b\n"


@pytest.mark.parametrize(("html", "strong", "rendered"), [
    ("<p><b>重要：</b>内容</p>", ["重要"], "重要：内容"),  # punctuation goes outside the marks
    ("<p><b>记者&nbsp;</b>张三</p>", ["记者"], "记者\xa0张三"),
    ("<p>他说<b>“引语”</b>然后</p>", ["引语"], "他说“引语”然后"),
    ("<p><b>王：</b>所谓<b>李：</b>对</p>", ["王", "李"], "王：所谓李：对"),
    ("<p><b>2021</b><b>年</b></p>", ["2021年"], "2021年"),  # adjacent marks are one
    ("<p>x<b>：</b>y</p>", [], "x：y"),  # only punctuation: no marks
    ("<p><b><a href=\"http://x.org/a\">链接</a>：</b>后文</p>", ["链接"], "链接：后文"),
    ("<p>前<b>粗<i>斜：</i></b>后</p>", ["粗斜"], "前粗斜：后"),
    ("<p><b>- 年</b>后</p>", ["年"], "- 年后"),  # moved to a line's start: not a list item
    ("<p><i>-</i></p>", [], "-"),
    ("<p><b>重要!</b><a href=\"http://x.org/a\">链接</a></p>", ["重要"], "重要!链接"),  # not "!["
    ("<p>-<b>，<b>a</b></b></p>", ["a"], "-，a"),  # <b> in <b>: one pair of marks
])
def test_markdown_emphasis_renders_next_to_chinese_punctuation(html: str, strong: list[str],
                                                                 rendered: str) -> None:
    # CommonMark does not close "**重要：**内容": a mark after punctuation and before a
    # letter is not a closing one, and the reader would see the asterisks.
    from lxml import html as lxml_html
    from markdown_it import MarkdownIt

    md = text(html, markdown=True)
    tree = lxml_html.fromstring("<div>" + MarkdownIt("commonmark").render(md) + "</div>")
    assert [el.text_content() for el in tree.xpath("//strong")] == strong
    assert tree.text_content().strip() == rendered


def test_an_item_value_numbers_it_and_the_items_after_it() -> None:
    assert text('<ol><li>a</li><li value="5">b</li><li>c</li></ol>') == "1. a\n5. b\n6. c\n"
    assert text('<ol start="3"><li value="x">a</li><li>b</li></ol>') == "3. a\n4. b\n"


def test_markdown_text_that_reads_as_an_entity_is_escaped() -> None:
    # "&amp;copy;" in HTML is the text "&copy;"; written as is, Markdown would show ©.
    from lxml import html as lxml_html
    from markdown_it import MarkdownIt

    html = "<p>AT&amp;amp;T &amp;copy; R&amp;D &amp;#169;x</p>"
    md = text(html, markdown=True)
    shown = lxml_html.fromstring(MarkdownIt("commonmark").render(md)).text_content()
    assert shown.strip() == text(html).strip() == "AT&amp;T &copy; R&D &#169;x"
    assert "R&D" in md  # a "&" that no entity follows needs no escape


# -- robustness ----------------------------------------------------------------------------------


def test_deep_nesting_finishes_without_error() -> None:
    depth = 100_000
    html = "<div>" * depth + "<p>深处</p>" + "</div>" * depth + "<p>之后</p>"
    assert text(html) == "深处\n\n之后\n"


def test_deep_inline_and_list_nesting_has_bounded_output() -> None:
    html = "<ul><li>" * 5_000 + "深" + "</li></ul>" * 5_000
    out = text(html, markdown=True)
    assert out.strip().endswith("- 深")
    assert len(out) < 200_000
    assert text("<b><i>" * 20_000 + "字" + "</i></b>" * 20_000, markdown=True) == "***字***\n"


def test_nul_characters_do_not_cut_the_text() -> None:
    assert text("<p>前\x00后</p>") == "前后\n"


def test_parse_errors_are_cleantext_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    from lxml import etree

    def broken(*args: object, **kwargs: object) -> None:
        raise etree.XMLSyntaxError("boom", 1, 1, 1)

    monkeypatch.setattr(etree, "fromstring", broken)
    with pytest.raises(CleantextError, match="cannot parse the HTML body"):
        text("<p>x</p>")


# -- the real command line ---------------------------------------------------------------------


def test_cli_strips_a_file_and_keeps_front_matter(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_bytes((HEAD + PRELUDE).encode("utf-8"))
    result = CliRunner().invoke(cli, ["strip-html", str(post)])
    assert result.exit_code == 0, result.output
    assert result.output == HEAD + "银保监会：P2P在营机构已清零\n\n正文第一段。\n\n正文第二段。\n"


@pytest.mark.parametrize(("option", "expected"), [
    ("--alt", "图：照片 见报道\n"),
    ("--links", "图： 见报道 <https://example.org>\n"),
    ("--markdown", "图：![照片](p.jpg) 见[报道](https://example.org)\n"),
])
def test_cli_options(option: str, expected: str) -> None:
    body = '<p>图：<img src="p.jpg" alt="照片"> 见<a href="https://example.org">报道</a></p>'
    result = CliRunner().invoke(cli, ["strip-html", option], input=HEAD + body)
    assert result.exit_code == 0, result.output
    assert result.output == HEAD + expected
