"""Metadata of a bare HTML page: title, date, author, canonical URL, language.

What a page says about itself, in the order of trust: Open Graph and article meta tags,
JSON-LD (``NewsArticle``, ``BlogPosting``... with ``@graph`` lists), then the visible page
(``<title>`` without the site's name after " | " or " - ", or the ``<h1>`` it holds;
``<time datetime>``).
Dates come out as ISO 8601, like the rest of ``meta``.

>>> page = ('<html lang="de"><head><title>Bohren, bis es heiß wird | ZEIT ONLINE</title>'
...         '<meta property="article:published_time" content="2019-10-19T19:08:22+02:00">'
...         '<link rel="canonical" href="https://example.org/a"></head>'
...         '<body><h1>Bohren, bis es heiß wird</h1></body></html>')
>>> page_metadata(page)["title"], page_metadata(page)["date"], page_metadata(page)["lang"]
('Bohren, bis es heiß wird', '2019-10-19T19:08:22+02:00', 'de')
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from cleantext.lazyre import LazyPattern

# Separators between a page's title and its site's name: "Title | Site", "Title - Site".
_TITLE_SEPARATORS = LazyPattern(r"\s+[|\-–—:·»«/]{1,2}\s+|\s*[|·»«]\s*")
_WS = LazyPattern(r"\s+")
_DATE_META = ("article:published_time", "og:published_time", "datepublished", "date",
              "pubdate", "publishdate", "dc.date", "dc.date.issued", "dcterms.date",
              "dcterms.created", "sailthru.date", "parsely-pub-date", "publication_date",
              "article.published", "og:updated_time", "article:modified_time", "last-modified")
_AUTHOR_META = ("author", "article:author", "dc.creator", "dcterms.creator", "parsely-author",
                "sailthru.author", "byl", "twitter:creator")
_ARTICLE_TYPES = ("article", "newsarticle", "blogposting", "reportage", "report", "webpage",
                  "posting", "analysisnewsarticle", "opinionnewsarticle", "scholarlyarticle",
                  "techarticle", "liveblogposting", "review")


def _text(el: Any) -> str:
    return _WS.sub(" ", "".join(el.itertext())).strip()


def _json_ld(root: Any) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object of the page, nested ones and ``@graph`` members included."""
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        todo = [data]
        while todo:
            item = todo.pop(0)
            if isinstance(item, list):
                todo.extend(item)
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if graph is not None:
                    todo.append(graph)


def _type_of(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds if k}


