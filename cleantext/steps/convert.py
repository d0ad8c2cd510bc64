"""convert: traditional/simplified Chinese conversion with OpenCC, front matter included.

This module owns the ``convert`` step and its ``t2s`` shortcut: which OpenCC configurations
exist (``CONFIGS``, read from the installed package's data directory without importing it),
one converter per configuration and process (``converter``), and the rules that keep markup
intact while the text around it is converted:

- In the body, HTML tags are left alone, except the human-readable ``alt``/``title``/
  ``aria-label``/``placeholder`` values inside them; URLs (``https://...``, also in plain
  text) and Markdown link targets are never converted.
- In the front matter, keys stay as they are and so does every other byte that is not human
  text (quoting, order, dates, URLs); ``body_only`` leaves the front matter alone.

OpenCC converts phrase by phrase (longest match first), so text is converted in big pieces
with one ``convert()`` call each and cut only where no dictionary entry can straddle the cut:
after a newline, before a ``<``, or after whitespace or CJK sentence punctuation. No OpenCC
dictionary key contains any of these characters (keys are CJK, capital Latin letters, "-",
"·" and "〇"), which is why streaming a big file in pieces gives exactly the same result as
converting it in one go. The binding holds the GIL, so a big stream is shared with one forked
helper process when a second CPU is there (``HELPER_PROCESS``).

>>> convert_text("軟體的記憶體", "tw2sp")
'软件的内存'
>>> convert_text('<a href="https://example.com/軟體" title="軟體">軟體</a>', "tw2sp")
'<a href="https://example.com/軟體" title="软件">软件</a>'
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from importlib.util import find_spec
from typing import Any, NamedTuple

from cleantext.document import Document
from cleantext.errors import CleantextError
from cleantext.lazyre import LazyPattern
from cleantext.registry import Param, Step

Converter = Callable[[str], str]

_SURROGATES = LazyPattern(r"([\ud800-\udfff]+)")

DEFAULT_CONFIG = "t2s"


def _config_names() -> tuple[str, ...]:
    """The configurations the installed OpenCC ships, read from its data directory.

    Importing opencc costs a shared library load; ``cleantext --help`` needs only the names,
    so they come from a directory listing found through the import system's metadata.
    """
    try:
        spec = find_spec("opencc")
    except (ImportError, ValueError):
        return ()
    if spec is None or not spec.submodule_search_locations:
        return ()
    for location in spec.submodule_search_locations:
        folder = os.path.join(location, "clib", "share", "opencc")
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        return tuple(sorted(name[:-5] for name in names if name.endswith(".json")))
    return ()


CONFIGS: tuple[str, ...] = _config_names()


@functools.cache
def converter(config: str = DEFAULT_CONFIG) -> Converter:
    """The ``convert(str) -> str`` function for ``config``, built once per process."""
    if CONFIGS and config not in CONFIGS:
        raise CleantextError(
            f"unknown OpenCC configuration {config!r} (valid: {', '.join(CONFIGS)})"
        )
    try:
        import opencc
    except ImportError:
        raise CleantextError("the opencc package is not installed (pip install opencc)") from None
    try:
        binding = opencc.OpenCC(config).convert
    except (RuntimeError, OSError) as exc:  # the binding's error for unreadable files
        raise CleantextError(f"cannot load OpenCC configuration {config!r}: {exc}") from None

    def convert(text: str) -> str:
        try:
            return binding(text)
        except UnicodeEncodeError:
            # Lone surrogates (undecodable bytes kept by surrogateescape) cannot go to the
            # C++ side as UTF-8; they are no part of any phrase, so convert around them.
            return "".join(
                binding(part) if i % 2 == 0 else part
                for i, part in enumerate(_SURROGATES.split(text)))

    return convert


# --- the body: text converted, markup kept ---------------------------------------------------

# Characters that end a URL in running text (besides whitespace): quotes, angle brackets and
# CJK punctuation, which scraped Chinese text puts right after a link without a space.
_URL_STOP = "\"'<>，。、；：！？「」『』（）《》【】\u3000"
# Spans that are never converted as a whole (each pattern starts with a literal, so the regex
# engine skips through plain text at memchr speed):
# - a tag holding non-ASCII text (an all-ASCII tag cannot change: OpenCC only maps CJK and
#   no dictionary key contains "<" or ">", so those stay inside the converted text), at most
#   ``_MAX_TAG`` characters long: a stray "<" is not a tag for the megabytes to the next ">";
# - a URL, always, so that no dictionary key can reach into it from the text before it (the
#   scheme before "://" is found by walking back over scheme characters);
# - a Markdown link target, ``](...)``.
_TAG = LazyPattern(r"<[A-Za-z/!?][\x00-\x3b\x3d\x3f-\x7f]*[^\x00-\x7f][^<>]*>")
_MAX_TAG = 64 * 1024  # as ``htmlguard.MAX_TAG``: no real tag is longer
_URL_REST = LazyPattern(rf"://[^\s{_URL_STOP}]+")
_LINK_TARGET = LazyPattern(rf"\]\([^()\s{_URL_STOP}]*\)")
_SCHEME = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
# Human-readable attribute values inside a tag, converted like text.
_TEXT_ATTRIBUTE = LazyPattern(
    r"""(\s(?:alt|title|aria-label|placeholder)\s*=\s*)("[^"]*"|'[^']*'|[^\s"'=<>`]+)""",
    re.IGNORECASE,
)


