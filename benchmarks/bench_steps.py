"""Milliseconds a post for each step of ``clean``, in-process, on the sample corpus.

    python benchmarks/bench_steps.py                      # ../shared/corpus, 3 rounds
    python benchmarks/bench_steps.py --corpus DIR --rounds 5 -s strip-ads -s strip-html

Each step runs on the previous step's output, parsed again from its text, as
``cleantext clean`` runs them (``cleantext.pipeline.apply``); no file is read or written
inside the timing, and no process is started, so this is what the steps themselves cost:
``benchmarks/bench_clean.py`` measures the whole command.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cleantext.document import Document
from cleantext.registry import default_steps, get

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("-s", "--step", action="append", dest="steps",
                        help="a step to time (repeatable; default: clean's steps)")
    args = parser.parse_args()
    paths = sorted(p for p in args.corpus.rglob("*") if p.suffix in (".md", ".html"))
    if not paths:
        parser.error(f"no .md or .html files under {args.corpus}")
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    steps = [get(name) for name in (args.steps or default_steps())]
    options = [step.options({}) for step in steps]
    seconds = [0.0] * len(steps)
    for text in texts[:20]:  # warm up: imports, rule files, dictionaries
        doc = Document.parse(text)
        for step, opts in zip(steps, options):
            doc = step.run(Document.parse(doc.text), **opts)
    clock = time.perf_counter
    for _ in range(args.rounds):
        for text in texts:
            doc = Document.parse(text)
            for i, (step, opts) in enumerate(zip(steps, options)):
                start = clock()
                if i:
                    doc = Document.parse(doc.text)
                doc = step.run(doc, **opts)
                seconds[i] += clock() - start
    count = len(texts) * args.rounds
    print(f"{len(texts)} documents from {args.corpus}, {args.rounds} rounds")
    for step, spent in zip(steps, seconds):
        print(f"  {step.name:12s} {spent / count * 1000:6.3f} ms a post")
    print(f"  {'all':12s} {sum(seconds) / count * 1000:6.3f} ms a post "
          f"({count / sum(seconds):,.0f} docs/s on one core)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
