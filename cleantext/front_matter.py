"""Front matter parsed into a dict: YAML, TOML and JSON, with errors that name the line, and
hostile YAML (alias bombs, merge-key bombs, deep nesting) refused before it is built.

Below ``cleantext.document`` (which splits a post into front matter and body) and above
nothing else of cleantext; PyYAML and tomllib are imported when first needed.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from functools import cache
from typing import Any

from cleantext.errors import CleantextError
from cleantext.lazyre import LazyPattern

# --- limits against hostile front matter --------------------------------------------------

# Nodes a YAML document may have once its aliases are expanded. Real front matter has a few
# dozen; a "billion laughs" bomb has 10**9 and would take minutes (merge keys) or produce a
# gigabyte of JSON (plain aliases) if it were built.
MAX_YAML_NODES = 100_000
# Nesting of collections. Real front matter nests 2 or 3 deep; libyaml's composer is
# recursive C and crashes the interpreter (SIGSEGV) near 100,000 levels.
MAX_DEPTH = 64
# Values visited by the JSON-safe conversion (TOML and JSON front matter are not scanned
# by the YAML guard, so this bounds them too).
MAX_VALUES = 200_000


class FrontMatterError(CleantextError):
    """Front matter that cannot be parsed. ``line`` is a line number in the file when
    ``in_file``, else in the front matter's own text; None if unknown."""

    def __init__(self, cause: str, line: int | None = None, in_file: bool = True) -> None:
        self.cause = " ".join(cause.split())
        self.line = line
        where = "line" if in_file else "front matter line"
        super().__init__(f"{where} {line}: {self.cause}" if line else self.cause)


# --- parsing -------------------------------------------------------------------------------


def load_yaml(text: str) -> Any:
    """Parse YAML safely (no Python objects), refusing bombs and deep nesting.

    >>> load_yaml("a: 1\\nb: [x, y]")
    {'a': 1, 'b': ['x', 'y']}
    """
    simple = _simple_yaml(text)
    if simple is not None:
        return simple
    yaml = _yaml()
    loader_cls = _yaml_loader()
    _check_yaml_size(text, loader_cls)
    return yaml.load(text, Loader=loader_cls)


# --- the common front matter without PyYAML (start-up: importing and running it is ~20 ms) ---
#
# Most front matter is a flat mapping: ``key: value`` lines, values quoted or plain strings,
# integers, dates, and lists of strings (``[a, b]`` or ``- a`` lines). ``_simple_yaml`` reads
# exactly that and returns what PyYAML's safe loader (with ``_yaml_loader``'s timestamps)
# returns for it; anything else -- escapes, anchors, tags, nesting, multi-line values, other
# resolved types, characters that are not plainly printable -- gives None and goes to PyYAML.
# A hypothesis test compares the two on generated front matter built to hit every edge.

# Plain scalars PyYAML resolves to something other than a string, by first character
# (bools and nulls are whole words; the other first characters are left to PyYAML).
_YAML_WORDS = frozenset([
    "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
    "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL",
])
_YAML_NOT_STR_START = frozenset("0123456789-+.~<=")
_YAML_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_YAML_KEY = LazyPattern(r"([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?")
_YAML_ITEM = LazyPattern(r"( *)- (.*)")
_YAML_TIMESTAMP = LazyPattern(
    r"([0-9]{4})-([0-9][0-9]?)-([0-9][0-9]?)"
    r"(?:(?:[Tt]| +)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])(?:\.([0-9]*))?"
    r"(?: *(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?)?")
_YAML_DATE_ONLY = LazyPattern(r"[0-9]{4}-[0-9][0-9]-[0-9][0-9]")
_NOT_SIMPLE = object()  # a value outside the subset


