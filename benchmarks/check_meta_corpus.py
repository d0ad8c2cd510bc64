"""Check ``cleantext meta`` on the shared corpus: every post gives one JSON line with an ISO
8601 ``date``, and the command exits 0.

    python benchmarks/check_meta_corpus.py [CORPUS_DIR]   # default: ../shared/corpus

Prints the counts, the wall time of the command, and the ``_script`` / ``_date_from``
tallies; exits 1 if any check fails.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def is_iso8601(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        if len(value) == 10:
            dt.date.fromisoformat(value)
        else:
            dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus"
    files = sorted(str(p) for p in corpus.glob("*/*.md"))
    if not files:
        print(f"no posts under {corpus}", file=sys.stderr)
        return 1
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "cleantext", "meta", *files],
                          check=False, capture_output=True, text=True, encoding="utf-8")
    elapsed = time.perf_counter() - start
    lines = proc.stdout.splitlines()
    problems = []
    scripts: collections.Counter[str] = collections.Counter()
    date_from: collections.Counter[str] = collections.Counter()
    paths = []
    for n, line in enumerate(lines, 1):
        try:
            rec = json.loads(line)
        except ValueError as exc:
            problems.append(f"line {n}: not JSON: {exc}")
            continue
        paths.append(rec.get("_path"))
        if not is_iso8601(rec.get("date")):
            problems.append(f"{rec.get('_path')}: date {rec.get('date')!r} is not ISO 8601")
        scripts[rec.get("_script")] += 1
        date_from[rec.get("_date_from")] += 1
    if proc.returncode != 0:
        problems.append(f"exit status {proc.returncode}; stderr: {proc.stderr.strip()[:500]}")
    if paths != files:
        problems.append(f"{len(paths)} records for {len(files)} files (or out of order)")
    print(f"files: {len(files)}  records: {len(lines)}  exit: {proc.returncode}  "
          f"time: {elapsed:.2f} s")
    print(f"_script: {dict(scripts)}")
    print(f"_date_from: {dict(date_from)}")
    for problem in problems[:20]:
        print("PROBLEM:", problem)
    print("OK" if not problems else f"FAILED: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
