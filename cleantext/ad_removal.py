"""strip-ads' removal pass over a parsed body: the guard that keeps the article, selector
rules matched against the tree as it came in, text rules (whole blocks, ``<br>`` lines,
trailers) with their regular-expression prefilters, and the text measures they all use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache
from typing import Any, NamedTuple

from cleantext.lazyre import LazyPattern
from cleantext.ad_rules import (
    _BLOCK_TAGS, _GUARD_MIN, _GUARD_SHARE, _prefilter, _regex_internals, Rule, RuleSet, _WS,
)

def _text_len(el: Any, limit: int | None = None) -> int:
    """Characters of text inside ``el``, whitespace not counted; with ``limit``, counting
    stops once past it (the count is then over ``limit`` but maybe short of the whole)."""
    if limit is None:
        return len("".join(_text(el).split()))
    count = 0
    for chunk in el.itertext():
        count += len("".join(chunk.split()))
        if count > limit:
            break
    return count


def _mostly_links(el: Any, memo: dict[Any, tuple[int, int, int]] | None = None) -> bool:
    """Whether 80% or more of ``el``'s text (whitespace not counted) is link text.

    With ``memo`` (one per pass over a tree that does not change under the elements asked
    about), the counts of every element below ``el`` are kept: a box nested in a box asked
    about before costs nothing, where walking each box's links again was quadratic (unclosed
    ``<div>``s around many links: 722 KB took 77 s).
    """
    if memo is None:
        memo = {}
    links, count, _ = _link_counts(el, memo)
    return count > 0 and links >= 0.8 * count


def _link_counts(el: Any, memo: dict[Any, tuple[int, int, int]]) -> tuple[int, int, int]:
    """(link text, all text, links) of ``el``, whitespace not counted, each element's
    counted once (bottom up): the text of every ``<a>`` inside, a link in a link counted in
    both, as ``_link_len`` counts; the text ``itertext()`` (and ``_text_len``) counts, no
    comment's; and the ``<a>`` elements inside, as ``findall(".//a")`` finds them."""
    found = memo.get(el)
    if found is not None:
        return found
    # Post-order without recursion (nesting can be thousands deep).
    stack: list[tuple[Any, bool]] = [(el, False)]
    while stack:
        node, done = stack.pop()
        if not done:
            if node in memo:
                continue
            stack.append((node, True))
            stack.extend((child, False) for child in node
                         if isinstance(child.tag, str) and child not in memo)
            continue
        count = _non_space(node.text)
        links = anchors = 0
        for child in node:
            if isinstance(child.tag, str):  # an element, not a comment or PI
                child_links, child_count, child_anchors = memo[child]
                links += child_links
                count += child_count
                anchors += child_anchors + (child.tag == "a")
            count += _non_space(child.tail)
        if node.tag == "a":
            links += count
        memo[node] = (links, count, anchors)
    return memo[el]


def _non_space(text: str | None) -> int:
    return len("".join(text.split())) if text else 0


def _text(el: Any) -> str:
    """The text inside ``el`` (its tail not included): libxml2's string value, which is the
    same as joining ``itertext()`` and several times faster for a large element."""
    return _string_value()(el)


@cache
def _string_value() -> Any:
    from lxml import etree

    return etree.XPath("string()", smart_strings=False)


def _drop(el: Any) -> None:
    """Remove ``el`` with its subtree but keep its tail text (the words after it)."""
    parent = el.getparent()
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _link_len(el: Any) -> int:
    if el.tag == "a":
        return _text_len(el)
    # The sum of each link's count, counted at once: non-space characters add up.
    return len("".join("".join(map(_text, el.iter("a"))).split()))


# Text that no reader sees: a full page's scripts are often most of its text, and counted as
# prose they kept the guard from ever protecting the article.
_INVISIBLE_TAGS = ("script", "style", "noscript", "template")


def _prose_len(el: Any) -> int:
    """Visible characters of ``el`` outside links (scripts and styles not counted)."""
    hidden = sum(_text_len(s) for s in el.iter(*_INVISIBLE_TAGS))
    return _text_len(el) - _link_len(el) - hidden


def _paragraph_prose(el: Any) -> int:
    """Characters of prose in the <p> elements inside ``el`` (links not counted)."""
    return sum(_text_len(q) - _link_len(q) for q in el.iter("p"))


