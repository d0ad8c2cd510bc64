"""What an element's markup says about it: boilerplate kind, content words, comments.

>>> boilerplate_kind("div", "site-nav", None)
'navigation'
>>> boilerplate_kind("div", None, "socials")
'share/social'
>>> boilerplate_kind("div", "content_print", "article_content")
''
>>> boilerplate_kind("section", None, "commentary")
''
>>> content_weight("div", None, "entry-content")
2
"""

from __future__ import annotations

import re
from functools import lru_cache

from cleantext.extraction.vocabulary import (
    BOILERPLATE_STEMS,
    BOILERPLATE_WORDS,
    CAPTION_WORDS,
    CONTENT_WORDS,
    NOT_BOILERPLATE,
    STRONG_CONTENT,
    TAXONOMY,
)
from cleantext.lazyre import LazyPattern

_NAME_PARTS = LazyPattern(r"[^A-Za-z]+")
_HUMPS = LazyPattern(r"(?<=[a-z])(?=[A-Z])")
# Generated ids and hashed class names ("css-1x2y3z", "sc-bdVaJa") are not words.
_HASHY = LazyPattern(r"^(?=.*\d)[a-z0-9]{5,}$|^[a-z]{1,3}\d|^(?:css|sc|jsx|svelte)-", re.IGNORECASE)

# Tags and ARIA roles that are a page's frame, not its article.
FRAME_TAGS = {"nav": "navigation", "aside": "sidebar", "footer": "header/footer",
              "header": "header/footer", "menu": "navigation", "dialog": "dialog",
              "form": "form", "address": "contact"}
FRAME_ROLES = {"navigation": "navigation", "banner": "header/footer",
               "contentinfo": "header/footer", "complementary": "sidebar",
               "search": "search/login", "menu": "navigation", "menubar": "navigation",
               "dialog": "dialog", "alertdialog": "dialog", "toolbar": "navigation",
               "tablist": "navigation"}


@lru_cache(maxsize=8192)
def name_words(value: str) -> tuple[tuple[str, str], ...]:
    """(word, joined name) pairs of an id or class value: each name is split into words, and
    the whole name with its separators taken out is kept for the joined vocabulary."""
    out = []
    for name in value.split():
        if TAXONOMY.match(name) or _HASHY.match(name):
            continue
        parts = [w.lower() for part in _NAME_PARTS.split(name) if part
                 for w in _HUMPS.split(part) if w]
        joined = "".join(parts)
        out.extend((w, joined) for w in parts)
        if not parts:
            continue
    return tuple(out)


@lru_cache(maxsize=16384)
def _word_kind(word: str) -> str:
    kind = BOILERPLATE_WORDS.get(word)
    if kind or word in NOT_BOILERPLATE or len(word) < 5:
        return kind or ""
    for stem, stem_kind in BOILERPLATE_STEMS.items():
        if word.startswith(stem) or word.endswith(stem):
            return stem_kind
    return ""


@lru_cache(maxsize=8192)
def _kind_of_names(id_: str | None, class_: str | None) -> str:
    """The first boilerplate kind the id, then the class, names; none when either states the
    article (``id="content_print" class="article_content"`` is the article, not a print
    button)."""
    pairs = [pair for value in (id_, class_) if value for pair in name_words(value)]
    if any(joined in STRONG_CONTENT for _word, joined in pairs):
        return ""
    for word, _joined in pairs:
        kind = _word_kind(word)
        if kind:
            return kind
    return ""


def boilerplate_kind(tag: str, id_: str | None, class_: str | None,
                     role: str | None = None) -> str:
    """What kind of boilerplate the element's id/class names ('' if none)."""
    if role:
        kind = FRAME_ROLES.get(role.strip().lower())
        if kind:
            return kind
    return _kind_of_names(id_, class_)


@lru_cache(maxsize=8192)
def content_weight(tag: str, id_: str | None, class_: str | None) -> int:
    """2 for a name that states the article ('entry-content', 'articleBody'), 1 for one with a
    content word, 0 otherwise."""
    best = 0
    for value in (id_, class_):
        if not value:
            continue
        for word, joined in name_words(value):
            if joined in STRONG_CONTENT or word in STRONG_CONTENT:
                return 2
            if word in CONTENT_WORDS:
                best = 1
    return best


@lru_cache(maxsize=8192)
def is_caption_name(id_: str | None, class_: str | None) -> bool:
    """Whether the id/class names an image's caption ('figure__caption', 'wp-caption-text')."""
    for value in (id_, class_):
        if not value:
            continue
        for word, _joined in name_words(value):
            if word in CAPTION_WORDS or len(word) > 7 and (
                    word.startswith("caption") or word.endswith("caption")):
                return True
    return False


def is_comment_name(id_: str | None, class_: str | None) -> bool:
    return _kind_of_names(id_, class_) == "comments"


# Used by is_comment_name callers wanting the word list (for --explain).
WORD_RE = re.compile(r"\w+")
