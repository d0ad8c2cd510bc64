"""Instructions a document for a whole ``clean`` pipeline, under callgrind: what handing
the parsed tree from one HTML step to the next saves (a measure that does not move with
the machine's speed).

    git worktree add /tmp/wt-before HEAD~1
    python benchmarks/bench_shared_tree.py --root /tmp/wt-before -s extract -s strip-html
    python benchmarks/bench_shared_tree.py -s extract -s strip-html       # this checkout
    python benchmarks/bench_shared_tree.py --docs posts -s strip-ads -s extract -s strip-html

Runs ``valgrind --tool=callgrind`` twice on a Python that applies the steps (one
``pipeline.apply`` call a document) to every ``--every``-th document, once with all of them
and once with none (start-up, imports and one warm-up document), and prints the difference
divided by the number of documents. ``--docs pages`` (default) are the 179 pages of
``../shared/eval/pages/docs``; ``--docs posts`` the posts of ``../shared/corpus``.
``--pipe`` runs each step on the text the step before wrote instead (a shell pipe, in one
process). ``--root`` imports cleantext from another checkout. Needs valgrind.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
FOLDERS = {"pages": HERE.parent / "shared" / "eval" / "pages" / "docs",
           "posts": HERE.parent / "shared" / "corpus"}

CHILD = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from cleantext.document import Document
from cleantext.pipeline import apply
steps, every, count, pipe = sys.argv[1].split(","), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
paths = sorted(p for p in Path({folder!r}).rglob("*")
               if p.suffix in (".md", ".html") and p.name != "README.md")
texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths[::every]]

def run(text):
    if pipe == "1":
        for step in steps:
            text = apply(Document.parse(text), [step], {{}}).text
        return text
    return apply(Document.parse(text), steps, {{}}).text

run(texts[0])  # warm up: imports, rules, dictionaries
for text in texts[:count]:
    run(text)
"""


def instructions(script: Path, args: list[str]) -> int:
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder}/cg.out",
             os.path.realpath(sys.executable), str(script), *args],
            capture_output=True, text=True, check=True)
    m = re.search(r"Collected : (\d+)", out.stderr)
    if not m:
        raise SystemExit(f"no instruction count in valgrind's output:\n{out.stderr[-500:]}")
    return int(m.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=HERE, help="checkout to import from")
    parser.add_argument("--docs", choices=sorted(FOLDERS), default="pages")
    parser.add_argument("--every", type=int, default=2, help="take every N-th document [2]")
    parser.add_argument("--pipe", action="store_true", help="one apply a step (a shell pipe)")
    parser.add_argument("-s", "--step", action="append", dest="steps",
                        help="a step of the pipeline (repeatable; default: strip-ads, "
                             "extract, strip-html)")
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        parser.error("valgrind is not installed")
    folder = FOLDERS[args.docs]
    paths = sorted(p for p in folder.rglob("*")
                   if p.suffix in (".md", ".html") and p.name != "README.md")
    count = len(paths[::args.every])
    steps = args.steps or ["strip-ads", "extract", "strip-html"]
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp, "child.py")
        script.write_text(CHILD.format(root=str(args.root.resolve()), folder=str(folder)))
        common = [",".join(steps), str(args.every)]
        pipe = "1" if args.pipe else "0"
        base = instructions(script, [*common, "0", pipe])
        full = instructions(script, [*common, str(count), pipe])
    print(f"-s {' -s '.join(steps)}{' (pipe)' if args.pipe else ''}: "
          f"{(full - base) / count / 1e6:.2f} M instructions a document "
          f"({count} {args.docs}, {args.root})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