def _simple_yaml(text: str) -> dict[str, Any] | None:
    """``text`` as PyYAML would load it, if it is a flat mapping of simple values; else None.

    >>> _simple_yaml("title: 标题\\ndate: 2021-04-17\\ntags: [a, b]\\ncount: 3")
    {'title': '标题', 'date': datetime.date(2021, 4, 17), 'tags': ['a', 'b'], 'count': 3}
    >>> _simple_yaml("title: &x a") is None
    True
    """
    if text.count("\n") >= MAX_YAML_NODES:  # PyYAML's path refuses it: the same answer
        return None
    result: dict[str, Any] = {}
    key: str | None = None  # the key whose value is a block list still being read
    items: list[Any] = []
    indent = -1
    for line in text.split("\n"):
        if not line.isprintable():  # tabs, CR, NEL, U+2028, BOM, NBSP...: PyYAML decides
            return None
        stripped = line.strip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        item = _YAML_ITEM.fullmatch(line)
        if item is not None:
            if key is None or (indent >= 0 and len(item.group(1)) != indent):
                return None
            indent = len(item.group(1))
            value = _simple_scalar(item.group(2).strip(" "))
            if value is _NOT_SIMPLE:
                return None
            items.append(value)
            result[key] = items
            continue
        m = _YAML_KEY.fullmatch(line)
        if m is None or _simple_scalar(m.group(1)) != m.group(1):
            return None
        key, rest = m.group(1), (m.group(2) or "").strip(" ")
        if rest and not rest.startswith("#"):
            value = _simple_value(rest)
            if value is _NOT_SIMPLE:
                return None
            result[key] = value
            key = None
        else:  # no value on the line: a block list may follow
            result[key] = None
            items, indent = [], -1
    return result or None  # no key at all: PyYAML says what it is (None for comments only)


def _simple_value(text: str) -> Any:
    """A value written on the key's line: a one-line flow list, or a scalar."""
    if not text.startswith("["):
        return _simple_scalar(text)
    if not text.endswith("]"):
        return _NOT_SIMPLE
    inner = text[1:-1].strip(" ")
    if not inner:
        return []
    values = []
    for part in inner.split(","):
        part = part.strip(" ")
        if not part or part[0] not in "'\"" and any(c in part for c in ":#[]{}"):
            return _NOT_SIMPLE
        value = _simple_scalar(part)
        if value is _NOT_SIMPLE:
            return _NOT_SIMPLE
        values.append(value)
    return values


def _simple_scalar(text: str) -> Any:
    """One scalar (surrounding spaces already removed), or _NOT_SIMPLE."""
    first = text[:1]
    if first == '"':
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != '"' or '"' in inner or "\\" in inner:
            return _NOT_SIMPLE
        return inner
    if first == "'":
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != "'" or "'" in inner.replace("''", ""):
            return _NOT_SIMPLE
        return inner.replace("''", "'")
    if (not text or first in _YAML_INDICATORS or ": " in text or " #" in text
            or text.endswith(":")):
        return _NOT_SIMPLE
    if first in _YAML_NOT_STR_START:
        if text.isdigit() and text.isascii() and (text == "0" or first != "0"):
            return int(text)
        return _simple_timestamp(text)
    if text in _YAML_WORDS:
        return _NOT_SIMPLE
    return text


def _simple_timestamp(text: str) -> Any:
    """A YAML timestamp as ``_yaml_loader`` builds it (impossible ones kept as text)."""
    m = _YAML_TIMESTAMP.fullmatch(text)
    if m is None:
        return _NOT_SIMPLE
    year, month, day, hour, minute, second, fraction, tz, sign, tz_hour, tz_minute = m.groups()
    try:
        if hour is None:
            if not _YAML_DATE_ONLY.fullmatch(text):
                return _NOT_SIMPLE
            return dt.date(int(year), int(month), int(day))
        tzinfo = None
        if sign:
            delta = dt.timedelta(hours=int(tz_hour), minutes=int(tz_minute or 0))
            tzinfo = dt.timezone(-delta if sign == "-" else delta)
        elif tz:
            tzinfo = dt.timezone.utc
        micro = int(fraction[:6].ljust(6, "0")) if fraction else 0
        return dt.datetime(int(year), int(month), int(day), int(hour), int(minute),
                           int(second), micro, tzinfo=tzinfo)
    except (ValueError, OverflowError):
        return text


def _yaml() -> Any:
    """PyYAML, imported with the regular expressions its modules compile at import made
    ``LazyPattern`` s: compiled when first used.

    The largest, its pure-Python reader's check for unprintable characters, took 10 of the
    25 ms of ``import yaml`` here, and the libyaml loader used below never runs it; the
    resolver's and the constructor's patterns are compiled when a value first needs them.
    Only calls from PyYAML's own modules are changed.
    """
    module = sys.modules.get("yaml")
    if module is not None:
        return module
    real_compile = re.compile

    def compile_on_use(pattern: Any, flags: int = 0) -> Any:
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if caller.split(".")[0] == "yaml" and isinstance(pattern, str):
            return LazyPattern(pattern, flags)
        return real_compile(pattern, flags)

    re.compile = compile_on_use  # type: ignore[assignment]
    try:
        import yaml
    finally:
        re.compile = real_compile
    return yaml


