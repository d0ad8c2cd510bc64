"""Where a long Markdown block may be cut (``forced_cut``): a chunk that outgrows
``CUT_AFTER`` with no place where no block spans the cut (a long paragraph, quote, list
item, HTML block or indented code block with no blank line) is cut where every step sees
the lines on both sides as it would uncut, so that memory stays bounded (issue 22). A line
of a top-level paragraph that outgrows ``LONG_LINE_AFTER`` is cut inside the same way
(``forced_line_cut``)."""

from __future__ import annotations

import bisect
import itertools
import re
from typing import Any

from cleantext import markdown_scan
from cleantext.markdown_chunker import chunker_inside
from cleantext.markdown_scan import (
    PAIRED,
    PAIRED_LOOKAHEAD,
    inline_opaque,
    parse_lines,
)

# A line that starts a paragraph as it goes on one: no block marker, link reference, HTML,
# template tag, math, stand-in or indentation at its start.
_PLAIN_START = re.compile(r"[^\s\-+*>#|=`~<\[{$\\!_:.0-9\ue000-\ue003]")
_QUOTED_PLAIN = re.compile(r"> ?" + _PLAIN_START.pattern)
_INDENTED_PLAIN = re.compile(r" *" + _PLAIN_START.pattern)
# A list item's first line whose content starts after 1 to 4 spaces (a tab, more spaces or
# nothing after the marker: no opener is made, no cut).
_ITEM_START = re.compile(r" {0,3}(?:[-+*]|[0-9]{1,9}[.)]) {1,4}(?=[^ \t\r\n])")
# HTML blocks that end at a marker of their own, not at a blank line (CommonMark's kinds
# 1 to 5): no cut inside them.
_HTML_MARKER_END = re.compile(r" {0,3}<(?:(?:script|pre|style|textarea)(?:[\s>]|\Z)|[!?])",
                              re.IGNORECASE)
_NOT_BLANK = re.compile(r"[ \t]*\S")
_CODE_LINE = re.compile(r"(?: {4}|\t)[ \t]*[^ \t\r\n]")


def forced_cut(lines: list[str], opener: str = "") -> tuple[int, str]:
    """A line ``k`` before which the chunk ``lines`` may be cut although a block spans the
    cut, because every step sees the lines on both sides as it would uncut: a line of a
    top-level paragraph (or of one in a top-level quote or list item) that starts as plain
    text, or of a top-level HTML block that runs to a blank line, with no inline span or
    tag across the cut and the text after it long enough to decide every span before it
    (``MAX_SPAN``); or a line of a top-level indented code block that follows one of its
    lines that is not blank. None may follow a line that could open a math block or paired
    template tag, nor be inside a fence or HTML block as ``Chunker`` sees it (it may see
    one where the block parser does not). The last such line, or 0, and the chunk after
    it's ``Chunk.opener``: a first line for the list item or HTML block it starts in, so
    that the block parser sees that block go on. ``opener``: this chunk's."""
    offsets = list(itertools.accumulate(map(len, lines), initial=0))
    inside = chunker_inside(lines, opener)
    paired = [i for i, line in enumerate(lines) if PAIRED.search(line)]
    first_angle = next((i for i, line in enumerate(lines) if "<" in line), len(lines))
    stack: list[Any] = []
    best, best_opener = 0, ""
    for tok in parse_lines(lines, opener):
        parent = stack[-1].type if stack else ""
        if tok.nesting == 1:
            stack.append(tok)
        elif tok.nesting == -1:
            stack.pop()
        if tok.map is None:
            continue
        s, e = tok.map
        after = ""
        if tok.type == "code_block" and not parent:
            # After a code line: a block cut after blank lines would lose them to prose.
            candidates = [k for k in range(s + 1, e)
                          if _CODE_LINE.match(lines[k]) and _CODE_LINE.match(lines[k - 1])]
        elif tok.type == "paragraph_open" and (not parent or (
                parent == "blockquote_open" and len(stack) == 2)):
            start = _QUOTED_PLAIN if parent else _PLAIN_START
            candidates = _uncrossed(lines, offsets, s, e, start, first_angle)
        elif tok.type == "html_block" and not parent:
            # An HTML block that runs to a blank line: the chunk after the cut is read after
            # an opening tag, as the rest of such a block.
            if opener and s == 0:
                after = opener
            elif _HTML_MARKER_END.match(lines[s]):
                continue
            else:
                after = "<div>\n"
            candidates = _uncrossed(lines, offsets, s, e, _NOT_BLANK, first_angle)
        elif tok.type == "paragraph_open" and parent == "list_item_open" and len(stack) == 3:
            item = stack[1].map[0]
            if opener and item == 0:
                after = opener  # the item began before this chunk
            else:
                m = _ITEM_START.match(lines[item])
                if m is None:
                    continue
                after = m.group() + "x\n"
            candidates = _uncrossed(lines, offsets, s, e, _INDENTED_PLAIN, first_angle)
        else:
            continue
        for k in reversed(candidates):
            if inside[k]:
                continue
            i = bisect.bisect_left(paired, k) - 1  # the last possible opener before k
            if i < 0 or paired[i] < k - PAIRED_LOOKAHEAD:
                if k > best:
                    best, best_opener = k, after
                break
    return best, best_opener


