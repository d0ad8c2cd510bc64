"""The HTML-to-text writer: parser events (start, end, data) become text or Markdown.

lxml's HTML parser feeds a ``_Writer`` through its parser-target (SAX) interface: no tree is
built, nothing recurses, and libxml2's depth limit (which silently drops everything below
depth 256 when a tree is built) does not apply, so 100,000 nested elements are fine. This
module holds the block half (paragraphs, breaks, lists, quotes, preformatted text);
``cleantext.html_text_inline`` the inline half.
"""

from __future__ import annotations

import threading
from typing import Any

from cleantext.html_text_rules import (
    _BLOCK_END, _CELL, _CJK_BREAK, _CJK_CHAR, _CJK_PUNCT_CHAR, _DISPLAY_NONE, _ENTITY_AMP,
    _ENTITY_REST, _HEADING, _HEADINGS, _INLINE, _ITEM, _KINDS, _K_BLOCK, _K_SKIP, _LIST, _MARK,
    _MD_HINT, _TAG, _MAX_PREFIX, _MD_ESCAPE, _MD_LINE_START, _MD_ORDERED, _PRE, _QUOTE, _ROW, _SKIP,
    _SKIP_ALWAYS, _TABLE, _WS, _WS_COLLAPSE, _common_prefix,
)
from cleantext.errors import CleantextError
from cleantext.html_text_inline import _InlineWriting


class _Writer(_InlineWriting):
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

    def _block(self, text: str) -> None:
        """Write preformatted lines as one block, each line after the current prefix."""
        if self.prefix:
            text = text.replace("\n", "\n" + self.prefix)
        self._put(text, text[0])
        self.last = text[-1]


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
