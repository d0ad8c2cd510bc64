"""Issue 22, point 5: strip-ads' heuristics in linear time.

Unclosed ``<div>``s around links nest every box in the one before it; the link-list
heuristic walked every link once per box (722 KB: 77 s). Each element is counted once now.
The time itself is compared by ``benchmarks/bench_strip_ads_growth.py`` (4x the input, about
4x the time); here the work is counted, and the answers compared with the old definition."""

from __future__ import annotations

import random

import pytest
from lxml import html as lxml_html

from cleantext import ad_removal as sa
from cleantext.document import Document
from cleantext.steps.strip_ads import strip_ads


def old_mostly_links(el) -> bool:
    """The definition before (one walk of every link per element asked about)."""
    links = sa._link_len(el)
    count = 0
    for chunk in el.itertext():
        count += len("".join(chunk.split()))
        if links < 0.8 * count:
            return False
    return count > 0


def random_html(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(0, 4)):
        kind = rng.random()
        if kind < 0.3 and depth < 6:
            tag = rng.choice(["div", "ul", "li", "a", "span", "section", "p"])
            parts.append(f"<{tag}>{random_html(rng, depth + 1)}</{tag}>")
        elif kind < 0.4:
            parts.append(f"<!-- {rng.choice(['注释', 'x y', ''])} -->")
        elif kind < 0.5:
            parts.append(f"<script>var {rng.choice(['a', '链接'])} = 1;</script>")
        else:
            parts.append(rng.choice(["文字", " 链接 ", "a b", "\n  ", "很长的一段正文内容", "x"]))
    return "".join(parts)


def test_link_counts_answer_as_the_old_walk_did():
    rng = random.Random(22)
    for _ in range(300):
        root = lxml_html.fromstring(f"<div>{random_html(rng)}<a>链接</a></div>")
        memo: dict = {}
        for el in root.iter("div", "ul", "li", "section", "span", "p", "a"):
            assert sa._mostly_links(el, memo) == old_mostly_links(el)
            assert sa._mostly_links(el) == old_mostly_links(el)
            assert sa._link_counts(el, memo)[1] == sa._text_len(el)
            assert sa._link_counts(el, memo)[2] == len(el.findall(".//a"))


def nested_boxes(boxes: int, links: int = 3) -> str:
    box = '<div class="box">' + " ".join(
        f'<a href="/p{i}">链接文字第{i}条</a>' for i in range(links))
    return "---\ntitle: x\n---\n<p>" + "正文内容" * 100 + "</p>\n" + box * boxes + "\n"


@pytest.mark.parametrize("boxes", [100, 400])
def test_nested_boxes_cost_a_few_text_reads_per_link_not_one_per_box(monkeypatch, boxes):
    # The old walk read each link's text once for every box around it: 400 boxes of 3
    # links made 240,000 reads. Counted bottom up, each text is read a bounded number of
    # times, whatever the nesting.
    reads = 0
    real_text = sa._text
    real_non_space = sa._non_space

    def counting_text(el):
        nonlocal reads
        reads += 1
        return real_text(el)

    def counting_non_space(text):
        nonlocal reads
        reads += 1
        return real_non_space(text)

    monkeypatch.setattr(sa, "_text", counting_text)
    monkeypatch.setattr(sa, "_non_space", counting_non_space)
    strip_ads(Document.parse(nested_boxes(boxes)))
    assert reads < 20 * 3 * boxes


def test_a_list_of_links_is_still_removed_and_a_headline_post_is_kept():
    doc = Document.parse("---\ntitle: x\n---\n<p>" + "正文内容很长。" * 40 + "</p>\n"
                         + "<ul>" + "<li><a href='/a'>相关文章标题</a></li>" * 5 + "</ul>\n")
    out = strip_ads(doc).text
    assert "相关文章" not in out and "正文内容很长" in out
    headlines = Document.parse("---\ntitle: x\n---\n<ul>"
                               + "<li><a href='/a'>今日要闻标题</a></li>" * 5 + "</ul>\n")
    assert "今日要闻标题" in strip_ads(headlines).text
