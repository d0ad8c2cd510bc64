"""The scans under the Markdown body model (``cleantext.markdown_body``): opaque inline
spans found left to right, and a body cut into chunks that no block spans.

Both run in time linear in the text: a closer looked for once is remembered
(``_Finder``), code-span closers are indexed by length, and inline constructs are bounded
in length.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from cleantext.markdown_chunker import CHUNK, Chunker

# markdown-it's own line breaks: CRLF, a lone CR, LF.
LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")

# -- the block parser ------------------------------------------------------------------------

_PARSER: Any = None


def block_parser() -> Any:
    """markdown-it-py's block parser (CommonMark, GFM tables), without its inline parser:
    the inline kinds are found by ``inline_opaque``."""
    global _PARSER
    if _PARSER is None:
        from markdown_it import MarkdownIt

        parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
        parser.disable("inline")
        _PARSER = parser
    return _PARSER


_LONG_BLANK = 64
_BLANK_LINE = re.compile(r"[ \t]*(\r\n?|\n)?\Z")


def shortened_blank(line: str) -> str:
    """A blank line (spaces and tabs only) cut to its first few characters and its line
    end: the same blank line to the block parser, which would walk it character by
    character; any other line as it is.

    >>> shortened_blank("\\t" * 100 + "\\r\\n")
    '\\t\\t\\t\\t\\t\\t\\t\\t\\r\\n'
    >>> shortened_blank(" " * 100 + "x\\n") == " " * 100 + "x\\n"
    True
    """
    m = _BLANK_LINE.match(line)
    return line[:8] + (m.group(1) or "") if m else line


def parse_lines(lines: list[str], opener: str = "") -> list[Any]:
    """The block parser's tokens for ``lines`` (a long blank line seen shortened). With
    ``opener`` (``Chunk.opener``), the lines are parsed after it, as the rest of the block
    it opens, and the tokens' line maps leave it out (a block that starts in it starts at
    line 0)."""
    text = "".join(shortened_blank(line) if len(line) > _LONG_BLANK else line for line in lines)
    if not opener:
        return block_parser().parse(text)
    tokens = block_parser().parse(opener + text)
    for tok in tokens:
        if tok.map is not None:
            tok.map = [max(tok.map[0] - 1, 0), max(tok.map[1] - 1, 0)]
    return tokens


class Chunk(str):
    """A chunk of a Markdown body that a forced cut (``markdown_cuts``) started inside a
    paragraph of a top-level list item or inside an HTML block: ``opener`` is a first line
    for that block (the item's marker and indentation, then "x"; "<div>"), which the block
    parser reads before the chunk's lines so that it sees them as it would uncut. Empty for
    any other chunk."""

    opener = ""
    # Where the chunk's long blank lines stand (``LongBlank``): (offset, stand-in) pairs.
    long_blanks: tuple[tuple[int, LongBlank], ...] = ()


def with_opener(text: str, opener: str) -> str:
    if not opener:
        return text
    chunk = Chunk(text)
    chunk.opener = opener
    return chunk


def joined(lines: list[str], opener: str) -> str:
    """The chunk of ``lines``: their text, with its ``opener`` and ``long_blanks``."""
    text = "".join(lines)
    blanks = []
    at = 0
    for line in lines:
        if isinstance(line, LongBlank):
            blanks.append((at, line))
        at += len(line)
    if not blanks:
        return with_opener(text, opener)
    chunk = Chunk(text)
    chunk.opener = opener
    chunk.long_blanks = tuple(blanks)
    return chunk


# A blank line (spaces and tabs) longer than this, in a body read in pieces, waits in a
# ``BlankSpool`` and stands in its chunk as a short blank line (``LongBlank``).
LONG_BLANK_AFTER = 1 << 20
# A line longer than this that is not blank may be cut inside (``chunk_stream``'s
# ``line_cut``).
LONG_LINE_AFTER = 1 << 20
_STAND_IN_BLANK = 8  # characters of a long blank line that stand for it


class _TextFile:
    """Text kept in a temporary file (in memory up to a few megabytes) and read back once,
    in pieces (``pieces``)."""

    def __init__(self) -> None:
        import tempfile

        # surrogatepass: invalid input bytes, kept as lone surrogates, round-trip too.
        self.file = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed by ``pieces``
            max_size=4 << 20, mode="w+", encoding="utf-8", errors="surrogatepass", newline="")

    def pieces(self) -> Iterator[str]:
        """The text written, in pieces (a CRLF is never cut in two); the file is closed."""
        self.file.seek(0)
        while block := self.file.read(CHUNK * 4):
            if block.endswith("\r"):
                block += self.file.read(1)
            yield block
        self.file.close()


class BlankSpool(_TextFile):
    """The spaces and tabs of a long blank line, without its line end; ``head``: its first
    few characters, ``length``: its length."""

    def __init__(self) -> None:
        super().__init__()
        self.head = ""
        self.length = 0

    def add(self, text: str) -> None:
        self.length += len(text)
        if len(self.head) < _STAND_IN_BLANK:
            self.head = (self.head + text[:_STAND_IN_BLANK])[:_STAND_IN_BLANK]
        self.file.write(text)


class LongBlank(str):
    """A long blank line's stand-in in a chunk of ``chunk_stream``: its first characters and
    its line end, a blank line to the block parser as the whole line would be. ``spool``
    holds the whole line but for its line end; ``Holder.hold_pieces`` gives it back, to the
    step when it is prose, at release when it is code."""

    spool: BlankSpool
    size: int  # of the whole line

    @property
    def width(self) -> int:
        """The stand-in's length but for its line end: what its spool's text replaces."""
        return len(self.spool.head)

    @classmethod
    def of(cls, line: str, spool: BlankSpool) -> LongBlank:
        blank = cls(line)
        blank.spool = spool
        blank.size = spool.length + len(line) - len(spool.head)
        return blank


class CutLine(str):
    """What ``Chunker`` sees of a line cut inside (``chunk_stream``'s ``line_cut``) when its
    end comes: its first characters, a letter for the rest (which starts with one) and its
    line end; ``size`` is the whole line's, so chunks are cut at the lines they would be."""

    size: int


# -- the inline scan -------------------------------------------------------------------------

_INLINE_START = re.compile(r"\\[!-/:-@\[-`{-~]|`+|<|\$|\{[{%]|\]\(|\bhttps?://|\bwww\.")
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*>"
                       r"|<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-.]*)>")
# CommonMark's raw HTML (open and closing tags, comments, declarations, instructions, CDATA).
_ATTR = r"""(?:\s+[A-Za-z_:][\w.:\-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)"""
_HTML_TAG = re.compile(
    r"<[A-Za-z][A-Za-z0-9\-]*" + _ATTR + r"*\s*/?>|</[A-Za-z][A-Za-z0-9\-]*\s*>"
    r"|<!---->|<!--(?:-?[^>\-])(?:-?[^\-])*-->|<\?.*?\?>|<![A-Za-z]+[^>]*>"
    r"|<!\[CDATA\[.*?\]\]>", re.DOTALL)
_DESTINATION = re.compile(r"<[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))+")
# A raw URL ends at whitespace, quotes, angle brackets and CJK punctuation (Chinese text
# puts a link right before "，" with no space).
_RAW_URL = re.compile("(?:https?://|www\\.)[^\\s\"'<>，。、；：！？「」『』（）《》【】\u3000]*")
_URL_TRAIL = ".,:;!?'\"*_~"
_TEMPLATE_CLOSERS = {"{{<": ">}}", "{{%": "%}}", "{%": "%}", "{{": "}}"}
_MAX_CONSTRUCT = 4096  # an inline tag or destination longer than this is not one
# A code span or an inline template tag longer than this is not one: what a line holds is
# decided by the text at most this far after it (``forced_cut`` in markdown_body uses it).
MAX_SPAN = 1 << 16


class _Finder:
    """``str.find`` for one needle from increasing positions, in linear total time: a found
    place is reused until passed, and a failure is final."""

    def __init__(self, text: str, needle: str) -> None:
        self.text, self.needle, self.found = text, needle, -2

    def next(self, pos: int) -> int:
        if self.found == -1 or self.found >= pos:
            return self.found
        self.found = self.text.find(self.needle, pos)
        return self.found


def inline_opaque(text: str, base: int, out: list[tuple[int, int]],
                  tags: list[tuple[int, int]] | None = None) -> None:
    """Append the opaque inline intervals of one block's source ``text`` (offsets + base),
    and to ``tags`` if given those of its inline HTML tags (prose, but skipped whole)."""
    runs: dict[int, list[int]] | None = None
    finders: dict[str, _Finder] = {}
    pos = 0
    n = len(text)
    while True:
        m = _INLINE_START.search(text, pos)
        if m is None:
            return
        start = m.start()
        token = m.group()
        c = token[0]
        end = 0
        if c == "\\":
            pos = m.end()  # an escaped character (a backtick's run may go on and open)
            continue
        if c == "`":
            if runs is None:
                runs = {}
                for r in re.finditer(r"`+", text):
                    runs.setdefault(len(r.group()), []).append(r.start())
            length = len(token)
            starts = runs.get(length, ())
            i = bisect_right(starts, start)  # type: ignore[arg-type]
            # The closer: the next run of exactly this length (a run that begins inside this
            # opener's run cannot be one; runs were found on the whole text).
            while i < len(starts) and starts[i] < m.end():
                i += 1
            if i < len(starts) and starts[i] - start <= MAX_SPAN:
                end = starts[i] + length
            else:
                pos = m.end()  # no closer: the backticks are text
                continue
        elif c == "<":
            a = _AUTOLINK.match(text, start, min(n, start + _MAX_CONSTRUCT))
            if a:
                end = a.end()
            else:
                t = _HTML_TAG.match(text, start, min(n, start + _MAX_CONSTRUCT))
                pos = t.end() if t else start + 1  # inline HTML is prose for the steps
                if t and tags is not None:
                    tags.append((base + start, base + pos))
                continue
        elif c == "$":
            end = _math_end(text, start)
            if not end:
                pos = start + 1
                continue
        elif c == "{":
            opener = "{{<" if text.startswith("{{<", start) else (
                "{{%" if text.startswith("{{%", start) else token)
            closer = _TEMPLATE_CLOSERS[opener]
            finder = finders.get(closer)
            if finder is None:
                finder = finders[closer] = _Finder(text, closer)
            found = finder.next(start + len(opener))
            if found < 0 or found - start > MAX_SPAN:
                pos = start + len(opener)
                continue
            end = found + len(closer)
        elif c == "]":
            d = _DESTINATION.match(text, start + 2, min(n, start + 2 + _MAX_CONSTRUCT))
            if d is None or d.end() == d.start():
                pos = start + 2
                continue
            start, end = d.start(), d.end()
        else:  # a raw URL
            u = _RAW_URL.match(text, start, min(n, start + _MAX_CONSTRUCT))
            end = u.end() if u else start
            while end > start and text[end - 1] in _URL_TRAIL:
                end -= 1
            if end > start and text[end - 1] == ")" and \
                    text.count("(", start, end) < text.count(")", start, end):
                end -= 1
            if end - start <= len(token):
                pos = m.end()
                continue
        out.append((base + start, base + end))
        pos = end


def _math_end(text: str, start: int) -> int:
    """End of a ``$...$`` or ``$$...$$`` math span at ``start`` on its line (0 if none).

    Pandoc's rule: the opening ``$`` has a non-space after it, the closing one a non-space
    before it and no digit after it ("$5 and $10" is not math). At most ``MAX_SPAN`` long,
    like every span, so that a long line may be cut where no span crosses."""
    line_end = text.find("\n", start, start + MAX_SPAN)
    if line_end < 0:
        line_end = min(len(text), start + MAX_SPAN)
    if text.startswith("$$", start):
        close = text.find("$$", start + 2, line_end)
        if close > start + 2 and not ("<" in text[start:close]
                                      and _HTML_TAG.search(text, start, close)):
            return close + 2
        return 0
    if start + 1 >= line_end or text[start + 1] in " \t$":
        return 0
    close = text.find("$", start + 1, line_end)
    if close < 0 or text[close - 1] in " \t\\" or text[close + 1 : close + 2].isdigit():
        return 0
    if "<" in text[start:close] and _HTML_TAG.search(text, start, close):
        return 0  # "$" in two code elements: the tags between are HTML, not math
    return close + 1


# -- chunks ----------------------------------------------------------------------------------

# A fenced code block's lines past this much of its chunk go to a ``Spool``.
SPOOL_AFTER = 1 << 20
# A chunk this long with no place to cut it is cut inside a block where that changes
# nothing (``Holder.chunks``); tried again when it has grown by as much after a cut, or
# has doubled after a failed try.
CUT_AFTER = 1 << 18
# What may end a math block or a paired template tag around a fence.
PAIRED = re.compile(r"\$\$|\{[{%]")
_FENCE_LIKE = re.compile(r" {0,3}(?:`{3,}|~{3,})")
_UNDERLINE_LIKE = re.compile(r"[ \t]*[|:=\-][ \t|:=\-]*(?:\r\n?|\n)?\Z")  # table delimiter row
PAIRED_LOOKAHEAD = 5000  # lines ``markdown_body`` looks ahead for a closing tag or $$


def _spoolable(line: str) -> bool:
    """Whether a line inside a fence may go to a spool: not if it could end a block around
    it (a fence, a math block, a paired template tag) or make a table of the line before
    it, in case the block parser sees the blocks otherwise than ``Chunker`` does; so the
    blocks are the same with the spool and without it."""
    return not (_FENCE_LIKE.match(line) or PAIRED.search(line) or _UNDERLINE_LIKE.match(line))


class Spool(_TextFile):
    """The inside of a long fenced code block, kept in a temporary file (in memory up to a
    few megabytes) and stood for in its chunk by one line: the fence's indentation (which
    keeps the line inside a list item's fence), ``mark`` and the inside's last line end. No
    step changes code, so only that line goes through the steps, and ``pieces`` gives the
    code back, without that indentation, when the output is written."""

    def __init__(self, mark: str, indent: str) -> None:
        super().__init__()
        self.mark = mark
        self.indent = indent
        self.last = ""  # the line written last, but for its line end (``ending``)
        self.ending = ""

    def add(self, line: str) -> None:
        self.file.write(self.last + self.ending)
        body = line.rstrip("\r\n")
        self.last, self.ending = body, line[len(body):]
        if isinstance(line, LongBlank):  # the whole blank line, from its own spool
            for block in line.spool.pieces():
                self.file.write(block)
            self.last = ""

    def close(self) -> str:
        """Write the last line but for its line end; the line that stands for the spool."""
        self.file.write(self.last)
        self.last = ""
        return self.indent + self.mark + self.ending


def chunk_stream(pieces: Iterable[str],
                 new_spool: Callable[[str], Spool] | None = None,
                 force_cut: Callable[[list[str], str], tuple[int, str]] | None = None,
                 line_cut: Callable[[list[str], str, str], int] | None = None,
                 ) -> Iterator[str]:
    """A text given as pieces split anywhere, regrouped into the chunks ``chunk_texts``
    gives for the whole text. With ``new_spool``, the lines of a fenced code block past
    ``SPOOL_AFTER`` characters of its chunk go to a spool, so a long block holds no memory
    to speak of; the chunk holds the line that stands for them (``Spool.close``). A spool
    starts at a line that is not blank and has the fence's indentation, and takes the
    lines that follow while they are blank or so indented (inside a list item, a line
    indented less could end the item, and with it the block). With ``force_cut``, a chunk
    past ``CUT_AFTER`` characters is cut before the line it names, if any, and the chunk
    after it has the ``Chunk.opener`` it names. With ``line_cut``, a line that is not blank
    and has grown past ``LONG_LINE_AFTER`` characters without ending may be cut inside: the
    chunk ends at the place it names in the line's start (``force_cut`` for a line)."""
    chunker = Chunker()
    chunk: list[str] = []
    opener = ""  # the chunk's ``Chunk.opener``
    size = 0  # of ``chunk``
    spool: Spool | None = None
    blanks: list[str] = []  # blank lines after the spool's last, held until a line comes
    blank_size = 0
    next_try = CUT_AFTER  # the chunk size at which to look for a forced cut
    carry = ""
    more: list[str] = []  # pieces of the carried line, joined once its end comes

    def take(line: str, seen: str | None = None) -> Iterator[str]:
        """Add a line to the chunk (``seen``: what the chunker sees of it, if not the line)."""
        nonlocal chunk, size, spool, blank_size, next_try, opener
        inside = bool(chunker.fence)
        if chunker.cut_before(line if seen is None else seen) and chunk:
            yield joined(chunk, opener)
            chunk, size, next_try, opener = [], 0, CUT_AFTER, ""
        if inside and chunker.fence and new_spool is not None:
            indent = chunker.fence_indent
            if spool is None and size >= SPOOL_AFTER and line.startswith(indent) \
                    and line.strip(" \t\r\n") and _spoolable(line) \
                    and not any(map(PAIRED.search, chunk[-PAIRED_LOOKAHEAD:])):
                # (no math block or paired tag may open before and close after the spool)
                spool = new_spool(indent)
                spool.add(line[len(indent):])
                return
            if spool is not None and not line.strip(" \t\r\n"):
                # Blank lines go to the spool only when a line of the block follows them:
                # at the text's end, a block left open ends before its last blank lines.
                blanks.append(line)
                blank_size += len(line)
                if blank_size > CHUNK:
                    add_blanks(spool)
                return
            if spool is not None and line.startswith(indent) and _spoolable(line):
                add_blanks(spool)
                spool.add(line)
                return
        if spool is not None:  # the fence closes, or a line ends the spool
            close_spool()
        chunk.append(line)
        size += len(line)
        if force_cut is not None and size >= next_try and not chunker.fence \
                and not chunker.html_end:
            k, after = force_cut(chunk, opener)
            if k:
                yield joined(chunk[:k], opener)
                chunk, opener = chunk[k:], after
                size = sum(map(len, chunk))
                next_try = size + CUT_AFTER
            else:  # tried again at twice the size: a block held whole is parsed O(1) times
                next_try = max(2 * size, size + CUT_AFTER)

    def add_blanks(spool: Spool) -> None:
        nonlocal blank_size
        for blank in blanks:
            spool.add(blank)
        blanks.clear()
        blank_size = 0

    def close_spool() -> None:
        nonlocal spool, size, blank_size
        chunk.append(spool.close())  # type: ignore[union-attr]
        chunk.extend(blanks)
        size += blank_size
        blanks.clear()
        blank_size = 0
        spool = None

    # A long blank line is read into a ``BlankSpool`` (only when reading for a ``Holder``,
    # which gives it back): ``long_blank`` while its end has not come, then ``ended``
    # until its stand-in, taken as a line, goes to the chunk as a ``LongBlank``.
    long_blank: BlankSpool | None = None
    ended: BlankSpool | None = None
    blank_so_far = True  # whether ``carry`` and ``more`` are spaces and tabs only
    more_size = 0
    next_line_try = LONG_LINE_AFTER  # the length of a line's start at which to try a cut
    cut_line: CutLine | None = None  # of the line cut inside, while its end has not come

    def seen(line: str) -> str | None:
        """What the chunker sees of a line that ends now: of a line cut inside, a ``CutLine``."""
        nonlocal cut_line
        if cut_line is None:
            return None
        view = CutLine(cut_line + line[len(line.rstrip("\r\n")):])
        view.size = cut_line.size + len(line)
        cut_line = None
        return view
    for piece in pieces:
        if long_blank is not None:
            n = len(piece) - len(piece.lstrip(" \t"))
            if n == len(piece):
                long_blank.add(piece)
                continue
            if piece[n] in "\r\n":  # the line ends: a short blank line stands for it
                long_blank.add(piece[:n])
                piece = long_blank.head + piece[n:]
                ended = long_blank
            else:  # not blank after all: the line is read back, to be held whole
                more, more_size = list(long_blank.pieces()), 0
                blank_so_far = False
            long_blank = None
        if "\n" not in piece and "\r" not in piece and not carry.endswith("\r"):
            more.append(piece)  # no line ends: a long line is not scanned again each piece
            more_size += len(piece)
            blank_so_far = blank_so_far and not piece.strip(" \t")
            if blank_so_far and new_spool is not None and ended is None \
                    and len(carry) + more_size > LONG_BLANK_AFTER:
                long_blank = BlankSpool()
                for text in (carry, *more):
                    long_blank.add(text)
                carry, more, more_size = "", [], 0
        else:
            carry = "".join([carry, *more, piece]) if carry or more else piece
            more, more_size = [], 0
            end = 0
            for m in LINE.finditer(carry):  # one line at a time: a piece may be the whole text
                line = m.group()
                if m.end() == len(carry) and not line.endswith("\n"):
                    break  # the last line may go on in the next piece (a CR: half a CRLF?)
                if ended is not None:
                    line, ended = LongBlank.of(line, ended), None
                yield from take(line, seen(line))
                end = m.end()
            carry = carry[end:]
            blank_so_far = not carry.strip(" \t")
            if end:
                next_line_try = LONG_LINE_AFTER
        # (not before the line's start is as long as the chunk before it, which is parsed
        # with it: each line costs O(its length) in tries, however long the chunk)
        if line_cut is not None and not blank_so_far \
                and len(carry) + more_size >= max(next_line_try, size) \
                and spool is None and not carry.endswith("\r") \
                and not (chunker.fence or chunker.html_end or chunker.html_to_blank):
            head = "".join([carry, *more])
            k = line_cut(chunk, opener, head)
            if k:
                yield joined([*chunk, head[:k]], opener)
                chunk, size, next_try, opener = [], 0, CUT_AFTER, ""
                if cut_line is None:
                    cut_line = CutLine(head[:min(k, 256)] + "x")
                    cut_line.size = 0
                cut_line.size += k
                head = head[k:]
            carry, more, more_size = head, [], 0
            # Tried again once as much has come after a cut, or the line has doubled.
            next_line_try = len(head) + LONG_LINE_AFTER if k else 2 * len(head)
    if long_blank is not None:
        carry, ended = long_blank.head, long_blank
    carry = "".join([carry, *more])
    if carry:
        yield from take(LongBlank.of(carry, ended) if ended is not None else carry, seen(carry))
    if spool is not None:
        close_spool()
    if chunk:
        yield joined(chunk, opener)


def chunk_texts(text: str) -> Iterator[str]:
    """``text`` in parts cut where no Markdown block spans the cut (one part if small)."""
    return chunk_stream((text,))
