"""strip-ads: remove ads, promos and boilerplate elements from an HTML body, by readable rules.

This module owns the rule language, the built-in rule files' loading and caching, the generic
heuristics, and the step itself. The body is parsed once with lxml, whole elements are removed,
and the body is written back as HTML (unchanged, byte for byte, when nothing was removed); the
front matter is never touched.

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

import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from cleantext.document import Document
from cleantext.errors import CleantextError
from cleantext.lazyre import LazyPattern
from cleantext.registry import Param, Step

# Front matter keys that may hold the post's source URL, in order of preference.
URL_KEYS = ("from", "url", "link", "source", "canonical")

# id/class tokens that name boilerplate widgets. Tokens are whole words of a name split at
# "-", "_", spaces and camelCase humps, so "header", "shadow", "download", "read" never match.
BOILERPLATE_TOKENS = frozenset(["ad", "ads", "adv", "advert", "adverts", "advertisement", "advertising", "adsbygoogle", "adslot", "adunit", "dfp", "banner", "sponsor", "sponsored", "promo", "promos", "promotion", "sharing", "share", "shares", "sharebar", "social", "related", "relatedposts", "comment", "comments", "newsletter", "subscribe", "subscription", "qr", "qrcode", "donate", "donation", "copyright", "disqus", "outbrain", "taboola"])
# Class names that are taxonomy labels (WordPress "tag-social-media", "category-ads") describe
# the article, not a widget; their words are not looked at.
_TAXONOMY = LazyPattern(r"^(?:tag|tags|category|cat|topic|label|section|format|post|node|"
                       r"type|status|hentry|author)[-_]", re.IGNORECASE)
_NAME_SPLIT = LazyPattern(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])")
_NAME_PARTS = LazyPattern(r"[^A-Za-z0-9]+")
# A generated id: lowercase hex with a digit and a letter after a digit (Medium's paragraph
# ids "ad4e", "f5a1", Elementor's "ad81c3f"). Its letters are not words; "ad300", "dfp1"
# (letters, then a number) are not such ids.
_HASH_PART = LazyPattern(r"(?=[0-9a-f]*[0-9][a-f])[0-9a-f]{4,}")

# What the heuristics do, for --list-rules and the docs.
HEURISTICS = {
    "names": "elements whose id or class has a word naming a widget: "
             + ", ".join(sorted(BOILERPLATE_TOKENS)),
    "link-lists": "lists and boxes that are mostly links (3+ links, 80%+ of the text linked) "
                  "and hold less than half of the document's text",
}

# Tags that make a block: a text rule tests elements with none of these inside them.
_BLOCK_TAGS = frozenset(["address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"])
_MEDIA_TAGS = ("img", "video", "audio", "picture", "svg", "object", "embed", "iframe", "canvas",
               "math", "table", "hr")
_LIST_TAGS = frozenset(("ul", "ol", "div", "section", "aside", "nav", "table", "dl"))
_WS = LazyPattern(r"\s+")
_URL_LINE = LazyPattern(r"^(from|url|link|source|canonical)[ \t]*:[ \t]*['\"]?(https?://[^\s'\"]+)",
                       re.MULTILINE)
# The guard: an element holding more than this share of the document's prose (text outside
# links), and at least _GUARD_MIN characters of it, is the article and is never removed.
_GUARD_SHARE = 0.5
_GUARD_MIN = 50  # two short Chinese sentences: a brief news item is an article too

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "rules"
GENERIC_FILE = "generic.txt"


class Rule(NamedTuple):
    """One parsed rule line. ``origin`` is ``file:line``; ``line`` the rule as written."""

    line: str
    origin: str
    domains: tuple[str, ...]  # sites it is for ('' = everywhere)
    not_domains: tuple[str, ...]  # sites it is not for (``~example.com``)
    exception: bool
    selector: str  # the CSS part ('' for a bare text rule)
    pattern: Any  # the text regex, for text rules (a LazyPattern: compiled when first used)
    xpath: Any  # the selector's XPath (a ``selectors.LazyXPath``), or None
    cut: bool = False  # :remove-text(): cut the matching end of the text, keep the element
    needs: Any = None  # what a matching element must have (``cleantext.selectors``)
    required: tuple[str, ...] | None = None  # one of these is in every match of ``pattern``

    @property
    def body(self) -> str:
        """The rule without its site list: what an exception is compared with."""
        return self.line.split("#@#", 1)[1] if self.exception else self.line.split("##", 1)[1]

    def applies_to(self, host: str) -> bool:
        if any(_on_site(host, d) for d in self.not_domains):
            return False
        return not self.domains or any(_on_site(host, d) for d in self.domains)


def _on_site(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


# --- parsing rule files ----------------------------------------------------------------------

_TEXT_OP = LazyPattern(r"^(?P<sel>.*?):(?P<op>has-text|remove-text)\((?P<arg>.*)\)$")
_RULE_SEP = LazyPattern(r"#@?#")
_DOMAIN = LazyPattern(r"^~?[a-z0-9*][a-z0-9.*-]*$")


def _regex(text: str) -> tuple[str, int]:
    """``/re/`` or ``/re/i`` (a regex) or plain text (matched literally): (pattern, flags)."""
    if len(text) >= 2 and text.startswith("/"):
        end = text.rfind("/")
        flags = text[end + 1:]
        if end > 0 and set(flags) <= {"i"}:
            return text[1:end], re.IGNORECASE if flags else 0
    return re.escape(text), 0


def _checked_pattern(regex: str, flags: int) -> tuple[LazyPattern, tuple[str, ...] | None]:
    """The pattern, compiled when first used, and the strings one of which every match holds
    (``_required``). Checked (compiled) once; later runs take both from the disk cache."""
    from cleantext import diskcache

    def analyse() -> list[str] | None:
        compiled = re.compile(regex, flags)  # re.error for a bad pattern: never cached
        if flags & re.IGNORECASE:  # Unicode case folding is not str.lower(): no strings
            return None
        try:
            strings = _required(_regex_internals()[0].parse(compiled.pattern, flags).data)
        except Exception:  # noqa: BLE001 -- an odd pattern: the loose form will do
            return None
        return sorted(strings) if strings else None

    strings = diskcache.memo("regex", f"{flags}/{regex}", analyse)
    return LazyPattern(regex, flags), None if strings is None else tuple(strings)


def parse_rule(line: str, origin: str) -> Rule | None:
    """Parse one rule line (None for comments and blank lines); CleantextError if it is bad.

    >>> parse_rule("example.com##.ad", "f:1").domains
    ('example.com',)
    >>> parse_rule("##/^责任编辑：/", "f:2").pattern.pattern
    '^责任编辑：'
    >>> parse_rule("##/^(?:责任编辑|網編)：/", "f:3").required  # one is in every match
    ('網編', '责任编辑')
    """
    line = line.strip()
    if not line or line.startswith("!") or (line.startswith("[") and line.endswith("]")):
        return None
    sep = _RULE_SEP.search(line)
    if sep is None:
        raise CleantextError(f"{origin}: not a rule (expected ##SELECTOR, SITE##SELECTOR, "
                             f"SITE#@#SELECTOR or ##/REGEX/): {line}")
    sites = [d.strip().lower() for d in line[:sep.start()].split(",") if d.strip()]
    for site in sites:
        if not _DOMAIN.match(site):
            raise CleantextError(f"{origin}: bad site name {site!r} in rule: {line}")
    body = line[sep.end():].strip()
    if not body:
        raise CleantextError(f"{origin}: empty selector in rule: {line}")
    selector, pattern, m = body, None, None
    if body.startswith("/"):
        selector, regex = "", body
    else:
        m = _TEXT_OP.match(body)
        regex = None
        if m:
            selector, regex = m.group("sel").strip(), m.group("arg").strip()
            if not selector:
                raise CleantextError(f"{origin}: :{m.group('op')}() needs a selector before "
                                     f"it: {line}")
    required = None
    if regex is not None:
        try:
            pattern, required = _checked_pattern(*_regex(regex))
        except (re.error, RecursionError, OverflowError) as exc:
            raise CleantextError(f"{origin}: bad regular expression {regex}: {exc}") from None
    xpath, needs = None, None
    if selector:
        from cleantext.selectors import BadSelector, LazyXPath, translate

        try:
            path, needs = translate(selector)
        except BadSelector as exc:
            raise CleantextError(f"{origin}: bad CSS selector {selector!r}: {exc}") from None
        xpath = LazyXPath(path)
    return Rule(line, origin, tuple(s for s in sites if not s.startswith("~")),
                tuple(s[1:] for s in sites if s.startswith("~")), sep.group() == "#@#",
                selector, pattern, xpath, bool(m and m.group("op") == "remove-text"), needs,
                required)


def parse_rules(text: str, name: str) -> tuple[Rule, ...]:
    """Parse a rule file's text; ``name`` is used in ``origin`` and error messages."""
    rules = []
    for number, line in enumerate(text.splitlines(), 1):
        rule = parse_rule(line, f"{name}:{number}")
        if rule is not None:
            rules.append(rule)
    return tuple(rules)


