"""extract: the main content of a full web page, kept as HTML for the steps after it.

A body that is a whole page (a doctype, ``<html>``, ``<head>`` or ``<body>``) or that holds
a page's frame (``nav``, ``header``, ``footer``, ``aside`` and their ARIA roles) is cut down
to its article by ``cleantext.extraction``; any other body -- an article fragment, a Markdown
post, plain text -- passes through byte for byte. How it decides: ``docs/extract.md``.

>>> doc = Document.parse("---\\ntitle: x\\n---\\n<p>Already an article.</p>\\n")
>>> extract(doc) is doc
True
"""

from __future__ import annotations

import sys

from cleantext.document import Document
from cleantext.registry import Param, Step


def _is_markdown(body: str) -> bool:
    try:
        from cleantext.markdown_body import is_markdown
    except ImportError:  # not there yet: every body is HTML
        return False
    return bool(is_markdown(body))


def extract(doc: Document, comments: bool = False, explain: bool = False) -> Document:
    """Keep the main content of ``doc``'s HTML body; the front matter is kept as it is."""
    from cleantext.extraction import extract_html, is_page, is_whole_page

    body = doc.body
    if not body.strip() or "<" not in body:
        return doc
    # A page that starts as one (doctype, <html>) is HTML whatever its <pre> blocks look like;
    # anything else is looked at only if it is not Markdown.
    if not is_whole_page(body) and (_is_markdown(body) or not is_page(body)):
        return doc
    say = None
    if explain:
        name = doc.path or "-"

        def say(message: str) -> None:
            sys.stderr.write(f"extract: {name}: {message}\n")

    out = extract_html(body, comments=comments, say=say)
    if body.endswith("\n") and not out.endswith("\n"):
        out += "\n"
    return doc.replace(body=out)


STEP = Step(
    name="extract",
    run=extract,
    example="cleantext extract page.html | cleantext strip-html\n"
            "cleantext clean -s extract -s strip-html pages/\n"
            "cleantext extract --explain page.html >/dev/null",
    description=(
        "Decides by the page, not the site: text and link density per block, tags "
        "(article, main, nav, header, footer, aside, form), ARIA roles, itemprop, id/class "
        "words in several languages (navigation, sidebar, teaser, share, cookie, newsletter, "
        "related, comments...), boilerplate lines ('Folgen Sie uns', '相关阅读') and where "
        "the page states its article. Headings, lists, tables, figures, quotes and code in "
        "the article stay. A result too short for the page's prose falls back to the whole "
        "page with its frame cleared, then to the page as it came. A body that is already "
        "an article fragment, or Markdown, passes through unchanged."
    ),
    params=(
        Param("comments", "Keep comment threads as content.", default=False, flag=True),
        Param("explain", "Write to stderr which block was taken and why, and what was "
              "dropped.", flag=True, default=False),
    ),
)
