"""strip-html: the HTML in a post's body becomes plain text (or clean Markdown).

This module owns the HTML-to-text rules: which elements make paragraphs, lines, list items
and table rows; which produce nothing (comments, ``script``, ``style``, ``noscript``,
``template``, ``head``, hidden elements); how whitespace that exists only because of source
formatting is dropped (never a space inside a Chinese sentence); and how Markdown lines at the
top level of a body (the ``[title](url)`` + ``------`` prelude of feed posts) are understood.

lxml's HTML parser feeds a ``_Writer`` through its parser-target (SAX) interface: no tree is
built, nothing recurses, and libxml2's depth limit (which silently drops everything below
depth 256 when a tree is built) does not apply, so 100,000 nested elements are fine.

>>> html_to_text("<p>中文句子\\n  继续</p><ul><li>one</li><li>two &amp; more</li></ul>")
'中文句子继续\\n\\n- one\\n- two & more\\n'
>>> html_to_text("<h2>Title</h2><p>Go <a href='https://x.org'>there</a>.</p>", markdown=True)
'## Title\\n\\nGo [there](https://x.org).\\n'
"""

from __future__ import annotations

import re
import threading
import unicodedata
from typing import Any

from cleantext.document import Document
from cleantext.errors import CleantextError
from cleantext.lazyre import LazyPattern
from cleantext.registry import Param, Step

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