@cache
def _load_file(path: str, stamp: tuple[int, int], name: str) -> tuple[Rule, ...]:
    # Keyed by the file's mtime and size too, so an edited user file is read again.
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CleantextError(f"cannot read rule file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CleantextError(f"rule file {path} is not UTF-8") from None
    return parse_rules(text, name)


def _file_stamp(path: str | Path) -> tuple[int, int, int, int]:
    """What tells a rule file's content apart: device, inode, mtime and size."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise CleantextError(f"cannot read rule file {path}: {exc.strerror or exc}") from None
    return st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size


def load_rule_file(path: str | Path, name: str | None = None) -> tuple[Rule, ...]:
    """The rules of one file, parsed once per process (again if the file changes)."""
    return _load_file(str(Path(path)), _file_stamp(path)[2:], name or str(path))


def _check_rule_files(paths: Iterable[str | Path]) -> None:
    """Read and parse each rule file (kept for the run): its problem, if any, as an error."""
    for path in paths:
        load_rule_file(path)


def builtin_files() -> list[Path]:
    """The built-in rule files: the generic set first, then the site sets."""
    files = sorted(BUILTIN_DIR.glob("*.txt"))
    return sorted(files, key=lambda f: f.name != GENERIC_FILE)


class RuleSet(NamedTuple):
    """The rules in force for one document, in file order."""

    hide: tuple[Rule, ...]
    exceptions: tuple[Rule, ...]
    heuristics: bool


def active_rules(host: str, rules: tuple[str, ...] = (), no_builtin: bool = False,
                 no_site_rules: bool = False) -> RuleSet:
    """The rules for a site (``host`` may be '' for none), from built-in and user files.

    Worked out once per process for each set of arguments, and again when a user rule file
    has changed (or another file now has its name): an edited file is read again.
    """
    stamps = tuple(_file_stamp(f) for f in rules)
    return _active_rules(host, rules, stamps, no_builtin, no_site_rules)


@lru_cache(maxsize=256)
def _active_rules(host: str, rules: tuple[str, ...], stamps: tuple[tuple[int, ...], ...],
                  no_builtin: bool, no_site_rules: bool) -> RuleSet:
    from cleantext import diskcache

    loaded: list[Rule] = []
    try:
        if not no_builtin:
            for f in builtin_files():
                if f.name != GENERIC_FILE and (no_site_rules or not _on_site(host, f.stem)):
                    continue  # a site file's rules are all for its site (a test checks)
                loaded.extend(load_rule_file(f, f"rules/{f.name}"))
        for f in rules:
            loaded.extend(load_rule_file(f))
    finally:
        diskcache.save()  # what was worked out for the rules, for the next process: one write
    if no_site_rules:
        loaded = [r for r in loaded if not r.domains]
    chosen = [r for r in loaded if r.applies_to(host)]
    exceptions = tuple(r for r in chosen if r.exception)
    cancelled = {r.body for r in exceptions}
    hide = tuple(r for r in chosen if not r.exception and r.body not in cancelled)
    return RuleSet(hide, exceptions, not no_builtin)


def site_of(doc: Document, url: str | None = None) -> str:
    """The host name the document comes from: ``url``, else the front matter's URL keys.

    >>> site_of(Document.parse("---\\nfrom: https://WWW.Zaobao.com/a\\n---\\nx"))
    'www.zaobao.com'
    """
    candidates: list[Any] = [url] if url else []
    if not url and doc.format == "yaml":
        # A line scan finds ``from: URL`` without a YAML parse (the slowest part otherwise).
        found = dict(_URL_LINE.findall(doc.front_matter))
        candidates = [found.get(key) for key in URL_KEYS]
    if not url and doc.format is not None and not any(candidates):
        from cleantext.front_matter import FrontMatterError

        try:
            meta = doc.metadata
        except FrontMatterError:  # the site is a hint: a broken header leaves the generic rules
            meta = {}
        candidates = [meta.get(key) for key in URL_KEYS]
    for value in candidates:
        if isinstance(value, list) and value:
            value = value[0]
        if not isinstance(value, str) or not value.strip():
            continue
        value = value.strip()
        if "//" not in value:
            value = "//" + value
        try:
            host = urlsplit(value).hostname
        except ValueError:
            continue
        if host and "." in host:
            return host.lower().rstrip(".")
    return ""


# --- applying rules ----------------------------------------------------------------------------


def _text_len(el: Any, limit: int | None = None) -> int:
    """Characters of text inside ``el``, whitespace not counted; with ``limit``, counting
    stops once past it (the count is then over ``limit`` but maybe short of the whole)."""
    if limit is None:
        return len("".join(_text(el).split()))
    count = 0
    for chunk in el.itertext():
        count += len("".join(chunk.split()))
        if count > limit:
            break
    return count


def _mostly_links(el: Any, memo: dict[Any, tuple[int, int, int]] | None = None) -> bool:
    """Whether 80% or more of ``el``'s text (whitespace not counted) is link text.

    With ``memo`` (one per pass over a tree that does not change under the elements asked
    about), the counts of every element below ``el`` are kept: a box nested in a box asked
    about before costs nothing, where walking each box's links again was quadratic (unclosed
    ``<div>``s around many links: 722 KB took 77 s).
    """
    if memo is None:
        memo = {}
    links, count, _ = _link_counts(el, memo)
    return count > 0 and links >= 0.8 * count


def _link_counts(el: Any, memo: dict[Any, tuple[int, int, int]]) -> tuple[int, int, int]:
    """(link text, all text, links) of ``el``, whitespace not counted, each element's
    counted once (bottom up): the text of every ``<a>`` inside, a link in a link counted in
    both, as ``_link_len`` counts; the text ``itertext()`` (and ``_text_len``) counts, no
    comment's; and the ``<a>`` elements inside, as ``findall(".//a")`` finds them."""
    found = memo.get(el)
    if found is not None:
        return found
    # Post-order without recursion (nesting can be thousands deep).
    stack: list[tuple[Any, bool]] = [(el, False)]
    while stack:
        node, done = stack.pop()
        if not done:
            if node in memo:
                continue
            stack.append((node, True))
            stack.extend((child, False) for child in node
                         if isinstance(child.tag, str) and child not in memo)
            continue
        count = _non_space(node.text)
        links = anchors = 0
        for child in node:
            if isinstance(child.tag, str):  # an element, not a comment or PI
                child_links, child_count, child_anchors = memo[child]
                links += child_links
                count += child_count
                anchors += child_anchors + (child.tag == "a")
            count += _non_space(child.tail)
        if node.tag == "a":
            links += count
        memo[node] = (links, count, anchors)
    return memo[el]


