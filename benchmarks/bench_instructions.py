"""Instructions a post for each step, under callgrind: a measure that does not move with the
machine's speed (wall-clock figures here have moved by 1.8x from one minute to the next).

    python benchmarks/bench_instructions.py                    # strip-ads, strip-html
    python benchmarks/bench_instructions.py -s normalize -s convert --every 2

Runs ``valgrind --tool=callgrind`` twice on a Python that applies the step to every
``--every``-th post of the corpus (the 150 posts of ``--every 4`` by default), once with
all of them and once with none (start-up, imports and one warm-up post only), and prints
the difference divided by the number of posts. Needs valgrind; takes about 20 s a step.
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

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"

CHILD = """
import sys
from pathlib import Path
sys.path.insert(0, {root!r})
from cleantext.document import Document
from cleantext.pipeline import apply
step, every, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
paths = sorted(p for p in Path({corpus!r}).rglob("*") if p.suffix in (".md", ".html"))
texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths[::every]]
apply(Document.parse(texts[0]), [step], {{}})  # warm up: imports, rules, dictionaries
for text in texts[:count]:
    apply(Document.parse(text), [step], {{}})
"""


def instructions(script: Path, step: str, every: int, count: int) -> int:
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={folder}/cg.out",
             os.path.realpath(sys.executable), str(script), step, str(every), str(count)],
            capture_output=True, text=True, check=True)
    m = re.search(r"Collected : (\d+)", out.stderr)
    if not m:
        raise SystemExit(f"no instruction count in valgrind's output:\n{out.stderr[-500:]}")
    return int(m.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--every", type=int, default=4, help="take every N-th post [4]")
    parser.add_argument("-s", "--step", action="append", dest="steps",
                        help="a step to measure (repeatable; default: strip-ads, strip-html)")
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        parser.error("valgrind is not installed")
    paths = sorted(p for p in args.corpus.rglob("*") if p.suffix in (".md", ".html"))
    count = len(paths[::args.every])
    if not count:
        parser.error(f"no .md or .html files under {args.corpus}")
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder, "child.py")
        script.write_text(CHILD.format(root=str(ROOT), corpus=str(args.corpus.resolve())))
        for step in args.steps or ["strip-ads", "strip-html"]:
            base = instructions(script, step, args.every, 0)
            full = instructions(script, step, args.every, count)
            print(f"{step:12s} {(full - base) / count / 1e6:6.2f} M instructions a post "
                  f"({count} posts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
