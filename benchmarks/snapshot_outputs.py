"""Write every step's output for every post of a corpus, or compare with a saved snapshot.

Used to check that a change (a refactoring, a new body model) moves nothing it should not:

    python benchmarks/snapshot_outputs.py --save /tmp/before            # before the change
    python benchmarks/snapshot_outputs.py --compare /tmp/before         # after: lists changes

Each post goes through each command below in-process (the same functions the CLI calls);
an output that raises is saved as ``ERROR: <message>``. The corpus defaults to
``../shared/corpus`` (scraped HTML posts and Markdown posts); ``--only html|markdown`` picks
one part. Exits 1 when ``--compare`` finds a difference.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleantext.document import Document  # noqa: E402
from cleantext.pipeline import apply  # noqa: E402

COMMANDS: dict[str, tuple[tuple[str, ...], dict]] = {
    "strip-ads": (("strip-ads",), {}),
    "strip-html": (("strip-html",), {}),
    "strip-html--markdown": (("strip-html",), {"markdown": True}),
    "normalize": (("normalize",), {}),
    "t2s": (("t2s",), {}),
    "clean": (("strip-ads", "strip-html", "normalize", "convert"), {}),
    "clean--markdown": (("strip-ads", "strip-html", "normalize", "convert"), {"markdown": True}),
}


def outputs(corpus: Path, only: str | None) -> dict[str, str]:
    files = sorted(corpus.rglob("*.md"))
    result: dict[str, str] = {}
    for path in files:
        rel = str(path.relative_to(corpus))
        part = "markdown" if rel.startswith("markdown/") else "html"
        if path.name == "README.md" or (only and part != only):
            continue
        text = path.read_bytes().decode("utf-8", "surrogateescape")
        for name, (steps, options) in COMMANDS.items():
            try:
                out = apply(Document.parse(text, rel), steps, options).text
            except Exception as exc:  # noqa: BLE001 - a snapshot records failures too
                out = f"ERROR: {type(exc).__name__}: {exc}"
            result[f"{name}\t{rel}"] = out
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--only", choices=("html", "markdown"))
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path, help="folder to write the snapshot to")
    group.add_argument("--compare", type=Path, help="folder of a snapshot to compare with")
    parser.add_argument("--show", type=int, default=10, help="differences to list")
    args = parser.parse_args()

    current = outputs(args.corpus, args.only)
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        (args.save / "outputs.json").write_text(
            json.dumps(current, ensure_ascii=False), encoding="utf-8", errors="surrogateescape")
        print(f"saved {len(current)} outputs to {args.save}")
        return 0
    saved = json.loads((args.compare / "outputs.json").read_text(
        encoding="utf-8", errors="surrogateescape"))
    differ = sorted(k for k in current if k in saved and current[k] != saved[k])
    by_command: dict[str, int] = {}
    for key in differ:
        by_command[key.split("\t")[0]] = by_command.get(key.split("\t")[0], 0) + 1
    compared = sum(1 for k in current if k in saved)
    print(f"compared {compared} outputs: {len(differ)} differ {by_command or ''}")
    for key in differ[: args.show]:
        a, b = saved[key], current[key]
        at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        print(f"  {key}: first difference at {at}: {a[max(0, at - 40):at + 60]!r}"
              f" -> {b[max(0, at - 40):at + 60]!r}")
        digest = hashlib.sha1(b.encode("utf-8", "surrogateescape")).hexdigest()[:8]
        print(f"    (now {len(b)} chars, sha1 {digest})")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