def _non_space(text: str | None) -> int:
    return len("".join(text.split())) if text else 0


def _text(el: Any) -> str:
    """The text inside ``el`` (its tail not included): libxml2's string value, which is the
    same as joining ``itertext()`` and several times faster for a large element."""
    return _string_value()(el)


@cache
def _string_value() -> Any:
    from lxml import etree

    return etree.XPath("string()", smart_strings=False)


def _drop(el: Any) -> None:
    """Remove ``el`` with its subtree but keep its tail text (the words after it)."""
    parent = el.getparent()
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _link_len(el: Any) -> int:
    if el.tag == "a":
        return _text_len(el)
    # The sum of each link's count, counted at once: non-space characters add up.
    return len("".join("".join(map(_text, el.iter("a"))).split()))


# Text that no reader sees: a full page's scripts are often most of its text, and counted as
# prose they kept the guard from ever protecting the article.
_INVISIBLE_TAGS = ("script", "style", "noscript", "template")


def _prose_len(el: Any) -> int:
    """Visible characters of ``el`` outside links (scripts and styles not counted)."""
    hidden = sum(_text_len(s) for s in el.iter(*_INVISIBLE_TAGS))
    return _text_len(el) - _link_len(el) - hidden


def _paragraph_prose(el: Any) -> int:
    """Characters of prose in the <p> elements inside ``el`` (links not counted)."""
    return sum(_text_len(q) - _link_len(q) for q in el.iter("p"))


