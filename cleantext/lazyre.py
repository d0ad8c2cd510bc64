"""Regular expressions compiled on first use, so importing a module (for ``--help``, or for a
command that needs another part of it) does not pay for all of its patterns.

>>> WORD = LazyPattern(r"[一-鿿]+")
>>> WORD.findall("中文 and 漢字")
['中文', '漢字']
"""

from __future__ import annotations

import re
from typing import Any

# What a compiled pattern offers; kept on the LazyPattern once compiled, so later calls are
# ordinary attribute look-ups (no __getattr__ on a hot path).
_ATTRIBUTES = ("search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer",
               "pattern", "flags", "groups", "groupindex")


class LazyPattern:
    """Stands for ``re.compile(pattern, flags)``; compiles at the first attribute access."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        # Only called for what the instance does not have yet: compile and keep it all.
        if name.startswith("__") or name == "_args":
            raise AttributeError(name)
        compiled = re.compile(*self._args)
        for attribute in _ATTRIBUTES:
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)
