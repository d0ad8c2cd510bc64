"""Where a Markdown body may be cut into chunks that each parse as they would in the whole
(``Chunker``): only between top-level blocks, never inside a fence or an HTML block, told
by the block parser's own rules for them."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

CHUNK = 1 << 14
_FENCE_LINE = re.compile(r"(`{3,}|~{3,})")
_LIST_START = re.compile(r"(?:[-*+]|\d{1,9}[.)])[ \t]")
# A line that no paragraph goes on after: an ATX heading or a thematic break (a setext
# underline of "-" too; one of "=" only after a paragraph line).
_ATX_OR_BREAK = re.compile(r" {0,3}(?:#{1,6}(?:[ \t]|\r?\n|\Z)|(?:[-*_][ \t]*){3,}\r?\n?\Z)")
_EQUALS_UNDERLINE = re.compile(r" {0,3}=+[ \t]*\r?\n?\Z")


@functools.cache
def _html_sequences() -> list[tuple[re.Pattern[str], re.Pattern[str], bool]]:
    """The block parser's own rules for HTML blocks: (start, end, whether it may interrupt a
    paragraph), CommonMark's kinds 1 to 7; the end of kinds 6 and 7 is a blank line."""
    from markdown_it.rules_block.html_block import HTML_SEQUENCES

    return list(HTML_SEQUENCES)


class Chunker:
    """Cuts a sequence of lines into chunks, only before a line at column 0 that starts a
    new top-level block (after a blank line, or a list item), outside fences and multi-line
    HTML blocks: no block spans a cut. The same lines give the same cuts however they come.

    It tells fences and HTML blocks by the block parser's rules, so that it sees a fence
    where the parser does (a fence marker inside an HTML block is none): ``fence`` while in
    a fence, ``html_end`` while in an HTML block that ends at a marker of its own (no cut
    inside), ``html_to_blank`` while in one that ends at a blank line (no fence inside)."""

    def __init__(self) -> None:
        self.size = 0
        self.fence = ""
        self.fence_indent = ""
        self.html_end: re.Pattern[str] | None = None
        self.html_to_blank = False
        self.blank = False
        self.paragraph = False  # whether the line before may go on as a paragraph

    def cut_before(self, line: str) -> bool:
        """Feed one line; whether a chunk ends before it."""
        cut = (self.size >= CHUNK and not self.fence and not self.html_end
               and line[:1] not in (" ", "\t") and bool(line.strip())
               and (self.blank or bool(_LIST_START.match(line))))
        if cut:
            self.size = 0
        # A long blank line's stand-in (``markdown_scan.LongBlank``) counts as the whole line
        # (its ``size``), so that a text is cut at the same lines whether it is spooled.
        self.size += getattr(line, "size", None) or len(line)
        blank = not line.strip()
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if self.fence:
            if stripped.startswith(self.fence) and not line.strip().strip(self.fence[0]):
                self.fence = ""
            paragraph = False
        elif self.html_end is not None:
            if self.html_end.search(line):
                self.html_end = None
            paragraph = False
        elif self.html_to_blank and not blank:
            paragraph = False
        else:
            self.html_to_blank = False
            f = _FENCE_LINE.match(stripped) if line[:4].strip() else None
            html = self._html_start(stripped.rstrip("\r\n")) \
                if indent < 4 and stripped[:1] == "<" else None
            if f and indent < 4 and not (f.group(1)[0] == "`" and "`" in line[indent + f.end():]):
                self.fence = f.group(1)
                self.fence_indent = line[:indent]
            elif html is not None:
                end, text = html
                if end.search(""):  # kinds 6 and 7: to a blank line
                    self.html_to_blank = True
                elif not end.search(text):
                    self.html_end = end
            n = len(line) - len(line.lstrip(" \t"))
            code = not self.paragraph and len(line[:n].expandtabs(4)) >= 4
            paragraph = not blank and html is None and not (
                f or code or _ATX_OR_BREAK.match(line)
                or (self.paragraph and _EQUALS_UNDERLINE.match(line)))
        self.paragraph = paragraph
        self.blank = blank
        return cut

    def _html_start(self, text: str) -> tuple[re.Pattern[str], str] | None:
        """If an HTML block starts with ``text`` (a line without its indentation and line
        end): its end rule, and the text."""
        for start, end, interrupts in _html_sequences():
            if start.search(text):
                return (end, text) if interrupts or not self.paragraph else None
        return None


def _after(opener: str) -> Chunker:
    """A chunker that has seen a chunk's opener (``markdown_scan.Chunk``), as the block
    parser sees it before the chunk's lines: a fence marker in an HTML block it opens is
    none."""
    chunker = Chunker()
    if opener:
        chunker.cut_before(opener)
        chunker.size = 0
    return chunker


def chunker_inside(lines: list[str], opener: str = "") -> list[bool]:
    """For each line, whether ``Chunker`` sees it inside a fence or a multi-line HTML
    block (after the lines before it, from a chunk's start): a chunk may start only at a
    line where it does not, or ``spans`` would cut the chunk otherwise than the whole."""
    chunker = _after(opener)
    inside = []
    for line in lines:
        inside.append(bool(chunker.fence or chunker.html_end))
        chunker.cut_before(line)
    return inside


def chunks(lines: list[str], opener: str = "") -> Iterator[tuple[int, int]]:
    """Line ranges ``[a, b)`` of a body (after ``opener``), cut where ``Chunker`` says."""
    chunker = _after(opener)
    start = 0
    for i, line in enumerate(lines):
        if chunker.cut_before(line) and i > start:
            yield start, i
            start = i
    if start < len(lines):
        yield start, len(lines)