def _describe(el: Any) -> str:
    name = el.tag
    if el.get("id"):
        name += "#" + el.get("id")
    if el.get("class"):
        name += "." + ".".join(el.get("class").split())
    return name


class _Pass:
    """One document's removal pass: decides, removes, remembers what and why."""

    def __init__(self, root: Any, explain: Callable[[str], None] | None) -> None:
        self.root = root
        self.explain = explain
        self.removed = 0
        self._guard: float | None = None
        self.total_text: int | None = None  # the document's text, links included, as it came
        self.paragraph_prose: int | None = None  # prose in its <p> elements, as it came
        self._facts: tuple[set[Any], dict[str, str]] | None = None
        # Parents of removed elements; a dict keeps them in removal order, so the pruning
        # (and what --explain says about it) is the same from one run to the next.
        self.touched: dict[Any, None] = {}

    def facts(self) -> tuple[set[Any], dict[str, str]]:
        """Tags and attribute values of the tree as it came in (changes only take away)."""
        if self._facts is None:
            self._facts = _facts(self.root)
        return self._facts

    def before_change(self) -> None:
        """Measure the guard on the tree as it came in: call before the first change."""
        self.facts()
        if self._guard is None:
            self._guard = max(_prose_len(self.root), 0) * _GUARD_SHARE

    def protected(self, el: Any) -> bool:
        if el is self.root:
            return True
        if _text_len(el, _GUARD_MIN) < _GUARD_MIN:
            return False  # prose (the text outside links) is less still: not the article
        prose = _prose_len(el)
        self.before_change()
        return prose >= _GUARD_MIN and prose > self._guard  # type: ignore[operator]

    def remove(self, el: Any, why: str) -> bool:
        parent = el.getparent()
        if parent is None or self.protected(el):
            return False
        self.before_change()
        if self.explain is not None:
            snippet = _WS.sub(" ", _text(el)).strip()[:60]
            self.explain(f"{why}: <{_describe(el)}> {snippet!r}")
        _drop(el)  # keeps the tail text: the sentence after the element stays
        self.touched[parent] = None
        self.removed += 1
        return True


def _attached(el: Any, root: Any) -> bool:
    while el is not None:
        if el is root:
            return True
        el = el.getparent()
    return False


def _norm_text(el: Any) -> str:
    return " ".join(_text(el).split())


def _blocks(root: Any) -> Iterator[Any]:
    """Elements holding text but no other block element: what bare text rules test."""
    # One pass, not one descendant walk per block: each block marks its ancestors as
    # holding a block, stopping at the first one already marked (its ancestors are too).
    found = list(root.iter(*_BLOCK_TAGS))  # lxml filters by tag in C, in document order
    inner: set[Any] = set()
    for el in found:
        parent = el.getparent()
        while parent is not None and parent not in inner:
            inner.add(parent)
            parent = parent.getparent()
    for el in found:
        if el is not root and el not in inner:
            yield el


_BACKREF = LazyPattern(r"\\[1-9]|\(\?P=|\(\?[aiLmsux]+\)")


class _AnyOf(NamedTuple):
    """Where any of some patterns may match: ``at_start`` for those anchored with ``^``
    (tried at the start only, not at every position), ``anywhere`` for the rest."""

    at_start: re.Pattern[str] | None
    anywhere: re.Pattern[str] | None

    def search(self, text: str) -> bool:
        return bool(self.at_start is not None and self.at_start.match(text)
                    or self.anywhere is not None and self.anywhere.search(text))


def _anchored(pattern: str) -> bool:
    """Whether ``pattern`` is ``^`` followed by the rest (not ``^a|b``: a top-level branch)."""
    try:
        ops = _regex_internals()[0].parse(pattern).data
        return (pattern.startswith("^") and bool(ops) and str(ops[0][0]) == "AT"
                and str(ops[0][1]) == "AT_BEGINNING")
    except Exception:  # noqa: BLE001 -- an unexpected parse: just do not hoist the anchor
        return False


