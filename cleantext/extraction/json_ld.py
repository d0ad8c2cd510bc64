"""The article a page states in its JSON-LD (``articleBody``), and paragraphs made of it: the
last fallback of extraction, for pages that render their text with JavaScript."""

from __future__ import annotations

from typing import Any


def _json_ld_article_body(body: Any) -> str:
    """The longest ``articleBody`` in the page's JSON-LD scripts ('' if none)."""
    import json

    found = ""
    for script in body.getroottree().iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = script.text or ""
        if "articleBody" not in raw:
            continue
        try:
            todo = [json.loads(raw)]
        except ValueError:
            continue
        while todo:
            item = todo.pop()
            if isinstance(item, list):
                todo.extend(item)
            elif isinstance(item, dict):
                value = item.get("articleBody")
                if isinstance(value, str) and len(value) > len(found):
                    found = value
                todo.extend(v for v in item.values() if isinstance(v, (list, dict)))
    return found


def _paragraphs_of(text: str, body: Any) -> Any:
    """A <div> of <p> paragraphs made from plain text (lines and blank lines)."""
    from lxml import etree

    box = etree.SubElement(body, "div")
    for line in text.splitlines():
        if line.strip():
            etree.SubElement(box, "p").text = line.strip()
    return box
