"""Step functions for Python users, made from the registry: text in, text out.

Each function (and ``cleantext.clean``) gives back what it was given: text for text, a
``Document`` for a Document, and a ``frontmatter.Post`` for a python-frontmatter Post
(``pip install 'cleantext-posts[frontmatter]'``).

>>> from cleantext import normalize
>>> normalize("---\\nt: 1\\n---\\n　　Ｈｉ  there\\n\\n\\n")
'---\\nt: 1\\n---\\nHi there\\n'
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any, Protocol, TypeVar, overload

from cleantext.document import Document
from cleantext.registry import get, python_options


class PostLike(Protocol):
    """What the API reads of a ``frontmatter.Post`` (python-frontmatter): its front matter
    as a dict and its body. Typing only: a Post is told at run time by its class."""

    @property
    def metadata(self) -> Mapping[str, Any]: ...

    @property
    def content(self) -> str: ...


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


def _frontmatter_of(document: object) -> Any:
    """python-frontmatter's module when ``document`` is one of its Posts, else None.

    Never imports it: whoever made a Post has imported the module, so it is in
    ``sys.modules`` when a Post can exist (and ``import cleantext`` stays cheap)."""
    module = sys.modules.get("frontmatter")
    if module is not None and isinstance(document, getattr(module, "Post", ())):
        return module
    return None


def as_document(document: Any, caller: str) -> Document:
    """``document`` as a Document: parsed from text (or from a ``frontmatter.Post`` written
    out by its own handler), or as it is; anything else a TypeError."""
    if isinstance(document, Document):
        return document
    if isinstance(document, str):
        return Document.parse(document)
    module = _frontmatter_of(document)
    if module is not None:
        return Document.parse(_post_text(module, document))
    hint = " (decode it first: data.decode('utf-8'))" if isinstance(document, bytes) else ""
    raise TypeError(f"{caller} takes a document's text (str) or a Document (or a "
                    f"frontmatter.Post), not {type(document).__name__}{hint}")


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


def _post_text(module: Any, post: Any) -> str:
    """A Post as the file python-frontmatter would write (keys in the Post's order), or its
    body alone when it has no front matter."""
    content = str(post.content)
    content = content if content.endswith("\n") else content + "\n"
    if not post.metadata:
        return content
    handler = post.handler or module.YAMLHandler()
    options = {"sort_keys": False} if isinstance(handler, module.YAMLHandler) else {}
    text = str(module.dumps(post, handler=handler, **options))
    return text if text.endswith("\n") else text + "\n"


def step_function(name: str) -> StepFunction:
    """The Python function for the step called ``name`` (``strip-html`` or ``strip_html``)."""
    return StepFunction(name.replace("_", "-"))
