"""normalize: whitespace, invisible characters, line endings and character width.

Safe for Chinese: full-width CJK punctuation (，。！？：；（）「」) is never touched unless
``width="all"`` or ``nfkc=True`` asks for it. Each rule can be switched off by naming it in
``keep`` (see ``RULES``). The body is processed in pieces (``normalize_pieces``), so a huge
file needs memory for one piece and a bounded part of one line (an overlong line is cut where
no rule looks across; a run of blanks whose fate waits on its line's end is held compressed);
the in-memory path is the same code run on one piece, so both give the same result.

>>> normalize_text("　　中文，ＡＢＣ１２３！\\r\\n\\r\\n\\r\\n\\u200bnext  line ")
'中文，ABC123！\\n\\nnext line\\n'
"""

from __future__ import annotations

import functools
import re
import tempfile
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from cleantext.document import Document
from cleantext.registry import Param, Step

RULES = {
    "unicode-spaces": "U+3000, NBSP and other space separators become an ASCII space",
    "invisible": "zero-width characters, soft hyphens and inner BOMs are removed",
    "controls": "control characters other than tab and newline are removed",
    "line-endings": "CRLF, CR, U+2028 and U+2029 become LF",
    "indent": "spaces and tabs at the start and end of lines are removed",
    "space-runs": "runs of spaces inside a line become one space",
    "blank-lines": "blank-line runs become one blank line, none at the start, one newline at the end",
}
WIDTHS = ("alnum", "all", "none")

_UNICODE_SPACES = "\u3000\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
# U+200C/U+200D (ZWNJ/ZWJ) are kept: emoji sequences and some scripts need them.
_INVISIBLE = "\u200b\u2060\u00ad\ufeff"
_CONTROLS = "".join(chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20),
                                      *range(0x7F, 0xA0)))
_FULLWIDTH = {
    "alnum": [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)],
    "all": list(range(0xFF01, 0xFF5F)),
    "none": [],
}
# The characters common in scraped text are replaced with str.replace (memchr speed); the rest
# of the odd characters are found by one character-class scan (see _plan).
_FREQUENT = ("\u3000", "\u00a0", "\u200b")
_SPACE_RUNS = re.compile("  +")  # a literal prefix: much faster to scan than " {2,}"
_BLANK_RUNS = re.compile("\n\n\n+")
_INDENTS = re.compile("\n[ \t]+")
_SPACE_BEFORE_LF = re.compile(" \n")  # faster than str.replace for a two-character pattern
_CR = re.compile("\r\n?")
# Only used with --keep line-endings, where CR may precede LF.
_LINE_EDGES = re.compile(r"[ \t]*(\r?\n)[ \t]*")
_LINE_END_KEEPING_CR = re.compile(r"[ \t\r]*[ \t][ \t\r]*\n")


def _only_crs(match: re.Match[str]) -> str:
    return "\r" * match.group().count("\r") + "\n"
# Where a line can be cut (between pieces) when it is longer than this.
_MAX_CARRY = 1 << 20
# Characters the rules run over at a time: their passes then work in the CPU's cache. Parts
# of 64 K characters made a 50 MB file 20% faster than megabyte pieces did.
_GROUP = 1 << 16


class _Plan(NamedTuple):
    """What ``_rules`` does for one combination of options, worked out once."""

    line_endings: bool
    replace: tuple[tuple[str, str], ...]  # (char, replacement) done with str.replace
    odd: re.Pattern[str] | None  # one scan for the other characters to map or delete
    table: dict[int, str | None]  # how ``odd`` matches are translated
    # For text with no character past U+00FF: the odd characters left after ``replace``, all
    # deleted (None: some of them is mapped to a character instead).
    latin1: bytes | None
    nfkc: bool
    indent: bool
    space_runs: bool
    blank_lines: bool


