"""Benchmark ``cleantext clean`` on the sample corpus and on a generated 10,000-document one.

    python benchmarks/bench_clean.py                      # ../shared/corpus and 10,000 docs
    python benchmarks/bench_clean.py --docs 2000 --no-trafilatura
    python benchmarks/bench_clean.py --rounds 3           # 3 runs of each, ratios per round
    python benchmarks/bench_clean.py --work-dir /dev/shm  # outputs in memory, not on disk

For each corpus it runs, as separate commands the way a user would,

    cleantext clean -r DIR --output-dir OUT -j 1 --no-progress
    cleantext clean -r DIR --output-dir OUT -j 2 --no-progress
    cp -r DIR OUT
    trafilatura --input-dir HTMLDIR --output-dir OUT --parallel 2

and reports documents/s (wall clock, process start included) and the peak memory of the
whole process tree. ``cp -r`` is the floor of any command that writes one file per document
on this file system. ``/usr/bin/time -v`` would give the largest single process's max RSS
only, so the tree is sampled instead: every 20 ms the RSS of the command and all its
descendants (from /proc) is summed, and the largest sum is the peak. Short-lived peaks
between two samples can be missed; the figure is a lower bound, close for steady work.

trafilatura reads whole HTML pages: its documents are the same posts' bodies, front matter
removed, wrapped in ``<html><body>...</body></html>`` (without the wrapper its extractor
returns nothing for bare fragments). Preparing them is not timed.

The generated corpus repeats the sample posts, each copy made distinct by a comment with its
number, in folders of 1,000 (the shape of a real archive by month).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLE_EVERY = 0.02  # seconds between memory samples


def documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".md", ".html") and p.is_file())


def generate(corpus: Path, target: Path, count: int) -> Path:
    posts = documents(corpus)
    for i in range(count):
        source = posts[i % len(posts)]
        folder = target / f"batch-{i // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        data = source.read_bytes() + f"\n<!-- copy {i} -->\n".encode()
        (folder / f"{i:05d}-{source.name}").write_bytes(data)
    return target


def wrap_for_trafilatura(corpus: Path, target: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    from cleantext.document import Document

    target.mkdir(parents=True, exist_ok=True)
    for i, path in enumerate(documents(corpus)):
        body = Document.parse(path.read_text(encoding="utf-8", errors="replace")).body
        html = f"<html><body>{body}</body></html>\n"
        (target / f"{i:05d}.html").write_text(html, encoding="utf-8")
    return target


# --- memory of a process tree ------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                kids += [int(k) for k in fh.read().split()]
    except OSError:
        pass
    return kids


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _rss(current)
        todo += _children(current)
    return total


def measure(command: list[str]) -> tuple[float, int, int]:
    """Run ``command``; return (seconds, peak tree RSS in bytes, exit status)."""
    peak = 0
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(SAMPLE_EVERY)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    if proc.returncode:
        sys.stderr.write(err.decode("utf-8", "replace")[-2000:])
    return seconds, peak, proc.returncode


# --- the runs ----------------------------------------------------------------------------------


def installed(tool: str) -> str | None:
    """The script installed beside this interpreter, else the one on PATH: a version manager's
    shim (pyenv's is a shell script) would add ~50 ms to every command, timed or not."""
    beside = Path(sys.executable).with_name(tool)
    return str(beside) if beside.exists() else shutil.which(tool)


def bench(name: str, corpus: Path, work: Path, trafilatura: bool, rounds: int) -> None:
    count = len(documents(corpus))
    cleantext = installed("cleantext") or "cleantext"
    print(f"\n{name}: {count:,} documents in {corpus}")
    # (key, label, command, its output folder), run in this order in every round.
    runs: list[tuple[str, str, list[str], Path]] = []
    for jobs in (1, 2):
        out = work / f"{name}-clean-j{jobs}"
        runs.append((f"j{jobs}", f"cleantext clean -j {jobs}",
                     [cleantext, "clean", "-r", str(corpus), "--output-dir", str(out),
                      "-j", str(jobs), "--no-progress"], out))
    # The floor for any tool that writes one file per document here: copying them. Creating a
    # file on this machine's file system has cost 0.03 to 1 ms (of system time).
    out = work / f"{name}-copy"
    runs.append(("copy", "cp -r (the floor: one file per document)",
                 ["cp", "-r", str(corpus), str(out)], out))
    traf = installed("trafilatura") if trafilatura else None
    html = work / f"{name}-html"
    if traf:
        wrap_for_trafilatura(corpus, html)
        out = work / f"{name}-trafilatura"
        runs.append(("trafilatura", "trafilatura --input-dir --parallel 2",
                     [traf, "--input-dir", str(html), "--output-dir", str(out),
                      "--parallel", "2"], out))
    ratios: dict[str, list[float]] = {"j2/j1": [], "j2/trafilatura": [], "copy/trafilatura": []}
    for round_ in range(1, rounds + 1):
        print(f"round {round_}: 2 processes vs 1 on a pure-CPU loop: {machine_speedup():.2f}x")
        print(f"{'command':<44} {'seconds':>8} {'docs/s':>8} {'peak MB':>8}")
        rates: dict[str, float] = {}
        for key, label, command, out in runs:
            seconds, peak, status = measure(command)
            shutil.rmtree(out, ignore_errors=True)
            rates[key] = count / seconds
            label += "" if status == 0 else f" (exit {status})"
            print(f"{label:<44} {seconds:8.2f} {count / seconds:8.1f} {peak / 2**20:8.0f}")
        # Ratios within a round only: the machine's speed moves from one round to the next.
        for pair, values in ratios.items():
            over, under = pair.split("/")
            if over in rates and under in rates:
                values.append(rates[over] / rates[under])
    shutil.rmtree(html, ignore_errors=True)
    labels = {"j2/j1": "jobs 2 / jobs 1 (target >= 1.7x)",
              "j2/trafilatura": "jobs 2 / trafilatura (target >= 5x)",
              "copy/trafilatura": "cp -r / trafilatura"}
    for pair, values in ratios.items():
        if values:
            by_round = ", ".join(f"{v:.2f}x" for v in values)
            print(f"{labels[pair]}: {by_round}" + (f" (best {max(values):.2f}x)"
                                                   if len(values) > 1 else ""))


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def machine_speedup(n: int = 6_000_000) -> float:
    """How much faster two processes finish two pure-CPU loops than one process does, now.

    The ceiling for ``-j 2 / -j 1``: on this shared virtual machine it was seen anywhere
    from 1.2x to 2.0x from one minute to the next.
    """
    import multiprocessing

    start = time.perf_counter()
    _burn(n)
    _burn(n)
    serial = time.perf_counter() - start
    with multiprocessing.Pool(2) as pool:
        start = time.perf_counter()
        pool.map(_burn, [n, n])
        parallel = time.perf_counter() - start
    return serial / parallel


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--docs", type=int, default=10_000,
                        help="size of the generated corpus (0: skip it) [default: 10000]")
    parser.add_argument("--no-trafilatura", dest="trafilatura", action="store_false")
    parser.add_argument("--work-dir", type=Path, default=None,
                        help="where the generated corpus and the outputs go (default: the "
                        "system's temporary folder; /dev/shm takes the disk out of the figures)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="run every command this many times; ratios are taken per round")
    parser.add_argument("--no-sample", dest="sample", action="store_false",
                        help="skip the sample corpus, run only the generated one")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"bench_clean.py: no corpus at {args.corpus} (use --corpus)")
    sys.path.insert(0, str(ROOT))
    from cleantext.registry import default_steps

    print(f"steps: {', '.join(default_steps())}; cores: {os.cpu_count()}; "
          f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="bench-clean-", dir=args.work_dir) as tmp:
        work = Path(tmp)
        if args.sample:
            bench("sample", args.corpus, work, args.trafilatura, args.rounds)
        if args.docs:
            generated = generate(args.corpus, work / "generated", args.docs)
            bench(f"generated-{args.docs}", generated, work, args.trafilatura, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
