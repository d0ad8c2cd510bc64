"""Make a keep/drop gold file, in ``score.py``'s format, from Sphinx HTML documentation: pages
whose structure says what their content is. Used to check ``extract`` on a kind of page the
news-heavy sets lack (manuals, API references, changelogs), from sites it was never tuned on.
Debian's ``python-*-doc`` packages ship such pages:

    mkdir /tmp/docs && cd /tmp/docs && apt-get download python-celery-doc python-black-doc \\
        python-bs4-doc && for d in *.deb; do dpkg-deb -x "$d" x; done && cd -
    python benchmarks/make_docs_gold.py /tmp/docs/x/usr/share/doc > /tmp/docs/gold.jsonl
    python ../shared/eval/score.py --gold /tmp/docs/gold.jsonl --docs /tmp/docs/x/usr/share/doc \\
        --jobs 2 --cmd "cleantext clean -s extract -s strip-html"

Snippets to keep: up to 3 pieces (first 60 characters) of the paragraphs, list items and
definitions of 40+ characters inside the page's ``[role=main]`` (or ``div.body``), outside
code. Snippets to drop: up to 3 text pieces of 15+ characters of the sidebar
(``div.sphinxsidebar``), the navigation bars (``div.related``) and the footer, found nowhere
in the main part. Standard library and lxml only; the choice is by position alone.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from make_pages_gold import spread

_FRAME = ('//div[contains(@class,"sphinxsidebar")]//*|//div[contains(@class,"related")]//*'
          '|//div[contains(@class,"footer")]//*')


def entry(page: Path, root: Path) -> dict | None:
    import lxml.html

    doc = lxml.html.document_fromstring(page.read_bytes())
    main = doc.xpath('//*[@role="main"]') or doc.xpath(
        '//div[contains(concat(" ", @class, " "), " body ")]')
    if not main:
        return None
    main_text = " ".join(main[0].text_content().split())
    keep = []
    for block in main[0].iter("p", "li", "dd"):
        text = " ".join(block.text_content().split())
        if len(text) >= 40 and not block.xpath("ancestor::pre"):
            keep.append(text[:60])
    drop = []
    for el in doc.xpath(_FRAME):
        if not isinstance(el.tag, str) or el.tag in ("script", "style"):
            continue
        own = " ".join(" ".join([el.text or ""] + [c.tail or "" for c in el]).split())
        if len(own) >= 15 and own not in main_text and own[:60] not in drop:
            drop.append(own[:60])
    if not keep:
        return None
    path = page.relative_to(root).as_posix()
    return {"id": path, "path": path, "source": path.split("/")[0],
            "with": spread(keep), "without": spread(drop)}


def main(folder: str) -> int:
    root = Path(folder)
    for page in sorted(root.rglob("*.html")):
        found = entry(page, root)
        if found is not None:
            print(json.dumps(found, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
