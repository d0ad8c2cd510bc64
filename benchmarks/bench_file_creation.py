"""What one output file costs on a file system, apart from any cleaning.

    python benchmarks/bench_file_creation.py                   # in a temporary folder
    python benchmarks/bench_file_creation.py --dir /dev/shm    # on another file system

``cleantext clean --output-dir`` writes one file per document, as ``cp -r`` and
trafilatura's ``--output-dir`` do; this separates what the file system charges for that
from the work of the command. For each operation it prints microseconds a file, wall clock
and system (kernel) CPU time, over ``--files`` files and ``--rounds`` rounds:

- create: a new empty file (``open`` with ``O_CREAT | O_EXCL``, ``close``);
- create + write: a new file holding 12 KB, the size of an average corpus post;
- rewrite: 12 KB written over an existing file (``O_TRUNC``): no new inode;
- rename: an existing file renamed in its folder;
- create, 2 processes: files created by two processes at once, each in its own folder,
  as ``clean -j 2`` does (files per second against one process).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from multiprocessing import Process
from pathlib import Path

DATA = b"x" * 12_000


def create(folder: Path, count: int) -> None:
    for i in range(count):
        os.close(os.open(folder / f"{i}.md", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))


def create_and_write(folder: Path, count: int) -> None:
    for i in range(count):
        fd = os.open(folder / f"w{i}.md", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        os.write(fd, DATA)
        os.close(fd)


def rewrite(folder: Path, count: int) -> None:
    for i in range(count):
        fd = os.open(folder / f"{i}.md", os.O_WRONLY | os.O_TRUNC)
        os.write(fd, DATA)
        os.close(fd)


def rename(folder: Path, count: int) -> None:
    for i in range(count):
        os.rename(folder / f"{i}.md", folder / f"r{i}.md")


def timed(operation: Callable[[Path, int], None], folder: Path, count: int) -> tuple[float, float]:
    """Microseconds a file: wall clock and system CPU time."""
    before, start = os.times(), time.perf_counter()
    operation(folder, count)
    after, end = os.times(), time.perf_counter()
    return (end - start) / count * 1e6, (after.system - before.system) / count * 1e6


def two_processes(base: Path, count: int) -> float:
    """Files a second, two processes creating ``count`` files each in their own folder."""
    folders = [base / "p0", base / "p1"]
    for folder in folders:
        folder.mkdir()
    workers = [Process(target=create, args=(folder, count)) for folder in folders]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return 2 * count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=None,
                        help="where to make the files (default: a temporary folder)")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    count = args.files
    for round_ in range(1, args.rounds + 1):
        base = Path(tempfile.mkdtemp(prefix="bench-files-", dir=args.dir))
        try:
            print(f"round {round_}: {count:,} files in {base}")
            folder = base / "one"
            folder.mkdir()
            for name, operation in (("create", create), ("create + write 12 KB",
                                    create_and_write), ("rewrite 12 KB", rewrite),
                                    ("rename", rename)):
                wall, system = timed(operation, folder, count)
                print(f"  {name:22s} {wall:8.1f} us wall {system:8.1f} us system CPU")
            (base / "alone").mkdir()
            one = 1e6 / timed(create, base / "alone", count)[0]
            both = two_processes(base, count)
            print(f"  create, 1 process      {one:8.0f} files/s")
            print(f"  create, 2 processes    {both:8.0f} files/s ({both / one:.2f}x)")
        finally:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
