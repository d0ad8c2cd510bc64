"""Front matter parsing and the ``meta`` record (Document -> JSON-safe dict).

This module owns three things:

- parsing front matter (YAML, TOML, JSON) into a dict, with errors that name the line and
  with hostile YAML (alias bombs, merge-key bombs, deep nesting) refused before it is built;
- the ``meta`` record: every front-matter key with a JSON-safe value, dates as ISO 8601,
  plus added fields (``_path``, ``_format``, ``_url``, ``_date_from``, ``_chars``,
  ``_paragraphs``, ``_script``) -- see ``record``;
- ``MetaJob``, the runner job behind ``cleantext meta`` (one JSON line per document).

Heavy modules (yaml, tomllib, lxml) are imported inside the functions that use them; the
script is told from `cleantext.script_tables`, without OpenCC.

>>> rec = metadata("---\\ntitle: Hi\\ndate: 2021-04-17\\n---\\n<p>你好，世界</p>\\n")
>>> rec["title"], rec["date"], rec["_format"], rec["_chars"], rec["_paragraphs"]
('Hi', '2021-04-17', 'yaml', 5, 1)
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import sys
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

from cleantext.document import Document
from cleantext.errors import CleantextError
from cleantext.lazyre import LazyPattern

if TYPE_CHECKING:
    from cleantext.api import PostLike

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
    ``front_matter_line``), so that errors name the line in the file (``line 7: bad YAML
    front matter: ...``); without it they say ``front matter line 6: ...``.

    >>> parse_front_matter('title = "x"', "toml")
    {'title': 'x'}
    >>> parse_front_matter("a: [1\\n", "yaml", first_line=2)
    Traceback (most recent call last):
    ...
    cleantext.meta.FrontMatterError: line 3: bad YAML front matter: did not find expected ',' or ']'
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


def front_matter_line(doc: Document) -> int:
    """The file's line number (1-based) where ``doc.front_matter`` starts."""
    fm = doc.front_matter
    start = doc.head.find(fm) if fm else 0
    return doc.head.count("\n", 0, max(start, 0)) + 1


# --- JSON safety and dates -----------------------------------------------------------------

# Top-level keys whose string or number values are read as dates (case-insensitive): Jekyll,
# Hugo and Hexo spellings, and the RSS-style names of scraped feeds.
DATE_KEYS = frozenset({
    "date", "updated", "lastmod", "published", "publishdate", "pubdate", "modified",
    "created", "expirydate", "last_modified", "date_published", "date_modified",
})
# Keys holding the post's source address, in order of preference (an absolute address in
# any of them is preferred to a relative one: ``url: /posts/x/`` is the site's own path).
URL_KEYS = ("from", "url", "link", "source")
# The keys ``meta`` reads, read whatever their case as Hugo reads them: ``Title:`` is
# ``title`` (the record names it so), unless the front matter also has the lower-case key.
READ_KEYS = frozenset({"title", "path", *DATE_KEYS, *URL_KEYS})
# Zola gives a post its address, often with its date, in ``path = "2014/12/12/slug"``.
_PATH_DATE = LazyPattern(r"(?:^|/)(\d{4})/(\d{1,2})/(\d{1,2})(?:/|$)")
_ABSOLUTE_URL = LazyPattern(r"(?:[A-Za-z][A-Za-z0-9+.-]*:)?//\S")

# Seconds since 1970 up to this are seconds; bigger numbers are milliseconds (1e11 s is the
# year 5138, 1e11 ms is 1973), as JavaScript scrapers write them.
_MS_THRESHOLD = 10**11
# Smaller numbers are not read as Unix time (10**8 s is 1973-03-03): they are a year (2021),
# a time YAML read in base 60 (10:30 is 630), a count; an 8-digit one may be 20210417.
_MIN_UNIX = 10**8
_MAX_UNIX = 253_402_300_799  # 9999-12-31T23:59:59Z