def _describe(el: Any) -> str:
    name = el.tag
    if el.get("id"):
        name += "#" + el.get("id")
    if el.get("class"):
        name += "." + ".".join(el.get("class").split())
    return name


class _Pass:
    """One document's removal pass: decides, removes, remembers what and why."""

    def __init__(self, root: Any, explain: Callable[[str], None] | None) -> None:
        self.root = root
        self.explain = explain
        self.removed = 0
        self._guard: float | None = None
        self.total_text: int | None = None  # the document's text, links included, as it came
        self.paragraph_prose: int | None = None  # prose in its <p> elements, as it came
        self._facts: tuple[set[Any], dict[str, str]] | None = None
        # Parents of removed elements; a dict keeps them in removal order, so the pruning
        # (and what --explain says about it) is the same from one run to the next.
        self.touched: dict[Any, None] = {}

    def facts(self) -> tuple[set[Any], dict[str, str]]:
        """Tags and attribute values of the tree as it came in (changes only take away)."""
        if self._facts is None:
            self._facts = _facts(self.root)
        return self._facts

    def before_change(self) -> None:
        """Measure the guard on the tree as it came in: call before the first change."""
        self.facts()
        if self._guard is None:
            self._guard = max(_prose_len(self.root), 0) * _GUARD_SHARE

    def protected(self, el: Any) -> bool:
        if el is self.root:
            return True
        if _text_len(el, _GUARD_MIN) < _GUARD_MIN:
            return False  # prose (the text outside links) is less still: not the article
        prose = _prose_len(el)
        self.before_change()
        return prose >= _GUARD_MIN and prose > self._guard  # type: ignore[operator]

    def remove(self, el: Any, why: str) -> bool:
        parent = el.getparent()
        if parent is None or self.protected(el):
            return False
        self.before_change()
        if self.explain is not None:
            snippet = _WS.sub(" ", _text(el)).strip()[:60]
            self.explain(f"{why}: <{_describe(el)}> {snippet!r}")
        _drop(el)  # keeps the tail text: the sentence after the element stays
        self.touched[parent] = None
        self.removed += 1
        return True


def _attached(el: Any, root: Any) -> bool:
    while el is not None:
        if el is root:
            return True
        el = el.getparent()
    return False


def _norm_text(el: Any) -> str:
    return " ".join(_text(el).split())


def _blocks(root: Any) -> Iterator[Any]:
    """Elements holding text but no other block element: what bare text rules test."""
    # One pass, not one descendant walk per block: each block marks its ancestors as
    # holding a block, stopping at the first one already marked (its ancestors are too).
    found = list(root.iter(*_BLOCK_TAGS))  # lxml filters by tag in C, in document order
    inner: set[Any] = set()
    for el in found:
        parent = el.getparent()
        while parent is not None and parent not in inner:
            inner.add(parent)
            parent = parent.getparent()
    for el in found:
        if el is not root and el not in inner:
            yield el


_BACKREF = LazyPattern(r"\\[1-9]|\(\?P=|\(\?[aiLmsux]+\)")


class _AnyOf(NamedTuple):
    """Where any of some patterns may match: ``at_start`` for those anchored with ``^``
    (tried at the start only, not at every position), ``anywhere`` for the rest."""

    at_start: re.Pattern[str] | None
    anywhere: re.Pattern[str] | None

    def search(self, text: str) -> bool:
        return bool(self.at_start is not None and self.at_start.match(text)
                    or self.anywhere is not None and self.anywhere.search(text))