@functools.lru_cache(maxsize=64)
def _plan(keep: frozenset[str], width: str, nfkc: bool) -> _Plan:
    # Compiled on first use, not at import: big character classes are slow to compile and
    # ``cleantext --help`` imports this module.
    table: dict[int, str | None] = {}
    if "controls" not in keep:
        table.update(dict.fromkeys(map(ord, _CONTROLS)))
    if "invisible" not in keep:
        table.update(dict.fromkeys(map(ord, _INVISIBLE)))
    if "unicode-spaces" not in keep:
        table.update(dict.fromkeys(map(ord, _UNICODE_SPACES), " "))
    table.update({cp: chr(cp - 0xFEE0) for cp in _FULLWIDTH[width]})
    if "line-endings" not in keep:
        table.update({0x2028: "\n", 0x2029: "\n"})
    replace = tuple((char, table[ord(char)] or "") for char in _FREQUENT if ord(char) in table)
    odd = None
    if table:
        chars = "".join(sorted(map(chr, table)))
        cls = "[" + re.escape(chars).replace("-", r"\-") + "]"
        # ``[c][c]*`` rather than ``[c]+``: a pattern that starts with a class is scanned for
        # that class's characters; one that starts with a repeat is tried at every position.
        odd = re.compile(cls + cls + "*")
    return _Plan(
        line_endings="line-endings" not in keep,
        replace=replace,
        odd=odd,
        table=table,
        latin1=_latin1_deletions(table, [char for char, _ in replace]),
        nfkc=nfkc,
        indent="indent" not in keep,
        space_runs="space-runs" not in keep,
        blank_lines="blank-lines" not in keep,
    )


def _latin1_deletions(table: dict[int, str | None], replaced: Iterable[str]) -> bytes | None:
    """The odd characters below U+0100 left after ``replaced``, if all are deleted."""
    low = {cp: new for cp, new in table.items() if cp < 0x100 and chr(cp) not in replaced}
    if any(new is not None for new in low.values()):
        return None
    return bytes(sorted(low))


def _odd_characters(text: str, plan: _Plan) -> str:
    """Map or delete the characters of ``plan.table`` (found by ``plan.odd``)."""
    if plan.latin1 is not None:
        try:
            # Fails at the first character past U+00FF: at once for Chinese text. For
            # English (and other Latin-1) text it is a copy, and bytes.translate then deletes
            # in one pass what the scan below finds six times slower (NBSP, the one such
            # character mapped to another, is in ``plan.replace``, done before this).
            data = text.encode("latin-1")
        except UnicodeEncodeError:
            pass
        else:
            kept = data.translate(None, plan.latin1)
            return text if len(kept) == len(data) else kept.decode("latin-1")
    table = plan.table
    return plan.odd.sub(lambda m: m.group().translate(table), text)  # type: ignore[union-attr]


def _trim_lines(text: str, line_start: bool) -> str:
    """Remove spaces and tabs around every LF (and at the start, if it starts a line).

    Splitting on the few places that need it is several times faster than a regular
    expression that has to try every space of the text.
    """
    if line_start:
        text = text.lstrip(" \t")
    for sep in (" \n", "\t\n"):
        if sep in text:
            text = "\n".join([part.rstrip(" \t") for part in text.split(sep)])
    if "\n " in text or "\n\t" in text:
        text = _INDENTS.sub("\n", text)  # starts with a literal: scanned at memchr speed
    return text


def _rules(text: str, plan: _Plan, line_start: bool) -> str:
    """All rules except the blank-line ones, on text made of whole lines (or a line's start).

    The step's time is the number of passes over the text, so there are few: a pass is
    skipped where a cheap ``in`` test shows it has nothing to do, and patterns start with a
    literal where they can (scanned much faster than a character class or a repeat).
    """
    if plan.line_endings and "\r" in text:
        text = _CR.sub("\n", text)  # U+2028 and U+2029 are in ``plan.odd``
    for char, new in plan.replace:
        text = text.replace(char, new)  # one scan when absent, as ``in`` would be
    if plan.odd is not None:
        text = _odd_characters(text, plan)
    if plan.nfkc:
        # After the deletions, so that removing an invisible character between a letter and
        # its accent cannot leave a composable pair for the next run (idempotence).
        text = unicodedata.normalize("NFKC", text)
    if plan.space_runs and "  " in text:  # before the line edges: see below
        text = _SPACE_RUNS.sub(" ", text)
    if plan.indent and plan.line_endings and plan.space_runs and "\t" not in text:
        # Space runs are single spaces now, so a line's edge holds at most one space. Two
        # patterns that start with a literal (scanned fast) remove them, in 40% less time
        # than splitting the text at every line end.
        if line_start:
            text = text.lstrip(" ")
        text = _INDENTS.sub("\n", _SPACE_BEFORE_LF.sub("\n", text))
    elif plan.indent:
        if plan.line_endings:
            text = _trim_lines(text, line_start)
        else:
            if line_start:
                text = text.lstrip(" \t")
            # CRs are kept, so spaces and tabs between or around them at a line's end go.
            if "\n" in text:  # both need one (a long run of blanks without is slow to try)
                text = _LINE_END_KEEPING_CR.sub(_only_crs, text)
                text = _LINE_EDGES.sub(lambda m: m.group(1), text)
    if plan.blank_lines and "\n\n\n" in text:
        text = _BLANK_RUNS.sub("\n\n", text)
    return text


