"""Guards for HTML that is built into an lxml tree (strip-ads, meta).

libxml2 builds trees at most 2048 levels deep (with ``huge_tree``; 256 without) and silently
drops what lies deeper, text included. ``check_depth`` turns that into an error, so a step
never writes a document with text missing.

libxml2's tree builder checks each new attribute against the ones already on the element,
so one tag with a million attributes costs minutes (quadratic). No real tag has 64 KB of
attributes: such a tag keeps its name and loses its attributes before parsing. (strip-html
reads parser events, not a tree, and does not need this.)

>>> drop_oversized_attributes("<p " + "a=1 " * 20000 + ">text</p>")
'<p>text</p>'
"""

from __future__ import annotations

from typing import Any

from cleantext.errors import CleantextError
from cleantext.lazyre import LazyPattern

MAX_TAG = 64 * 1024
# The name is taken whole (the lookahead): otherwise, for a "<" followed by a long run of
# name characters and then long text with no ">", every split of the run between the name
# and what follows was tried, each scanning the text: minutes for a 300 KB run.
_OVERSIZED_TAG = LazyPattern(r"<([A-Za-z][A-Za-z0-9:-]*)(?![A-Za-z0-9:-])[^<>]{%d,}>" % MAX_TAG)


def drop_oversized_attributes(html: str) -> str:
    """``html`` with the attributes of any tag longer than MAX_TAG characters removed."""
    if len(html) <= MAX_TAG:
        return html
    return _OVERSIZED_TAG.sub(r"<\1>", html)


def check_depth(parser: Any) -> None:
    """Raise CleantextError if the parse that ``parser`` just did dropped too-deep content."""
    for entry in parser.error_log:
        if entry.type_name == "ERR_RESOURCE_LIMIT":
            raise CleantextError("HTML nested too deeply (over 2,048 levels) to rebuild "
                                 "without losing text")