def _anchored(pattern: str) -> bool:
    """Whether ``pattern`` is ``^`` followed by the rest (not ``^a|b``: a top-level branch)."""
    try:
        ops = _regex_internals()[0].parse(pattern).data
        return (pattern.startswith("^") and bool(ops) and str(ops[0][0]) == "AT"
                and str(ops[0][1]) == "AT_BEGINNING")
    except Exception:  # noqa: BLE001 -- an unexpected parse: just do not hoist the anchor
        return False


@lru_cache(maxsize=64)
def _any_of(patterns: tuple[re.Pattern[str], ...]) -> _AnyOf | None:
    """A pre-filter for ``patterns`` (None if they cannot be joined): a text it does not
    match, no pattern matches. Patterns with back references or global inline flags would
    change meaning inside an alternation, so they are not joined."""
    start, anywhere = [], []
    for pattern in patterns:
        if _BACKREF.search(pattern.pattern) or pattern.flags & ~(re.IGNORECASE | re.UNICODE):
            return None
        flag = "(?i:" if pattern.flags & re.IGNORECASE else "(?:"
        if _anchored(pattern.pattern):  # without MULTILINE, ^ is the start of the text
            start.append(flag + pattern.pattern[1:] + ")")
        else:
            anywhere.append(flag + pattern.pattern + ")")
    try:
        return _AnyOf(re.compile("|".join(start)) if start else None,
                      re.compile("|".join(anywhere)) if anywhere else None)
    except (re.error, RecursionError, OverflowError):
        return None


def _lines(block: Any) -> list[tuple[str, list[Any]]]:
    """A block cut at its ``<br>`` children: (text, [the br before, inline children]) each."""
    lines: list[tuple[str, list[Any]]] = []
    text, members = block.text or "", []
    for child in block:
        if child.tag == "br":
            lines.append((text, members))
            text, members = child.tail or "", [child]
            continue
        members.append(child)
        if isinstance(child.tag, str):
            text += _text(child)
        text += child.tail or ""
    lines.append((text, members))
    return lines


def _remove_matching_lines(p: _Pass, block: Any, pattern: re.Pattern[str], why: str) -> None:
    """Remove every ``<br>`` line of ``block`` that ``pattern`` matches (a promo repeated on
    two lines goes twice); the lines are cut again after each removal."""
    for _ in range(len(block) + 1):  # each removal takes a line away: this many at most
        for line, members in _lines(block):
            line = " ".join(line.split())
            if pattern.search(line):
                _remove_line(p, block, line, members, why)
                break
        else:
            return


def _remove_line(p: _Pass, block: Any, text: str, members: list[Any], why: str) -> None:
    """Remove one ``<br>``-delimited line: its text, its inline elements and one ``<br>``."""
    p.before_change()
    if p.explain is not None:
        p.explain(f"{why}: line in <{_describe(block)}> {text[:60]!r}")
    if members and members[0].tag == "br":
        first = members[0]
    else:  # the first line: its text is the block's text; the br after it goes
        block.text = ""
        following = members[-1].getnext() if members else (block[0] if len(block) else None)
        first = following if following is not None and following.tag == "br" else None
        if first is not None:
            block.text = first.tail
            first.tail = None
    for el in members:
        if el is not first:
            block.remove(el)  # with its tail: the tail belongs to this line
    if first is not None:
        block.remove(first)
    p.removed += 1
    p.touched[block] = None


def _cut_end(p: _Pass, el: Any, pattern: re.Pattern[str], why: str) -> None:
    """Cut text matching ``pattern`` at the very end of ``el``'s text (a credit trailer)."""
    last = None
    for node in el.iter():
        if isinstance(node.tag, str) and node.text and node.text.strip():
            last = (node, "text")
        if node is not el and node.tail and node.tail.strip():
            last = (node, "tail")
    if last is None:
        return
    node, attr = last
    value = getattr(node, attr)
    stripped = value.rstrip()
    for m in pattern.finditer(stripped):
        if m.end() == len(stripped) and m.start() < m.end():
            p.before_change()
            if p.explain is not None:
                p.explain(f"{why}: text {m.group()!r} in <{_describe(el)}>")
            setattr(node, attr, value[:m.start()] + value[len(stripped):])
            p.removed += 1
            return


def _may_select(rule: Rule, tags: set[Any], values: dict[str, str]) -> bool:
    """False only if no element of the tree (as it came in) can match ``rule``'s selector."""
    needs = rule.needs
    if needs is None:
        return True
    for needed, attrs in needs:  # loops, not nested generators: called ~30 times a document
        if all(map(tags.__contains__, needed)):
            for name, text in attrs:
                if name not in values or text not in values[name]:
                    break
            else:
                return True
    return False


def _facts(root: Any) -> tuple[set[Any], dict[str, str]]:
    """The tree's tag names, and each attribute's values joined: for ``_may_select``."""
    from lxml import etree

    tags = set()
    found: dict[str, list[str]] = {}
    for el in root.iter(etree.Element):  # one walk: twice as fast as an XPath for all @*
        tags.add(el.tag)
        for name, value in el.items():
            found.setdefault(name, []).append(value)
    return tags, {name: "\0".join(values) for name, values in found.items()}


@lru_cache(maxsize=256)
def _union(paths: tuple[str, ...]) -> Any:
    from cleantext.selectors import LazyXPath

    return LazyXPath(" | ".join(paths))