_CHINESE_DATE = LazyPattern(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]"
    r"(?:\s*(?:上午|下午)?\s*(\d{1,2})\s*[:：时時点點]\s*(\d{1,2})\s*分?"
    r"(?:\s*[:：]?\s*(\d{1,2})\s*秒?)?)?\s*$"
)
_SLASH_DATE = LazyPattern(
    r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$"
)
_ISO_DATE = LazyPattern(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|z|[+-]\d{2}:?\d{2})?)?$"
)
_JEKYLL_NAME = LazyPattern(r"(\d{4})-(\d{2})-(\d{2})-.+")


def iso(value: dt.date | dt.time) -> str:
    """ISO 8601 text, with fractions of a second shortened to what they hold.

    >>> iso(dt.datetime(2021, 4, 17, 12, 54, 21, 629000, dt.timezone.utc))
    '2021-04-17T12:54:21.629+00:00'
    >>> iso(dt.date(2021, 4, 17))
    '2021-04-17'
    """
    if isinstance(value, (dt.datetime, dt.time)):
        micro = value.microsecond
        spec = "seconds" if not micro else "milliseconds" if micro % 1000 == 0 else "microseconds"
        return value.isoformat(timespec=spec)
    return value.isoformat()


def parse_date(value: Any) -> dt.date | None:
    """Read a date-like value: ISO 8601, RFC 2822, Chinese, ``2021/04/17`` or Unix time.

    Returns None when it is not understood.

    >>> parse_date("Fri, 22 Apr 2022 13:29:05 GMT")
    datetime.datetime(2022, 4, 22, 13, 29, 5, tzinfo=datetime.timezone.utc)
    >>> parse_date("2021年4月17日")
    datetime.date(2021, 4, 17)
    >>> parse_date(1618713840000)
    datetime.datetime(2021, 4, 18, 2, 44, tzinfo=datetime.timezone.utc)
    >>> parse_date("next Tuesday") is None
    True
    """
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return _unix(value)
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if re.fullmatch(r"\d+(?:\.\d+)?", text):
            return _unix(float(text) if "." in text else int(text))
        if _ISO_DATE.match(text):
            return _iso_parse(text)
        m = _CHINESE_DATE.match(text) or _SLASH_DATE.match(text)
        if m:
            y, mo, d, h, mi, s = (int(g) if g else None for g in m.groups())
            if h is None:
                return dt.date(y, mo, d)  # type: ignore[arg-type]
            if "下午" in text and h < 12:
                h += 12
            elif "上午" in text and h == 12:  # 上午12:30 is half past midnight
                h = 0
            return dt.datetime(y, mo, d, h, mi or 0, s or 0)  # type: ignore[arg-type]
        from email.utils import parsedate_to_datetime

        return parsedate_to_datetime(text)
    except (ValueError, TypeError, IndexError, OverflowError):
        return None


def _iso_parse(text: str) -> dt.date:
    text = text.replace(" ", "T", 1) if len(text) > 10 else text
    if len(text) == 10:
        return dt.date.fromisoformat(text)
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"[Zz]$", "+00:00", text)
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text).replace(",", ".")
    # Python < 3.11 takes only 3 or 6 digits of fraction.
    text = re.sub(r"\.(\d+)", lambda m: "." + (m.group(1) + "000000")[:6], text)
    return dt.datetime.fromisoformat(text)


def _unix(number: float) -> dt.date | None:
    """A number as a date: ``YYYYMMDD``, else Unix seconds or milliseconds from 1973 on.

    >>> _unix(20210417), _unix(2021) is None
    (datetime.date(2021, 4, 17), True)
    """
    if isinstance(number, float) and not math.isfinite(number):
        return None
    if number < _MIN_UNIX:
        if isinstance(number, int) and 10_000_101 <= number <= 99_991_231:
            try:
                return dt.date(number // 10_000, number // 100 % 100, number % 100)
            except ValueError:
                return None
        return None
    seconds = number / 1000 if number >= _MS_THRESHOLD else number
    if seconds > _MAX_UNIX:
        return None
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc)


class _Budget:
    __slots__ = ("left",)

    def __init__(self, left: int) -> None:
        self.left = left


