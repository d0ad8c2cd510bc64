"""``:has()`` of any relative selector on every cssselect the project accepts (issue 24).

cssselect before 1.6 (all that Python 3.10 gets) reads ``:has()`` of one bare element only, so
the built-in rule ``div:has(> a[href^="https://feedx."])`` made every strip-ads run fail
there. cleantext translates ``:has()`` itself; these tests hold on any cssselect.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cleantext.selectors import XPATH_NAMESPACES, BadSelector, _css_to_xpath, _translate

RULES = Path(__file__).parent.parent / "cleantext" / "rules"

PAGE = """<html><body>
<div id="d1"><a href="https://feedx.net/x">feed</a></div>
<div id="d2"><p><a href="https://feedx.net/y">nested, not a child</a></p></div>
<hr id="h1"><div id="d3"><a href="https://feedx.net/z">after hr</a></div>
<hr id="h2"><p>x</p><div id="d4"><a href="https://feedx.net/w">not next</a></div>
<ul id="u1" class="x-BulletedList"><li><a href="https://bbc.co.uk/1">a</a></li></ul>
<ul id="u2" class="x-BulletedList"><li><a href="https://bbc.co.uk/1">a</a></li><li>b</li></ul>
<div id="d5"><span><i><button><a href="https://nei.st/medium/1">m</a></button></i></span></div>
<div id="d6"><div><h3>No More.</h3></div></div>
<p id="p1"><a title="a,b)">t</a></p>
<p id="p2"><b class="z">bold</b></p>
<p id="p3"><a href="https://www.economist.com/sub-offer">o</a></p>
</body></html>"""

SELECTORS = [
    'div:has(> a[href^="https://feedx."])',
    'hr:has(+ div > a[href^="https://feedx."])',
    'ul[class*="-BulletedList"]:not(:has(li:not(:has(a[href*="bbc.co"]))))',
    'div:has(> span button > a[href*="nei.st/medium/"])',
    "div:has(> div > h3)",
    'p:has(a[title="a,b)"])',
    "p:has(a, b.z)",
    "p:HAS(b)",
    "div:has(~ hr)",
    "hr:has(~ div a)",
    "div:has(div):has(h3)",
    'p:has(> a[href$="offer"][href^="https://www.economist.com/"])',
]


def _ids(path: str) -> list[str]:
    from lxml import etree, html

    root = html.fromstring(PAGE)
    found = etree.XPath(path, namespaces=XPATH_NAMESPACES)(root)
    return [el.get("id") for el in found]


def _native(selector: str) -> str | None:
    """cssselect's own translation, where the installed cssselect reads the selector."""
    from cssselect import HTMLTranslator, SelectorError

    try:
        return str(HTMLTranslator().css_to_xpath(selector))
    except SelectorError:
        return None


@pytest.mark.parametrize("selector", SELECTORS)
def test_has_translates_on_this_cssselect(selector: str) -> None:
    assert "cleantext" not in _translate(selector).path
    _ids(_translate(selector).path)  # evaluates


def test_has_selects_what_css_says() -> None:
    assert _ids(_css_to_xpath(SELECTORS[0])) == ["d1", "d3", "d4"]  # not d2
    assert _ids(_css_to_xpath(SELECTORS[1])) == ["h1"]
    assert _ids(_css_to_xpath(SELECTORS[2])) == ["u1"]
    assert _ids(_css_to_xpath(SELECTORS[3])) == ["d5"]
    assert _ids(_css_to_xpath(SELECTORS[4])) == ["d6"]
    assert _ids(_css_to_xpath(SELECTORS[5])) == ["p1"]
    assert _ids(_css_to_xpath(SELECTORS[6])) == [None, "p1", "p2", "p3"]  # None: in d2
    assert _ids(_css_to_xpath(SELECTORS[11])) == ["p3"]


@pytest.mark.parametrize("selector", SELECTORS)
def test_has_selects_what_a_newer_cssselect_selects(selector: str) -> None:
    native = _native(selector)
    if native is None:
        pytest.skip("this cssselect cannot read the selector itself")
    assert _ids(_css_to_xpath(selector)) == _ids(native)


def test_every_builtin_has_rule_translates() -> None:
    seen = 0
    for path in sorted(RULES.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            body = re.split(r"#@?#", line, maxsplit=1)[-1]
            if line.startswith("!") or ":has(" not in body:
                continue
            selector = re.sub(r":(?:has|remove)-text\(.*\)$", "", body)
            _translate(selector)
            seen += 1
    assert seen >= 5


@pytest.mark.parametrize("selector", ["div:has()", "div:has(> a", "div:has(a,)",
                                      "div:has(> > a)"])
def test_a_bad_has_is_a_bad_selector(selector: str) -> None:
    with pytest.raises(BadSelector):
        _translate(selector)


def test_strip_ads_runs_with_the_builtin_rules(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cleantext.cli import cli

    post = tmp_path / "p.md"
    post.write_text("---\ntitle: t\n---\n<p>Body text of the post.</p>\n<hr>\n"
                    '<div><a href="https://feedx.net/rss">feedx</a></div>\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["strip-ads", str(post)])
    assert result.exit_code == 0, result.output
    assert "Body text" in result.output and "feedx" not in result.output
