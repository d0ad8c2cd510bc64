"""Throughput of strip-html on the corpus bodies, against BeautifulSoup's get_text().

Reads every post under ../shared/corpus (relative to the repository), keeps the bodies,
and times, in this one process, our HTML-to-text function and
``BeautifulSoup(body, "html.parser").get_text()`` on the same bodies. Prints documents/s,
MB/s (UTF-8 bytes of the bodies) and the ratio. Run from anywhere:

    python benchmarks/bench_strip_html.py [--repeat N] [--markdown]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def load_bodies() -> list[str]:
    from cleantext.document import Document

    paths = sorted(CORPUS.glob("*/*.md"))
    return [Document.parse(p.read_text(encoding="utf-8")).body for p in paths]


def measure(name: str, func: Callable[[str], object], bodies: list[str], repeat: int) -> float:
    """Print wall-clock and CPU throughput; return documents per CPU second.

    CPU time is the figure to compare on a shared machine: wall time also counts the time
    this process waited for a core.
    """
    size = sum(len(b.encode("utf-8")) for b in bodies) * repeat
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        for body in bodies:
            func(body)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    n = len(bodies) * repeat
    print(f"{name}\n    wall: {n / wall:8.1f} docs/s {size / wall / 1e6:7.2f} MB/s"
          f"    cpu: {n / cpu:8.1f} docs/s {size / cpu / 1e6:7.2f} MB/s")
    return n / cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="passes over the corpus")
    parser.add_argument("--markdown", action="store_true", help="time --markdown output")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: no corpus at {CORPUS}")
        return 0
    from bs4 import BeautifulSoup

    from cleantext.steps.strip_html import html_to_text

    bodies = load_bodies()
    total = sum(len(b.encode("utf-8")) for b in bodies)
    print(f"{len(bodies)} bodies, {total / 1e6:.2f} MB, repeat {args.repeat}")
    html_to_text(bodies[0], markdown=args.markdown)  # imports and parser set-up, not timed
    ours = measure(
        "cleantext html_to_text" + (" (markdown)" if args.markdown else ""),
        lambda body: html_to_text(body, markdown=args.markdown), bodies, args.repeat,
    )
    theirs = measure(
        'BeautifulSoup(html, "html.parser").get_text()',
        lambda body: BeautifulSoup(body, "html.parser").get_text(), bodies, args.repeat,
    )
    print(f"ratio (CPU time): {ours / theirs:.1f}x (target: at least 5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