def json_safe(value: Any, *, _depth: int = 0, _budget: _Budget | None = None) -> Any:
    """``value`` with everything ``json.dumps`` rejects (or writes as non-JSON) converted.

    Dates and times become ISO 8601, bytes (YAML ``!!binary``) base64, sets and tuples
    lists, NaN and infinities the strings JavaScript prints for them, and non-string keys
    strings. Raises FrontMatterError past MAX_DEPTH levels or MAX_VALUES values.

    >>> json_safe({1: dt.date(2021, 4, 17), "x": float("inf"), "s": {"b", "a"}})
    {'1': '2021-04-17', 'x': 'Infinity', 's': ['a', 'b']}
    """
    budget = _budget or _Budget(MAX_VALUES)
    budget.left -= 1
    if budget.left < 0:
        raise FrontMatterError(f"front matter has more than {MAX_VALUES:,} values; refusing it")
    if _depth > MAX_DEPTH:
        raise FrontMatterError(f"front matter nested more than {MAX_DEPTH} levels deep")
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
    if isinstance(value, (dt.date, dt.time)):
        return iso(value)
    if isinstance(value, dict):
        return {_json_key(k): json_safe(v, _depth=_depth + 1, _budget=budget)
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v, _depth=_depth + 1, _budget=budget) for v in value]
    if isinstance(value, (set, frozenset)):
        items = [json_safe(v, _depth=_depth + 1, _budget=budget) for v in value]
        return sorted(items, key=lambda v: (type(v).__name__, str(v)))
    if isinstance(value, (bytes, bytearray)):
        import base64

        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


_LONE_SURROGATE = LazyPattern("[\ud800-\udfff]")


def json_text(value: Any, *, ascii: bool = False, indent: int | None = None) -> str:
    """``value`` (JSON-safe) as JSON text that is also valid UTF-8: a lone surrogate, which
    a JSON front matter's ``"\\ud800"`` escape can give, is written as that escape again.

    >>> json_text({"t": "a\\ud800b"})
    '{"t": "a\\\\ud800b"}'
    """
    import json

    out = json.dumps(value, ensure_ascii=ascii, indent=indent, allow_nan=False)
    if not ascii and _LONE_SURROGATE.search(out):
        out = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)
    return out


def _json_key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, (bool, int, float)):
        import json

        return json.dumps(key)  # null, true, 1.5 -- as YAML would write the key back
    if isinstance(key, (dt.date, dt.time)):
        return iso(key)
    import json

    return json.dumps(json_safe(key), ensure_ascii=False)  # YAML complex keys: [a, b]


# --- the record ------------------------------------------------------------------------------

ADDED_FIELDS = ("_path", "_format", "_url", "_date_from", "_chars", "_paragraphs", "_script")