def _line_groups(text: str) -> Iterator[str]:
    """``text`` in parts of at least ``_GROUP`` characters, each but the last ending in LF."""
    start = 0
    while len(text) - start > 2 * _GROUP:
        cut = text.find("\n", start + _GROUP) + 1
        if not cut:
            break
        yield text[start:cut]
        start = cut
    yield text[start:] if start else text


def _cut(buffer: str, line_endings: bool, start: int = 0) -> int:
    """Where to split ``buffer`` so the first part is whole lines (0: keep it all), looking
    for line ends from ``start`` on (there are none before it)."""
    lf = buffer.rfind("\n", start)
    if not line_endings:  # only LF ends a line for the other rules
        return lf + 1
    after = max(lf + 1, start)  # the other line ends only matter after the last LF
    cut = max(lf, buffer.rfind("\u2028", after), buffer.rfind("\u2029", after))
    cr = buffer.rfind("\r", after, len(buffer) - 1)  # a final CR may be half of a CRLF
    return max(cut, cr) + 1


def _composes_with_previous(char: str) -> bool:
    """Could NFKC join ``char`` to the character before it (accents, Hangul vowels/finals)?"""
    first = unicodedata.normalize("NFKD", char)[:1]
    return bool(first) and (
        unicodedata.combining(first) != 0
        or "\u1161" <= first <= "\u1175"  # Hangul medial vowels
        or "\u11a8" <= first <= "\u11c2"  # Hangul final consonants
    )


def _cut_inside_line(buffer: str, plan: _Plan | None = None,
                     blanks: _Blanks | None = None) -> int:
    """A place inside an overlong line where no rule looks across (0 if none found).

    Between two letters or digits: no space, line break or invisible character is involved,
    and (unless the second one could compose with the first under NFKC) each side
    normalizes on its own to what the whole would. Failing that (a flood with no letters:
    "-----", "……"), between two characters that ``plan`` neither maps nor deletes and that
    are no space, tab or line end: only NFKC could join them, and that is checked.
    """
    start = max(0, len(buffer) - 4096)
    for i in range(len(buffer) - 1, start, -1):
        a, b = buffer[i - 1], buffer[i]
        if a.isalnum() and b.isalnum() and not _composes_with_previous(b):
            return i
    if plan is None:
        return 0
    table = plan.table
    for i in range(len(buffer) - 1, start, -1):
        a, b = buffer[i - 1], buffer[i]
        if (a not in " \t\r\n" and b not in " \t\r\n" and ord(a) not in table
                and ord(b) not in table and not _composes_with_previous(b)
                and (blanks is None or (a not in blanks.chars and b not in blanks.chars))):
            return i
    return 0


class _Blanks(NamedTuple):
    """For one plan, the characters that end up a space or a tab or are deleted: what a line
    may be made of whose fate (kept, or gone as the end of its line) waits on what follows."""

    chars: str  # all of them
    deleted: str  # those deleted
    # A run of them, of them and CRs, and one character not deleted (str.strip with many
    # characters to strip is ten times slower than these on a megabyte).
    run: re.Pattern[str]
    run_or_cr: re.Pattern[str]
    kept: re.Pattern[str]