def _convert_tag(tag: str, convert: Converter) -> str:
    if tag.startswith("<!"):  # comments and doctypes are not text
        return tag

    def attribute(match: re.Match[str]) -> str:
        return match.group(1) + _convert_markup(match.group(2), convert)

    return _TEXT_ATTRIBUTE.sub(attribute, tag)


def _protected(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of ``text`` that are kept as they are, in order, disjoint."""
    spans = [m.span() for m in _TAG.finditer(text) if m.end() - m.start() <= _MAX_TAG] \
        if "<" in text else []
    if "://" in text:
        for m in _URL_REST.finditer(text):
            start = m.start()
            while start and text[start - 1] in _SCHEME:
                start -= 1
            if start < m.start():
                spans.append((start, m.end()))
    if "](" in text:
        spans.extend((m.start() + 1, m.end()) for m in _LINK_TARGET.finditer(text))
    spans.sort()
    disjoint: list[tuple[int, int]] = []
    end = 0
    for span in spans:  # a URL inside a tag or a link target is already covered
        if span[0] >= end:
            disjoint.append(span)
            end = span[1]
    return disjoint


def _convert_markup(text: str, convert: Converter) -> str:
    """Convert ``text`` with one OpenCC call per stretch between protected spans."""
    spans = _protected(text)
    if not spans:
        return convert(text)
    parts: list[str] = []
    pos = 0
    for start, end in spans:
        if start > pos:
            parts.append(convert(text[pos:start]))
        span = text[start:end]
        parts.append(_convert_tag(span, convert) if span.startswith("<") else span)
        pos = end
    if pos < len(text):
        parts.append(convert(text[pos:]))
    return "".join(parts)


# --- cutting a stream where no phrase, tag or URL can be split ------------------------------

# Pieces are converted once this much text has arrived (a few calls per MB keeps OpenCC's
# per-call cost negligible while memory stays bounded).
_TARGET = 256 * 1024
# A stretch with no newline and no "<" (one huge line of prose) is cut after whitespace or
# CJK punctuation once it is this long.
# OpenCC needs about 14 bytes a character of a call's text, so this bounds memory too.
_MAX_CARRY = 1024 * 1024
# Past this, a stretch with no safe place at all is cut anyway, to keep memory bounded (one
# character repeated: 16 M characters here peaked at 390 MB for 128 MB of input; 115 MB now).
_HARD_LIMIT = _MAX_CARRY
_SENTENCE_END = LazyPattern(r"[\s。！？；，、：）」』》】]")


def _in_tag(buffer: str, pos: int) -> bool:
    """Could ``pos`` be inside a tag: one that opens before it, is not closed before it, and
    could still close within ``_MAX_TAG`` characters?"""
    lt = buffer.rfind("<", 0, pos)
    return lt >= 0 and pos - lt < _MAX_TAG and buffer.find(">", lt, pos) < 0


def _cut(buffer: str, force: bool = False) -> int:
    """Where to cut ``buffer`` so that no phrase, tag or URL spans the cut (0: nowhere yet).

    No OpenCC dictionary key, URL or Markdown link target contains a newline or a "<", so
    the cut goes before the last "<" or after the last newline that is not inside a tag
    (``<img alt="...\\n...">``). With ``force``, a line that has neither is cut after its
    last whitespace or CJK punctuation (which no key, URL or link target contains either).
    """
    lt = buffer.rfind("<")
    newline = buffer.rfind("\n") + 1
    if lt >= newline and lt:  # (at 0: cut nowhere, or as forced below)
        return lt
    if newline and not _in_tag(buffer, newline):
        return newline
    if lt > 0:
        return lt
    if not force:
        return 0
    window = max(0, len(buffer) - 65536)
    for match in reversed(list(_SENTENCE_END.finditer(buffer, window))):
        if not _in_tag(buffer, match.end()):
            return match.end()
    # Cut anywhere once this long with no safe place, but not inside a tag that could still
    # close: the stretch counts from where a "<" with no ">" stops being one.
    free = lt + _MAX_TAG if lt >= 0 and buffer.find(">", lt) < 0 else 0
    return len(buffer) if len(buffer) - free > _HARD_LIMIT else 0


def _segments(pieces: Iterable[str]) -> Iterator[str]:
    """Regroup pieces split anywhere into segments of about ``_TARGET`` cut at safe places."""
    pending: list[str] = []
    size = 0
    tried = 0  # the size at which no place to cut was found: tried again once it doubles
    for piece in pieces:
        pending.append(piece)
        size += len(piece)
        if size < _TARGET or (size < 2 * tried and size <= _MAX_CARRY):
            continue  # joining at every piece until a cut was found was quadratic
        carry = "".join(pending)
        cut = _cut(carry, force=size > _MAX_CARRY)
        if cut:
            yield carry[:cut]
            carry = carry[cut:]
        tried = 0 if cut else size
        pending = [carry]
        size = len(carry)
    if size:
        yield "".join(pending)


# --- a helper process for big streams --------------------------------------------------------

# OpenCC's binding holds the GIL for a whole convert() call, so threads do not help (and would
# starve a queue's feeder thread). A big stream is shared with one forked helper process
# instead: while this process converts one segment, the helper converts the one before it.
# Off: every segment is converted here.
HELPER_PROCESS = True
# Segments converted here before the helper is started (small bodies never fork).
_HELPER_AFTER = 2


def _helper_can_start() -> bool:
    """A helper can help: Linux (fork), more than one CPU, and forking is safe here."""
    import multiprocessing
    import threading

    if not sys.platform.startswith("linux"):
        return False  # no fork on Windows; fork is unsafe with macOS system frameworks
    if threading.active_count() > 1 or multiprocessing.current_process().daemon:
        return False  # forking a threaded process is unsafe; pool workers cannot have children
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 1
    return cpus > 1


# Segments travel through memory shared with the helper, not through the pipe: a pipe moves
# 64 KB per wake-up, and on a busy machine every wake-up can wait for a time slice. The pipe
# only carries (slot, length) messages. Two slots each way keep the helper busy while this
# process reads, writes and converts segments of its own; a result too big for its slot goes
# through the pipe.
_SLOTS = 2
_SLOT_SIZE = 8 * 1024 * 1024
# Segments converted here and held back behind the helper's, at most, before waiting for it.
_HELD = 4


def _helper_main(conn: Any, parent_end: Any, inbox: Any, outbox: Any, config: str) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    parent_end.close()  # inherited by fork; held open, the parent's close would not be EOF
    convert = converter(config)
    while True:
        try:
            slot, size = conn.recv()
        except (EOFError, OSError):
            return
        start = slot * _SLOT_SIZE
        text = str(inbox[start : start + size], "utf-8", "surrogatepass")
        data = _convert_markup(text, convert).encode("utf-8", "surrogatepass")
        try:
            if len(data) <= _SLOT_SIZE:
                outbox[start : start + len(data)] = data
                conn.send((slot, len(data)))
            else:
                conn.send((slot, -1))
                conn.send_bytes(data)
        except OSError:  # the parent stopped reading (closed early): nothing left to do
            return


class _Helper:
    """A forked process converting segments for this one, up to ``_SLOTS`` at a time, in
    the order they are sent."""

    def __init__(self, config: str) -> None:
        import mmap
        import multiprocessing

        context = multiprocessing.get_context("fork")
        # Anonymous mappings are shared with the forked child (MAP_SHARED).
        self.inbox = mmap.mmap(-1, _SLOTS * _SLOT_SIZE)
        self.outbox = mmap.mmap(-1, _SLOTS * _SLOT_SIZE)
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_helper_main, daemon=True,
                                       args=(child, self.conn, self.inbox, self.outbox,
                                             config))
        self.process.start()
        child.close()
        self.sent = 0  # segments sent
        self.received = 0  # results received

    @property
    def free(self) -> bool:
        return self.sent - self.received < _SLOTS

    def send(self, segment: str) -> bool:
        """Hand ``segment`` to the helper; False if it is too big for a slot."""
        data = segment.encode("utf-8", "surrogatepass")
        if len(data) > _SLOT_SIZE:
            return False
        slot = self.sent % _SLOTS
        self.inbox[slot * _SLOT_SIZE : slot * _SLOT_SIZE + len(data)] = data
        self.conn.send((slot, len(data)))
        self.sent += 1
        return True

    def ready(self) -> bool:
        return self.conn.poll()

    def receive(self) -> str:
        """The result of the oldest segment sent and not yet received."""
        slot, size = self.conn.recv()
        self.received += 1
        if size < 0:
            return self.conn.recv_bytes().decode("utf-8", "surrogatepass")
        start = slot * _SLOT_SIZE
        return str(self.outbox[start : start + size], "utf-8", "surrogatepass")

    def close(self) -> None:
        self.conn.close()  # the helper reads EOF and returns
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self.inbox.close()
        self.outbox.close()


class _Sent(NamedTuple):
    """A segment in the helper's hands (kept to convert it here if the helper dies)."""

    segment: str


def convert_pieces(pieces: Iterable[str], config: str = DEFAULT_CONFIG,
                   body_only: bool = False, convert_code: bool = False) -> Iterator[str]:
    """Convert a text given as pieces split anywhere; yields the converted text's pieces.

    The result equals converting the whole text in one piece (see the module docstring);
    memory stays bounded by a few segments of ``_TARGET`` characters plus one line. Big
    streams are shared with a helper process (see ``HELPER_PROCESS``). ``body_only`` is
    accepted (and ignored) so that the step's options can be passed as they are: a stream is
    always a body.

    In a Markdown body, code, URLs, math and template tags are kept as they are (see
    ``cleantext.markdown_body``) unless ``convert_code``.
    """
    if not convert_code:
        from cleantext.markdown_body import peek

        markdown, pieces = peek(pieces)
        if markdown:
            return _convert_markdown(pieces, config)
    return _convert_pieces(pieces, config)


def _convert_markdown(pieces: Iterable[str], config: str) -> Iterator[str]:
    from cleantext.markdown_body import Holder

    convert = converter(config)
    holder = Holder(verbatim_blanks=True)  # OpenCC leaves spaces and tabs as they are
    for chunk in holder.chunks(pieces):
        yield from holder.release_stream((_convert_markup(holder.hold(chunk), convert),))


def _convert_pieces(pieces: Iterable[str], config: str) -> Iterator[str]:
    from collections import deque

    convert = converter(config)
    helper: _Helper | None = None
    queue: deque[str | _Sent] = deque()  # in input order: converted text, or sent segments

    def collect() -> str:
        """The front of the queue, converted (by the helper, or here if it died)."""
        nonlocal helper
        item = queue.popleft()
        if isinstance(item, str):
            return item
        if helper is not None:
            try:
                return helper.receive()
            except (EOFError, OSError):
                helper.close()
                helper = None
        return _convert_markup(item.segment, convert)  # the helper is gone: carry on alone

    try:
        for number, segment in enumerate(_segments(pieces)):
            if number == _HELPER_AFTER and HELPER_PROCESS and _helper_can_start():
                try:
                    helper = _Helper(config)
                except OSError:  # cannot fork (limits): carry on alone
                    helper = None
            sent = False
            if helper is not None and helper.free:
                try:
                    sent = helper.send(segment)  # False: too big for a slot
                except OSError:  # the helper is gone
                    helper.close()
                    helper = None
            queue.append(_Sent(segment) if sent else _convert_markup(segment, convert))
            while queue and (isinstance(queue[0], str) or helper is None or helper.ready()
                             or len(queue) > _HELD):
                yield collect()
        while queue:
            yield collect()
    finally:
        if helper is not None:
            helper.close()


def convert_text(text: str, config: str = DEFAULT_CONFIG, convert_code: bool = False) -> str:
    """Convert a body's text (markup kept, see the module docstring)."""
    return "".join(convert_pieces((text,), config, convert_code=convert_code))


# --- the front matter: values converted, keys and syntax kept --------------------------------

_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"\n]*"|'[^'\n]*')"""
# A YAML mapping key at the start of a line (after indentation and list dashes).
_YAML_KEY = LazyPattern(
    r"""^[ \t]*(?:-[ \t]+)*(?:"[^"\n]*"|'[^'\n]*'|[^\s#'"\[\]{}:,-][^:\n]*?)[ \t]*:(?=[ \t]|\r?$)""",
    re.MULTILINE,
)
# A TOML key (dotted keys too) before "=", or a table header line.
_TOML_KEY = LazyPattern(
    rf"^[ \t]*(?:{_KEY}(?:[ \t]*\.[ \t]*{_KEY})*[ \t]*=|\[\[?[^\]\n]*\]\]?[ \t]*\r?$)",
    re.MULTILINE,
)
# Every JSON string; a string followed by ":" is a key.
_JSON_STRING = LazyPattern(r'"(?:[^"\\\n]|\\.)*"(\s*:)?')


