"""What extraction measures of a page's elements (text, link text, paragraphs, kept up to
date as elements go) and the small element helpers it uses: hidden, marker, drop, describe,
boxes of one family, words inside a sentence, and the sequence of headings and text.
"""

from __future__ import annotations

from typing import Any

from cleantext.lazyre import LazyPattern

_HIDDEN_STYLE = LazyPattern(r"display\s*:\s*none|visibility\s*:\s*hidden", 2)
_WS_RUN = LazyPattern(r"\s+")

# Never content: their text is code, styling or widgets.
class _LazyXPath:
    def __init__(self, path: str) -> None:
        self.path, self.compiled = path, None

    def __call__(self, el: Any) -> Any:
        if self.compiled is None:
            from lxml import etree

            self.compiled = etree.XPath(self.path)
        return self.compiled(el)


# A page's frame: the elements that are one by tag or ARIA role.
FRAME_XPATH = _LazyXPath(
    "//nav|//header|//footer|//aside|//*[@role='navigation' or @role='banner' or "
    "@role='contentinfo' or @role='complementary']")


def _n(text: str | None) -> int:
    """Characters of ``text`` without its leading and trailing space (the indentation of
    prettified HTML); a measure, not a count: spaces between words count, and cost less
    to leave than to take out."""
    return len(text.strip()) if text else 0


class Measures:
    """Visible text and link text of every element under ``root``, in one bottom-up pass."""

    def __init__(self, root: Any) -> None:
        self.text: dict[Any, int] = {}
        self.links: dict[Any, int] = {}
        self.anchors: dict[Any, int] = {}
        order = list(root.iter())
        text, links, anchors = self.text, self.links, self.anchors
        for el in reversed(order):
            t = _n(el.text)
            lk = 0
            na = 0
            for child in el:
                t += text.get(child, 0) + _n(child.tail)
                lk += links.get(child, 0)
                na += anchors.get(child, 0)
            if el.tag == "a":
                lk = t
                na += 1
            text[el], links[el], anchors[el] = t, lk, na

    def forget(self, el: Any) -> None:
        """Take ``el``'s counts out of its ancestors' (call before removing it)."""
        t, lk, na = self.text.get(el, 0), self.links.get(el, 0), self.anchors.get(el, 0)
        if not (t or na):
            return
        text, links, anchors = self.text, self.links, self.anchors
        for ancestor in el.iterancestors():
            if ancestor in text:
                text[ancestor] -= t
                links[ancestor] -= lk
                anchors[ancestor] -= na

    def prose(self, el: Any) -> int:
        return self.text.get(el, 0) - self.links.get(el, 0)

    def density(self, el: Any) -> float:
        t = self.text.get(el, 0)
        return self.links.get(el, 0) / t if t else 0.0


def describe(el: Any) -> str:
    """``tag#id.class.names`` for --explain."""
    name = str(el.tag)
    if el.get("id"):
        name += "#" + el.get("id").strip()
    if el.get("class"):
        name += "." + ".".join(el.get("class").split())
    return name


def _snippet(el: Any) -> str:
    return _WS_RUN.sub(" ", "".join(el.itertext())).strip()[:60]


def _drop(el: Any) -> None:
    """Remove ``el`` and its subtree, keeping its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail and el.tail.strip():
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _hidden(el: Any) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style) is not None:
        return True
    class_ = el.get("class")
    return bool(class_) and not _HIDDEN_CLASSES.isdisjoint(class_.lower().split())


# Utility classes of CSS frameworks that hide an element (Bootstrap, Tailwind, WordPress).
_HIDDEN_CLASSES = frozenset(["hidden", "hide", "d-none", "is-hidden", "visually-hidden",
                             "sr-only", "screen-reader-text", "invisible", "display-none"])


def _is_marker(el: Any) -> bool:
    """Where a page states its article: <article>, <main>, [itemprop=articleBody], role=main."""
    if el.tag in ("article", "main"):
        return True
    prop = el.get("itemprop")
    if prop and "articlebody" in prop.lower():
        return True
    return el.get("role") == "main"


# Where a sentence ends: a phrasing element after one is no word of it.
_SENTENCE_END = frozenset(".!?:;。！？：；|")


def _same_family(a: Any, b: Any) -> bool:
    """Boxes of one kind: at least half their class names in common (``box col-8
    ingredients`` and ``box col-8 steps``), as a theme names the parts of one text."""
    ours, theirs = set((a.get("class") or "").split()), set((b.get("class") or "").split())
    return bool(ours and theirs) and len(ours & theirs) >= 0.5 * len(ours | theirs)


def _in_running_text(el: Any) -> bool:
    """Whether ``el`` is inside a sentence: words follow it, or a sentence not yet ended comes
    right before it (a credit after a caption's full stop is no word of it)."""
    if el.tail and el.tail.strip():
        return True
    previous = el.getprevious()
    before = (previous.tail if previous is not None else el.getparent().text) or ""
    before = before.rstrip()
    return bool(before) and before[-1] not in _SENTENCE_END


def _no_picture(el: Any) -> bool:
    return next(el.iter("img", "picture", "video"), None) is None


def _attached(el: Any, root: Any) -> bool:
    for ancestor in el.iterancestors():
        if ancestor is root:
            return True
    return el is root


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_MEDIA = frozenset(["img", "picture", "video", "audio", "iframe", "table", "svg", "object"])
_END = object()  # the end of a sequence of text units


def _text_units(root: Any) -> list[Any]:
    """The headings under ``root`` in document order, with None for each piece of other text
    or media between them."""
    from lxml import etree

    units: list[Any] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        if event == "end":
            if el is not root and el.tail and el.tail.strip():
                units.append(None)
            continue
        if el.tag in _HEADINGS:
            units.append(el)
            walker.skip_subtree()
        elif el.tag in _MEDIA or el.text and el.text.strip() or any(
                not isinstance(c.tag, str) and c.tail and c.tail.strip() for c in el):
            units.append(None)
    return units
