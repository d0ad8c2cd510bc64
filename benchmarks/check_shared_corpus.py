"""Checks on the real posts in ``../shared`` that the test suite cannot make (it must pass on a
fresh clone without them):

- ``normalize`` is idempotent on every post, and its streaming path equals the whole-body one;
- ``convert`` keeps every HTML tag and URL of the seed posts;
- ``cleantext clean -s A -s B`` equals the shell pipe ``cleantext A | cleantext B`` on the seeds.

    python benchmarks/check_shared_corpus.py [SHARED_DIR]     # default: ../shared

Prints one line per check; exits 1 if any fails.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import cleantext  # noqa: E402
from cleantext.document import Document  # noqa: E402
from cleantext.registry import STEP_MODULES, default_steps  # noqa: E402
from cleantext.steps.normalize import normalize_pieces, normalize_text  # noqa: E402


def tags(text: str) -> list[str]:
    tags = re.findall(r"<[^<>]*>", text)
    return [re.sub(r"""\s(?:alt|title|aria-label|placeholder)=("[^"]*"|'[^']*')""", " T", t)
            for t in tags]


def urls(text: str) -> list[str]:
    return re.findall(r"https?://[^\s'\"<>]+", text)


def pipe(steps: tuple[str, ...], data: bytes) -> bytes:
    for name in steps:
        data = subprocess.run([sys.executable, "-m", "cleantext", name], input=data,
                              capture_output=True, check=True).stdout
    return data


def main() -> int:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared"
    failures = 0
    posts = sorted(p for p in (shared / "corpus").rglob("*.md") if p.name != "README.md")
    bad = []
    for path in posts:
        body = Document.parse(path.read_text(encoding="utf-8", errors="surrogateescape")).body
        once = normalize_text(body)
        pieces = "".join(normalize_pieces(body[i:i + 999] for i in range(0, len(body), 999)))
        if normalize_text(once) != once or pieces != once:
            bad.append(path)
    print(f"normalize idempotent and stream-equal: {len(posts) - len(bad)}/{len(posts)}")
    failures += bool(bad)

    seeds = sorted((shared / "seeds").iterdir())
    lost = [s for s in seeds
            if (lambda t, o: tags(o) != tags(t) or urls(o) != urls(t))(
                s.read_text(encoding="utf-8"),
                cleantext.convert(s.read_text(encoding="utf-8"), config="s2t"))]
    print(f"convert keeps tags and URLs of the seeds: {len(seeds) - len(lost)}/{len(seeds)}")
    failures += bool(lost)

    pairs = [*itertools.combinations(STEP_MODULES, 2), default_steps()]
    differ = []
    for steps in pairs:
        args = [sys.executable, "-m", "cleantext", "clean",
                *itertools.chain(*(("-s", s) for s in steps))]
        for seed in seeds:
            together = subprocess.run([*args, str(seed)], capture_output=True, check=True).stdout
            if together != pipe(steps, seed.read_bytes()):
                differ.append((steps, seed.name))
    print(f"clean equals the shell pipe on the seeds: {len(pairs) * len(seeds) - len(differ)}"
          f"/{len(pairs) * len(seeds)} {differ[:3] or ''}")
    failures += bool(differ)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
