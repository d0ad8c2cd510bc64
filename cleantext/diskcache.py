"""Values worth keeping from one run to the next, in one file: ``memo(kind, key, make)``.

A Makefile that runs ``cleantext strip-ads`` once per post pays the start-up every time, and
the rule files' selectors (translated by cssselect) and regular expressions (checked and
analysed) would otherwise be worked out again in every process. What is kept is plain data
made by cleantext's own functions from the rule text, so a stale entry cannot exist for a
changed rule: the key is the rule text itself. The file is
``$XDG_CACHE_HOME/cleantext/rules-<stamp>.bin`` (``~/.cache/cleantext``); its name changes
with ``FORMAT``, the Python version and the installed cssselect. A missing, unreadable or
corrupt file is made again, an unwritable folder only means no cache, and
``CLEANTEXT_NO_CACHE=1`` turns it off. Only what ``make`` returned is kept: an error it raised
is raised again next time.

The file is the CRC-32 of the data (4 bytes, big-endian), then the data in ``marshal`` form:
built into the interpreter, so reading it costs no import (``json`` costs 3-4 ms of a 1 KB
document's start-up here) and decodes 4x faster. The checksum is checked before the data is
decoded, so a damaged file never reaches ``marshal.loads``.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMAT = 6  # bump when what a kind's ``make`` returns changes meaning
_MAX_ENTRIES = 20_000  # past this the file is started afresh (user rule files come and go)

_memory: dict[str, dict[str, Any]] | None = None
_dirty = False


def memo(kind: str, key: str, make: Callable[[], Any]) -> Any:
    """``make()`` for ``key``, from this or an earlier run if known. The value must be plain
    data: str, int, None, and lists, tuples and dicts of them."""
    global _dirty
    known = _load().setdefault(kind, {})
    if key in known:
        value = known[key]
        check = _SHAPES.get(kind)
        if check is None or check(value):
            return value
        # An entry of the wrong shape (a file from another version, or edited): made
        # again, and the file rewritten, rather than failing every document that uses it.
    value = known[key] = make()
    _dirty = True
    return value


def _strings(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)


def _css_shape(value: Any) -> bool:
    """[xpath, needs]: needs None, or per compound [tags, [[name, text]...]]."""
    if not (isinstance(value, (list, tuple)) and len(value) == 2 and isinstance(value[0], str)):
        return False
    needs = value[1]
    if needs is None:
        return True
    return isinstance(needs, (list, tuple)) and all(
        isinstance(n, (list, tuple)) and len(n) == 2 and _strings(n[0])
        and isinstance(n[1], (list, tuple))
        and all(isinstance(a, (list, tuple)) and len(a) == 2 and _strings(a) for a in n[1])
        for n in needs)


# What each kind's ``make`` returns, checked on every use of a cached entry (cheap: a few
# isinstance calls), so that a wrong one is made again instead of reaching its caller.
_SHAPES: dict[str, Callable[[Any], bool]] = {
    "css": _css_shape,  # cleantext.selectors.translate
    "regex": lambda value: value is None or _strings(value),  # ad_rules._checked_pattern
}


def save() -> None:
    """Write new entries to the file (atomically; failures only mean no cache)."""
    global _dirty
    if not _dirty or _memory is None:
        return
    _dirty = False
    path = cache_file()
    if path is None:
        return
    from cleantext.io import _LIVE_TEMPS  # removed by a SIGINT or SIGTERM, as outputs are

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    _LIVE_TEMPS.add(str(tmp))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = marshal.dumps(_memory)
        tmp.write_bytes(zlib.crc32(data).to_bytes(4, "big") + data)
        os.replace(tmp, path)  # readers see the old file or the new one, never half of one
    except (OSError, ValueError):  # ValueError: a value marshal cannot write
        try:
            tmp.unlink()
        except OSError:
            pass
    _LIVE_TEMPS.discard(str(tmp))


def _load() -> dict[str, dict[str, Any]]:
    global _memory
    if _memory is None:
        _memory = {}
        path = cache_file()
        try:
            data = _decode(path.read_bytes()) if path else {}
            if (isinstance(data, dict) and all(isinstance(v, dict) for v in data.values())
                    and sum(map(len, data.values())) < _MAX_ENTRIES):
                _memory = data
        except (OSError, ValueError, EOFError, TypeError):
            pass  # missing or damaged: made again and saved
    return _memory


def _decode(raw: bytes) -> Any:
    data = raw[4:]
    if len(raw) < 4 or zlib.crc32(data) != int.from_bytes(raw[:4], "big"):
        raise ValueError("damaged cache file")
    return marshal.loads(data)


def cache_file() -> Path | None:
    """The cache file's path, or None when caching is off or has nowhere to go."""
    if os.environ.get("CLEANTEXT_NO_CACHE"):
        return None
    from importlib.util import find_spec

    try:  # cssselect's translations may change with its version: a file per install
        spec = find_spec("cssselect")
        origin = spec.origin if spec else None
        stamp = os.stat(origin).st_mtime_ns if origin else 0
    except (ImportError, OSError, ValueError):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    version = f"{sys.version_info[0]}.{sys.version_info[1]}/{marshal.version}"
    key = zlib.crc32(f"{FORMAT}:{version}:{origin}:{stamp}".encode())
    return Path(base) / "cleantext" / f"rules-{key:08x}.bin"
