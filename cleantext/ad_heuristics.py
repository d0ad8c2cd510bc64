"""strip-ads' heuristics: widget names in ids and classes, boxes that are mostly links, and
containers that removals leave empty; never the box holding the article's prose.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cleantext.ad_removal import (
    _attached, _link_counts, _mostly_links, _paragraph_prose, _Pass, _text_len,
)
from cleantext.ad_rules import (
    BOILERPLATE_TOKENS, _GUARD_MIN, _HASH_PART, _LIST_TAGS, _MEDIA_TAGS, _NAME_PARTS, _NAME_SPLIT,
    _TAXONOMY,
)

@lru_cache(maxsize=4096)
def _name_hits(id_: str | None, class_: str | None) -> str:
    """The boilerplate words in an id and class, sorted and joined by "/" ('' if none)."""
    words: set[str] = set()
    for value in (id_, class_):
        if not value:
            continue
        for name in value.split():
            if _TAXONOMY.match(name):
                continue
            for part in _NAME_PARTS.split(name):
                if part and not _HASH_PART.fullmatch(part):
                    words.update(w.lower() for w in _NAME_SPLIT.split(part) if w)
    return "/".join(sorted(words & BOILERPLATE_TOKENS))


def _heuristic_candidates(root: Any) -> list[Any]:
    """Elements the heuristics look at, in document order: named ones, and list-like boxes
    with 3 links or more (links counted up their ancestors, not by a walk per box)."""
    from lxml import etree

    links: dict[Any, int] = {}  # links inside each element, added up from the bottom
    for el in reversed(list(root.iter(etree.Element))):  # each after what is inside it
        inside = links.get(el, 0) + (el.tag == "a")
        parent = el.getparent()
        if inside and parent is not None:  # (a walk up from each link was quadratic)
            links[parent] = links.get(parent, 0) + inside
    return [el for el in root.iterdescendants(etree.Element)  # elements: no comments, PIs
            if el.get("id") is not None or el.get("class") is not None
            or (el.tag in _LIST_TAGS and links.get(el, 0) >= 3)]


def _apply_heuristics(p: _Pass) -> None:
    removed: set[Any] = set()
    # Counted once for each element, not again for each box around it (quadratic for boxes
    # nested in boxes): link counts (``_link_counts``) and whether it is still in the tree.
    counted: dict[Any, tuple[int, int, int]] = {}
    still_in: dict[Any, bool] = {p.root: True}
    for el in _heuristic_candidates(p.root):
        if el.tag in ("html", "body") or not _still_in(el, p.root, removed, still_in):
            continue
        hits = _name_hits(el.get("id"), el.get("class"))
        if hits:
            if not _in_running_text(el) and not _holds_most_paragraphs(p, el, hits) \
                    and p.remove(el, f"heuristic names: {hits}"):
                removed.add(el)
        elif el.tag in _LIST_TAGS:
            links = _link_counts(el, counted)[2]
            if links >= 3 and _mostly_links(el, counted) \
                    and not _holds_most_text(p, el, counted) \
                    and p.remove(el, f"heuristic link-lists: {links} links"):
                removed.add(el)


def _holds_most_paragraphs(p: _Pass, el: Any, hits: str) -> bool:
    """Whether ``el`` holds much of the document's paragraph prose -- more than a third, or
    more than half for a comment thread (which may well outgrow the article): the article,
    whatever its name says ("Page-ad-margins", "article-ad-marker", "cuerpo-ad",
    "enable-pin-share")."""
    if p.paragraph_prose is None:
        p.paragraph_prose = _paragraph_prose(p.root)
    if p.paragraph_prose < _GUARD_MIN or el.find(".//p") is None:
        return False
    share = 2 if "comment" in hits else 3
    return _paragraph_prose(el) * share > p.paragraph_prose


def _holds_most_text(p: _Pass, el: Any,
                     counted: dict[Any, tuple[int, int, int]] | None = None) -> bool:
    """Whether ``el`` holds more than half of the document's text, links included: a post
    that is a list of headlines (a broadcast's running order, a digest) is that list.
    (``counted``: ``_link_counts``' memo, which has the same count.)"""
    if p.total_text is None:
        p.total_text = _text_len(p.root)
    size = _text_len(el) if counted is None else _link_counts(el, counted)[1]
    return size * 2 > p.total_text


# Elements that sit inside a line of text rather than making a block of their own.
_INLINE_TAGS = frozenset(("a", "abbr", "b", "cite", "code", "em", "font", "i", "label", "mark",
                          "q", "s", "small", "span", "strong", "sub", "sup", "time", "u"))


def _in_running_text(el: Any) -> bool:
    """Whether ``el`` is an inline element with words right before or after it: part of a
    sentence ("……表示，<a class=related-link>芯片禁令</a>严重违反……"), which a name
    alone must not cut."""
    if el.tag not in _INLINE_TAGS:
        return False
    if el.tail and not el.tail.isspace():
        return True
    previous = el.getprevious()
    before = previous.tail if previous is not None else el.getparent().text
    return bool(before) and not before.isspace()


def _still_in(el: Any, root: Any, removed: set[Any], memo: dict[Any, bool] | None = None,
              ) -> bool:
    """Whether ``el`` has no ancestor in ``removed`` (it is then still in ``root``'s tree).

    ``memo`` keeps the answer for ``el`` and the ancestors walked, for elements asked about
    in document order while ``removed`` grows: an element's ancestors come before it, so
    whatever of them is ever removed is removed by then."""
    if memo is None:
        for ancestor in el.iterancestors():
            if ancestor is root:
                return True
            if ancestor in removed:
                return False
        return True
    walked = []
    node = el.getparent()
    while True:
        if node is None:
            answer = True
            break
        if node in removed:  # before the memo: it may have been removed since it was asked
            answer = False
            break
        if node in memo:
            answer = memo[node]
            break
        walked.append(node)
        node = node.getparent()
    for node in walked:
        memo[node] = answer
    memo[el] = answer
    return answer


def _is_empty(el: Any) -> bool:
    if el.tag in _MEDIA_TAGS or any(chunk.strip() for chunk in el.itertext()):
        return False
    return next(el.iter(*_MEDIA_TAGS), None) is None


def _prune_empty(p: _Pass) -> None:
    """Remove containers that removals left without text or media, walking upwards."""
    todo = list(p.touched)
    while todo:
        el = todo.pop()
        if el is p.root or not _attached(el, p.root) or el.tag in ("br", "td", "th", "tr"):
            continue
        if _is_empty(el):
            parent = el.getparent()
            if p.remove(el, "emptied by removals"):
                todo.append(parent)
