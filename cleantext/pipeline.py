"""Run steps over documents: in memory (``apply``) or over a streamed body (``apply_stream``).

Also the runner's jobs that do so: ``StepsJob`` (document in, cleaned document out) and
``JsonlJob`` (document in, one JSON Lines record out, for ``clean --to jsonl``).

Between two steps the document is parsed again from its text, exactly as the second command
of a shell pipe would parse the first one's output, so ``clean -s a -s b`` and
``cleantext a | cleantext b`` are one behaviour by construction.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

from cleantext.document import Document
from cleantext.registry import STEP_MODULES, default_steps, get

if TYPE_CHECKING:
    from cleantext.api import P, PostLike


def apply(doc: Document, steps: Sequence[str], options: dict[str, Any] | None = None) -> Document:
    """Run the named steps, in order, on ``doc``; ``options`` go to the steps that take them."""
    options = options or {}
    for i, name in enumerate(steps):
        step = get(name)
        if i:
            doc = Document.parse(doc.text, doc.path)
        doc = step.run(doc, **step.options(options))
    return doc


def can_stream(steps: Sequence[str]) -> bool:
    return bool(steps) and all(get(name).stream is not None for name in steps)


def apply_stream(
    head: Document, pieces: Iterable[str], steps: Sequence[str], options: dict[str, Any]
) -> tuple[str, Iterator[str]]:
    """Run streaming steps: returns the new head and an iterator over the new body's pieces.

    ``head`` is the document with an empty body; each step's ``run`` transforms it (so a step
    that changes front matter does so here) and its ``stream`` transforms the body.
    """
    body: Iterator[str] = iter(pieces)
    for name in steps:
        step = get(name)
        opts = step.options(options)
        head = step.run(head, **opts)
        body = step.stream(body, **opts)  # type: ignore[misc]
    return head.head, body


@overload
def clean(text: str, steps: str | Sequence[str] | None = None, **options: Any) -> str: ...


@overload
def clean(text: Document, steps: str | Sequence[str] | None = None,
          **options: Any) -> Document: ...


@overload
def clean(text: P, steps: str | Sequence[str] | None = None, **options: Any) -> P: ...


def clean(text: str | Document | PostLike, steps: str | Sequence[str] | None = None,
          **options: Any) -> Any:
    """Clean one document's text with the given steps (default: the ``clean`` pipeline);
    ``options`` go to the steps that take them. A Document gives a Document, and a
    python-frontmatter ``Post`` a new Post.

    >>> clean("---\\ntitle: x\\n---\\n\\n\\n　　Ｈｅｌｌｏ　world  \\r\\n", steps=["normalize"])
    '---\\ntitle: x\\n---\\nHello world\\n'
    """
    from cleantext.api import as_document, same_kind
    from cleantext.registry import python_options, step_names

    chosen = default_steps() if steps is None else step_names(steps)
    # Checked against every step, as `cleantext clean` takes every step's options.
    options = python_options(STEP_MODULES, options, "clean()")
    return same_kind(text, apply(as_document(text, "clean()"), chosen, options))


class StepsJob:
    """A picklable job for the runner: parse the text, run the steps, give back the text."""

    def __init__(self, steps: Sequence[str], options: dict[str, Any]) -> None:
        self.steps = tuple(steps)
        self.options = dict(options)

    def __call__(self, text: str, name: str) -> str:
        return apply(Document.parse(text, name), self.steps, self.options).text

    @property
    def streams(self) -> bool:
        return can_stream(self.steps)

    def stream(self, head: Document, body: Iterable[str], name: str) -> tuple[str, Iterator[str]]:
        head.path = name
        return apply_stream(head, body, self.steps, self.options)


class JsonlJob(StepsJob):
    """A picklable job for ``clean --to jsonl``: one JSON object per document, on one line.

    The object is the ``meta`` record of the cleaned document -- what ``cleantext meta``
    prints for the output of ``cleantext clean`` saved under the input's name: front matter
    as the steps left it (converted by ``convert``), statistics of the cleaned body -- plus
    ``text``: the body after the steps, without front matter. A front matter field called
    ``text`` is replaced by the cleaned body, so every line has the same meaning of ``text``.
    """

    def __call__(self, text: str, name: str) -> str:
        from cleantext.json_values import json_text
        from cleantext.meta import record

        # Parsed again from its text, as `cleantext meta` would read the cleaned file.
        cleaned = Document.parse(apply(Document.parse(text, name), self.steps,
                                       self.options).text, name)
        row = dict(record(cleaned))
        row["text"] = cleaned.body
        return json_text(row) + "\n"

    @property
    def streams(self) -> bool:
        # A JSON string cannot be written before the whole body is known.
        return False
