"""The ``meta`` record (Document -> JSON-safe dict).

This module owns two things (front matter parsing is ``cleantext.front_matter``, JSON-safe
values and dates ``cleantext.json_values``, body statistics ``cleantext.body_stats``):

- the ``meta`` record: every front-matter key with a JSON-safe value, dates as ISO 8601,
  plus added fields (``_path``, ``_format``, ``_url``, ``_date_from``, ``_chars``,
  ``_paragraphs``, ``_script``) -- see ``record``;
- ``MetaJob``, the runner job behind ``cleantext meta`` (one JSON line per document).

Heavy modules (yaml, tomllib, lxml) are imported inside the functions that use them; the
script is told from `cleantext.script_tables`, without OpenCC.

>>> rec = metadata("---\\ntitle: Hi\\ndate: 2021-04-17\\n---\\n<p>你好，世界</p>\\n")
>>> rec["title"], rec["date"], rec["_format"], rec["_chars"], rec["_paragraphs"]
('Hi', '2021-04-17', 'yaml', 5, 1)
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from cleantext.body_stats import BodyStats, body_stats
from cleantext.document import Document
from cleantext.front_matter import FrontMatterError, parse_front_matter
from cleantext.json_values import iso, json_safe, json_text, parse_date
from cleantext.lazyre import LazyPattern

if TYPE_CHECKING:
    from cleantext.api import PostLike


# Top-level keys whose string or number values are read as dates (case-insensitive): Jekyll,
# Hugo and Hexo spellings, and the RSS-style names of scraped feeds.
DATE_KEYS = frozenset({
    "date", "updated", "lastmod", "published", "publishdate", "pubdate", "modified",
    "created", "expirydate", "last_modified", "date_published", "date_modified",
})
# Keys holding the post's source address, in order of preference (an absolute address in
# any of them is preferred to a relative one: ``url: /posts/x/`` is the site's own path).
URL_KEYS = ("from", "url", "link", "source")
# The keys ``meta`` reads, read whatever their case as Hugo reads them: ``Title:`` is
# ``title`` (the record names it so), unless the front matter also has the lower-case key.
READ_KEYS = frozenset({"title", "path", *DATE_KEYS, *URL_KEYS})
# Zola gives a post its address, often with its date, in ``path = "2014/12/12/slug"``.
_PATH_DATE = LazyPattern(r"(?:^|/)(\d{4})/(\d{1,2})/(\d{1,2})(?:/|$)")
_ABSOLUTE_URL = LazyPattern(r"(?:[A-Za-z][A-Za-z0-9+.-]*:)?//\S")

_JEKYLL_NAME = LazyPattern(r"(\d{4})-(\d{2})-(\d{2})-.+")


# --- the record ------------------------------------------------------------------------------

ADDED_FIELDS = ("_path", "_format", "_url", "_date_from", "_chars", "_paragraphs", "_script")


def record(doc: Document, *, raw: bool = False,
           fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The ``meta`` record of ``doc``: a JSON-safe dict, front-matter keys first (in file
    order), then the added fields ``_path``, ``_format``, ``_url``, ``_date_from``,
    ``_chars``, ``_paragraphs`` and ``_script``.

    Dates become ISO 8601 (unless ``raw``: then values stay as parsed, only made JSON-safe).
    Without a date, a Jekyll-style file name (``2021-04-17-slug.md``) gives one. Without a
    title, the body's ``<title>``, ``<h1>`` or first Markdown heading gives one.

    ``fields`` keeps only those keys, in that order; a name that is not a key but is an
    added field without its underscore (``url`` for ``_url``) gives that field; a missing
    field is null, so every record has the same keys.

    Raises FrontMatterError (a CleantextError) for front matter that cannot be parsed.
    """
    try:
        meta = _lower_read_keys(
            parse_front_matter(doc.front_matter, doc.format, first_line=doc.front_matter_line))
        rec: dict[str, Any] = json_safe(meta)
    except RecursionError:
        raise FrontMatterError("front matter nested too deeply") from None
    if not raw:
        for key, value in meta.items():
            if isinstance(key, str) and key.lower() in DATE_KEYS and not isinstance(value, dt.date):
                parsed = parse_date(value)
                if parsed is not None:
                    rec[key] = iso(parsed)

    # A date key in any case (``date`` beside a ``Date``) is the post's date.
    has_date = any(isinstance(k, str) and k.lower() == "date" and _present(v)
                   for k, v in rec.items())
    date_from = "front-matter" if has_date else "none"
    if date_from == "none":
        path_date = date_from_path_key(rec.get("path"))
        if path_date is not None:
            rec["date"] = path_date
            date_from = "front-matter-path"
    if date_from == "none":
        file_date = date_from_path(doc.path)
        if file_date is not None:
            rec["date"] = file_date
            date_from = "filename"

    want_title = not _present(rec.get("title"))
    if fields is None or _STAT_FIELDS.intersection(fields) or (want_title and "title" in fields):
        stats = body_stats(doc.body, want_title=want_title)
    else:  # --fields asks for nothing from the body: skip its parse (the costly part)
        stats = BodyStats(0, 0, "none", None)
    if stats.title:
        rec["title"] = stats.title
    if doc.format is None:  # a bare HTML page: what its head says (cleantext.page_meta)
        from cleantext.page_meta import page_fields

        date_from = page_fields(rec, doc.body, want_title, date_from)

    rec["_path"] = doc.path
    rec["_format"] = doc.format or "none"
    rec["_url"] = source_url(rec)
    rec["_date_from"] = date_from
    rec["_chars"] = stats.chars
    rec["_paragraphs"] = stats.paragraphs
    rec["_script"] = stats.script
    if fields is not None:
        return {name: _field(rec, name) for name in fields}
    return rec