def _apply_selectors(p: _Pass, rules: RuleSet) -> None:
    """Plain selector rules: all matched on the tree as it came, then removed in order."""
    plain = [r for r in rules.hide if r.xpath is not None and r.pattern is None]
    if not plain:
        return
    if p.explain is None:
        # Only the rules that can match here, as one XPath (one evaluation of the union of
        # all would walk the tree once per rule): the same elements, in document order.
        plain = [r for r in plain if _may_select(r, *p.facts())]
        if not plain:
            return
        matches = [(el, "") for el in _union(tuple(r.xpath.path for r in plain))(p.root)]
    else:  # one rule at a time, to say which rule removed what (the first in file order)
        first: dict[Any, str] = {}
        for rule in plain:
            for el in rule.xpath(p.root):
                first.setdefault(el, f"{rule.origin}: {rule.line}")
        order = {el: i for i, el in enumerate(p.root.iter())}
        matches = sorted(first.items(), key=lambda item: order.get(item[0], 0))
    for el, why in matches:  # document order: an ancestor comes before what it holds
        if _attached(el, p.root):
            p.remove(el, why)


_UNSAFE_OPS = frozenset(["AT", "ASSERT", "ASSERT_NOT", "GROUPREF", "GROUPREF_EXISTS"])


def _has_unsafe_ops(items: Any) -> bool:
    """Whether a parsed regex uses anchors, look-arounds or back references anywhere."""
    for item in items:
        if isinstance(item, tuple) and len(item) == 2 and str(item[0]) in _UNSAFE_OPS:
            return True
        for part in (item if isinstance(item, (tuple, list)) else ()):
            inner = getattr(part, "data", part)  # a SubPattern, or a tuple/list holding some
            if isinstance(inner, (tuple, list)) and _has_unsafe_ops(inner):
                return True
    return False


def _regex_internals() -> tuple[Any, Any]:
    """The standard library's regex parser and compiler (renamed in Python 3.11)."""
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]
    except ImportError:  # Python < 3.11
        import sre_compile as _compiler  # type: ignore[no-redef]
        import sre_parse as _parser  # type: ignore[no-redef]
    return _parser, _compiler


# What may lead or trail a pattern and be left out of its loose form: anchors and repeats.
_EDGE_OPS = frozenset(["AT", "MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"])


@lru_cache(maxsize=1024)
def _loose(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A necessary condition for ``pattern`` to match a piece of a text, tested on the text.

    The pattern's middle: its leading and trailing anchors and repeats left out (``^.{0,60}``,
    ``.{0,30}$``). Where the pattern matches a block's text, its middle matches the
    document's text, which holds the block's text (whitespace collapsed the same way); the
    middle is fast to search for, being a literal or a class at its start. None when this
    does not hold (anchors, look-arounds or back references inside the middle depend on
    what surrounds the piece) or the middle is empty.

    >>> _loose(re.compile("^.{0,9}責任編輯：.{0,9}$")).search("x 責任編輯：y") is not None
    True
    >>> _loose(re.compile(r"^x\\by$")) is None
    True
    """
    parser, compiler = _regex_internals()
    try:
        parsed = parser.parse(pattern.pattern, pattern.flags)
        ops = list(parsed.data)
        start, end = 0, len(ops)
        while start < end and str(ops[start][0]) in _EDGE_OPS:
            start += 1
        while end > start and str(ops[end - 1][0]) in _EDGE_OPS:
            end -= 1
        if start == end or _has_unsafe_ops(ops[start:end]):
            return None
        parsed.data = ops[start:end]
        return compiler.compile(parsed, pattern.flags)
    except Exception:  # noqa: BLE001 -- internals changed or an odd pattern: no pre-filter
        return None


def _required(items: Any) -> frozenset[str] | None:
    """Strings one of which is in every match of a parsed regex sequence (None: unknown).

    The choice is the most selective of: a run of literal characters, or, for a branch
    whose every alternative has such strings, all of theirs.
    """
    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        if found and all(found) and (best is None or min(map(len, found)) > min(map(len, best))):
            # A string holding another of the set adds nothing to look for ("未完待续" when
            # "待续" is there): each one left is a search of the document's text.
            best = frozenset(s for s in found if not any(o != s and o in s for o in found))

    for op, arg in list(items) + [(None, None)]:
        name = str(op)
        if name == "LITERAL":
            run.append(chr(arg))
            continue
        consider(frozenset(["".join(run)]) if run else None)
        run = []
        if name == "BRANCH":
            alternatives = [_required(alt) for alt in arg[1]]
            if all(alternatives):
                consider(frozenset().union(*alternatives))  # type: ignore[arg-type]
        elif name == "SUBPATTERN" and not arg[1] and not arg[2]:  # a group, no inline flags
            consider(_required(arg[3]))
    return best


@lru_cache(maxsize=1024)
def _prefilter(pattern: Any, required: tuple[str, ...] | None) -> Callable[[str], bool] | None:
    """A fast test that is true of every text holding a piece ``pattern`` may match in a
    block: ``required`` strings one of which must be there (see ``_required``), then the
    pattern's loose form (``_loose``); None if there is no such test. The strings are cheap
    to look for; the loose form is more selective (it needs the whole middle of a match,
    "© 2021", not just "©") but scans the text at each position: it runs only where a
    string was found.

    >>> _prefilter(re.compile("(?:责编|網編)：x"), ("责编", "網編"))("责编：y")
    False
    """
    loose = _loose(pattern) if pattern is not None else None
    if not required:
        return None if loose is None else lambda text: loose.search(text) is not None
    if loose is None:
        return lambda text: any(map(text.__contains__, required))
    return lambda text: any(map(text.__contains__, required)) and loose.search(text) is not None


class _Texts:
    """The document's whole text, raw and whitespace-collapsed, made again after changes."""

    def __init__(self, p: _Pass) -> None:
        self.p = p
        self.at = -1
        self._raw = self._norm = ""

    def get(self, normalized: bool) -> str:
        if self.at != self.p.removed:
            self._raw = _text(self.p.root)
            self._norm = " ".join(self._raw.split())
            self.at = self.p.removed
        return self._norm if normalized else self._raw

    def may_match(self, rule: Rule) -> bool:
        """False only if ``rule``'s pattern can match no part of the text (``_prefilter``)."""
        test = _prefilter(rule.pattern, rule.required)
        # :remove-text() looks at one text node as it is; the others at collapsed text.
        return test is None or test(self.get(normalized=not rule.cut))