def convert_front_matter(head: str, format: str | None, config: str = DEFAULT_CONFIG) -> str:
    """Convert the human text of a raw front matter block, keeping keys and syntax.

    >>> convert_front_matter("---\\n標題: 軟體\\nurl: https://x.tw/軟體\\n---\\n", "yaml", "tw2sp")
    '---\\n標題: 软件\\nurl: https://x.tw/軟體\\n---\\n'
    """
    if format is None:
        return head
    convert = converter(config)
    pattern = {"yaml": _YAML_KEY, "toml": _TOML_KEY, "json": _JSON_STRING}[format]
    parts: list[str] = []
    pos = 0
    for match in pattern.finditer(head):
        if format == "json" and match.group(1) is None:
            continue  # a string value: converted with the text around it
        parts.append(_convert_markup(head[pos : match.start()], convert))
        parts.append(match.group())
        pos = match.end()
    parts.append(_convert_markup(head[pos:], convert))
    return "".join(parts)


# --- the steps --------------------------------------------------------------------------------


def convert(doc: Document, config: str = DEFAULT_CONFIG, body_only: bool = False,
            convert_code: bool = False) -> Document:
    """Convert a document's body and (unless ``body_only``) its front matter."""
    head = doc.head if body_only else convert_front_matter(doc.head, doc.format, config)
    body = convert_text(doc.body, config, convert_code) if doc.body else ""
    return doc.replace(head=head, body=body)


