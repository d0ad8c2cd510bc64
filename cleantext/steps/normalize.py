"""normalize: whitespace, invisible characters, line endings and character width.

Safe for Chinese: full-width CJK punctuation (，。！？：；（）「」) is never touched unless
``width="all"`` or ``nfkc=True`` asks for it. Each rule can be switched off by naming it in
``keep`` (see ``RULES``). The body is processed in pieces (``normalize_pieces``), so a huge
file needs memory for one piece and one line; the in-memory path is the same code run on one
piece, so both give the same result.

>>> normalize_text("　　中文，ＡＢＣ１２３！\\r\\n\\r\\n\\r\\n\\u200bnext  line ")
'中文，ABC123！\\n\\nnext line\\n'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

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

_UNICODE_SPACES = re.compile("[\u3000\u00a0\u2000-\u200a\u202f\u205f]")
# U+200C/U+200D (ZWNJ/ZWJ) are kept: emoji sequences and some scripts need them.
_INVISIBLE = re.compile("[\u200b\u2060\u00ad\ufeff]")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("\r\n?|[\u2028\u2029]")
_LINE_EDGES = re.compile(r"[ \t]*(\r?\n)[ \t]*")
_SPACE_RUNS = re.compile(" {2,}")
_BLANK_RUNS = re.compile(r"\n{3,}")
_FULLWIDTH = {
    "alnum": re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+"),
    "all": re.compile("[\uff01-\uff5e]+"),
}
_JAMO = re.compile("[\u1100-\u11ff\u3130-\u318f]").match  # NFKC composes these
_TO_HALFWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
# Where a line can be cut (between pieces) when it is longer than this.
_MAX_CARRY = 1 << 20


def _halfwidth(match: re.Match[str]) -> str:
    return match.group().translate(_TO_HALFWIDTH)


def _rules(text: str, keep: frozenset[str], width: str, nfkc: bool, line_start: bool) -> str:
    """All rules except the blank-line ones, on text made of whole lines (or a line's start)."""
    if "controls" not in keep:
        text = _CONTROLS.sub("", text)
    if "invisible" not in keep:
        text = _INVISIBLE.sub("", text)
    if nfkc:
        text = unicodedata.normalize("NFKC", text)
    if width != "none":
        text = _FULLWIDTH[width].sub(_halfwidth, text)
    if "unicode-spaces" not in keep:
        text = _UNICODE_SPACES.sub(" ", text)
    if "line-endings" not in keep:
        text = _LINE_BREAKS.sub("\n", text)
    if "indent" not in keep:
        text = _LINE_EDGES.sub(r"\1", text)
        if line_start:
            text = text.lstrip(" \t")
    if "space-runs" not in keep:
        text = _SPACE_RUNS.sub(" ", text)
    if "blank-lines" not in keep:
        text = _BLANK_RUNS.sub("\n\n", text)
    return text


def _cut(buffer: str) -> int:
    """Where to split ``buffer`` so the first part is whole lines (0: keep it all)."""
    cut = max(buffer.rfind("\n"), buffer.rfind("\u2028"), buffer.rfind("\u2029"))
    cr = buffer.rfind("\r", 0, len(buffer) - 1)  # a final CR may be half of a CRLF
    return max(cut, cr) + 1


def _cut_inside_line(buffer: str) -> int:
    """A place inside an overlong line where no rule looks across (0 if none found)."""
    for i in range(len(buffer) - 1, max(0, len(buffer) - 4096), -1):
        a, b = buffer[i - 1], buffer[i]
        if a.isalnum() and b.isalnum() and not unicodedata.combining(b) and not _JAMO(b):
            return i
    return 0


def normalize_pieces(
    pieces: Iterable[str],
    keep: Iterable[str] = (),
    width: str = "alnum",
    nfkc: bool = False,
) -> Iterator[str]:
    """Normalize a text given as pieces split anywhere; yields the normalized text's pieces."""
    keep = frozenset(keep)
    blank_lines = "blank-lines" not in keep
    carry = ""
    line_start = True  # does ``carry`` start at the start of a line?
    started = False  # has any text been written (no blank lines before it)?
    held = ""  # newlines at the end of what was written, held back until more text comes

    def emit(segment: str) -> Iterator[str]:
        nonlocal started, held
        if not blank_lines:
            yield segment
            return
        content = segment.strip("\n")
        if not content:
            held = (held + segment)[:2]
            return
        lead = len(segment) - len(segment.lstrip("\n"))
        if started:
            yield "\n" * min(len(held) + lead, 2)
        yield content
        started = True
        held = "\n" * min(2, len(segment) - len(segment.rstrip("\n")))

    for piece in pieces:
        carry += piece
        cut = _cut(carry)
        inside = False
        if not cut and len(carry) > _MAX_CARRY:
            cut = _cut_inside_line(carry)
            inside = True
        if cut:
            segment, carry = carry[:cut], carry[cut:]
            yield from emit(_rules(segment, keep, width, nfkc, line_start))
            line_start = not inside
    last = _rules(carry, keep, width, nfkc, line_start)
    if "indent" not in keep:
        last = last.rstrip(" \t")
    yield from emit(last)
    if blank_lines and started:
        yield "\n"


def normalize_text(text: str, keep: Iterable[str] = (), width: str = "alnum",
                   nfkc: bool = False) -> str:
    """Normalize one string (the same code as the streaming path, on a single piece)."""
    return "".join(normalize_pieces((text,), keep, width, nfkc))


def normalize(doc: Document, keep: Iterable[str] = (), width: str = "alnum",
              nfkc: bool = False) -> Document:
    """Normalize a document's body; the front matter is left as it is."""
    return doc.replace(body=normalize_text(doc.body, keep, width, nfkc))


STEP = Step(
    name="normalize",
    run=normalize,
    stream=normalize_pieces,
    summary="Clean whitespace, invisible characters, line endings and full-width letters.",
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