# Fields computed from the body (the title may come from it too).
_STAT_FIELDS = frozenset({"_chars", "chars", "_paragraphs", "paragraphs", "_script", "script"})


def _present(value: Any) -> bool:
    return value is not None and value != ""


def _field(rec: dict[str, Any], name: str) -> Any:
    if name in rec:
        return rec[name]
    return rec.get("_" + name)


def _lower_read_keys(meta: dict[Any, Any]) -> dict[Any, Any]:
    """``meta`` with each key of READ_KEYS in lower case (``Title`` as ``title``), in its
    place, unless the lower-case key is there too (then both stay as written).

    >>> _lower_read_keys({"Title": "T", "Date": 1, "Tags": [], "url": "u", "URL": "v"})
    {'title': 'T', 'date': 1, 'Tags': [], 'url': 'u', 'URL': 'v'}
    """
    renamed: dict[Any, Any] = {}
    for key, value in meta.items():
        if isinstance(key, str) and key not in READ_KEYS and key.lower() in READ_KEYS:
            lower = key.lower()
            if lower not in meta and lower not in renamed:
                renamed[lower] = value
                continue
        renamed[key] = value
    return renamed


def source_url(rec: dict[str, Any]) -> str | None:
    """The post's source address: the first absolute one among URL_KEYS, else the first
    non-empty one (a relative ``url: /posts/x/``), else None.

    >>> source_url({"url": "/posts/x/", "source": "https://example.org/x"})
    'https://example.org/x'
    >>> source_url({"url": " /posts/x/ "})
    '/posts/x/'
    """
    found = [rec[k].strip() for k in URL_KEYS if isinstance(rec.get(k), str) and rec[k].strip()]
    return next((url for url in found if _ABSOLUTE_URL.match(url)), found[0] if found else None)


def date_from_path_key(path: Any) -> str | None:
    """The date in a Zola ``path`` (``2014/12/12/slug``), as ISO 8601.

    >>> date_from_path_key("/2014/12/12/slug/"), date_from_path_key("2014/13/40/x")
    ('2014-12-12', None)
    """
    if not isinstance(path, str):
        return None
    m = _PATH_DATE.search(path.strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def date_from_path(path: str | None) -> str | None:
    """The date in a Jekyll-style file name (``2021-04-17-slug.md``), as ISO 8601.

    >>> date_from_path("_posts/2021-04-17-p2p.md")
    '2021-04-17'
    >>> date_from_path("2021-13-40-x.md") is None
    True
    """
    if not path:
        return None
    name = re.split(r"[/\\]", path)[-1]
    m = _JEKYLL_NAME.fullmatch(name)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def metadata(text_or_doc: str | Document | PostLike, *, raw: bool = False,
             fields: str | Iterable[str] | None = None,
             path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The ``meta`` record of a document's text (or a Document) as a JSON-safe dict.

    >>> metadata("# Hello\\n\\nSome text.\\n", path="2021-04-17-hello.md", fields=("title", "date"))
    {'title': 'Hello', 'date': '2021-04-17'}
    """
    from cleantext.api import as_document

    if isinstance(fields, str):  # one field, not its characters
        fields = (fields,)
    doc = as_document(text_or_doc, "metadata()")
    if path is not None:
        doc = Document(doc.head, doc.body, doc.format, os.fspath(path))
    return record(doc, raw=raw, fields=None if fields is None else tuple(fields))


# --- the runner job ----------------------------------------------------------------------------


class MetaJob:
    """A picklable runner job: a document's text -> its record as one JSON line."""

    def __init__(self, *, raw: bool = False, fields: tuple[str, ...] | None = None,
                 ascii: bool = False, pretty: bool = False) -> None:
        self.raw = raw
        self.fields = fields
        self.ascii = ascii
        self.pretty = pretty

    def __call__(self, text: str, name: str) -> str:
        rec = record(Document.parse(text, name), raw=self.raw, fields=self.fields)
        return json_text(rec, ascii=self.ascii, indent=2 if self.pretty else None) + "\n"
