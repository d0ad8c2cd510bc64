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

from cleantext.document import Document
from cleantext.html_text_writer import html_to_text
from cleantext.registry import Param, Step


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