def _blanks(plan: _Plan) -> _Blanks:
    chars = {" ", "\t"}
    deleted = {chr(cp) for cp, new in plan.table.items() if new is None}
    chars.update(chr(cp) for cp, new in plan.table.items() if new in (" ", "\t"))
    if plan.nfkc:  # kept by the table, made spaces by NFKC (U+3000 with --keep unicode-spaces)
        chars.update(c for c in _UNICODE_SPACES if unicodedata.normalize("NFKC", c) == " ")
    chars |= deleted

    def cls(text: str, negate: bool = False) -> str:
        return "[" + "^" * negate + re.escape("".join(sorted(text))) + "]"

    return _Blanks("".join(sorted(chars)), "".join(sorted(deleted)),
                   re.compile(cls("".join(chars)) + "*"),
                   re.compile(cls("".join(chars) + "\r") + "*"),
                   re.compile(cls("".join(deleted), negate=True)) if deleted
                   else re.compile("[\\s\\S]"))


_LINE_ENDS = "\r\n\u2028\u2029"


def _solid(char: str, plan: _Plan, blanks: _Blanks) -> bool:
    """Does ``char`` come out as something other than a space, a tab, a line end or nothing,
    and not ending in a space (NFKC makes U+00A8 a space and an accent)?"""
    if char in blanks.chars or char in _LINE_ENDS:
        return False
    if plan.nfkc:
        new = unicodedata.normalize("NFKC", plan.table.get(ord(char), char) or "")
        return new[-1:] not in ("", " ", "\t")
    return True


def _cut_after_solid(buffer: str, plan: _Plan, blanks: _Blanks) -> int:
    """A place inside an overlong line right after a character ``_solid`` calls solid, before
    one the rules keep (deleted ones between are skipped) that is no line end and cannot be
    joined to it by NFKC (0 if none in the last 4 K). Every rule that looks across two
    characters looks at a space, tab or line end, or (NFKC) at a combining character: a cut
    there changes nothing ("- - - -", "-\t-\t", "，\u200b，" have no two solid neighbours)."""
    nxt = ""
    for i in range(len(buffer) - 1, max(0, len(buffer) - 4096) - 1, -1):
        char = buffer[i]
        if char in blanks.deleted:
            continue
        if (nxt and nxt not in _LINE_ENDS and _solid(char, plan, blanks)
                and not (plan.nfkc and _composes_with_previous(nxt))):
            return i + 1
        nxt = char
    return 0


def _cut_before_blank_end(buffer: str, plan: _Plan, blanks: _Blanks) -> int:
    """Where the run of blanks that ends an overlong line begins, if a solid character stands
    before it and a space or tab is in it (0 otherwise): the run longer than ``_cut_after_solid``
    looks, so that what is carried is the run alone."""
    start = len(buffer) - blanks.run.match(buffer[::-1]).end()  # type: ignore[union-attr]
    if not 0 < start < len(buffer) or not _solid(buffer[start - 1], plan, blanks):
        return 0
    if not blanks.kept.search(buffer, start):  # only deleted characters: NFKC may join the
        return 0  # solid one to what follows them (``_shrink_space_runs`` shortens them)
    return start


class _Held:
    """Blank text (spaces and tabs) held back mid-line until what follows says whether it
    ends the line (then it goes) or not (then it is written): compressed, and past a few
    megabytes in a temporary file, so that a line of tabs holds no memory to speak of."""

    def __init__(self) -> None:
        self.file = tempfile.SpooledTemporaryFile(max_size=4 << 20)  # noqa: SIM115 - closed when settled
        self.packer = zlib.compressobj(1)

    def add(self, text: str) -> None:
        self.file.write(self.packer.compress(text.encode("ascii")))

    def pieces(self) -> Iterator[str]:
        self.file.write(self.packer.flush())
        self.file.seek(0)
        unpacker = zlib.decompressobj()
        while True:
            data = unpacker.unconsumed_tail or self.file.read(1 << 16)
            out = unpacker.decompress(data, 1 << 16)
            if out:
                yield out.decode("ascii")
            elif not data:
                break
        self.file.close()

    def ends_line(self, after: str, plan: _Plan, blanks: _Blanks) -> bool:
        """Whether the held text ends its line, given the text that follows it (ended by a
        cut, so holding a decisive character, or the end of the text)."""
        if plan.line_endings:
            rest = after[blanks.run.match(after).end():][:1]  # type: ignore[union-attr]
            return not rest or rest in _LINE_ENDS
        # CRs kept: blanks go before CRs and blanks and an LF, or the text's end (where the
        # CRs keep them when the last line end is not made LF by the blank-lines rule).
        end = blanks.run_or_cr.match(after).end()  # type: ignore[union-attr]
        if end < len(after):
            return after[end] == "\n"
        return "\r" not in after or plan.blank_lines


