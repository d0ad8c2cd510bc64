"""The inline half of the HTML-to-text writer: emphasis and code marks, links, images,
tables, and Markdown lines at the top level of a body (the ``[title](url)`` + ``------``
prelude of feed posts). A mixin of ``cleantext.html_text_writer._Writer``, whose state it
shares.
"""

from __future__ import annotations

from typing import Any

from cleantext.html_text_rules import (
    _BLOCK_END, _CELL, _INLINE, _MARK, _MD_ESCAPE, _MD_HINT, _PRELUDE, _WS, _WS_RUN, _bang,
    _flanking, _is_mark, _markdown_parser, _tame_brackets, _url,
)


class _InlineWriting:
    """Marks, links, images, tables and top-level Markdown, for ``_Writer``."""

    # Declared by _Writer; listed here for readers and type checkers.
    md: bool
    out: list[str]

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
