"""Pages per second of ``extract``: cleantext against trafilatura, in the same run.

Times, on the 179 full pages of ../shared/eval/pages/docs (relative to the repository):

- ``cleantext clean -s extract -s strip-html -j 1`` over the folder, output to a temporary
  folder (one process, one worker: what a user runs);
- ``trafilatura --input-dir DIR --output-dir TMP --parallel 1``, if the ``trafilatura``
  command is installed (``pip install trafilatura lxml_html_clean``; it is not a dependency
  of cleantext, only of this comparison).

Each command runs ``--repeat`` times (default 3) and the best wall and CPU times count (the
machine is shared: CPU time is the steadier figure). Prints pages/s for each and the ratios. Run from anywhere:

    python benchmarks/bench_extract.py [--repeat N] [--pages DIR]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAGES = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "pages" / "docs"


def best_time(cmd: list[str], repeat: int) -> tuple[float, float]:
    """The best wall time and the best CPU time (user + system, the command and its
    children) of ``repeat`` runs of ``cmd``, each with a fresh output folder. CPU time is the
    figure to compare on a shared machine: others' load stretches wall time, not CPU time."""
    best_wall = best_cpu = float("inf")
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as out:
            argv = [out if part == "{out}" else part for part in cmd]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            elapsed = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if proc.returncode != 0:
                sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): "
                         f"{proc.stderr.decode(errors='replace')[-500:]}")
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            best_wall, best_cpu = min(best_wall, elapsed), min(best_cpu, cpu)
    return best_wall, best_cpu


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
    ours, ours_cpu = best_time(cleantext, args.repeat)
    print(f"cleantext clean -s extract -s strip-html -j 1: {n} pages in {ours:.2f} s wall, "
          f"{ours_cpu:.2f} s CPU; {n / ours:.1f} pages/s wall, {n / ours_cpu:.1f} pages/s CPU")
    trafilatura = shutil.which("trafilatura")
    if trafilatura is None:
        print("trafilatura is not installed: no comparison (pip install trafilatura "
              "lxml_html_clean)")
        return
    theirs, theirs_cpu = best_time([trafilatura, "--input-dir", str(args.pages),
                                    "--output-dir", "{out}", "--parallel", "1"], args.repeat)
    print(f"trafilatura --input-dir --parallel 1: {n} pages in {theirs:.2f} s wall, "
          f"{theirs_cpu:.2f} s CPU; {n / theirs:.1f} pages/s wall, "
          f"{n / theirs_cpu:.1f} pages/s CPU")
    print(f"cleantext is {theirs / ours:.1f}x trafilatura's pages/s (wall), "
          f"{theirs_cpu / ours_cpu:.1f}x (CPU)")

if __name__ == "__main__":
    main()
