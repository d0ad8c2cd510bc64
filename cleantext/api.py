"""Step functions for Python users, made from the registry: text in, text out.

>>> from cleantext import normalize
>>> normalize("---\\nt: 1\\n---\\n　　Ｈｉ  there\\n\\n\\n")
'---\\nt: 1\\n---\\nHi there\\n'
"""

from __future__ import annotations

from typing import Any, TypeVar

from cleantext.document import Document
from cleantext.registry import get, python_options

T = TypeVar("T", str, Document)


class StepFunction:
    """Calls one registered step on a document's text (returns text) or a Document."""

    def __init__(self, name: str) -> None:
        self.step = get(name)
        self.__name__ = self.step.func_name
        self.__doc__ = f"{self.step.summary}\n\nOptions: " + ", ".join(
            f"{p.name} (default {p.default!r}): {p.help}" for p in self.step.params
        )

    def __call__(self, document: T, **options: Any) -> T:
        options = python_options([self.step.name], options, f"{self.__name__}()")
        doc = as_document(document, f"{self.__name__}()")
        result = self.step.run(doc, **self.step.options(options))
        return result if isinstance(document, Document) else result.text

    def __reduce__(self) -> tuple:
        return (step_function, (self.step.name,))

    def __repr__(self) -> str:
        return f"<cleantext step {self.step.name}>"


def as_document(document: Any, caller: str) -> Document:
    """``document`` as a Document: parsed from text, or as it is; anything else a TypeError."""
    if isinstance(document, Document):
        return document
    if isinstance(document, str):
        return Document.parse(document)
    hint = " (decode it first: data.decode('utf-8'))" if isinstance(document, bytes) else ""
    raise TypeError(f"{caller} takes a document's text (str) or a Document, "
                    f"not {type(document).__name__}{hint}")


def step_function(name: str) -> StepFunction:
    """The Python function for the step called ``name`` (``strip-html`` or ``strip_html``)."""
    return StepFunction(name.replace("_", "-"))
