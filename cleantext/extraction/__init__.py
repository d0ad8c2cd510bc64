"""The main content of a web page, kept as HTML: the engine behind the ``extract`` step.

``core.py`` decides (measure, clear the frame, choose, prune, fall back), ``names.py`` reads
ids, classes, tags and roles, ``vocabulary.py`` holds the words, in several languages.

>>> page = ("<html><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav>"
...         "<article><h1>Title</h1><p>" + "A sentence of the article, with words. " * 8
...         + "</p></article><footer>© Example</footer></body></html>")
>>> out = extract_html(page)
>>> "<nav" in out, "Home" in out, "<h1>Title</h1>" in out, "© Example" in out
(False, False, True, False)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cleantext.lazyre import LazyPattern

# A whole page rather than a fragment: a doctype, or an <html>, <head> or <body> tag.
_PAGE = LazyPattern(r"<(?:!doctype\s|html[\s>]|head[\s>]|body[\s>])", 2)
# Or what a page's <head> holds: a page whose html/head/body tags an earlier step took away.
_PAGE_START = LazyPattern(r"(?:\ufeff|\s|<\?xml[^>]*>|<!--.*?-->)*"
                          r"<(?:!doctype\s|html[\s>]|head[\s>]|body[\s>]|meta\s|title[\s>]"
                          r"|link\s)", 2 | 16)
# A doctype or <html> tag further down, at a line's start or after a tag: a page that a
# server's warnings ("<br />\n<b>Warning</b>: ... on line <b>12</b><br />") come before.
_LATE_PAGE_START = LazyPattern(r"(?:^|>)<(?:!doctype\s|html[\s>])", 2 | 8)
_BODY_TAG = LazyPattern(r"<body[\s>]", 2)
# A fragment with a page's frame in it (a saved <body> without the tag).
_FRAME = LazyPattern(r"<(?:nav|header|footer|aside)[\s>]|\srole\s*=\s*[\"']?(?:navigation|"
                     r"banner|contentinfo|complementary)", 2)


def is_whole_page(html: str) -> bool:
    """Whether ``html`` starts as a whole page: a doctype, <html>, <head> or <body> tag, or
    a <meta>, <title> or <link> of a page's head (after blank space, an XML declaration or
    comments).

    >>> is_whole_page("<!DOCTYPE html><html><body><p>x</p></body></html>")
    True
    >>> is_whole_page("Hexo writes `<html>` for you.")
    False

    Or as a page that text without Markdown code marks (backticks, ``~~~``) comes before,
    in its first 16 KB: messages a server wrote before the page.

    >>> is_whole_page("<br />\\n<b>Warning</b>: x in <b>/a.php</b><br />\\n<!DOCTYPE html>")
    True
    """
    if _PAGE_START.match(html[:4096]) is not None:
        return True
    late = _LATE_PAGE_START.search(html, 0, 16384)
    return late is not None and "`" not in html[:late.start()] and "~~~" not in html[:late.start()]


def parses_as_page(html: str) -> bool:
    """Whether ``parse_page`` reads ``html`` as the whole page it is (a doctype, <html>,
    <head> or <body> near the start, and a <body> tag), not as a fragment put in a body.

    >>> parses_as_page("<!DOCTYPE html><html><head><title>t</title></head><body>x</body></html>")
    True
    >>> parses_as_page("<title>t</title><p>x</p>")
    False
    """
    return _PAGE.search(html[:4096]) is not None and _BODY_TAG.search(html) is not None


def is_page(html: str) -> bool:
    """Whether ``html`` is a whole page (doctype, <html>, <head> or <body>) or a fragment
    that holds a page's frame: a menu of links in a nav, header, footer or aside (or their
    ARIA roles). An article's own <header> or <aside> (a headline, a pull quote) is not one.

    >>> is_page("<p>Text</p><aside><p>A pull quote.</p></aside>")
    False
    >>> is_page("<nav>" + "<a href=/x>Section</a> " * 6 + "</nav><p>Text</p>")
    True
    """
    if _PAGE.search(html[:4096]) is not None:
        return True
    if _FRAME.search(html) is None:
        return False
    from cleantext.extraction.measures import FRAME_XPATH, Measures

    body = parse_page(html)
    if body is None:
        return False
    m = Measures(body)
    return any(m.anchors[el] >= 5 and m.density(el) >= 0.5 for el in FRAME_XPATH(body))


def parse_page(html: str) -> Any:
    """The <body> element of ``html`` parsed as a page (comments and PIs dropped)."""
    from lxml import etree

    from cleantext.htmlguard import check_depth, drop_oversized_attributes

    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True,
                              encoding="utf-8", no_network=True)
    data = drop_oversized_attributes(html.replace("\x00", "")).encode("utf-8", "replace")
    if not parses_as_page(html):
        # A fragment, or a page without its <body> tag (what a step that keeps only a body's
        # content left of a page): libxml2 would leave it all in <head>.
        data = b"<html><body>" + data
    root = etree.fromstring(data, parser)
    check_depth(parser)
    if root is None:
        return None
    body = root.find("body")
    if body is None:
        body = etree.SubElement(root, "body")
    return body


def serialize(elements: list[Any], body: Any) -> str:
    """HTML of the kept elements, in document order (a body gives its content)."""
    from lxml import etree

    parts = []
    for el in elements:
        if el.tag == "body":
            out = etree.tostring(el, encoding="unicode", method="html", with_tail=False)
            start = out.find(">") + 1
            end = out.rfind("</body>")
            parts.append(out[start:end if end >= 0 else len(out)].strip())
        else:
            parts.append(etree.tostring(el, encoding="unicode", method="html",
                                        with_tail=False).strip())
    return "\n".join(p for p in parts if p)


def extract_html(html: str, comments: bool = False,
                 say: Callable[[str], None] | None = None) -> str:
    """The main content of the page ``html``, as HTML (its frame, teasers and widgets gone).

    ``comments`` keeps comment threads; ``say`` receives the --explain lines.
    """
    from cleantext.extraction.core import extract_tree

    body = parse_page(html)
    if body is None:
        return html
    kept = extract_tree(body, comments=comments, say=say)
    return serialize(kept, body)
