"""Make a keep/drop gold file, in ``score.py``'s format, from pages that come with their
expected article text: ``DIR/html/NAME.html`` beside ``DIR/txt/NAME.txt`` (the layout of
newspaper4k's test data, its sdist's ``tests/data``). Used to check ``extract`` on pages of
sites it was never tuned on:

    pip download --no-deps --no-binary :all: newspaper4k -d /tmp/np && tar xzf /tmp/np/*.tar.gz -C /tmp/np
    python benchmarks/make_pages_gold.py /tmp/np/newspaper4k-*/tests/data > /tmp/np/gold.jsonl
    python ../shared/eval/score.py --gold /tmp/np/gold.jsonl --docs /tmp/np/newspaper4k-*/tests/data \\
        --cmd "cleantext clean -s extract -s strip-html"

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


def drop_snippets(html: bytes, expected: str) -> list[str]:
    import lxml.html

    root = lxml.html.document_fromstring(html)
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


def main(folder: str) -> int:
    data = Path(folder)
    for page in sorted((data / "html").glob("*.html")):
        text_file = data / "txt" / (page.stem + ".txt")
        if not text_file.exists():
            continue
        expected = text_file.read_text(encoding="utf-8")
        keep = keep_snippets(expected)
        if not keep:
            continue
        raw = page.read_bytes()
        present = squeeze(raw.decode("utf-8", "replace"))
        keep = [s for s in keep if squeeze(s) in present]  # expected text the page holds
        entry = {"id": page.stem, "path": f"html/{page.name}", "source": page.stem,
                 "with": keep, "without": drop_snippets(raw, expected)}
        print(json.dumps(entry, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
