"""Regular expressions compiled on first use, so importing a step (for ``--help``) does not
pay for patterns with large Unicode classes (a few milliseconds each).

>>> WORD = LazyPattern(r"[一-鿿]+")
>>> WORD.findall("中文 and 漢字")
['中文', '漢字']
"""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    """Stands for ``re.compile(pattern, flags)``; compiles at the first attribute access."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(*self._args)
        return getattr(compiled, name)
