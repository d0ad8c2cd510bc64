"""strip-ads: remove ads, promos and boilerplate elements from an HTML body, by readable rules.

This module is the step; the rule language, rule files and cache are ``cleantext.ad_rules``,
the removal pass ``cleantext.ad_removal``, the heuristics ``cleantext.ad_heuristics``. The
body is parsed once with lxml, whole elements are removed, and the body is written back as
HTML (unchanged, byte for byte, when nothing was removed); the front matter is never
touched. A whole page (a doctype, ``<html>``, ``<head>`` or ``<body>`` at the start, and a
``<body>`` tag) stays a whole page: only its ``<body>`` is cleaned, and its doctype,
``<html>`` attributes and ``<head>`` are written back as they came, so ``meta`` and
``extract`` later in a pipe read the same title, date and language; JSON-LD scripts that
rules remove from the body (``##script``) are put back at the end of the ``<head>``.
Anything else is a fragment, parsed as the content of a ``<body>``.

Rule files (``cleantext/rules/*.txt`` and ``--rules FILE``) use EasyList's element-hiding
syntax, one rule per line; ``!`` starts a comment line:

- ``##SELECTOR`` removes elements matching the CSS selector everywhere;
- ``example.com,example.org##SELECTOR`` only on those sites and their subdomains
  (``~example.com`` in the list excludes a site);
- ``example.com#@#SELECTOR`` is an exception: on those sites, rules with exactly this
  selector do nothing (as in EasyList);
- text rules, for boilerplate without markup of its own: ``##/REGEX/`` removes every block
  (an element holding text but no other block) whose whole text, whitespace collapsed,
  matches REGEX (``re.search``, so anchor with ``^`` and ``$``), or else one ``<br>``-separated
  line of it that matches; ``##SELECTOR:has-text(/REGEX/)`` removes elements matching
  SELECTOR whose text matches; ``##SELECTOR:remove-text(/REGEX/)`` cuts a match found at the
  very end of the element's text (a credit trailer such as "（編輯：X）1100108") and keeps the
  element. ``/REGEX/i`` ignores case; text without slashes is matched literally.

Selector rules are all matched against the tree as it came in (as an ad blocker would), then
text rules run in file order.

On top of the rules, generic heuristics (``HEURISTICS``) remove elements whose id/class names
an ad, share, related, comment... widget, and lists that are mostly links. Containers that
removals leave without text or media go too. Nothing is removed that holds most of the
document's prose (text outside links, at least ``_GUARD_MIN`` characters): that is the article.

>>> doc = Document.parse("---\\nfrom: https://www.zaobao.com/x\\n---\\n"
...                      "<p>Text.</p><div id='dfp-ad-imu1'>AD</div>\\n")
>>> strip_ads(doc).body
'<p>Text.</p>\\n'
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import Any

from cleantext.document import Document
from cleantext.ad_heuristics import _apply_heuristics, _prune_empty
from cleantext.ad_removal import _apply_selectors, _apply_text_rules, _Pass
from cleantext.ad_rules import active_rules, _check_rule_files, HEURISTICS, RuleSet, site_of
from cleantext.registry import Param, Step


def _parse(body: str) -> Any:
    """The body parsed as the content of an HTML <body> element (None if there is none)."""
    from lxml import etree

    from cleantext.htmlguard import check_depth, drop_oversized_attributes

    # Plain lxml.etree elements: lxml.html's element classes cost a lookup on every access.
    parser = etree.HTMLParser(remove_blank_text=False, remove_comments=False, huge_tree=True,
                              encoding="utf-8")
    html = drop_oversized_attributes(body)
    # UTF-8 bytes, declared: 15% faster to parse than a str, and a lone surrogate (a str
    # from the Python API) becomes "?" where libxml2 silently dropped the rest of the body.
    data = f"<html><body>{html}</body></html>".encode("utf-8", "replace")
    tree = etree.fromstring(data, parser)
    check_depth(parser)
    return None if tree is None else tree.find("body")


def _parse_page(page: str) -> Any:
    """A whole page parsed as one (doctype, <html> and <head> kept); its <body> element,
    or None if libxml2 found none."""
    from lxml import etree

    from cleantext.htmlguard import check_depth, drop_oversized_attributes

    parser = etree.HTMLParser(remove_blank_text=False, remove_comments=False, huge_tree=True,
                              encoding="utf-8", no_network=True)
    data = drop_oversized_attributes(page).encode("utf-8", "replace")
    root = etree.fromstring(data, parser)
    check_depth(parser)
    return None if root is None else root.find("body")


def _json_ld(body: Any) -> list[Any]:
    """The JSON-LD scripts in a page's <body>: metadata (date, author, the article's text)
    that ``meta`` and ``extract`` read later in a pipe, which ``##script`` would remove."""
    return [el for el in body.iter("script")
            if (el.get("type") or "").strip().lower() == "application/ld+json"]


def _keep_json_ld(body: Any, scripts: list[Any]) -> None:
    """Put back, at the end of the page's <head>, the JSON-LD scripts the pass removed."""
    from lxml import etree

    head = body.getparent().find("head") if body.getparent() is not None else None
    if head is None:
        head = etree.Element("head")
        body.addprevious(head)
    for script in scripts:
        if not _inside(script, body):
            script.tail = "\n"
            head.append(script)


def _inside(el: Any, root: Any) -> bool:
    while el is not None:
        if el is root:
            return True
        el = el.getparent()
    return False


