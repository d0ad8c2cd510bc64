"""Outputs of ``clean``'s HTML pipelines for every corpus post and evaluation page, saved or
compared: the check that ``clean -s a -s b`` still equals ``cleantext a | cleantext b``.

    git worktree add /tmp/wt-before HEAD
    python benchmarks/snapshot_clean.py --root /tmp/wt-before --save /tmp/snap-before
    python benchmarks/snapshot_clean.py --compare /tmp/snap-before

Documents: every post of ``../shared/corpus`` (``*.md`` but README.md) and every page of
``../shared/eval/pages/docs``. Commands (in-process, the functions the CLI calls):
``strip-ads``; ``clean`` with the default steps; ``clean -s strip-ads -s extract -s
strip-html``; ``clean -s extract -s strip-html``; and ``pipe:`` forms of the last two, each
step run on the text the step before wrote (what a shell pipe does). ``--root`` imports
cleantext from another checkout. Exits 1 when ``--compare`` finds a difference.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
COMMANDS: dict[str, tuple[str, ...]] = {
    "strip-ads": ("strip-ads",),
    "clean": ("strip-ads", "extract", "strip-html", "normalize", "convert"),
    "ads+extract+html": ("strip-ads", "extract", "strip-html"),
    "extract+html": ("extract", "strip-html"),
}


def documents() -> list[tuple[str, Path]]:
    corpus = HERE.parent / "shared" / "corpus"
    pages = HERE.parent / "shared" / "eval" / "pages" / "docs"
    found = [(f"post:{p.relative_to(corpus)}", p) for p in sorted(corpus.rglob("*.md"))
             if p.name != "README.md"]
    found += [(f"page:{p.name}", p) for p in sorted(pages.glob("*.html"))]
    return found


def outputs(pipe: bool) -> dict[str, str]:
    from cleantext.document import Document
    from cleantext.pipeline import apply

    result: dict[str, str] = {}
    for key, path in documents():
        text = path.read_bytes().decode("utf-8", "surrogateescape")
        for name, steps in COMMANDS.items():
            runs = [(name, steps, False)] + ([("pipe:" + name, steps, True)] if pipe else [])
            for label, chosen, piped in runs:
                try:
                    if piped:
                        out = text
                        for step in chosen:
                            out = apply(Document.parse(out, key), [step], {}).text
                    else:
                        out = apply(Document.parse(text, key), chosen, {}).text
                except Exception as exc:  # noqa: BLE001 - a snapshot records failures too
                    out = f"ERROR: {type(exc).__name__}: {exc}"
                result[f"{label}\t{key}"] = out
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=HERE, help="checkout to import from")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--compare", type=Path)
    parser.add_argument("--pipe", action="store_true",
                        help="also run each pipeline one step at a time (a shell pipe)")
    parser.add_argument("--show", type=int, default=10)
    args = parser.parse_args()
    sys.path.insert(0, str(args.root.resolve()))
    current = outputs(args.pipe)
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        (args.save / "outputs.json").write_text(json.dumps(current, ensure_ascii=False),
                                                encoding="utf-8", errors="surrogateescape")
        print(f"saved {len(current)} outputs to {args.save}")
        return 0
    saved = json.loads((args.compare / "outputs.json").read_text(encoding="utf-8",
                                                                 errors="surrogateescape"))
    differ = sorted(k for k in current if k in saved and current[k] != saved[k])
    counts: dict[str, int] = {}
    for key in differ:
        label = key.split("\t")[0] + ("/page" if "\tpage:" in key else "/post")
        counts[label] = counts.get(label, 0) + 1
    print(f"compared {sum(1 for k in current if k in saved)} outputs: {len(differ)} differ "
          f"{counts or ''}")
    for key in differ[: args.show]:
        a, b = saved[key], current[key]
        at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        print(f"  {key}: at {at}: {a[max(0, at - 60):at + 60]!r}\n    -> "
              f"{b[max(0, at - 60):at + 60]!r}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