@cache
def _yaml_loader() -> Any:
    """PyYAML's safe loader (the C one when available), with impossible timestamps such as
    ``2021-02-30`` kept as strings instead of failing the whole front matter."""
    yaml = _yaml()
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc, valid-type]
        pass

    def timestamp(loader: Any, node: Any) -> Any:
        try:
            return base.construct_yaml_timestamp(loader, node)
        except (ValueError, OverflowError):
            return loader.construct_scalar(node)

    Loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    return Loader


def _check_yaml_size(text: str, loader_cls: Any) -> None:
    """Walk the YAML events (cheap, flat) and refuse documents that would expand too much.

    Each anchor remembers the size of its node; an alias adds that size to its parent, so
    the count is the size of the document with every alias (and merge key) expanded.
    Stops at the first event past a limit, so a bomb costs a few hundred events.
    """
    yaml = _yaml()
    if "&" not in text and len(text) < 4096:
        return  # no anchor to expand, and too short to nest deep enough to crash the composer
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = [[None, 0]]  # [anchor, size so far] per open collection
    for event in yaml.parse(text, Loader=loader_cls):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            stack.append([event.anchor, 1])
            if len(stack) > MAX_DEPTH + 1:
                raise FrontMatterError(f"YAML nested more than {MAX_DEPTH} levels deep; "
                                       "refusing it", event.start_mark.line + 1)
            continue
        if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, size = stack.pop()
            if anchor is not None:
                sizes[anchor] = size
        elif isinstance(event, yaml.ScalarEvent):
            size = 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.AliasEvent):
            size = sizes.get(event.anchor, 1)
        else:
            continue
        stack[-1][1] += size
        if stack[-1][1] > MAX_YAML_NODES:
            what = ("YAML aliases expand to more than {:,} values (a 'billion laughs' bomb?)"
                    if sizes and "*" in text else "front matter has more than {:,} values")
            raise FrontMatterError(f"{what.format(MAX_YAML_NODES)}; refusing it",
                                   event.start_mark.line + 1)


def parse_front_matter(text: str, fmt: str | None, *,
                       first_line: int | None = None) -> dict[str, Any]:
    """Parse front matter text of the given format into a dict ({} for none or empty).

    ``first_line`` is the file's line number of the first line of ``text`` (see
    ``Document.front_matter_line``), so that errors name the line in the file (``line 7: bad YAML
    front matter: ...``); without it they say ``front matter line 6: ...``.

    >>> parse_front_matter('title = "x"', "toml")
    {'title': 'x'}
    >>> parse_front_matter("a: [1\\n", "yaml", first_line=2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cleantext.front_matter.FrontMatterError: line 3: bad YAML front matter: did not find ...
    """
    if fmt is None or not text.strip():
        return {}
    try:
        if fmt == "yaml":
            value = load_yaml(text)
        elif fmt == "toml":
            try:
                import tomllib
            except ImportError:  # Python < 3.11
                import tomli as tomllib
            value = tomllib.loads(text)
        else:
            import json

            value = json.loads(text)
    except FrontMatterError as exc:
        raise FrontMatterError(exc.cause, *_shift(exc.line, first_line)) from None
    except RecursionError:
        raise FrontMatterError(f"{fmt.upper()} front matter nested too deeply") from None
    except (ValueError, TypeError, OverflowError, _yaml_error()) as exc:
        cause, line = _error_position(exc)
        raise FrontMatterError(f"bad {fmt.upper()} front matter: {cause}",
                               *_shift(line, first_line)) from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise FrontMatterError(f"front matter is a {type(value).__name__}, not a mapping of "
                               "keys to values", *_shift(1, first_line))
    return value


def _yaml_error() -> type[Exception]:
    return _yaml().YAMLError


def _shift(line: int | None, first_line: int | None) -> tuple[int | None, bool]:
    """(line, in_file) for FrontMatterError, from a line within the front matter text."""
    if line is None or first_line is None:
        return line, False
    return line + first_line - 1, True


_TOML_POSITION = LazyPattern(r"\s*\(at line (\d+), column \d+\)\s*$")


def _error_position(exc: Exception) -> tuple[str, int | None]:
    """A one-line cause and the 1-based line within the parsed text, from a parser's error."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:  # PyYAML
        problem = getattr(exc, "problem", None) or getattr(exc, "context", None) or str(exc)
        return str(problem), mark.line + 1
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int):  # json.JSONDecodeError
        return str(getattr(exc, "msg", exc)), lineno
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    m = _TOML_POSITION.search(message)
    if m:  # tomllib: "Invalid value (at line 3, column 7)"
        return message[: m.start()], int(m.group(1))
    return message, None
