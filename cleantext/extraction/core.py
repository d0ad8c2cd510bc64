"""Finding a page's main content: measure, clear the frame, choose, prune, fall back.

1. **Measure** every element once, bottom-up: its visible text and the part of it inside
   links (non-space characters, so Chinese and German count alike). *Prose* is text outside
   links.
2. **Clear the frame**: elements that are a page's frame by tag (``nav``, ``aside``,
   ``footer``, ``header`` without a lead, ``form``, ``dialog``), ARIA role (navigation,
   banner, contentinfo, complementary, search...) or id/class words (``names.py``) go,
   unless they hold most of the page's prose or contain where the page states its article.
3. **Choose**: paragraphs (blocks of prose with few links) give points to their parent,
   grandparent and great-grandparent; a container's score is its points times the share of
   its text outside links, plus its name's weight. The page's own statement of its article
   (``[itemprop=articleBody]``, ``<article>``, a name such as ``entry-content``) is taken
   instead when it holds most of what the scoring found. Siblings of the choice that are
   prose too join it (an article split over several boxes).
4. **Prune** the choice: frame and named widgets inside it, blocks that are mostly links,
   short lines that are boilerplate in the page's language ("Folgen Sie uns", "相关阅读"),
   cookie notices, and "related"/"comments" headings with the link lists after them.
5. **Fall back** when the result is too short for the page's prose: the whole page with its
   frame cleared and pruned, then the page as it came (never an empty output where the page
   has prose).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cleantext.extraction import names
from cleantext.extraction.json_ld import _json_ld_article_body, _paragraphs_of
from cleantext.extraction.measures import (
    _END,
    _HEADINGS,
    Measures,
    _attached,
    _drop,
    _hidden,
    _in_running_text,
    _is_marker,
    _no_picture,
    _same_family,
    _snippet,
    _text_units,
    describe,
)
from cleantext.extraction.vocabulary import (
    BOILERPLATE_LINE,
    COMMENT_HEADING,
    COOKIE_NOTICE,
    DATE_WORDS,
    PHOTO_CREDIT_END,
    SECTION_HEADING,
)
from cleantext.lazyre import LazyPattern

# Never content: their text is code, styling or widgets.
_DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "canvas", "object",
              "embed", "button", "select", "input", "textarea", "link", "meta", "title",
              "map", "area", "base", "datalist", "option", "label", "head")
# Blocks whose own text is a paragraph (readability scores p, td, pre; divs of text count too).
_PARA_TAGS = frozenset(["p", "pre", "blockquote", "td", "dd", "li", "div", "section", "article",
                        "span", "font", "center", "main", "figcaption", "address"])
_BLOCK_TAGS = frozenset(["address", "article", "aside", "blockquote", "center", "dd", "details",
                         "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure",
                         "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
                         "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary",
                         "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "br"])
# Tag weights of a candidate container (readability's, roughly): text boxes up, lists down.
_TAG_WEIGHT = {"div": 5, "article": 8, "main": 5, "section": 3, "pre": 3, "td": 3,
               "blockquote": 3, "form": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "li": -3,
               "address": -3, "th": -5, "table": 0, **dict.fromkeys(_HEADINGS, -5)}
_SENTENCE_PUNCT = LazyPattern(r"[,.;:!?，。；：！？、]")
_WS_RUN = LazyPattern(r"\s+")

# Names that say what a box is whatever it holds; other kinds ("teaser", "sidebar") are only
# believed of a box of links or a short one, as German sites call an article's lead "teaser".
_STRONG_KINDS = frozenset(["comments", "cookie/consent", "newsletter", "advertising", "dialog",
                           "share/social", "search/login", "navigation", "header/footer",
                           "author box", "sidebar"])
# Blocks of text: a weak name never removes them, nor a "social" one (an embedded tweet is a
# quote of the article: blockquote.twitter-tweet).
_TEXT_TAGS = frozenset(["p", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "figure",
                        "figcaption", "table", "img", "picture", "q"])
_QUOTED = frozenset(["share/social"])
# Phrasing elements: inside a sentence ("ボルノ（<a class="searchLink">Borno</a>）州") they are
# words of it, whatever their name says; only a box of them is a frame.
_INLINE_TAGS = frozenset(["a", "span", "em", "strong", "b", "i", "u", "s", "small", "mark",
                          "cite", "abbr", "sup", "sub", "code", "time", "font"])
# Kinds that a short box of text without links is not: a "teaser" is then the article's lead.
_NEED_LINKS = frozenset(["teaser", "sidebar"])
# Elements whose text is not one line of its own: rows and cells of tables, whole lists.
_NOT_LINES = frozenset(["table", "tbody", "thead", "tr", "td", "th", "ol", "dl", "pre", "code",
                        "blockquote", "body", "article", "main"])
# A result shorter than this share of the page's prose (and than _MIN_CHARS) is a wrong guess.
_MIN_SHARE = 0.25
_MIN_CHARS = 300
# Blocks scoring nearly as well as the best that make their common ancestor the choice.
_RIVALS = 3
# A paragraph: at least this many characters of text, at most this share of it in links.
_PARA_MIN = 25
_PARA_LINKS = 0.5
# An image's caption longer than this is taken for text of the article.
_CAPTION_MAX = 500
# The guard: an element holding more than this share of the prose in play is never removed.
_GUARD_SHARE = 0.4


class Extraction:
    """One page's extraction; ``say`` receives the --explain lines."""

    def __init__(self, body: Any, comments: bool = False,
                 say: Callable[[str], None] | None = None) -> None:
        self.body = body
        self.comments = comments
        self.say = say
        self.comment_boxes: list[Any] = []
        self.m: Measures | None = None  # kept up to date as elements are dropped
        self.ld_body = ""  # the articleBody of the page's JSON-LD, if it gives one

    def _explain(self, message: str) -> None:
        if self.say is not None:
            self.say(message)

    def _dropped(self, el: Any, why: str) -> None:
        if self.say is not None:
            self.say(f"dropped <{describe(el)}> ({why}): {_snippet(el)!r}")
        if self.m is not None:
            self.m.forget(el)
        _drop(el)

    # --- 1 and 2: measure, clear the frame -------------------------------------------------

    def clean_invisible(self) -> None:
        from lxml import etree

        self.ld_body = _json_ld_article_body(self.body)
        for el in list(self.body.iter(*_DROP_TAGS)):
            _drop(el)
        hidden = [el for el in self.body.iter(etree.Element) if _hidden(el)]
        m = self.m = Measures(self.body)
        total = m.prose(self.body)
        for el in hidden:
            # A page that reveals its article with JavaScript keeps it hidden: not dropped.
            if el.getparent() is not None and m.prose(el) * 2 < total:
                m.forget(el)
                _drop(el)

    def frame_kind(self, el: Any, m: Measures) -> str:
        """What makes ``el`` part of the page's frame ('' if nothing)."""
        tag = el.tag
        kind = names.FRAME_TAGS.get(tag)
        if kind == "header/footer" and tag == "header":
            # An article's own header holds its headline and lead: prose, few links.
            if m.prose(el) >= 100 and m.density(el) < 0.3:
                kind = ""
            elif el.find(".//h1") is not None and m.density(el) < 0.5:
                kind = ""
        if kind:
            return kind + " (tag)"
        role = el.get("role")
        kind = names.FRAME_ROLES.get(role.strip().lower(), "") if role else ""
        if kind:
            return kind + " (role)"
        kind = names.boilerplate_kind(tag, el.get("id"), el.get("class"))
        if kind and tag in _INLINE_TAGS and _in_running_text(el):
            return ""
        if not kind or kind in _STRONG_KINDS and not (tag in _TEXT_TAGS and kind in _QUOTED):
            return kind
        if tag in _TEXT_TAGS:
            return ""
        # A weak name ("teaser", "sidebar", "readmore") on prose is often the article's lead
        # or body: only a box of links, or a short one, is taken for what it says.
        anchors = m.anchors.get(el, 0)
        if m.density(el) >= 0.25 or anchors >= 3 and (m.prose(el) < 300 or tag in ("ul", "ol")):
            return kind
        if m.prose(el) < 100 and (anchors or kind not in _NEED_LINKS):
            return kind
        return ""

    def clear_frame(self, root: Any, scope_prose: int, m: Measures, inner: bool) -> None:
        """Drop the frame elements under ``root``; ``scope_prose`` is the prose the guard
        protects a share of. Inside the chosen content (``inner``) a header stays."""
        from lxml import etree

        todo = list(root.iterchildren(etree.Element))
        while todo:
            el = todo.pop(0)
            kind = self.frame_kind(el, m)
            if inner and el.tag == "header" and kind.endswith("(tag)"):
                kind = ""
            if kind and not self._guarded(el, m, scope_prose):
                if kind == "comments" and self.comments:
                    if not inner:
                        self.comment_boxes.append(el)
                    continue
                if kind == "form (tag)" and m.prose(el) > 0.2 * scope_prose:
                    kind = ""
                else:
                    self._dropped(el, kind)
                    continue
            todo[0:0] = list(el.iterchildren(etree.Element))

    def _guarded(self, el: Any, m: Measures, scope_prose: int) -> bool:
        """Whether ``el`` holds most of the prose, or where the page states its article."""
        prose = m.prose(el)
        if prose > _GUARD_SHARE * scope_prose and prose >= 50:
            return True
        if _is_marker(el):
            return prose >= 200
        for inner in el.iter("article", "main"):
            if m.prose(inner) >= 200 and m.prose(inner) > 0.25 * scope_prose:
                return True
        return False

    # --- 3: choose -------------------------------------------------------------------------

    def score(self, m: Measures) -> dict[Any, float]:
        """Points per container from the paragraphs below it."""
        from lxml import etree

        scores: dict[Any, float] = {}
        for el in self.body.iter(etree.Element):
            if el.tag not in _PARA_TAGS and el.tag not in ("h2", "h3"):
                continue
            own = m.text[el] - sum(m.text.get(c, 0) for c in el if c.tag in _BLOCK_TAGS)
            if own < _PARA_MIN:
                continue
            own_links = m.links[el] - sum(m.links.get(c, 0) for c in el if c.tag in _BLOCK_TAGS)
            if own_links > _PARA_LINKS * own:
                continue
            text = el.text or ""
            commas = len(_SENTENCE_PUNCT.findall(text)) + sum(
                len(_SENTENCE_PUNCT.findall(c.tail or "")) for c in el)
            points = 1 + min(commas, 10) + min(own / 100, 3)
            share = 1.0
            parent = el if el.tag not in ("p", "h2", "h3", "li", "span", "font", "td") \
                else el.getparent()
            if parent is el:  # a div of text: its own points, then its parents
                scores[el] = scores.get(el, 0) + points
                parent = el.getparent()
                share = 0.5
            for _ in range(3):
                if parent is None:
                    break
                scores[parent] = scores.get(parent, 0) + points * share
                share /= 2
                parent = parent.getparent()
        return scores

    def candidate_score(self, el: Any, raw: float, m: Measures) -> float:
        weight = names.content_weight(el.tag, el.get("id"), el.get("class"))
        bonus = _TAG_WEIGHT.get(el.tag, 0) + 15 * weight
        if _is_marker(el):
            bonus += 10
        return (raw + bonus) * (1 - m.density(el))

    def choose(self, m: Measures) -> tuple[list[Any], str]:
        """The element(s) holding the article, and why."""
        raw = self.score(m)
        if not raw:
            return [self.body], "no paragraph found: the whole page"
        ranked = sorted(raw, key=lambda el: self.candidate_score(el, raw[el], m), reverse=True)
        best = ranked[0]
        why = (f"best paragraph score {self.candidate_score(best, raw[best], m):.0f}, "
               f"{m.prose(best)} characters of prose")
        common = self.common_ancestor(ranked, raw, m)
        if common is not None:
            best = common
            why += f"; <{describe(common)}> holds {_RIVALS} blocks scoring nearly as well"
        marker = self.stated_article(m, best)
        if marker is not None and marker is not best:
            best, why = marker, f"where the page states its article ({why})"
        climbed = self.climb(best, m)
        if climbed is not best:
            why += f"; widened to <{describe(climbed)}>, which adds its headline and lead"
            best = climbed
        chosen = self.with_siblings(best, raw, m)
        if len(chosen) > 1:
            why += f", with {len(chosen) - 1} sibling block(s) of prose"
        return chosen, why

    def common_ancestor(self, ranked: list[Any], raw: dict[Any, float], m: Measures) -> Any:
        """The nearest ancestor of the best block that holds at least ``_RIVALS`` of the next
        best ones, each scoring at least 3/4 as well (readability's idea): a text split in
        sections (a changelog, a manual's page) is their common box, not its best part."""
        best = ranked[0]
        floor = 0.75 * self.candidate_score(best, raw[best], m)
        rivals = [el for el in ranked[1:6] if self.candidate_score(el, raw[el], m) >= floor
                  and not _attached(el, best)]
        if len(rivals) < _RIVALS:
            return None
        for ancestor in best.iterancestors():
            if ancestor is self.body or ancestor.tag in ("body", "html"):
                return None
            if sum(_attached(el, ancestor) for el in rivals) >= _RIVALS:
                return ancestor
        return None

    def stated_article(self, m: Measures, best: Any) -> Any:
        """The element the page says is its article, if it holds most of the best guess."""
        best_prose = max(m.prose(best), 1)
        found = []
        for el in self.body.iter():
            if not isinstance(el.tag, str):
                continue
            prop = el.get("itemprop")
            strong = prop is not None and "articlebody" in prop.lower()
            if strong or el.tag == "article" or names.content_weight(
                    el.tag, el.get("id"), el.get("class")) == 2:
                found.append((2 if strong else 1, el))
        stated = self.json_ld_element(m)
        if stated is not None:
            found.append((2, stated))
        chosen = None
        for rank, el in found:
            prose = m.prose(el)
            if prose < 0.6 * best_prose:
                continue
            contains_best = any(a is el for a in best.iterancestors())
            inside_best = any(a is best for a in el.iterancestors())
            if not (contains_best or inside_best or el is best):
                if prose < best_prose:
                    continue
            if contains_best and prose > 2.5 * best_prose and rank < 2:
                continue  # a wrapper of much more than the article (a listing, a page)
            key = (rank, -len(list(el.iterancestors())) if inside_best else 0)
            if chosen is None or key > chosen[0]:
                chosen = (key, el)
        return None if chosen is None else chosen[1]

    def climb(self, best: Any, m: Measures) -> Any:
        """Up to the ancestor that adds a little text and few links to ``best``: the box
        that also holds the article's headline, lead and figures (a body split in boxes)."""
        cur = best
        for _ in range(8):
            parent = cur.getparent()
            if cur.tag in ("article", "main") or parent is None or parent is self.body \
                    or parent.tag == "html":
                break  # an <article> holds its own headline and lead
            extra = m.text[parent] - m.text[cur]
            extra_links = m.links[parent] - m.links[cur]
            if extra > 0 and (extra_links > 0.35 * extra or extra > 0.5 * max(m.text[cur], 1)
                              and extra_links > 0.1 * extra):
                break
            cur = parent
        return cur

    def json_ld_element(self, m: Measures) -> Any:
        """The smallest box holding the text of the JSON-LD articleBody, from its first
        words to its last (None without one)."""
        text = "".join(self.ld_body.split())
        if len(text) < 200:
            return None
        head, tail = text[:40], text[-40:]
        best = None
        for el in self.body.iter("div", "section", "article", "main", "td"):
            size = m.text.get(el, 0)
            if not 0.7 * len(text) <= size <= 1.6 * len(text) + 300:
                continue
            inner = "".join("".join(el.itertext()).split())
            if head in inner and tail in inner and (best is None or size < best[0]):
                best = (size, el)
        return None if best is None else best[1]

    def with_siblings(self, best: Any, raw: dict[Any, float], m: Measures) -> list[Any]:
        parent = best.getparent()
        if parent is None or best is self.body:
            return [best]
        threshold = max(10.0, raw.get(best, 0) * 0.2)
        # The article's own header just before it (headline, lead): a <header>, or a box
        # with the page's <h1>, with few links.
        lead = None
        previous = best.getprevious()
        for _ in range(2):
            while previous is not None and not isinstance(previous.tag, str):
                previous = previous.getprevious()
            if previous is None:
                break
            if (previous.tag == "header" or previous.find(".//h1") is not None) \
                    and m.text.get(previous, 0) and m.density(previous) < 0.3:
                lead = previous
                break
            previous = previous.getprevious()
        chosen = []
        for sib in parent:
            if sib is best or sib is lead:
                chosen.append(sib)
                continue
            if not isinstance(sib.tag, str):
                continue
            prose = m.prose(sib)
            if prose < 30 or m.density(sib) > 0.25:
                continue
            if names.boilerplate_kind(sib.tag, sib.get("id"), sib.get("class"), sib.get("role")):
                continue
            if raw.get(sib, 0) >= threshold or (sib.tag == "p" and prose >= 80) or (
                    # the next part of the same text: a box of the same tag and family
                    # (readability's same-class bonus); a table or list part has no <p>
                    sib.tag == best.tag and _same_family(sib, best)
                    and (sib.find(".//p") is not None or sib.tag in ("article", "section"))):
                chosen.append(sib)
        if len(chosen) < 2:
            return chosen
        # What lies between two chosen blocks (headings, lists, figures, short paragraphs)
        # is part of the same text unless it is links or named boilerplate.
        kids = [c for c in parent if isinstance(c.tag, str)]
        first = kids.index(chosen[0])
        last = kids.index(chosen[-1])
        keep = set(chosen)
        for sib in kids[first:last + 1]:
            if sib in keep or m.density(sib) > 0.5:
                continue
            if names.boilerplate_kind(sib.tag, sib.get("id"), sib.get("class"), sib.get("role")):
                continue
            keep.add(sib)
        return [c for c in kids if c in keep]

    # --- 4: prune ----------------------------------------------------------------------------

    def prune(self, root: Any, m: Measures) -> None:
        from lxml import etree

        scope = max(m.prose(root), 1)
        self.clear_frame(root, scope, m, inner=True)
        for el in list(root.iter(etree.Element)):
            if el is root or el.getparent() is None or not _attached(el, root):
                continue
            tag = el.tag
            text = m.text.get(el, 0)
            if text == 0:
                continue
            parent = el.getparent()
            if self._is_caption(el, m, scope):
                self._dropped(el, "image caption")
                continue
            # A child with its parent's text was tested with it (parent first: document order).
            tested = parent is not root and m.text.get(parent, 0) == text
            if text <= 120 and tag not in _NOT_LINES and m.prose(el) < 0.4 * scope and (
                    not tested or tag in _HEADINGS):
                line = _WS_RUN.sub(" ", "".join(el.itertext())).strip()
                if SECTION_HEADING.match(line):
                    if not (self.comments and COMMENT_HEADING.search(line)):
                        if tag in _HEADINGS:
                            self._drop_section(el, m, line)
                        else:
                            self._dropped(el, "boilerplate line")
                        continue
                if not tested and BOILERPLATE_LINE.match(line):
                    self._dropped(el, "boilerplate line")
                    continue
                if not tested and text <= 60 and _is_dateline(line):
                    self._dropped(el, "dateline")
                    continue
            # A block with the picture itself is not tested: its caption child is.
            if text <= _CAPTION_MAX // 2 and tag not in _NOT_LINES and tag not in _HEADINGS \
                    and m.prose(el) < 0.4 * scope and not (tested and _no_picture(parent)) \
                    and _no_picture(el):
                if PHOTO_CREDIT_END.search("".join(el.itertext())):
                    self._dropped(el, "image caption (ends with its photo credit)")
                    continue
            if text <= 600 and tag not in _HEADINGS and m.prose(el) < 0.4 * scope and (
                    parent is root or m.text.get(parent, 0) > 600):
                line = "".join(el.itertext())
                if COOKIE_NOTICE.search(line):
                    self._dropped(el, "cookie notice")
                    continue
            if tag in ("ul", "ol", "dl", "div", "section", "table", "p", "nav", "menu", "li"):
                anchors = m.anchors.get(el, 0)
                density = m.density(el)
                if anchors and m.prose(el) < 0.4 * scope and (
                        (density >= 0.6 and (anchors >= 3 or text < 100))
                        or (density >= 0.9 and text < 200)):
                    self._dropped(el, f"{anchors} link(s), {density:.0%} of its text linked")
        self._drop_empty_sections(root, m)

    def _drop_empty_sections(self, root: Any, m: Measures) -> None:
        """A heading that heads nothing goes: the next thing after it is the end of the choice
        or a heading of the same or a higher rank (its section, a link list or a widget, went
        here or in a step before). Headings before the first text (headline, kicker,
        subtitle) stay unless nothing follows, and so do an ``h1``, a sentence set as a
        heading and a linked one (the titles of a list of posts)."""
        while True:
            units = _text_units(root)
            text_seen = False
            empty = []
            for i, unit in enumerate(units):
                if unit is None:
                    text_seen = True
                    continue
                nxt = units[i + 1] if i + 1 < len(units) else _END
                if nxt is None or unit.tag == "h1":
                    continue
                if nxt is _END or text_seen and nxt.tag <= unit.tag:  # "h2" <= "h3"
                    line = _WS_RUN.sub(" ", "".join(unit.itertext())).strip()
                    if len(line) <= 80 and line[-1:] not in ".!?。！？" \
                            and m.density(unit) < 0.5 and m.prose(root) > m.text.get(unit, 0):
                        empty.append((unit, line))
            if not empty:
                return
            for unit, line in empty:
                self._dropped(unit, f"heading of an empty section: {line!r}")

    @staticmethod
    def _is_caption(el: Any, m: Measures, scope: int) -> bool:
        """An image's caption or credit: a ``figcaption``, or a short box named a caption
        (``figure__caption``, ``bildunterschrift``) that holds no picture of its own (a
        ``wp-caption`` box wraps the image too: its caption child goes, the image stays)."""
        if el.tag != "figcaption" and not names.is_caption_name(el.get("id"), el.get("class")):
            return False
        if m.text.get(el, 0) > _CAPTION_MAX or m.prose(el) >= _GUARD_SHARE * scope:
            return False
        return el.tag == "figcaption" or _no_picture(el)

    def _drop_section(self, heading: Any, m: Measures, line: str) -> None:
        """A "related"/"comments" heading and the link lists or short blocks after it."""
        follower = heading.getnext()
        self._dropped(heading, f"section heading {line!r}")
        while follower is not None:
            nxt = follower.getnext()
            if not isinstance(follower.tag, str):
                follower = nxt
                continue
            if follower.tag in _HEADINGS:
                break
            if m.prose(follower) >= 150 and m.density(follower) < 0.3:
                break
            self._dropped(follower, "after that heading")
            follower = nxt