class _Writer:
    """Turns parser events (start, end, data) into text; also the lxml parser target.

    Text is written lazily: breaks, spaces, list markers and opening Markdown marks are owed
    and only written when the next text comes, so nothing dangles at the end of a block and
    an empty element writes nothing.
    """

    def __init__(self, markdown: bool, links: bool, alt: bool, reveal: bool = False) -> None:
        self.md = markdown
        self.links = links
        self.alt = alt
        self.skip_tags = _SKIP_ALWAYS if reveal else _SKIP
        self.reveal = reveal
        self.out: list[str] = []
        self.started = False  # has any text been written
        self.brk = 0  # newlines owed before the next text (0, 1 or 2)
        self.hard = False  # the owed single newline comes from <br>
        self.space = 0  # whitespace owed: 1 plain, 2 containing a line break
        self.last = ""  # last text character written, for the CJK rule
        self.prefix = ""  # prefix of continuation lines (list indent, "> ")
        self.line_prefix = ""  # prefix written on the current line
        self.marker: str | None = None  # list/heading marker waiting for the first text
        self.fresh_item = False  # a list item started and has no text yet
        self.stack: list[Any] = []  # one end action per open element
        self.skip = 0  # depth inside an element whose content is not shown
        self.depth = 0
        self.pre = 0
        self.pre_first = False  # the next <pre> text starts the element (drop one newline)
        self.pre_newlines = 0  # newlines at the end of <pre> text, held back
        self.fence = False  # Markdown: a fence must be opened before the next <pre> text
        self.inline_only = 0  # Markdown: inside a heading, breaks become spaces
        self.marks: list[list[Any]] = []  # open inline marks, see _push_mark
        self.bold = self.italic = self.code = self.anchor = 0
        self.lists: list[list[Any]] = []  # [ordered, next number]
        self.tables: list[dict[str, Any]] = []
        self.top: list[str] = []  # body-level text, checked for Markdown before writing
        self.in_markdown = False

    # -- parser target interface ---------------------------------------------------------

    def start(self, tag: str, attrib: Any) -> None:
        if self.top:
            self._flush_top()
        self.depth += 1
        if self.skip:
            self.skip += 1
            return
        if attrib and not self.reveal and self._hidden(attrib):
            self.skip = 1
            return
        stack = self.stack
        kind = _KINDS.get(tag)
        if kind is None:  # inline elements (span, font...) and unknown tags: no break
            stack.append(_INLINE)
            return
        if kind == _K_BLOCK:
            if self.inline_only:
                self.space = self.space or 1
            elif self.started and not self.fresh_item:
                self.brk = 2
            stack.append(_BLOCK_END)
            return
        if kind == _K_SKIP:
            if tag in self.skip_tags:
                self.skip = 1
                return
            self._para()  # revealed noscript/template...
            stack.append(_BLOCK_END)
        elif tag == "br":
            self._br()
            stack.append(_INLINE)
        elif tag == "a":
            stack.append(self._start_link(attrib))
        elif tag == "b" or tag == "strong":
            stack.append(self._start_emphasis("**", bold=True))
        elif tag == "i" or tag == "em":
            stack.append(self._start_emphasis("*", bold=False))
        elif tag == "img":
            self._image(attrib)
            stack.append(_INLINE)
        elif tag == "li":
            self._start_item(attrib)
            stack.append(_ITEM)
        elif tag == "ul" or tag == "ol" or tag == "dir":
            self._start_list(tag == "ol", attrib)
            stack.append(_LIST)
        elif tag in _HEADINGS:
            self._para()
            if self.md:
                self.marker = (self.marker or self.prefix) + "#" * _HEADINGS[tag] + " "
                self.inline_only += 1
            stack.append(_HEADING)
        elif tag == "blockquote":
            self._para()
            stack.append((_QUOTE, self.prefix))
            if self.md and len(self.prefix) < _MAX_PREFIX:
                self.prefix += "> "
        elif tag == "pre" or tag == "listing" or tag == "xmp" or tag == "plaintext":
            self._para()
            self.pre += 1
            self.pre_first = True
            self.pre_newlines = 0
            if self.md and self.pre == 1:
                self.fence = True
            stack.append(_PRE)
        elif tag == "code" or tag == "kbd" or tag == "samp" or tag == "tt":
            stack.append(self._start_code(tag))
        elif tag == "hr":
            self._para()
            if self.md:
                self._put("---", "-", escape=False)
                self._para()
            stack.append(_INLINE)
        elif tag == "table":
            self._start_table()
            stack.append(_TABLE)
        elif tag == "tr":
            self._start_row()
            stack.append(_ROW)
        elif tag == "td" or tag == "th":
            stack.append(self._start_cell())

    def end(self, tag: str) -> None:
        if self.top:
            self._flush_top()
        self.depth -= 1
        if self.skip:
            self.skip -= 1
            return
        if not self.stack:
            return
        action = self.stack.pop()
        if action == _INLINE:
            return
        if action == _BLOCK_END:
            if self.inline_only:
                self.space = self.space or 1
            elif self.started and not self.fresh_item:
                self.brk = 2
        elif action == _MARK:
            mark = self.marks.pop()
            if mark[2]:
                self._close_mark(mark)
            kind = mark[4]
            if kind == "b":
                self.bold -= 1
            elif kind == "i":
                self.italic -= 1
            elif kind == "code":
                self.code -= 1
        elif action == _ITEM:
            if self.fresh_item:
                self.marker = None
                self.fresh_item = False
            self.prefix = self.lists[-1][2] if self.lists else ""
            if self.started:
                self.brk = max(self.brk, 1)
        elif action == _LIST:
            self.lists.pop()
            self._list_break()
        elif action == _HEADING:
            if self.md:
                self.inline_only -= 1
                if self.marker is not None and self.marker.endswith("# "):
                    self.marker = None
            self._para()
        elif action == _PRE:
            self.pre -= 1
            if self.md and self.pre == 0:
                if not self.fence:
                    self.out.append("\n" + self.prefix + "```")
                self.fence = False
            self.pre_newlines = 0
            self._para()
        elif action == _TABLE:
            self._end_table()
        elif action == _ROW:
            self._end_row()
        elif action == _CELL:
            self._end_cell()
        elif type(action) is tuple and action[0] == _QUOTE:
            self.prefix = action[1]
            self._para()

    def data(self, text: str) -> None:
        if self.skip:
            return
        if self.depth <= 2 and not self.in_markdown:
            self.top.append(text)  # body-level text: may be Markdown
            return
        self._text(text)

    def close(self) -> str:
        if self.top:
            self._flush_top()
        while self.tables:  # unclosed tables (only with broken event streams)
            self._end_table()
        for mark in reversed(self.marks):
            if mark[2]:
                self.out.append(mark[1])
        if self.md and self.pre and not self.fence:
            self.out.append("\n" + self.prefix + "```")
        text = "".join(self.out)
        return text + "\n" if text else ""

    # -- text --------------------------------------------------------------------------

    def _text(self, text: str) -> None:
        if self.pre:
            self._pre_text(text)
            return
        core = text.strip(_WS)
        if not core:
            if text and self.space != 2:
                self.space = 2 if ("\n" in text or "\r" in text) else 1
            return
        if text[0] in _WS and self.space != 2:
            lead = text[: len(text) - len(text.lstrip(_WS))]
            self.space = 2 if ("\n" in lead or "\r" in lead) else 1
        if len(core) > 2:
            if "\n" in core or "\r" in core:
                core = _CJK_BREAK.sub("", core)
            core = _WS_COLLAPSE.sub(" ", core)
        first = core[0]
        if self.md and not self.code:
            core = _MD_ESCAPE.sub(r"\\\1", core)
            if "&" in core or ";" in core:
                core = self._escape_entities(core)
        self._put(core, first, escape=self.md and not self.code)
        self.last = core[-1]
        if text[-1] in _WS:
            trail = text[len(text.rstrip(_WS)) :]
            self.space = 2 if ("\n" in trail or "\r" in trail) else 1

    def _owe_space(self, ws: str) -> None:
        kind = 2 if ("\n" in ws or "\r" in ws) else 1
        self.space = max(self.space, kind)

    def _put(self, s: str, first: str, escape: bool = False) -> None:
        """Write ``s`` after whatever is owed (break, space, marker, opening marks)."""
        out = self.out
        line_start = False
        if not self.started:
            self.started = True
            lead = self.marker if self.marker is not None else self.prefix
            if lead:
                out.append(lead)
            self.line_prefix = self.prefix
            self.marker = None
            line_start = True
        elif self.brk:
            self._write_break()
            line_start = True
        elif self.marker is not None:
            out.append(("\n" if out else "") + self.marker)
            self.marker = None
            line_start = True
        elif self.space and not (self.space == 2 and self._glued(first)):
            out.append(" ")
        self.brk = 0
        self.space = 0
        self.hard = False
        self.fresh_item = False
        if self.marks:
            for mark in self.marks:
                if not mark[2]:
                    if mark[4] in ("b", "i") and out and out[-1] == mark[1]:
                        # <b>2021</b><b>年</b>: one **2021年**, not **2021****年**
                        out.pop()
                        mark[5] = True
                    else:
                        out.append(mark[0])
                        mark[5] = False
                    mark[2] = True
                    mark[3] = len(out)
                    line_start = False
        if escape and line_start:
            s = self._escape_line_start(s)
        out.append(s)

    def _glued(self, first: str) -> bool:
        """Is a source line break between the last text written and ``first`` no space?"""
        last = self.last
        return bool(
            (_CJK_CHAR.match(last) and _CJK_CHAR.match(first))
            or _CJK_PUNCT_CHAR.match(last) or _CJK_PUNCT_CHAR.match(first)
        )

    def _escape_entities(self, core: str) -> str:
        """``&`` escaped where Markdown would read an entity: "&copy;" as text is not ©.
        The parser gives a text's "&" as a piece of its own, so the "&" may be the last
        piece written."""
        out = self.out
        if (_ENTITY_REST.match(core) and out and out[-1].endswith("&")
                and not out[-1].endswith("\\&") and not self.space and not self.brk):
            out[-1] = out[-1][:-1] + "\\&"
        return _ENTITY_AMP.sub(r"\\&", core)

    @staticmethod
    def _escape_line_start(s: str) -> str:
        if _MD_LINE_START.match(s):
            return "\\" + s
        m = _MD_ORDERED.match(s)
        if m:
            return m.group(1) + "\\" + s[len(m.group(1)) :]
        return s

    def _write_break(self) -> None:
        out = self.out
        if self.marks:
            for mark in reversed(self.marks):  # Markdown marks cannot span lines: reopen them
                if mark[2]:
                    self._close_mark(mark)
                    mark[2] = False
        lead = self.marker if self.marker is not None else self.prefix
        if self.brk >= 2:
            if self.line_prefix and self.prefix:
                blank = _common_prefix(self.line_prefix, self.prefix).rstrip()
                out.append("\n" + blank + "\n" + lead)
            else:
                out.append("\n\n" + lead)
        elif self.hard and self.md and self.marker is None:
            out.append("\\\n" + lead)
        else:
            out.append("\n" + lead)
        self.line_prefix = self.prefix
        self.marker = None

    def _pre_text(self, text: str) -> None:
        if self.pre_first:
            self.pre_first = False
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
        body = text.rstrip("\r\n")
        if not body:
            self.pre_newlines += len(text)
            return
        if self.pre_newlines:
            body = "\n" * self.pre_newlines + body
        self.pre_newlines = len(text) - len(text.rstrip("\r\n"))
        body = body.replace("\r\n", "\n").replace("\r", "\n")
        if self.prefix:
            body = body.replace("\n", "\n" + self.prefix)
        if self.fence:
            self.fence = False
            body = "```\n" + self.prefix + body
        saved, self.marks = self.marks, []  # no emphasis marks inside code
        self._put(body, body[0])
        self.marks = saved
        self.last = body[-1]

    # -- blocks ------------------------------------------------------------------------

    def _para(self) -> None:
        if self.inline_only:
            self.space = max(self.space, 1)
        elif self.started and not self.fresh_item:
            self.brk = 2

    def _br(self) -> None:
        if self.pre:
            self._pre_text("\n")
        elif self.inline_only:
            self.space = max(self.space, 1)
        elif self.started:
            self.brk = min(self.brk + 1, 2)
            self.hard = True

    def _start_list(self, ordered: bool, attrib: Any) -> None:
        number = 1
        if ordered:
            try:
                number = int(attrib.get("start", 1))
            except (TypeError, ValueError):
                number = 1
        self._list_break()
        self.lists.append([ordered, number, self.prefix])

    def _list_break(self) -> None:
        if self.inline_only:
            self._para()
        elif len(self.lists) > 0 and self.started:
            self.brk = max(self.brk, 1)  # a nested list starts on the next line
        else:
            self._para()

    def _start_item(self, attrib: Any) -> None:
        if self.lists:
            ordered, number, outer = self.lists[-1]
            if ordered:
                try:  # <li value="5">: this item's number, and the next ones' from it
                    number = max(int(attrib.get("value", number)), 0)
                except (TypeError, ValueError):
                    pass
                bullet = f"{number}. "
                self.lists[-1][1] = number + 1
            else:
                bullet = "- "
        else:  # <li> outside a list
            outer, bullet = self.prefix, "- "
        if self.inline_only:
            self._para()
            return
        if self.started:
            self.brk = max(self.brk, 1)
        self.marker = outer + bullet
        self.prefix = outer + " " * len(bullet) if len(outer) < _MAX_PREFIX else outer
        self.fresh_item = True

    # -- inline ------------------------------------------------------------------------

    @staticmethod
    def _hidden(attrib: Any) -> bool:
        if "hidden" in attrib:
            return True
        style = attrib.get("style")
        return bool(style) and _DISPLAY_NONE.search(style) is not None

    def _push_mark(self, open_: str, close: str, kind: str = "", written: bool = False) -> int:
        # [opening text, closing text, opening written?, index in out after it, kind,
        #  continues the same mark just closed (no opening of its own)?]
        self.marks.append([open_, close, written, 0, kind, False])
        return _MARK

    def _close_mark(self, mark: list[Any]) -> None:
        close = mark[1]
        if close.startswith(" <") and "".join(self.out[mark[3] :]).strip() == close[2:-1]:
            return  # --links: the link text is the URL itself
        if mark[4] in ("b", "i"):
            self._close_emphasis(mark)
            return
        self.out.append(close)

    def _close_emphasis(self, mark: list[Any]) -> None:
        """Close ``**``/``*`` where a Markdown parser will see it close.

        CommonMark takes ``**重要：**内容`` literally: a closing mark after punctuation and
        before a letter does not close (nor does an opening one before punctuation after a
        letter, nor one next to a space). Punctuation and spaces at either end of the marked
        text go outside the marks (``**重要**：内容``); marked text that is only punctuation
        or spaces loses its marks. Only text moves, never a link's or a code span's syntax.
        """
        if not mark[1]:  # <b> inside <b>: the outer element has the marks
            return
        out, start = self.out, mark[3]
        if start >= len(out):  # nothing written inside
            out.append(mark[1])
            return
        own_opening = not mark[5]
        first_piece, last_piece = out[start], out[-1]
        lead = 0
        if own_opening and not _is_mark(first_piece):
            while lead < len(first_piece) and _flanking(first_piece[lead]):
                lead += 1
        trail = len(last_piece)
        if not _is_mark(last_piece):
            floor = lead if len(out) - start == 1 else 0
            while trail > floor and _flanking(last_piece[trail - 1]):
                trail -= 1
        if lead == 0 and trail == len(last_piece):
            out.append(mark[1])
            return
        # Text moved before the opening mark may now start a line: "- " would start a list.
        if len(out) - start == 1 and lead == trail and own_opening:
            out[start - 1:] = [_bang(self._escape_line_start(first_piece))]  # no marks
            return
        tail = _bang(last_piece[trail:])
        out[-1] = last_piece[:trail]
        if lead:
            out[start - 1:start + 1] = [self._escape_line_start(first_piece[:lead]), mark[0],
                                        out[start][lead:]]
        out.append(mark[1])
        if tail:  # (an empty piece last would hide the mark from the next one's merge)
            out.append(tail)

    def _start_link(self, attrib: Any) -> Any:
        href = (attrib.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:")) or self.anchor or self.code:
            return _INLINE
        if self.md:
            return self._push_mark("[", "](" + _url(href) + ")")
        if self.links:
            return self._push_mark("", " <" + href + ">")
        return _INLINE

    def _start_emphasis(self, mark: str, bold: bool) -> Any:
        if not self.md or self.code or self.pre:
            return _INLINE
        kind = "b" if bold else "i"
        if bold:
            self.bold += 1
            nested = self.bold > 1
        else:
            self.italic += 1
            nested = self.italic > 1
        if nested:  # <b><b>x</b></b> gets one pair of marks
            return self._push_mark("", "", kind, written=True)
        return self._push_mark(mark, mark, kind)

    def _start_code(self, tag: str) -> Any:
        if not self.md or self.pre:
            return _INLINE
        self.code += 1
        if self.code > 1:
            return self._push_mark("", "", "code", written=True)
        return self._push_mark("`", "`", "code")

    def _image(self, attrib: Any) -> None:
        alt = (attrib.get("alt") or "").strip()
        if self.md:
            src = ""
            for name in ("src", "data-src", "data-original"):
                src = (attrib.get(name) or "").strip()
                if src and not src.startswith("data:"):
                    break
                src = ""
            if src:
                alt_md = _MD_ESCAPE.sub(r"\\\1", _WS_RUN.sub(" ", alt))
                self._put(f"![{alt_md}]({_url(src)})", "!")
                self.last = ")"
                return
        if alt and self.alt:
            self._text(alt)

    # -- tables ------------------------------------------------------------------------
    # Cells are written into their own buffers; at </table> a table whose cells hold
    # paragraphs is a layout table and its cells become paragraphs, otherwise it becomes
    # tab-separated lines (plain text) or a pipe table (Markdown).

    def _start_table(self) -> None:
        self._para()
        self.tables.append({"rows": [], "row": None})

    def _start_row(self) -> None:
        self._close_row(next_row=[])

    def _end_row(self) -> None:
        self._close_row(next_row=None)

    def _close_row(self, next_row: list | None) -> None:
        """Keep the row being built (if any) and start ``next_row``."""
        if not self.tables:
            self._para()
            return
        table = self.tables[-1]
        if table["row"]:
            table["rows"].append(table["row"])
        table["row"] = next_row

    def _start_cell(self) -> Any:
        if not self.tables:
            self._para()
            return _BLOCK_END
        table = self.tables[-1]
        if table["row"] is None:
            table["row"] = []
        saved = (self.out, self.started, self.brk, self.hard, self.space, self.last,
                 self.prefix, self.line_prefix, self.marker, self.fresh_item, self.marks,
                 self.lists, self.inline_only)
        self.out, self.started, self.brk, self.hard, self.space = [], False, 0, False, 0
        self.prefix = self.line_prefix = ""
        self.marker, self.fresh_item, self.marks, self.lists = None, False, [], []
        self.inline_only = 0
        table["saved"] = table.get("saved", []) + [saved]
        return _CELL

    def _end_cell(self) -> None:
        table = self.tables[-1]
        for mark in reversed(self.marks):
            if mark[2]:
                self.out.append(mark[1])
        cell = "".join(self.out)
        (self.out, self.started, self.brk, self.hard, self.space, self.last, self.prefix,
         self.line_prefix, self.marker, self.fresh_item, self.marks, self.lists,
         self.inline_only) = table["saved"].pop()
        if table["row"] is None:
            table["row"] = []
        table["row"].append(cell)

    def _end_table(self) -> None:
        table = self.tables.pop()
        rows = table["rows"] + ([table["row"]] if table["row"] else [])
        rows = [row for row in rows if any(cell.strip() for cell in row)]
        if not rows:
            self._para()
            return
        self._para()
        if any("\n\n" in cell for row in rows for cell in row) or max(map(len, rows)) == 1:
            for row in rows:  # layout table: each cell is a block of text
                for cell in row:
                    if cell.strip():
                        self._block(cell.strip("\n"))
                        self._para()
            return
        if self.md:
            width = max(len(row) for row in rows)
            lines = []
            for i, row in enumerate(rows):
                cells = [c.replace("\n", " ").replace("|", "\\|").strip() for c in row]
                cells += [""] * (width - len(cells))
                lines.append("| " + " | ".join(cells) + " |")
                if i == 0:
                    lines.append("|" + " --- |" * width)
        else:
            lines = ["\t".join(c.replace("\n", " ").strip() for c in row) for row in rows]
        self._block("\n".join(lines))
        self._para()

    def _block(self, text: str) -> None:
        """Write preformatted lines as one block, each line after the current prefix."""
        if self.prefix:
            text = text.replace("\n", "\n" + self.prefix)
        self._put(text, text[0])
        self.last = text[-1]

    # -- Markdown at the top level of the body ------------------------------------------

    def _flush_top(self) -> None:
        text = "".join(self.top)
        self.top = []
        if not _MD_HINT.search(text):
            self._text(text)
            return
        m = _PRELUDE.fullmatch(text)
        if m:  # the usual feed prelude, without the cost of a Markdown parse
            tag = "h1" if m.group(4) else "h2"
            self.in_markdown = True
            self.start(tag, {})
            self.start("a", {"href": m.group(2)})
            self.data(m.group(1))
            self.end("a")
            self.end(tag)
            self.in_markdown = False
            if m.group(5):
                self._owe_space(m.group(5))
        else:
            self._markdown(text)

    def _markdown(self, text: str) -> None:
        """Write body-level Markdown through the same rules as HTML, via its token stream."""
        tokens = _markdown_parser().parse(_tame_brackets(text.replace("&", "&amp;")))
        # One paragraph between two inline elements is inline text: no break around it.
        if len(tokens) == 3 and tokens[0].type == "paragraph_open":
            tokens = tokens[1:2]
        lead = text[: len(text) - len(text.lstrip(_WS))]
        trail = text[len(text.rstrip(_WS)) :]
        self.in_markdown = True
        try:
            if lead:
                self._owe_space(lead)
            stack = list(reversed(tokens))
            while stack:  # iterative: the inline children are pushed back onto the stack
                tok = stack.pop()
                kind = tok.type
                if kind == "inline":
                    stack.extend(reversed(tok.children or ()))
                    continue
                if tok.hidden:
                    continue
                if kind == "text":
                    self._text(tok.content)
                elif kind == "softbreak":
                    self._text("\n")
                elif kind == "hardbreak":
                    self.start("br", {})
                    self.end("br")
                elif kind in ("code_inline", "fence", "code_block"):
                    tag = "code" if kind == "code_inline" else "pre"
                    self.start(tag, {})
                    self.data(tok.content)
                    self.end(tag)
                elif kind == "image":
                    self.start("img", {"src": tok.attrGet("src") or "", "alt": tok.content})
                    self.end("img")
                elif tok.nesting == 1:
                    self.start(tok.tag, {k: str(v) for k, v in tok.attrs.items()})
                elif tok.nesting == -1:
                    self.end(tok.tag)
                elif tok.tag:
                    self.start(tok.tag, {})
                    self.end(tok.tag)
            if trail:
                self._owe_space(trail)
        finally:
            self.in_markdown = False


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


_PARSERS = threading.local()


def _parse(html: str, markdown: bool, links: bool, alt: bool, reveal: bool = False) -> str:
    from lxml import etree

    # One parser per option set and thread, reused: lxml inspects the target on creation.
    key = (markdown, links, alt, reveal)
    cache = _PARSERS.__dict__.setdefault("parsers", {})
    if key not in cache:
        writer = _Writer(markdown, links, alt, reveal)
        cache[key] = writer, etree.HTMLParser(
            target=writer, encoding="utf-8", remove_comments=True, remove_pis=True,
            no_network=True, huge_tree=True,
        )
    writer, parser = cache[key]
    writer.__init__(markdown, links, alt, reveal)  # a fresh state for this document
    # Encoded by us and declared UTF-8, so <?xml encoding=...?> and <meta charset> in the
    # text are ignored (lxml refuses str input that declares an encoding). The <html><body>
    # prefix keeps leading text at body level, where libxml2 would wrap it in a <p>.
    data = ("<html><body>" + html.replace("\x00", "")).encode("utf-8", "replace")
    try:
        return etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError) as exc:
        del cache[key]
        raise CleantextError(f"cannot parse the HTML body: {exc}") from None
    except BaseException:
        del cache[key]  # never reuse a parser left in the middle of a document
        raise


