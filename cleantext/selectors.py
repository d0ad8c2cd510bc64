"""CSS selectors translated to XPath once, not in every process: a cache on disk.

Translating a rule file's selectors with cssselect costs more start-up than anything else in
``strip-ads`` (importing cssselect and compiling its tokenizer, then the translations), and a
Makefile that runs the command once per post pays it every time. The translations (XPath
text, plus what a matching element must have, for ``strip_ads._may_select``) are plain data,
so they are kept in a JSON file under ``$XDG_CACHE_HOME/cleantext`` (``~/.cache/cleantext``),
whose name depends on this module's format and the installed cssselect; a missing, unreadable
or corrupt file is rebuilt, an unwritable folder only means no cache (``CLEANTEXT_NO_CACHE=1``
turns it off). Only what cssselect produced for a selector is cached: a bad selector is
translated (and refused) again each time.

>>> translate("div.ad > a[href^='x']").needs
(('a', (('href', 'x'),)),)
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, NamedTuple

FORMAT = 1  # bump when ``Translation`` or ``_needs`` changes meaning
_MAX_ENTRIES = 20_000  # past this the file is started afresh (user rule files come and go)
_NEED_OPS = frozenset(["exists", "=", "~=", "|=", "^=", "$=", "*="])

Needs = tuple[tuple[str | None, tuple[tuple[str, str], ...]], ...]


class Translation(NamedTuple):
    path: str  # the XPath expression (cssselect's html translator)
    needs: Needs | None  # per selector of a group: tag (None: any), (attribute, text) pairs


class BadSelector(ValueError):
    """cssselect could not parse or translate the selector (the message says why)."""


_memory: dict[str, Translation] | None = None
_dirty = False


def translate(selector: str) -> Translation:
    """The XPath and needs of ``selector``, from the cache or from cssselect."""
    global _dirty
    known = _load()
    found = known.get(selector)
    if found is None:
        found = known[selector] = _translate(selector)
        _dirty = True
    return found


def save() -> None:
    """Write new translations to the cache file (atomically; errors are ignored)."""
    global _dirty
    if not _dirty or _memory is None:
        return
    _dirty = False
    path = _cache_file()
    if path is None:
        return
    data = {sel: [t.path, t.needs] for sel, t in _memory.items()}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)  # readers see the old file or the new one, never half of one
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass


def _load() -> dict[str, Translation]:
    global _memory
    if _memory is None:
        _memory = {}
        path = _cache_file()
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path else {}
            if isinstance(data, dict) and len(data) < _MAX_ENTRIES:
                _memory = {sel: Translation(path, _as_needs(needs))
                           for sel, (path, needs) in data.items()}
        except (OSError, ValueError, TypeError):
            _memory = {}  # missing or damaged: translations are made again and saved
    return _memory


def _as_needs(value: Any) -> Needs | None:
    if value is None:
        return None
    return tuple((tag, tuple((str(name), str(text)) for name, text in attrs))
                 for tag, attrs in value)


def _cache_file() -> Path | None:
    if os.environ.get("CLEANTEXT_NO_CACHE"):
        return None
    from importlib.util import find_spec

    try:
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
    return Path(base) / "cleantext" / f"selectors-{key:08x}.json"


def _translate(selector: str) -> Translation:
    from cssselect import HTMLTranslator, SelectorError
    from cssselect.xpath import ExpressionError

    try:
        path = HTMLTranslator().css_to_xpath(selector)
    except (SelectorError, ExpressionError) as exc:
        raise BadSelector(str(exc)) from None
    return Translation(path, _needs(selector))


def _needs(selector: str) -> Needs | None:
    """What an element matching ``selector`` must have, for a cheap test before its XPath.

    One entry per selector of a group: the tag name (None: any) and (attribute, text) pairs
    whose value must contain the text ('' for the attribute being there), from the subject's
    own tag, #id, .class and [attr OP value] parts (never from :not(), :has()... whose
    parts are not all required). None when nothing could be derived: always evaluate.
    """
    from cssselect import parse
    from cssselect.parser import Attrib, Class, CombinedSelector, Element, Hash

    try:
        groups = parse(selector)
    except Exception:  # noqa: BLE001 -- it translated, so this is not expected
        return None
    out = []
    for group in groups:
        node, tag, attrs = group.parsed_tree, None, []
        while node is not None:
            if isinstance(node, CombinedSelector):
                node = node.subselector  # the subject is the right-hand side
                continue
            if isinstance(node, Element):
                # The html translator lower-cases element and attribute names.
                if node.element and node.element != "*" and not node.namespace:
                    tag = node.element.lower()
                break
            if isinstance(node, Hash):
                attrs.append(("id", node.id))
            elif isinstance(node, Class):
                attrs.append(("class", node.class_name))
            elif (isinstance(node, Attrib) and node.namespace is None
                  and not getattr(node, "flag", None) and node.operator in _NEED_OPS):
                value = "" if node.value is None else node.value.value
                attrs.append((node.attrib.lower(), value))
            node = getattr(node, "selector", None)  # pseudo-classes etc. add nothing
        out.append((tag, tuple(attrs)))
    return tuple(out)