def _is_dateline(line: str) -> bool:
    """Whether ``line`` is only a date or time ("05:28 Uhr", "12. März 2021, 08:30")."""
    rest = DATE_WORDS.sub("", line)
    return any(c.isdigit() for c in line) and not any(c.isalpha() for c in rest)


def extract_tree(body: Any, comments: bool = False,
                 say: Callable[[str], None] | None = None) -> list[Any]:
    """The elements holding ``body``'s main content (``body`` is changed in place)."""
    from copy import deepcopy

    x = Extraction(body, comments, say)
    x.clean_invisible()
    backup = deepcopy(body)
    m = x.m
    assert m is not None
    page_prose = m.prose(body)
    x.clear_frame(body, max(page_prose, 1), m, inner=False)
    chosen, why = x.choose(m)
    for el in chosen:
        x.prune(el, m)
    got = sum(m.prose(el) for el in chosen)
    x._explain(f"took {', '.join('<' + describe(el) + '>' for el in chosen)}: {why}; "
               f"{got} of the page's {page_prose} characters of prose")
    need = min(_MIN_CHARS, _MIN_SHARE * page_prose)
    if got < need and chosen != [body]:
        x._explain(f"too short ({got} < {need:.0f}): fallback to the whole page, frame cleared")
        # The chosen elements were pruned in place; start again from the page as it was.
        body2 = deepcopy(backup)
        x2 = Extraction(body2, comments, say)
        m = x2.m = Measures(body2)
        x2.clear_frame(body2, max(page_prose, 1), m, inner=False)
        x2.prune(body2, m)
        got = m.prose(body2)
        if got >= need and got > 0:
            return [body2]
        if len(x.ld_body.strip()) > max(got, 0):
            x._explain("still too short: the articleBody of the page's JSON-LD")
            return [_paragraphs_of(x.ld_body, body2)]
        x._explain(f"still too short ({got}): the page as it came")
        return [backup]
    if (got < need or got <= 0) and len("".join(x.ld_body.split())) > max(got, 0):
        x._explain("too short: the articleBody of the page's JSON-LD")
        return [_paragraphs_of(x.ld_body, body)]
    if got <= 0 and page_prose > 0:
        x._explain("nothing left: the page as it came")
        return [backup]
    if comments and x.comment_boxes:
        extra = [box for box in x.comment_boxes
                 if not any(_attached(box, el) for el in chosen)]
        if extra:
            x._explain(f"comments kept: {', '.join('<' + describe(b) + '>' for b in extra)}")
            chosen = chosen + extra
    return chosen
