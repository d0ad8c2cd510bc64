"""Time and memory of the Markdown-aware steps on hostile Markdown, as growth ratios.

Each shape is run at N and 4N characters; a linear step takes about 4x the time (and memory
about 4x), a quadratic one 16x. Ratios, not absolute times, so a slow machine does not fail it:

    python benchmarks/bench_markdown_hostile.py [--size 50000]

Prints one line per shape and step: seconds at N and 4N, their ratio, and peak memory at 4N
as a multiple of the body (tracemalloc).
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cleantext  # noqa: E402

# Each shape: a Markdown post (a code span makes it one) whose paragraph is the hostile
# pattern, in lines of about 80 characters (a paragraph: no blank line in it).
_POST = "# Title\n\nSome `code`.\n\n"


def _paragraph(unit: str, n: int) -> str:
    per_line = max(1, 80 // len(unit))
    line = unit * per_line + "\n"
    return _POST + line * max(1, n // len(line))


SHAPES = {
    "brackets": lambda n: _paragraph("[", n),
    "stars": lambda n: _paragraph("*a", n),
    "angles": lambda n: _paragraph("<", n),
    "backticks": lambda n: _paragraph("`a``", n),
    "links": lambda n: _paragraph("[a](b ", n),
    "emphasis": lambda n: _paragraph("_a *b ", n),
    "list": lambda n: _POST + "".join(f"- item {i} `c`\n" for i in range(n // 14)),
    "templates": lambda n: _paragraph("{{<", n),
    "math": lambda n: _paragraph("$a ", n),
}
STEPS = ("strip-ads", "strip-html", "normalize", "t2s")


def run(step: str, text: str) -> tuple[float, float]:
    tracemalloc.start()
    start = time.perf_counter()
    cleantext.clean(text, steps=[step])
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak / max(len(text.encode("utf-8")), 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=50_000)
    args = parser.parse_args()
    worst = 0.0
    for shape, make in SHAPES.items():
        small, big = make(args.size), make(4 * args.size)
        for step in STEPS:
            t1, _ = run(step, small)
            t4, memory = run(step, big)
            ratio = t4 / max(t1, 1e-4)
            worst = max(worst, ratio if t4 > 0.05 else 0)
            print(f"{shape:10} {step:10} {t1:7.3f}s {t4:7.3f}s  x{ratio:5.1f}  "
                  f"peak {memory:5.1f}x body")
    print(f"worst growth ratio for 4x input: {worst:.1f} (linear ~4, quadratic ~16)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
