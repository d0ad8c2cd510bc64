"""Values worth keeping from one run to the next, in one JSON file: ``memo(kind, key, make)``.

A Makefile that runs ``cleantext strip-ads`` once per post pays the start-up every time, and
the rule files' selectors (translated by cssselect) and regular expressions (checked and
analysed) would otherwise be worked out again in every process. What is kept is plain data
made by cleantext's own functions from the rule text, so a stale entry cannot exist for a
changed rule: the key is the rule text itself. The file is
``$XDG_CACHE_HOME/cleantext/rules-<stamp>.json`` (``~/.cache/cleantext``); its name changes
with ``FORMAT`` and the installed cssselect. A missing, unreadable or corrupt file is made
again, an unwritable folder only means no cache, and ``CLEANTEXT_NO_CACHE=1`` turns it off.
Only what ``make`` returned is kept: an error it raised is raised again next time.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMAT = 4  # bump when what a kind's ``make`` returns changes meaning
_MAX_ENTRIES = 20_000  # past this the file is started afresh (user rule files come and go)

_memory: dict[str, dict[str, Any]] | None = None
_dirty = False


def memo(kind: str, key: str, make: Callable[[], Any]) -> Any:
    """``make()`` (a JSON-able value) for ``key``, from this or an earlier run if known."""
    global _dirty
    known = _load().setdefault(kind, {})
    if key in known:
        return known[key]
    value = known[key] = make()
    _dirty = True
    return value


def save() -> None:
    """Write new entries to the file (atomically; failures only mean no cache)."""
    global _dirty
    if not _dirty or _memory is None:
        return
    _dirty = False
    path = cache_file()
    if path is None:
        return
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(_memory, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)  # readers see the old file or the new one, never half of one
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass


def _load() -> dict[str, dict[str, Any]]:
    global _memory
    if _memory is None:
        _memory = {}
        path = cache_file()
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path else {}
            if (isinstance(data, dict) and all(isinstance(v, dict) for v in data.values())
                    and sum(map(len, data.values())) < _MAX_ENTRIES):
                _memory = data
        except (OSError, ValueError):
            pass  # missing or damaged: made again and saved
    return _memory


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
    import zlib

    key = zlib.crc32(f"{FORMAT}:{origin}:{stamp}".encode())
    return Path(base) / "cleantext" / f"rules-{key:08x}.json"