def _uncrossed(lines: list[str], offsets: list[int], s: int, e: int,
               start: re.Pattern[str], first_angle: int) -> list[int]:
    """Lines ``k`` of the paragraph ``lines[s:e]`` that match ``start`` with no inline span,
    HTML tag or ``convert``'s tag (from a ``<`` to the next ``>`` with no ``<`` between,
    across lines) across their start, and far enough from the chunk's end if the paragraph
    may go on after it. ``first_angle``: the first line with a ``<``."""
    text = "".join(lines[s:e])
    base = offsets[s]
    limit = offsets[e] if e < len(lines) else offsets[e] - markdown_scan.MAX_SPAN
    ks = [k for k in range(s + 1, e) if offsets[k] <= limit and start.match(lines[k])]
    free = set(_free_places(text, [offsets[k] - base for k in ks], first_angle < s))
    return [k for k in ks if offsets[k] - base in free]


def _free_places(text: str, places: list[int], tag_open: bool) -> list[int]:
    """The ``places`` (offsets in ``text``, in order) that no inline span, HTML tag or
    ``convert``'s tag crosses. ``tag_open``: whether a tag may be open at the start."""
    opaque: list[tuple[int, int]] = []
    tags: list[tuple[int, int]] = []
    inline_opaque(text, 0, opaque, tags)
    spans_ = sorted(opaque + tags)
    hidden = sorted(opaque)  # what the steps see as stand-ins: no "<" or ">" in it counts
    marks = [m.start() for m in _ANGLE.finditer(text)]
    found = []
    j = h = a = 0
    reach = -1  # the furthest end of the spans that start before the place
    for at in places:
        while j < len(spans_) and spans_[j][0] < at:
            reach = max(reach, spans_[j][1])
            j += 1
        while a < len(marks) and marks[a] < at:
            pos = marks[a]
            while h < len(hidden) and hidden[h][1] <= pos:
                h += 1
            if not (h < len(hidden) and hidden[h][0] <= pos):
                c = text[pos]
                tag_open = c == "<" and text[pos + 1 : pos + 2] in _TAG_START
            a += 1
        if reach <= at and not tag_open:
            found.append(at)
    return found


# Inside a line: after a space or CJK punctuation (where neither OpenCC nor normalize looks
# across) and before what starts a paragraph as plain text.
_IN_LINE = re.compile(r"(?<=[ \t\u3000。！？；，、：）」』》】])" + _PLAIN_START.pattern)


def forced_line_cut(lines: list[str], opener: str, head: str) -> int:
    """A place inside ``head``, the start of a long line that goes on after it, before which
    the chunk ``lines`` + ``head`` may be cut (0: none): the line is in a top-level paragraph
    (not a possible link reference definition), no math block or paired template tag may be
    open, and the place is as ``forced_cut`` takes a paragraph's line: no inline span or
    tag across it, what follows it starts as plain text, and ``MAX_SPAN`` characters of the
    line follow it. The chunk after it starts inside the line, as a new paragraph would."""
    n = len(lines)
    s = next((tok.map[0] for tok in parse_lines([*lines, head], opener)
              if tok.type == "paragraph_open" and tok.level == 0 and tok.map
              and tok.map[0] <= n < tok.map[1]), None)
    if s is None or (lines[s] if s < n else head).lstrip().startswith("[") \
            or any(map(PAIRED.search, lines[-PAIRED_LOOKAHEAD:])):
        return 0
    before = "".join(lines[s:])
    text = before + head
    end = len(text) - markdown_scan.MAX_SPAN
    paired = PAIRED.search(head)
    if paired:
        end = min(end, len(before) + paired.start())
    places = [m.start() for m in _IN_LINE.finditer(text, len(before) + 1, max(end, 0) + 1)]
    tag_open = any("<" in line for line in lines[:s])
    free = _free_places(text, places, tag_open)
    return free[-1] - len(before) if free else 0


_ANGLE = re.compile("[<>]")
_TAG_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ/!?")