@lru_cache(maxsize=64)
def _any_of(patterns: tuple[re.Pattern[str], ...]) -> _AnyOf | None:
    """A pre-filter for ``patterns`` (None if they cannot be joined): a text it does not
    match, no pattern matches. Patterns with back references or global inline flags would
    change meaning inside an alternation, so they are not joined."""
    start, anywhere = [], []
    for pattern in patterns:
        if _BACKREF.search(pattern.pattern) or pattern.flags & ~(re.IGNORECASE | re.UNICODE):
            return None
        flag = "(?i:" if pattern.flags & re.IGNORECASE else "(?:"
        if _anchored(pattern.pattern):  # without MULTILINE, ^ is the start of the text
            start.append(flag + pattern.pattern[1:] + ")")
        else:
            anywhere.append(flag + pattern.pattern + ")")
    try:
        return _AnyOf(re.compile("|".join(start)) if start else None,
                      re.compile("|".join(anywhere)) if anywhere else None)
    except (re.error, RecursionError, OverflowError):
        return None


def _lines(block: Any) -> list[tuple[str, list[Any]]]:
    """A block cut at its ``<br>`` children: (text, [the br before, inline children]) each."""
    lines: list[tuple[str, list[Any]]] = []
    text, members = block.text or "", []
    for child in block:
        if child.tag == "br":
            lines.append((text, members))
            text, members = child.tail or "", [child]
            continue
        members.append(child)
        if isinstance(child.tag, str):
            text += _text(child)
        text += child.tail or ""
    lines.append((text, members))
    return lines


def _remove_matching_lines(p: _Pass, block: Any, pattern: re.Pattern[str], why: str) -> None:
    """Remove every ``<br>`` line of ``block`` that ``pattern`` matches (a promo repeated on
    two lines goes twice); the lines are cut again after each removal."""
    for _ in range(len(block) + 1):  # each removal takes a line away: this many at most
        for line, members in _lines(block):
            line = " ".join(line.split())
            if pattern.search(line):
                _remove_line(p, block, line, members, why)
                break
        else:
            return


def _remove_line(p: _Pass, block: Any, text: str, members: list[Any], why: str) -> None:
    """Remove one ``<br>``-delimited line: its text, its inline elements and one ``<br>``."""
    p.before_change()
    if p.explain is not None:
        p.explain(f"{why}: line in <{_describe(block)}> {text[:60]!r}")
    if members and members[0].tag == "br":
        first = members[0]
    else:  # the first line: its text is the block's text; the br after it goes
        block.text = ""
        following = members[-1].getnext() if members else (block[0] if len(block) else None)
        first = following if following is not None and following.tag == "br" else None
        if first is not None:
            block.text = first.tail
            first.tail = None
    for el in members:
        if el is not first:
            block.remove(el)  # with its tail: the tail belongs to this line
    if first is not None:
        block.remove(first)
    p.removed += 1
    p.touched[block] = None


def _cut_end(p: _Pass, el: Any, pattern: re.Pattern[str], why: str) -> None:
    """Cut text matching ``pattern`` at the very end of ``el``'s text (a credit trailer)."""
    last = None
    for node in el.iter():
        if isinstance(node.tag, str) and node.text and node.text.strip():
            last = (node, "text")
        if node is not el and node.tail and node.tail.strip():
            last = (node, "tail")
    if last is None:
        return
    node, attr = last
    value = getattr(node, attr)
    stripped = value.rstrip()
    for m in pattern.finditer(stripped):
        if m.end() == len(stripped) and m.start() < m.end():
            p.before_change()
            if p.explain is not None:
                p.explain(f"{why}: text {m.group()!r} in <{_describe(el)}>")
            setattr(node, attr, value[:m.start()] + value[len(stripped):])
            p.removed += 1
            return


def _may_select(rule: Rule, tags: set[Any], values: dict[str, str]) -> bool:
    """False only if no element of the tree (as it came in) can match ``rule``'s selector."""
    needs = rule.needs
    if needs is None:
        return True
    for needed, attrs in needs:  # loops, not nested generators: called ~30 times a document
        if all(map(tags.__contains__, needed)):
            for name, text in attrs:
                if name not in values or text not in values[name]:
                    break
            else:
                return True
    return False


def _facts(root: Any) -> tuple[set[Any], dict[str, str]]:
    """The tree's tag names, and each attribute's values joined: for ``_may_select``."""
    from lxml import etree

    tags = set()
    found: dict[str, list[str]] = {}
    for el in root.iter(etree.Element):  # one walk: twice as fast as an XPath for all @*
        tags.add(el.tag)
        for name, value in el.items():
            found.setdefault(name, []).append(value)
    return tags, {name: "\0".join(values) for name, values in found.items()}


@lru_cache(maxsize=256)
def _union(paths: tuple[str, ...]) -> Any:
    from cleantext.selectors import LazyXPath

    return LazyXPath(" | ".join(paths))


