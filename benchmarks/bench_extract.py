"""Pages per second of ``extract``: cleantext against trafilatura, in the same run.

Times, on the 179 full pages of ../shared/eval/pages/docs (relative to the repository):

- ``cleantext clean -s extract -s strip-html -j 1`` over the folder, output to a temporary
  folder (one process, one worker: what a user runs);
- ``trafilatura --input-dir DIR --output-dir TMP --parallel 1``, if the ``trafilatura``
  command is installed (``pip install trafilatura lxml_html_clean``; it is not a dependency
  of cleantext, only of this comparison).

Each command runs ``--repeat`` times (default 3) and the best wall time counts (the machine
is shared). Prints pages/s for each and the ratio. Run from anywhere:

    python benchmarks/bench_extract.py [--repeat N] [--pages DIR]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "pages" / "docs"


def best_time(cmd: list[str], repeat: int) -> float:
    """The best wall time of ``repeat`` runs of ``cmd`` (each with a fresh output folder)."""
    best = float("inf")
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as out:
            argv = [out if part == "{out}" else part for part in cmd]
            start = time.perf_counter()
            proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            elapsed = time.perf_counter() - start
            if proc.returncode != 0:
                sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): "
                         f"{proc.stderr.decode(errors='replace')[-500:]}")
            best = min(best, elapsed)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", type=Path, default=PAGES)
    args = parser.parse_args()
    pages = sorted(args.pages.glob("*.html"))
    if not pages:
        sys.exit(f"no pages in {args.pages}")
    n = len(pages)
    cleantext = [sys.executable, "-m", "cleantext", "clean", "-s", "extract", "-s",
                 "strip-html", "-j", "1", "-r", "--output-dir", "{out}", str(args.pages)]
    ours = best_time(cleantext, args.repeat)
    print(f"cleantext clean -s extract -s strip-html -j 1: {n} pages in {ours:.2f} s, "
          f"{n / ours:.1f} pages/s")
    trafilatura = shutil.which("trafilatura")
    if trafilatura is None:
        print("trafilatura is not installed: no comparison (pip install trafilatura "
              "lxml_html_clean)")
        return
    theirs = best_time([trafilatura, "--input-dir", str(args.pages), "--output-dir", "{out}",
                        "--parallel", "1"], args.repeat)
    print(f"trafilatura --input-dir --parallel 1: {n} pages in {theirs:.2f} s, "
          f"{n / theirs:.1f} pages/s")
    print(f"cleantext is {theirs / ours:.1f}x trafilatura's pages/s")


if __name__ == "__main__":
    main()