def t2s(doc: Document, body_only: bool = False, convert_code: bool = False) -> Document:
    """``convert`` with the ``t2s`` configuration (traditional to simplified)."""
    return convert(doc, "t2s", body_only, convert_code)


def t2s_pieces(pieces: Iterable[str], body_only: bool = False,
               convert_code: bool = False) -> Iterator[str]:
    return convert_pieces(pieces, "t2s", convert_code=convert_code)


_BODY_ONLY = Param("body_only", "Leave the front matter as it is; convert only the body.",
                   flag=True, default=False)
_CONVERT_CODE = Param("convert_code", "In a Markdown body, convert code, URLs, math and "
                      "template tags too (kept as they are by default).", flag=True,
                      default=False)

CONVERT = Step(
    name="convert",
    run=convert,
    stream=convert_pieces,
    example="cleantext convert post.md\ncleantext convert -c tw2sp --body-only post.md",
    description=(
        "Conversion is phrase by phrase, as OpenCC does it (tw2sp turns 軟體的記憶體 into "
        "软件的内存). Titles, categories and tags in the front matter are converted too; keys, "
        "quoting, dates and URLs are kept. In HTML only text and alt/title values change; "
        "tags and URLs stay as they are."
    ),
    params=(
        Param("config", "OpenCC configuration"
              + (f", one of: {', '.join(CONFIGS)}." if CONFIGS else "."),
              default=DEFAULT_CONFIG, choices=CONFIGS or None, short="-c", metavar="CONFIG"),
        _BODY_ONLY,
        _CONVERT_CODE,
    ),
)

T2S = Step(
    name="t2s",
    run=t2s,
    stream=t2s_pieces,
    example="cleantext t2s post.md",
    description="The same as `cleantext convert -c t2s`.",
    params=(_BODY_ONLY, _CONVERT_CODE),
)

STEPS = (CONVERT, T2S)