def _apply_selectors(p: _Pass, rules: RuleSet) -> None:
    """Plain selector rules: all matched on the tree as it came, then removed in order."""
    plain = [r for r in rules.hide if r.xpath is not None and r.pattern is None]
    if not plain:
        return
    if p.explain is None:
        # Only the rules that can match here, as one XPath (one evaluation of the union of
        # all would walk the tree once per rule): the same elements, in document order.
        plain = [r for r in plain if _may_select(r, *p.facts())]
        if not plain:
            return
        matches = [(el, "") for el in _union(tuple(r.xpath.path for r in plain))(p.root)]
    else:  # one rule at a time, to say which rule removed what (the first in file order)
        first: dict[Any, str] = {}
        for rule in plain:
            for el in rule.xpath(p.root):
                first.setdefault(el, f"{rule.origin}: {rule.line}")
        order = {el: i for i, el in enumerate(p.root.iter())}
        matches = sorted(first.items(), key=lambda item: order.get(item[0], 0))
    for el, why in matches:  # document order: an ancestor comes before what it holds
        if _attached(el, p.root):
            p.remove(el, why)


class _Texts:
    """The document's whole text, raw and whitespace-collapsed, made again after changes."""

    def __init__(self, p: _Pass) -> None:
        self.p = p
        self.at = -1
        self._raw = self._norm = ""

    def get(self, normalized: bool) -> str:
        if self.at != self.p.removed:
            self._raw = _text(self.p.root)
            self._norm = " ".join(self._raw.split())
            self.at = self.p.removed
        return self._norm if normalized else self._raw

    def may_match(self, rule: Rule) -> bool:
        """False only if ``rule``'s pattern can match no part of the text (``_prefilter``)."""
        test = _prefilter(rule.pattern, rule.required)
        # :remove-text() looks at one text node as it is; the others at collapsed text.
        return test is None or test(self.get(normalized=not rule.cut))


def _apply_text_rules(p: _Pass, rules: Iterable[Rule]) -> None:
    """Text rules, in file order: ``:has-text()``, ``:remove-text()`` and bare ``/REGEX/``."""
    texts = _Texts(p)
    rules = [rule for rule in rules if rule.pattern is not None]
    bare = [rule for rule in rules if rule.xpath is None]
    blocks: list[tuple[Any, str]] | None = None  # leaf blocks and their text, made once
    # The blocks some bare rule may act on (their text or one of their <br> lines matches
    # ``any_bare``), found again whenever something changed: the others are skipped.
    candidates: list[tuple[Any, str]] = []
    candidates_at = -1
    for rule in rules:
        if not texts.may_match(rule):
            continue  # nowhere in the document's text
        why = f"{rule.origin}: {rule.line}"
        before = p.removed
        if rule.xpath is None:
            if blocks is None:
                blocks = [(el, _norm_text(el)) for el in _blocks(p.root)]
                candidates_at = -1
            if candidates_at != p.removed:
                # Joined from the bare rules that may match the text as it is now: compiling
                # them all would cost start-up time, and the others cannot act here.
                any_bare = _any_of(tuple(r.pattern for r in bare if texts.may_match(r)))
                candidates = [(el, text) for el, text in blocks
                              if _may_match(any_bare, el, text)]
                candidates_at = p.removed
            # Leaf blocks never contain one another, so removing one leaves the rest attached.
            for el, text in candidates:
                if rule.pattern.search(text):
                    p.remove(el, why)
                elif el.find("br") is not None:
                    _remove_matching_lines(p, el, rule.pattern, why)
            if p.removed != before:
                blocks = None  # texts changed: measure again for the next text rule
            continue
        if not _may_select(rule, *p.facts()):
            continue  # what it needs was not in the tree as it came in, nor is it now
        for el in rule.xpath(p.root):
            if p.removed != before and not _attached(el, p.root):
                continue  # inside something this rule already removed
            if rule.cut:
                _cut_end(p, el, rule.pattern, why)
            elif rule.pattern.search(_norm_text(el)):
                p.remove(el, why)


def _may_match(any_bare: _AnyOf | None, el: Any, text: str) -> bool:
    """Whether a bare text rule could act on block ``el`` (cached ``text``) now."""
    if any_bare is None or any_bare.search(text):
        return True
    return el.find("br") is not None and any(
        any_bare.search(" ".join(line.split())) for line, _ in _lines(el))
