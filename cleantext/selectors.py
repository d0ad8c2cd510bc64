"""CSS selectors translated to XPath by cssselect, once: kept by ``cleantext.diskcache``.

Translating a rule file's selectors costs more start-up than anything else in ``strip-ads``
(importing cssselect and compiling its tokenizer, then the translations); the translations
(XPath text, plus what a matching element must have, for ``strip_ads._may_select``) are
plain data, kept between runs.

>>> translate("div.ad > a[href^='x']").needs
(('a', (('href', 'x'),)),)
"""

from __future__ import annotations

from typing import NamedTuple

from cleantext import diskcache

_NEED_OPS = frozenset(["exists", "=", "~=", "|=", "^=", "$=", "*="])

Needs = tuple[tuple[str | None, tuple[tuple[str, str], ...]], ...]


class Translation(NamedTuple):
    path: str  # the XPath expression (cssselect's html translator)
    needs: Needs | None  # per selector of a group: tag (None: any), (attribute, text) pairs


class BadSelector(ValueError):
    """cssselect could not parse or translate the selector (the message says why)."""


def translate(selector: str) -> Translation:
    """The XPath and needs of ``selector``, from the cache or from cssselect."""
    path, needs = diskcache.memo("css", selector, lambda: list(_translate(selector)))
    return Translation(path, _as_needs(needs))


def _as_needs(value: object) -> Needs | None:
    if value is None:
        return None
    return tuple((tag, tuple((str(name), str(text)) for name, text in attrs))
                 for tag, attrs in value)  # type: ignore[union-attr]


def _translate(selector: str) -> Translation:
    from cssselect import HTMLTranslator, SelectorError
    from cssselect.xpath import ExpressionError

    try:
        path = HTMLTranslator().css_to_xpath(selector)
    except (SelectorError, ExpressionError) as exc:
        raise BadSelector(str(exc)) from None
    return Translation(path, _needs(selector))


def _needs(selector: str) -> Needs | None:
    """What an element matching ``selector`` must have, for a cheap test before its XPath.

    One entry per selector of a group: the tag name (None: any) and (attribute, text) pairs
    whose value must contain the text ('' for the attribute being there), from the subject's
    own tag, #id, .class and [attr OP value] parts (never from :not(), :has()... whose
    parts are not all required). None when nothing could be derived: always evaluate.
    """
    from cssselect import parse
    from cssselect.parser import Attrib, Class, CombinedSelector, Element, Hash

    try:
        groups = parse(selector)
    except Exception:  # noqa: BLE001 -- it translated, so this is not expected
        return None
    out = []
    for group in groups:
        node, tag, attrs = group.parsed_tree, None, []
        while node is not None:
            if isinstance(node, CombinedSelector):
                node = node.subselector  # the subject is the right-hand side
                continue
            if isinstance(node, Element):
                # The html translator lower-cases element and attribute names.
                if node.element and node.element != "*" and not node.namespace:
                    tag = node.element.lower()
                break
            if isinstance(node, Hash):
                attrs.append(("id", node.id))
            elif isinstance(node, Class):
                attrs.append(("class", node.class_name))
            elif (isinstance(node, Attrib) and node.namespace is None
                  and not getattr(node, "flag", None) and node.operator in _NEED_OPS):
                value = "" if node.value is None else node.value.value
                attrs.append((node.attrib.lower(), value))
            node = getattr(node, "selector", None)  # pseudo-classes etc. add nothing
        out.append((tag, tuple(attrs)))
    return tuple(out)
