"""cleantext: clean scraped Markdown/HTML posts -- ads, markup, whitespace, script, metadata.

The public API is loaded on first use, so ``import cleantext`` (and ``cleantext --help``)
stays fast:

- ``Document``: a post split into raw front matter and body, joined back byte for byte;
- ``clean(text, steps=None, **options)``: run several steps on one document's text;
- one function per step, named after it (``strip_html``, ``normalize``...): each takes a
  document's text (or a ``Document``) and options, and returns the same kind;
- ``metadata(text_or_document)``: the ``meta`` record as a JSON-safe dict.

``clean`` and the step functions also take a python-frontmatter ``Post`` and return a new
one (``pip install 'cleantext-posts[frontmatter]'``). Type checkers see the precise types
(``clean(str) -> str``, ``clean(Document) -> Document``) through the ``TYPE_CHECKING``
imports below, which never run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Document", "clean", "metadata", "step_function", "__version__"]

if TYPE_CHECKING:
    from cleantext.api import StepFunction, step_function
    from cleantext.document import Document
    from cleantext.meta import metadata
    from cleantext.pipeline import clean

    # The step functions, made from the registry at run time (one line per step).
    strip_ads: StepFunction
    extract: StepFunction
    strip_html: StepFunction
    normalize: StepFunction
    convert: StepFunction
    t2s: StepFunction

    def __getattr__(name: str) -> StepFunction:
        """A step registered later and not named above is a StepFunction too."""
        raise AttributeError(name)


def _load(name: str) -> Any:
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


if not TYPE_CHECKING:
    __getattr__ = _load


def __dir__() -> list[str]:
    from cleantext.registry import STEPS

    return sorted([*__all__, *(step.func_name for step in STEPS.values())])
