"""Step functions for Python users, made from the registry: text in, text out.

Each function (and ``cleantext.clean``) gives back what it was given: text for text, a
``Document`` for a Document, and a ``frontmatter.Post`` for a python-frontmatter Post
(``pip install 'cleantext-posts[frontmatter]'``).

>>> from cleantext import normalize
>>> normalize("---\\nt: 1\\n---\\n　　Ｈｉ  there\\n\\n\\n")
'---\\nt: 1\\n---\\nHi there\\n'
"""

from __future__ import annotations

from typing import Any, TypeVar, overload

from cleantext.document import Document, PostLike, _frontmatter_of, as_document
from cleantext.registry import get, python_options


P = TypeVar("P", bound=PostLike)


class StepFunction:
    """Calls one registered step on a document's text (returns text), a Document (returns a
    Document) or a ``frontmatter.Post`` (returns a new Post)."""

    def __init__(self, name: str) -> None:
        self.step = get(name)
        self.__name__ = self.step.func_name
        self.__doc__ = f"{self.step.summary}\n\nOptions: " + ", ".join(
            f"{p.name} (default {p.default!r}): {p.help}" for p in self.step.params
        )

    @overload
    def __call__(self, document: str, **options: Any) -> str: ...

    @overload
    def __call__(self, document: Document, **options: Any) -> Document: ...

    @overload
    def __call__(self, document: P, **options: Any) -> P: ...

    def __call__(self, document: str | Document | PostLike, **options: Any) -> Any:
        options = python_options([self.step.name], options, f"{self.__name__}()")
        doc = as_document(document, f"{self.__name__}()")
        return same_kind(document, self.step.run(doc, **self.step.options(options)))

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return (step_function, (self.step.name,))

    def __repr__(self) -> str:
        return f"<cleantext step {self.step.name}>"


def same_kind(given: Any, result: Document) -> Any:
    """``result`` in the kind of ``given``: a Document, text, or a new frontmatter.Post."""
    if isinstance(given, Document):
        return result
    module = _frontmatter_of(given)
    if module is not None:
        handler = given.handler
        if result.format is None:  # no front matter left
            return module.Post(result.body.strip(), handler=handler)
        return module.loads(result.text, handler=handler) if handler else module.loads(
            result.text)
    return result.text


def step_function(name: str) -> StepFunction:
    """The Python function for the step called ``name`` (``strip-html`` or ``strip_html``)."""
    return StepFunction(name.replace("_", "-"))
