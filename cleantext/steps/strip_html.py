"""strip-html: the HTML in a post's body becomes plain text (or clean Markdown).

This module owns the HTML-to-text rules: which elements make paragraphs, lines, list items
and table rows; which produce nothing (comments, ``script``, ``style``, ``noscript``,
``template``, ``head``, hidden elements); how whitespace that exists only because of source
formatting is dropped (never a space inside a Chinese sentence); and how Markdown lines at the
top level of a body (the ``[title](url)`` + ``------`` prelude of feed posts) are understood.

lxml's HTML parser feeds a ``_Writer`` through its parser-target (SAX) interface: no tree is
built, nothing recurses, and libxml2's depth limit (which silently drops everything below
depth 256 when a tree is built) does not apply, so 100,000 nested elements are fine.

>>> html_to_text("<p>中文句子\\n  继续</p><ul><li>one</li><li>two &amp; more</li></ul>")
'中文句子继续\\n\\n- one\\n- two & more\\n'
>>> html_to_text("<h2>Title</h2><p>Go <a href='https://x.org'>there</a>.</p>", markdown=True)
'## Title\\n\\nGo [there](https://x.org).\\n'
"""

from __future__ import annotations

import threading

from cleantext.document import Document
from cleantext.errors import CleantextError
from cleantext.html_text_rules import _MD_HINT, _TAG
from cleantext.html_text_writer import _Writer
from cleantext.registry import Param, Step


_PARSERS = threading.local()


def _parse(html: str, markdown: bool, links: bool, alt: bool, reveal: bool = False) -> str:
    from lxml import etree

    # One parser per option set and thread, reused: lxml inspects the target on creation.
    key = (markdown, links, alt, reveal)
    cache = _PARSERS.__dict__.setdefault("parsers", {})
    if key not in cache:
        writer = _Writer(markdown, links, alt, reveal)
        cache[key] = writer, etree.HTMLParser(
            target=writer, encoding="utf-8", remove_comments=True, remove_pis=True,
            no_network=True, huge_tree=True,
        )
    writer, parser = cache[key]
    writer.__init__(markdown, links, alt, reveal)  # a fresh state for this document
    # Encoded by us and declared UTF-8, so <?xml encoding=...?> and <meta charset> in the
    # text are ignored (lxml refuses str input that declares an encoding). The <html><body>
    # prefix keeps leading text at body level, where libxml2 would wrap it in a <p>.
    data = ("<html><body>" + html.replace("\x00", "")).encode("utf-8", "replace")
    try:
        return etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError) as exc:
        del cache[key]
        raise CleantextError(f"cannot parse the HTML body: {exc}") from None
    except BaseException:
        del cache[key]  # never reuse a parser left in the middle of a document
        raise


def html_to_text(html: str, *, markdown: bool = False, links: bool = False,
                 alt: bool = False) -> str:
    """Plain text (or Markdown) for an HTML fragment or page; ends with a newline if not empty.

    Text without tags or Markdown passes through with only its entities decoded.

    >>> html_to_text("Fish &amp; chips\\n  two lines")
    'Fish & chips\\n  two lines'
    >>> html_to_text("<table><tr><td>a</td><td>b</td></tr></table>")
    'a\\tb\\n'
    """
    if not _TAG.search(html) and not _MD_HINT.search(html):
        import html as html_module

        return html_module.unescape(html)
    text = _parse(html, markdown, links, alt)
    if not text.strip():
        # Nothing visible: show hidden content rather than lose the text (never empty).
        text = _parse(html, markdown, links, alt, reveal=True)
    return text


def strip_html(doc: Document, alt: bool = False, links: bool = False,
               markdown: bool = False) -> Document:
    """Replace the body's HTML by its text (or Markdown); the front matter is kept as it is.

    A Markdown body is read as Markdown: its text is rendered as HTML would be, or, with
    ``markdown``, it stays Markdown and only its HTML becomes Markdown."""
    if not doc.body.strip():
        return doc
    from cleantext.markdown_body import is_markdown

    if is_markdown(doc.body):
        from cleantext.markdown_text import markdown_islands_to_markdown, markdown_to_text

        if markdown:
            return doc.replace(body=markdown_islands_to_markdown(doc.body, links=links, alt=alt))
        return doc.replace(body=markdown_to_text(doc.body, links=links, alt=alt))
    return doc.replace(body=html_to_text(doc.body, markdown=markdown, links=links, alt=alt))


STEP = Step(
    name="strip-html",
    run=strip_html,
    example="cleantext strip-html post.md\ncleantext strip-html --markdown --links post.md",
    description=(
        "Block elements become paragraphs separated by one blank line, <br> a line break, "
        "list items '- item' lines, table rows tab-separated lines, <pre> keeps its "
        "whitespace. Comments, script, style, noscript, template, head and hidden elements "
        "produce nothing. Line breaks of prettified HTML never become spaces inside Chinese "
        "sentences. Markdown lines at the top of the body (a '[title](url)' line underlined "
        "with '------') are read as Markdown. Text without tags passes through with only "
        "entities decoded."
    ),
    params=(
        Param("alt", "Keep the alt text of images.", default=False, flag=True),
        Param("links", "Append each link's URL after its text: 'text <url>'.", default=False,
              flag=True),
        Param("markdown", "Write Markdown (headings, lists, links, emphasis, images, quotes, "
              "pipe tables) instead of plain text; lines are never wrapped.", default=False,
              flag=True),
    ),
)
