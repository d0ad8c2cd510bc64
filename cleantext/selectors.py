"""CSS selectors translated to XPath by cssselect, once: kept by ``cleantext.diskcache``.

Translating a rule file's selectors costs more start-up than anything else in ``strip-ads``
(importing cssselect and compiling its tokenizer, then the translations); the translations
(XPath text, plus what a matching element must have, for ``ad_removal._may_select``) are
plain data, kept between runs.

>>> translate("div.ad > a[href^='x']").needs
((('a', 'div'), (('href', 'x'), ('class', 'ad'))),)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from cleantext import diskcache
from cleantext.lazyre import LazyPattern

# cssselect's translations of some selectors use EXSLT regular expressions.
XPATH_NAMESPACES = {"re": "http://exslt.org/regular-expressions"}

_NEED_OPS = frozenset(["exists", "=", "~=", "|=", "^=", "$=", "*="])

Needs = tuple[tuple[tuple[str, ...], tuple[tuple[str, str], ...]], ...]


class Translation(NamedTuple):
    path: str  # the XPath expression (cssselect's html translator)
    needs: Needs | None  # per selector of a group: tags and (attribute, text) pairs needed


class BadSelector(ValueError):
    """cssselect could not parse or translate the selector (the message says why)."""


def translate(selector: str) -> Translation:
    """The XPath and needs of ``selector``, from the cache or from cssselect. A translation
    is checked to compile before it is kept, so a cached one need not be compiled to know
    it is good (``LazyXPath`` compiles it when it is first evaluated)."""
    path, needs = diskcache.memo("css", selector, lambda: list(_translate(selector)))
    return Translation(path, _as_needs(needs))


def _as_needs(value: object) -> Needs | None:
    if value is None:
        return None
    return tuple((tuple(tags), tuple((str(name), str(text)) for name, text in attrs))
                 for tags, attrs in value)  # type: ignore[union-attr]


def _translate(selector: str) -> Translation:
    from cssselect import SelectorError
    from cssselect.xpath import ExpressionError

    from lxml import etree

    try:
        path = _css_to_xpath(selector)
        etree.XPath(path, namespaces=XPATH_NAMESPACES)
    except (SelectorError, ExpressionError, etree.XPathError) as exc:
        raise BadSelector(str(exc)) from None
    return Translation(path, _needs(selector))


# --- :has() with any relative selector, on every cssselect -----------------------------------
#
# cssselect before 1.6 (the newest on Python 3.10 is 1.5) reads ``:has()`` of one bare
# element only: ``div:has(> a)`` but not ``div:has(> a[href^="x"])``, ``hr:has(+ div > a)``
# or ``ul:not(:has(li))``. So cleantext translates every ``:has(...)`` itself, the same way
# on every cssselect: each one is replaced by a placeholder attribute (``[data-cleantext-
# has-0]``, which any cssselect reads, also inside ``:not()``); its argument, a list of
# relative selectors, is translated as ``SCOPE ARG`` (``SCOPE > a``, ``SCOPE + div > a``,
# ``SCOPE li``) with the scope's step made ``.``; and the placeholder's ``@attribute`` test
# in the XPath is replaced by that relative path.

_SCOPE = "cleantext-scope"  # an element name no page has, lower case as the translator's
_PLACEHOLDER = "data-cleantext-has-"
_HAS = LazyPattern(r":has\(", re.IGNORECASE)
_PLACEHOLDER_TEST = LazyPattern(r"@data-cleantext-has-(\d+)(?!\d)")


def _unquoted(text: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """``(index, character)`` of ``text`` from ``start`` on, outside quoted strings and
    backslash escapes (the characters that can open, close or separate)."""
    i, quote = start, ""
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if quote:
            if c == quote:
                quote = ""
        elif c in "\"'":
            quote = c
        else:
            yield i, c
        i += 1


def _closing(text: str, start: int) -> int:
    """The index of the ``)`` that closes the ``(`` just before ``start`` (quotes and
    backslash escapes skipped); ValueError if there is none."""
    depth = 1
    for i, c in _unquoted(text, start):
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError("unclosed ( in :has()")


def _split_list(text: str) -> list[str]:
    """A selector list split at its top-level commas."""
    parts, depth, start = [], 0, 0
    for i, c in _unquoted(text):
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def _without_has(selector: str, args: list[str]) -> str:
    """``selector`` with each top-level ``:has(ARG)`` made a placeholder attribute;
    the ARGs are appended to ``args`` (placeholder N is ``args[N]``)."""
    from cssselect import SelectorSyntaxError

    out, i = [], 0
    while True:
        m = _HAS.search(selector, i)
        if m is None:
            break
        try:
            end = _closing(selector, m.end())
        except ValueError as exc:
            raise SelectorSyntaxError(str(exc)) from None
        out.append(f"{selector[i:m.start()]}[{_PLACEHOLDER}{len(args)}]")
        args.append(selector[m.end():end])
        i = end + 1
    out.append(selector[i:])
    return "".join(out)


def _scoped(relative: str) -> str:
    """A relative selector (``> a``, ``+ div``, ``a``) as one that starts at the scope."""
    return f"{_SCOPE} {relative.strip()}"


def _css_to_xpath(selector: str) -> str:
    """cssselect's html translation of ``selector``, ``:has()`` translated by cleantext."""
    from cssselect import HTMLTranslator, SelectorSyntaxError

    if not _HAS.search(selector):
        return str(HTMLTranslator().css_to_xpath(selector))
    translator = HTMLTranslator()

    def translated(css: str, prefix: str) -> str:
        args: list[str] = []
        path = str(translator.css_to_xpath(_without_has(css, args), prefix=prefix))
        relative = [" | ".join(_relative(part) for part in _split_list(arg)) for arg in args]
        for arg, rel in zip(args, relative):
            if not arg.strip() or not rel:
                raise SelectorSyntaxError(f":has() needs a selector, got {arg!r}")
        path = _PLACEHOLDER_TEST.sub(lambda m: f"({relative[int(m.group(1))]})", path)
        if _PLACEHOLDER in path:  # a placeholder translated in an unexpected form
            raise SelectorSyntaxError(f"cannot translate :has() in {css!r}")
        return path

    def _relative(part: str) -> str:
        if not part.strip():
            raise SelectorSyntaxError(f"empty selector in :has() of {selector!r}")
        path = translated(_scoped(part), "")
        if not path.startswith(_SCOPE + "/"):
            raise SelectorSyntaxError(f"cannot translate :has({part.strip()})")
        return "." + path[len(_SCOPE):]

    return translated(selector, "descendant-or-self::")


class LazyXPath:
    """A selector's XPath, compiled the first time it is evaluated: the rules of other
    sites, and selectors only ever evaluated as part of a union, never are."""

    __slots__ = ("path", "_compiled")

    def __init__(self, path: str) -> None:
        self.path = path
        self._compiled: Any = None

    def __call__(self, root: Any) -> Any:
        if self._compiled is None:
            from lxml import etree

            self._compiled = etree.XPath(self.path, namespaces=XPATH_NAMESPACES)
        return self._compiled(root)


def _needs(selector: str) -> Needs | None:
    """What a tree must hold for ``selector`` to match in it, for a cheap test before its XPath.

    One entry per selector of a group: tag names that must all be in the tree, and
    (attribute, text) pairs: some element's attribute must contain the text ('' for the
    attribute being there). They come from every compound of the selector (the subject and
    the elements it is combined with must all exist), including the one relative selector of
    a ``:has()`` (not from :not(), :is(), a :has() of several, whose parts are not all
    required). None when nothing could be derived: always evaluate.
    """
    from cssselect import parse

    try:
        args: list[str] = []
        groups = parse(_without_has(selector, args))
    except Exception:  # noqa: BLE001 -- it translated, so this is not expected
        return None
    out = []
    for group in groups:
        tags: list[str] = []
        attrs: list[tuple[str, str]] = []
        _collect_needs(group.parsed_tree, tags, attrs, args)
        out.append((tuple(dict.fromkeys(tags)), tuple(dict.fromkeys(attrs))))
    return tuple(out)


def _collect_needs(node: object, tags: list[str], attrs: list[tuple[str, str]],
                   args: list[str]) -> None:
    """Needs of a parsed selector whose ``:has()`` are placeholders for ``args``."""
    from cssselect import parse
    from cssselect.parser import Attrib, Class, CombinedSelector, Element, Hash

    todo = [node]
    while todo:
        node = todo.pop()
        if node is None:
            continue
        if isinstance(node, CombinedSelector):
            todo += [node.selector, node.subselector]  # both ends must exist
            continue
        if isinstance(node, Element):
            # The html translator lower-cases element and attribute names.
            if node.element and node.element not in ("*", _SCOPE) and not node.namespace:
                tags.append(node.element.lower())
            continue
        if isinstance(node, Hash):
            attrs.append(("id", node.id))
        elif isinstance(node, Class):
            attrs.append(("class", node.class_name))
        elif (isinstance(node, Attrib) and node.namespace is None
              and node.attrib.startswith(_PLACEHOLDER)):
            parts = _split_list(args[int(node.attrib[len(_PLACEHOLDER):])])
            if len(parts) == 1:  # :has(X): an X must exist
                inner: list[str] = []
                (group,) = parse(_without_has(_scoped(parts[0]), inner))
                _collect_needs(group.parsed_tree, tags, attrs, inner)
        elif (isinstance(node, Attrib) and node.namespace is None
              and not getattr(node, "flag", None) and node.operator in _NEED_OPS):
            value = "" if node.value is None else node.value.value
            attrs.append((node.attrib.lower(), value))
        todo.append(getattr(node, "selector", None))  # other pseudo-classes add nothing
