"""Bytes to text: the input's encoding, and invalid bytes that are never destroyed.

UTF-8 by default (a BOM is kept in the text, so it is written back as found; UTF-16 and
UTF-32 BOMs are obeyed); a forced ``encoding``; otherwise, for bytes that are not mostly
UTF-8, the legacy encoding a web page declares, or one charset-normalizer detects (GB18030,
Big5, Windows-1252...). Invalid bytes are never turned into other characters: kept as lone
surrogates (written back as the same bytes), replaced, or refused (``ENCODING_ERRORS``),
with a warning that says where. NUL bytes mean binary and are refused.
"""

from __future__ import annotations

import re
from typing import Any

from cleantext.errors import InputError

# What to do with bytes that are not valid in the input's encoding (``--encoding-errors``):
# "keep" passes them through unchanged (Python's ``surrogateescape``: written back as the same
# bytes) and warns, "replace" makes each U+FFFD and warns, "strict" fails the document.
ENCODING_ERRORS_CHOICES = ("keep", "replace", "strict")
ENCODING_ERRORS = "keep"
_HANDLERS = {"keep": "surrogateescape", "replace": "replace", "strict": "strict"}
# Byte order marks, longest first: a UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
# Encodings a detector may name that bytes without a byte order mark are never read in: a
# short GBK text "decodes" as UTF-16 (and UTF-16 text without a mark has NUL bytes).
_NEVER_GUESSED = ("utf_16", "utf_32", "utf_7", "utf_8")


def decode(data: bytes, encoding: str | None = None, errors: str | None = None,
           warn: Any = None) -> str:
    """Bytes to text: a forced encoding, else a BOM's, else UTF-8 (BOM kept), else a detected
    legacy one; never a guess that turns text into other characters.

    UTF-8 with a few invalid bytes (a stray byte in a Chinese post) stays UTF-8: a legacy
    encoding is considered only when the bytes are not mostly UTF-8 (fewer valid multi-byte
    UTF-8 bytes than invalid ones), and taken only when charset-normalizer names one in
    which the whole file decodes. What is still invalid goes as ``errors`` says (default
    ``ENCODING_ERRORS``): kept as the same bytes, replaced, or an error; ``warn(message)``
    is told where.

    >>> text = "中央社記者今天報導，台灣的經濟成長率創下新高，政府表示將持續推動改革。"
    >>> decode(text.encode("big5")) == text
    True
    >>> data = "作者：经济学人".encode() + bytes([0xFF]) + "en".encode()
    >>> decode(data).encode("utf-8", "surrogateescape") == data
    True
    """
    return decode_text(data, encoding, errors, warn)[0]


def decode_text(data: bytes, encoding: str | None = None, errors: str | None = None,
                warn: Any = None) -> tuple[str, bool]:
    """``decode``, and whether invalid bytes were kept (as lone surrogates) in the text."""
    errors = errors or ENCODING_ERRORS
    if encoding:
        return _decode_as(data, encoding, errors, warn)
    for bom, name in _BOMS:
        if data.startswith(bom):
            text, kept = _decode_as(data[len(bom):], name, errors, warn, len(bom))
            return "\ufeff" + text, kept
    if b"\0" in data:
        raise InputError("binary file (contains NUL bytes), not a text document")
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        pass
    if not mostly_utf8(data):  # maybe a legacy encoding
        detected = declared_encoding(data) or detect_encoding(data)
        if detected is not None:
            return data.decode(detected), False
    return _decode_as(data, "utf-8", errors, warn)


_ASCII = bytes(range(128))


def mostly_utf8(data: bytes) -> bool:
    """Whether ``data`` (not valid UTF-8) is UTF-8 with some invalid bytes: at least as many
    bytes in valid multi-byte UTF-8 characters as invalid ones. Text in a legacy encoding
    (GBK, Big5, Latin-1) forms such characters only by chance: a third of its bytes at most.
    """
    invalid = _count_escaped(data.decode("utf-8", "surrogateescape"))
    high = len(data.translate(None, _ASCII))  # bytes >= 0x80
    return high - invalid >= invalid


# A page's own word on its encoding (<meta charset>, http-equiv Content-Type, <?xml encoding>)
# in its first bytes, with the labels browsers read otherwise (the WHATWG Encoding Standard:
# "iso-8859-1" and "ascii" mean windows-1252, "gb2312" and "gbk" GB18030).
_DECLARED = re.compile(rb"""(?:<meta[^>]*?charset|<\?xml[^>]*?encoding)\s*=\s*["']?\s*([-\w:.]+)""",
                       re.IGNORECASE)
_WHATWG = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252",
           "latin-1": "cp1252", "l1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252",
           "iso-8859-9": "cp1254", "latin5": "cp1254", "tis-620": "cp874",
           "iso-8859-11": "cp874", "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030",
           "big5": "big5hkscs"}