def _name(value: Any) -> str | None:
    """An author value of JSON-LD (a string, a Person, a list of them) as text."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def strip_site_name(title: str, site: str | None = None) -> str:
    """``title`` without the site's name at its end (or start).

    >>> strip_site_name("Bohren, bis es heiß wird | ZEIT ONLINE")
    'Bohren, bis es heiß wird'
    >>> strip_site_name("Example News - How it works", "Example News")
    'How it works'
    >>> strip_site_name("Nord-Süd: ein Vergleich")
    'Nord-Süd: ein Vergleich'
    """
    title = _WS.sub(" ", title).strip()
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    if site:
        key = site.strip().lower()
        kept = [p for p in parts if p.strip().lower() != key]
        if kept and len(kept) < len(parts):
            return _rejoin(title, kept)
    # Without a site name: the last part is the site's when it is short and the first is not.
    first, last = parts[0], parts[-1]
    if len(last) <= 40 and len(last) < len(first) and len(first) >= 15:
        return _rejoin(title, parts[:-1])
    return title


def _rejoin(title: str, kept: list[str]) -> str:
    """The span of ``title`` from the first kept part to the end of the last one."""
    start = title.find(kept[0])
    end = title.rfind(kept[-1]) + len(kept[-1])
    return title[start:end].strip() if 0 <= start < end else kept[0].strip()


def _iso_date(value: str) -> str | None:
    from cleantext.json_values import iso, parse_date

    parsed = parse_date(value.strip())
    return iso(parsed) if parsed is not None else None


def page_metadata(html: str) -> dict[str, str]:
    """Title, date, author, canonical URL and language of the page ``html`` (keys present
    only when found): ``title``, ``date`` (ISO 8601), ``author``, ``url``, ``lang``."""
    from lxml import etree

    parser = etree.HTMLParser(remove_comments=True, huge_tree=True, encoding="utf-8",
                              no_network=True)
    try:
        root = etree.fromstring(html.replace("\x00", "").encode("utf-8", "replace"), parser)
    except (etree.LxmlError, ValueError):
        return {}
    if root is None:
        return {}
    metas: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop")
               or meta.get("http-equiv") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key and content and key not in metas:
            metas[key] = content
    ld = list(_json_ld(root))
    articles = [item for item in ld if _type_of(item) & set(_ARTICLE_TYPES)] or ld
    out: dict[str, str] = {}

    site = metas.get("og:site_name") or metas.get("application-name")
    title = metas.get("og:title") or metas.get("twitter:title")
    if not title:
        title = next((str(a["headline"]) for a in articles if a.get("headline")), None)
    if not title:
        # The <title> without the site's name; an <h1> that it holds is the same title
        # without the rest (an <h1> that it does not hold is often the site's logo).
        el = root.find(".//title")
        head = _text(el) if el is not None else ""
        h1s = [t for t in (_text(h) for h in root.iter("h1")) if t]
        stripped = strip_site_name(head, site) if head else ""
        title = next((t for t in h1s if stripped and t in stripped), None) or stripped or \
            next(iter(h1s), None)
    if title:
        out["title"] = strip_site_name(title, site)

    for key in _DATE_META:
        if key in metas:
            date = _iso_date(metas[key])
            if date:
                out["date"] = date
                break
    if "date" not in out:
        for item in articles:
            for key in ("datePublished", "dateCreated", "dateModified"):
                if isinstance(item.get(key), str) and _iso_date(item[key]):
                    out["date"] = _iso_date(item[key])  # type: ignore[assignment]
                    break
            if "date" in out:
                break
    if "date" not in out:
        for el in root.iter("time"):
            value = el.get("datetime") or ""
            date = _iso_date(value) if value else None
            if date:
                out["date"] = date
                break

    author = next((n for n in (_name(a.get("author")) for a in articles) if n), None)
    if not author:
        for key in _AUTHOR_META:
            value = metas.get(key, "")
            if value and not value.startswith(("http://", "https://", "@")):
                author = value
                break
    if not author:
        for el in root.iter():
            if isinstance(el.tag, str) and (el.get("rel") == "author"
                                            or el.get("itemprop") == "author"):
                author = _text(el)
                if author:
                    break
    if author:
        out["author"] = re.sub(r"^(?:by|von|par|por|di)\s+", "", author, flags=re.I)[:200]

    url = None
    for link in root.iter("link"):
        if (link.get("rel") or "").strip().lower() == "canonical" and link.get("href"):
            url = link.get("href").strip()
            break
    url = url or metas.get("og:url")
    if url and url.startswith(("http://", "https://")):
        out["url"] = url

    lang = root.get("lang") or root.get("xml:lang") or root.get(
        "{http://www.w3.org/XML/1998/namespace}lang") or metas.get("content-language") \
        or metas.get("og:locale") or metas.get("language")
    if lang:
        out["lang"] = lang.strip().replace("_", "-").split(",")[0].strip()
    return out


def page_fields(rec: dict[str, Any], body: str, want_title: bool, date_from: str) -> str:
    """Fill ``meta``'s record ``rec`` from a bare page's metadata, where front matter gave
    nothing (a title from the body's ``<title>`` gives way to the page's own); returns the
    new ``_date_from`` ("page" when the date came from here)."""
    from cleantext.extraction import is_whole_page

    if not is_whole_page(body):
        return date_from
    for key, value in page_metadata(body).items():
        if key not in rec or rec[key] in (None, "", [], {}) or (key == "title" and want_title):
            rec[key] = value
            if key == "date" and date_from == "none":
                date_from = "page"
    return date_from
