"""CSS selectors translated to XPath by cssselect, once: kept by ``cleantext.diskcache``.

Translating a rule file's selectors costs more start-up than anything else in ``strip-ads``
(importing cssselect and compiling its tokenizer, then the translations); the translations
(XPath text, plus what a matching element must have, for ``strip_ads._may_select``) are
plain data, kept between runs.

>>> translate("div.ad > a[href^='x']").needs
((('a', 'div'), (('href', 'x'), ('class', 'ad'))),)
"""

from __future__ import annotations

from typing import Any, NamedTuple

from cleantext import diskcache

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
    from cssselect import HTMLTranslator, SelectorError
    from cssselect.xpath import ExpressionError

    from lxml import etree

    try:
        path = HTMLTranslator().css_to_xpath(selector)
        etree.XPath(path, namespaces=XPATH_NAMESPACES)
    except (SelectorError, ExpressionError, etree.XPathError) as exc:
        raise BadSelector(str(exc)) from None
    return Translation(path, _needs(selector))


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
        groups = parse(selector)
    except Exception:  # noqa: BLE001 -- it translated, so this is not expected
        return None
    out = []
    for group in groups:
        tags: list[str] = []
        attrs: list[tuple[str, str]] = []
        _collect_needs(group.parsed_tree, tags, attrs)
        out.append((tuple(dict.fromkeys(tags)), tuple(dict.fromkeys(attrs))))
    return tuple(out)


def _collect_needs(node: object, tags: list[str], attrs: list[tuple[str, str]]) -> None:
    from cssselect.parser import Attrib, Class, CombinedSelector, Element, Hash, Relation

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
            if node.element and node.element != "*" and not node.namespace:
                tags.append(node.element.lower())
            continue
        if isinstance(node, Hash):
            attrs.append(("id", node.id))
        elif isinstance(node, Class):
            attrs.append(("class", node.class_name))
        elif (isinstance(node, Attrib) and node.namespace is None
              and not getattr(node, "flag", None) and node.operator in _NEED_OPS):
            value = "" if node.value is None else node.value.value
            attrs.append((node.attrib.lower(), value))
        elif isinstance(node, Relation) and len(node.arguments) == 1:
            todo.append(node.arguments[0][1].parsed_tree)  # :has(X): an X must exist
        todo.append(getattr(node, "selector", None))  # other pseudo-classes add nothing