def declared_encoding(data: bytes) -> str | None:
    """The legacy encoding a web page declares in its first 16 KB, if every byte of ``data``
    decodes in it; None otherwise (and for a declared UTF-8 or UTF-16: the caller has tried
    UTF-8, and a BOM says UTF-16).

    >>> declared_encoding('<meta charset="ISO-8859-1"><p>Straße – “gut”'.encode("cp1252"))
    'cp1252'
    >>> declared_encoding(b'<meta charset="utf-8"><p>caf\\xe9') is None
    True
    """
    import codecs

    found = _DECLARED.search(data, 0, 16384)
    if found is None:
        return None
    label = found.group(1).decode("ascii", "replace").lower()
    name = _WHATWG.get(label, label)
    try:
        if codecs.lookup(name).name.replace("-", "_").startswith(_NEVER_GUESSED):
            return None
        data.decode(name)
    except (LookupError, UnicodeDecodeError):
        return None
    return name


def _count_escaped(text: str) -> int:
    import re

    return len(re.findall("[\udc80-\udcff]", text))


def _decode_as(data: bytes, encoding: str, errors: str, warn: Any,
               offset: int = 0) -> tuple[str, bool]:
    """``data`` in ``encoding``, and whether invalid bytes were kept in it; invalid bytes
    as ``errors`` says, reported to ``warn``."""
    try:
        return data.decode(encoding), False
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        first = offset + exc.start
    label = encoding if encoding.lower().replace("_", "-") not in ("utf-8", "utf8") else "UTF-8"
    if errors == "strict":
        raise InputError(f"not valid {label} at byte {first} (--encoding-errors strict)")
    handler = _HANDLERS[errors]
    try:
        text = data.decode(encoding, handler)
    except UnicodeDecodeError:  # surrogateescape cannot keep every byte of UTF-16/32
        handler = "replace"
        text = data.decode(encoding, handler)
    if warn is not None:
        if handler == "surrogateescape":
            count = _count_escaped(text)
            what = "kept as they are"
        else:
            count = text.count("\ufffd") - data.decode(encoding, "ignore").count("\ufffd")
            what = "each replaced by U+FFFD"
        noun = "byte" if count == 1 else "bytes"
        warn(f"warning: {count} {noun} not valid {label} (the first at byte {first}), {what}")
    return text, handler == "surrogateescape"


# Lone surrogates that ``surrogateescape`` makes of invalid bytes stand, while the steps run,
# for characters of a private-use block that lxml and OpenCC pass through (lxml turns a
# surrogate into "?"); they become the same bytes again on the way out.
_HIDE = {0xDC80 + i: 0x10FD80 + i for i in range(128)}
_SHOW = {v: k for k, v in _HIDE.items()}


def hide_invalid(text: str) -> tuple[str, bool]:
    """``text`` (with invalid bytes kept: ``decode_text`` says) with those bytes made
    private-use characters, and whether it was done (not when the text already has
    characters of that block: they would be taken for bytes)."""
    import re

    if re.search("[\U0010fd80-\U0010fdff]", text):
        return text, False
    return text.translate(_HIDE), True


def show_invalid(text: str, replacement: str | None = None) -> str:
    """Undo ``hide_invalid``: the private-use stand-ins become the bytes they were (or
    ``replacement``, where bytes that are not UTF-8 cannot go: JSON)."""
    if replacement is not None:
        return text.translate(dict.fromkeys(_SHOW, replacement))
    return text.translate(_SHOW)


# When charset-normalizer finds several encodings equally plausible (short texts: "你好世界"
# in GBK is also valid Korean cp949), the one this tool's posts are most often in wins.
_PREFERRED = ("gb18030", "big5")


def detect_encoding(data: bytes) -> str | None:
    """Name of the legacy encoding ``data`` is in, or None (charset-normalizer decides).

    Only an encoding in which every byte decodes, never UTF-16/32 without a byte order mark;
    among equally plausible ones (least chaos, then most coherence), GB18030, then Big5.
    """
    from charset_normalizer import from_bytes

    candidates = []
    for match in from_bytes(data):
        name = match.encoding
        if name.startswith(_NEVER_GUESSED):
            continue
        # GB2312 and GBK are subsets of GB18030: decode with the superset.
        if name in ("gb2312", "gbk"):
            name = "gb18030"
        candidates.append((match.chaos, -match.coherence, name))
    if not candidates:
        return None
    best = min(candidates)[:2]
    tied = [name for chaos, coherence, name in candidates if (chaos, coherence) == best]
    tied.sort(key=lambda name: _PREFERRED.index(name) if name in _PREFERRED else len(_PREFERRED))
    for name in tied:
        try:
            data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        return name
    return None