def _shrink_space_runs(piece: str, plan: _Plan) -> str:
    """``piece`` with each run of spaces (and of what ``plan`` makes spaces or deletes) made
    as short as gives the same result: the space-runs rule makes any two spaces one, so a
    flood of spaces or U+3000 with no place to cut it (``_cut_inside_line``) stays small.
    A run cut between two parts shrunk apart is still one run when they are joined."""
    if not plan.space_runs:
        return piece
    spaces = " " + "".join(chr(cp) for cp, new in plan.table.items() if new == " ")
    deleted = "".join(chr(cp) for cp, new in plan.table.items() if new is None)
    cls = "[" + re.escape(spaces + deleted).replace("-", r"\-") + "]"

    def shorter(match: re.Match[str]) -> str:
        run = match.group()
        count = len(run) - len(run.translate(dict.fromkeys(map(ord, spaces))))
        return " " * min(count, 2) if count else run[0]

    return re.sub(cls + "{3,}", shorter, piece)


def normalize_pieces(
    pieces: Iterable[str],
    keep: Iterable[str] = (),
    width: str = "alnum",
    nfkc: bool = False,
) -> Iterator[str]:
    """Normalize a text given as pieces split anywhere; yields the normalized text's pieces.

    A Markdown body keeps its code, URLs, math and template tags as they are (only their
    line ends are unified) and the indentation that gives it structure; see
    ``_markdown_rules``."""
    keep = frozenset(keep)
    unknown = keep - RULES.keys()
    if unknown:
        raise ValueError(f"unknown rule {min(unknown)!r} (valid: {', '.join(RULES)})")
    if width not in WIDTHS:
        raise ValueError(f"unknown width {width!r} (valid: {', '.join(WIDTHS)})")
    plan = _plan(keep, width, nfkc)
    from cleantext.markdown_body import peek

    markdown, pieces = peek(pieces)
    if markdown:
        return _normalize_markdown(pieces, plan)
    return _normalize_pieces(pieces, plan)


def _normalize_markdown(pieces: Iterable[str], plan: _Plan) -> Iterator[str]:
    """The same rules on a Markdown body, with what must not change held out of them: its
    opaque spans (code, URLs, math, template tags; only their line ends are unified) and
    the indentation of list lines (which nests items and continues them)."""
    from cleantext.markdown_body import Holder

    def line_ends(code: str) -> str:
        return _CR.sub("\n", code) if plan.line_endings and "\r" in code else code

    holder = Holder(list_indents=True)
    held = (piece for chunk in holder.chunks(pieces) for piece in holder.hold_pieces(chunk))
    yield from holder.release_stream(_normalize_pieces(held, plan), line_ends)


