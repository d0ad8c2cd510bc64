"""How strip-ads' time grows with hostile input: issue 22's "linear-time heuristics".

Unclosed ``<div>``s, each around a few links, nest every box in the one before it; a
heuristic that walks every link once per box is quadratic there (722 KB took 77 s). This
times ``strip_ads`` on the same shape at N and 4N boxes and prints the ratio: about 4 for
linear work, 16 for quadratic. It measures time, so it is a benchmark, not a test.

    python benchmarks/bench_strip_ads_growth.py              # 450 and 1800 boxes, 3 links each
    python benchmarks/bench_strip_ads_growth.py --boxes 300 --links 12

(Nesting past 2,048 levels is refused by strip-ads, so N stays under 512.)
"""

from __future__ import annotations

import argparse
import sys
import time

from cleantext.document import Document
from cleantext.steps.strip_ads import strip_ads


def nested_boxes(boxes: int, links: int) -> str:
    box = '<div class="box">' + " ".join(
        f'<a href="/p{i}">链接文字第{i}条</a>' for i in range(links))
    return "---\ntitle: x\n---\n<p>" + "正文内容" * 100 + "</p>\n" + box * boxes + "\n"


def best_time(text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        doc = Document.parse(text)
        start = time.perf_counter()
        strip_ads(doc)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--boxes", type=int, default=450, help="N (the larger run has 4N)")
    parser.add_argument("--links", type=int, default=3, help="links in each box")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    args = parser.parse_args()
    small = nested_boxes(args.boxes, args.links)
    large = nested_boxes(4 * args.boxes, args.links)
    best_time(small, 1)  # warm up: rules parsed, caches filled
    t_small = best_time(small, args.repeat)
    t_large = best_time(large, args.repeat)
    print(f"{args.boxes:>5} boxes {len(small.encode()) / 1024:8.0f} KB {t_small:8.3f} s")
    print(f"{4 * args.boxes:>5} boxes {len(large.encode()) / 1024:8.0f} KB {t_large:8.3f} s")
    print(f"ratio for 4x the input: {t_large / t_small:.1f} (linear: ~4, quadratic: ~16)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
