"""strip-html for Markdown bodies: Markdown rendered as text by the HTML rules, or kept as
Markdown with only its HTML turned into Markdown.

The body model (``cleantext.markdown_body``) says what is opaque; here opaque spans that the
Markdown parser would read (math, template tags, raw URLs) and code are held out of it by
stand-ins and put back verbatim, so no character of them changes.
"""

from __future__ import annotations

import re
from typing import Any

from cleantext.lazyre import LazyPattern
from cleantext.html_text_rules import _MAX_MARKS, _PARAGRAPHS, _url
from cleantext.html_text_writer import _parse, html_to_text

# Stand-ins for opaque spans that Markdown must not read (math, template tags, raw URLs):
# private-use characters no parser gives a meaning to, put back after the text is written.
_HOLD_OPEN, _HOLD_CLOSE = "\ue000", "\ue001"
_HELD = LazyPattern("\ue000([0-9]+)\ue001")
# The characters that make markdown-it tokens; a paragraph with more than _MAX_MARKS of them
# is kept as written (``_tame``).
_MARKS = "[]*_<`!\\&$"

_RENDERER: Any = None


def _markdown_renderer() -> Any:
    global _RENDERER
    if _RENDERER is None:
        from markdown_it import MarkdownIt

        _RENDERER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return _RENDERER


def _is_held(span_text: str, before: str) -> bool:
    """Whether an opaque span must be kept from the Markdown parser (it would read it): not
    code, autolinks, reference definitions and link destinations, which it renders itself."""
    first = span_text[:1]
    if (first == "<" and span_text.endswith(">")) or before.endswith("]("):
        return False
    if "\n" in span_text.rstrip("\n"):  # a block: fenced or indented code, a definition
        stripped = span_text.lstrip(" \t")
        return stripped.startswith(("{", "$$"))
    if span_text.endswith("\n"):  # one line
        return span_text.lstrip(" \t").startswith(("{", "$$"))
    return True


def _tame(text: str, held: list[str]) -> str:
    """``text`` with each paragraph that holds very many Markdown marks ("[", "*", "_",
    "<", "`"...) held out as it is written: markdown-it's token per mark would cost
    hundreds of times the paragraph in memory (and its link parsing is quadratic in "[").
    Such a paragraph is no prose a person wrote; its characters are all kept."""
    if sum(text.count(mark) for mark in _MARKS) <= _MAX_MARKS:
        return text
    parts = _PARAGRAPHS.split(text)
    seps = _PARAGRAPHS.findall(text)
    out = []
    for i, part in enumerate(parts):
        if sum(part.count(mark) for mark in _MARKS) > _MAX_MARKS:
            core = part.strip()
            start = part.index(core[0]) if core else 0
            lead = part[:start]
            indent = lead[lead.rfind("\n") + 1 :]
            held.append(core)
            part = f"{lead[: len(lead) - len(indent)]}\n{indent}{_HOLD_OPEN}{len(held) - 1}" \
                   f"{_HOLD_CLOSE}\n{part[start + len(core):]}"
        out.append(part)
        if i < len(seps):
            out.append(seps[i])
    return "".join(out)


def markdown_to_text(body: str, *, links: bool = False, alt: bool = False) -> str:
    """Plain text for a Markdown body (with HTML islands), by the same rules as HTML.

    Code blocks come out verbatim, indented by four spaces (as plain text shows code, and
    so that the next step reads them as code again), code spans as written (with their
    backticks, for the same reason),
    autolinks as their URL; reference definitions are not printed; math, template tags and
    raw URLs are kept as written.

    >>> markdown_to_text("# Title\\n\\nUse `a<b> && c`:\\n\\n```py\\nif x:\\n    y()\\n```\\n")
    'Title\\n\\nUse `a<b> && c`:\\n\\n    if x:\\n        y()\\n'
    """
    from cleantext.markdown_body import OPAQUE, chunk_texts, spans

    held: list[str] = []
    code_blocks: set[int] = set()
    hold = _HOLD_OPEN not in body and _HOLD_CLOSE not in body
    renderer = _markdown_renderer()
    rendered: list[str] = []
    for chunk in chunk_texts(body):  # bounded memory: one chunk's tokens at a time
        parts: list[str] = []
        previous = ""
        for span in spans(chunk):
            text = span.text
            code = _code_block(text) if hold and span.kind == OPAQUE and "\n" in text else None
            if code is not None or (hold and span.kind == OPAQUE and _is_held(text, previous)):
                # Code spans keep their backticks: the steps after this one must see code.
                held.append(code if code is not None else
                            text.rstrip("\n") if "\n" in text else text)
                if code is not None:
                    code_blocks.add(len(held) - 1)
                mark = f"{_HOLD_OPEN}{len(held) - 1}{_HOLD_CLOSE}"
                if text.endswith("\n"):  # a block of its own
                    indent = text[: len(text) - len(text.lstrip(" \t"))]
                    mark = f"\n{indent}{mark}\n\n"
                parts.append(mark)
            else:
                parts.append(_tame(text, held) if span.kind != OPAQUE else text)
            previous = text
        rendered.append(renderer.render("".join(parts)))
    html = "".join(rendered)
    del rendered
    text = _parse(html, False, links, alt) if html.strip() else ""
    if not text.strip() and html.strip():
        text = _parse(html, False, links, alt, reveal=True)
    if held:
        text = _HELD.sub(lambda m: _put_back(held[int(m.group(1))], m,
                                             int(m.group(1)) in code_blocks), text)
    return text


