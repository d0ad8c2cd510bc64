"""The document model: raw front matter (the "head") + body, split and joined byte for byte.

A scraped post is front matter on top of a body. The head keeps everything before the body
exactly as it was read -- a UTF-8 BOM, blank lines, the delimiters, the newline after the
closing one -- so ``Document.parse(text).text == text`` for every input. Steps change the body
and leave the head alone unless they are asked to change it (``convert`` does).

Front matter forms recognised at the top of a document (after an optional BOM and blank lines):

- YAML between ``---`` and ``---`` (or ``...``), as Jekyll and Hugo write it;
- TOML between ``+++`` and ``+++``, as Hugo writes it;
- a JSON object, whose end is found with a JSON decoder (nested ``}`` lines are no problem);
- Hexo's YAML without an opening ``---``: ``key: value`` lines down to a ``---`` line, accepted
  only when those lines parse as a YAML mapping and hold no blank line (paragraphs of text
  above a ``---`` rule are a body).

An opening delimiter that is never closed means there is no front matter.

>>> doc = Document.parse("---\\ntitle: Hi\\n---\\n<p>Hello</p>\\n")
>>> doc.format, doc.body
('yaml', '<p>Hello</p>\\n')
>>> doc.text == "---\\ntitle: Hi\\n---\\n<p>Hello</p>\\n"
True
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from typing import Any, Protocol

BOM = "\ufeff"

_BLANK_LINES = re.compile(r"(?:[ \t]*\r?\n)*")
_YAML_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_TOML_CLOSE = re.compile(r"^\+\+\+[ \t]*\r?$", re.MULTILINE)
_HEXO_CLOSE = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)
_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n")
_REST_OF_LINE = re.compile(r"[ \t]*(?:\r?\n|\Z)")
# A first line that looks like ``key: value`` (or ``key:``), the start of Hexo front matter.
_HEXO_FIRST_LINE = re.compile(r"[A-Za-z_][\w .-]*:(?:[ \t]|\r?\n)")
# JSON front matter: "{" then a quoted key; a broken one ends at a line that is "}".
_JSON_OPENING = re.compile(r'\{[ \t]*\r?\n[ \t]*"[^"\n]*"[ \t]*:')
_JSON_CLOSE = re.compile(r"^\}[ \t]*\r?$", re.MULTILINE)
# Hexo front matter is a few hundred bytes; don't try to YAML-parse a whole body.
_HEXO_MAX = 64 * 1024


def _line_end(text: str, start: int) -> int:
    """Index just past the newline ending the line at ``start`` (or len(text))."""
    end = text.find("\n", start)
    return len(text) if end < 0 else end + 1


def _after(text: str, match_end: int) -> int:
    """Index just past the newline that follows a closing delimiter (or the end of text)."""
    return match_end + 1 if text.startswith("\n", match_end) else match_end


def split_head(text: str) -> tuple[int, str | None]:
    """Return ``(length of the head, front matter format or None)`` for ``text``.

    With no front matter the head is only the BOM, if there is one.

    >>> split_head("+++\\ntitle = 'x'\\n+++\\nbody")
    (20, 'toml')
    >>> split_head("plain text\\n---\\nmore")
    (0, None)
    """
    pos = 1 if text.startswith(BOM) else 0
    start = _BLANK_LINES.match(text, pos).end()
    first_end = _line_end(text, start)
    first = text[start:first_end].rstrip()

    if first in ("---", "+++"):
        closer = _YAML_CLOSE if first == "---" else _TOML_CLOSE
        m = closer.search(text, first_end)
        if m and first_end <= len(text) and text[first_end - 1 : first_end] == "\n":
            return _after(text, m.end()), "yaml" if first == "---" else "toml"
        return pos, None

    if text.startswith("{", start):
        import json

        try:
            value, end = json.JSONDecoder().raw_decode(text, start)
        except RecursionError:  # nested past the parser's depth: not metadata
            return pos, None
        except ValueError:
            # Broken JSON front matter (an object opening with a key, closed by a "}" line)
            # is front matter all the same, so ``meta`` says what is wrong with it, as it
            # does for YAML and TOML; anything else opening with "{" is a body.
            close = _JSON_CLOSE.search(text, start)
            if _JSON_OPENING.match(text, start) and close:
                return _after(text, close.end()), "json"
            return pos, None
        rest = _REST_OF_LINE.match(text, end)  # the object must end its line
        if isinstance(value, dict) and rest:
            return rest.end(), "json"
        return pos, None

    if _HEXO_FIRST_LINE.match(text, start):
        m = _HEXO_CLOSE.search(text, start, start + _HEXO_MAX)
        # No blank line inside: text made of paragraphs ("Source: X", a blank line, a "---"
        # rule) is a body, as strip-html writes one, not a header to keep out of the steps.
        if m and not _BLANK_LINE.search(text, start, m.start()) \
                and _is_yaml_mapping(text[start : m.start()]):
            return _after(text, m.end()), "yaml"
    return pos, None


def _is_yaml_mapping(candidate: str) -> bool:
    # Cheap refusals first, so a body that merely contains "---" never costs a YAML parse.
    if "<" in candidate.split("\n", 1)[0] or not candidate.strip():
        return False
    from cleantext.front_matter import load_yaml

    try:
        value = load_yaml(candidate)
    except Exception:
        return False
    return isinstance(value, dict) and bool(value)


class Document:
    """A post: ``head`` (raw front matter, delimiters included) + ``body``.

    ``path`` names where the document came from (a file path, ``-`` for stdin, or None); it is
    not part of the text. ``metadata`` parses the front matter on first use.
    """

    __slots__ = ("head", "body", "format", "path", "_metadata")

    def __init__(
        self, head: str = "", body: str = "", format: str | None = None, path: str | None = None
    ) -> None:
        self.head = head
        self.body = body
        self.format = format
        self.path = path
        self._metadata: dict[str, Any] | None = None

    @classmethod
    def parse(cls, text: str, path: str | None = None) -> Document:
        """Split ``text`` into head and body; never fails."""
        end, fmt = split_head(text)
        return cls(text[:end], text[end:], fmt, path)

    @property
    def text(self) -> str:
        """The whole document, exactly as it would be written."""
        return self.head + self.body

    @property
    def bom(self) -> str:
        return BOM if self.head.startswith(BOM) else ""

    @property
    def front_matter(self) -> str:
        """The front matter's own text, without BOM, blank lines and delimiters ('' if none)."""
        if self.format is None:
            return ""
        head = self.head[len(self.bom) :]
        head = head[_BLANK_LINES.match(head).end() :]
        if self.format == "json":
            return head.rstrip()
        lines = head.splitlines(keepends=True)
        if self.format == "yaml" and lines and lines[0].rstrip() != "---":
            return "".join(lines[:-1])  # Hexo: no opening delimiter
        return "".join(lines[1:-1])

    @property
    def front_matter_line(self) -> int:
        """The file's line number (1-based) where ``front_matter`` starts."""
        fm = self.front_matter
        start = self.head.find(fm) if fm else 0
        return self.head.count("\n", 0, max(start, 0)) + 1

    @property
    def metadata(self) -> dict[str, Any]:
        """The parsed front matter (parsed once, on first use); {} without front matter."""
        if self._metadata is None:
            from cleantext.front_matter import parse_front_matter

            self._metadata = parse_front_matter(self.front_matter, self.format,
                                                first_line=self.front_matter_line)
        return self._metadata

    def replace(self, *, head: str | None = None, body: str | None = None) -> Document:
        """A copy with a new head and/or body; the format and path are kept."""
        return Document(
            self.head if head is None else head,
            self.body if body is None else body,
            self.format,
            self.path,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return (self.head, self.body, self.format) == (other.head, other.body, other.format)

    def __repr__(self) -> str:
        return f"Document(format={self.format!r}, head={self.head[:40]!r}, body={self.body[:40]!r})"

    def __getstate__(self) -> tuple:
        return (self.head, self.body, self.format, self.path)

    def __setstate__(self, state: tuple) -> None:
        self.head, self.body, self.format, self.path = state
        self._metadata = None


# --- documents from what the Python API is given ---------------------------------------------


class PostLike(Protocol):
    """What the API reads of a ``frontmatter.Post`` (python-frontmatter): its front matter
    as a dict and its body. Typing only: a Post is told at run time by its class."""

    @property
    def metadata(self) -> Mapping[str, Any]: ...

    @property
    def content(self) -> str: ...


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


def _frontmatter_of(document: object) -> Any:
    """python-frontmatter's module when ``document`` is one of its Posts, else None.

    Never imports it: whoever made a Post has imported the module, so it is in
    ``sys.modules`` when a Post can exist (and ``import cleantext`` stays cheap)."""
    module = sys.modules.get("frontmatter")
    if module is not None and isinstance(document, getattr(module, "Post", ())):
        return module
    return None


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