def _apply_text_rules(p: _Pass, rules: Iterable[Rule]) -> None:
    """Text rules, in file order: ``:has-text()``, ``:remove-text()`` and bare ``/REGEX/``."""
    texts = _Texts(p)
    rules = [rule for rule in rules if rule.pattern is not None]
    bare = [rule for rule in rules if rule.xpath is None]
    blocks: list[tuple[Any, str]] | None = None  # leaf blocks and their text, made once
    # The blocks some bare rule may act on (their text or one of their <br> lines matches
    # ``any_bare``), found again whenever something changed: the others are skipped.
    candidates: list[tuple[Any, str]] = []
    candidates_at = -1
    for rule in rules:
        if not texts.may_match(rule):
            continue  # nowhere in the document's text
        why = f"{rule.origin}: {rule.line}"
        before = p.removed
        if rule.xpath is None:
            if blocks is None:
                blocks = [(el, _norm_text(el)) for el in _blocks(p.root)]
                candidates_at = -1
            if candidates_at != p.removed:
                # Joined from the bare rules that may match the text as it is now: compiling
                # them all would cost start-up time, and the others cannot act here.
                any_bare = _any_of(tuple(r.pattern for r in bare if texts.may_match(r)))
                candidates = [(el, text) for el, text in blocks
                              if _may_match(any_bare, el, text)]
                candidates_at = p.removed
            # Leaf blocks never contain one another, so removing one leaves the rest attached.
            for el, text in candidates:
                if rule.pattern.search(text):
                    p.remove(el, why)
                elif el.find("br") is not None:
                    _remove_matching_lines(p, el, rule.pattern, why)
            if p.removed != before:
                blocks = None  # texts changed: measure again for the next text rule
            continue
        if not _may_select(rule, *p.facts()):
            continue  # what it needs was not in the tree as it came in, nor is it now
        for el in rule.xpath(p.root):
            if p.removed != before and not _attached(el, p.root):
                continue  # inside something this rule already removed
            if rule.cut:
                _cut_end(p, el, rule.pattern, why)
            elif rule.pattern.search(_norm_text(el)):
                p.remove(el, why)


def _may_match(any_bare: _AnyOf | None, el: Any, text: str) -> bool:
    """Whether a bare text rule could act on block ``el`` (cached ``text``) now."""
    if any_bare is None or any_bare.search(text):
        return True
    return el.find("br") is not None and any(
        any_bare.search(" ".join(line.split())) for line, _ in _lines(el))


@lru_cache(maxsize=4096)
def _name_hits(id_: str | None, class_: str | None) -> str:
    """The boilerplate words in an id and class, sorted and joined by "/" ('' if none)."""
    words: set[str] = set()
    for value in (id_, class_):
        if not value:
            continue
        for name in value.split():
            if _TAXONOMY.match(name):
                continue
            for part in _NAME_PARTS.split(name):
                if part and not _HASH_PART.fullmatch(part):
                    words.update(w.lower() for w in _NAME_SPLIT.split(part) if w)
    return "/".join(sorted(words & BOILERPLATE_TOKENS))


def _heuristic_candidates(root: Any) -> list[Any]:
    """Elements the heuristics look at, in document order: named ones, and list-like boxes
    with 3 links or more (links counted up their ancestors, not by a walk per box)."""
    from lxml import etree

    links: dict[Any, int] = {}  # links inside each element, added up from the bottom
    for el in reversed(list(root.iter(etree.Element))):  # each after what is inside it
        inside = links.get(el, 0) + (el.tag == "a")
        parent = el.getparent()
        if inside and parent is not None:  # (a walk up from each link was quadratic)
            links[parent] = links.get(parent, 0) + inside
    return [el for el in root.iterdescendants(etree.Element)  # elements: no comments, PIs
            if el.get("id") is not None or el.get("class") is not None
            or (el.tag in _LIST_TAGS and links.get(el, 0) >= 3)]


