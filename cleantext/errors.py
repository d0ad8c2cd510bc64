"""Errors that end one document's processing with a one-line message (never a traceback), and
how that line is written."""

from __future__ import annotations

import sys


class CleantextError(Exception):
    """A problem with one input or one rule file; the message says what and how to fix it."""


class InputError(CleantextError):
    """The input cannot be read or decoded."""


class OutputClosed(Exception):
    """The reader of stdout went away (``| head``): stop quietly.

    Not an OSError, so click does not turn it into its own exit status 1 on the way up."""


def describe(exc: BaseException) -> str:
    """A one-line cause for an exception raised while processing one document."""
    if isinstance(exc, CleantextError):
        return str(exc)
    if isinstance(exc, RecursionError):
        return "document nested too deeply to process"
    if isinstance(exc, MemoryError):
        return "out of memory while processing this document"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    first = str(exc).splitlines()[0] if str(exc) else ""
    return f"internal error: {type(exc).__name__}: {first}".rstrip(": ")


_INT_DIGITS = ("Exceeds the limit (", ") for integer string conversion",  # 3.10: no "digits"
               "; use sys.set_int_max_str_digits() to increase the limit")


def _plain(message: str) -> str:
    """``message`` without advice on Python settings (a 5000-digit number in YAML)."""
    start = message.find(_INT_DIGITS[0])
    if start < 0 or _INT_DIGITS[1] not in message:
        return message
    import re

    found = re.search(r"Exceeds the limit \((\d+)(?: digits)?\) for integer string conversion"
                      r"(?:: value has (\d+) digits)?(?:; use sys\.set_int_max_str_digits\(\) "
                      r"to increase the limit)?", message)
    if found is None:
        return message
    limit, digits = found.groups()
    what = f"a number of {digits} digits" if digits else "a number too long"
    return (message[:found.start()] + f"{what}, longer than the {limit} digits that can be read"
            + message[found.end():])


def error(name: str, message: str) -> None:
    """Report one input's failure on stderr, as one line."""
    message = _plain(" ".join(message.split()))
    sys.stderr.write(f"cleantext: {name}: {message}\n")
    sys.stderr.flush()
