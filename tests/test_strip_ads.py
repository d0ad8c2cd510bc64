"""strip-ads: rule forms, site matching, text rules, heuristics, options and the CLI.

Fixtures under tests/fixtures/strip_ads/ are invented posts with the same markup as the seeds
(a zaobao post with DFP/innity slots and subscribe promos, a sina post with a QR-code promo and
an editor line).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleantext.ad_rules import active_rules, builtin_files, load_rule_file, parse_rule, site_of
from cleantext.cli import cli
from cleantext.document import Document
from cleantext.errors import CleantextError
from cleantext.steps.strip_ads import strip_ads

FIXTURES = Path(__file__).parent / "fixtures" / "strip_ads"
ZAOBAO = FIXTURES / "zaobao_post.md"
SINA = FIXTURES / "sina_post.md"


def rules_file(tmp_path: Path, text: str, name: str = "my-rules.txt") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def clean(body: str, *rules: str, tmp_path: Path, url: str = "https://www.example.com/a",
          **options: object) -> str:
    """Run only the given rules (no built-ins) on a body."""
    files = [rules_file(tmp_path, "\n".join(rules) + "\n")] if rules else []
    return strip_ads(Document.parse(body), rules=files, no_builtin=True, url=url,
                     **options).body


# --- the seeds' ad blocks (invented documents with the same markup) -------------------------


@pytest.fixture
def zaobao() -> Document:
    return Document.parse(ZAOBAO.read_text(encoding="utf-8"))


def test_zaobao_ad_slots_and_subscribe_promos_are_removed(zaobao: Document) -> None:
    body = strip_ads(zaobao).body
    for gone in ("dfp-ad-imu1", "dfp-ad-midarticlespecial", "innity-in-post",
                 "subscribe.sph.com.sg", 'id="imu"'):
        assert gone not in body


def test_zaobao_article_text_list_caption_byline_and_prelude_survive(zaobao: Document) -> None:
    out = strip_ads(zaobao)
    assert out.head == zaobao.head
    for kept in (("[某市地铁新线今日通车](https://www.zaobao.com/realtime/china/story20210502-"
                 "0000001)\n------"), "某市地铁十号线今天上午正式通车", "全自动驾驶系统",
                 "<li>首班车：早上六时</li>", "<figcaption>十号线列车驶入终点站。（示意图）",
                 "记者张三 北京报道：乘客李四说", 'src="https://example.com/metro.jpg"'):
        assert kept in out.body


def test_sina_qr_promo_editor_line_and_style_are_removed() -> None:
    doc = Document.parse(SINA.read_text(encoding="utf-8"))
    out = strip_ads(doc)
    assert out.head == doc.head  # a leading blank line and all: byte for byte
    for gone in ("appendQr_wrap", "尽在某某财经APP", "责任编辑", "article-editor", "<style"):
        assert gone not in out.body
    assert "本报记者 王五 上海报道 </font>某银行今天公布一季度业绩" in out.body
    assert "将继续加大对小微企业的信贷支持。" in out.body


def test_sina_site_rules_apply_with_url() -> None:
    doc = Document.parse(SINA.read_text(encoding="utf-8"))
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        strip_ads(doc, url="https://finance.sina.com.cn/x.shtml", explain=True)
    explained = err.getvalue()
    assert "rules/sina.com.cn.txt" in explained and "appendQr_wrap" in explained


# --- rule forms -----------------------------------------------------------------------------


def test_generic_selector_rule(tmp_path: Path) -> None:
    out = clean("<p>Keep me.</p><div class='box'>Buy now</div>", "##div.box", tmp_path=tmp_path)
    assert out == "<p>Keep me.</p>"


def test_site_rule_matches_site_and_subdomains_only(tmp_path: Path) -> None:
    body = "<p>Story text here.</p><aside class='promo-x'>promo</aside>"
    rule = "zaobao.com##aside.promo-x"
    for url in ("https://zaobao.com/a", "https://www.zaobao.com/a", "https://m.cn.zaobao.com/"):
        assert "promo" not in clean(body, rule, tmp_path=tmp_path, url=url)
    for url in ("https://notzaobao.com/a", "https://zaobao.com.evil.net/", "https://x.org/"):
        assert "promo" in clean(body, rule, tmp_path=tmp_path, url=url)


def test_excluded_site_with_tilde(tmp_path: Path) -> None:
    body = "<p>Story.</p><aside>x</aside>"
    rule = "~blog.example.com##aside"
    assert "<aside>" in clean(body, rule, tmp_path=tmp_path, url="https://blog.example.com/")
    assert "<aside>" not in clean(body, rule, tmp_path=tmp_path, url="https://example.org/")


def test_exception_cancels_the_same_selector_on_that_site_only(tmp_path: Path) -> None:
    body = "<p>Story.</p><div class='related'>Read also</div>"
    rules = ("##div.related", "example.com#@#div.related")
    assert "Read also" in clean(body, *rules, tmp_path=tmp_path, url="https://www.example.com/")
    assert "Read also" not in clean(body, *rules, tmp_path=tmp_path, url="https://other.net/")


def test_site_comes_from_front_matter_keys() -> None:
    for key in ("from", "url", "link", "source", "canonical"):
        doc = Document.parse(f"---\n{key}: https://News.Example.com/p/1\n---\n<p>x</p>\n")
        assert site_of(doc) == "news.example.com"
    doc = Document.parse("---\nfrom: https://a.example.com/\n---\n<p>x</p>\n")
    assert site_of(doc, "https://b.example.org/") == "b.example.org"
    assert site_of(Document.parse("<p>no front matter</p>")) == ""


def test_text_rule_removes_a_block_whose_whole_text_matches(tmp_path: Path) -> None:
    body = ("<p>The post said hello.</p>"
            "<p>The post <a href='x'>Title</a> appeared first on <a href='y'>Site</a>.</p>")
    out = clean(body, r"##/^The post .+ appeared first on .+$/", tmp_path=tmp_path)
    assert out == "<p>The post said hello.</p>"


def test_text_rule_tests_innermost_blocks_not_their_containers(tmp_path: Path) -> None:
    body = "<div><p>Article paragraph.</p><p>责任编辑：张三</p></div>"
    out = clean(body, "##/责任编辑：/", tmp_path=tmp_path)
    assert out == "<div><p>Article paragraph.</p></div>"


def test_text_rule_removes_one_br_line_and_keeps_the_others(tmp_path: Path) -> None:
    body = "<p>记者是驻京记者。<br/>翻译：某某<br/><a href='u'>点击查看本文英文版。</a></p>"
    out = clean(body, "##/^翻译：.{1,20}$/", "##/^点击查看本文英文版。$/", tmp_path=tmp_path)
    assert out == "<p>记者是驻京记者。</p>"


def test_has_text_rule_needs_both_selector_and_text(tmp_path: Path) -> None:
    body = "<p class='note'>Listen on: Spotify</p><p class='note'>Listen to this.</p><p>Listen on: x</p>"
    out = clean(body, "##p.note:has-text(/^Listen on:/)", tmp_path=tmp_path)
    assert out == "<p class=\"note\">Listen to this.</p><p>Listen on: x</p>"


def test_remove_text_cuts_a_trailing_credit_and_keeps_the_paragraph(tmp_path: Path) -> None:
    body = "<p>裁判官預定15日再訊。（編輯：某某）1100108</p><p>（編輯：甲）不在結尾的文字。</p>"
    out = clean(body, r"##p:remove-text(/（編輯：[^）]+）\d*$/)", tmp_path=tmp_path)
    assert out == "<p>裁判官預定15日再訊。</p><p>（編輯：甲）不在結尾的文字。</p>"


@pytest.mark.parametrize("body, expected", [
    pytest.param("<p>Article text that stays.</p><p>（编译/责编：萧尔）</p>"
                 "<p>The post <a href='x'>X</a> appeared first on <a href='y'>Y</a>.</p>"
                 "<p>© 2020年 某台版权声明：本文所有内容受到著作权法保护。</p>"
                 "<p>最後一段。（譯者：甲/核稿：乙）1100113</p>\n",
                 "<p>Article text that stays.</p><p>最後一段。</p>\n",
                 id="credits-copyright-feed-trailers"),
    pytest.param("<p>第一部分的正文。</p><p>（未完待续）</p>"
                 "<p><span>——</span> <span>未完待續</span> <span>——</span></p>"
                 "<p><em>To be continued...</em></p>"
                 "<p>这个故事未完待续，下周再见。</p>\n",  # a sentence holding the marker stays
                 "<p>第一部分的正文。</p><p>这个故事未完待续，下周再见。</p>\n",
                 id="serial-markers"),
])
def test_builtin_text_rules_remove_boilerplate_lines_and_keep_the_text(body, expected) -> None:
    assert strip_ads(Document.parse(body)).body == expected


def test_builtin_rule_cuts_drupal_s_unverified_mark_and_keeps_the_name() -> None:
    body = ("<p>正文。</p><div class='byline'>文/ <span class='username'>Anonymous (未验证)"
            "</span></div><p class='c'><span class='username'>Jo (not verified)</span></p>"
            "<p>未验证的消息 (未验证)</p>\n")
    out = strip_ads(Document.parse(body)).body
    assert "<span class=\"username\">Anonymous</span>" in out
    assert "<span class=\"username\">Jo</span>" in out
    assert "<p>未验证的消息 (未验证)</p>" in out  # not a user name: kept


def test_text_rules_match_text_split_across_inline_elements(tmp_path: Path) -> None:
    # The document-wide pre-filter looks at the whole text: words cut by inline markup,
    # whitespace runs and case-insensitive rules must still be found.
    body = ("<p>Article.</p><p>责任<b>编辑</b>：<span>张三</span></p>"
            "<p>COPYRIGHT\u3000 2021 Example</p><p>Listen   on:\n x</p>")
    out = clean(body, "##/^责任编辑：.{1,4}$/", "##/^copyright\\s*20\\d\\d/i",
                "##/^Listen on: x$/", tmp_path=tmp_path)
    assert out == "<p>Article.</p>"


def test_text_rule_pre_filter_never_hides_a_match() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from cleantext.ad_rules import _checked_pattern, _prefilter

    patterns = [(r.pattern, r.required) for r in active_rules("").hide if r.pattern is not None]
    patterns += [_checked_pattern(p, f) for p, f in [
        (r"^(?:ab|c)d+$", 0), (r"x(y|z)\\d", 0), (r"^\\bword\\b", 0), (r"(?<=a)b", 0),
        (r"^AB.{0,3}$", re.IGNORECASE), (r"(a)\\1", 0), (r"^$", 0), (r"Buy (?:now|today)", 0)]]
    pieces = st.sampled_from(["责任编辑", "：", " ", "编辑", "The post ", "appeared first on",
                              "©", "2021", "Copyright", "微信搜索", "x", "ab", "c", "d", "y1",
                              "word", "Translated by ", "（", "）", "1100108", "\n", "AB"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces, max_size=12), st.lists(pieces, max_size=6),
           st.lists(pieces, max_size=6))
    def check(middle: list[str], before: list[str], after: list[str]) -> None:
        block = " ".join("".join(middle).split())
        document = " ".join("".join(before + [" "] + middle + [" "] + after).split())
        for pattern, required in patterns:
            test = _prefilter(pattern, required)
            if pattern.search(block) and test is not None:
                assert test(document), (pattern.pattern, block, document)

    check()


# --- rule files: errors, caching, user rules ------------------------------------------------


def test_bad_selector_names_file_and_line(tmp_path: Path) -> None:
    path = rules_file(tmp_path, "! comment\n##div.ok\n##div[\n")
    with pytest.raises(CleantextError, match=r"my-rules\.txt:3: bad CSS selector"):
        load_rule_file(path)


def test_bad_regex_names_file_and_line(tmp_path: Path) -> None:
    path = rules_file(tmp_path, "##/(unclosed/\n")
    with pytest.raises(CleantextError, match=r"my-rules\.txt:1: bad regular expression"):
        load_rule_file(path)


def test_line_that_is_no_rule_is_an_error() -> None:
    with pytest.raises(CleantextError, match="f:7: not a rule"):
        parse_rule("just some words", "f:7")


def test_rule_files_are_parsed_once_per_process(tmp_path: Path) -> None:
    path = rules_file(tmp_path, "##div.x\n")
    assert load_rule_file(path) is load_rule_file(path)


def test_every_builtin_text_rule_has_strings_to_look_for_first() -> None:
    # Every document's text is tested for each text rule before its blocks are: a rule with
    # strings one of which every match holds costs a few substring searches; one without
    # (a case-blind /i pattern, say) a regex scan of the whole text, 70 us a document each.
    slow = [rule.line for path in builtin_files() for rule in load_rule_file(path)
            if rule.pattern is not None and not rule.required]
    assert slow == []


def test_strings_to_look_for_leave_out_those_that_hold_another() -> None:
    # Wherever "未完待续" is, "待续" is too: one search of the text, not two.
    rule = parse_rule("##/^(?:未完待续|待续|to be continued)$/", "f:1")
    assert rule is not None and rule.required == ("to be continued", "待续")


def test_every_builtin_rule_file_parses() -> None:
    rules = active_rules("www.zaobao.com")
    assert any(r.origin.startswith("rules/zaobao.com.txt") for r in rules.hide)
    assert all(r.origin.startswith("rules/") for r in rules.hide)
    for f in builtin_files():
        assert load_rule_file(f), f


def test_site_rule_files_hold_only_rules_for_their_site() -> None:
    # active_rules reads a site file only for its own site (start-up): that is exact only if
    # every rule in it is limited to that site.
    for f in builtin_files():
        if f.name == "generic.txt":
            continue
        for rule in load_rule_file(f):
            assert rule.domains, rule.origin
            assert all(d == f.stem or d.endswith("." + f.stem) for d in rule.domains), rule.origin


def test_only_the_generic_file_and_the_site_s_own_file_are_read(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from cleantext import ad_rules as module

    read: list[str] = []
    real = module.load_rule_file
    monkeypatch.setattr(module, "load_rule_file",
                        lambda path, name=None: read.append(Path(path).name) or real(path, name))
    module._active_rules.cache_clear()
    try:
        module.active_rules("finance.sina.com.cn")
        assert read == ["generic.txt", "sina.com.cn.txt"]
        read.clear()
        module.active_rules("www.zaobao.com", no_site_rules=True)
        assert read == ["generic.txt"]
    finally:
        module._active_rules.cache_clear()


# --- heuristics ------------------------------------------------------------------------------


def test_heuristic_matches_whole_name_tokens_only() -> None:
    body = ("<div class='header'>Head line</div><div class='shadow'>Shadowed text</div>"
            "<a class='download'>Download</a><div class='read-more'>Read on</div>"
            "<div class='ad-box'>BUY</div><div id='socialShare'>Share</div>"
            "<p class='tag-social-media'>Tagged paragraph stays.</p>"
            "<p>Main article text that is long enough to be the article.</p>\n")
    out = strip_ads(Document.parse(body)).body
    for kept in ("Head line", "Shadowed text", "Download", "Read on", "Tagged paragraph"):
        assert kept in out
    assert "BUY" not in out and "Share" not in out


def test_heuristic_link_list_goes_paragraph_with_links_stays() -> None:
    body = ("<p>The minister said <a href='a'>on Monday</a> that the plan would go ahead.</p>"
            "<ul><li><a href='1'>Other story one</a></li><li><a href='2'>Other story two</a>"
            "</li><li><a href='3'>Other story three</a></li></ul>\n")
    out = strip_ads(Document.parse(body)).body
    assert "on Monday" in out and "Other story" not in out


def test_a_paragraph_made_of_links_is_prose_not_a_link_list() -> None:
    body = ("<p>A long enough article paragraph that says what the links below are for.</p>"
            "<p>推薦網站：<a href='1'>privacytools.io</a> <a href='2'>Electronic Frontier "
            "Foundation</a> <a href='3'>Mullvad</a></p>\n")
    out = strip_ads(Document.parse(body)).body
    assert "privacytools.io" in out and "Mullvad" in out


# --- site rules (invented posts with each site's markup) ----------------------------------


def site_post(url: str, body: str) -> str:
    return strip_ads(Document.parse(f"---\nfrom: {url}\n---\n{body}\n")).body


def test_bbc_read_more_lists_and_ads_go_content_bullets_stay() -> None:
    body = ("<div class='css-abc-GridComponent'><p class='css-x1-Paragraph'>正文第一段。</p></div>"
            "<div id='dotcom-mpu' class='dotcom-ad'></div>"
            "<ul class='css-4c9jmx-BulletedList e1'><li><a href='https://www.bbc.com/zhongwen/"
            "simp/world-1'>另一篇报道的标题</a></li></ul>"
            "<ul class='css-9zz-BulletedList e1'><li>要点一，没有链接</li>"
            "<li>要点二 <a href='https://www.bbc.com/zhongwen/simp/world-2'>见此</a></li></ul>")
    out = site_post("https://www.bbc.com/zhongwen/simp/world-55583564", body)
    assert "另一篇报道的标题" not in out and "dotcom" not in out
    assert "正文第一段" in out and "要点一" in out and "要点二" in out


def test_dw_feed_header_and_press_review_disclaimer_go() -> None:
    body = ("<div><div><i>William  Yang<br>2021-01-09T14:10:05.115Z</i></div>"
            "<p>（德国之声中文网）正文。</p><p>2021-01-09T14:10:05.115Z 这一天发生了很多事。</p>"
            "<p><em>摘编自其他媒体的内容，不代表德国之声的立场或观点 © 2021年 德国之声版权声明："
            "本文所有内容受到著作权法保护。</em></p></div>")
    out = site_post("https://www.dw.com/zh/a-56180152", body)
    assert "William" not in out and "摘编" not in out
    assert "正文" in out and "这一天发生了很多事" in out


def test_chinadigitaltimes_serial_back_link_goes() -> None:
    body = ("<p>作者：某某</p><p>接上期：<a href='https://chinadigitaltimes.net/chinese/2021/01/x'>"
            "【CDT连载】某书（24）</a></p><p>这是僻静小巷里的小茶馆。接上期：不在开头的不算。</p>")
    out = site_post("https://chinadigitaltimes.net/chinese/2021/01/y", body)
    assert "【CDT连载】" not in out and "作者：某某" in out and "僻静小巷" in out


def test_epochtimes_donation_appeal_goes() -> None:
    body = ("<p>正文，提到<a href='https://www.epochtimes.com/gb/tag/x.html'>某人</a>。</p>"
            "<p>【支持】为真相护航 为沉默发声，就在今天，支持大纪元<br/>"
            "<a href='https://donate.epochtimes.com/'>https://donate.epochtimes.com</a></p>")
    out = site_post("https://www.epochtimes.com/gb/21/1/19/n12700000.htm", body)
    assert "支持大纪元" not in out and "donate" not in out and "正文" in out


def test_neist_medium_byline_box_goes() -> None:
    body = ("<p>正文的第一段。</p><div class='container js-postMetaLockup'><a href='//nei.st/"
            "medium/initium'>端傳媒 Initium Media</a><time>Oct 29th 2019</time></div>")
    out = site_post("https://nei.st/medium/initium/x", body)
    assert "Initium" not in out and "正文的第一段" in out


def test_neist_publisher_card_goes_but_a_source_link_in_the_text_stays() -> None:
    card = ("<div class='qx'><span class='k1'><span class='k2'><h2><a href='https://nei.st/"
            "medium/economist'>The Economist</a></h2><div><button><a href='https://nei.st/"
            "medium/economist'>View</a></button></div></span></span><div class='k3'><h4>"
            "Published since September 1843</h4></div></div>")
    body = ("<p>正文的第一段，来源：<a href='https://nei.st/medium/economist?source=x'>经济学人"
            f"</a>。</p><div class='wrap'>{card}</div>")
    out = site_post("https://nei.st/medium/economist/x", body)
    assert "View" not in out and "September 1843" not in out and "The Economist" not in out
    assert "正文的第一段" in out and "经济学人" in out


def test_neist_end_banner_goes_but_a_heading_saying_no_more_in_the_text_stays() -> None:
    banner = ("<div class='bq'><div class='ag'><div class='x1'><img src='/a.png' width='114'/>"
              "</div><div class='x2'><h3 class='dw'>No More.</h3></div><div class='x3'>"
              "<img src='/b.png' width='300'/></div></div></div>")
    body = ("<p>正文的第一段。</p><div class='s'><div><h3>No More.</h3></div>"
            f"<p>A chapter on saying no.</p></div>{banner}")
    out = site_post("https://nei.st/medium/caixin/x", body)
    assert out.count("No More.") == 1 and "/a.png" not in out and "/b.png" not in out
    assert "正文的第一段" in out and "saying no" in out


def test_chinafile_editors_notes_go_but_article_text_about_corrections_stays() -> None:
    body = ("<p>Offices registered this year: 42.</p>"
            "<p>(Please see our complete, updated lists for up-to-date tallies of "
            "<a href='/ngo/map'>Representative Offices</a>.)</p>"
            "<p>The ministry issued a correction to its earlier figures.</p>"
            "<p><em>Correction: An earlier version of the graph counted one day too few."
            "</em></p>")
    out = site_post("https://www.chinafile.com/ngo/analysis/x", body)
    assert "Please see our complete" not in out and "Correction: An earlier" not in out
    assert "Offices registered" in out and "issued a correction" in out


def test_wordpress_header_line_loses_categories_and_reading_time_keeps_byline() -> None:
    body = ("<div class='entry-meta'><span class='byline'><a href='/author/x/'>作者甲</a></span>"
            "<span class='cat-links'><a href='/category/a/' rel='category tag'>新闻通讯</a>, "
            "<a href='/category/b/' rel='category tag'>关于地缘政治</a></span>"
            "<span class='posted-on'><time>2019年4月26日</time></span>"
            "<span class='word-count'>3 Minutes</span></div>"
            "<div class='entry-content'><p>正文第一段。</p>"
            "<p>正文里的<span class='cat-links'>这一段</span>不是页眉。</p></div>")
    out = site_post("https://blog.example.org/2019/04/x/", body)
    assert "新闻通讯" not in out and "关于地缘政治" not in out and "Minutes" not in out
    assert "作者甲" in out and "2019年4月26日" in out
    assert "正文第一段" in out and "这一段" in out


def test_containers_emptied_by_removals_go_too(tmp_path: Path) -> None:
    body = "<p>Story.</p><div class='wrap'><section><div class='slot'></div></section></div>"
    out = clean(body, "##div.slot", tmp_path=tmp_path)
    assert out == "<p>Story.</p>"
    body = "<p>Story.</p><div class='wrap'><div class='slot'></div><img src='a.png'></div>"
    assert "a.png" in clean(body, "##div.slot", tmp_path=tmp_path)


def test_guard_never_removes_the_article_container(tmp_path: Path) -> None:
    article = "<p>" + "这是文章的正文。" * 40 + "</p>"
    body = f"<div class='share-story'>{article}</div><div class='share-story'>Share</div>"
    out = clean(body, "##div.share-story", tmp_path=tmp_path)
    assert "这是文章的正文。" in out and ">Share<" not in out


def test_nothing_removed_leaves_the_body_byte_for_byte() -> None:
    body = "<p >Odd  spacing &amp; entities&nbsp;kept</p>\n\n<P>UPPER</P>\n"
    assert strip_ads(Document.parse(body)).body == body


# --- options -----------------------------------------------------------------------------------


def test_no_builtin_uses_only_the_given_rules(zaobao: Document, tmp_path: Path) -> None:
    assert "dfp-ad-imu1" in strip_ads(zaobao, no_builtin=True).body
    path = rules_file(tmp_path, "##[id^='dfp-ad']\n")
    out = strip_ads(zaobao, rules=[path], no_builtin=True).body
    assert "dfp-ad-imu1" not in out and "subscribe.sph.com.sg" in out


def test_no_site_rules_keeps_generic_rules_and_heuristics(zaobao: Document) -> None:
    out = strip_ads(zaobao, no_site_rules=True).body
    assert "dfp-ad-imu1" not in out  # generic rule
    assert "subscribe.sph.com.sg" in out  # zaobao.com rule: off


def test_list_rules_returns_the_listing_without_front_matter(zaobao: Document) -> None:
    out = strip_ads(zaobao, list_rules=True)
    assert out.head == ""
    assert "rules/zaobao.com.txt" in out.body and "rules/generic.txt" in out.body
    assert "heuristic names" in out.body
    assert "zaobao.com" not in strip_ads(zaobao, list_rules=True, no_site_rules=True).body.split(
        "\n", 1)[1]


# --- through the CLI -------------------------------------------------------------------------


def test_cli_explain_writes_rule_and_text_start_to_stderr() -> None:
    result = CliRunner().invoke(cli, ["strip-ads", "--explain", str(SINA)])
    assert result.exit_code == 0
    assert "rules/generic.txt:" in result.stderr and "'责任编辑：赵六'" in result.stderr
    assert "heuristic names: qr" in result.stderr and "尽在某某财经APP" in result.stderr
    assert "责任编辑" not in result.stdout and "信贷支持" in result.stdout


def test_cli_rules_option_adds_a_user_file(tmp_path: Path) -> None:
    path = rules_file(tmp_path, "! the list items\n##li\n")
    result = CliRunner().invoke(cli, ["strip-ads", "--rules", path, str(ZAOBAO)])
    assert result.exit_code == 0
    assert "首班车" not in result.stdout and "某市地铁十号线" in result.stdout


@pytest.mark.parametrize("command", [["strip-ads"], ["clean"], ["clean", "-s", "strip-ads"]])
def test_cli_bad_rule_file_is_one_usage_error_before_any_document(tmp_path: Path,
                                                                   command: list[str]) -> None:
    # As `grep -f` or `sed -f` with a bad file: one error and exit 2, not one per document.
    path = rules_file(tmp_path, "##p\n\n##p:has-text(/[/)\n")
    result = CliRunner().invoke(cli, [*command, "--rules", path, str(ZAOBAO), str(ZAOBAO)])
    assert result.exit_code == 2
    assert result.stdout == ""
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and f"--rules: {path}:3: bad regular expression" in errors[0]
    assert "Traceback" not in result.stderr
    missing = str(tmp_path / "missing.txt")
    result = CliRunner().invoke(cli, [*command, "--rules", missing, str(ZAOBAO), str(ZAOBAO)])
    assert result.exit_code == 2 and result.stdout == ""
    assert f"--rules: cannot read rule file {missing}: No such file" in result.stderr


def test_a_rule_file_for_a_step_clean_does_not_run_is_not_read(tmp_path: Path) -> None:
    path = rules_file(tmp_path, "##p:has-text(/[/)\n")
    result = CliRunner().invoke(cli, ["clean", "-s", "normalize", "--rules", path, str(ZAOBAO)])
    assert result.exit_code == 0


def test_a_user_rule_file_edited_between_two_calls_is_read_again(tmp_path: Path) -> None:
    html = "<div class='aaa'>甲</div><div class='bbb'>乙</div><p>" + "正文。" * 40 + "</p>"
    path = rules_file(tmp_path, "##.aaa\n")
    first = strip_ads(Document("", html), rules=[path], no_builtin=True).body
    assert "甲" not in first and "乙" in first
    Path(path).write_text("##.bbb\n", encoding="utf-8")  # same size: the stamp still differs
    os.utime(path, ns=(1, 1))
    second = strip_ads(Document("", html), rules=[path], no_builtin=True).body
    assert "甲" in second and "乙" not in second
    Path(path).unlink()
    with pytest.raises(CleantextError, match="cannot read rule file"):
        strip_ads(Document("", html), rules=[path], no_builtin=True)


@pytest.mark.parametrize("head", ["---\ntitle: [unclosed\n---\n",  # YAML that cannot parse
                                  "---\n\n<p>不是元数据</p>\n\n---\n"])  # a rule, then body
def test_a_header_that_cannot_be_parsed_leaves_the_generic_rules(head: str) -> None:
    # The site is a hint: strip-html, normalize and convert clean such a document; so does
    # strip-ads, with the rules for no site in particular.
    doc = Document.parse(head + "<p>" + "正文。" * 40 + "</p><img width='1' height='1' src='t'>")
    assert doc.format == "yaml"
    out = strip_ads(doc)
    assert "<img" not in out.body and "正文。" in out.body and out.head == doc.head


def test_a_generated_hex_id_holds_no_widget_word() -> None:
    # Medium gives every paragraph a random hex id; "ad4e" is not an ad. Elementor's
    # element ids likewise. A numbered slot ("ad300", "dfp1") still names an ad.
    prose = "<p>" + "正文的句子。" * 60 + "</p>"
    html = (prose + '<p id="ad4e" class="graf graf--p">第二段是文章的一部分。</p>'
            '<div class="elementor-element elementor-element-ad81c3f">第三段也是。</div>'
            '<div id="ad300">广告位</div><div class="dfp1">广告位二</div>')
    out = strip_ads(Document("", html)).body
    assert "第二段是文章的一部分。" in out and "第三段也是。" in out
    assert "广告位" not in out


def test_a_named_inline_element_inside_a_sentence_stays() -> None:
    prose = "<p>" + "正文的句子。" * 60 + "</p>"
    html = (prose + '<p>发言人表示，<a class="related-link" href="/y">美国对华芯片禁令</a>'
            '严重违反市场经济原则。</p><p><span class="share-links">分享到微博</span></p>')
    out = strip_ads(Document("", html)).body
    assert "发言人表示，<a" in out and "芯片禁令</a>严重违反" in out  # the sentence is whole
    assert "分享到微博" not in out  # a named inline element on its own still goes


def test_a_post_that_is_a_list_of_headlines_keeps_it() -> None:
    # A broadcast's running order or a digest: the links are the post. A box of links that
    # holds less than half of a post's text is still a link list to remove.
    items = "".join(f'<li><a href="https://example.org/{i}#n">第{i}条新闻的标题文字</a></li>'
                    for i in range(8))
    digest = strip_ads(Document("", f"<div>{items}</div>")).body
    assert "第7条新闻的标题文字" in digest
    article = "<p>" + "正文的句子。" * 60 + "</p>"
    related = strip_ads(Document("", f"{article}<div>{items}</div>")).body
    assert "第7条新闻" not in related and "正文的句子。" in related


@pytest.mark.parametrize(("line", "removed"), [
    ("微信搜索“某某书评”（Books）：重申文化想象。", True),  # a block that starts with it
    ("请微信搜索关注公众号“某某”，获取更多内容", True),  # 关注/公众号 after it
    ("👉 长按二维码关注我们", True),
    ("扫码关注“某某新闻”", True),
    ("市民可通过微信搜索“国家政务服务平台”小程序申领。", False),  # news about WeChat
    ("警方提醒，扫描二维码前务必确认来源，以防木马。", False),
])
def test_wechat_promos_go_and_news_that_mentions_wechat_stays(line: str, removed: bool) -> None:
    prose = "<p>" + "正文的句子。" * 60 + "</p>"
    out = strip_ads(Document("", f"{prose}<p>{line}</p>")).body
    assert (line not in out) is removed


def test_a_brief_article_in_a_container_with_a_widget_name_stays() -> None:
    # Two sentences, 58 characters: the whole article, though its class says "related".
    article = ('<div class="article-content related-coverage"><p>中国国家统计局周一公布，今年'
               '第一季度国内生产总值同比增长5.3%，高于市场预期。</p><p>分析人士指出，出口和工业'
               '生产是主要推动力。</p></div>')
    out = strip_ads(Document("", article + '<div class="share">分享</div>')).body
    assert "高于市场预期" in out and "主要推动力" in out and "分享" not in out


@pytest.mark.parametrize(("line", "removed"), [
    ("责任编辑：张三", True),
    ("（编译/责编：李四）", True),
    ("自由亚洲电台记者王五 台北报道 责编 赵六", True),
    ("编辑：那您的建议是什么？", False),  # an interview's question
    ("她说：“我在报社做了十年责编 后来被迫离开。”", False),  # someone's words
])
def test_editor_credits_go_and_sentences_naming_editors_stay(line: str, removed: bool) -> None:
    prose = "<p>" + "正文的句子。" * 60 + "</p>"
    out = strip_ads(Document("", f"{prose}<p>{line}</p>")).body
    assert (line not in out) is removed


def test_a_credit_on_two_br_lines_of_one_block_goes_twice() -> None:
    prose = "<p>" + "正文的句子。" * 60 + "</p>"
    html = prose + "<p>第一行正文<br>责任编辑：张三<br>第三行正文<br>责任编辑：李四<br>末行</p>"
    out = strip_ads(Document("", html)).body
    assert out.endswith("<p>第一行正文<br>第三行正文<br>末行</p>")


def test_cli_list_rules_for_url() -> None:
    result = CliRunner().invoke(cli, ["strip-ads", "--list-rules", "--url",
                                      "https://www.cna.com.tw/news/1.aspx", "-"], input="")
    assert result.exit_code == 0
    assert result.stdout.startswith("! strip-ads rules for www.cna.com.tw\n")
    assert "cna.com.tw##.moreArticle" in result.stdout


def test_cli_no_site_rules_and_no_builtin() -> None:
    out = CliRunner().invoke(cli, ["strip-ads", "--no-site-rules", str(ZAOBAO)]).stdout
    assert "innity-in-post" in out and "dfp-ad-imu1" not in out
    out = CliRunner().invoke(cli, ["strip-ads", "--no-builtin", str(ZAOBAO)]).stdout
    assert out == ZAOBAO.read_text(encoding="utf-8")


def test_pipe_into_strip_html_keeps_article_text() -> None:
    from cleantext.registry import STEPS

    if "strip-html" not in STEPS:
        pytest.skip("strip-html not written yet")
    from cleantext.pipeline import apply

    text = apply(Document.parse(ZAOBAO.read_text(encoding="utf-8")),
                 ["strip-ads", "strip-html"]).body
    assert "某市地铁十号线今天上午正式通车" in text and "subscribe" not in text


def test_a_lone_surrogate_from_the_api_does_not_lose_the_rest_of_the_body() -> None:
    # libxml2, given a str holding a lone surrogate, silently dropped everything after it.
    doc = Document.parse('<p>前文\udc80後文</p><div class="ad-slot">广告</div><p>结尾</p>\n')
    body = strip_ads(doc).body
    assert "後文" in body and "结尾" in body and "广告" not in body
