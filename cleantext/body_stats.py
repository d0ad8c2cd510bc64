"""What ``meta`` counts in a body: characters and paragraphs of visible text, the title of a
body without front matter, and the Chinese script it is written in (told from
``cleantext.script_tables``, without OpenCC). lxml is imported when first needed.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from cleantext.lazyre import LazyPattern


# --- body statistics -------------------------------------------------------------------------

# Elements whose content is not visible text.
_INVISIBLE = frozenset({"head", "title", "script", "style", "noscript", "template", "svg",
                        "math", "iframe", "object", "canvas", "select", "option"})
# Elements that start a new block of text (a paragraph boundary).
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p",
    "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_BREAK = "\n\n"  # a block boundary: Markdown's paragraph break
_CONTROL = LazyPattern(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# Markdown syntax to drop. Link text excludes "[" and targets exclude "(" so that a long run
# of brackets costs linear time, not quadratic (a regex backtracking over each start).
_MD_IMAGE = LazyPattern(r"!\[[^\[\]\n]*\]\([^()\s]*\)")
_MD_LINK = LazyPattern(r"\[([^\[\]\n]*)\]\([^()\s]*\)")
_MD_RULE = LazyPattern(r"^[ \t]*(?:[-=*_][ \t]*){3,}$", re.MULTILINE)
_MD_HEADING_MARK = LazyPattern(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
# A heading line (group 1: its text) or a setext underline (the heading is the line above).
_HEADING_LINE = LazyPattern(r"^[ \t]{0,3}(?:#{1,6}[ \t]+(.*)|(?:=+|-+)[ \t\r]*)$", re.MULTILINE)
_SETEXT_UNDERLINE = LazyPattern(r"[ \t]{0,3}(?:=+|-+)[ \t]*")
_PARAGRAPH_BREAK = LazyPattern(r"\n[ \t\u3000]*\n")
_WORDLIKE = LazyPattern(r"\w")
_SPACE = LazyPattern(r"\s+")


class BodyStats:
    """Visible-text statistics of a body: ``chars``, ``paragraphs``, ``script``, ``title``."""

    __slots__ = ("chars", "paragraphs", "script", "title")

    def __init__(self, chars: int, paragraphs: int, script: str, title: str | None) -> None:
        self.chars, self.paragraphs, self.script, self.title = chars, paragraphs, script, title


def body_stats(body: str, *, want_title: bool = True) -> BodyStats:
    """Count the visible text of ``body`` (HTML and/or Markdown) and detect its script.

    ``chars`` counts characters with every run of whitespace as one space; ``paragraphs``
    counts text blocks (HTML block elements, or Markdown blocks between blank lines) that
    hold at least one letter or digit.

    >>> s = body_stats("<h1>標題</h1><p>這是一個測試。</p><script>x()</script>\\n\\nMore text")
    >>> s.chars, s.paragraphs, s.script, s.title
    (18, 3, 'traditional', '標題')
    """
    blocks, title = visible_blocks(body, want_title=want_title)
    paragraphs = [p for p in blocks if _WORDLIKE.search(p)]
    chars = sum(len(p) for p in paragraphs)
    return BodyStats(chars, len(paragraphs), detect_script("\n".join(paragraphs)), title)


def visible_blocks(body: str, *, want_title: bool = False) -> tuple[list[str], str | None]:
    """The body's visible text as blocks (whitespace collapsed), and a title if wanted.

    The title is the ``<title>``, else the first ``<h1>``, else the first Markdown heading.
    """
    body = _CONTROL.sub("", body)
    if not body.strip():
        return [], None
    root = None
    if _has_markup(body):
        root = _parse_html(body)
        if root is None:
            return [], None
        text = _collect(root)
    else:
        text = _plain_text(body)
    title = None
    if want_title:
        if root is not None:
            title = _element_text(root, "//title") or _element_text(root, "//h1")
        title = title or _markdown_heading(text)
    paragraphs = (_SPACE.sub(" ", para).strip()
                  for para in _PARAGRAPH_BREAK.split(_clean_markdown(text)))
    return [para for para in paragraphs if para], title


def _has_markup(body: str) -> bool:
    """Whether the body is parsed as HTML: it may hold tags or entities (or starts with a
    byte order mark, which libxml2 keeps or skips depending on what follows)."""
    return "<" in body or "&" in body or body.startswith("\ufeff")


def _parse_html(body: str) -> Any:
    """The body as an lxml tree (None if it holds nothing lxml calls a document)."""
    import lxml.etree

    from cleantext.htmlguard import check_depth, drop_oversized_attributes

    try:
        # Declared UTF-8 bytes: an encoding named in the text says nothing here, and a lone
        # surrogate (a str from the Python API) becomes "?" where libxml2 silently dropped
        # the rest. Plain lxml.etree elements: lxml.html's classes cost a lookup per node.
        parser = lxml.etree.HTMLParser(huge_tree=True, encoding="utf-8")
        data = drop_oversized_attributes(body).encode("utf-8", "replace")
        root = lxml.etree.fromstring(data, parser=parser)
        check_depth(parser)
    except (ValueError, lxml.etree.LxmlError):
        return None
    return root


def _plain_text(body: str) -> str:
    """What ``_collect`` makes of a body without tags or entities, without lxml (a fifth of
    ``meta``'s start-up, and plain text or Markdown is what it sees at the end of a pipeline):
    libxml2 turns CR LF and CR into LF, skips the blanks before the text, and makes the text
    one block. A test checks that both give the same blocks and title on any such text.
    """
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (the Python API): "?", as parsed
        text = text.encode("utf-8", "replace").decode("utf-8")
    return _BREAK + text.lstrip(" \t\n") + _BREAK


def _markdown_heading(text: str) -> str | None:
    """The first ATX (``# Title``) or setext (``Title`` over ``=====``) heading's text."""
    for m in _HEADING_LINE.finditer(text):
        if m.group(1) is not None:  # "## Title ##"
            heading = m.group(1).rstrip().rstrip("#")
        else:  # an underline: the line above is the heading, if it is text
            end = m.start() - 1
            if end < 0:
                continue
            heading = text[text.rfind("\n", 0, end) + 1 : end]
            if not heading.strip() or _SETEXT_UNDERLINE.fullmatch(heading.rstrip("\r")):
                continue
        heading = _SPACE.sub(" ", _clean_markdown(heading)).strip()
        if heading:
            return heading
    return None


def _clean_markdown(text: str) -> str:
    """Drop Markdown syntax that is not visible: images, link targets, rules, heading marks."""
    if "](" in text:
        text = _MD_IMAGE.sub("", text)
        text = _MD_LINK.sub(r"\1", text)
    text = _MD_RULE.sub("\n", text)
    return _MD_HEADING_MARK.sub("", text)


def _element_text(root: Any, xpath: str) -> str | None:
    for element in root.xpath(xpath):
        text = _SPACE.sub(" ", element.xpath("string()")).strip()
        if text:
            return text
    return None


def _collect(root: Any) -> str:
    """The visible text under ``root``, with _BREAK at block boundaries (no recursion, so
    deep HTML cannot exhaust the stack; comments are walked too, for their tails)."""
    parts: list[str] = []
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else None
        block = tag in _BLOCKS
        if closing:
            if block:
                parts.append(_BREAK)
            if element.tail:
                parts.append(element.tail)
            continue
        if tag is None or tag in _INVISIBLE:  # comment, processing instruction, script...
            if element.tail:
                parts.append(element.tail)
            continue
        if block:
            parts.append(_BREAK)
        elif tag == "br":
            parts.append("\n")
        if element.text:
            parts.append(element.text)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    return "".join(parts)


# --- script detection --------------------------------------------------------------------------

# A text is "mixed" when the smaller of the simplified-only and traditional-only counts is
# at least this share of their sum (and at least _MIXED_MIN characters). Below it, the
# minority is taken as noise: one-to-many mappings (干 -> 幹/乾, 只 -> 隻, 了 -> 瞭) that s2t
# resolves wrongly in some phrases, names, short quotations. On the 600 corpus posts the
# noise reaches 11% in traditional texts and 13% in simplified ones; the two posts that
# really mix both scripts (Matters essays quoting simplified text) are at 32% and 44%.
_MIXED_SHARE = 0.2
_MIXED_MIN = 3
# Han characters looked at by the script detection (a long article has 10,000).
_SCRIPT_SAMPLE = 50_000
_HAN = LazyPattern(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


@cache
def _script_tables() -> tuple[frozenset[str], frozenset[str]]:
    from cleantext.script_tables import SIMPLIFIED_ONLY, TRADITIONAL_ONLY

    return frozenset(SIMPLIFIED_ONLY), frozenset(TRADITIONAL_ONLY)


def script_counts(text: str) -> tuple[int, int]:
    """``(simplified-only, traditional-only)`` character counts of ``text``'s Han characters.

    A character that OpenCC's t2s changes exists only in traditional Chinese. One that s2t
    changes exists only in simplified Chinese -- unless t2tw or t2hk turn s2t's choice back
    into it: 台 and 群, which s2t makes the older 臺 and 羣, are how Taiwan writes them.
    Characters left alone are common to both. The two sets are worked out from OpenCC's
    dictionaries one character at a time and shipped in ``cleantext.script_tables`` (so no
    dictionary is loaded here). Only the first _SCRIPT_SAMPLE Han characters are looked at,
    so a huge document costs no more than a long article.

    >>> script_counts("汉字简体"), script_counts("漢字簡體"), script_counts("中文")
    ((3, 0), (0, 3), (0, 0))
    >>> script_counts("台灣")
    (0, 1)
    """
    han = "".join(_HAN.findall(text))[:_SCRIPT_SAMPLE]
    if not han:
        return 0, 0
    simplified, traditional = _script_tables()
    return sum(map(simplified.__contains__, han)), sum(map(traditional.__contains__, han))


def detect_script(text: str) -> str:
    """``simplified``, ``traditional``, ``mixed`` or ``none`` (no character specific to
    either script: no Chinese, or only characters both scripts share).

    >>> detect_script("这是简体中文。"), detect_script("這是繁體中文。"), detect_script("Hello")
    ('simplified', 'traditional', 'none')
    """
    simplified, traditional = script_counts(text)
    total = simplified + traditional
    if not total:
        return "none"
    minority = min(simplified, traditional)
    if minority >= _MIXED_MIN and minority >= _MIXED_SHARE * total:
        return "mixed"
    return "simplified" if simplified > traditional else "traditional"