def html_to_text(html: str, *, markdown: bool = False, links: bool = False,
                 alt: bool = False) -> str:
    """Plain text (or Markdown) for an HTML fragment or page; ends with a newline if not empty.

    Text without tags or Markdown passes through with only its entities decoded.

    >>> html_to_text("Fish &amp; chips\\n  two lines")
    'Fish & chips\\n  two lines'
    >>> html_to_text("<table><tr><td>a</td><td>b</td></tr></table>")
    'a\\tb\\n'
    """
    if not _TAG.search(html) and not _MD_HINT.search(html):
        import html as html_module

        return html_module.unescape(html)
    text = _parse(html, markdown, links, alt)
    if not text.strip():
        # Nothing visible: show hidden content rather than lose the text (never empty).
        text = _parse(html, markdown, links, alt, reveal=True)
    return text


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


def strip_html(doc: Document, alt: bool = False, links: bool = False,
               markdown: bool = False) -> Document:
    """Replace the body's HTML by its text (or Markdown); the front matter is kept as it is.

    A Markdown body is read as Markdown: its text is rendered as HTML would be, or, with
    ``markdown``, it stays Markdown and only its HTML becomes Markdown."""
    if not doc.body.strip():
        return doc
    from cleantext.markdown_body import is_markdown

    if is_markdown(doc.body):
        from cleantext.markdown_text import markdown_islands_to_markdown, markdown_to_text

        if markdown:
            return doc.replace(body=markdown_islands_to_markdown(doc.body, links=links, alt=alt))
        return doc.replace(body=markdown_to_text(doc.body, links=links, alt=alt))
    return doc.replace(body=html_to_text(doc.body, markdown=markdown, links=links, alt=alt))


STEP = Step(
    name="strip-html",
    run=strip_html,
    example="cleantext strip-html post.md\ncleantext strip-html --markdown --links post.md",
    description=(
        "Block elements become paragraphs separated by one blank line, <br> a line break, "
        "list items '- item' lines, table rows tab-separated lines, <pre> keeps its "
        "whitespace. Comments, script, style, noscript, template, head and hidden elements "
        "produce nothing. Line breaks of prettified HTML never become spaces inside Chinese "
        "sentences. Markdown lines at the top of the body (a '[title](url)' line underlined "
        "with '------') are read as Markdown. Text without tags passes through with only "
        "entities decoded."
    ),
    params=(
        Param("alt", "Keep the alt text of images.", default=False, flag=True),
        Param("links", "Append each link's URL after its text: 'text <url>'.", default=False,
              flag=True),
        Param("markdown", "Write Markdown (headings, lists, links, emphasis, images, quotes, "
              "pipe tables) instead of plain text; lines are never wrapped.", default=False,
              flag=True),
    ),
)
