"""strip-ads' rules: the rule language (EasyList element hiding, with text rules), the
built-in rule files and users' ``--rules`` files, read once and cached, the rules in force
for a site, and the site of a document. The heuristics' vocabulary is here too, as data.

See ``cleantext.steps.strip_ads`` for the rule syntax.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from cleantext.document import Document
from cleantext.errors import CleantextError
from cleantext.lazyre import LazyPattern

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

BUILTIN_DIR = Path(__file__).resolve().parent / "rules"
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


# --- what a rule's regular expression needs ---------------------------------------------

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
