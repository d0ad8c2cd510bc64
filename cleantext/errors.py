"""Errors that end one document's processing with a one-line message (never a traceback)."""


class CleantextError(Exception):
    """A problem with one input or one rule file; the message says what and how to fix it."""


class InputError(CleantextError):
    """The input cannot be read or decoded."""
