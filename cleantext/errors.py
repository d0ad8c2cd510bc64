"""Errors that end one document's processing with a one-line message (never a traceback)."""


class CleantextError(Exception):
    """A problem with one input or one rule file; the message says what and how to fix it."""


class InputError(CleantextError):
    """The input cannot be read or decoded."""


class OutputClosed(Exception):
    """The reader of stdout went away (``| head``): stop quietly.

    Not an OSError, so click does not turn it into its own exit status 1 on the way up."""
