"""The rules of HTML-to-text writing, as data and small functions: which elements make
blocks, lines, list items and table rows, which produce nothing, how whitespace of source
formatting goes (never a space inside a Chinese sentence), and what Markdown looks like.

Used by the writer (``cleantext.html_text_writer``) and the Markdown-body writer
(``cleantext.markdown_text``).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from cleantext.lazyre import LazyPattern

# Elements whose content is never shown. "xml" is Word's data island, "title" lives in <head>.
_SKIP = frozenset(
    ["script", "style", "noscript", "template", "head", "title", "iframe", "object", "svg", "canvas", "audio", "video", "select", "datalist", "xml"]
)
# With nothing else visible, hidden content is shown rather than an empty result: pages that
# reveal the article with JavaScript keep it in a hidden element.
_SKIP_ALWAYS = frozenset(["script", "style", "head", "title", "xml"])
_BLOCK = frozenset(
    ["address", "article", "aside", "body", "center", "dd", "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "html", "legend", "main", "menu", "nav", "p", "section", "summary", "caption", "div", "tbody", "thead", "tfoot"]
)
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
# How start() treats a tag; tags not listed are inline.
_K_BLOCK, _K_SKIP, _K_OTHER = range(3)
_KINDS = dict.fromkeys(_BLOCK, _K_BLOCK)
_KINDS.update(dict.fromkeys(_SKIP, _K_SKIP))
_KINDS.update(
    dict.fromkeys(
        ["br", "a", "b", "strong", "i", "em", "img", "li", "ul", "ol", "dir", "blockquote",
         "pre", "listing", "xmp", "plaintext", "code", "kbd", "samp", "tt", "hr", "table",
         "tr", "td", "th", *_HEADINGS],
        _K_OTHER,
    )
)
_DISPLAY_NONE = LazyPattern(r"display\s*:\s*none", re.IGNORECASE)
_WS = " \t\n\r\f"
_WS_RUN = LazyPattern(r"[ \t\n\r\f]+")
# Whitespace runs other than a single space (those need no change).
_WS_COLLAPSE = LazyPattern(r"[\t\n\r\f][ \t\n\r\f]*| [ \t\n\r\f]+")
# CJK ideographs, kana, CJK and full-width punctuation; Hangul is left out (Korean has spaces).
_CJK = (
    "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
)
_CJK_CHAR = LazyPattern(f"[{_CJK}]")
# Full-width punctuation (，。：；！？、「」《》...): no space next to it at a source line break.
_CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
_CJK_PUNCT_CHAR = LazyPattern(f"[{_CJK_PUNCT}]")
# Whitespace with a line break between two CJK characters, or next to full-width punctuation,
# is source formatting (prettified HTML breaks lines inside sentences): it must not become a
# space inside a Chinese sentence.
_CJK_BREAK = LazyPattern(
    f"(?<=[{_CJK}])[ \\t\\f]*[\\n\\r][{_WS}]*(?=[{_CJK}])"
    f"|(?<=[{_CJK_PUNCT}])[ \\t\\f]*[\\n\\r][{_WS}]*"
    f"|[ \\t\\f]*[\\n\\r][{_WS}]*(?=[{_CJK_PUNCT}])"
)
# Something that looks like HTML markup; a body without it is plain text.
_TAG = LazyPattern(r"<[A-Za-z/!?]")
# Markdown syntax in top-level text: links, images, headings, setext underlines, quotes,
# lists, fences. Not emphasis or code spans alone: "__init__.py" and "5*3*2" in plain text
# would lose their "_" and "*" to a Markdown parser.
_MD_HINT = LazyPattern(
    r"\[[^\[\]\n]*\]\([^()\n]*\)"  # no "[" or "(" inside: linear on runs of them
    r"|^ {0,3}(?:#{1,6}[ \t]|>|[-*+][ \t]|\d{1,9}[.)][ \t]|```|~~~|(?:-[ \t]*){3,}$|=+[ \t]*$)",
    re.MULTILINE,
)
# "[title](url)" underlined by "---" or "===", as feed-to-Markdown tools write a post's title.
# Only text and URLs that a Markdown parser would take as they are (no escapes, entities,
# emphasis or characters it would percent-encode): the test checks both give the same.
_PRELUDE = LazyPattern(
    r"[ \t\r\n]*\[([^\[\]\n\\`*_&<>!]*[^\[\]\n\\`*_&<>! \t])\]"
    r"\(((?:[A-Za-z0-9\-._~:/?#@$'+,;=]|%[0-9A-Fa-f]{2})+)\)[ \t]*\r?\n"
    r"[ \t]{0,3}(?:(-)-+|(=)=+)[ \t]*(\s*)"
)
_ENTITY_REST = LazyPattern(r"#?[A-Za-z0-9]+;")  # what follows "&" in an entity
_ENTITY_AMP = LazyPattern(r"(?<!\\)&(?=#?[A-Za-z0-9]+;)")
_MD_ESCAPE = LazyPattern(r"([\\`*_\[\]<|])")
_MD_LINE_START = LazyPattern(r"(?:#{1,6}(?=[ \t]|$)|>|[-+*](?=[ \t]|$)|=+[ \t]*$|-+[ \t]*$)")
_MD_ORDERED = LazyPattern(r"(\d{1,9})([.)])(?=[ \t]|$)")
# Deeper list/quote nesting indents no further: bounded output for pathological input.
_MAX_PREFIX = 24

# End actions kept on the element stack.
_INLINE, _BLOCK_END, _MARK, _LIST, _ITEM, _HEADING, _QUOTE, _PRE, _TABLE, _ROW, _CELL = range(11)


def _url(url: str) -> str:
    """A link destination Markdown accepts as it is."""
    url = url.strip()
    if not url or any(c in url for c in " ()<>"):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return a[:n]


_MARKDOWN_PARSER: Any = None


def _bang(text: str) -> str:
    """``text`` with a final "!" escaped: moved out of emphasis, it may now be followed by a
    link, and "![" opens an image."""
    return text[:-1] + "\\!" if text.endswith("!") and not text.endswith("\\!") else text


def _is_mark(piece: str) -> bool:
    """Whether a piece of Markdown output is link or code syntax rather than text (text is
    escaped, so it never reads as these)."""
    return piece in ("[", "`", "*", "**") or piece.startswith(("](", " <"))


def _flanking(char: str) -> bool:
    """Whether an emphasis mark next to ``char`` fails to open or close in CommonMark:
    whitespace (a no-break space too), punctuation and symbols (ASCII or not: "：", "”")."""
    return char.isspace() or unicodedata.category(char)[0] in "PS"


def _markdown_parser() -> Any:
    global _MARKDOWN_PARSER
    if _MARKDOWN_PARSER is None:
        from markdown_it import MarkdownIt

        # No raw HTML (it was parsed already) and no indented code blocks: indentation in
        # scraped bodies is source formatting, not code.
        _MARKDOWN_PARSER = MarkdownIt("commonmark", {"html": False}).enable("table")
        # Nor link reference definitions: "[1]: 参见某书第三章" is a footnote, not markup
        # to drop with its line.
        _MARKDOWN_PARSER.disable(["code", "reference"])
    return _MARKDOWN_PARSER


# Markdown bodies are written by ``cleantext.markdown_text``; the writer above needs this
# for top-level Markdown in HTML too.
# A paragraph with more Markdown marks than this is kept as written (see ``_tame``).
_MAX_MARKS = 1000
_PARAGRAPHS = LazyPattern(r"\n[ \t]*\n")


def _tame_brackets(text: str) -> str:
    """Escape "[" in paragraphs with very many of them: markdown-it's link parsing is
    quadratic in them (the characters are all kept)."""
    if text.count("[") <= _MAX_MARKS:
        return text
    parts = _PARAGRAPHS.split(text)
    seps = _PARAGRAPHS.findall(text)
    out = []
    for i, part in enumerate(parts):
        out.append(part.replace("[", "\\[") if part.count("[") > _MAX_MARKS else part)
        if i < len(seps):
            out.append(seps[i])
    return "".join(out)