_LIST_LINE = LazyPattern(r"([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+(?=\S)")


def _put_back(held: str, m: re.Match[str], code: bool) -> str:
    """A held span for its stand-in, its later lines under its first (a list's indent).

    A code block right after a list goes under that list's last item: at the top level it
    would read as the item's next paragraph, and the next step would no longer see code."""
    text = m.string
    line_start = text.rfind("\n", 0, m.start()) + 1
    before = text[line_start : m.start()]
    if code and not before.strip():
        previous = text[: line_start].rstrip("\n")
        previous = previous[previous.rfind("\n") + 1 :]
        item = _LIST_LINE.match(previous)
        column = item.end() if item else len(previous) - len(previous.lstrip(" "))
        if column > len(before):
            held = " " * (column - len(before)) + held
            before = " " * column
    if "\n" not in held:
        return held
    indent = before if not before.strip() else " " * len(before)
    return held.replace("\n", "\n" + indent).replace(indent + "\n", "\n")


def _code_block(span: str) -> str | None:
    """The lines of a fenced or indented code block, each indented by four spaces (blank
    lines empty); None if ``span`` is no code block."""
    tokens = _block_parser().parse(span)
    if len(tokens) != 1 or tokens[0].type not in ("fence", "code_block"):
        return None
    lines = tokens[0].content.rstrip("\n").split("\n")
    if not any(line.strip() for line in lines):
        return None
    common = min(len(line) - len(line.lstrip(" ")) for line in lines if line.strip())
    return "\n".join("    " + line[common:].rstrip("\r") if line.strip() else ""
                     for line in lines)


def _block_parser() -> Any:
    from cleantext.markdown_scan import block_parser

    return block_parser()


def markdown_islands_to_markdown(body: str, *, links: bool = False, alt: bool = False) -> str:
    """A Markdown body kept as Markdown, with its HTML turned into Markdown: HTML blocks as
    ``--markdown`` turns an HTML body, inline tags as the marks they stand for."""
    from cleantext.markdown_body import HTML, PROSE, spans

    from cleantext.markdown_body import chunk_texts

    out: list[str] = []
    inline = _InlineHtml()
    for span in (span for chunk in chunk_texts(body) for span in spans(chunk)):
        if span.kind == HTML:
            converted = html_to_text(span.text, markdown=True, links=links, alt=alt)
            out.append(converted + "\n" if converted else "")
        elif span.kind == PROSE and "<" in span.text:
            out.append(inline.convert(span.text))
        else:
            out.append(span.text)
    return "".join(out)


_INLINE_TAG = LazyPattern(
    r"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9\-]*)((?:\s+[A-Za-z_:][\w.:\-]*(?:\s*=\s*"
    r"""(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*)\s*(/?)>""", re.DOTALL)
_ATTR_VALUE = LazyPattern(r"""([A-Za-z_:][\w.:\-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
_INLINE_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*", "del": "~~", "s": "~~",
                 "strike": "~~", "code": "`", "kbd": "`", "tt": "`"}


class _InlineHtml:
    """Inline HTML tags inside Markdown text, turned into Markdown marks (across spans)."""

    def __init__(self) -> None:
        self.links: list[str] = []

    def convert(self, text: str) -> str:
        return _INLINE_TAG.sub(self._tag, text)

    def _tag(self, m: re.Match[str]) -> str:
        closing, name, attrs, _ = m.groups()
        if name is None:  # a comment
            return ""
        name = name.lower()
        if name in _INLINE_MARKS:
            return _INLINE_MARKS[name]
        if name == "br":
            return "\\\n" if not closing else ""
        values = {a.group(1).lower(): a.group(2) or a.group(3) or a.group(4) or ""
                  for a in _ATTR_VALUE.finditer(attrs or "")}
        if name == "a":
            if closing:
                return f"]({_url(self.links.pop())})" if self.links else ""
            if values.get("href"):
                self.links.append(values["href"])
                return "["
            return ""
        if name == "img" and values.get("src"):
            return f"![{values.get('alt', '')}]({_url(values['src'])})"
        return ""  # span, font, sup...: the tag goes, its text stays