def _serialize(root: Any) -> str:
    from lxml import etree

    out = etree.tostring(root, encoding="unicode", method="html")
    # The <body> we parsed into is not part of the document's body.
    return out[out.index(">") + 1: out.rindex("<")]


def _serialize_page(body: Any) -> str:
    """The whole page of ``body``: doctype, comments around <html>, <html> with its head."""
    from lxml import etree

    return etree.tostring(body.getroottree(), encoding="unicode", method="html")


def _listing(rules: RuleSet, host: str) -> str:
    lines = [f"! strip-ads rules for {host or 'a document with no site'}"]
    lines += [f"{r.origin}: {r.line}" for r in rules.hide]
    lines += [f"{r.origin}: {r.line}" for r in rules.exceptions]
    if rules.heuristics:
        lines += [f"heuristic {name}: {what}" for name, what in HEURISTICS.items()]
    lines.append("always: containers left empty by removals are removed; an element holding "
                 "most of the document's prose is never removed")
    return "\n".join(lines) + "\n"


def strip_ads(doc: Document, rules: Iterable[str] = (), no_builtin: bool = False,
              no_site_rules: bool = False, url: str | None = None, explain: bool = False,
              list_rules: bool = False) -> Document:
    """Remove ad and boilerplate elements from ``doc``'s HTML body; the head is kept.

    ``rules`` are user rule files; ``no_builtin`` drops the built-in rules and heuristics,
    ``no_site_rules`` every rule tied to a site. ``url`` overrides the front matter's URL.
    ``explain`` writes each removal (rule, element, start of its text) to stderr.
    ``list_rules`` returns a document whose head is empty and whose body lists the rules
    that would apply, instead of cleaning.
    """
    host = site_of(doc, url)
    active = active_rules(host, tuple(str(r) for r in rules), no_builtin, no_site_rules)
    if list_rules:
        return Document("", _listing(active, host), None, doc.path)
    if not doc.body.strip() or "<" not in doc.body:
        return doc
    say = None
    if explain:
        name = doc.path or "-"

        def say(message: str) -> None:
            sys.stderr.write(f"strip-ads: {name}: {message}\n")

    from cleantext.markdown_body import HTML, is_markdown, spans

    if not is_markdown(doc.body):
        body = _strip_html(doc.body, active, say)
        return doc if body is None else doc.replace(body=body)
    # Markdown: only its HTML islands are HTML; the text around them is written back as it is.
    pieces = []
    changed = False
    for span in spans(doc.body):
        cleaned = _strip_html(span.text, active, say) if span.kind == HTML else None
        if cleaned is not None and not cleaned.strip():
            cleaned = ""  # an island that was all ad leaves no blank line behind
        changed = changed or cleaned is not None
        pieces.append(span.text if cleaned is None else cleaned)
    return doc.replace(body="".join(pieces)) if changed else doc


def _strip_html(html: str, active: RuleSet, say: Callable[[str], None] | None) -> str | None:
    """``html`` without the elements the rules and heuristics remove; None if none is.

    A whole page (``parses_as_page``) stays a whole page: its doctype, <html> attributes and
    <head> (title, meta, scripts) are kept as they came, and only its <body> is cleaned.
    Anything else is a fragment, parsed as a body's content."""
    from cleantext.extraction import parses_as_page

    page = parses_as_page(html)
    root = _parse_page(html) if page else _parse(html)
    if root is None:
        return None
    metadata = _json_ld(root) if page else []
    p = _Pass(root, say)
    _apply_selectors(p, active)
    _apply_text_rules(p, active.hide)
    if active.heuristics:
        _apply_heuristics(p)
    _prune_empty(p)
    if not p.removed:
        return None
    if metadata:
        _keep_json_ld(root, metadata)
    body = _serialize_page(root) if page else _serialize(root)
    if html.endswith("\n") and not body.endswith("\n"):
        body += "\n"
    return body


STEP = Step(
    name="strip-ads",
    run=strip_ads,
    example="cleantext strip-ads post.md | cleantext strip-html\n"
            "cleantext strip-ads --explain --rules my.txt post.md >/dev/null\n"
            "cleantext strip-ads --list-rules --url https://www.zaobao.com/",
    description=(
        "Rules use EasyList element hiding: ##SELECTOR (everywhere), site.com##SELECTOR "
        "(a site and its subdomains), site.com#@#SELECTOR (exception), and text rules "
        "##/REGEX/ (a block whose whole text matches) or ##SELECTOR:has-text(/REGEX/). "
        "The site comes from the front matter (from, url, link, source, canonical) or --url. "
        "Built-in rules: a generic set and per-site sets, plus heuristics (widget id/class "
        "names, link lists, emptied containers). --list-rules prints the rules in force "
        "for the document (or --url) instead of the document, without front matter."
    ),
    params=(
        Param("rules", "Also use the rules in this file (repeatable).", default=(),
              multiple=True, is_path=True, metavar="FILE", check=_check_rule_files),
        Param("no_builtin", "Use only --rules files: no built-in rules, no heuristics.",
              flag=True, default=False),
        Param("no_site_rules", "Leave out every site-specific rule (generic rules and "
              "heuristics only).", flag=True, default=False),
        Param("url", "The document's URL, for site rules (instead of the front matter's).",
              metavar="URL"),
        Param("explain", "Write to stderr each removed element and the rule that removed it.",
              flag=True, default=False),
        Param("list_rules", "Print the rules in force for the document instead of it.",
              flag=True, default=False),
    ),
)