def _apply_heuristics(p: _Pass) -> None:
    removed: set[Any] = set()
    # Counted once for each element, not again for each box around it (quadratic for boxes
    # nested in boxes): link counts (``_link_counts``) and whether it is still in the tree.
    counted: dict[Any, tuple[int, int, int]] = {}
    still_in: dict[Any, bool] = {p.root: True}
    for el in _heuristic_candidates(p.root):
        if el.tag in ("html", "body") or not _still_in(el, p.root, removed, still_in):
            continue
        hits = _name_hits(el.get("id"), el.get("class"))
        if hits:
            if not _in_running_text(el) and not _holds_most_paragraphs(p, el, hits) \
                    and p.remove(el, f"heuristic names: {hits}"):
                removed.add(el)
        elif el.tag in _LIST_TAGS:
            links = _link_counts(el, counted)[2]
            if links >= 3 and _mostly_links(el, counted) \
                    and not _holds_most_text(p, el, counted) \
                    and p.remove(el, f"heuristic link-lists: {links} links"):
                removed.add(el)


def _holds_most_paragraphs(p: _Pass, el: Any, hits: str) -> bool:
    """Whether ``el`` holds much of the document's paragraph prose -- more than a third, or
    more than half for a comment thread (which may well outgrow the article): the article,
    whatever its name says ("Page-ad-margins", "article-ad-marker", "cuerpo-ad",
    "enable-pin-share")."""
    if p.paragraph_prose is None:
        p.paragraph_prose = _paragraph_prose(p.root)
    if p.paragraph_prose < _GUARD_MIN or el.find(".//p") is None:
        return False
    share = 2 if "comment" in hits else 3
    return _paragraph_prose(el) * share > p.paragraph_prose


def _holds_most_text(p: _Pass, el: Any,
                     counted: dict[Any, tuple[int, int, int]] | None = None) -> bool:
    """Whether ``el`` holds more than half of the document's text, links included: a post
    that is a list of headlines (a broadcast's running order, a digest) is that list.
    (``counted``: ``_link_counts``' memo, which has the same count.)"""
    if p.total_text is None:
        p.total_text = _text_len(p.root)
    size = _text_len(el) if counted is None else _link_counts(el, counted)[1]
    return size * 2 > p.total_text


# Elements that sit inside a line of text rather than making a block of their own.
_INLINE_TAGS = frozenset(("a", "abbr", "b", "cite", "code", "em", "font", "i", "label", "mark",
                          "q", "s", "small", "span", "strong", "sub", "sup", "time", "u"))


def _in_running_text(el: Any) -> bool:
    """Whether ``el`` is an inline element with words right before or after it: part of a
    sentence ("……表示，<a class=related-link>芯片禁令</a>严重违反……"), which a name
    alone must not cut."""
    if el.tag not in _INLINE_TAGS:
        return False
    if el.tail and not el.tail.isspace():
        return True
    previous = el.getprevious()
    before = previous.tail if previous is not None else el.getparent().text
    return bool(before) and not before.isspace()


def _still_in(el: Any, root: Any, removed: set[Any], memo: dict[Any, bool] | None = None,
              ) -> bool:
    """Whether ``el`` has no ancestor in ``removed`` (it is then still in ``root``'s tree).

    ``memo`` keeps the answer for ``el`` and the ancestors walked, for elements asked about
    in document order while ``removed`` grows: an element's ancestors come before it, so
    whatever of them is ever removed is removed by then."""
    if memo is None:
        for ancestor in el.iterancestors():
            if ancestor is root:
                return True
            if ancestor in removed:
                return False
        return True
    walked = []
    node = el.getparent()
    while True:
        if node is None:
            answer = True
            break
        if node in removed:  # before the memo: it may have been removed since it was asked
            answer = False
            break
        if node in memo:
            answer = memo[node]
            break
        walked.append(node)
        node = node.getparent()
    for node in walked:
        memo[node] = answer
    memo[el] = answer
    return answer


def _is_empty(el: Any) -> bool:
    if el.tag in _MEDIA_TAGS or any(chunk.strip() for chunk in el.itertext()):
        return False
    return next(el.iter(*_MEDIA_TAGS), None) is None


def _prune_empty(p: _Pass) -> None:
    """Remove containers that removals left without text or media, walking upwards."""
    todo = list(p.touched)
    while todo:
        el = todo.pop()
        if el is p.root or not _attached(el, p.root) or el.tag in ("br", "td", "th", "tr"):
            continue
        if _is_empty(el):
            parent = el.getparent()
            if p.remove(el, "emptied by removals"):
                todo.append(parent)


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


def _serialize(root: Any) -> str:
    from lxml import etree

    out = etree.tostring(root, encoding="unicode", method="html")
    # The <body> we parsed into is not part of the document's body.
    return out[out.index(">") + 1: out.rindex("<")]


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
    """``html`` without the elements the rules and heuristics remove; None if none is."""
    root = _parse(html)
    if root is None:
        return None
    p = _Pass(root, say)
    _apply_selectors(p, active)
    _apply_text_rules(p, active.hide)
    if active.heuristics:
        _apply_heuristics(p)
    _prune_empty(p)
    if not p.removed:
        return None
    body = _serialize(root)
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