def _normalize_pieces(pieces: Iterable[str], plan: _Plan) -> Iterator[str]:
    blank_lines = plan.blank_lines
    carry = ""
    shrunk = 0  # how much of ``carry`` is made of pieces already shrunk
    line_start = True  # does ``carry`` start at the start of a line?
    started = False  # has any text been written (no blank lines before it)?
    held = ""  # newlines at the end of what was written, held back until more text comes

    def emit(segment: str) -> Iterator[str]:
        nonlocal started, held
        if not blank_lines:
            yield segment
            return
        # Newlines at both ends counted without copying the segment (it can be megabytes).
        lead = len(segment) - len(segment.lstrip("\n")) if segment[:1] == "\n" else 0
        if lead == len(segment):
            held = (held + segment)[:2]
            return
        end = len(segment)
        while segment[end - 1] == "\n":
            end -= 1
        if started:
            yield "\n" * min(len(held) + lead, 2)
        yield segment[lead:end]
        started = True
        held = "\n" * min(2, len(segment) - end)

    blanks = _blanks(plan)
    waiting: _Held | None = None  # blanks of the current line, waiting on what follows

    def settle(after: str) -> Iterator[str]:
        """Write or drop the held blanks, now that ``after`` follows them."""
        nonlocal waiting
        if waiting is not None:
            if waiting.ends_line(after, plan, blanks):
                waiting.file.close()
            else:
                for text in waiting.pieces():
                    yield from emit(text)
            waiting = None

    for piece in pieces:
        # What is carried holds no line end (but maybe a final CR): look in the new text only.
        searched = max(len(carry) - 1, 0)
        carry += piece
        cut = _cut(carry, plan.line_endings, searched)
        inside = False
        if not cut and len(carry) > _MAX_CARRY:
            inside = True
            cut = (_cut_inside_line(carry, plan, blanks) or _cut_after_solid(carry, plan, blanks)
                   or _cut_before_blank_end(carry, plan, blanks))
            if not cut and blanks.run.fullmatch(carry):
                # A line (so far) of blanks only: at a line's start they go; elsewhere what
                # the rules make of them is written (or held, if trimmed at a line's end),
                # but for a last space, which stays carried to meet any that follow.
                if plan.indent and line_start:
                    carry = ""
                else:
                    text = _rules(carry, plan, False)
                    carry = ""
                    if plan.space_runs and text.endswith(" "):
                        text, carry = text[:-1], " "
                    if not plan.indent:
                        yield from emit(text)
                    else:
                        waiting = waiting or _Held()
                        waiting.add(text)
                shrunk = 0
            elif not cut:  # no place to cut (spaces): its space runs made short instead
                carry = carry[:shrunk] + _shrink_space_runs(carry[shrunk:], plan)
                shrunk = len(carry)
        if cut:
            segment, carry = carry[:cut], carry[cut:]
            shrunk = 0
            yield from settle(segment)
            for part in _line_groups(segment):
                yield from emit(_rules(part, plan, line_start))
                line_start = True
            line_start = not inside
    yield from settle(carry)
    *parts, rest = _line_groups(carry)
    for part in parts:
        yield from emit(_rules(part, plan, line_start))
        line_start = True
    last = _rules(rest, plan, line_start)
    if plan.indent:
        last = last.rstrip(" \t")
        if blank_lines and not plan.line_endings and last.endswith("\r"):
            # The final LF added below turns kept lone CRs into a CRLF line end.
            stripped = last.rstrip(" \t\r")
            last = stripped + "\r" * last[len(stripped):].count("\r")
    yield from emit(last)
    if blank_lines and started:
        yield "\n"


def normalize_text(text: str, keep: Iterable[str] = (), width: str = "alnum",
                   nfkc: bool = False) -> str:
    """Normalize one string (the same code as the streaming path, on a single piece)."""
    return "".join(normalize_pieces((text,), keep, width, nfkc))


def normalize(doc: Document, keep: Iterable[str] = (), width: str = "alnum",
              nfkc: bool = False) -> Document:
    """Normalize a document's body. Of the front matter only the line endings change (as
    the body's do, unless ``keep`` has ``line-endings``) and a leading UTF-8 BOM goes, so a
    CRLF post does not come out with mixed line endings; keys and values stay as they are.

    >>> normalize(Document.parse("\\ufeff---\\r\\ntitle: Ｔｉ\\r\\n---\\r\\nＢody\\r\\n")).text
    '---\\ntitle: Ｔｉ\\n---\\nBody\\n'
    """
    head = doc.head
    if head.startswith("\ufeff") and "invisible" not in keep:
        head = head[1:]
    if "line-endings" not in keep and "\r" in head:
        head = _CR.sub("\n", head)
    body = normalize_text(doc.body, keep, width, nfkc)
    if head is doc.head:
        return doc.replace(body=body)
    return Document(head, body, doc.format, doc.path)


STEP = Step(
    name="normalize",
    run=normalize,
    stream=normalize_pieces,
    example="cleantext normalize post.md\ncleantext normalize --keep indent --width none post.md",
    description=(
        "Rules (each can be switched off with --keep RULE): "
        + "; ".join(f"{name}: {what}" for name, what in RULES.items())
        + ". Full-width CJK punctuation is only changed by --width all or --nfkc."
    ),
    params=(
        Param("keep", "Leave this rule out (repeatable).", default=(), multiple=True,
              choices=tuple(RULES), metavar="RULE"),
        Param("width", "Fold full-width letters and digits (alnum), all full-width ASCII "
              "forms (all), or nothing (none).", default="alnum", choices=WIDTHS),
        Param("nfkc", "Apply Unicode NFKC (changes CJK punctuation such as ，to ,).", flag=True,
              default=False),
    ),
)
