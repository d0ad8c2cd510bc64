"""The body model: is a body HTML or Markdown, and which parts of a Markdown body may change.

A scraped post's body is HTML (a ``[title](url)`` prelude line aside); a blog or docs post's
body is Markdown, maybe with HTML islands (block and inline HTML, as CommonMark allows).
``is_markdown`` tells them apart; ``spans`` cuts a Markdown body into spans that the steps
can see, whose texts joined give the body back byte for byte:

- ``PROSE``: Markdown text (with its inline HTML tags), which the steps may clean;
- ``HTML``: an HTML block at the top level of the document (an "island"), which the HTML
  steps treat as they treat an HTML body;
- ``OPAQUE``: what no step may change, because a change would alter what the author wrote
  for a machine or a reader to take literally: fenced and indented code, code spans,
  autolinks, link reference definitions, link destinations, raw URLs, math (``$...$``,
  ``$$...$$``), and template tags (Hugo ``{{< >}}`` and ``{{% %}}``, Liquid ``{% %}`` and
  ``{{ }}``, with the body of code-like paired tags such as ``{% highlight %}``).

The block structure comes from markdown-it-py's block parser (CommonMark, GFM tables), run
without its inline parser; code spans and the other inline kinds are found by one
left-to-right scan with the same precedence rules, in time linear in the body. A big body is
parsed in chunks cut where no block can span the cut, so memory stays a small multiple of
the body.

>>> [(s.kind, s.text) for s in spans("Run `ls -l`:\\n\\n```sh\\nls  -l\\n```\\n")]
[('prose', 'Run '), ('opaque', '`ls -l`'), ('prose', ':\\n\\n'), ('opaque', '```sh\\nls  -l\\n```\\n')]
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from cleantext.markdown_chunker import chunks
from cleantext.markdown_scan import (
    LINE,
    PAIRED_LOOKAHEAD,
    BlankSpool,
    Spool,
    block_parser,
    chunk_stream,
    chunk_texts,
    inline_opaque,
    parse_lines,
    with_opener,
)

__all__ = ["HTML", "OPAQUE", "PROSE", "Holder", "Span", "chunk_stream", "chunk_texts",
           "is_markdown", "peek", "spans"]

PROSE, HTML, OPAQUE = "prose", "html", "opaque"


class Span(NamedTuple):
    kind: str
    text: str


# -- the block parser ------------------------------------------------------------------------

_LEAVES = frozenset(["paragraph_open", "heading_open", "fence", "code_block", "html_block",
                     "hr", "table_open"])
_CODE_BLOCKS = frozenset(["fence", "code_block"])
_LISTS = frozenset(["bullet_list_open", "ordered_list_open"])
_INDENT = re.compile(r"[ \t]+")
# A line of container markers only (an empty list item, a quote's blank line): a block that
# holds no leaf, not a link reference definition.
_MARKERS_ONLY = re.compile(r"[ \t]*(?:(?:[-+*]|[0-9]{1,9}[.)]|>)[ \t]*)+(?:\r\n?|\n)?\Z")

# Paired template tags whose body is code: ``{% highlight py %}...{% endhighlight %}``,
# ``{% raw %}``, Hexo's ``{% codeblock %}``, Hugo's ``{{< highlight go >}}``, ``{{< code >}}``,
# ``{{< code-toggle >}}``.
_CODE_TAG_OPEN = re.compile(
    r"[ \t]*(?:\{%-?[ \t]*(?P<liquid>[a-z_]*(?:highlight|code|raw)[a-z_]*)\b"
    r"|\{\{[<%][ \t]*(?P<hugo>[a-z_-]*(?:highlight|code)[a-z_-]*)\b)")
_SELF_CLOSING = re.compile(r"[^\n]*?/[ \t]*[>%]\}\}")
_MATH_FENCE = re.compile(r"[ \t]{0,3}\$\$")


def _code_tag_end(name: str, liquid: bool) -> re.Pattern[str]:
    if liquid:
        return re.compile(r"\{%-?[ \t]*end" + re.escape(name) + r"[ \t]*-?%\}")
    return re.compile(r"\{\{[<%][ \t]*/" + re.escape(name) + r"[ \t]*[>%]\}\}")


def peek(pieces: Iterable[str]) -> tuple[bool, Iterator[str]]:
    """Whether a body given as pieces is Markdown (decided on its first 16 KB, as
    ``is_markdown`` decides), and the pieces again, from the start."""
    seen: list[str] = []
    size = 0
    iterator = iter(pieces)
    for piece in iterator:
        seen.append(piece)
        size += len(piece)
        if size > _HEAD:
            break
    return is_markdown("".join(seen)), itertools.chain(seen, iterator)


# -- the spans -------------------------------------------------------------------------------


def _line_kinds(lines: list[str], a: int, b: int, kinds: list[str],
                inline_blocks: list[tuple[int, int]], in_list: list[bool],
                opener: str = "") -> None:
    """Set ``kinds[a:b]`` from the block parse of those lines (after ``opener``, see
    ``Chunk``); collect inline blocks and mark the lines inside lists."""
    covered = [False] * (b - a)
    for tok in parse_lines(lines[a:b], opener):
        if tok.type in _LISTS and tok.map is not None and tok.level == 0:
            for k in range(tok.map[0], tok.map[1]):
                in_list[a + k] = True
        if tok.type not in _LEAVES or tok.map is None:
            continue
        s, e = tok.map
        for k in range(s, e):
            covered[k] = True
        if tok.type in _CODE_BLOCKS:
            for k in range(s, e):
                kinds[a + k] = OPAQUE
        elif tok.type == "html_block" and tok.level == 0:
            for k in range(s, e):
                kinds[a + k] = HTML
        elif tok.type in ("paragraph_open", "heading_open", "table_open"):
            inline_blocks.append((a + s, a + e))
    for k, is_covered in enumerate(covered):
        line = lines[a + k]
        if not is_covered and line.strip() and not _MARKERS_ONLY.match(line):
            kinds[a + k] = OPAQUE  # link reference definitions


def _paired_blocks(lines: list[str], kinds: list[str]) -> None:
    """Mark code-like paired template tags and ``$$`` math blocks (with their bodies) opaque."""
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if kinds[i] == PROSE and ("{" in line or "$$" in line):
            end = -1
            m = _CODE_TAG_OPEN.match(line)
            if m and _SELF_CLOSING.match(line, m.end()):
                m = None  # {{< code-toggle file=x />}} has no body
            if m:
                name = m.group("liquid") or m.group("hugo")
                closing = _code_tag_end(name, bool(m.group("liquid")))
                end = next((j for j in range(i, min(n, i + PAIRED_LOOKAHEAD))
                            if closing.search(lines[j])), -1)
            elif _MATH_FENCE.match(line) and line.strip() == "$$":
                end = next((j for j in range(i + 1, min(n, i + PAIRED_LOOKAHEAD))
                            if lines[j].strip() == "$$"), -1)
            if end >= 0:
                for k in range(i, end + 1):
                    kinds[k] = OPAQUE
                i = end + 1
                continue
        i += 1


def _block_kinds(body: str, opener: str = "",
                 ) -> tuple[list[str], list[str], list[bool], list[tuple[int, int]]]:
    """The body's lines, the kind of each, whether each is in a list, and the line ranges
    of its inline blocks (paragraphs, headings, tables). ``opener``: see ``Chunk``."""
    lines = LINE.findall(body)
    kinds = [PROSE] * len(lines)
    in_list = [False] * len(lines)
    inline_blocks: list[tuple[int, int]] = []
    for a, b in chunks(lines, opener):
        _line_kinds(lines, a, b, kinds, inline_blocks, in_list, opener if a == 0 else "")
    _paired_blocks(lines, kinds)
    return lines, kinds, in_list, inline_blocks


def spans(body: str, list_indents: bool = False) -> list[Span]:
    """The body cut into PROSE, HTML and OPAQUE spans; their texts joined are the body.

    With ``list_indents``, the indentation of the lines of lists (which makes items
    nest and paragraphs continue an item) is an OPAQUE span too. A ``Chunk`` that starts
    inside a list item is parsed after its opener."""
    lines, kinds, in_list, inline_blocks = _block_kinds(body, getattr(body, "opener", ""))
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    intervals: list[tuple[int, int, str]] = []
    for i, kind in enumerate(kinds):  # line runs of one kind
        if intervals and intervals[-1][2] == kind:
            intervals[-1] = (intervals[-1][0], offsets[i + 1], kind)
        else:
            intervals.append((offsets[i], offsets[i + 1], kind))
    inline: list[tuple[int, int]] = []
    seen: set[tuple[int, int]] = set()
    for s, e in inline_blocks:
        if (s, e) in seen:
            continue
        seen.add((s, e))
        # Each run of its prose lines (a math block or paired tag may hold others).
        for prose, run in itertools.groupby(range(s, e), lambda k: kinds[k] == PROSE):
            if prose:
                run_lines = list(run)
                a, b = run_lines[0], run_lines[-1] + 1
                inline_opaque(body[offsets[a] : offsets[b]], offsets[a], inline)
    if list_indents:
        for k, line in enumerate(lines):
            if in_list[k] and kinds[k] == PROSE and line.strip():
                m = _INDENT.match(line)
                if m:
                    inline.append((offsets[k], offsets[k] + m.end()))
    inline.sort()
    if list_indents:  # an indentation inside a code span spanning lines is the span's
        disjoint: list[tuple[int, int]] = []
        for interval in inline:
            if not disjoint or interval[0] >= disjoint[-1][1]:
                disjoint.append(interval)
        inline = disjoint
    result: list[Span] = []
    j = 0
    for s, e, kind in intervals:
        if kind != PROSE:
            result.append(Span(kind, body[s:e]))
            continue
        pos = s
        while j < len(inline) and inline[j][0] < e:
            a, b = inline[j]
            if a > pos:
                result.append(Span(PROSE, body[pos:a]))
            result.append(Span(OPAQUE, body[a:b]))
            pos = b
            j += 1
        if pos < e:
            result.append(Span(PROSE, body[pos:e]))
    return result


# -- holding opaque spans out of a transformation ------------------------------------------

# Stand-ins: private-use characters that no step changes and no parser gives a meaning to.
HOLD_OPEN, HOLD_CLOSE = "\ue000", "\ue001"
_HELD = re.compile("\ue000([0-9]+)\ue001")
_LINE_END = re.compile(r"(?:\r\n?|\n)\Z")


class Holder:
    """Holds a Markdown text's opaque spans out of a transformation and puts them back.

    ``hold`` replaces each opaque span of a text with a stand-in (a block's last line end
    stays outside it, so lines stay lines); ``release`` and ``release_stream`` put the
    spans back, through ``change`` if given. Stand-in characters already in the text are
    held too, so they come back as they were. Numbers go on across calls, so the chunks of
    one body can be held one by one and released from the transformation's output stream.

    >>> holder = Holder()
    >>> held = holder.hold("See `a  b`\\n")
    >>> held
    'See \\ue0000\\ue001\\n'
    >>> holder.release(held.replace("See", "Look at"))
    'Look at `a  b`\\n'
    """

    def __init__(self, list_indents: bool = False, verbatim_blanks: bool = False) -> None:
        self.list_indents = list_indents
        # The step leaves spaces and tabs as they are: a long blank line (``LongBlank``) is
        # given back at release even in prose, never sent through the step.
        self.verbatim_blanks = verbatim_blanks
        self.held: dict[int, str] = {}
        self.count = 0
        # Spooled insides of long code blocks (``chunk_stream``), by the line standing for
        # each: private-use characters around a token no text holds by chance.
        self.spools: dict[str, Spool | BlankSpool] = {}
        self.spooled = 0
        self._token = "\ue002" + secrets.token_hex(8)
        self._marks = re.compile(re.escape(self._token) + "[0-9]+\ue003")

    def chunks(self, pieces: Iterable[str]) -> Iterator[str]:
        """``chunk_stream`` of ``pieces``, the insides of long code blocks spooled (release
        the output with ``release_stream`` to have them back), and long blocks and lines cut
        where ``forced_cut`` and ``forced_line_cut`` allow."""
        from cleantext.markdown_cuts import forced_cut, forced_line_cut

        return chunk_stream(pieces, self._new_spool, forced_cut, forced_line_cut)

    def _new_spool(self, indent: str) -> Spool:
        self.spooled += 1
        spool = Spool(f"{self._token}{self.spooled}\ue003", indent)
        self.spools[spool.mark] = spool
        return spool

    def _stand_in(self, text: str) -> str:
        self.held[self.count] = text
        self.count += 1
        return f"{HOLD_OPEN}{self.count - 1}{HOLD_CLOSE}"

    def hold(self, text: str) -> str:
        return "".join(self.hold_pieces(text))

    def hold_pieces(self, text: str) -> Iterator[str]:
        """``hold`` in pieces: a long blank line of a chunk (``Chunk.long_blanks``) comes
        from its spool when it is prose, in pieces; in code it stays a mark for release."""
        long_blanks = getattr(text, "long_blanks", ())
        if self.spools and self._token in text and not self._marks_in_code(text):
            text = self._unspooled(text)
            long_blanks = ()
        found = spans(text, self.list_indents)
        if long_blanks:
            found = self._long_blanks_in(text, found, long_blanks)
        parts: list[str] = []
        for span in found:
            if isinstance(span, BlankSpool):
                yield "".join(parts)
                parts.clear()
                yield from span.pieces()
                continue
            if span.kind != OPAQUE:
                if HOLD_OPEN in span.text or HOLD_CLOSE in span.text:
                    parts.append(_STAND_IN_CHARS.sub(lambda m: self._stand_in(m.group()),
                                                     span.text))
                else:
                    parts.append(span.text)
                continue
            if _inert(span.text):  # nothing a step changes: no need to hold it
                parts.append(span.text)
                continue
            end = _LINE_END.search(span.text)
            parts.append(self._stand_in(span.text[: end.start()] if end else span.text))
            if end:
                parts.append(end.group())
        yield "".join(parts)

    def _long_blanks_in(self, text: str, found: list[Span],
                        long_blanks: tuple[tuple[int, Any], ...]) -> list[Any]:
        """``found`` with each long blank line's stand-in replaced: in prose, by its spool
        (whose pieces go to the step); in code (or with ``verbatim_blanks``), by a mark that
        ``release_stream`` turns back into it. If a stand-in is not inside one span, every
        long blank line is read back and the spans found again."""
        result: list[Any] = []
        marks: dict[str, BlankSpool] = {}  # registered once every stand-in is found whole
        at = 0
        i = 0
        for span in found:
            end = at + len(span.text)
            pos = at
            while i < len(long_blanks) and long_blanks[i][0] < end:
                offset, blank = long_blanks[i]
                if offset < at or offset + blank.width > end:
                    whole = with_opener(_read_back(text, long_blanks),
                                        getattr(text, "opener", ""))
                    return spans(whole, self.list_indents)
                if span.kind == OPAQUE or self.verbatim_blanks:
                    mark = f"{self._token}{self.spooled + len(marks) + 1}\ue003"
                    marks[mark] = blank.spool
                    result.append(Span(span.kind, text[pos:offset] + mark))
                else:
                    result.append(Span(span.kind, text[pos:offset]))
                    result.append(blank.spool)
                pos = offset + blank.width
                i += 1
            result.append(Span(span.kind, text[pos:end]))
            at = end
        self.spools.update(marks)
        self.spooled += len(marks)
        return result

    def _marks_in_code(self, text: str) -> bool:
        """Whether each line standing for a spool is inside a fenced code block of ``text``
        (``chunk_stream`` spools what it takes for a fence's inside; this checks that the
        block parser agrees). Then the lines it stands for are inside that block too: none
        of them could end it or change how the lines before it parse (``_spoolable``)."""
        lines = LINE.findall(text)
        fenced = [False] * len(lines)
        opener = getattr(text, "opener", "")
        for a, b in chunks(lines, opener):
            for tok in parse_lines(lines[a:b], opener if a == 0 else ""):
                if tok.type == "fence" and tok.map is not None:
                    for k in range(tok.map[0] + 1, tok.map[1]):
                        fenced[a + k] = True
        return all(inside for line, inside in zip(lines, fenced) if self._token in line)

    def _unspooled(self, text: str) -> str:
        """``text`` with its spools' lines back in it (read whole: this is the rare case
        where the block parser disagrees with ``chunk_stream`` on where a fence is)."""
        opener = getattr(text, "opener", "")
        text = _read_back(text, getattr(text, "long_blanks", ()))
        back = self._marks.sub(lambda m: "".join(self.spools.pop(m.group()).pieces()), text)
        return with_opener(back, opener)

    def _back(self, change: Callable[[str], str] | None) -> Callable[[re.Match[str]], str]:
        def back(m: re.Match[str]) -> str:
            text = self.held.pop(int(m.group(1)))
            return change(text) if change is not None else text
        return back

    def release(self, text: str, change: Callable[[str], str] | None = None) -> str:
        return _HELD.sub(self._back(change), text) if self.held else text

    def release_stream(self, pieces: Iterable[str],
                       change: Callable[[str], str] | None = None) -> Iterator[str]:
        """``release`` on a text given as pieces (a stand-in may be cut between two), with
        the spooled code blocks of ``chunks`` written back from their spools."""
        back = self._back(change)
        carry = ""
        for piece in pieces:
            piece = carry + piece
            cut = max(piece.rfind(HOLD_OPEN), piece.rfind("\ue002"))
            if cut >= 0 and piece.find(HOLD_CLOSE if piece[cut] == HOLD_OPEN else "\ue003",
                                       cut) < 0:
                piece, carry = piece[:cut], piece[cut:]
            else:
                carry = ""
            if piece:
                yield from self._unspool(_HELD.sub(back, piece), change)
        if carry:
            yield from self._unspool(_HELD.sub(back, carry), change)

    def _unspool(self, text: str, change: Callable[[str], str] | None) -> Iterator[str]:
        if not self.spools:
            yield text
            return
        start = 0
        for m in self._marks.finditer(text):
            yield text[start:m.start()]
            for piece in self.spools.pop(m.group()).pieces():
                yield change(piece) if change is not None else piece
            start = m.end()
        yield text[start:]


_STAND_IN_CHARS = re.compile("[\ue000\ue001]")


def _read_back(text: str, long_blanks: tuple[tuple[int, Any], ...]) -> str:
    """``text`` with its long blank lines whole again (the rare case where a stand-in is
    not inside one span)."""
    parts = []
    at = 0
    for offset, blank in long_blanks:
        parts.append(text[at:offset])
        parts.extend(blank.spool.pieces())
        at = offset + blank.width
    parts.append(text[at:])
    return "".join(parts)


def _inert(text: str) -> bool:
    """Printable ASCII without spaces (most URLs and link destinations): no step changes
    such text, so it is left in place rather than held (less memory on link-heavy text)."""
    return text.isascii() and text.isprintable() and " " not in text and "\\" not in text


# -- HTML or Markdown ------------------------------------------------------------------------

_HEAD = 1 << 14  # the part of a body that decides its kind (the same whole or streamed)
# Characters that survive ``normalize`` (not spaces, invisible or control characters), so
# that a body's kind does not change when it is normalized.
_NOT_SPACE = re.compile("[^\\s\u200b-\u200f\u2060\u00ad\ufeff\x00-\x1f\x7f-\x9f]")
_MD_EVIDENCE = frozenset(["bullet_list_open", "ordered_list_open", "blockquote_open",
                          "table_open"])
# Code spans, autolinks, inline links; the ``[title](url)`` prelude of scraped posts is a
# heading, not a paragraph, so it is no evidence.
_INLINE_EVIDENCE = re.compile(r"`[^`\n]+`|<[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*>|\]\(")


# Markdown that changes what the steps must keep: code (fenced, indented, spans), nested
# or continued list items, quotes, tables, autolinks, links, reference definitions, math,
# template tags. A text with none of it is cleaned the same way as plain text or as
# Markdown, so the block parse (a millisecond or more a post) is skipped. Each pattern
# starts with a literal character, which the regex engine finds fast.
_MARKDOWN_LINES = re.compile(
    r"\n {0,3}(?:```|~~~|>|\|.*\||\[[^\]\n]+\]:)|(?:\A|\n[ \t]*)\n(?: {4}|\t)[ \t]*\S"
    r"|\n[ \t]+(?:[-*+]|\d{1,9}[.)])[ \t]|\n[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]*(?:\r?\n|\Z)"
    r"|\n(?:[-*+]|\d{1,9}[.)])[ \t][^\n]*\n[ \t]+\S")
_CODE_SPAN = re.compile(r"`[^`\n]+`")
_AUTOLINK_START = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]{1,31}:")
_MATH = re.compile(r"\$[^\s$][^$\n]*[^\s\\$]\$(?!\d)|\$[^\s$]\$(?!\d)")


def _has_markdown_syntax(text: str) -> bool:
    return bool(
        "](" in text or "{{" in text or "{%" in text
        or ("`" in text and _CODE_SPAN.search(text))
        or ("<" in text and _AUTOLINK_START.search(text))
        or ("$" in text and _MATH.search(text))
        or _MARKDOWN_LINES.search("\n" + text))


def _head_of(body: str) -> str:
    if len(body) <= _HEAD:
        return body
    cut = body.rfind("\n", 0, _HEAD)
    return body[: cut + 1] if cut > 0 else body[:_HEAD]


_FENCE_ANYWHERE = re.compile(r"^ {0,3}(?:```|~~~)", re.MULTILINE)
_TAG_FIRST = re.compile(r"(?:[ \t]*\r?\n)*([ \t]*)<[A-Za-z!?/]")


_LOOK = 8192
# A whole page: a doctype, an XML declaration or <html> first (after blank lines, a BOM or
# comments).
_PAGE_START = re.compile(r"\ufeff?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s|\?xml\s|html[\s>])",
                         re.IGNORECASE | re.DOTALL)


def _mostly_html_lines(head: str) -> bool:
    """A cheap first look: with no code fence, do the paragraphs that start with a tag (an
    HTML block runs to a blank line) hold three quarters of the start of the body? Then
    the block parse would find the HTML share above one half too; it is skipped (scraped
    bodies are nearly all this, and the parse costs a millisecond or more). Lengths, not
    visible characters, and blank lines without spaces: a rough look, cheap on purpose (a
    body it cannot settle goes to the parse)."""
    if len(head) > _LOOK:  # the start of a page tells
        cut = head.rfind("\n", 0, _LOOK)
        head = head[: cut + 1] if cut > 0 else head[:_LOOK]
    if "<" not in head or (("```" in head or "~~~" in head) and _FENCE_ANYWHERE.search(head)):
        return False
    html = 0
    page = False  # has a tag started a line (with at most 3 spaces before it)?
    for part in head.split("\n\n"):
        tag = _TAG_FIRST.match(part)
        if tag and len(tag.group(1).expandtabs(4)) < 4:
            page = True
        if tag and page and not ("`" in part and _CODE_SPAN.search(part)):
            html += len(part)  # deeper tags count after one such: a prettified page, not code
        elif "`" in part or "]:" in part or ("<" in part and _AUTOLINK_START.search(part)):
            return False  # maybe code outside the HTML: the block parse decides
    return html * 4 >= len(head) * 3


# Invisible characters and full-width spaces before a tag at a line's start, which
# ``normalize`` removes: the kind is decided as if they were gone, so that normalizing a
# body does not change its kind (a lone "\u200b<div>" line is a paragraph, "<div>" HTML).
_HIDDEN_TAG_START = re.compile("^([ \t]*)[\u200b\u2060\u00ad\ufeff\u3000]+(?=[ \t]*<)",
                               re.MULTILINE)


def is_markdown(body: str) -> bool:
    """Whether ``body`` is Markdown (maybe with HTML islands) rather than an HTML body.

    HTML when it is a whole page (a doctype or ``<html>`` first). Markdown when it has
    code outside HTML (fences, code spans), autolinks or link reference definitions,
    whatever else it holds. Otherwise HTML when HTML blocks hold at
    least half of the visible characters (a scraped post's ``[title](url)`` prelude above
    its HTML is still HTML), and Markdown when it shows indented code, lists, quotes,
    tables, links or at least two blocks of text. Decided on the first 16 KB, so a
    streamed body gets the same answer.

    >>> is_markdown("<!--1-->\\n[Title](https://x.org/a)\\n------\\n\\n<div><p>Text</p></div>\\n")
    False
    >>> is_markdown("# Title\\n\\nSome `code` here.\\n")
    True
    """
    head = _head_of(body)
    if "\u200b" in head or "\u3000" in head or "\u2060" in head or "\u00ad" in head \
            or "\ufeff" in head:
        head = _HIDDEN_TAG_START.sub(r"\1", head)
    if _PAGE_START.match(head) or _mostly_html_lines(head) or not _has_markdown_syntax(head):
        return False  # nothing Markdown reads otherwise than plain text does, or HTML
    lines = LINE.findall(head)
    html = indented_html = 0
    text_blocks = 0
    code = structure = False  # code: Markdown whatever the HTML around it
    covered: set[int] = set()
    tokens = block_parser().parse(head)
    for i, tok in enumerate(tokens):
        if tok.type == "html_block" and tok.level == 0 and tok.map:
            html += len(_NOT_SPACE.findall("".join(lines[tok.map[0] : tok.map[1]])))
        elif tok.type in _CODE_BLOCKS:
            if tok.type == "code_block" and tok.content.lstrip().startswith("<") and tok.map:
                # Indented HTML: a prettified page with blank lines, or code showing HTML
                # in a Markdown post; told apart below by the HTML around it.
                indented_html += len(_NOT_SPACE.findall("".join(lines[tok.map[0]:tok.map[1]])))
            elif _NOT_SPACE.search(tok.content):
                # A fence is Markdown whatever surrounds it; an indented block may be a
                # prettified page's text after a blank line, so it only counts as structure.
                if tok.type == "fence":
                    code = True
                else:
                    structure = True
        elif tok.type in _MD_EVIDENCE:
            structure = True
        elif tok.type == "inline" and tok.level == 1 and _NOT_SPACE.search(tok.content):
            text_blocks += 1
            if tokens[i - 1].type == "paragraph_open":
                found = _INLINE_EVIDENCE.search(tok.content)
                if found:
                    code = code or found.group()[0] in "`<"
                    structure = True
        if tok.map and tok.type in _LEAVES:
            covered.update(range(*tok.map))
    # Link reference definitions: lines that no block holds.
    if any(line.strip() and k not in covered and not _MARKERS_ONLY.match(line)
           for k, line in enumerate(lines)):
        code = True
    total = len(_NOT_SPACE.findall(head))
    # Indented HTML is code showing HTML when prose is around it and it is not most of the
    # body; otherwise a page indented past three spaces.
    if code or (indented_html and text_blocks and (html + indented_html) * 2 < total):
        return True
    if not total or (html + indented_html) * 2 >= total:
        return False
    return structure or text_blocks >= 2
