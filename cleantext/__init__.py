"""cleantext: clean scraped Markdown/HTML posts -- ads, markup, whitespace, script, metadata.

The public API is loaded on first use, so ``import cleantext`` (and ``cleantext --help``)
stays fast:

- ``Document``: a post split into raw front matter and body, joined back byte for byte;
- ``clean(text, steps=None, **options)``: run several steps on one document's text;
- one function per step, named after it (``strip_html``, ``normalize``...): each takes a
  document's text (or a ``Document``) and options, and returns the same kind;
- ``metadata(text_or_document)``: the ``meta`` record as a JSON-safe dict.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["Document", "clean", "metadata", "step_function", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "Document":
        from cleantext.document import Document

        return Document
    if name == "clean":
        from cleantext.pipeline import clean

        return clean
    if name == "metadata":
        from cleantext.meta import metadata

        return metadata
    if name == "step_function":
        from cleantext.api import step_function

        return step_function
    # Matched on the registry's names, without importing the steps: ``from cleantext import
    # diskcache`` asks here first for a submodule not yet imported, and must stay cheap.
    from cleantext.registry import STEP_MODULES, function_name

    for step_name in STEP_MODULES:
        if function_name(step_name) == name:
            from cleantext.api import step_function

            return step_function(step_name)
    raise AttributeError(f"module 'cleantext' has no attribute {name!r}")


def __dir__() -> list[str]:
    from cleantext.registry import STEPS

    return sorted([*__all__, *(step.func_name for step in STEPS.values())])