def record(doc: Document, *, raw: bool = False,
           fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The ``meta`` record of ``doc``: a JSON-safe dict, front-matter keys first (in file
    order), then the added fields ``_path``, ``_format``, ``_url``, ``_date_from``,
    ``_chars``, ``_paragraphs`` and ``_script``.

    Dates become ISO 8601 (unless ``raw``: then values stay as parsed, only made JSON-safe).
    Without a date, a Jekyll-style file name (``2021-04-17-slug.md``) gives one. Without a
    title, the body's ``<title>``, ``<h1>`` or first Markdown heading gives one.

    ``fields`` keeps only those keys, in that order; a name that is not a key but is an
    added field without its underscore (``url`` for ``_url``) gives that field; a missing
    field is null, so every record has the same keys.

    Raises FrontMatterError (a CleantextError) for front matter that cannot be parsed.
    """
    try:
        meta = _lower_read_keys(
            parse_front_matter(doc.front_matter, doc.format, first_line=front_matter_line(doc)))
        rec: dict[str, Any] = json_safe(meta)
    except RecursionError:
        raise FrontMatterError("front matter nested too deeply") from None
    if not raw:
        for key, value in meta.items():
            if isinstance(key, str) and key.lower() in DATE_KEYS and not isinstance(value, dt.date):
                parsed = parse_date(value)
                if parsed is not None:
                    rec[key] = iso(parsed)

    # A date key in any case (``date`` beside a ``Date``) is the post's date.
    has_date = any(isinstance(k, str) and k.lower() == "date" and _present(v)
                   for k, v in rec.items())
    date_from = "front-matter" if has_date else "none"
    if date_from == "none":
        path_date = date_from_path_key(rec.get("path"))
        if path_date is not None:
            rec["date"] = path_date
            date_from = "front-matter-path"
    if date_from == "none":
        file_date = date_from_path(doc.path)
        if file_date is not None:
            rec["date"] = file_date
            date_from = "filename"

    want_title = not _present(rec.get("title"))
    if fields is None or _STAT_FIELDS.intersection(fields) or (want_title and "title" in fields):
        stats = body_stats(doc.body, want_title=want_title)
    else:  # --fields asks for nothing from the body: skip its parse (the costly part)
        stats = BodyStats(0, 0, "none", None)
    if stats.title:
        rec["title"] = stats.title
    if doc.format is None:  # a bare HTML page: what its head says (cleantext.page_meta)
        from cleantext.page_meta import page_fields

        date_from = page_fields(rec, doc.body, want_title, date_from)

    rec["_path"] = doc.path
    rec["_format"] = doc.format or "none"
    rec["_url"] = source_url(rec)
    rec["_date_from"] = date_from
    rec["_chars"] = stats.chars
    rec["_paragraphs"] = stats.paragraphs
    rec["_script"] = stats.script
    if fields is not None:
        return {name: _field(rec, name) for name in fields}
    return rec


# Fields computed from the body (the title may come from it too).
_STAT_FIELDS = frozenset({"_chars", "chars", "_paragraphs", "paragraphs", "_script", "script"})


def _present(value: Any) -> bool:
    return value is not None and value != ""


def _field(rec: dict[str, Any], name: str) -> Any:
    if name in rec:
        return rec[name]
    return rec.get("_" + name)


def _lower_read_keys(meta: dict[Any, Any]) -> dict[Any, Any]:
    """``meta`` with each key of READ_KEYS in lower case (``Title`` as ``title``), in its
    place, unless the lower-case key is there too (then both stay as written).

    >>> _lower_read_keys({"Title": "T", "Date": 1, "Tags": [], "url": "u", "URL": "v"})
    {'title': 'T', 'date': 1, 'Tags': [], 'url': 'u', 'URL': 'v'}
    """
    renamed: dict[Any, Any] = {}
    for key, value in meta.items():
        if isinstance(key, str) and key not in READ_KEYS and key.lower() in READ_KEYS:
            lower = key.lower()
            if lower not in meta and lower not in renamed:
                renamed[lower] = value
                continue
        renamed[key] = value
    return renamed


def source_url(rec: dict[str, Any]) -> str | None:
    """The post's source address: the first absolute one among URL_KEYS, else the first
    non-empty one (a relative ``url: /posts/x/``), else None.

    >>> source_url({"url": "/posts/x/", "source": "https://example.org/x"})
    'https://example.org/x'
    >>> source_url({"url": " /posts/x/ "})
    '/posts/x/'
    """
    found = [rec[k].strip() for k in URL_KEYS if isinstance(rec.get(k), str) and rec[k].strip()]
    return next((url for url in found if _ABSOLUTE_URL.match(url)), found[0] if found else None)


def date_from_path_key(path: Any) -> str | None:
    """The date in a Zola ``path`` (``2014/12/12/slug``), as ISO 8601.

    >>> date_from_path_key("/2014/12/12/slug/"), date_from_path_key("2014/13/40/x")
    ('2014-12-12', None)
    """
    if not isinstance(path, str):
        return None
    m = _PATH_DATE.search(path.strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def date_from_path(path: str | None) -> str | None:
    """The date in a Jekyll-style file name (``2021-04-17-slug.md``), as ISO 8601.

    >>> date_from_path("_posts/2021-04-17-p2p.md")
    '2021-04-17'
    >>> date_from_path("2021-13-40-x.md") is None
    True
    """
    if not path:
        return None
    name = re.split(r"[/\\]", path)[-1]
    m = _JEKYLL_NAME.fullmatch(name)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def metadata(text_or_doc: str | Document | PostLike, *, raw: bool = False,
             fields: str | Iterable[str] | None = None,
             path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The ``meta`` record of a document's text (or a Document) as a JSON-safe dict.

    >>> metadata("# Hello\\n\\nSome text.\\n", path="2021-04-17-hello.md", fields=("title", "date"))
    {'title': 'Hello', 'date': '2021-04-17'}
    """
    from cleantext.api import as_document

    if isinstance(fields, str):  # one field, not its characters
        fields = (fields,)
    doc = as_document(text_or_doc, "metadata()")
    if path is not None:
        doc = Document(doc.head, doc.body, doc.format, os.fspath(path))
    return record(doc, raw=raw, fields=None if fields is None else tuple(fields))


# --- body statistics -------------------------------------------------------------------------

# Elements whose content is not visible text.
_INVISIBLE = frozenset({"head", "title", "script", "style", "noscript", "template", "svg",
                        "math", "iframe", "object", "canvas", "select", "option"})
# Elements that start a new block of text (a paragraph boundary).
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p",
    "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_BREAK = "\n\n"  # a block boundary: Markdown's paragraph break
_CONTROL = LazyPattern(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# Markdown syntax to drop. Link text excludes "[" and targets exclude "(" so that a long run
# of brackets costs linear time, not quadratic (a regex backtracking over each start).
_MD_IMAGE = LazyPattern(r"!\[[^\[\]\n]*\]\([^()\s]*\)")
_MD_LINK = LazyPattern(r"\[([^\[\]\n]*)\]\([^()\s]*\)")
_MD_RULE = LazyPattern(r"^[ \t]*(?:[-=*_][ \t]*){3,}$", re.MULTILINE)
_MD_HEADING_MARK = LazyPattern(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)
# A heading line (group 1: its text) or a setext underline (the heading is the line above).
_HEADING_LINE = LazyPattern(r"^[ \t]{0,3}(?:#{1,6}[ \t]+(.*)|(?:=+|-+)[ \t\r]*)$", re.MULTILINE)
_SETEXT_UNDERLINE = LazyPattern(r"[ \t]{0,3}(?:=+|-+)[ \t]*")
_PARAGRAPH_BREAK = LazyPattern(r"\n[ \t\u3000]*\n")
_WORDLIKE = LazyPattern(r"\w")
_SPACE = LazyPattern(r"\s+")


class BodyStats:
    """Visible-text statistics of a body: ``chars``, ``paragraphs``, ``script``, ``title``."""

    __slots__ = ("chars", "paragraphs", "script", "title")

    def __init__(self, chars: int, paragraphs: int, script: str, title: str | None) -> None:
        self.chars, self.paragraphs, self.script, self.title = chars, paragraphs, script, title


def body_stats(body: str, *, want_title: bool = True) -> BodyStats:
    """Count the visible text of ``body`` (HTML and/or Markdown) and detect its script.

    ``chars`` counts characters with every run of whitespace as one space; ``paragraphs``
    counts text blocks (HTML block elements, or Markdown blocks between blank lines) that
    hold at least one letter or digit.

    >>> s = body_stats("<h1>標題</h1><p>這是一個測試。</p><script>x()</script>\\n\\nMore text")
    >>> s.chars, s.paragraphs, s.script, s.title
    (18, 3, 'traditional', '標題')
    """
    blocks, title = visible_blocks(body, want_title=want_title)
    paragraphs = [p for p in blocks if _WORDLIKE.search(p)]
    chars = sum(len(p) for p in paragraphs)
    return BodyStats(chars, len(paragraphs), detect_script("\n".join(paragraphs)), title)


def visible_blocks(body: str, *, want_title: bool = False) -> tuple[list[str], str | None]:
    """The body's visible text as blocks (whitespace collapsed), and a title if wanted.

    The title is the ``<title>``, else the first ``<h1>``, else the first Markdown heading.
    """
    body = _CONTROL.sub("", body)
    if not body.strip():
        return [], None
    root = None
    if _has_markup(body):
        root = _parse_html(body)
        if root is None:
            return [], None
        text = _collect(root)
    else:
        text = _plain_text(body)
    title = None
    if want_title:
        if root is not None:
            title = _element_text(root, "//title") or _element_text(root, "//h1")
        title = title or _markdown_heading(text)
    paragraphs = (_SPACE.sub(" ", para).strip()
                  for para in _PARAGRAPH_BREAK.split(_clean_markdown(text)))
    return [para for para in paragraphs if para], title


def _has_markup(body: str) -> bool:
    """Whether the body is parsed as HTML: it may hold tags or entities (or starts with a
    byte order mark, which libxml2 keeps or skips depending on what follows)."""
    return "<" in body or "&" in body or body.startswith("\ufeff")


def _parse_html(body: str) -> Any:
    """The body as an lxml tree (None if it holds nothing lxml calls a document)."""
    import lxml.etree

    from cleantext.htmlguard import check_depth, drop_oversized_attributes

    try:
        # Declared UTF-8 bytes: an encoding named in the text says nothing here, and a lone
        # surrogate (a str from the Python API) becomes "?" where libxml2 silently dropped
        # the rest. Plain lxml.etree elements: lxml.html's classes cost a lookup per node.
        parser = lxml.etree.HTMLParser(huge_tree=True, encoding="utf-8")
        data = drop_oversized_attributes(body).encode("utf-8", "replace")
        root = lxml.etree.fromstring(data, parser=parser)
        check_depth(parser)
    except (ValueError, lxml.etree.LxmlError):
        return None
    return root


def _plain_text(body: str) -> str:
    """What ``_collect`` makes of a body without tags or entities, without lxml (a fifth of
    ``meta``'s start-up, and plain text or Markdown is what it sees at the end of a pipeline):
    libxml2 turns CR LF and CR into LF, skips the blanks before the text, and makes the text
    one block. A test checks that both give the same blocks and title on any such text.
    """
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (the Python API): "?", as parsed
        text = text.encode("utf-8", "replace").decode("utf-8")
    return _BREAK + text.lstrip(" \t\n") + _BREAK


def _markdown_heading(text: str) -> str | None:
    """The first ATX (``# Title``) or setext (``Title`` over ``=====``) heading's text."""
    for m in _HEADING_LINE.finditer(text):
        if m.group(1) is not None:  # "## Title ##"
            heading = m.group(1).rstrip().rstrip("#")
        else:  # an underline: the line above is the heading, if it is text
            end = m.start() - 1
            if end < 0:
                continue
            heading = text[text.rfind("\n", 0, end) + 1 : end]
            if not heading.strip() or _SETEXT_UNDERLINE.fullmatch(heading.rstrip("\r")):
                continue
        heading = _SPACE.sub(" ", _clean_markdown(heading)).strip()
        if heading:
            return heading
    return None


def _clean_markdown(text: str) -> str:
    """Drop Markdown syntax that is not visible: images, link targets, rules, heading marks."""
    if "](" in text:
        text = _MD_IMAGE.sub("", text)
        text = _MD_LINK.sub(r"\1", text)
    text = _MD_RULE.sub("\n", text)
    return _MD_HEADING_MARK.sub("", text)


def _element_text(root: Any, xpath: str) -> str | None:
    for element in root.xpath(xpath):
        text = _SPACE.sub(" ", element.xpath("string()")).strip()
        if text:
            return text
    return None


def _collect(root: Any) -> str:
    """The visible text under ``root``, with _BREAK at block boundaries (no recursion, so
    deep HTML cannot exhaust the stack; comments are walked too, for their tails)."""
    parts: list[str] = []
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else None
        block = tag in _BLOCKS
        if closing:
            if block:
                parts.append(_BREAK)
            if element.tail:
                parts.append(element.tail)
            continue
        if tag is None or tag in _INVISIBLE:  # comment, processing instruction, script...
            if element.tail:
                parts.append(element.tail)
            continue
        if block:
            parts.append(_BREAK)
        elif tag == "br":
            parts.append("\n")
        if element.text:
            parts.append(element.text)
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    return "".join(parts)


# --- script detection --------------------------------------------------------------------------

# A text is "mixed" when the smaller of the simplified-only and traditional-only counts is
# at least this share of their sum (and at least _MIXED_MIN characters). Below it, the
# minority is taken as noise: one-to-many mappings (干 -> 幹/乾, 只 -> 隻, 了 -> 瞭) that s2t
# resolves wrongly in some phrases, names, short quotations. On the 600 corpus posts the
# noise reaches 11% in traditional texts and 13% in simplified ones; the two posts that
# really mix both scripts (Matters essays quoting simplified text) are at 32% and 44%.
_MIXED_SHARE = 0.2
_MIXED_MIN = 3
# Han characters looked at by the script detection (a long article has 10,000).
_SCRIPT_SAMPLE = 50_000
_HAN = LazyPattern(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


@cache
def _script_tables() -> tuple[frozenset[str], frozenset[str]]:
    from cleantext.script_tables import SIMPLIFIED_ONLY, TRADITIONAL_ONLY

    return frozenset(SIMPLIFIED_ONLY), frozenset(TRADITIONAL_ONLY)


def script_counts(text: str) -> tuple[int, int]:
    """``(simplified-only, traditional-only)`` character counts of ``text``'s Han characters.

    A character that OpenCC's t2s changes exists only in traditional Chinese. One that s2t
    changes exists only in simplified Chinese -- unless t2tw or t2hk turn s2t's choice back
    into it: 台 and 群, which s2t makes the older 臺 and 羣, are how Taiwan writes them.
    Characters left alone are common to both. The two sets are worked out from OpenCC's
    dictionaries one character at a time and shipped in ``cleantext.script_tables`` (so no
    dictionary is loaded here). Only the first _SCRIPT_SAMPLE Han characters are looked at,
    so a huge document costs no more than a long article.

    >>> script_counts("汉字简体"), script_counts("漢字簡體"), script_counts("中文")
    ((3, 0), (0, 3), (0, 0))
    >>> script_counts("台灣")
    (0, 1)
    """
    han = "".join(_HAN.findall(text))[:_SCRIPT_SAMPLE]
    if not han:
        return 0, 0
    simplified, traditional = _script_tables()
    return sum(map(simplified.__contains__, han)), sum(map(traditional.__contains__, han))


def detect_script(text: str) -> str:
    """``simplified``, ``traditional``, ``mixed`` or ``none`` (no character specific to
    either script: no Chinese, or only characters both scripts share).

    >>> detect_script("这是简体中文。"), detect_script("這是繁體中文。"), detect_script("Hello")
    ('simplified', 'traditional', 'none')
    """
    simplified, traditional = script_counts(text)
    total = simplified + traditional
    if not total:
        return "none"
    minority = min(simplified, traditional)
    if minority >= _MIXED_MIN and minority >= _MIXED_SHARE * total:
        return "mixed"
    return "simplified" if simplified > traditional else "traditional"


# --- the runner job ----------------------------------------------------------------------------


class MetaJob:
    """A picklable runner job: a document's text -> its record as one JSON line."""

    def __init__(self, *, raw: bool = False, fields: tuple[str, ...] | None = None,
                 ascii: bool = False, pretty: bool = False) -> None:
        self.raw = raw
        self.fields = fields
        self.ascii = ascii
        self.pretty = pretty

    def __call__(self, text: str, name: str) -> str:
        rec = record(Document.parse(text, name), raw=self.raw, fields=self.fields)
        return json_text(rec, ascii=self.ascii, indent=2 if self.pretty else None) + "\n"

