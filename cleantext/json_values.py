"""Values made safe for JSON, and dates read and written as ISO 8601, for ``meta``'s record.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from cleantext.front_matter import MAX_DEPTH, MAX_VALUES, FrontMatterError
from cleantext.lazyre import LazyPattern


# --- JSON safety and dates -----------------------------------------------------------------

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
